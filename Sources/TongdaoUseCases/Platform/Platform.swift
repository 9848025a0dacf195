import FluentKit
import Foundation
import Synchronization
#if canImport(Glibc)
    import Glibc
#endif
import TongdaoCore
import TongdaoStore

/// What every use case runs on: the database, the one clock, the working-day calendar, the live
/// feed, credential hashing and the lifetime of sign-ins. The server makes one at start-up and binds it to each request's
/// database handle (for the request's logger); commands and jobs make their own. Tests give it a
/// clock of their own.
public struct Platform: Sendable {
    public let database: any Database
    public let clock: PlatformClock
    public let calendars: CalendarProvider
    public let announcer: any LiveAnnouncer
    public let credentials: any CredentialHashing
    /// How long an API token or a web session lives.
    public let signInLifetime: Duration
    /// How many imports may run at once in this process (each holds its file and its rows).
    public let imports: ImportGate
    /// The dashboard summaries of the scopes in use, dropped by every write.
    public let summaries: SummaryCache
    /// The calendar, procedure versions and warning policy the review clocks are read with, dropped
    /// with the summaries.
    public let references: ClockReferenceCache
    /// The inspection plans of a year as of a day, dropped with the summaries (a plan reads every
    /// target's dues: the page of 5,000 targets reads them once, not at every view).
    public let plans: SharedReads<InspectionPlanUseCases.PlanKey, InspectionPlanReport>
    /// Lets this process's writes into SQLite one at a time (see `WriteGate`).
    public let writes: WriteGate

    public init(
        database: any Database, clock: PlatformClock, calendars: CalendarProvider = CalendarProvider(),
        announcer: any LiveAnnouncer = NoLiveFeed(), credentials: any CredentialHashing, signInLifetime: Duration = .seconds(12 * 3600),
        imports: ImportGate = ImportGate(), summaries: SummaryCache = SummaryCache(), references: ClockReferenceCache = ClockReferenceCache(),
        plans: SharedReads<InspectionPlanUseCases.PlanKey, InspectionPlanReport> = .init(), writes: WriteGate = WriteGate()
    ) {
        self.writes = writes
        self.plans = plans
        self.references = references
        self.imports = imports
        self.summaries = summaries
        self.database = database
        self.clock = clock
        self.calendars = calendars
        self.announcer = announcer
        self.credentials = credentials
        self.signInLifetime = signInLifetime
    }

    /// The same services on another handle of the same database (a request's, with its logger).
    public func on(_ database: any Database) -> Platform {
        Platform(
            database: database, clock: clock, calendars: calendars, announcer: announcer, credentials: credentials,
            signInLifetime: signInLifetime, imports: imports, summaries: summaries, references: references, plans: plans,
            writes: writes)
    }

    /// The installation's calendar as it stands now.
    public func calendar() async throws -> WorkCalendar {
        try await calendars.current(on: database)
    }
}

/// Where a write's live notices go once it has committed: the server's live feed.
public protocol LiveAnnouncer: Sendable {
    func announce(_ notice: LiveNotice)
    /// A credential ended: the streams opened with it end.
    func announce(_ revocation: CredentialRevocation)
}

/// No live feed: commands and jobs, whose writes no stream of theirs shows (a server sharing a
/// PostgreSQL database still hears them, through `pg_notify`).
public struct NoLiveFeed: LiveAnnouncer {
    public init() {}
    public func announce(_ notice: LiveNotice) {}
    public func announce(_ revocation: CredentialRevocation) {}
}

/// Hashing of credentials, injected so that the use cases need no web framework: bcrypt for
/// passwords (slow on purpose, so off the event loop), random tokens and their SHA-256 digests for
/// API tokens and session cookies (a token is shown once; only its digest is stored).
public protocol CredentialHashing: Sendable {
    func hashPassword(_ password: String) async throws -> String
    func verifyPassword(_ password: String, against hash: String) async throws -> Bool
    /// A hash to verify against when the username is unknown, so that a wrong name takes as long as
    /// a wrong password.
    var decoyHash: String { get }
    /// A new random token (what a client or a cookie carries).
    func makeToken() -> String
    func digest(ofToken token: String) -> String
}

/// Lets the writes of one process into SQLite through one at a time, in the order they came.
///
/// SQLite has one writer at a time. Two of this process's transactions that both read before they
/// write would otherwise race for it: in WAL mode the one whose snapshot went stale is refused at
/// once, whatever the busy timeout, and thirty racing writers can use up every attempt of
/// `Platform.write` on a loaded machine and answer `busy`. Queued here instead, each waits its turn
/// and none is refused. Writes from another process (a command beside the server) still meet the
/// busy timeout and the attempts. A write inside a write (same task) passes straight through.
/// PostgreSQL's writes are not queued: they run side by side.
public final class WriteGate: Sendable {
    private struct State {
        var held = false
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    @TaskLocal private static var holding = false

    public init() {}

    public func run<T>(on database: any Database, _ body: () async throws -> T) async throws -> T {
        guard Store.isSQLite(database), !Self.holding else { return try await body() }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let enter = state.withLock { state in
                guard state.held else {
                    state.held = true
                    return true
                }
                state.waiting.append(continuation)
                return false
            }
            if enter { continuation.resume() }
        }
        defer {
            let next = state.withLock { state in
                guard !state.waiting.isEmpty else {
                    state.held = false
                    return CheckedContinuation<Void, Never>?.none
                }
                return state.waiting.removeFirst()
            }
            next?.resume()
        }
        return try await Self.$holding.withValue(true) { try await body() }
    }
}

/// Bounds the imports running at once: one past the bound is refused at once (`busy`, 503 with
/// Retry-After) instead of holding another file and its rows in memory while it waits.
public final class ImportGate: Sendable {
    public let capacity: Int
    private let running = Mutex(0)

    public init(capacity: Int = 2) {
        self.capacity = capacity
    }

    /// Runs `body` if a place is free; otherwise `busy`.
    func run<T>(_ body: () async throws -> T) async throws -> T {
        let entered = running.withLock { count in
            guard count < capacity else { return false }
            count += 1
            return true
        }
        guard entered else { throw UseCaseError.busy(retryAfterSeconds: Self.retrySeconds) }
        defer {
            running.withLock { $0 -= 1 }
            Self.returnMemory()
        }
        return try await body()
    }

    /// Gives the memory an import freed back to the system: glibc keeps freed pages of a large
    /// import in its arenas, and a server that imported once would hold them for good.
    static func returnMemory() {
        #if canImport(Glibc)
            // `malloc_trim(size_t)` is glibc's own, declared in malloc.h, which the Glibc module
            // leaves out: looked up by name among the loaded symbols (RTLD_DEFAULT).
            typealias Trim = @convention(c) (Int) -> Int32
            if let symbol = dlsym(nil, "malloc_trim") { _ = unsafeBitCast(symbol, to: Trim.self)(0) }
        #endif
    }

    /// How long a refused import is asked to wait.
    static let retrySeconds = 10
}
