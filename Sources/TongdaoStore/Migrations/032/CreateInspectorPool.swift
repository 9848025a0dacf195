import FluentKit
import SQLKit

/// 032: the inspector pool (issue 18) — inspectors, linked to their user accounts where they have
/// one, with their categories and specialties (codes between commas, so one `LIKE '%,gcp,%'` finds
/// the holders of a specialty on either database), their employments, the ties they declared and
/// their trainings. Conflicts of interest are read from the employments and ties, matched by the
/// parties' credit codes (`employer_uscc`, `party_uscc`, indexed).
struct CreateInspectorPool: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("inspectors")
            .id()
            .field("user_id", .uuid, .references("users", "id"))
            .field("name", .string, .required)
            .field("categories", .string, .required)
            .field("specialties", .string, .required)
            .field("full_time", .bool, .required)
            .field("rank", .string, .required)
            .field("capacity_days", .int, .required)
            .field("active", .bool, .required)
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "user_id")
            .create()
        try await database.schema("inspector_employments")
            .id()
            .field("inspector_id", .uuid, .required, .references("inspectors", "id"))
            .field("employer", .string, .required)
            .field("employer_uscc", .string)
            .field("from_on", .string, .required)
            .field("to_on", .string)
            .create()
        try await database.schema("inspector_relationships")
            .id()
            .field("inspector_id", .uuid, .required, .references("inspectors", "id"))
            .field("party", .string, .required)
            .field("party_uscc", .string)
            .field("kind", .string, .required)
            .field("declared_on", .string, .required)
            .field("note", .string)
            .create()
        try await database.schema("inspector_trainings")
            .id()
            .field("inspector_id", .uuid, .required, .references("inspectors", "id"))
            .field("trained_on", .string, .required)
            .field("course", .string, .required)
            .field("tenths_of_hours", .int, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "inspectors_name").on("inspectors").column("name").column("id").run()
        for table in ["inspector_employments", "inspector_relationships", "inspector_trainings"] {
            try await sql.create(index: "\(table)_inspector").on(table).column("inspector_id").run()
        }
        try await sql.create(index: "inspector_employments_uscc").on("inspector_employments").column("employer_uscc").run()
        try await sql.create(index: "inspector_relationships_uscc").on("inspector_relationships").column("party_uscc").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["inspector_trainings", "inspector_relationships", "inspector_employments", "inspectors"] {
            try await database.schema(table).delete()
        }
    }
}
