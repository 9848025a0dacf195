import FluentKit
import SQLKit

/// 014: applications (申报事项) and their append-only timelines. An application repeats its product's
/// location (district, park, USCC) for scope, like products do. Its status and certificate are the
/// replay of its events, and its clock snapshot the dates on which it turns amber and red, stored when an
/// event is recorded so that lists filter in SQL; the events are
/// the record and are never updated or deleted (a correction is a new event that supersedes one).
struct CreateApplications: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("applications")
            .id()
            .field("product_id", .uuid, .required, .references("products", "id"))
            .field("enterprise_id", .uuid, .required, .references("enterprises", "id"))
            .field("uscc", .string, .required)
            .field("district_code", .string, .required)
            .field("park_code", .string)
            .field("procedure_code", .string, .required)
            .field("procedure_version", .string, .required)
            .field("authority", .string, .required)
            .field("application_number", .string, .required)
            .field("channel", .string, .required)
            .field("reviewer", .string)
            .field("responsible_officer", .string)
            .field("accepted_on", .string, .required)
            .field("status", .string, .required)
            // Not yet decided or withdrawn: what clock filters, the inbox and the digest read, by id.
            .field("is_open", .bool, .required)
            .field("certificate", .string)
            // The clock snapshot (ClockSnapshot): the level on any later day is a condition on these.
            .field("clock_running", .bool, .required)
            .field("amber_from", .string)
            .field("red_from", .string)
            .field("frozen_level", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "application_number")
            .create()
        try await database.schema("application_events")
            .id()
            .field("application_id", .uuid, .required, .references("applications", "id"))
            .field("sequence", .int, .required)
            .field("kind", .string, .required)
            .field("occurred_on", .string, .required)
            .field("days", .int)
            .field("decision", .string)
            .field("certificate", .string)
            .field("supersedes", .uuid)
            .field("reason", .string)
            .field("note", .string)
            .field("recorded_by", .string, .required)
            .field("recorded_at", .datetime, .required)
            .unique(on: "application_id", "sequence")
            .create()
        if let sql = database as? any SQLDatabase {
            // Lists page by id within a filter: each common filter with the id.
            try await sql.create(index: "applications_district_id").on("applications").column("district_code").column("id").run()
            try await sql.create(index: "applications_park_id").on("applications").column("park_code").column("id").run()
            try await sql.create(index: "applications_uscc_id").on("applications").column("uscc").column("id").run()
            try await sql.create(index: "applications_status_id").on("applications").column("status").column("id").run()
            try await sql.create(index: "applications_open_id").on("applications").column("is_open").column("id").run()
            try await sql.create(index: "applications_product_id").on("applications").column("product_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("application_events").delete()
        try await database.schema("applications").delete()
    }
}
