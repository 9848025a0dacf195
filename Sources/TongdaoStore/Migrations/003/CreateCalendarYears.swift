import FluentKit

/// 003: holiday schedules published after the release, added by an administrator. A year here
/// replaces the bundled schedule of the same year.
struct CreateCalendarYears: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("calendar_years")
            .field("year", .int, .identifier(auto: false))
            .field("schedule", .string, .required)
            .field("source", .string, .required)
            .field("imported_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("calendar_years").delete()
    }
}
