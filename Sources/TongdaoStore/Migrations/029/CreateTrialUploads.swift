import FluentKit

/// 029: the trial registry's sheets uploaded on the page (institutions, investigators, trials with
/// their sites), kept between the dry run and the confirmation (in the database, so that any
/// instance can confirm), deleted once imported — as the census's uploads are.
struct CreateTrialUploads: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("trial_uploads")
            .id()
            .field("sheet", .string, .required)
            .field("username", .string, .required)
            .field("filename", .string, .required)
            .field("content", .data, .required)
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("trial_uploads").delete()
    }
}
