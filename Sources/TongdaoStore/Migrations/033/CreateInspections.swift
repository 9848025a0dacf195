import FluentKit
import SQLKit

/// 033: inspections (issue 18) — each of one target (a trial institution or an enterprise, named,
/// with its credit code and district kept on the row for conflicts and scope), of one or more types
/// (codes between commas: a combined visit has several), where it came from (the plan, a trial
/// warning, a cause), its state, the month it is planned for, the day it was due by and the day it
/// was completed. The plan reads the last completed inspection of each type of each target from it.
struct CreateInspections: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("inspections")
            .id()
            .field("target_kind", .string, .required)
            .field("target_id", .uuid, .required)
            .field("target_name", .string, .required)
            .field("target_uscc", .string)
            .field("district_code", .string)
            .field("park_code", .string)
            .field("types", .string, .required)
            .field("source", .string, .required)
            .field("status", .string, .required)
            .field("planned_month", .string)
            .field("due_by", .string)
            .field("completed_on", .string)
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "inspections_target").on("inspections").column("target_id").column("completed_on").run()
        try await sql.create(index: "inspections_planned_month").on("inspections").column("planned_month").run()
        try await sql.create(index: "inspections_completed_on").on("inspections").column("completed_on").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("inspections").delete()
    }
}
