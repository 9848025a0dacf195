/// An event on an application's timeline, as far as the review clock is concerned.
public struct ClockEvent: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case accepted
        case supplementRequested = "supplement_requested"
        case supplementReceived = "supplement_received"
        case expertReviewStarted = "expert_review_started"
        case expertReviewEnded = "expert_review_ended"
        case suspended
        case resumed
        case extensionGranted = "extension_granted"
        case reviewCompleted = "review_completed"
        case decisionMade = "decision_made"
        case withdrawn
        /// The QMS inspection (注册质量管理体系核查): its time is not counted on the review clock,
        /// it runs on a clock of its own.
        case qmsInspectionStarted = "qms_inspection_started"
        case qmsInspectionCompleted = "qms_inspection_completed"
    }

    public var kind: Kind
    public var on: CivilDate
    /// Working days, for `extension_granted`.
    public var days: Int?

    public init(_ kind: Kind, on: CivilDate, days: Int? = nil) {
        self.kind = kind
        self.on = on
        self.days = days
    }
}

extension ClockEvent {
    /// The events as an application row keeps them: `kind YYYY-MM-DD[ days]`, joined by `;`
    /// (`accepted 2026-03-02;extension_granted 2026-05-06 30`).
    public static func storedText(of events: [ClockEvent]) -> String {
        events.map { event in
            "\(event.kind.rawValue) \(event.on)" + (event.days.map { " \($0)" } ?? "")
        }.joined(separator: ";")
    }

    /// The events of `storedText(of:)`; nil for a text it did not write. Read byte by byte: a list
    /// reads one for each of its rows.
    public static func events(storedText text: String) -> [ClockEvent]? {
        var text = text
        return text.withUTF8 { bytes -> [ClockEvent]? in
            guard !bytes.isEmpty else { return [] }
            var events: [ClockEvent] = []
            var start = 0
            while true {
                var end = start
                while end < bytes.count, bytes[end] != UInt8(ascii: ";") { end += 1 }
                guard let event = event(UnsafeBufferPointer(rebasing: bytes[start..<end])) else { return nil }
                events.append(event)
                guard end < bytes.count else { return events }
                start = end + 1
            }
        }
    }

    private static let kinds = Kind.allCases.map { (text: Array($0.rawValue.utf8), kind: $0) }

    /// `kind YYYY-MM-DD[ days]`.
    private static func event(_ item: UnsafeBufferPointer<UInt8>) -> ClockEvent? {
        guard let space = item.firstIndex(of: UInt8(ascii: " ")),
            let kind = kinds.first(where: { $0.text.elementsEqual(item[..<space]) })?.kind, item.count >= space + 11,
            let on = CivilDate(ascii: item[space + 1..<space + 11])
        else { return nil }
        let rest = item[(space + 11)...]
        guard let separator = rest.first else { return ClockEvent(kind, on: on) }
        guard separator == UInt8(ascii: " "), (2...10).contains(rest.count), let days = CivilDate.number(rest.dropFirst()) else { return nil }
        return ClockEvent(kind, on: on, days: days)
    }
}

/// The review clock (审评时限) of one application, recomputed from its events and the calendar.
///
/// Counting conventions, all following "the start day is not counted" (民法典 Art. 201):
/// * the review limit counts working days after the acceptance day;
/// * a pause (expert review, legal suspension) that starts on day P and ends on day E leaves out the
///   working days in (P, E]: P was worked, counting resumes after E;
/// * a supplement request on S stops the clock after S; for devices the supplement received on R
///   starts a fresh limit counted after R, for drugs the same clock continues after R with its limit
///   grown by a fraction (⅓, or ¼ for priority review);
/// * a QMS inspection started on Q and completed on C leaves out the working days in (Q, C], like a
///   pause, whatever else stops the clock meanwhile; it has a limit of its own (the procedure's
///   `qmsInspection`, 30 working days for Class III) counted the same way, and is to be started
///   within 10 working days after acceptance;
/// * an extension adds working days to the current limit, at most half of that limit in all (Order 47);
/// * the applicant has one calendar year from the request to supplement; after that the
///   application is refused.
public enum ReviewClock {
    public enum Phase: String, Sendable, CaseIterable {
        /// 技术审评
        case review
        /// 补正资料 — waiting for the applicant; the review clock is stopped.
        case supplement
        /// 审批决定
        case decision
        /// 已作出审批决定
        case decided
        /// 已撤回
        case withdrawn
    }

    public enum State: String, Sendable, CaseIterable {
        case running, paused, stopped
    }

    public enum Level: String, Sendable, CaseIterable, Codable {
        /// Under 80 % of the limit used.
        case green
        /// 80 % or more used.
        case amber
        /// Past the deadline.
        case red

        /// As pages and exports name it.
        public var label: String {
            switch self {
            case .green: "正常"
            case .amber: "预警"
            case .red: "超期"
            }
        }
    }

    /// One stretch of the timeline and what it did to the clock.
    public struct Segment: Sendable, Equatable {
        public enum Kind: String, Sendable, CaseIterable {
            case counting, paused, supplement, `extension`, inspection
        }

        public var kind: Kind
        public var from: CivilDate
        public var to: CivilDate
        /// Working days in (from, to]: counted for `counting`, left out for the others; for
        /// `extension`, the days added.
        public var workingDays: Int
        public var note: String
    }

    public struct Reading: Sendable, Equatable {
        public var phase: Phase
        public var state: State
        /// The current phase's limit, extensions included.
        public var limit: Int
        public var used: Int
        public var remaining: Int
        /// When the limit runs out; while paused, the date it would run out if the clock ran again today.
        public var deadline: CivilDate?
        public var level: Level
        /// The last day for the applicant's supplement, while one is awaited.
        public var supplementDeadline: CivilDate?
        public var supplementExpired: Bool
        /// True when a date in a year without a published holiday schedule was counted (weekends only).
        public var provisional: Bool
        public var segments: [Segment]
        /// The QMS inspection's own clock, for a procedure with one or a timeline with an inspection.
        public var inspection: Inspection?
        /// The limit started again after a supplement (devices: 补正后重新计算), and the day it did.
        public var restartedOn: CivilDate?
    }

    /// The QMS inspection's own clock (the last inspection, when there were several).
    public struct Inspection: Sendable, Equatable {
        /// The last day to start it: 10 working days after acceptance.
        public var startBy: CivilDate?
        public var startedOn: CivilDate?
        public var completedOn: CivilDate?
        /// Its limit in working days (the procedure's), if it has one.
        public var limit: Int?
        /// Working days it took, or has taken so far: in (start, completion or the as-of day].
        public var used: Int
        /// When its limit runs out.
        public var deadline: CivilDate?
        /// Started after `startBy`, or not started though `startBy` has passed.
        public var late: Bool
        public var level: Level
    }

    /// Working days after acceptance within which the QMS inspection is to start.
    public static let inspectionStartWithin = 10

    /// An event that cannot happen where it stands: why, in English (the API) and in Chinese (the
    /// pages), and the field of the event at fault, so a form shows the reason next to it.
    public struct Rejection: Error, Equatable, Sendable, CustomStringConvertible {
        /// Index of the event in the list given.
        public var index: Int
        public var event: String
        public var reason: String
        public var chinese: String
        /// The event's field the reason is about: `type` for the event itself, or `on`, `days`,
        /// `decision`, `certificate`, `reason`.
        public var field: String
        public var description: String { "event \(index) (\(event)): \(reason)" }

        public init(index: Int, event: String, reason: String, chinese: String, field: String = "type") {
            self.index = index
            self.event = event
            self.reason = reason
            self.chinese = chinese
            self.field = field
        }
    }

    /// The default amber threshold as a fraction of the limit; installations set their own
    /// (`WarningPolicy`, stored in the platform settings).
    public static let amberFraction = 0.8

    private struct Run {
        var phase: Phase = .review
        var limit = 0
        var baseLimit = 0
        var extended = 0
        /// Working days counted on this clock before `resumedAfter`.
        var usedBefore = 0
        /// Counting continues with the working days after this date.
        var resumedAfter: CivilDate
        var paused: (kind: ClockEvent.Kind, since: CivilDate)?
        var supplementRequestedOn: CivilDate?
        var crossedOn: CivilDate?
        /// A QMS inspection under way since this day: the clock does not count meanwhile.
        var inspectingSince: CivilDate?

        /// Whether the review clock counts now.
        var counting: Bool { (phase == .review || phase == .decision) && paused == nil && inspectingSince == nil }
    }

    public static func read(
        version: ProcedureVersion, events: [ClockEvent], asOf: CivilDate, calendar: WorkCalendar, amberFraction: Double = amberFraction
    ) throws(Rejection) -> Reading {
        var provisional = false
        func between(_ from: CivilDate, _ to: CivilDate) -> Int {
            guard let answer = try? calendar.workingDays(from: from, to: to, provisional: true) else { return 0 }
            provisional = provisional || answer.provisional
            return answer.value
        }
        func adding(_ days: Int, to date: CivilDate) -> CivilDate? {
            guard let answer = try? calendar.addingWorkingDays(max(days, 0), to: date, provisional: true) else { return nil }
            provisional = provisional || answer.provisional
            return answer.value
        }
        func reject(_ index: Int, _ reason: String, _ chinese: String, field: String = "type") -> Rejection {
            Rejection(index: index, event: events[index].kind.rawValue, reason: reason, chinese: chinese, field: field)
        }

        guard let first = events.first else {
            throw Rejection(index: 0, event: "accepted", reason: "the timeline must start with accepted", chinese: "时间线须以受理开始")
        }
        guard first.kind == .accepted else { throw reject(0, "the timeline must start with accepted", "时间线须以受理开始") }
        var run = Run(limit: version.review, baseLimit: version.review, resumedAfter: first.on)
        var segments: [Segment] = []
        var inspections: [(started: CivilDate, completed: CivilDate?)] = []
        var restartedOn: CivilDate?

        /// Counts the running stretch up to `end` and records it.
        func closeStretch(_ run: inout Run, at end: CivilDate, note: String) {
            let counted = between(run.resumedAfter, end)
            if run.crossedOn == nil, run.usedBefore + counted > run.limit {
                run.crossedOn = adding(run.limit - run.usedBefore, to: run.resumedAfter)
            }
            segments.append(Segment(kind: .counting, from: run.resumedAfter, to: end, workingDays: counted, note: note))
            run.usedBefore += counted
            run.resumedAfter = end
        }

        for index in events.indices.dropFirst() {
            let event = events[index]
            guard event.on >= events[index - 1].on else {
                throw reject(
                    index, "is dated \(event.on), before the event before it (\(events[index - 1].on))",
                    "日期 \(event.on) 早于前一事件（\(events[index - 1].on)）", field: "on")
            }
            guard event.on <= asOf else {
                throw reject(index, "is dated \(event.on), after the as-of date \(asOf)", "日期 \(event.on) 晚于计算日 \(asOf)", field: "on")
            }
            let phaseName = label(run.phase)
            switch event.kind {
            case .accepted:
                throw reject(index, "the application was already accepted", "该申报事项已受理")
            case .supplementRequested:
                guard run.phase == .review, run.paused == nil else {
                    throw reject(index, "a supplement can only be requested while the review clock runs", "只有在审评计时期间才能发出补正通知")
                }
                if run.counting { closeStretch(&run, at: event.on, note: phaseName) }
                run.phase = .supplement
                run.supplementRequestedOn = event.on
            case .supplementReceived:
                guard run.phase == .supplement, let requested = run.supplementRequestedOn else {
                    throw reject(index, "no supplement was requested", "尚未发出补正通知")
                }
                let window = oneYearAfter(requested)
                guard event.on <= window else {
                    throw reject(
                        index, "arrived after the supplement window closed on \(window)", "补正资料晚于补正期限（\(window)）", field: "on")
                }
                segments.append(
                    Segment(kind: .supplement, from: requested, to: event.on, workingDays: between(requested, event.on), note: "补正资料（不计入审评时限）"))
                switch version.afterSupplement {
                case .fresh(let days):
                    run = Run(limit: days, baseLimit: days, resumedAfter: event.on, inspectingSince: run.inspectingSince)
                    restartedOn = event.on
                case .extend(let numerator, let denominator):
                    run.limit += version.review * numerator / denominator
                    run.baseLimit = run.limit
                    run.resumedAfter = event.on
                    run.phase = .review
                }
                run.supplementRequestedOn = nil
            case .expertReviewStarted, .suspended:
                guard run.phase == .review || run.phase == .decision, run.paused == nil else {
                    throw reject(index, "the clock is not running", "审评计时未在进行")
                }
                if run.counting { closeStretch(&run, at: event.on, note: phaseName) }
                run.paused = (event.kind, event.on)
            case .expertReviewEnded, .resumed:
                let opening: ClockEvent.Kind = event.kind == .expertReviewEnded ? .expertReviewStarted : .suspended
                guard let paused = run.paused, paused.kind == opening else {
                    throw reject(
                        index, "no \(opening.rawValue) is open", opening == .expertReviewStarted ? "没有进行中的专家咨询" : "没有进行中的中止")
                }
                let note = opening == .expertReviewStarted ? "专家咨询（不计入）" : "依法中止（不计入）"
                segments.append(Segment(kind: .paused, from: paused.since, to: event.on, workingDays: between(paused.since, event.on), note: note))
                run.paused = nil
                run.resumedAfter = event.on
            case .extensionGranted:
                guard run.phase == .review || run.phase == .decision else {
                    throw reject(
                        index, "only a running review or decision can be extended", "只有在技术审评或审批决定阶段才能延长时限")
                }
                guard let days = event.days, days > 0 else {
                    throw reject(index, "needs days, a positive number of working days", "请填写延长的工作日数（正整数）", field: "days")
                }
                let cap = run.baseLimit / 2
                guard run.extended + days <= cap else {
                    throw reject(
                        index,
                        "\(days) working days would extend the limit by \(run.extended + days) in all, more than half of \(run.baseLimit) (\(cap))",
                        "延长 \(days) 个工作日后累计延长 \(run.extended + days) 个工作日，超过原时限 \(run.baseLimit) 的一半（\(cap)）", field: "days")
                }
                run.extended += days
                run.limit += days
                // An extension granted after the limit ran out moves the deadline again.
                if run.crossedOn != nil, run.usedBefore <= run.limit { run.crossedOn = nil }
                segments.append(Segment(kind: .extension, from: event.on, to: event.on, workingDays: days, note: "延期 \(days) 个工作日"))
            case .qmsInspectionStarted:
                guard run.phase == .review || run.phase == .supplement, run.inspectingSince == nil else {
                    throw reject(
                        index, "a QMS inspection can start only during the review, and one at a time",
                        "体系核查只能在技术审评期间开始，且同一时间只能有一次")
                }
                if run.counting { closeStretch(&run, at: event.on, note: phaseName) }
                run.inspectingSince = event.on
                inspections.append((event.on, nil))
            case .qmsInspectionCompleted:
                guard let since = run.inspectingSince else { throw reject(index, "no QMS inspection is under way", "没有进行中的体系核查") }
                segments.append(
                    Segment(kind: .inspection, from: since, to: event.on, workingDays: between(since, event.on), note: "体系核查（不计入审评时限）"))
                run.inspectingSince = nil
                inspections[inspections.count - 1].completed = event.on
                run.resumedAfter = event.on
            case .reviewCompleted:
                guard run.phase == .review, run.paused == nil else { throw reject(index, "the review is not running", "技术审评未在进行") }
                guard run.inspectingSince == nil else { throw reject(index, "the QMS inspection is still under way", "体系核查尚未完成") }
                closeStretch(&run, at: event.on, note: phaseName)
                run = Run(phase: .decision, limit: version.decision ?? 0, baseLimit: version.decision ?? 0, resumedAfter: event.on)
            case .decisionMade:
                guard run.phase == .decision, run.paused == nil else {
                    throw reject(
                        index, "no review opinion awaits a decision (review_completed first)", "尚无待决定的审评结论（请先记录技术审评完成）")
                }
                closeStretch(&run, at: event.on, note: phaseName)
                run.phase = .decided
            case .withdrawn:
                guard run.phase != .decided, run.phase != .withdrawn else { throw reject(index, "the application is already closed", "该申报事项已办结") }
                guard run.inspectingSince == nil else {
                    throw reject(index, "the QMS inspection is still under way; record its end first", "体系核查尚未完成，请先记录核查完成")
                }
                if run.counting { closeStretch(&run, at: event.on, note: phaseName) }
                run.phase = .withdrawn
                run.paused = nil
            }
            if run.phase == .decided || run.phase == .withdrawn, index < events.count - 1 {
                throw Rejection(
                    index: index + 1, event: events[index + 1].kind.rawValue,
                    reason: "comes after the application was closed (\(event.kind.rawValue))",
                    chinese: "该申报事项已办结（\(ApplicationEventKind(rawValue: event.kind.rawValue)?.label ?? event.kind.rawValue)），不能再记录事件")
            }
        }

        // The clock as of `asOf`.
        var state: State
        var used = run.usedBefore
        var deadline: CivilDate?
        switch run.phase {
        case .review, .decision:
            if !run.counting {
                state = .paused
                if let paused = run.paused {
                    segments.append(Segment(kind: .paused, from: paused.since, to: asOf, workingDays: between(paused.since, asOf), note: "暂停中"))
                }
                deadline = run.crossedOn ?? adding(run.limit - used, to: asOf)
            } else {
                state = .running
                let counted = between(run.resumedAfter, asOf)
                segments.append(Segment(kind: .counting, from: run.resumedAfter, to: asOf, workingDays: counted, note: label(run.phase)))
                used += counted
                deadline = run.crossedOn ?? adding(run.limit - run.usedBefore, to: run.resumedAfter)
            }
        case .supplement, .decided, .withdrawn:
            state = .stopped
        }
        if let since = run.inspectingSince {
            segments.append(Segment(kind: .inspection, from: since, to: asOf, workingDays: between(since, asOf), note: "体系核查中（不计入审评时限）"))
        }
        var inspection: Inspection?
        if version.qmsInspection != nil || !inspections.isEmpty {
            let startBy = version.qmsInspection == nil ? nil : adding(inspectionStartWithin, to: first.on)
            let last = inspections.last
            let used = last.map { between($0.started, $0.completed ?? asOf) } ?? 0
            let limit = version.qmsInspection
            let lateStart: Bool =
                if let startBy, let started = inspections.first?.started { started > startBy } else if let startBy {
                    // Not started: late once its last day has passed while the review is still open.
                    asOf > startBy && (run.phase == .review || run.phase == .supplement)
                } else { false }
            let inspectionLevel: Level =
                if let limit, limit > 0, used > limit { .red } else if let limit, limit > 0, Double(used) >= amberFraction * Double(limit) {
                    .amber
                } else { .green }
            inspection = Inspection(
                startBy: startBy, startedOn: last?.started, completedOn: last?.completed, limit: limit, used: used,
                deadline: last.flatMap { last in limit.flatMap { adding($0, to: last.started) } }, late: lateStart, level: inspectionLevel)
        }
        var supplementDeadline: CivilDate?
        var expired = false
        if run.phase == .supplement, let requested = run.supplementRequestedOn {
            supplementDeadline = oneYearAfter(requested)
            expired = asOf > oneYearAfter(requested)
            segments.append(Segment(kind: .supplement, from: requested, to: asOf, workingDays: between(requested, asOf), note: "等待补正资料"))
        }
        let level: Level =
            if run.limit > 0, used > run.limit { .red } else if run.limit > 0, Double(used) >= amberFraction * Double(run.limit) { .amber } else {
                .green
            }
        return Reading(
            phase: run.phase, state: state, limit: run.limit, used: used, remaining: run.limit - used,
            deadline: deadline, level: level, supplementDeadline: supplementDeadline, supplementExpired: expired,
            provisional: provisional, segments: segments, inspection: inspection, restartedOn: restartedOn)
    }

    /// The same calendar date a year later (29 February → 28 February).
    public static func oneYearAfter(_ date: CivilDate) -> CivilDate {
        let (year, month, day) = date.components
        return CivilDate(year: year + 1, month: month, day: min(day, CivilDate.daysIn(month: month, year: year + 1)))
            ?? date.adding(days: 365)
    }

    static func label(_ phase: Phase) -> String {
        switch phase {
        case .review: "技术审评"
        case .supplement: "补正资料"
        case .decision: "审批决定"
        case .decided: "已决定"
        case .withdrawn: "已撤回"
        }
    }
}
