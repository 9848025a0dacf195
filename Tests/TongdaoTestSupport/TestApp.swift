import Fluent
import Foundation
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoUseCases
import Vapor

/// The real application, in-process, on a fresh database of the given kind, migrated and seeded
/// with reference data exactly as `tongdao serve` does at start-up, its clock started on
/// `Fixtures.today` unless a test gives another.
///
/// Not named `withApp`: VaporTesting exports a `withApp(_:)` of its own that builds an *unconfigured*
/// application, and a call without arguments would silently pick it.
public func withTongdao(
    _ database: TestDatabase = .sqlite, migrate: Bool = true, clock: PlatformClock = Fixtures.clock,
    _ body: (Application) async throws -> Void
) async throws {
    if migrate {
        try await database.withPreparedLocation { location in
            try await withConfiguredApp(location: location, migrate: true, clock: clock, body)
        }
    } else {
        try await database.withFreshLocation { location in
            try await withConfiguredApp(location: location, migrate: false, clock: clock, body)
        }
    }
}

/// The same on a given database location.
public func withConfiguredApp(
    location: DatabaseLocation, migrate: Bool = true, clock: PlatformClock = Fixtures.clock, _ body: (Application) async throws -> Void
) async throws {
    let app = try await Application.make(.testing)
    do {
        try await configure(
            app, configuration: AppConfiguration(database: location, bcryptCost: 4, clock: clock, summaryMaximumAge: .seconds(3_600)))
        try await prepareDatabase(app, migrate: migrate)
        try await body(app)
        try await app.asyncShutdown()
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
}

extension Application {
    /// The use cases on a plain application's database (migrated, not configured as a server): the
    /// test clock, a fast bcrypt, no live feed; the server's summaries when it is configured as one,
    /// so that what the tests write drops the summaries the server shares.
    public func testPlatform(clock: PlatformClock = Fixtures.clock) -> Platform {
        Platform(
            database: db, clock: clock, credentials: BcryptCredentials(cost: 4, threadPool: threadPool),
            summaries: configuredPlatform?.summaries ?? SummaryCache(), plans: configuredPlatform?.plans ?? .init())
    }
}
