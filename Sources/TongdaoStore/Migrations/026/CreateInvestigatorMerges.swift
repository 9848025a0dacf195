import FluentKit
import FluentSQL
import SQLKit

/// 026: merging an investigator registered twice into the other record, reversibly. The merged
/// record stays (links to it still resolve) and names the record it went into; each merge keeps
/// which sites it moved, so undoing it moves those back.
struct CreateInvestigatorMerges: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("investigators").field("merged_into_id", .uuid).update()
        try await database.schema("investigator_merges")
            .id()
            .field("survivor_id", .uuid, .required, .references("investigators", "id"))
            .field("duplicate_id", .uuid, .required, .references("investigators", "id"))
            .field("site_ids", .string, .required)
            .field("reason", .string, .required)
            .field("merged_by", .string, .required)
            .field("merged_at", .datetime, .required)
            .field("undone_by", .string)
            .field("undone_at", .datetime)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "investigator_merges_survivor").on("investigator_merges").column("survivor_id").run()
        try await sql.create(index: "investigator_merges_duplicate").on("investigator_merges").column("duplicate_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("investigator_merges").delete()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("ALTER TABLE investigators DROP COLUMN merged_into_id").run()
    }
}
