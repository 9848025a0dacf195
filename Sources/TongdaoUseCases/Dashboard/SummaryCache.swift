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
        /// The summary as a response once encoded, by format (the API's JSON): kept and dropped with it.
        var renderings: [String: Data] = [:]
    }

    /// What a reader found for its key: the summary's encoded response when one is current, and
    /// the generation it looked in, so that a response encoded meanwhile is kept only if nothing
    /// changed since.
    public struct Ticket: Sendable {
        let key: Key
        let format: String
        let generation: UInt64
        public let rendering: Data?
    }

    private struct State: Sendable {
        var generation: UInt64 = 0
        var entries: [Key: Entry] = [:]
        var computations = 0
        var answeredFromRenderings = 0
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

    /// Counts the changes: moves at every `invalidate()`. What else is derived from the stored data
    /// and shared between reads (`ClockReferenceCache`) is kept for one generation.
    public var generation: UInt64 { state.withLock { $0.generation } }

    /// How many summaries were computed (rather than shared) since the start.
    public var computations: Int { state.withLock { $0.computations } }

    /// How many readers were answered with a kept rendering.
    public var answeredFromRenderings: Int { state.withLock { $0.answeredFromRenderings } }

    func ticket(_ key: Key, format: String) -> Ticket {
        let now = ContinuousClock.now
        return state.withLock { state in
            let entry = state.entries[key].flatMap { $0.generation == state.generation && now - $0.made < maximumAge ? $0 : nil }
            if entry?.renderings[format] != nil { state.answeredFromRenderings += 1 }
            return Ticket(key: key, format: format, generation: state.generation, rendering: entry?.renderings[format])
        }
    }

    /// Keeps the response encoded from the summary of the ticket's key, if that summary is still the
    /// current one and nothing changed since the ticket was taken.
    func keep(_ rendering: Data, for ticket: Ticket) {
        state.withLock { state in
            guard state.generation == ticket.generation, var entry = state.entries[ticket.key], entry.generation == ticket.generation else { return }
            entry.renderings[ticket.format] = rendering
            state.entries[ticket.key] = entry
        }
    }

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
