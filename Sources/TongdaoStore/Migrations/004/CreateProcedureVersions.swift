import FluentKit

/// 004: the procedure catalogue, one row per procedure version, seeded from the bundled resource
/// and thereafter owned by administrators.
struct CreateProcedureVersions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("procedure_versions")
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("category", .string, .required)
            .field("version", .string, .required)
            .field("effective_from", .string, .required)
            .field("definition", .string, .required)
            .unique(on: "code", "version")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("procedure_versions").delete()
    }
}
