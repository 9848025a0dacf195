import Fluent
import FluentPostgresDriver
import Foundation
import TongdaoStore
import Vapor

/// A database kind the suites run against. SQLite always; PostgreSQL when `TEST_DATABASE_URL` names
/// a server (CI always sets it, and a run under `CI=true` without it fails).
public enum TestDatabase: String, Sendable, CaseIterable {
    case sqlite
    case postgres

    /// The kinds this run covers.
    public static var enabled: [TestDatabase] {
        postgresAdminURL == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    public static var postgresAdminURL: String? {
        ProcessInfo.processInfo.environment["TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// A fresh, empty database of this kind: a new SQLite file in a directory of its own, or a new
    /// PostgreSQL database created for this test alone (so suites can run in parallel); either is
    /// removed afterwards.
    ///
    /// Not sqlite-kit's `.memory`: that is a file in the temporary directory which is never deleted
    /// (a full run of the suites left 2 GB of them behind). A file is also what production runs on
    /// (WAL, busy timeout, page cache).
    public func withFreshLocation<T>(_ body: (DatabaseLocation) async throws -> T) async throws -> T {
        try await TestSlots.withSlot { try await scratchLocation(template: nil, body) }
    }

    /// A database of its own for one test, removed afterwards: empty, or a copy of `template` (a
    /// SQLite file's path, a PostgreSQL database's name).
    private func scratchLocation<T>(template: String?, _ body: (DatabaseLocation) async throws -> T) async throws -> T {
        switch self {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tongdao-test-\(UUID().uuidString)", isDirectory: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let path = directory.appendingPathComponent(DatabaseLocation.sqliteFileName).path
            if let template {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                try FileManager.default.copyItem(atPath: template, toPath: path)
            }
            return try await body(.sqliteFile(path: path))
        case .postgres:
            guard let admin = Self.postgresAdminURL else { throw TestDatabaseError.postgresNotConfigured }
            let name = Self.freshPostgresName()
            try await Self.adminExecute("CREATE DATABASE \(name)" + (template.map { " TEMPLATE \($0)" } ?? ""), adminURL: admin)
            do {
                let result = try await body(.postgres(url: try Self.url(admin, database: name)))
                try await Self.adminExecute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", adminURL: admin)
                return result
            } catch {
                try? await Self.adminExecute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", adminURL: admin)
                throw error
            }
        }
    }

    static func url(_ admin: String, database: String) throws -> String {
        guard var components = URLComponents(string: admin) else { throw TestDatabaseError.invalidURL }
        components.path = "/" + database
        guard let url = components.string else { throw TestDatabaseError.invalidURL }
        return url
    }

    /// Runs one statement on the admin database through a short-lived application.
    static func adminExecute(_ statement: String, adminURL: String) async throws {
        let app = try await Application.make(.testing)
        do {
            let (factory, id) = try Store.configuration(for: .postgres(url: adminURL))
            app.databases.use(factory, as: id)
            guard let sql = app.db as? any SQLDatabase else { throw TestDatabaseError.notSQL }
            try await sql.raw(SQLQueryString(statement)).run()
            try await app.asyncShutdown()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }
}

public enum TestDatabaseError: Error {
    case postgresNotConfigured, invalidURL, notSQL
}

/// Runs `body` with an application bound to `location`, and always shuts it down.
public func withPlainApplication<T>(location: DatabaseLocation, _ body: (Application) async throws -> T) async throws -> T {
    let app = try await Application.make(.testing)
    do {
        let (factory, id) = try Store.configuration(for: location)
        app.databases.use(factory, as: id)
        for migration in StoreMigrations.all { app.migrations.add(migration) }
        let result = try await body(app)
        try await app.asyncShutdown()
        return result
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
}

extension TestDatabase {
    /// A fresh database of this kind with an application bound to it and the schema migrated.
    public func withMigratedApplication<T>(_ body: (Application) async throws -> T) async throws -> T {
        try await withPreparedLocation { location in
            try await withPlainApplication(location: location) { app in
                try await app.autoMigrate()
                return try await body(app)
            }
        }
    }

    /// A fresh database of this kind that already holds the schema (no rows): a copy of
    /// a template migrated once per test process (a SQLite file copied, a PostgreSQL database created
    /// `TEMPLATE` it). Migrating again on it finds nothing to do, so a test sees what a migrated
    /// database holds; what differs is the cost. Each of some 500 tests running 25 migrations at once
    /// kept PostgreSQL so busy that timed waits elsewhere in the suite ran out.
    ///
    /// A test of the migrations themselves takes `withFreshLocation`, which is empty.
    public func withPreparedLocation<T>(_ body: (DatabaseLocation) async throws -> T) async throws -> T {
        try await TestSlots.withSlot {
            try await scratchLocation(template: try await PreparedTemplates.shared.template(for: self), body)
        }
    }

    static func freshPostgresName(prefix: String = "tongdao_test_") -> String {
        prefix + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
    }
}

/// The migrated templates of one test process, each made once on first use: the path of a SQLite
/// file, the name of a PostgreSQL database. They are left behind when the process ends (a file in
/// the temporary directory, a database in the throwaway cluster that CI and `scripts/postgres.sh`
/// remove).
actor PreparedTemplates {
    static let shared = PreparedTemplates()

    private var made: [TestDatabase: Task<String, any Error>] = [:]

    func template(for database: TestDatabase) async throws -> String {
        if let task = made[database] { return try await task.value }
        let task = Task { try await Self.make(database) }
        made[database] = task
        do {
            return try await task.value
        } catch {
            made[database] = nil
            throw error
        }
    }

    private static func make(_ database: TestDatabase) async throws -> String {
        switch database {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tongdao-template-\(UUID().uuidString)", isDirectory: true)
            let building = directory.appendingPathComponent("building.sqlite").path
            let template = directory.appendingPathComponent(DatabaseLocation.sqliteFileName).path
            try await migrate(.sqliteFile(path: building)) { sql in
                // One self-contained file, whatever the WAL still holds.
                try await sql.raw("VACUUM INTO \(bind: template)").run()
            }
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: building + suffix) }
            return template
        case .postgres:
            guard let admin = TestDatabase.postgresAdminURL else { throw TestDatabaseError.postgresNotConfigured }
            let name = TestDatabase.freshPostgresName(prefix: "tongdao_template_")
            try await TestDatabase.adminExecute("CREATE DATABASE \(name)", adminURL: admin)
            try await migrate(.postgres(url: try TestDatabase.url(admin, database: name))) { _ in }
            return name
        }
    }

    private static func migrate(_ location: DatabaseLocation, then finish: (any SQLDatabase) async throws -> Void) async throws {
        try await withPlainApplication(location: location) { app in
            try await app.autoMigrate()
            guard let sql = app.db as? any SQLDatabase else { throw TestDatabaseError.notSQL }
            try await finish(sql)
        }
    }
}

/// How many tests hold a database at once: `TONGDAO_TEST_WIDTH`, or four for each core. Swift
/// Testing starts every test of the run at once; some 300 apps and their databases on two cores made
/// each one's waits (a connection from the pool, a stream's next event) run out in CI. A test waiting
/// for a slot costs nothing; one that holds a slot takes none for the databases it opens inside it.
public actor TestSlots {
    static let shared = TestSlots(
        width: ProcessInfo.processInfo.environment["TONGDAO_TEST_WIDTH"].flatMap(Int.init) ?? max(4, ProcessInfo.processInfo.activeProcessorCount * 4)
    )

    @TaskLocal static var holding = false

    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(width: Int) {
        free = max(1, width)
    }

    private func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }

    /// Runs `body` holding a slot (at once when this task holds one already).
    public static func withSlot<T>(_ body: () async throws -> T) async throws -> T {
        if holding { return try await body() }
        await shared.acquire()
        do {
            let result = try await $holding.withValue(true) { try await body() }
            await shared.release()
            return result
        } catch {
            await shared.release()
            throw error
        }
    }
}
