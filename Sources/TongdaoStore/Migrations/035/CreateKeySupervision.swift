import FluentKit
import SQLKit

/// 035: the key-supervision list (重点监管名单, issue 18 item 4). Each row is one stay of a target on
/// the list: proposed (by a conclusion with a severe finding, or by the regulator for a systemic
/// risk), confirmed or declined with the reason, proposed for removal after compliant inspections,
/// removed. The target is named and placed as inspections place it. A unique index over the target
/// of the live rows (proposed, listed, removal proposed) holds one a target, so two writes proposing
/// at once make one.
struct CreateKeySupervision: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("key_supervision_entries")
            .id()
            .field("target_kind", .string, .required)
            .field("target_id", .uuid, .required)
            .field("target_name", .string, .required)
            .field("target_uscc", .string)
            .field("district_code", .string)
            .field("park_code", .string)
            .field("status", .string, .required)
            .field("live", .bool, .required)
            .field("reason", .string, .required)
            .field("inspection_id", .uuid)
            .field("proposed_on", .string, .required)
            .field("proposed_by", .string, .required)
            .field("decided_on", .string)
            .field("decided_by", .string)
            .field("decision_reason", .string)
            .field("listed_on", .string)
            .field("removal_reason", .string)
            .field("removal_proposed_on", .string)
            .field("removed_on", .string)
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("CREATE UNIQUE INDEX key_supervision_live_target ON key_supervision_entries (target_id) WHERE live").run()
        try await sql.create(index: "key_supervision_status").on("key_supervision_entries").column("status").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("key_supervision_entries").delete()
    }
}
