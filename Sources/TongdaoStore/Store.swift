import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import NIOCore
import PostgresNIO
import SQLKit

/// Opens the database named by a `DatabaseLocation` and keeps SQLite and PostgreSQL behaving alike.
public enum Store {
    /// SQLite waits this long for a competing writer before it answers `SQLITE_BUSY`.
    public static let sqliteBusyTimeoutMilliseconds = 5_000
    /// SQLite's page cache per connection, in KiB: large enough that a 100,000-row import's
    /// transaction is not spilled to the WAL page by page before it commits (the default is 2 MiB).
    public static let sqliteCacheKiB = 32 * 1024
    /// How long a request waits for a connection from its event loop's pool (one SQLite connection
    /// each, a few PostgreSQL ones): under a burst of writes a request waits its turn rather than
    /// failing (the pool's default is 10 s, and PostgreSQL's was 5 s: 50 editors at once on a busy
    /// machine exceeded both). Past it the request is answered 503 with Retry-After.
    public static let connectionWait = TimeAmount.seconds(30)
    /// PostgreSQL connections each event loop may hold open.
    public static let postgresConnectionsPerEventLoop = 4

    /// The Fluent configuration for a location, and the identifier to register it under.
    public static func configuration(for location: DatabaseLocation) throws -> (factory: DatabaseConfigurationFactory, id: DatabaseID) {
        switch location {
        case .sqliteFile(let path):
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            return (.sqlite(.file(path), connectionPoolTimeout: connectionWait, sqlLogLevel: .trace), .sqlite)
        case .sqliteMemory:
            return (.sqlite(.memory, sqlLogLevel: .trace), .sqlite)
        case .postgres(let url):
            var config = try SQLPostgresConfiguration(url: url)
            config.coreConfiguration = try connectionConfiguration(postgres: url)
            return (
                .postgres(
                    configuration: config, maxConnectionsPerEventLoop: postgresConnectionsPerEventLoop, connectionPoolTimeout: connectionWait,
                    sqlLogLevel: .trace), .psql
            )
        }
    }

    /// A single PostgreSQL connection's settings, for what the pool cannot do (the live feed's `LISTEN`).
    public static func connectionConfiguration(postgres url: String) throws -> PostgresConnection.Configuration {
        var config = try SQLPostgresConfiguration(url: url)
        config.coreConfiguration.options.connectTimeout = .seconds(3)
        return config.coreConfiguration
    }

    /// Per-connection settings that the drivers do not apply themselves.
    ///
    /// SQLite: WAL lets readers run beside a writer (the mode is stored in the file, so setting it once
    /// sticks); `busy_timeout` is per connection, and the SQLite pool holds exactly one connection per
    /// event loop, so it is set once on each loop's connection, like the page cache's size.
    public static func prepareConnections(of databases: Databases, id: DatabaseID, location: DatabaseLocation, logger: Logger) async throws {
        guard case .sqliteFile = location else { return }
        for eventLoop in databases.eventLoopGroup.makeIterator() {
            guard let db = databases.database(id, logger: logger, on: eventLoop) as? any SQLDatabase else { continue }
            try await db.raw("PRAGMA journal_mode = WAL").run()
            try await db.raw("PRAGMA busy_timeout = \(unsafeRaw: String(sqliteBusyTimeoutMilliseconds))").run()
            try await db.raw("PRAGMA cache_size = -\(unsafeRaw: String(sqliteCacheKiB))").run()
        }
    }

    /// Whether a handle is SQLite's, which lets one connection write at a time.
    public static func isSQLite(_ database: any Database) -> Bool { database is any SQLiteDatabase }

    /// A round trip to the database, for readiness checks. Throws if it does not answer in time.
    public static func ping(_ database: any Database, timeout: Duration = .seconds(2)) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { _ = try await sql.raw("SELECT 1 AS ok").all() }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw StoreError.timedOut
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }
}

public enum StoreError: Error, CustomStringConvertible {
    case timedOut

    public var description: String {
        switch self {
        case .timedOut: "the database did not answer in time"
        }
    }
}
