import Fluent
import Foundation
import TongdaoCore
import TongdaoStore
import Vapor

/// The clocks and warnings of applications, computed in memory from timelines loaded in bulk: the
/// procedure catalogue, the calendar and the warning policy are read once, never per row.
public struct ApplicationClocks: Sendable {
    let versions: ProcedureStore.VersionIndex
    public let calendar: WorkCalendar
    public let policy: WarningPolicy
    public let today: CivilDate

    static func load(on req: Request) async throws -> ApplicationClocks {
        try await load(on: req.db, calendar: req.application.calendars.current(on: req.db), asOf: ShanghaiClock.today())
    }

    public static func load(on database: any Database, calendar: WorkCalendar, asOf day: CivilDate) async throws -> ApplicationClocks {
        return ApplicationClocks(
            versions: try await ProcedureStore.versionIndex(on: database), calendar: calendar,
            policy: try await DigestStore.warningPolicy(on: database), today: day)
    }

    func version(of application: ApplicationModel) -> ProcedureVersion? {
        versions.version(of: application)
    }

    /// The clock as of the day; nil when the stored timeline no longer replays (it cannot, as events
    /// are checked before they are stored, unless the procedure catalogue lost the version).
    public func reading(_ application: ApplicationModel, _ events: [ApplicationEvent], asOf day: CivilDate? = nil) -> ReviewClock.Reading? {
        reading(procedure: application.procedureCode, version: application.procedureVersion, events, asOf: day)
    }

    /// The same, for an application known by its procedure and version only (no model loaded).
    func reading(procedure: String, version name: String, _ events: [ApplicationEvent], asOf day: CivilDate? = nil) -> ReviewClock.Reading? {
        guard let version = versions.version(procedure, name) else { return nil }
        return try? ApplicationLifecycle.read(
            events, version: version, asOf: day ?? today, calendar: calendar, amberFraction: policy.amberFraction
        ).clock
    }

    /// What needs attention on an open application today.
    func warnings(_ application: ApplicationModel, _ events: [ApplicationEvent]) -> [ApplicationWarning] {
        guard application.status.isOpen, let clock = reading(application, events) else { return [] }
        return policy.warnings(for: clock, asOf: today)
    }
}

/// The daily digest: each reviewer and responsible officer gets the warnings of their open
/// applications; red items also go to the district's officers and the city's regulators.
public enum DigestJob {
    public struct Summary: Sendable, Equatable, CustomStringConvertible {
        public var day: CivilDate
        public var applicationsWithWarnings: Int
        public var redItems: Int
        public var written: Int
        public var existing: Int

        public var description: String {
            "digest \(day): \(applicationsWithWarnings) applications need attention (\(redItems) red, escalated); "
                + "\(written) digests written, \(existing) already sent"
        }
    }

    /// The digests of a day, computed as of that day.
    public static func digests(
        on database: any Database, clocks: ApplicationClocks
    ) async throws -> (digests: [(recipient: String, items: [DigestItem])], withWarnings: Int, red: Int) {
        let supervisors = try await DigestStore.supervisors(on: database)
        var items: [String: [UUID: DigestItem]] = [:]
        var withWarnings = 0
        var red = 0
        func add(_ recipient: String, _ item: DigestItem) {
            if let earlier = items[recipient]?[item.applicationID] {
                items[recipient]?[item.applicationID]?.escalated = earlier.escalated || item.escalated
            } else {
                items[recipient, default: [:]][item.applicationID] = item
            }
        }
        try await DigestStore.forEachOpenApplication(on: database) { batch in
            for (application, events) in batch {
                let warnings = clocks.warnings(application, events)
                guard !warnings.isEmpty, let id = application.id else { continue }
                withWarnings += 1
                let item = DigestItem(
                    applicationID: id, applicationNumber: application.applicationNumber, warnings: warnings.map(\.message), escalated: false)
                for person in [application.reviewer, application.responsibleOfficer].compactMap({ $0 }) { add(person, item) }
                guard warnings.contains(where: \.isRed) else { continue }
                red += 1
                var escalated = item
                escalated.escalated = true
                for person in supervisors.city + (supervisors.byDistrict[application.district] ?? []) { add(person, escalated) }
            }
        }
        let digests = items.map { recipient, byID in
            (recipient, byID.values.sorted { ($0.escalated ? 0 : 1, $0.applicationNumber) < ($1.escalated ? 0 : 1, $1.applicationNumber) })
        }
        return (digests, withWarnings, red)
    }

    /// Computes and writes the digests of `day`; running a day again writes nothing new.
    public static func run(day: CivilDate, on database: any Database, calendar: WorkCalendar, by actor: AuditActor) async throws -> Summary {
        let clocks = try await ApplicationClocks.load(on: database, calendar: calendar, asOf: day)
        let computed = try await digests(on: database, clocks: clocks)
        let outcome = try await DigestStore.write(computed.digests, day: day, by: actor, on: database)
        return Summary(
            day: day, applicationsWithWarnings: computed.withWarnings, redItems: computed.red, written: outcome.written, existing: outcome.existing)
    }
}

/// A page of applications with their clocks today, for the API and the pages alike: SQL filters
/// first, then the clock's level or overdue state, which only the computed clock knows.
enum ApplicationListing {
    struct Item {
        var application: ApplicationModel
        var clock: ReviewClock.Reading?
    }

    static func page(
        _ filter: ApplicationStore.ListFilter, level: ReviewClock.Level?, overdue: Bool?, scope: ScopeFilter, limit: Int, after: PageCursor?,
        clocks: ApplicationClocks, on db: any Database
    ) async throws -> (items: [Item], next: PageCursor?) {
        var filter = filter
        filter.level = level
        filter.overdue = overdue
        filter.today = clocks.today
        let page = try await ApplicationStore.list(filter, scope: scope, limit: limit, after: after, on: db)
        return (page.items.map { Item(application: $0.application, clock: clocks.reading($0.application, $0.events)) }, page.next)
    }
}
