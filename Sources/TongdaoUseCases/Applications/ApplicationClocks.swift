import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

/// The clocks and warnings of applications, computed in memory from timelines loaded in bulk: the
/// procedure catalogue, the calendar and the warning policy are read once, never per row.
public struct ApplicationClocks: Sendable {
    let versions: ProcedureStore.VersionIndex
    public let calendar: WorkCalendar
    public let policy: WarningPolicy
    public let today: CivilDate

    public static func load(on database: any Database, calendar: WorkCalendar, asOf day: CivilDate) async throws -> ApplicationClocks {
        ApplicationClocks(
            versions: try await ProcedureStore.versionIndex(on: database), calendar: calendar,
            policy: try await DigestStore.warningPolicy(on: database), today: day)
    }

    func version(of application: ApplicationModel) -> ProcedureVersion? {
        versions.version(of: application)
    }

    /// The clock as of the day; nil when the stored timeline no longer replays (it cannot, as events
    /// are checked before they are stored, unless the procedure catalogue lost the version).
    public func reading(procedure: String, version name: String, _ events: [ApplicationEvent], asOf day: CivilDate? = nil) -> ReviewClock.Reading? {
        guard let version = versions.version(procedure, name) else { return nil }
        return try? ApplicationLifecycle.read(events, version: version, asOf: day ?? today, calendar: calendar, amberFraction: policy.amberFraction)
            .clock
    }

    public func reading(_ application: ApplicationModel, _ events: [ApplicationEvent]) -> ReviewClock.Reading? {
        reading(procedure: application.procedureCode, version: application.procedureVersion, events)
    }

    /// An application with its clock today, as `caller` may read it.
    func item(_ application: ApplicationModel, _ events: [ApplicationEvent], for caller: Caller) throws -> ApplicationItem {
        item(try application.row, events, for: caller)
    }

    func item(_ application: ApplicationRow, _ events: [ApplicationEvent], for caller: Caller) -> ApplicationItem {
        ApplicationItem(
            application: ApplicationRecord(application, confidential: caller.may(.readConfidentialReview)),
            clock: reading(procedure: application.procedureCode, version: application.procedureVersion, events), asOf: today)
    }

    /// What needs attention on an open application today.
    func warnings(_ application: ApplicationModel, _ events: [ApplicationEvent]) -> [ApplicationWarning] {
        guard application.status.isOpen, let clock = reading(application, events) else { return [] }
        return policy.warnings(for: clock, asOf: today)
    }
}

extension Platform {
    /// The clocks of applications as of today, with the installation's calendar and policy.
    func clocks(asOf day: CivilDate? = nil) async throws -> ApplicationClocks {
        try await ApplicationClocks.load(on: database, calendar: calendar(), asOf: day ?? clock.today())
    }
}
