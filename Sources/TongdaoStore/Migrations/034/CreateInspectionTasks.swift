import FluentKit
import SQLKit

/// 034: an inspection as a task end to end (issue 18 item 3). The inspection gains why it was made
/// for cause (or the trial warning it came from), its notice and on-site days, its conclusion with
/// the rule's reasoning and the team's report, and its closing day. Its team
/// (`inspection_team_members`: each invited inspector's answer, a conflict overridden by the
/// regulator with the reason, the lead's rating and whether they were on time), its findings
/// (`inspection_findings`: clause, grade, what was found, the confidential evidence note, a raised
/// grade with its reason, the rectification's deadline, submission and verification) and its
/// timeline (`inspection_events`, append-only) are tables of their own.
struct CreateInspectionTasks: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let columns: [(FieldKey, DatabaseSchema.DataType)] = [
            ("reason", .string), ("warning_id", .uuid), ("notice_on", .string), ("onsite_from", .string), ("onsite_to", .string),
            ("conclusion", .string), ("conclusion_reason", .string), ("report", .string), ("closed_on", .string),
        ]
        // One column a statement: SQLite alters a table one column at a time.
        for (key, type) in columns {
            try await database.schema("inspections").field(key, type).update()
        }
        try await database.schema("inspection_team_members")
            .id()
            .field("inspection_id", .uuid, .required, .references("inspections", "id", onDelete: .cascade))
            .field("inspector_id", .uuid, .required, .references("inspectors", "id"))
            .field("role", .string, .required)
            .field("state", .string, .required)
            .field("invited_on", .string, .required)
            .field("answered_on", .string)
            .field("answer_note", .string)
            .field("override_reason", .string)
            .field("overridden_conflicts", .string)
            .field("rating", .int)
            .field("on_time", .bool)
            .field("created_at", .datetime)
            .create()
        try await database.schema("inspection_findings")
            .id()
            .field("inspection_id", .uuid, .required, .references("inspections", "id", onDelete: .cascade))
            .field("number", .int, .required)
            .field("clause", .string, .required)
            .field("grade", .string, .required)
            .field("original_grade", .string, .required)
            .field("description", .string, .required)
            .field("evidence", .string)
            .field("raised_reason", .string)
            .field("raised_on", .string)
            .field("rectify_by", .string)
            .field("rectification", .string)
            .field("submitted_on", .string)
            .field("verified_on", .string)
            .field("verification_note", .string)
            .field("unresolved", .bool, .required)
            .field("recorded_on", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "inspection_id", "number")
            .create()
        try await database.schema("inspection_events")
            .id()
            .field("inspection_id", .uuid, .required, .references("inspections", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("occurred_on", .string, .required)
            .field("detail", .string)
            .field("recorded_by", .string, .required)
            .field("recorded_by_name", .string)
            .field("recorded_at", .datetime, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "inspection_team_by_inspector").on("inspection_team_members").column("inspector_id").column("state").run()
        try await sql.create(index: "inspection_team_by_inspection").on("inspection_team_members").column("inspection_id").run()
        try await sql.create(index: "inspection_events_by_inspection").on("inspection_events").column("inspection_id").column("recorded_at").run()
        try await sql.create(index: "inspections_status").on("inspections").column("status").run()
        try await sql.create(index: "inspections_target_uscc").on("inspections").column("target_uscc").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("inspection_events").delete()
        try await database.schema("inspection_findings").delete()
        try await database.schema("inspection_team_members").delete()
        guard let sql = database as? any SQLDatabase else { return }
        for column in ["reason", "warning_id", "notice_on", "onsite_from", "onsite_to", "conclusion", "conclusion_reason", "report", "closed_on"] {
            try await sql.alter(table: "inspections").dropColumn(column).run()
        }
    }
}
