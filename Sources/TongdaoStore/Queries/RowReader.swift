import Foundation
import PostgresKit
import PostgresNIO
import SQLKit
import SQLiteKit
import SQLiteNIO

/// Reads the columns of an SQL row by hand, for the lists read on every request: no Fluent model
/// (whose fields are found by reflection for every row), no `Codable` container per row, and ids
/// parsed without `sscanf`. Each read names its column; a missing or mistyped one throws.
///
/// On SQLite the rows come straight from the connection (`rows()`), and their values are read from
/// SQLite's own: SQLKit's path hands every row to the event loop as a task of its own and decodes
/// every value through a generic `Decoder`, which cost a list page more than its SQL. On PostgreSQL
/// likewise, when the query's parameters are of the plain kinds: each cell decoded as its type
/// (SQLKit's row looks the column up twice and goes through a generic translation for every value,
/// which was most of a signal detection run over half a million pairs).
struct RowReader {
    /// SQLite's row, read value by value.
    private let sqlite: SQLiteRow?
    /// PostgreSQL's row, read cell by cell.
    private let postgres: PostgresRandomAccessRow?
    /// PostgreSQL's row, through SQLKit (when the query's parameters were not all plain).
    private let sql: (any SQLRow)?
    /// PostgreSQL returns `uuid` columns as such; SQLite keeps them as text.
    private let nativeUUIDs: Bool

    init(_ row: any SQLRow, on database: any SQLDatabase) {
        sqlite = nil
        postgres = nil
        sql = row
        nativeUUIDs = database.dialect.name == "postgresql"
    }

    init(_ row: SQLiteRow) {
        sqlite = row
        postgres = nil
        sql = nil
        nativeUUIDs = false
    }

    init(_ row: PostgresRow) {
        sqlite = nil
        postgres = row.makeRandomAccess()
        sql = nil
        nativeUUIDs = true
    }

    /// PostgreSQL's cell of a column, decoded as `T` (nil when null); nil when the row is not read
    /// cell by cell.
    private func postgresValue<T: PostgresDecodable>(_ column: String, as _: T.Type) throws -> T?? {
        guard let postgres else { return nil }
        guard postgres.contains(column) else { throw Self.corrupt(column, "is not in the row") }
        let cell = postgres[column]
        guard cell.bytes != nil else { return .some(nil) }
        return .some(try cell.decode(T.self))
    }

    /// The SQLite value of a column; nil when the row is PostgreSQL's.
    private func sqliteValue(_ column: String) throws -> SQLiteData? {
        guard sqlite != nil else { return nil }
        guard let data = sqlite?.column(column) else { throw Self.corrupt(column, "is not in the row") }
        return data
    }

    private func sqlRow(_ column: String) throws -> any SQLRow {
        guard let sql else { throw Self.corrupt(column, "is not in the row") }
        return sql
    }

    private static func corrupt(_ column: String, _ problem: String) -> DecodingError {
        DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "\(column) \(problem)"))
    }

    func optionalText(_ column: String) throws -> String? {
        if let value = try postgresValue(column, as: String.self) { return value }
        if let value = try sqliteValue(column) {
            switch value {
            case .null: return nil
            case .text(let text): return text
            default: throw Self.corrupt(column, "is not text")
            }
        }
        let row = try sqlRow(column)
        return try row.decodeNil(column: column) ? nil : row.decode(column: column, as: String.self)
    }

    func text(_ column: String) throws -> String {
        guard let text = try optionalText(column) else { throw Self.corrupt(column, "is null") }
        return text
    }

    func optionalInt(_ column: String) throws -> Int? {
        if let value = try postgresValue(column, as: Int.self) { return value }
        if let value = try sqliteValue(column) {
            switch value {
            case .null: return nil
            case .integer(let value): return Int(value)
            default: throw Self.corrupt(column, "is not an integer")
            }
        }
        let row = try sqlRow(column)
        return try row.decodeNil(column: column) ? nil : row.decode(column: column, as: Int.self)
    }

    func int(_ column: String) throws -> Int {
        guard let value = try optionalInt(column) else { throw Self.corrupt(column, "is null") }
        return value
    }

    func bool(_ column: String) throws -> Bool {
        guard let value = try optionalBool(column) else { throw Self.corrupt(column, "is null") }
        return value
    }

    func optionalBool(_ column: String) throws -> Bool? {
        if let value = try postgresValue(column, as: Bool.self) { return value }
        if sqlite != nil { return try optionalInt(column).map { $0 != 0 } }
        let row = try sqlRow(column)
        return try row.decodeNil(column: column) ? nil : row.decode(column: column, as: Bool.self)
    }

    func optionalUUID(_ column: String) throws -> UUID? {
        if let value = try postgresValue(column, as: UUID.self) { return value }
        if nativeUUIDs {
            let row = try sqlRow(column)
            return try row.decodeNil(column: column) ? nil : row.decode(column: column, as: UUID.self)
        }
        guard let text = try optionalText(column) else { return nil }
        guard let id = UUID(hyphenated: text) else { throw Self.corrupt(column, "is not a UUID: \(text)") }
        return id
    }

    func uuid(_ column: String) throws -> UUID {
        guard let id = try optionalUUID(column) else { throw Self.corrupt(column, "is null") }
        return id
    }

    /// A column holding the raw value of `T` (a status, a kind).
    func value<T: RawRepresentable>(_ column: String, as _: T.Type) throws -> T where T.RawValue == String {
        let raw = try text(column)
        guard let value = T(rawValue: raw) else { throw Self.corrupt(column, "holds no \(T.self): \(raw)") }
        return value
    }
}

extension SQLQueryFetcher {
    /// The rows of the query, to be read by hand.
    func rows() async throws -> [RowReader] {
        if let postgres = database as? any PostgresDatabase, let rows = try await postgresRows(on: postgres) { return rows }
        guard let sqlite = database as? any SQLiteDatabase else {
            return try await all().map { RowReader($0, on: database) }
        }
        var serializer = SQLSerializer(database: database)
        query.serialize(to: &serializer)
        let encoder = SQLiteDataEncoder()
        let binds = try serializer.binds.map { try encoder.encode($0) }
        let text = serializer.sql
        // The connection's own `query` (not the protocol's) reads the rows where SQLite runs.
        return try await sqlite.withConnection { connection in
            let rows = RowCollector()
            try await connection.query(text, binds) { rows.append(RowReader($0)) }
            return rows.taken
        }
    }
}

extension SQLQueryFetcher {
    /// The rows straight from a PostgreSQL connection, when every parameter is text, a whole number,
    /// a UUID, a truth value or null; nil otherwise (SQLKit's path then reads them).
    fileprivate func postgresRows(on postgres: any PostgresDatabase) async throws -> [RowReader]? {
        var serializer = SQLSerializer(database: database)
        query.serialize(to: &serializer)
        var bindings = PostgresBindings(capacity: serializer.binds.count)
        for bind in serializer.binds {
            switch bind {
            case let value as String: bindings.append(value)
            case let value as Int: bindings.append(value)
            case let value as UUID: bindings.append(value)
            case let value as Bool: bindings.append(value)
            case let value as String?:
                guard let value else {
                    bindings.appendNull()
                    continue
                }
                bindings.append(value)
            default: return nil
            }
        }
        let statement = PostgresQuery(unsafeSQL: serializer.sql, binds: bindings)
        let rows = RowCollector()
        _ = try await postgres.withConnection { connection in
            connection.query(statement, logger: connection.logger) { rows.append(RowReader($0)) }
        }.get()
        return rows.taken
    }
}

/// The rows of one statement, appended one after another on the thread SQLite runs them on and
/// taken once it has finished.
private final class RowCollector: @unchecked Sendable {
    private var rows: [RowReader] = []

    func append(_ row: RowReader) { rows.append(row) }

    var taken: [RowReader] { rows }
}

extension UUID {
    /// `8-4-4-4-12` hexadecimal digits, either case, as stored: parsed digit by digit (Foundation's
    /// `UUID(uuidString:)` calls `sscanf` for every byte).
    init?(hyphenated text: String) {
        var text = text
        guard let bytes = text.withUTF8({ Self.parse(UnsafeRawBufferPointer($0)) }) else { return nil }
        self.init(uuid: bytes)
    }

    private static func parse(_ text: UnsafeRawBufferPointer) -> uuid_t? {
        guard text.count == 36 else { return nil }
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let parsed = withUnsafeMutableBytes(of: &bytes) { out -> Bool in
            var index = 0
            var position = 0
            while position < 36 {
                if position == 8 || position == 13 || position == 18 || position == 23 {
                    guard text[position] == UInt8(ascii: "-") else { return false }
                    position += 1
                    continue
                }
                guard let high = hexValue(text[position]), let low = hexValue(text[position + 1]) else { return false }
                out[index] = high << 4 | low
                index += 1
                position += 2
            }
            return true
        }
        return parsed ? bytes : nil
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
