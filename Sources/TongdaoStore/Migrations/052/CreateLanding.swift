import FluentKit
import SQLKit

/// 052: landing projects (产业化落地, issue 20 item 8).
///
/// * `landing_projects`: an approved product made at a site — the product and its enterprise (its
///   credit code, for the enterprise's scope), the district and park of the site (the scope of the
///   districts and parks), the site, the status (planned, building, producing), the day production
///   is planned and the day it began, the investment in 万元, a note; who recorded it and when.
///   Versioned.
/// * `landing_problems`: a problem raised about a project — what, the body that owns it, the day it
///   is due; who raised it and when; how, when, by whom and at which meeting it was resolved.
///   Versioned.
/// * `landing_meetings` and `landing_meeting_projects`: a meeting (会商) of the industry department
///   and the regulator — its day, subject, who attended, its decisions — and the projects it took up.
struct CreateLanding: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("landing_projects")
            .id()
            .field("product_id", .uuid, .required, .references("products", "id"))
            .field("enterprise_id", .uuid, .required)
            .field("uscc", .string, .required)
            .field("district_code", .string, .required)
            .field("park_code", .string)
            .field("site", .string, .required)
            .field("status", .string, .required)
            .field("planned_on", .string)
            .field("producing_on", .string)
            .field("investment", .int)
            .field("note", .string)
            .field("recorded_by", .string, .required)
            .field("recorded_on", .string, .required)
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await database.schema("landing_meetings")
            .id()
            .field("held_on", .string, .required)
            .field("subject", .string, .required)
            .field("attendees", .string, .required)
            .field("decisions", .string, .required)
            .field("recorded_by", .string, .required)
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await database.schema("landing_problems")
            .id()
            .field("project_id", .uuid, .required, .references("landing_projects", "id"))
            .field("title", .string, .required)
            .field("detail", .string, .required)
            .field("owner", .string, .required)
            .field("due_on", .string)
            .field("status", .string, .required)
            .field("raised_by", .string, .required)
            .field("raised_on", .string, .required)
            .field("resolution", .string)
            .field("resolved_by", .string)
            .field("resolved_on", .string)
            .field("meeting_id", .uuid, .references("landing_meetings", "id"))
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await database.schema("landing_meeting_projects")
            .field("meeting_id", .uuid, .required, .references("landing_meetings", "id"))
            .field("project_id", .uuid, .required, .references("landing_projects", "id"))
            .compositeIdentifier(over: "meeting_id", "project_id")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "landing_projects_scope").on("landing_projects").column("district_code").column("status").run()
        try await sql.create(index: "landing_projects_product").on("landing_projects").column("product_id").run()
        try await sql.create(index: "landing_problems_project").on("landing_problems").column("project_id").column("status").run()
        try await sql.create(index: "landing_meeting_projects_project").on("landing_meeting_projects").column("project_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("landing_meeting_projects").delete()
        try await database.schema("landing_problems").delete()
        try await database.schema("landing_meetings").delete()
        try await database.schema("landing_projects").delete()
    }
}
