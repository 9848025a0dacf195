import Foundation

/// Where the data lives: the embedded SQLite file by default, PostgreSQL when `DATABASE_URL` says so.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    /// An SQLite file on disk, in WAL mode with a busy timeout.
    case sqliteFile(path: String)
    /// A throwaway SQLite database. sqlite-kit keeps it as a file in the temporary directory and never
    /// deletes it, so the tests use a file of their own instead.
    case sqliteMemory
    /// A PostgreSQL server, by `postgres://user:password@host:port/database` URL.
    case postgres(url: String)

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case unsupportedURL(scheme: String)

        public var description: String {
            switch self {
            case .unsupportedURL(let scheme):
                "DATABASE_URL must start with postgres:// or postgresql:// (found \(scheme.isEmpty ? "no scheme" : scheme + "://")); leave it unset for the embedded SQLite database"
            }
        }
    }

    /// The file name of the embedded database inside the data directory.
    public static let sqliteFileName = "tongdao.sqlite"

    /// Reads `DATABASE_URL` and `TONGDAO_DATA_DIR` (default `./.tongdao/`); creates nothing.
    public static func from(environment: [String: String]) throws(Problem) -> DatabaseLocation {
        if let url = environment["DATABASE_URL"], !url.isEmpty {
            let scheme = url.components(separatedBy: "://").count > 1 ? String(url.prefix { $0 != ":" }) : ""
            guard scheme == "postgres" || scheme == "postgresql" else { throw .unsupportedURL(scheme: scheme) }
            return .postgres(url: url)
        }
        let directory = environment["TONGDAO_DATA_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? ".tongdao"
        return .sqliteFile(path: (directory as NSString).appendingPathComponent(sqliteFileName))
    }

    public var isPostgres: Bool {
        if case .postgres = self { true } else { false }
    }

    /// What logs and banners may say about the location: never a password.
    public var description: String {
        switch self {
        case .sqliteFile(let path): "SQLite file \(path)"
        case .sqliteMemory: "SQLite in memory"
        case .postgres(let url): "PostgreSQL \(Self.redacted(url))"
        }
    }

    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return "(unparsable URL)" }
        if components.password != nil { components.password = "***" }
        return components.string ?? "(unparsable URL)"
    }
}
