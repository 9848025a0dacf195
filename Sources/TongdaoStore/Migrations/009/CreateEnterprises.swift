import FluentKit

/// 009: the enterprise registry — the leaves of the scope tree. The USCC is unique.
struct CreateEnterprises: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("enterprises")
            .id()
            .field("uscc", .string, .required)
            .field("name", .string, .required)
            .field("district_code", .string, .required, .references("regions", "code"))
            .field("park_code", .string, .references("regions", "code"))
            .field("kind", .string, .required)
            .field("is_startup", .bool, .required)
            .field("contact_name", .string)
            .field("contact_phone", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "uscc")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("enterprises").delete()
    }
}
