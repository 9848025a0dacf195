import FluentKit
import SQLKit

/// 016: a census declaration's guidance needs (指导需求), the enterprise's own words, optional.
struct AddGuidanceNeeds: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("census_intentions").field("guidance_needs", .string).update()
    }

    func revert(on database: any Database) async throws {
        // Fluent's SQLite driver only adds columns; both databases drop one in plain SQL (SQLite ≥ 3.35).
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("ALTER TABLE census_intentions DROP COLUMN guidance_needs").run()
    }
}
