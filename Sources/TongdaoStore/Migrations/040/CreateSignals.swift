import FluentKit
import SQLKit

/// 040: the signal list (issue 19 item 3): a subject (a product, or a classification sub-catalogue)
/// × event term pair the regulator put on the list from a detection run, with the figures of that
/// run, its status (new, under assessment, confirmed, refuted) and the notes of each assessment
/// step (`signal_notes`, confidential to the regulator's side). One row a pair and level.
struct CreateSignals: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("signals")
            .id()
            .field("level", .string, .required)
            .field("subject", .string, .required)
            .field("subject_name", .string, .required)
            .field("term_code", .string, .required)
            .field("status", .string, .required)
            .field("detected_on", .string, .required)
            .field("window_from", .string, .required)
            .field("window_to", .string, .required)
            .field("a", .int, .required)
            .field("b", .int, .required)
            .field("c", .int, .required)
            .field("d", .int, .required)
            .field("prr", .double, .required)
            .field("chi_square", .double, .required)
            .field("ror_lower", .double, .required)
            .field("ic025", .double, .required)
            .field("methods", .string, .required)
            .field("listed_by", .string, .required)
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "level", "subject", "term_code")
            .create()
        try await database.schema("signal_notes")
            .id()
            .field("signal_id", .uuid, .required, .references("signals", "id"))
            .field("status", .string, .required)
            .field("note", .string, .required)
            .field("actor", .string, .required)
            .field("at", .datetime, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "signal_notes_signal").on("signal_notes").column("signal_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("signal_notes").delete()
        try await database.schema("signals").delete()
    }
}
