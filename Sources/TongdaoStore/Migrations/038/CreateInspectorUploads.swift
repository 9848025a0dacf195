import FluentKit

/// 038: the inspector pool's sheets uploaded on the page, kept between the dry run and the
/// confirmation (in the database, so that any instance can confirm), deleted once imported — as the
/// census's and the trial registry's uploads are.
struct CreateInspectorUploads: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("inspector_uploads")
            .id()
            .field("username", .string, .required)
            .field("filename", .string, .required)
            .field("content", .data, .required)
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("inspector_uploads").delete()
    }
}
