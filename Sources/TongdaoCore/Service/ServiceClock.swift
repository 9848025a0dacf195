import Foundation

/// What happened to a consultation, as far as its clock is concerned.
public enum ConsultationEventKind: String, LabelledCode {
    /// 提出咨询: the clock starts (the day itself not counted).
    case asked
    /// 请企业补充说明: the officer asks the enterprise to clarify — a first response; the clock stops.
    case requestedInfo = "requested_info"
    /// 企业补充说明 / 追问: the enterprise answers a request or asks again after an answer; the clock runs again.
    case enterpriseReplied = "enterprise_replied"
    /// 答复: the officer answers — a first response if it is the first; the clock stops, the question waits for the enterprise.
    case answered
    /// 转办: handed to another station or to the regulator (no effect on the clock).
    case transferred
    /// 评价: the enterprise rates the answer; the consultation is closed.
    case rated
    /// 撤回: the enterprise withdraws the question; closed.
    case withdrawn

    public var label: String {
        switch self {
        case .asked: "提出咨询"
        case .requestedInfo: "请企业补充说明"
        case .enterpriseReplied: "企业补充说明或追问"
        case .answered: "答复"
        case .transferred: "转办"
        case .rated: "评价"
        case .withdrawn: "撤回"
        }
    }
}

/// Where a consultation stands, from its events.
public enum ConsultationStatus: String, LabelledCode {
    /// 待答复: with the station or the regulator, the clock running.
    case open
    /// 待企业补充: waiting on the enterprise, the clock stopped.
    case awaitingEnterprise = "awaiting_enterprise"
    /// 已答复: answered, waiting for the enterprise's rating or a further question.
    case answered
    /// 已办结: rated.
    case closed
    /// 已撤回
    case withdrawn

    public var label: String {
        switch self {
        case .open: "待答复"
        case .awaitingEnterprise: "待企业补充"
        case .answered: "已答复待评价"
        case .closed: "已办结"
        case .withdrawn: "已撤回"
        }
    }

    /// Whether the consultation still asks something of someone.
    public var isActive: Bool { self == .open || self == .awaitingEnterprise || self == .answered }
}

/// The working-day clock of a consultation (咨询时限), recomputed from its events and the calendar.
///
/// Counting follows the review clock's conventions: the day of the question is not counted; a stop
/// on day S (a request to clarify, an answer) counts S and leaves out the working days after it; a
/// reply on day E starts counting again after E. So the days waiting on the enterprise never count,
/// however long it takes and whatever holidays fall meanwhile, and an adjusted working Saturday
/// counts like any working day.
///
/// Two targets: the **first response** (an answer or a request to clarify) within
/// `Targets.firstResponse` working days after the question; the **resolution** (the answer that
/// stands) within `Targets.resolution` working days of the clock running. Each is amber once
/// `amberFraction` of it is used, red once more than all of it is used (the day after the deadline
/// counts), escalated once `escalateAfter` working days past the deadline (at least one).
public enum ServiceClock {
    /// The targets a consultation keeps from the policy in force on the day it was asked.
    public struct Targets: Sendable, Equatable, Codable {
        public var firstResponse: Int
        public var resolution: Int
        public var amberFraction: Double
        public var escalateAfter: Int

        public init(firstResponse: Int, resolution: Int, amberFraction: Double, escalateAfter: Int) {
            self.firstResponse = firstResponse
            self.resolution = resolution
            self.amberFraction = amberFraction
            self.escalateAfter = escalateAfter
        }
    }

    public struct Event: Sendable, Equatable {
        public var kind: ConsultationEventKind
        public var on: CivilDate

        public init(_ kind: ConsultationEventKind, on: CivilDate) {
            self.kind = kind
            self.on = on
        }
    }

    /// One target as of a day.
    public struct Target: Sendable, Equatable {
        public var limit: Int
        /// Working days counted so far (to the day it was met, or the as-of day).
        public var used: Int
        public var remaining: Int { limit - used }
        /// The day it was met (the first response; the last answer), if it was.
        public var metOn: CivilDate?
        /// When the limit runs out. While the clock is stopped: the day it would if the clock ran
        /// again today; nil once met.
        public var deadline: CivilDate?
        public var level: ReviewClock.Level
        /// Met within its limit (nil while pending).
        public var withinTarget: Bool? { metOn == nil ? nil : used <= limit }
    }

    public struct Reading: Sendable, Equatable {
        public var status: ConsultationStatus
        /// Whether the clock counts today.
        public var running: Bool
        public var firstResponse: Target
        public var resolution: Target
        /// The target now pending (the first response until there is one, then the resolution), if any.
        public var pending: Target? {
            guard status.isActive else { return nil }
            return firstResponse.metOn == nil ? firstResponse : (status == .answered ? nil : resolution)
        }
        /// The pending target's level, green when nothing is pending.
        public var level: ReviewClock.Level { pending?.level ?? .green }
        /// Past a pending target by `escalateAfter` working days or more.
        public var escalated: Bool
        /// Whether a day in a year without a published holiday schedule was counted (weekends only).
        public var provisional: Bool
    }

    /// A reading for a consultation whose stored events cannot be read: its status, nothing counted.
    public static func unread(status: ConsultationStatus, targets: Targets) -> Reading {
        Reading(
            status: status, running: false, firstResponse: Target(limit: targets.firstResponse, used: 0, level: .green),
            resolution: Target(limit: targets.resolution, used: 0, level: .green), escalated: false, provisional: false)
    }

    /// An event that cannot follow the ones before it.
    public struct Rejection: Error, Equatable, Sendable {
        public var index: Int
        public var reason: String
        public var chinese: String
    }

    /// The status after `events` (nil for none), and which event may come next.
    public static func status(after kinds: [ConsultationEventKind]) -> ConsultationStatus? {
        var status: ConsultationStatus?
        for kind in kinds { status = next(status, kind) ?? status }
        return status
    }

    /// The status an event leads to from `status`, or nil if it cannot happen there.
    public static func next(_ status: ConsultationStatus?, _ kind: ConsultationEventKind) -> ConsultationStatus? {
        switch (status, kind) {
        case (nil, .asked): .open
        case (.open?, .requestedInfo): .awaitingEnterprise
        case (.open?, .answered): .answered
        case (.awaitingEnterprise?, .enterpriseReplied), (.answered?, .enterpriseReplied): .open
        case (.open?, .transferred): .open
        case (.answered?, .rated): .closed
        case (.open?, .withdrawn), (.awaitingEnterprise?, .withdrawn): .withdrawn
        default: nil
        }
    }

    public static func read(events: [Event], targets: Targets, asOf: CivilDate, calendar: WorkCalendar) throws(Rejection) -> Reading {
        var provisional = false
        func between(_ from: CivilDate, _ to: CivilDate) -> Int {
            guard to > from, let answer = try? calendar.workingDays(from: from, to: to, provisional: true) else { return 0 }
            provisional = provisional || answer.provisional
            return answer.value
        }
        func shifting(_ days: Int, from: CivilDate) -> CivilDate? {
            guard let answer = try? calendar.shiftingWorkingDays(days, from: from, provisional: true) else { return nil }
            provisional = provisional || answer.provisional
            return answer.value
        }
        guard let first = events.first, first.kind == .asked else {
            throw Rejection(index: 0, reason: "a consultation starts with its question", chinese: "咨询须以提出问题开始")
        }
        var current: ConsultationStatus?
        var runningSince: CivilDate? = first.on
        var usedBefore = 0
        var firstResponseOn: CivilDate?
        var answeredOn: CivilDate?
        var last = first.on
        for (index, event) in events.enumerated() {
            guard event.on >= last else {
                throw Rejection(index: index, reason: "is before the event it follows", chinese: "日期不能早于上一事件")
            }
            guard let after = next(current, event.kind) else {
                throw Rejection(
                    index: index, reason: "cannot follow \(current?.rawValue ?? "nothing")",
                    chinese: "咨询\(current.map { "“\($0.label)”" } ?? "尚未提出")时不能\(event.kind.label)")
            }
            last = event.on
            switch event.kind {
            case .requestedInfo, .answered, .withdrawn:
                if let since = runningSince { usedBefore += between(since, event.on) }
                runningSince = nil
                if event.kind != .withdrawn, firstResponseOn == nil { firstResponseOn = event.on }
                answeredOn = event.kind == .answered ? event.on : nil
            case .enterpriseReplied:
                runningSince = event.on
                answeredOn = nil
            case .asked, .transferred, .rated:
                break
            }
            current = after
        }
        let status = current ?? .open
        let used = usedBefore + (runningSince.map { between($0, asOf) } ?? 0)

        func level(_ used: Int, _ limit: Int) -> ReviewClock.Level {
            if used > limit { .red } else if Double(used) >= targets.amberFraction * Double(limit) { .amber } else { .green }
        }
        // The first response: no stop can come before it, so its days run straight from the question.
        let firstUsed = between(first.on, firstResponseOn ?? (status.isActive ? asOf : last))
        let firstDeadline = firstResponseOn == nil ? shifting(targets.firstResponse, from: first.on) : nil
        let firstResponse = Target(
            limit: targets.firstResponse, used: firstUsed, metOn: firstResponseOn, deadline: firstDeadline,
            level: level(firstUsed, targets.firstResponse))
        // The resolution: while running, the deadline lies `limit − used before` working days after
        // the clock started again (before it, for a clock already past its limit when it stopped);
        // while stopped, that many after today.
        let resolved = status == .answered || status == .closed
        let deadline: CivilDate? =
            resolved || !status.isActive ? nil : shifting(targets.resolution - usedBefore, from: runningSince ?? asOf)
        let resolution = Target(
            limit: targets.resolution, used: used, metOn: resolved ? answeredOn ?? last : nil, deadline: deadline,
            level: level(used, targets.resolution))
        var reading = Reading(
            status: status, running: runningSince != nil && status.isActive, firstResponse: firstResponse, resolution: resolution,
            escalated: false, provisional: provisional)
        if let pending = reading.pending, pending.used - pending.limit >= max(targets.escalateAfter, 1) { reading.escalated = true }
        return reading
    }

    /// What a list needs to order and filter running clocks in SQL without recomputing them: the
    /// pending target's deadline and the days it turns amber, red and escalated. Nil while the
    /// clock is stopped or the consultation is done.
    public struct Snapshot: Sendable, Equatable {
        public var dueOn: CivilDate
        public var amberOn: CivilDate
        public var redOn: CivilDate
        public var escalateOn: CivilDate

        public init(dueOn: CivilDate, amberOn: CivilDate, redOn: CivilDate, escalateOn: CivilDate) {
            self.dueOn = dueOn
            self.amberOn = amberOn
            self.redOn = redOn
            self.escalateOn = escalateOn
        }
    }

    public static func snapshot(of reading: Reading, targets: Targets, calendar: WorkCalendar) -> Snapshot? {
        guard reading.running, let pending = reading.pending, let due = pending.deadline else { return nil }
        func shifting(_ days: Int) -> CivilDate {
            (try? calendar.shiftingWorkingDays(days, from: due, provisional: true).value) ?? due
        }
        // Amber from the day the used share reaches the fraction: ⌈fraction × limit⌉ used.
        let amberUsed = Int((targets.amberFraction * Double(pending.limit)).rounded(.up))
        return Snapshot(
            dueOn: due, amberOn: shifting(amberUsed - pending.limit), redOn: shifting(1),
            escalateOn: shifting(max(targets.escalateAfter, 1)))
    }
}

extension ServiceClock.Event {
    /// The events as a consultation row keeps them: `kind YYYY-MM-DD`, joined by `;`.
    public static func storedText(of events: [ServiceClock.Event]) -> String {
        events.map { "\($0.kind.rawValue) \($0.on)" }.joined(separator: ";")
    }

    /// The events of `storedText(of:)`; nil for a text it did not write.
    public static func events(storedText text: String) -> [ServiceClock.Event]? {
        guard !text.isEmpty else { return [] }
        var events: [ServiceClock.Event] = []
        for item in text.split(separator: ";", omittingEmptySubsequences: false) {
            let parts = item.split(separator: " ")
            guard parts.count == 2, let kind = ConsultationEventKind(rawValue: String(parts[0])), let on = CivilDate(parts[1]) else { return nil }
            events.append(ServiceClock.Event(kind, on: on))
        }
        return events
    }
}
