import FluentKit

/// 002: small platform facts kept by key (for now: when demo data was seeded).
struct CreatePlatformSettings: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("platform_settings")
            .field("key", .string, .identifier(auto: false))
            .field("value", .string, .required)
            .field("updated_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("platform_settings").delete()
    }
}
