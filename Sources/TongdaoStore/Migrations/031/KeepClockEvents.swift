import FluentKit
import Foundation
import SQLKit
import TongdaoCore

/// 031: the events an application's review clock counts (corrections applied) are kept on its row
/// with the rest of the clock snapshot, and written with it at every event: a list reads each
/// application's clock from its row (one query a page) instead of loading every timeline of the
/// page (about ten rows an application) and replaying them. Existing applications are filled in from
/// their timelines, in one transaction.
struct KeepClockEvents: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ApplicationModel.schema).field(FieldKey(stringLiteral: ApplicationModel.clockEventsColumn), .string).update()
        try await Self.fillIn(on: database)
    }

    /// Writes every application's clock events from its timeline, a thousand applications at a time.
    static func fillIn(on database: any Database) async throws {
        try await database.transaction { db in
            guard let sql = db as? any SQLDatabase else { return }
            var after: UUID?
            while true {
                let query = sql.select().column("id").from(ApplicationModel.schema).orderBy("id").limit(1_000)
                if let after { query.where("id", .greaterThan, after) }
                let ids = try await query.rows().map { try $0.uuid("id") }
                guard let last = ids.last else { return }
                let timelines = try await ApplicationStore.timelines(of: ids, on: db)
                for id in ids {
                    let events = ApplicationLifecycle.clockEvents(ofStored: timelines[id] ?? [])
                    try await sql.update(ApplicationModel.schema).set(ApplicationModel.clockEventsColumn, to: ClockEvent.storedText(of: events))
                        .where("id", .equal, id).run()
                }
                after = last
            }
        }
    }

    func revert(on database: any Database) async throws {
        // Fluent's SQLite driver alters tables only to add columns; SQLite itself drops one.
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("ALTER TABLE \(ident: ApplicationModel.schema) DROP COLUMN \(ident: ApplicationModel.clockEventsColumn)").run()
    }
}
