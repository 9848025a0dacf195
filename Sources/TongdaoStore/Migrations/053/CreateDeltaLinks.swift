import FluentKit
import SQLKit

/// 053: the Delta's entrustment links (跨省委托生产, issue 21).
///
/// * `delta_links`: a registrant (its enterprise, credit code and province) entrusting the making of
///   a product — its name, category, and the census product when the platform holds it — to
///   manufacturers in other provinces, entrusted (one site) or segmented (several stages); the
///   entrustment's period and the quality agreement's (signed, last day); the day an ending was
///   filed. `provinces` (",SH,JS,") and `parties` (",<credit code>,…,") list every province and
///   party involved, for the readers' reach in one condition. Versioned.
/// * `delta_link_sites`: the sites in order — the manufacturer (enterprise, credit code, province)
///   and the stage it makes.
/// * `delta_link_events`: the link's timeline of filings (备案, 变更, 续签, 终止), each with its day and
///   what it says, who filed it; both sides read it.
struct CreateDeltaLinks: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("delta_links")
            .id()
            .field("kind", .string, .required)
            .field("product_name", .string, .required)
            .field("product_category", .string, .required)
            .field("product_id", .uuid, .references("products", "id"))
            .field("registrant_id", .uuid, .required, .references("enterprises", "id"))
            .field("registrant_uscc", .string, .required)
            .field("registrant_province", .string, .required)
            .field("starts_on", .string, .required)
            .field("ends_on", .string, .required)
            .field("agreement_signed_on", .string, .required)
            .field("agreement_ends_on", .string, .required)
            .field("ended_on", .string)
            .field("provinces", .string, .required)
            .field("parties", .string, .required)
            .field("recorded_by", .string, .required)
            .field("recorded_on", .string, .required)
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await database.schema("delta_link_sites")
            .id()
            .field("link_id", .uuid, .required, .references("delta_links", "id"))
            .field("position", .int, .required)
            .field("enterprise_id", .uuid, .required, .references("enterprises", "id"))
            .field("uscc", .string, .required)
            .field("province", .string, .required)
            .field("stage", .string)
            .create()
        try await database.schema("delta_link_events")
            .id()
            .field("link_id", .uuid, .required, .references("delta_links", "id"))
            .field("kind", .string, .required)
            .field("occurred_on", .string, .required)
            .field("summary", .string, .required)
            .field("recorded_by", .string, .required)
            .field("created_at", .datetime)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "delta_links_registrant").on("delta_links").column("registrant_province").column("kind").run()
        try await sql.create(index: "delta_link_sites_link").on("delta_link_sites").column("link_id").column("position").run()
        try await sql.create(index: "delta_link_events_link").on("delta_link_events").column("link_id").column("occurred_on").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("delta_link_events").delete()
        try await database.schema("delta_link_sites").delete()
        try await database.schema("delta_links").delete()
    }
}
