import FluentKit
import SQLKit

/// 048: the key-varieties service list (在研重点品种服务清单, issue 20 item 1).
///
/// * `key_varieties`: one entry a product, placed by its enterprise (`uscc`, `district_code`,
///   `park_code`) as the product is: the reason and its justification, who proposed it and when, the
///   status (proposed, confirmed, declined) and the regulator's decision; the station serving it, the
///   responsible officer (a username), the sub-centre's counsellor and the task force (专班) as
///   text; the service plan's milestones as JSON (step, title, due day, day done). Versioned.
struct CreateKeyVarieties: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("key_varieties")
            .id()
            .field("product_id", .uuid, .required, .references("products", "id"))
            .field("product_name", .string, .required)
            .field("enterprise_id", .uuid, .required, .references("enterprises", "id"))
            .field("uscc", .string, .required)
            .field("district_code", .string, .required)
            .field("park_code", .string)
            .field("reason", .string, .required)
            .field("justification", .string, .required)
            .field("status", .string, .required)
            .field("proposed_by", .string, .required)
            .field("proposed_on", .string, .required)
            .field("station_code", .string)
            .field("officer", .string)
            .field("counsellor", .string)
            .field("task_force", .string)
            .field("decided_by", .string)
            .field("decided_on", .string)
            .field("decision_note", .string)
            .field("milestones", .string, .required)
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "product_id")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "key_varieties_status").on("key_varieties").column("status").column("station_code").run()
        try await sql.create(index: "key_varieties_uscc").on("key_varieties").column("uscc").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("key_varieties").delete()
    }
}
