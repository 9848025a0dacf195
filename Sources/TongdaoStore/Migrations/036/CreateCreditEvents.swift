import FluentKit
import SQLKit

/// 036: credit events recorded by hand on a party's credit file (信用档案, issue 18 item 5) — 告诫约谈,
/// 行政处罚, and later the post-market's late reports and overdue obligations. A file's other events
/// are read from where they happened (inspections closed, the key-supervision list), not copied.
/// The party (an enterprise or a trial institution) is named and placed for scope.
struct CreateCreditEvents: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("credit_events")
            .id()
            .field("party_kind", .string, .required)
            .field("party_id", .uuid, .required)
            .field("party_name", .string, .required)
            .field("party_uscc", .string)
            .field("district_code", .string)
            .field("park_code", .string)
            .field("kind", .string, .required)
            .field("occurred_on", .string, .required)
            .field("detail", .string, .required)
            .field("recorded_by", .string, .required)
            .field("created_at", .datetime)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "credit_events_party").on("credit_events").column("party_id").column("occurred_on").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("credit_events").delete()
    }
}
