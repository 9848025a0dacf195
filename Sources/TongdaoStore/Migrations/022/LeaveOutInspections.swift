import FluentKit
import Foundation
import SQLKit
import TongdaoCore

/// 022: the QMS inspection's time is no longer counted on the review clock (it runs on a clock of its
/// own, registration measures: periods not counted). The stored clock snapshot and review outcome of
/// every application with an inspection on its timeline are recomputed under that rule, as of the
/// day the migration runs (in Shanghai); no other row changes.
struct LeaveOutInspections: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        let kinds = [ApplicationEventKind.qmsInspectionStarted.rawValue, ApplicationEventKind.qmsInspectionCompleted.rawValue]
        let ids = try await sql.select().distinct().column("application_id").from("application_events").where("kind", .in, kinds).all()
            .map { try $0.decode(column: "application_id", as: UUID.self) }
        guard !ids.isEmpty else { return }
        let calendar = try await CalendarStore.load(on: database)
        let versions = try await ProcedureStore.versionIndex(on: database)
        let policy = try await DigestStore.warningPolicy(on: database)
        let today = ShanghaiTime.day(of: Date())
        for start in stride(from: 0, to: ids.count, by: 1_000) {
            let chunk = Array(ids[start..<min(start + 1_000, ids.count)])
            let timelines = try await ApplicationStore.timelines(of: chunk, on: database)
            for application in try await ApplicationModel.query(on: database).filter(\.$id ~~ chunk).all() {
                guard let id = application.id, let version = versions.version(of: application),
                    let stored = try? ApplicationLifecycle.stored(
                        timelines[id] ?? [], version: version, asOf: today, calendar: calendar, amberFraction: policy.amberFraction)
                else { continue }
                let snapshot = stored.snapshot
                try await sql.update("applications")
                    .set("clock_running", to: snapshot.running)
                    .set("amber_from", to: snapshot.amberFrom?.description)
                    .set("red_from", to: snapshot.redFrom?.description)
                    .set("frozen_level", to: snapshot.frozenLevel?.rawValue)
                    .set("review_completed_on", to: snapshot.review?.completedOn.description)
                    .set("review_working_days", to: snapshot.review?.workingDays)
                    .set("approved_on", to: snapshot.approvedOn?.description)
                    .where("id", .equal, id).run()
            }
        }
    }

    /// Nothing to take back: the snapshots are what the events and the rule make of them.
    func revert(on database: any Database) async throws {}
}
