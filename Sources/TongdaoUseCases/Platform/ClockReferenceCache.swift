import FluentKit
import Synchronization
import TongdaoCore
import TongdaoStore

/// What every review clock is read with: the working-day calendar, the stored procedure versions
/// and the warning policy.
struct ClockReference: Sendable {
    var calendar: WorkCalendar
    var versions: ProcedureStore.VersionIndex
    var policy: WarningPolicy
}

/// The clock reference read once and shared by the reads that follow, rather than read again (three
/// queries, and every procedure version's JSON decoded) for each list page or application. It is
/// dropped whenever the dashboard summaries are (their generation moves at every committed write of
/// this process and every notice of another instance's write) and is never older than their maximum
/// age, for a change nobody announces (a command writing to the same SQLite file).
public final class ClockReferenceCache: Sendable {
    private struct Entry: Sendable {
        var generation: UInt64
        var made: ContinuousClock.Instant
        var task: Task<ClockReference, any Error>
    }

    private let entry = Mutex<Entry?>(nil)
    private let loadCount = Mutex(0)

    public init() {}

    /// How many times the reference was read from the database (rather than shared) since the start.
    public var loads: Int { loadCount.withLock { $0 } }

    /// The reference of the summaries' current generation, loaded by the first reader that needs it
    /// (the others arriving meanwhile wait for that one).
    func current(of summaries: SummaryCache, load: @escaping @Sendable () async throws -> ClockReference) async throws -> ClockReference {
        let generation = summaries.generation
        let now = ContinuousClock.now
        let task = entry.withLock { entry in
            if let kept = entry, kept.generation == generation, now - kept.made < summaries.maximumAge { return kept.task }
            let task = Task { try await load() }
            entry = Entry(generation: generation, made: now, task: task)
            loadCount.withLock { $0 += 1 }
            return task
        }
        do {
            return try await task.value
        } catch {
            // A failure is not kept: the next reader tries again.
            entry.withLock { entry in if entry?.task == task { entry = nil } }
            throw error
        }
    }
}
