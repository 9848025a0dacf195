import FluentKit
import FluentSQL
import SQLKit

/// 027: the trial warnings the nightly sweep raises (a PI over the threshold, a pilot trial late to
/// start) and the regulator assesses. One subject has at most one live warning of a kind (a unique
/// index over the rows not ended), so two instances sweeping at once raise it once.
struct CreateTrialWarnings: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("trial_warnings")
            .id()
            .field("kind", .string, .required)
            .field("subject_id", .uuid, .required)
            .field("institution_id", .uuid, .references("trial_institutions", "id"))
            .field("grade", .int, .required)
            .field("level", .string, .required)
            .field("load", .int)
            .field("threshold", .int)
            .field("due_on", .string)
            .field("raised_on", .string, .required)
            .field("ended_on", .string)
            .field("status", .string, .required)
            .field("assessment_reason", .string)
            .field("assessed_by", .string)
            .field("assessed_at", .datetime)
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("CREATE UNIQUE INDEX trial_warnings_live ON trial_warnings (kind, subject_id) WHERE ended_on IS NULL").run()
        try await sql.create(index: "trial_warnings_institution").on("trial_warnings").column("institution_id").column("raised_on").run()
        try await sql.create(index: "trial_warnings_raised").on("trial_warnings").column("raised_on").column("id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("trial_warnings").delete()
    }
}
