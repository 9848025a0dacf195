import FluentKit
import Foundation
import NIOCore
import PostgresNIO
import SQLKit
import SQLiteNIO
import TongdaoCore

/// One value of a row written in bulk, in the form Fluent stores it: on SQLite UUIDs are upper-case
/// text, dates seconds since 1970 and booleans 0 or 1; on PostgreSQL they are `uuid`, `timestamptz`
/// and `boolean`. Fluent reads the rows back as if it had written them.
public enum BulkValue: Sendable, Equatable {
    case null
    case text(String)
    case integer(Int)
    case bool(Bool)
    case uuid(UUID)
    case date(Date)
    case double(Double)
}

/// Values that turn into a `BulkValue` (optionals become `.null`).
public protocol BulkWritable: Sendable {
    var bulkValue: BulkValue { get }
}

extension String: BulkWritable { public var bulkValue: BulkValue { .text(self) } }
extension Int: BulkWritable { public var bulkValue: BulkValue { .integer(self) } }
extension Bool: BulkWritable { public var bulkValue: BulkValue { .bool(self) } }
extension UUID: BulkWritable { public var bulkValue: BulkValue { .uuid(self) } }
extension Date: BulkWritable { public var bulkValue: BulkValue { .date(self) } }
extension Double: BulkWritable { public var bulkValue: BulkValue { .double(self) } }
/// Days and months are stored as their text (`YYYY-MM-DD`, `YYYY-MM`).
extension CivilDate: BulkWritable { public var bulkValue: BulkValue { .text(description) } }
extension YearMonth: BulkWritable { public var bulkValue: BulkValue { .text(description) } }
extension Optional: BulkWritable where Wrapped: BulkWritable {
    public var bulkValue: BulkValue { self?.bulkValue ?? .null }
}

/// Bulk writes (census imports, generated data) that bypass Fluent's per-model work and SQLKit's
/// per-value encoding:
/// * SQLite: multi-row `INSERT`s with the values bound natively, as many rows a statement as the
///   bound-parameter limit allows;
/// * PostgreSQL: `COPY … FROM STDIN` on the transaction's own connection, streamed in 1 MiB pieces;
/// * any other SQL database: multi-row `INSERT`s through SQLKit.
enum BulkInsert {
    /// Bound parameters per SQLite statement: under the limit SQLiteNIO builds SQLite with (250,000).
    /// Fewer, larger statements cost less: each keeps a statement journal of the pages it changes,
    /// and a page of a large index changed by many statements is journaled by each.
    static let parametersPerStatement = 240_000

    static func run(
        _ table: String, columns: [String], rows: [[BulkValue]], on db: any Database, progress: (@Sendable (Int) -> Void)? = nil
    ) async throws {
        try await run(table, columns: columns, count: rows.count, on: db, progress: progress) { rows[$0] }
    }

    /// Writes `count` rows, each made by `row` when it is about to be sent: on SQLite the next
    /// statement's rows are made while the database runs the previous one.
    static func run(
        _ table: String, columns: [String], count: Int, on db: any Database, progress: (@Sendable (Int) -> Void)? = nil,
        row: @escaping @Sendable (Int) -> [BulkValue]
    ) async throws {
        guard count > 0 else { return }
        if let sqlite = db as? any SQLiteDatabase {
            try await sqliteInsert(table, columns: columns, count: count, row: row, on: sqlite, progress: progress)
        } else if let postgres = db as? any PostgresDatabase {
            try await postgresCopy(table, columns: columns, count: count, row: row, on: postgres, progress: progress)
        } else if let sql = db as? any SQLDatabase {
            try await sqlKitInsert(table, columns: columns, count: count, row: row, on: sql, progress: progress)
        } else {
            throw BulkInsertError.notSQL
        }
    }

    private static func checked(_ values: [BulkValue], _ table: String, _ columns: [String]) -> [BulkValue] {
        precondition(values.count == columns.count, "every row of \(table) needs \(columns.count) values")
        return values
    }

    private static func quoted(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    // MARK: SQLite

    private static func sqliteInsert(
        _ table: String, columns: [String], count: Int, row: @escaping @Sendable (Int) -> [BulkValue], on db: any SQLiteDatabase,
        progress: (@Sendable (Int) -> Void)?
    ) async throws {
        let size = max(1, parametersPerStatement / columns.count)
        let head = "INSERT INTO \(quoted(table)) (\(columns.map(quoted).joined(separator: ", "))) VALUES "
        let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        var fullSQL: String?
        var running: Task<Void, any Error>?
        defer { running?.cancel() }
        for start in stride(from: 0, to: count, by: size) {
            let end = min(start + size, count)
            let sql: String
            if end - start == size, let fullSQL {
                sql = fullSQL
            } else {
                sql = head + Array(repeating: tuple, count: end - start).joined(separator: ", ")
                if end - start == size { fullSQL = sql }
            }
            var binds: [SQLiteData] = []
            binds.reserveCapacity((end - start) * columns.count)
            for index in start..<end {
                for value in checked(row(index), table, columns) { binds.append(sqliteData(value)) }
            }
            // One statement at a time on the connection; this one's values were made while the last ran.
            try await running?.value
            running = Task { [binds] in
                _ = try await db.query(sql, binds)
                progress?(end)
            }
        }
        try await running?.value
        running = nil
    }

    static func sqliteData(_ value: BulkValue) -> SQLiteData {
        switch value {
        case .null: .null
        case .text(let text): .text(text)
        case .integer(let number): .integer(number)
        case .bool(let flag): .integer(flag ? 1 : 0)
        case .uuid(let id): .text(text(of: id))
        case .date(let date): .float(date.timeIntervalSince1970)
        case .double(let number): .float(number)
        }
    }

    /// A UUID's upper-case text, as `uuidString` writes it and Fluent stores it on SQLite, made
    /// without Foundation's formatted printing (a bulk write makes hundreds of thousands).
    static func text(of id: UUID) -> String {
        withUnsafeBytes(of: id.uuid) { bytes in
            String(unsafeUninitializedCapacity: 36) { out in
                var at = 0
                for (index, byte) in bytes.enumerated() {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        out[at] = UInt8(ascii: "-")
                        at += 1
                    }
                    func digit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "A") + nibble - 10 }
                    out[at] = digit(byte >> 4)
                    out[at + 1] = digit(byte & 0x0F)
                    at += 2
                }
                return at
            }
        }
    }

    // MARK: PostgreSQL

    private static func postgresCopy(
        _ table: String, columns: [String], count: Int, row: @escaping @Sendable (Int) -> [BulkValue], on db: any PostgresDatabase,
        progress: (@Sendable (Int) -> Void)?
    ) async throws {
        try await db.withConnection { connection in
            connection.eventLoop.makeFutureWithTask {
                // `copyFrom` quotes the names itself.
                try await connection.copyFrom(table: table, columns: columns, logger: connection.logger) { writer in
                    var buffer = ByteBuffer()
                    buffer.reserveCapacity(1 << 20 + 4096)
                    for index in 0..<count {
                        copyLine(checked(row(index), table, columns), into: &buffer)
                        if buffer.readableBytes >= 1 << 20 {
                            try await writer.write(buffer)
                            buffer.clear()
                            progress?(index + 1)
                        }
                    }
                    if buffer.readableBytes > 0 { try await writer.write(buffer) }
                    progress?(count)
                }
            }
        }.get()
    }

    /// One row in `COPY`'s text format: tab-separated, `\N` for NULL, backslash escapes.
    static func copyLine(_ row: [BulkValue], into buffer: inout ByteBuffer) {
        for (index, value) in row.enumerated() {
            if index > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
            switch value {
            case .null: buffer.writeStaticString("\\N")
            case .text(let text): writeEscaped(text, into: &buffer)
            case .integer(let number): buffer.writeString(String(number))
            case .bool(let flag): buffer.writeStaticString(flag ? "t" : "f")
            case .uuid(let id): buffer.writeString(text(of: id))
            case .date(let date): buffer.writeString(timestamp(date))
            case .double(let number): buffer.writeString(String(number))
            }
        }
        buffer.writeInteger(UInt8(ascii: "\n"))
    }

    private static func writeEscaped(_ text: String, into buffer: inout ByteBuffer) {
        var text = text
        text.withUTF8 { bytes in
            guard
                bytes.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }
                )
            else {
                buffer.writeBytes(bytes)
                return
            }
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
                case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
                case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
                case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
                default: buffer.writeInteger(byte)
                }
            }
        }
    }

    /// `YYYY-MM-DD HH:MM:SS.ffffff+00`, microseconds as PostgreSQL keeps them.
    static func timestamp(_ date: Date) -> String {
        let micros = Int((date.timeIntervalSince1970 * 1_000_000).rounded())
        let (days, rest) = micros.quotientAndRemainder(dividingBy: 86_400_000_000)
        let (dayNumber, dayMicros) = rest < 0 ? (days - 1, rest + 86_400_000_000) : (days, rest)
        let (year, month, day) = CivilDate(dayNumber: dayNumber).components
        let seconds = dayMicros / 1_000_000
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let fraction = String(dayMicros % 1_000_000 + 1_000_000).dropFirst()
        return "\(year)-\(two(month))-\(two(day)) \(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60)).\(fraction)+00"
    }

    // MARK: Any other SQL database

    private static func sqlKitInsert(
        _ table: String, columns: [String], count: Int, row: @Sendable (Int) -> [BulkValue], on sql: any SQLDatabase,
        progress: (@Sendable (Int) -> Void)?
    ) async throws {
        let size = max(1, 20_000 / columns.count)
        for start in stride(from: 0, to: count, by: size) {
            let builder = sql.insert(into: table).columns(columns)
            for index in start..<min(start + size, count) {
                builder.values(
                    checked(row(index), table, columns).map { value -> any Encodable & Sendable in
                        switch value {
                        case .null: String?.none
                        case .text(let text): text
                        case .integer(let number): number
                        case .bool(let flag): flag
                        case .uuid(let id): id
                        case .date(let date): date
                        case .double(let number): number
                        }
                    })
            }
            try await builder.run()
            progress?(min(start + size, count))
        }
    }
}

extension BulkInsert {
    /// The settings of a SQLite connection while it writes many rows into large tables: its page
    /// cache 256 MiB (the indexes' pages stay in memory), its statement journals in memory rather
    /// than in temporary files (each multi-row `INSERT` keeps one); the usual settings afterwards.
    /// Other databases: `body` alone.
    static func withBulkWriteSettings<T>(if large: Bool, on db: any Database, _ body: () async throws -> T) async throws -> T {
        guard large, db is any SQLiteDatabase, let sql = db as? any SQLDatabase else { return try await body() }
        func settings(cacheKiB: Int, tempStore: String) async throws {
            try await sql.raw("PRAGMA cache_size = -\(unsafeRaw: String(cacheKiB))").run()
            try await sql.raw("PRAGMA temp_store = \(unsafeRaw: tempStore)").run()
        }
        try await settings(cacheKiB: 262_144, tempStore: "MEMORY")
        let result: T
        do {
            result = try await body()
        } catch {
            try? await settings(cacheKiB: Store.sqliteCacheKiB, tempStore: "DEFAULT")
            throw error
        }
        try await settings(cacheKiB: Store.sqliteCacheKiB, tempStore: "DEFAULT")
        return result
    }
}

enum BulkInsertError: Error {
    case notSQL
}

extension EnterpriseModel {
    static let insertColumns = [
        "id", "uscc", "name", "district_code", "park_code", "kind", "is_startup", "contact_name", "contact_phone", "created_at", "updated_at",
    ]

    /// The row of a new enterprise, as `insertColumns` lists them.
    static func insertRow(_ draft: EnterpriseDraft, id: UUID, now: Date) -> [BulkValue] {
        [
            .uuid(id), .text(draft.uscc), .text(draft.name), .text(draft.district), draft.park.bulkValue, .text(draft.kind.rawValue),
            .bool(draft.isStartup), draft.contactName.bulkValue, draft.contactPhone.bulkValue, .date(now), .date(now),
        ]
    }
}

extension ProductModel {
    static let insertColumns = [
        "id", "enterprise_id", "uscc", "district_code", "park_code", "name", "model", "category", "management_class", "classification_code",
        "key_areas", "stage", "expected_filing", "channels", "core_patents", "technical_features", "clinical_advantage", "udi_di",
        "created_at", "updated_at",
    ]

    /// The row of a new product of an enterprise (placed where the enterprise is), as `insertColumns` lists them.
    static func insertRow(_ draft: ProductDraft, id: UUID, enterpriseID: UUID, of enterprise: EnterpriseDraft, now: Date) -> [BulkValue] {
        [
            .uuid(id), .uuid(enterpriseID), .text(enterprise.uscc), .text(enterprise.district), enterprise.park.bulkValue,
            .text(draft.name), .text(draft.model), .text(draft.category.rawValue), .text(draft.managementClass.rawValue),
            draft.classificationCode.bulkValue, .text(joined(draft.keyAreas)), .text(draft.stage.rawValue),
            draft.expectedFiling.bulkValue, .text(joined(draft.channels)), draft.corePatents.bulkValue,
            draft.technicalFeatures.bulkValue, draft.clinicalAdvantage.bulkValue, draft.udiDI.bulkValue, .date(now), .date(now),
        ]
    }
}

extension CensusIntentionModel {
    static let insertColumns = [
        "id", "year", "product_id", "enterprise_id", "uscc", "district_code", "park_code", "stage", "expected_filing", "channels",
        "submitted_by", "created_at", "updated_at", "guidance_needs",
    ]

    /// The row of a new declaration, as `insertColumns` lists them.
    static func insertRow(
        _ declaration: Declaration, id: UUID, year: Int, productID: UUID, enterpriseID: UUID, of enterprise: EnterpriseDraft,
        submittedBy: String, now: Date
    ) -> [BulkValue] {
        [
            .uuid(id), .integer(year), .uuid(productID), .uuid(enterpriseID), .text(enterprise.uscc), .text(enterprise.district),
            enterprise.park.bulkValue, .text(declaration.stage.rawValue), declaration.expectedFiling.bulkValue,
            .text(ProductModel.joined(declaration.channels)), .text(submittedBy), .date(now), .date(now), declaration.guidanceNeeds.bulkValue,
        ]
    }
}
