import FluentKit

/// 012: the yearly census (年度注册意向): one declaration per product and year, with the location of
/// its enterprise repeated for scope, as products do.
struct CreateCensusIntentions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("census_intentions")
            .id()
            .field("year", .int, .required)
            .field("product_id", .uuid, .required, .references("products", "id"))
            .field("enterprise_id", .uuid, .required, .references("enterprises", "id"))
            .field("uscc", .string, .required)
            .field("district_code", .string, .required)
            .field("park_code", .string)
            .field("stage", .string, .required)
            .field("expected_filing", .string)
            .field("channels", .string, .required)
            .field("submitted_by", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "year", "product_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("census_intentions").delete()
    }
}
