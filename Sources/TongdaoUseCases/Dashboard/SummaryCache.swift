import Foundation
import Synchronization
import TongdaoCore

/// The dashboard summary of each scope, computed once and shared: fifty screens of one district
/// showing the same figures cost one computation, not fifty. Every committed write of the platform
/// (`Platform.write`) and every live notice a server hears from another instance drops them all, so
/// the next reader computes afresh; a summary is also never older than `maximumAge`, for the writes
/// nobody announces (a command writing to the same SQLite file from another process). Readers that
/// arrive while one is being computed wait for that one.
public final class SummaryCache: Sendable {
    /// A summary depends on the caller's scope alone (never on who the caller is), the district it
    /// is narrowed to and the day.
    struct Key: Hashable, Sendable {
        var scope: Scope
        var district: String?
        var day: CivilDate
    }

    private struct Entry: Sendable {
        var generation: UInt64
        var made: ContinuousClock.Instant
        var task: Task<DashboardSummary, any Error>
    }

    private struct State: Sendable {
        var generation: UInt64 = 0
        var entries: [Key: Entry] = [:]
        var computations = 0
    }

    private let state = Mutex(State())
    public let maximumAge: Duration
    /// Scopes kept at once; past it the cache starts over (a city has a few hundred scopes in use).
    static let capacity = 2_000

    public init(maximumAge: Duration = .seconds(10)) {
        self.maximumAge = maximumAge
    }

    /// Something changed: every summary is computed again when next asked for.
    public func invalidate() {
        state.withLock { state in
            state.generation &+= 1
            state.entries.removeAll()
        }
    }

    /// How many summaries were computed (rather than shared) since the start.
    public var computations: Int { state.withLock { $0.computations } }

    func summary(_ key: Key, compute: @escaping @Sendable () async throws -> DashboardSummary) async throws -> DashboardSummary {
        let now = ContinuousClock.now
        let task = state.withLock { state -> Task<DashboardSummary, any Error> in
            if let entry = state.entries[key], entry.generation == state.generation, now - entry.made < maximumAge { return entry.task }
            if state.entries.count >= Self.capacity { state.entries.removeAll() }
            let task = Task { try await compute() }
            state.entries[key] = Entry(generation: state.generation, made: now, task: task)
            state.computations += 1
            return task
        }
        do {
            return try await task.value
        } catch {
            // A failure is not kept: the next reader tries again.
            state.withLock { state in if state.entries[key]?.task == task { state.entries[key] = nil } }
            throw error
        }
    }
}
