import FluentKit

/// 001: the administrative tree (city ⊃ district ⊃ park) every scope hangs from.
struct CreateRegions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("regions")
            .field("code", .string, .identifier(auto: false))
            .field("name", .string, .required)
            .field("level", .string, .required)
            .field("parent_code", .string, .references("regions", "code"))
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("regions").delete()
    }
}
