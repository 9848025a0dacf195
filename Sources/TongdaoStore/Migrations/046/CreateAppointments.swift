import FluentKit
import SQLKit

/// 046: appointments (预约咨询, issue 20 item 5).
///
/// * `appointment_slots`: a desk's slot — `desk` a station's code or `review-centre` — on a day
///   (`YYYY-MM-DD`) from a time to a time (`HH:MM`), its seats and how many are booked (kept in
///   the transaction of every booking and cancellation, and only ever raised by a statement that
///   finds a seat free: `booked < seats`), an optional topic, who published it. One slot a desk,
///   day and start time. Versioned.
/// * `appointments`: an enterprise's booking of a seat, placed by the enterprise (`uscc`,
///   `district_code`, `park_code`) as its products are: its topic and question, its status
///   (booked, cancelled, attended, absent), who booked it. Versioned.
struct CreateAppointments: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("appointment_slots")
            .id()
            .field("desk", .string, .required)
            .field("day", .string, .required)
            .field("starts_at", .string, .required)
            .field("ends_at", .string, .required)
            .field("seats", .int, .required)
            .field("booked", .int, .required)
            .field("topic", .string)
            .field("created_by", .string, .required)
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "desk", "day", "starts_at")
            .create()
        try await database.schema("appointments")
            .id()
            .field("slot_id", .uuid, .required, .references("appointment_slots", "id"))
            .field("enterprise_id", .uuid, .required, .references("enterprises", "id"))
            .field("uscc", .string, .required)
            .field("district_code", .string, .required)
            .field("park_code", .string)
            .field("topic", .string, .required)
            .field("question", .string, .required)
            .field("status", .string, .required)
            .field("note", .string)
            .field("booked_by", .string, .required)
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "appointment_slots_day").on("appointment_slots").column("day").column("desk").run()
        try await sql.create(index: "appointments_slot").on("appointments").column("slot_id").column("status").run()
        try await sql.create(index: "appointments_uscc").on("appointments").column("uscc").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("appointments").delete()
        try await database.schema("appointment_slots").delete()
    }
}
