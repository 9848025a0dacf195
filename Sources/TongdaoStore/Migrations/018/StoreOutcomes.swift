import FluentKit
import Foundation
import SQLKit
import TongdaoCore

/// 018: what the dashboard counts of a timeline, kept on the application row as the clock snapshot
/// is (and refreshed with it at every event): the technical review's completion day and working days
/// used, and the day of the approval in force. Review times per quarter and approvals are then
/// grouped queries over `applications`, with no replay of timelines and no join to their events.
/// Existing applications are filled in from their timelines.
struct StoreOutcomes: AsyncMigration {
    static let columns: [(name: String, type: DatabaseSchema.DataType)] = [
        ("review_completed_on", .string), ("review_working_days", .int), ("approved_on", .string),
    ]
    /// Covering the dashboard's queries for every scope but one enterprise's: the rows are read from
    /// the index alone (2 ms instead of 15–25 at 20,000 applications on SQLite).
    static let indexes: [(name: String, columns: [String])] = [
        ("applications_procedure_review", ["procedure_code", "review_completed_on", "review_working_days", "district_code", "park_code"]),
        ("applications_approved_on", ["approved_on", "district_code", "park_code", "channel"]),
        // National innovative applications served this year and last: a range of the index, not a scan.
        ("applications_channel_accepted_on", ["channel", "accepted_on"]),
    ]

    /// The open applications whose clock is amber or red, for either kind of clock (running: by its
    /// dates; stopped: by the level it kept): at 300,000 applications a few milliseconds, not a scan.
    static let partialIndexes: [(name: String, columns: String, condition: String)] = [
        ("applications_running_red", "red_from, district_code, park_code", "is_open AND clock_running"),
        ("applications_running_amber", "amber_from, red_from, district_code, park_code", "is_open AND clock_running"),
        ("applications_stopped_level", "frozen_level, district_code, park_code", "is_open AND NOT clock_running"),
    ]

    func prepare(on database: any Database) async throws {
        // One column a statement: Fluent's SQLite driver adds one at a time.
        for column in Self.columns {
            try await database.schema("applications").field(FieldKey(stringLiteral: column.name), column.type).update()
        }
        guard let sql = database as? any SQLDatabase else { return }
        for index in Self.indexes {
            let builder = sql.create(index: index.name).on("applications")
            for column in index.columns { builder.column(column) }
            try await builder.run()
        }
        for index in Self.partialIndexes {
            try await sql.raw(
                "CREATE INDEX \(unsafeRaw: index.name) ON applications (\(unsafeRaw: index.columns)) WHERE \(unsafeRaw: index.condition)"
            ).run()
        }

        let ids = try await sql.select().distinct().column("application_id").from("application_events")
            .where("kind", .in, [ApplicationEventKind.reviewCompleted.rawValue, ApplicationEventKind.decisionMade.rawValue]).all()
            .map { try $0.decode(column: "application_id", as: UUID.self) }
        guard !ids.isEmpty else { return }
        let calendar = try await CalendarStore.load(on: database)
        let versions = try await ProcedureStore.versionIndex(on: database)
        for start in stride(from: 0, to: ids.count, by: 1_000) {
            let chunk = Array(ids[start..<min(start + 1_000, ids.count)])
            let timelines = try await ApplicationStore.timelines(of: chunk, on: database)
            for application in try await ApplicationModel.query(on: database).filter(\.$id ~~ chunk).all() {
                guard let id = application.id, let version = versions.version(of: application) else { continue }
                let inForce = ApplicationLifecycle.effective(timelines[id] ?? [])
                let review = ApplicationLifecycle.reviewOutcome(inForce, version: version, calendar: calendar)
                try await sql.update("applications")
                    .set("review_completed_on", to: review?.completedOn.description)
                    .set("review_working_days", to: review?.workingDays)
                    .set("approved_on", to: ApplicationLifecycle.approvedOn(inForce)?.description)
                    .where("id", .equal, id).run()
            }
        }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for index in Self.partialIndexes.reversed() { try await sql.drop(index: index.name).run() }
        for index in Self.indexes.reversed() { try await sql.drop(index: index.name).run() }
        for column in Self.columns.reversed() { try await sql.raw("ALTER TABLE applications DROP COLUMN \(ident: column.name)").run() }
    }
}
