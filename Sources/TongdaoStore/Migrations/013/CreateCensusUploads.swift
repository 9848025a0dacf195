import FluentKit

/// 013: census files uploaded on the census page, kept between the dry run and the confirmation
/// (in the database, so that any instance can confirm), deleted once imported.
struct CreateCensusUploads: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("census_uploads")
            .id()
            .field("year", .int, .required)
            .field("username", .string, .required)
            .field("filename", .string, .required)
            .field("content", .data, .required)
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("census_uploads").delete()
    }
}
