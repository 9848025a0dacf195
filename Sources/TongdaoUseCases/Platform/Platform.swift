import FluentKit
import Foundation
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

    public init(
        database: any Database, clock: PlatformClock, calendars: CalendarProvider = CalendarProvider(),
        announcer: any LiveAnnouncer = NoLiveFeed(), credentials: any CredentialHashing, signInLifetime: Duration = .seconds(12 * 3600)
    ) {
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
            signInLifetime: signInLifetime)
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
