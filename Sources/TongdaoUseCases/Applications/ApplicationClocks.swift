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

    func version(of application: ApplicationModel) -> ProcedureVersion? {
        versions.version(of: application)
    }

    /// The clock of a stored timeline as of the day; nil when the procedure catalogue lost the
    /// version it was accepted under. Its events were checked against the lifecycle one by one as
    /// they were recorded, so they are not replayed again.
    public func reading(procedure: String, version name: String, _ events: [ApplicationEvent], asOf day: CivilDate? = nil) -> ReviewClock.Reading? {
        reading(procedure: procedure, version: name, clockEvents: ApplicationLifecycle.clockEvents(ofStored: events), asOf: day)
    }

    /// The clock as of the day read from the events it counts (what an application row keeps).
    func reading(procedure: String, version name: String, clockEvents: [ClockEvent], asOf day: CivilDate? = nil) -> ReviewClock.Reading? {
        guard let version = versions.version(procedure, name) else { return nil }
        return try? ReviewClock.read(
            version: version, events: clockEvents, asOf: day ?? today, calendar: calendar, amberFraction: policy.amberFraction)
    }

    public func reading(_ application: ApplicationModel, _ events: [ApplicationEvent]) -> ReviewClock.Reading? {
        reading(procedure: application.procedureCode, version: application.procedureVersion, events)
    }

    /// An application with its clock today, as `caller` may read it.
    func item(_ application: ApplicationModel, _ events: [ApplicationEvent], for caller: Caller) throws -> ApplicationItem {
        item(try application.row, events, for: caller)
    }

    func item(_ application: ApplicationRow, _ events: [ApplicationEvent], for caller: Caller) -> ApplicationItem {
        item(application, clockEvents: ApplicationLifecycle.clockEvents(ofStored: events), for: caller)
    }

    func item(_ application: ApplicationRow, clockEvents: [ClockEvent], for caller: Caller) -> ApplicationItem {
        ApplicationItem(
            application: ApplicationRecord(application, confidential: caller.may(.readConfidentialReview)),
            clock: reading(procedure: application.procedureCode, version: application.procedureVersion, clockEvents: clockEvents), asOf: today)
    }

    /// What needs attention on an open application today.
    func warnings(_ application: ApplicationModel, _ events: [ApplicationEvent]) -> [ApplicationWarning] {
        guard application.status.isOpen, let clock = reading(application, events) else { return [] }
        return policy.warnings(for: clock, asOf: today)
    }
}

extension ApplicationClocks {
    init(_ reference: ClockReference, today: CivilDate) {
        self.init(versions: reference.versions, calendar: reference.calendar, policy: reference.policy, today: today)
    }

    /// The clocks with the procedure versions and the policy read now (a one-off read; the platform's
    /// reads share theirs: `Platform.references`).
    public static func load(on database: any Database, calendar: WorkCalendar, asOf day: CivilDate) async throws -> ApplicationClocks {
        ApplicationClocks(try await ClockReference.load(on: database, calendar: calendar), today: day)
    }
}

extension ClockReference {
    static func load(on database: any Database, calendar: WorkCalendar) async throws -> ClockReference {
        ClockReference(
            calendar: calendar, versions: try await ProcedureStore.versionIndex(on: database),
            policy: try await DigestStore.warningPolicy(on: database))
    }
}

extension Platform {
    /// The clocks of applications as of today, with the installation's calendar, procedure versions
    /// and policy (read once for many reads: `ClockReferenceCache`).
    func clocks(asOf day: CivilDate? = nil) async throws -> ApplicationClocks {
        let reference = try await references.current(of: summaries) { [self] in
            try await ClockReference.load(on: database, calendar: calendar())
        }
        return ApplicationClocks(reference, today: day ?? clock.today())
    }
}
