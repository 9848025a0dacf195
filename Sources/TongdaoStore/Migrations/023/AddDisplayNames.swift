import FluentKit
import FluentSQL
import SQLKit

/// 023: a user has a display name (姓名), which pages show where a person is meant (who recorded an
/// event, the reviewer, the audit trail's actor, the signed-in user). Accounts made before it have
/// none (empty) and are shown by their username until an administrator gives them one.
struct AddDisplayNames: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("users").field("display_name", .string, .required, .sql(.default(""))).update()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("ALTER TABLE users DROP COLUMN display_name").run()
    }
}
