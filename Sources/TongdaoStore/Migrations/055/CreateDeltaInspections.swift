import FluentKit
import SQLKit

/// 055: inspections across the Delta (issue 21): joint inspections, partners' results and the
/// recognition of results both ways.
///
/// * `delta_joint_inspections`: an inspection of Shanghai's made jointly with a partner province
///   (联合检查) — one partner an inspection —, the link it follows when it follows one, a note, who
///   planned it and when. Versioned (the partner's team is replaced whole on the version read).
/// * `delta_joint_members`: the partner's inspectors on it, in order — name, body, title.
/// * `delta_results`: an inspection result a partner province recorded of a Shanghai enterprise party
///   to a link with it — the types, the day carried out, the conclusion, the reference, a summary —
///   and Shanghai's decision: recognised (the inspection of Shanghai's it settles) or declined with
///   why. Versioned.
/// * `delta_shares` gains the partner's recognition of what Shanghai shared: when, by whom, under
///   which reference of its own.
struct CreateDeltaInspections: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("delta_joint_inspections")
            .id()
            .field("inspection_id", .uuid, .required, .references("inspections", "id"))
            .field("province", .string, .required)
            .field("link_id", .uuid, .references("delta_links", "id"))
            .field("note", .string)
            .field("planned_on", .string, .required)
            .field("planned_by", .string, .required)
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "inspection_id")
            .create()
        try await database.schema("delta_joint_members")
            .id()
            .field("joint_id", .uuid, .required, .references("delta_joint_inspections", "id"))
            .field("position", .int, .required)
            .field("name", .string, .required)
            .field("organisation", .string, .required)
            .field("title", .string)
            .create()
        try await database.schema("delta_results")
            .id()
            .field("province", .string, .required)
            .field("enterprise_id", .uuid, .required, .references("enterprises", "id"))
            .field("target_name", .string, .required)
            .field("target_uscc", .string, .required)
            .field("types", .string, .required)
            .field("completed_on", .string, .required)
            .field("conclusion", .string, .required)
            .field("reference", .string, .required)
            .field("summary", .string)
            .field("recorded_on", .string, .required)
            .field("recorded_by", .string, .required)
            .field("status", .string, .required)
            .field("inspection_id", .uuid, .references("inspections", "id"))
            .field("decided_on", .string)
            .field("decided_by", .string)
            .field("decline_reason", .string)
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        // One column a statement: SQLite alters a table one column at a time.
        for key in ["recognised_on", "recognised_by", "recognition_reference"] {
            try await database.schema("delta_shares").field(.string(key), .string).update()
        }
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "delta_joint_inspections_province").on("delta_joint_inspections").column("province").run()
        try await sql.create(index: "delta_joint_members_joint").on("delta_joint_members").column("joint_id").run()
        try await sql.create(index: "delta_results_province").on("delta_results").column("province").column("status").run()
        try await sql.create(index: "delta_results_enterprise").on("delta_results").column("enterprise_id").run()
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase {
            for column in ["recognised_on", "recognised_by", "recognition_reference"] {
                try await sql.alter(table: "delta_shares").dropColumn(column).run()
            }
        }
        try await database.schema("delta_results").delete()
        try await database.schema("delta_joint_members").delete()
        try await database.schema("delta_joint_inspections").delete()
    }
}
