import FluentKit

/// 015: the daily digests of warnings, one per recipient and day. The unique key is what makes the
/// digest job idempotent: running a day again, on any instance, writes nothing twice.
struct CreateDigests: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("digests")
            .id()
            .field("day", .string, .required)
            .field("recipient", .string, .required)
            .field("items", .string, .required)
            .field("escalated", .int, .required)
            .field("created_at", .datetime)
            .unique(on: "day", "recipient")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("digests").delete()
    }
}
