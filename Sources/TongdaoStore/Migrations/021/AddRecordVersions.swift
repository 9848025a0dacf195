import FluentKit
import FluentSQL
import SQLKit

/// 021: every record a person edits carries a version, 1 when it is made and one more with every
/// change, so a write based on what someone read is refused once another write changed it since
/// (a lost update otherwise: two edits of different fields of one enterprise, both answered 200,
/// and one field reverted). Rows made before it start at 1.
struct AddRecordVersions: AsyncMigration {
    static let tables = ["enterprises", "products"]

    func prepare(on database: any Database) async throws {
        for table in Self.tables {
            try await database.schema(table).field("version", .int64, .required, .sql(.default(1))).update()
        }
    }

    func revert(on database: any Database) async throws {
        // Fluent's SQLite driver only adds columns; both databases drop one in plain SQL (SQLite ≥ 3.35).
        guard let sql = database as? any SQLDatabase else { return }
        for table in Self.tables { try await sql.raw("ALTER TABLE \(ident: table) DROP COLUMN version").run() }
    }
}
