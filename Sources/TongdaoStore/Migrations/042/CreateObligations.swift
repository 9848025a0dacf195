import FluentKit
import SQLKit

/// 042: conditional-approval obligations (issue 19 item 4).
///
/// * `approval_obligations`: a condition of a product's approval, placed by the registrant (`uscc`,
///   `district_code`, `park_code`) as the product is; its kind, text, due date, the officer
///   following it (a username), its status, the day of the latest evidence and of the evidence
///   accepted; the latest evidence text (confidential). Versioned.
/// * `obligation_events`: its history — set, evidence submitted, accepted, returned.
struct CreateObligations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("approval_obligations")
            .id()
            .field("product_id", .uuid, .required, .references("products", "id"))
            .field("product_name", .string, .required)
            .field("enterprise_id", .uuid, .required)
            .field("uscc", .string, .required)
            .field("district_code", .string, .required)
            .field("park_code", .string)
            .field("certificate", .string, .required)
            .field("kind", .string, .required)
            .field("title", .string, .required)
            .field("due_on", .string, .required)
            .field("officer", .string, .required)
            .field("status", .string, .required)
            .field("submitted_on", .string)
            .field("satisfied_on", .string)
            .field("evidence", .string)
            .field("created_by", .string, .required)
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await database.schema("obligation_events")
            .id()
            .field("obligation_id", .uuid, .required, .references("approval_obligations", "id"))
            .field("kind", .string, .required)
            .field("occurred_at", .datetime, .required)
            .field("actor", .string, .required)
            .field("detail", .string, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "approval_obligations_product").on("approval_obligations").column("product_id").run()
        try await sql.create(index: "approval_obligations_due").on("approval_obligations").column("status").column("due_on").run()
        try await sql.create(index: "approval_obligations_uscc").on("approval_obligations").column("uscc").run()
        try await sql.create(index: "obligation_events_obligation").on("obligation_events").column("obligation_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("obligation_events").delete()
        try await database.schema("approval_obligations").delete()
    }
}
