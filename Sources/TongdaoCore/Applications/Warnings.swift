import Foundation

/// When an application needs attention: configuration of the installation (stored as data in the
/// platform settings), not code.
public struct WarningPolicy: Codable, Sendable, Equatable {
    /// Amber once this share of the review limit is used (0.8: at 80 %).
    public var amberFraction: Double
    /// Warn this many calendar days before the applicant's one-year supplement window closes.
    public var supplementWarningDays: Int

    public static let standard = WarningPolicy(amberFraction: ReviewClock.amberFraction, supplementWarningDays: 30)

    public init(amberFraction: Double, supplementWarningDays: Int) {
        self.amberFraction = amberFraction
        self.supplementWarningDays = supplementWarningDays
    }

    public func problems() -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if !(amberFraction > 0 && amberFraction < 1) {
            problems.append(.init("amberFraction", "must be between 0 and 1 (0.8 is 80 % of the limit)", chinese: "须在 0 与 1 之间"))
        }
        if !(1...365).contains(supplementWarningDays) {
            problems.append(.init("supplementWarningDays", "must be between 1 and 365", chinese: "须在 1 至 365 天之间"))
        }
        return problems
    }

    /// What needs attention in a clock reading as of `asOf`.
    public func warnings(for clock: ReviewClock.Reading, asOf: CivilDate) -> [ApplicationWarning] {
        var warnings: [ApplicationWarning] = []
        if clock.state != .stopped, clock.limit > 0 {
            if clock.level == .red {
                let late = clock.deadline.map { "，期限 \($0)" } ?? ""
                warnings.append(ApplicationWarning(.overdue, "已超过审评时限 \(clock.used - clock.limit) 个工作日\(late)"))
            } else if clock.level == .amber {
                let due = clock.deadline.map { "，\($0) 到期" } ?? ""
                warnings.append(ApplicationWarning(.nearingLimit, "已用 \(clock.used)/\(clock.limit) 个工作日，剩余 \(clock.remaining) 个\(due)"))
            }
        }
        if let deadline = clock.supplementDeadline {
            if clock.supplementExpired {
                warnings.append(ApplicationWarning(.supplementExpired, "申请人补正期限已于 \(deadline) 届满，应不予注册"))
            } else if deadline.dayNumber - asOf.dayNumber <= supplementWarningDays {
                warnings.append(ApplicationWarning(.supplementClosing, "申请人补正期限 \(deadline) 将至（剩 \(deadline.dayNumber - asOf.dayNumber) 天）"))
            }
        }
        return warnings
    }
}

/// One reason an application needs attention.
public struct ApplicationWarning: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// Amber: most of the limit is used.
        case nearingLimit = "nearing_limit"
        /// Red: past the deadline.
        case overdue
        /// The applicant's supplement window closes soon.
        case supplementClosing = "supplement_closing"
        /// The applicant's supplement window has closed.
        case supplementExpired = "supplement_expired"
    }

    public var kind: Kind
    /// In Chinese, for pages and digests.
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// Red items are escalated to the supervisors.
    public var isRed: Bool { kind == .overdue || kind == .supplementExpired }
}

/// What a list needs to know of a clock to find its level on any later day without recomputing it:
/// stored with the application whenever an event is recorded, so that "red" and "amber" are `WHERE`
/// conditions on dates. A running clock is amber from `amberFrom` and red from `redFrom` (the first
/// day on which more than the limit is used); a clock that is not running keeps the level it had.
public struct ClockSnapshot: Sendable, Equatable {
    public var running: Bool
    public var amberFrom: CivilDate?
    public var redFrom: CivilDate?
    public var frozenLevel: ReviewClock.Level?
    /// The technical review, once completed (kept for the dashboard's review times).
    public var review: ReviewOutcome?
    /// The day of the approval decision in force, if the application was approved (for the dashboard).
    public var approvedOn: CivilDate?
    /// The events of the timeline in force that the review clock counts: the clock of any day is
    /// read from these alone (lists read them from the row instead of the whole timeline).
    public var clockEvents: [ClockEvent] = []

    public init(
        running: Bool, amberFrom: CivilDate?, redFrom: CivilDate?, frozenLevel: ReviewClock.Level?, review: ReviewOutcome? = nil,
        approvedOn: CivilDate? = nil
    ) {
        self.running = running
        self.amberFrom = amberFrom
        self.redFrom = redFrom
        self.frozenLevel = frozenLevel
        self.review = review
        self.approvedOn = approvedOn
    }

    /// The snapshot of a reading taken on `asOf`, for the same amber fraction the reading used.
    public static func of(_ reading: ReviewClock.Reading, asOf: CivilDate, amberFraction: Double, calendar: WorkCalendar) -> ClockSnapshot {
        guard reading.state == .running, reading.limit > 0 else {
            return ClockSnapshot(running: false, amberFrom: nil, redFrom: nil, frozenLevel: reading.level)
        }
        // The day on which `count` more working days than today's are used.
        func from(_ count: Int) -> CivilDate {
            count <= 0 ? asOf : (try? calendar.addingWorkingDays(count, to: asOf, provisional: true).value) ?? asOf
        }
        let amberAt = Int((amberFraction * Double(reading.limit)).rounded(.up))
        return ClockSnapshot(
            running: true, amberFrom: from(amberAt - reading.used), redFrom: from(reading.limit + 1 - reading.used), frozenLevel: nil)
    }

    /// The level on a day on or after the snapshot's.
    public func level(on day: CivilDate) -> ReviewClock.Level {
        guard running, let amberFrom, let redFrom else { return frozenLevel ?? .green }
        if day >= redFrom { return .red }
        return day >= amberFrom ? .amber : .green
    }
}

/// A completed technical review as the dashboard counts it: the day it was completed (by the
/// timeline in force) and the working days the review clock had used by then.
public struct ReviewOutcome: Sendable, Equatable {
    public var completedOn: CivilDate
    public var workingDays: Int

    public init(completedOn: CivilDate, workingDays: Int) {
        self.completedOn = completedOn
        self.workingDays = workingDays
    }
}

/// One application in a digest.
public struct DigestItem: Codable, Sendable, Equatable {
    public var applicationID: UUID
    public var applicationNumber: String
    public var warnings: [String]
    /// Red, and sent to this recipient as the district's or the city's supervisor.
    public var escalated: Bool

    public init(applicationID: UUID, applicationNumber: String, warnings: [String], escalated: Bool) {
        self.applicationID = applicationID
        self.applicationNumber = applicationNumber
        self.warnings = warnings
        self.escalated = escalated
    }
}
