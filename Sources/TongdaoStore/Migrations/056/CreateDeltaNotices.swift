import FluentKit
import SQLKit

/// 056: risk notices and requests for assistance to a partner province (issue 21).
///
/// `delta_notices`: the kind (风险通报, 协查请求), the partner province, the subject and the text, the
/// enterprise concerned (its credit code and name) and the link when there is one; the day sent, by
/// whom, the time limit in working days and the day the answer is due; the partner's answer, when and
/// by whom. Versioned (answered once, on the version read).
struct CreateDeltaNotices: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("delta_notices")
            .id()
            .field("kind", .string, .required)
            .field("province", .string, .required)
            .field("subject", .string, .required)
            .field("body", .string, .required)
            .field("enterprise_uscc", .string)
            .field("enterprise_name", .string)
            .field("link_id", .uuid, .references("delta_links", "id"))
            .field("sent_on", .string, .required)
            .field("sent_by", .string, .required)
            .field("working_days", .int, .required)
            .field("due_on", .string, .required)
            .field("answer", .string)
            .field("answered_on", .string)
            .field("answered_by", .string)
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "delta_notices_province").on("delta_notices").column("province").column("answered_on").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("delta_notices").delete()
    }
}
