import FluentKit
import SQLKit

/// 017: indexes for the dashboard's grouped queries. Without `supersedes` indexed, leaving out
/// corrected decisions (`NOT EXISTS … WHERE s.supersedes = e.id`) scanned every event once per
/// decision: seconds at 20,000 applications.
struct IndexDashboardQueries: AsyncMigration {
    static let indexes: [(name: String, table: String, columns: [String])] = [
        ("application_events_supersedes", "application_events", ["supersedes"]),
        ("application_events_kind_on", "application_events", ["kind", "occurred_on"]),
        ("applications_accepted_on", "applications", ["accepted_on"]),
        ("products_district_stage", "products", ["district_code", "stage"]),
    ]

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for index in Self.indexes {
            let builder = sql.create(index: index.name).on(index.table)
            for column in index.columns { builder.column(column) }
            try await builder.run()
        }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for index in Self.indexes.reversed() { try await sql.drop(index: index.name).run() }
    }
}
