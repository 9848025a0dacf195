import FluentKit
import SQLKit

/// 047: guidance records (一对一服务记录, issue 20 item 2).
///
/// * `guidance_records`: a station's (or the regulator's) session with an enterprise, placed by the
///   enterprise (`uscc`, `district_code`, `park_code`) as its products are; the product, if any; the
///   desk (a station's code, `review-centre`, or `city`); the day, the mode (on site, video, phone),
///   who came, the topics (codes of `service_topics`, joined by `,`), the questions raised, the
///   advice given; the follow-up items as JSON (item, owner, working days, due day, done day); the
///   appointment it came from, if any (one record an appointment). Versioned.
struct CreateGuidanceRecords: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("guidance_records")
            .id()
            .field("enterprise_id", .uuid, .required, .references("enterprises", "id"))
            .field("uscc", .string, .required)
            .field("district_code", .string, .required)
            .field("park_code", .string)
            .field("product_id", .uuid, .references("products", "id"))
            .field("product_name", .string)
            .field("desk", .string, .required)
            .field("held_on", .string, .required)
            .field("mode", .string, .required)
            .field("attendees", .string, .required)
            .field("topics", .string, .required)
            .field("questions", .string, .required)
            .field("advice", .string, .required)
            .field("follow_ups", .string, .required)
            .field("open_follow_ups", .int, .required)
            .field("appointment_id", .uuid, .references("appointments", "id"))
            .field("recorded_by", .string, .required)
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "appointment_id")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "guidance_records_uscc").on("guidance_records").column("uscc").column("held_on").run()
        try await sql.create(index: "guidance_records_product").on("guidance_records").column("product_id").run()
        try await sql.create(index: "guidance_records_desk").on("guidance_records").column("desk").column("held_on").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("guidance_records").delete()
    }
}
