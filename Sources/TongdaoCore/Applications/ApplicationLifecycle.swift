import Foundation

/// Who decides an application (申报事项).
public enum ApplicationAuthority: String, Sendable, CaseIterable, Codable, LabelledCode {
    case shanghaiMPA = "shanghai_mpa"
    case cmde
    case yangtzeDeltaCentre = "yangtze_delta_centre"

    public var label: String {
        switch self {
        case .shanghaiMPA: "上海市药品监督管理局"
        case .cmde: "国家药监局医疗器械技术审评中心"
        case .yangtzeDeltaCentre: "器审中心长三角分中心"
        }
    }
}

/// The review channel an application was accepted under.
public enum ReviewChannel: String, Sendable, CaseIterable, Codable, LabelledCode {
    case normal
    case nationalInnovative = "national_innovative"
    case nationalPriority = "national_priority"
    case shanghaiPriority = "shanghai_priority"
    case shanghaiInnovative = "shanghai_innovative"

    public var label: String {
        switch self {
        case .normal: "常规程序"
        case .nationalInnovative: "国家创新特别审查"
        case .nationalPriority: "国家优先审批"
        case .shanghaiPriority: "上海第二类优先审批"
        case .shanghaiInnovative: "上海第二类创新产品"
        }
    }
}

/// What happens to an application, in the order it happens. Events are appended, never edited.
public enum ApplicationEventKind: String, Sendable, CaseIterable, Codable {
    case accepted
    case supplementRequested = "supplement_requested"
    case supplementReceived = "supplement_received"
    case expertReviewStarted = "expert_review_started"
    case expertReviewEnded = "expert_review_ended"
    case suspended
    case resumed
    case qmsInspectionStarted = "qms_inspection_started"
    case qmsInspectionCompleted = "qms_inspection_completed"
    case extensionGranted = "extension_granted"
    case reviewCompleted = "review_completed"
    case decisionMade = "decision_made"
    case productionLicenceGranted = "production_licence_granted"
    case industrialised
    case withdrawn

    public var label: String {
        switch self {
        case .accepted: "受理"
        case .supplementRequested: "发出补正通知"
        case .supplementReceived: "收到补正资料"
        case .expertReviewStarted: "专家咨询开始"
        case .expertReviewEnded: "专家咨询结束"
        case .suspended: "依法中止"
        case .resumed: "恢复审评"
        case .qmsInspectionStarted: "体系核查开始"
        case .qmsInspectionCompleted: "体系核查完成"
        case .extensionGranted: "延长审评时限"
        case .reviewCompleted: "技术审评完成"
        case .decisionMade: "作出审批决定"
        case .productionLicenceGranted: "取得生产许可"
        case .industrialised: "产业化落地"
        case .withdrawn: "撤回申请"
        }
    }

    /// Who may record it: the QMS inspection's events are the inspectors' (and only those are);
    /// every other event is the review's.
    public var requiredAction: Action {
        self == .qmsInspectionStarted || self == .qmsInspectionCompleted ? .recordInspections : .writeApplications
    }

    /// The same event as the review clock sees it; nil for events off the review clock.
    var clockKind: ClockEvent.Kind? {
        switch self {
        case .productionLicenceGranted, .industrialised: nil
        default: ClockEvent.Kind(rawValue: rawValue)
        }
    }
}

public enum ApprovalDecision: String, Sendable, CaseIterable, Codable {
    case approve, refuse
}

/// One event on an application's timeline.
public struct ApplicationEvent: Sendable, Equatable {
    public var id: UUID
    public var kind: ApplicationEventKind
    public var on: CivilDate
    /// Working days, for `extension_granted`.
    public var days: Int?
    /// For `decision_made`.
    public var decision: ApprovalDecision?
    /// The registration certificate number, for an approving `decision_made`.
    public var certificate: String?
    /// A correction names the event it replaces and why.
    public var supersedes: UUID?
    public var reason: String?
    /// For `qms_inspection_completed`: the production address inspected and what was found (the
    /// licence-inspection waiver rests on them).
    public var site: String?
    public var qmsOutcome: QMSOutcome?

    public init(
        id: UUID = UUID(), _ kind: ApplicationEventKind, on: CivilDate, days: Int? = nil, decision: ApprovalDecision? = nil,
        certificate: String? = nil, supersedes: UUID? = nil, reason: String? = nil, site: String? = nil, qmsOutcome: QMSOutcome? = nil
    ) {
        self.site = site
        self.qmsOutcome = qmsOutcome
        self.id = id
        self.kind = kind
        self.on = on
        self.days = days
        self.decision = decision
        self.certificate = certificate
        self.supersedes = supersedes
        self.reason = reason
    }
}

/// Where an application stands.
public enum ApplicationStatus: String, Sendable, CaseIterable, Codable {
    case inReview = "in_review"
    case awaitingSupplement = "awaiting_supplement"
    case expertReview = "expert_review"
    case suspended
    case reviewCompleted = "review_completed"
    case approved
    case refused
    case licensed
    case industrialised
    case withdrawn

    public var label: String {
        switch self {
        case .inReview: "审评中"
        case .awaitingSupplement: "待补正"
        case .expertReview: "专家咨询中"
        case .suspended: "中止"
        case .reviewCompleted: "待审批决定"
        case .approved: "已批准"
        case .refused: "不予批准"
        case .licensed: "已取得生产许可"
        case .industrialised: "已产业化"
        case .withdrawn: "已撤回"
        }
    }

    /// Whether the review clock still matters (the application is not decided or withdrawn).
    public var isOpen: Bool {
        switch self {
        case .inReview, .awaitingSupplement, .expertReview, .suspended, .reviewCompleted: true
        default: false
        }
    }
}

/// The lifecycle of an application as a state machine over its events: which event may follow
/// which, and what a correction does. The review clock's own rules (pauses, extensions, the
/// supplement year) are checked by `ReviewClock` on the same events.
public enum ApplicationLifecycle {
    public struct State: Sendable, Equatable {
        public var status: ApplicationStatus
        /// A QMS inspection is under way: the review clock stops for it, it runs on its own clock.
        public var inspecting: Bool
        public var inspected: Bool
        public var certificate: String?
        public var acceptedOn: CivilDate
        public var lastOn: CivilDate
    }

    /// Why an event cannot happen: `index` is its place in the list given (the clock's own type).
    public typealias Rejection = ReviewClock.Rejection

    /// The timeline in force, in recorded order, each correction standing where the event it
    /// supersedes stood (a correction of a correction too).
    public static func effective(_ events: [ApplicationEvent]) -> [ApplicationEvent] {
        var replacement: [UUID: ApplicationEvent] = [:]
        for event in events {
            if let superseded = event.supersedes { replacement[superseded] = event }
        }
        return events.compactMap { event in
            guard event.supersedes == nil else { return nil }
            var current = event
            var seen: Set<UUID> = [event.id]
            while let next = replacement[current.id], seen.insert(next.id).inserted { current = next }
            return current
        }
    }

    /// Replays the events (already effective, in order) and returns the state they lead to.
    public static func replay(_ events: [ApplicationEvent]) throws(Rejection) -> State {
        guard let first = events.first else {
            throw Rejection(index: 0, event: "", reason: "an application starts with accepted", chinese: "申报事项须以受理开始")
        }
        guard first.kind == .accepted else {
            throw Rejection(
                index: 0, event: first.kind.rawValue, reason: "an application starts with accepted", chinese: "申报事项须以受理开始")
        }
        var state = State(status: .inReview, inspecting: false, inspected: false, certificate: nil, acceptedOn: first.on, lastOn: first.on)
        for (index, event) in events.enumerated().dropFirst() {
            try apply(event, index: index, to: &state)
        }
        return state
    }

    /// Checks that `event` may follow `state`, and moves the state on.
    public static func apply(_ event: ApplicationEvent, index: Int, to state: inout State) throws(Rejection) {
        func refuse(_ reason: String, _ chinese: String, field: String = "type") -> Rejection {
            Rejection(index: index, event: event.kind.rawValue, reason: reason, chinese: chinese, field: field)
        }
        guard event.on >= state.lastOn else {
            throw refuse("is dated \(event.on), before the previous event (\(state.lastOn))", "日期 \(event.on) 早于上一事件（\(state.lastOn)）", field: "on")
        }
        let status = state.status
        func require(_ allowed: Set<ApplicationStatus>) throws(Rejection) {
            guard allowed.contains(status) else {
                throw refuse("cannot happen while the application is \(status.rawValue)", "申报事项处于“\(status.label)”状态，不能记录此事件")
            }
        }
        let reviewing: Set<ApplicationStatus> = [.inReview, .awaitingSupplement, .expertReview, .suspended]
        switch event.kind {
        case .accepted:
            throw refuse("an application is accepted once", "申报事项只能受理一次")
        case .supplementRequested:
            try require([.inReview])
            state.status = .awaitingSupplement
        case .supplementReceived:
            try require([.awaitingSupplement])
            state.status = .inReview
        case .expertReviewStarted:
            try require([.inReview])
            state.status = .expertReview
        case .expertReviewEnded:
            try require([.expertReview])
            state.status = .inReview
        case .suspended:
            try require([.inReview])
            state.status = .suspended
        case .resumed:
            try require([.suspended])
            state.status = .inReview
        case .qmsInspectionStarted:
            try require(reviewing)
            guard !state.inspecting else { throw refuse("a QMS inspection is already under way", "体系核查已在进行中") }
            state.inspecting = true
        case .qmsInspectionCompleted:
            guard state.inspecting else { throw refuse("no QMS inspection is under way", "没有进行中的体系核查") }
            state.inspecting = false
            state.inspected = true
        case .extensionGranted:
            try require(reviewing)
            guard let days = event.days, days > 0 else {
                throw refuse("needs the number of working days (days > 0)", "请填写延长的工作日数（正整数）", field: "days")
            }
            guard let reason = event.reason, !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw refuse("must be recorded with a reason", "延长审评时限须说明理由", field: "reason")
            }
        case .reviewCompleted:
            try require([.inReview])
            guard !state.inspecting else { throw refuse("the QMS inspection is still under way", "体系核查尚未完成") }
            state.status = .reviewCompleted
        case .decisionMade:
            try require([.reviewCompleted])
            switch event.decision {
            case .approve?:
                guard let certificate = event.certificate else {
                    throw refuse("an approval needs the certificate number", "批准须填写注册证号", field: "certificate")
                }
                if case .failure(let problem) = CertificateNumber.validate(certificate) {
                    throw refuse("certificate: \(problem)", "注册证号无效：\(problem)", field: "certificate")
                }
                state.certificate = certificate
                state.status = .approved
            case .refuse?:
                guard event.certificate == nil else { throw refuse("a refusal has no certificate", "不予批准时不填写注册证号", field: "certificate") }
                state.status = .refused
            case nil:
                throw refuse("needs decision approve or refuse", "请选择审批结论", field: "decision")
            }
        case .productionLicenceGranted:
            try require([.approved])
            state.status = .licensed
        case .industrialised:
            try require([.licensed])
            state.status = .industrialised
        case .withdrawn:
            try require(reviewing.union([.reviewCompleted]))
            guard !state.inspecting else { throw refuse("the QMS inspection is still under way; record its end first", "体系核查尚未完成，请先记录核查完成") }
            state.status = .withdrawn
        }
        state.lastOn = event.on
    }

    /// The events the review clock counts, with their places in `events`.
    public static func clockEvents(_ events: [ApplicationEvent]) -> [(index: Int, event: ClockEvent)] {
        events.enumerated().compactMap { index, event in
            event.kind.clockKind.map { (index, ClockEvent($0, on: event.on, days: event.days)) }
        }
    }

    /// What an application row keeps of its timeline on a day: the state the events lead to and the
    /// clock's snapshot (the days it turns amber and red, or the level a stopped clock keeps).
    public static func stored(
        _ events: [ApplicationEvent], version: ProcedureVersion, asOf: CivilDate, calendar: WorkCalendar, amberFraction: Double
    ) throws(Rejection) -> (state: State, snapshot: ClockSnapshot) {
        let read = try read(events, version: version, asOf: asOf, calendar: calendar, amberFraction: amberFraction)
        var snapshot = ClockSnapshot.of(read.clock, asOf: asOf, amberFraction: amberFraction, calendar: calendar)
        let inForce = effective(events)
        snapshot.review = reviewOutcome(inForce, version: version, calendar: calendar, amberFraction: amberFraction)
        snapshot.approvedOn = approvedOn(inForce)
        snapshot.clockEvents = clockEvents(inForce).map(\.event)
        return (read.state, snapshot)
    }

    /// The events of a stored timeline that its review clock counts, corrections applied.
    public static func clockEvents(ofStored events: [ApplicationEvent]) -> [ClockEvent] {
        clockEvents(effective(events)).map(\.event)
    }

    /// The day of the decision to approve in a timeline in force, if there is one.
    public static func approvedOn(_ effective: [ApplicationEvent]) -> CivilDate? {
        effective.last { $0.kind == .decisionMade && $0.decision == .approve }?.on
    }

    /// The technical review of a timeline in force, if completed: its day, and the working days the
    /// clock had used as it stood that day (the events before the completion).
    public static func reviewOutcome(
        _ effective: [ApplicationEvent], version: ProcedureVersion, calendar: WorkCalendar, amberFraction: Double = ReviewClock.amberFraction
    ) -> ReviewOutcome? {
        guard let index = effective.firstIndex(where: { $0.kind == .reviewCompleted }),
            let clock = try? read(
                Array(effective[..<index]), version: version, asOf: effective[index].on, calendar: calendar, amberFraction: amberFraction
            ).clock
        else { return nil }
        return ReviewOutcome(completedOn: effective[index].on, workingDays: clock.used)
    }

    /// The state and the review clock of an application as of a day, in one pass over its events.
    public static func read(
        _ events: [ApplicationEvent], version: ProcedureVersion, asOf: CivilDate, calendar: WorkCalendar,
        amberFraction: Double = ReviewClock.amberFraction
    ) throws(Rejection) -> (state: State, clock: ReviewClock.Reading) {
        let effective = effective(events)
        let state = try replay(effective)
        let counted = clockEvents(effective)
        do {
            let clock = try ReviewClock.read(
                version: version, events: counted.map(\.event), asOf: asOf, calendar: calendar, amberFraction: amberFraction)
            return (state, clock)
        } catch {
            let index = error.index < counted.count ? counted[error.index].index : effective.count - 1
            throw Rejection(index: index, event: error.event, reason: error.reason, chinese: error.chinese, field: error.field)
        }
    }
}
