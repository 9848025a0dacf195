import FluentKit
import Synchronization
import TongdaoCore
import TongdaoStore

/// Something derived from the stored data, read once for a key and shared by the reads that follow
/// rather than read again for each. An entry lives for one generation of the dashboard summaries
/// (their generation moves at every committed write of this process and every notice of another
/// instance's write) and never longer than their maximum age, for a change nobody announces (a
/// command writing to the same SQLite file). Readers arriving while a key is being read wait for it.
public final class SharedReads<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entry: Sendable {
        var generation: UInt64
        var made: ContinuousClock.Instant
        var task: Task<Value, any Error>
    }

    private let entries = Mutex<[Key: Entry]>([:])
    private let loadCount = Mutex(0)
    /// Keys kept at once; past it the cache starts over.
    private let capacity: Int

    public init(capacity: Int = 64) {
        self.capacity = capacity
    }

    /// How many times a value was read from the database (rather than shared) since the start.
    public var loads: Int { loadCount.withLock { $0 } }

    /// The value of `key` for the summaries' current generation, loaded by the first reader that needs it.
    func value(for key: Key, of summaries: SummaryCache, load: @escaping @Sendable () async throws -> Value) async throws -> Value {
        let generation = summaries.generation
        let now = ContinuousClock.now
        let task = entries.withLock { entries in
            if let kept = entries[key], kept.generation == generation, now - kept.made < summaries.maximumAge { return kept.task }
            if entries.count >= capacity { entries.removeAll() }
            let task = Task { try await load() }
            entries[key] = Entry(generation: generation, made: now, task: task)
            loadCount.withLock { $0 += 1 }
            return task
        }
        do {
            return try await task.value
        } catch {
            // A failure is not kept: the next reader tries again.
            entries.withLock { entries in if entries[key]?.task == task { entries[key] = nil } }
            throw error
        }
    }
}

/// What every review clock is read with: the working-day calendar, the stored procedure versions
/// and the warning policy.
struct ClockReference: Sendable {
    var calendar: WorkCalendar
    var versions: ProcedureStore.VersionIndex
    var policy: WarningPolicy
}

/// The clock reference read once and shared by the reads that follow, rather than read again (three
/// queries, and every procedure version's JSON decoded) for each list page or application.
public final class ClockReferenceCache: Sendable {
    private let shared = SharedReads<Int, ClockReference>(capacity: 1)

    public init() {}

    /// How many times the reference was read from the database (rather than shared) since the start.
    public var loads: Int { shared.loads }

    func current(of summaries: SummaryCache, load: @escaping @Sendable () async throws -> ClockReference) async throws -> ClockReference {
        try await shared.value(for: 0, of: summaries, load: load)
    }
}
