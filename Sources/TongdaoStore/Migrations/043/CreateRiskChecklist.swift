import FluentKit
import SQLKit

/// 043: the risk checklist of innovative products (issue 19 item 5), each row by its product (whose
/// scope the use cases check):
///
/// * `risk_items`: a risk, its source, the control suggested, owner, due date and status; versioned.
/// * `risk_item_events`: an item's history (recorded, each status change, a meeting's decision).
/// * `risk_meetings`: a risk-consultation meeting (风险会商) on a product: its day, attendees and
///   decisions (the items it changed are events of those items).
/// * `special_plans`: a special supervision plan (专项方案) attached to a product, with its period.
/// * `periodic_risk_reports`: a registrant's periodic risk evaluation report of one year of the first
///   registration cycle (one a product and year).
struct CreateRiskChecklist: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("risk_items")
            .id()
            .field("product_id", .uuid, .required, .references("products", "id"))
            .field("source", .string, .required)
            .field("description", .string, .required)
            .field("control", .string, .required)
            .field("owner", .string, .required)
            .field("due_on", .string, .required)
            .field("status", .string, .required)
            .field("created_by", .string, .required)
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await database.schema("risk_item_events")
            .id()
            .field("item_id", .uuid, .required, .references("risk_items", "id"))
            .field("kind", .string, .required)
            .field("occurred_at", .datetime, .required)
            .field("actor", .string, .required)
            .field("detail", .string, .required)
            .create()
        try await database.schema("risk_meetings")
            .id()
            .field("product_id", .uuid, .required, .references("products", "id"))
            .field("held_on", .string, .required)
            .field("attendees", .string, .required)
            .field("decisions", .string, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await database.schema("special_plans")
            .id()
            .field("product_id", .uuid, .required, .references("products", "id"))
            .field("title", .string, .required)
            .field("content", .string, .required)
            .field("from_on", .string, .required)
            .field("to_on", .string, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await database.schema("periodic_risk_reports")
            .id()
            .field("product_id", .uuid, .required, .references("products", "id"))
            .field("year", .int, .required)
            .field("submitted_on", .string, .required)
            .field("summary", .string, .required)
            .field("submitted_by", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "product_id", "year")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        for table in ["risk_items", "risk_meetings", "special_plans"] {
            try await sql.create(index: "\(table)_product").on(table).column("product_id").run()
        }
        try await sql.create(index: "risk_item_events_item").on("risk_item_events").column("item_id").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["periodic_risk_reports", "special_plans", "risk_meetings", "risk_item_events", "risk_items"] {
            try await database.schema(table).delete()
        }
    }
}
