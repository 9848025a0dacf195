import FluentKit
import SQLKit

/// 011: products under development. Each row repeats its enterprise's location (district, park,
/// USCC) so that scope is one `WHERE` on this table; the enterprise's writes keep them in step.
/// A product is identified within its enterprise by name and model (what census imports match on).
struct CreateProducts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("products")
            .id()
            .field("enterprise_id", .uuid, .required, .references("enterprises", "id"))
            .field("uscc", .string, .required)
            .field("district_code", .string, .required)
            .field("park_code", .string)
            .field("name", .string, .required)
            .field("model", .string, .required)
            .field("category", .string, .required)
            .field("management_class", .string, .required)
            .field("classification_code", .string)
            .field("key_areas", .string, .required)
            .field("stage", .string, .required)
            .field("expected_filing", .string)
            .field("channels", .string, .required)
            .field("core_patents", .string)
            .field("technical_features", .string)
            .field("clinical_advantage", .string)
            .field("udi_di", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "enterprise_id", "name", "model")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "products_district_code").on("products").column("district_code").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("products").delete()
    }
}
