import Foundation

// An inspection task end to end (issue 18 item 3; DOMAIN.md §10): a team without conflicts of
// interest, the notice, the visit, findings graded 严重 / 主要 / 一般, the conclusion by a rule held as
// data, rectification within working days, closure. Each step has its working days; a late one turns
// amber and red as review clocks do.

/// 缺陷等级, from the least to the gravest (PIC/S: other, major, critical).
public enum FindingGrade: String, LabelledCode, Comparable {
    case general
    case major
    case severe

    public var label: String {
        switch self {
        case .general: "一般缺陷"
        case .major: "主要缺陷"
        case .severe: "严重缺陷"
        }
    }

    /// The grade a finding left unfixed at the follow-up is raised to; none above 严重.
    public var raised: FindingGrade? {
        switch self {
        case .general: .major
        case .major: .severe
        case .severe: nil
        }
    }

    private var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }
    public static func < (a: FindingGrade, b: FindingGrade) -> Bool { a.rank < b.rank }
}

/// 检查结论.
public enum InspectionConclusion: String, LabelledCode {
    /// 符合要求
    case compliant
    /// 待整改后评定: findings to rectify before it is judged.
    case rectify
    /// 不符合要求
    case nonCompliant = "non_compliant"

    public var label: String {
        switch self {
        case .compliant: "符合要求"
        case .rectify: "待整改后评定"
        case .nonCompliant: "不符合要求"
        }
    }
}

/// How findings make a conclusion (the rule is data, in the policy): compliant with at most so many
/// of each grade (by default no severe, no major, fewer than 5 general); not compliant from so many
/// severe or so many major findings; anything between is to be judged after rectification.
public struct ConclusionRule: Sendable, Equatable, Codable {
    public var compliantMaxSevere: Int
    public var compliantMaxMajor: Int
    public var compliantMaxGeneral: Int
    /// Not compliant with this many severe findings or more.
    public var nonCompliantSevere: Int
    /// Not compliant with this many major findings or more.
    public var nonCompliantMajor: Int

    public init(
        compliantMaxSevere: Int = 0, compliantMaxMajor: Int = 0, compliantMaxGeneral: Int = 4, nonCompliantSevere: Int = 1, nonCompliantMajor: Int = 3
    ) {
        self.compliantMaxSevere = compliantMaxSevere
        self.compliantMaxMajor = compliantMaxMajor
        self.compliantMaxGeneral = compliantMaxGeneral
        self.nonCompliantSevere = nonCompliantSevere
        self.nonCompliantMajor = nonCompliantMajor
    }

    public static let standard = ConclusionRule()

    /// Findings counted by grade.
    public struct Counts: Sendable, Equatable {
        public var severe = 0, major = 0, general = 0

        public init(_ grades: [FindingGrade]) {
            for grade in grades {
                switch grade {
                case .severe: severe += 1
                case .major: major += 1
                case .general: general += 1
                }
            }
        }

        /// `严重缺陷 0 项、主要缺陷 1 项、一般缺陷 2 项`
        public var chinese: String { "严重缺陷 \(severe) 项、主要缺陷 \(major) 项、一般缺陷 \(general) 项" }
    }

    public func conclusion(_ grades: [FindingGrade]) -> InspectionConclusion {
        explained(grades).conclusion
    }

    /// The conclusion and why, in Chinese (“严重缺陷 0 项、主要缺陷 1 项、一般缺陷 2 项：主要缺陷多于 0 项，待整改后评定”).
    public func explained(_ grades: [FindingGrade]) -> (conclusion: InspectionConclusion, reason: String) {
        let counts = Counts(grades)
        if counts.severe >= nonCompliantSevere {
            return (.nonCompliant, "\(counts.chinese)：严重缺陷达到 \(nonCompliantSevere) 项，不符合要求")
        }
        if counts.major >= nonCompliantMajor {
            return (.nonCompliant, "\(counts.chinese)：主要缺陷达到 \(nonCompliantMajor) 项，不符合要求")
        }
        var over: [String] = []
        if counts.severe > compliantMaxSevere { over.append("严重缺陷多于 \(compliantMaxSevere) 项") }
        if counts.major > compliantMaxMajor { over.append("主要缺陷多于 \(compliantMaxMajor) 项") }
        if counts.general > compliantMaxGeneral { over.append("一般缺陷多于 \(compliantMaxGeneral) 项") }
        guard over.isEmpty else { return (.rectify, "\(counts.chinese)：\(over.joined(separator: "、"))，待整改后评定") }
        return (.compliant, "\(counts.chinese)：符合要求")
    }

    public func problems() -> [FieldProblem] {
        let figures = [compliantMaxSevere, compliantMaxMajor, compliantMaxGeneral, nonCompliantSevere, nonCompliantMajor]
        guard figures.allSatisfy({ (0...50).contains($0) }), nonCompliantSevere > compliantMaxSevere, nonCompliantMajor > compliantMaxMajor else {
            return [
                FieldProblem(
                    "task.conclusionRule", "each figure 0 to 50, and not compliant only above what is compliant",
                    chinese: "判定规则的各项数目应在 0 至 50 之间，且“不符合要求”的数目应大于“符合要求”所允许的数目")
            ]
        }
        return []
    }
}

/// A task's figures, part of the plan's policy: the team, the working days each step has, and the
/// conclusion's rule.
public struct InspectionTaskPolicy: Sendable, Equatable, Codable {
    /// Inspectors in a team, its lead included.
    public var teamSize: Int
    /// Days an inspection takes of an inspector's yearly capacity.
    public var daysPerInspection: Int
    /// An invited inspector answers within so many working days.
    public var acceptWorkingDays: Int
    /// The conclusion within so many working days of the first day on site.
    public var reportWorkingDays: Int
    /// A finding rectified within so many working days of the conclusion (or of its raising).
    public var rectificationWorkingDays: Int
    /// A submitted rectification verified within so many working days.
    public var verifyWorkingDays: Int
    /// A step turns amber with so many working days or fewer left.
    public var amberWorkingDays: Int
    public var conclusionRule: ConclusionRule

    public init(
        teamSize: Int = 3, daysPerInspection: Int = 3, acceptWorkingDays: Int = 3, reportWorkingDays: Int = 15, rectificationWorkingDays: Int = 20,
        verifyWorkingDays: Int = 10, amberWorkingDays: Int = 3, conclusionRule: ConclusionRule = .standard
    ) {
        self.teamSize = teamSize
        self.daysPerInspection = daysPerInspection
        self.acceptWorkingDays = acceptWorkingDays
        self.reportWorkingDays = reportWorkingDays
        self.rectificationWorkingDays = rectificationWorkingDays
        self.verifyWorkingDays = verifyWorkingDays
        self.amberWorkingDays = amberWorkingDays
        self.conclusionRule = conclusionRule
    }

    public static let standard = InspectionTaskPolicy()

    public func problems() -> [FieldProblem] {
        let bounded: [(String, String, Int, ClosedRange<Int>)] = [
            ("task.teamSize", "检查组人数", teamSize, 2...9),
            ("task.daysPerInspection", "每次检查占用天数", daysPerInspection, 1...30),
            ("task.acceptWorkingDays", "检查员确认时限（工作日）", acceptWorkingDays, 1...30),
            ("task.reportWorkingDays", "检查结论时限（工作日）", reportWorkingDays, 1...60),
            ("task.rectificationWorkingDays", "整改时限（工作日）", rectificationWorkingDays, 1...120),
            ("task.verifyWorkingDays", "整改核实时限（工作日）", verifyWorkingDays, 1...60),
            ("task.amberWorkingDays", "预警提前量（工作日）", amberWorkingDays, 0...30),
        ]
        var problems = bounded.filter { !$0.3.contains($0.2) }.map { field, label, _, range in
            FieldProblem(
                field, "must be between \(range.lowerBound) and \(range.upperBound)",
                chinese: "\(label)应在 \(range.lowerBound) 至 \(range.upperBound) 之间")
        }
        problems += conclusionRule.problems()
        return problems
    }
}

// MARK: The team

/// Whether an inspector invited to a team took it on.
public enum TeamMemberState: String, LabelledCode {
    case invited
    /// Accepted, declaring no conflict of interest.
    case accepted
    case declined
    /// Taken off the team by the regulator.
    case removed

    public var label: String {
        switch self {
        case .invited: "待确认"
        case .accepted: "已确认无利益冲突"
        case .declined: "已回避或谢绝"
        case .removed: "已调出"
        }
    }

    /// On the team or invited to it.
    public var isOnTeam: Bool { self == .invited || self == .accepted }
}

/// The specialties an inspection's team must hold between them, from its types and, for a trial
/// institution, what it is filed for.
public func requiredSpecialties(of types: [InspectionType], drugFiled: Bool, deviceFiled: Bool, targetKind: InspectionTargetKind)
    -> [InspectionSpecialty]
{
    var needed: [InspectionSpecialty] = []
    for type in types {
        switch type {
        case .drugTrialInstitution: needed.append(.gcp)
        case .deviceTrialInstitution: needed.append(.deviceGCP)
        case .manufacturer, .licence: needed.append(.deviceQMS)
        case .newFiling, .forCause:
            if targetKind == .enterprise {
                needed.append(.deviceQMS)
            } else {
                if drugFiled || !deviceFiled { needed.append(.gcp) }
                if deviceFiled { needed.append(.deviceGCP) }
            }
        }
    }
    return InspectionSpecialty.allCases.filter(needed.contains)
}

/// An inspector the team proposal may draw on.
public struct TeamCandidate: Sendable, Equatable {
    public var id: UUID
    public var name: String
    public var specialties: [InspectionSpecialty]
    public var rank: InspectorRank
    public var fullTime: Bool
    public var capacityDays: Int
    public var ties: InspectorTies
    /// Inspections of the year they are on (invited or accepted, not cancelled).
    public var load: Int

    public init(
        id: UUID, name: String, specialties: [InspectionSpecialty], rank: InspectorRank, fullTime: Bool, capacityDays: Int, ties: InspectorTies,
        load: Int
    ) {
        self.id = id
        self.name = name
        self.specialties = specialties
        self.rank = rank
        self.fullTime = fullTime
        self.capacityDays = capacityDays
        self.ties = ties
        self.load = load
    }
}

/// A proposed team, and who was left out and why.
public struct TeamProposal: Sendable, Equatable {
    public struct Exclusion: Sendable, Equatable {
        public var candidate: TeamCandidate
        /// Each reason in Chinese (回避事由, or a full year).
        public var reasons: [String]
    }

    public var lead: TeamCandidate?
    public var members: [TeamCandidate]
    /// Holders of a required specialty left out, with their reasons.
    public var excluded: [Exclusion]
    /// Required specialties no one free and without conflict holds.
    public var uncovered: [InspectionSpecialty]

    public var team: [TeamCandidate] { (lead.map { [$0] } ?? []) + members }
}

/// Proposes teams from the pool, one inspection after another, each inspector's load counted as
/// the proposals go (so that 2,000 proposals of a year spread over the pool).
public struct TeamPlanner: Sendable {
    /// The pool, in the order given; candidates are named by their place in it.
    private var pool: [TeamCandidate]
    private let bySpecialty: [InspectionSpecialty: [Int]]
    /// Each candidate's place by name, then id: the ties' order, found once (comparing Chinese names
    /// and ids as text for every pair of every proposal cost a year's 2,000 proposals seconds).
    private let byName: [Int]
    /// The candidate at each place by name (`byName` inverted).
    private let atName: [Int]
    let policy: InspectionPolicy

    public init(candidates: [TeamCandidate], policy: InspectionPolicy) {
        var seen = Set<UUID>()
        pool = candidates.filter { seen.insert($0.id).inserted }
        var bySpecialty: [InspectionSpecialty: [Int]] = [:]
        for (index, candidate) in pool.enumerated() {
            for specialty in candidate.specialties { bySpecialty[specialty, default: []].append(index) }
        }
        self.bySpecialty = bySpecialty
        var byName = Array(repeating: 0, count: pool.count)
        for (place, index) in pool.indices.sorted(by: { [pool] a, b in (pool[a].name, pool[a].id.uuidString) < (pool[b].name, pool[b].id.uuidString) }
        )
        .enumerated() {
            byName[index] = place
        }
        self.byName = byName
        var atName = Array(repeating: 0, count: pool.count)
        for (index, place) in byName.enumerated() { atName[place] = index }
        self.atName = atName
        self.policy = policy
    }

    /// The candidates with their loads as the proposals left them, by id.
    public var candidates: [UUID: TeamCandidate] { Dictionary(pool.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }) }

    /// Why `candidate` may not inspect `target` on `day`: conflicts of interest (policy's look-back),
    /// then a year already full.
    public func reasons(_ candidate: TeamCandidate, target: PartyRef, on day: CivilDate) -> [String] {
        var reasons = ConflictOfInterest.reasons(candidate.ties, target: target, on: day, rule: policy.conflictRule).map(\.chinese)
        if isFull(candidate) {
            reasons.append("本年度检查天数已满（已安排 \(candidate.load * policy.task.daysPerInspection) 天，可用 \(candidate.capacityDays) 天）")
        }
        return reasons
    }

    private func isFull(_ candidate: TeamCandidate) -> Bool { (candidate.load + 1) * policy.task.daysPerInspection > candidate.capacityDays }

    /// A team for one inspection: the lead the least-loaded free inspector of lead rank holding a
    /// required specialty; then, for each required specialty the team does not yet hold, the
    /// least-loaded free holder of it; then the least-loaded free holders of any of them up to the
    /// team's size. Ties go to the full-time, then by name. `excludingIDs` are never proposed (those
    /// who declined). With `commit`, the team's loads grow by one. Without `explain`, those left out
    /// are listed without their reasons (a year's proposals count them only).
    public mutating func propose(
        specialties required: [InspectionSpecialty], target: PartyRef, on day: CivilDate, excludingIDs: Set<UUID> = [], commit: Bool = true,
        explain: Bool = true
    ) -> TeamProposal {
        var holders: [Int] = []
        for specialty in required {
            for index in bySpecialty[specialty] ?? [] where !excludingIDs.contains(pool[index].id) { holders.append(index) }
        }
        if required.count > 1 { holders = Array(Set(holders)) }
        var free: [Int] = []
        var excluded: [(index: Int, reasons: [String])] = []
        for index in holders {
            let candidate = pool[index]
            if explain {
                let reasons = reasons(candidate, target: target, on: day)
                if reasons.isEmpty { free.append(index) } else { excluded.append((index, reasons)) }
            } else if isFull(candidate) || !ConflictOfInterest.reasons(candidate.ties, target: target, on: day, rule: policy.conflictRule).isEmpty {
                excluded.append((index, []))
            } else {
                free.append(index)
            }
        }
        // The order as one integer a candidate (load, then part-time after full-time, then the place by
        // name), so that sorting compares integers and copies no candidate.
        let byName = byName
        var keys = free.map { index in
            UInt64(pool[index].load) << 33 | (pool[index].fullTime ? 0 : 1) << 32 | UInt64(byName[index])
        }
        keys.sort()
        free = keys.map { atName[Int($0 & 0xFFFF_FFFF)] }
        excluded.sort { byName[$0.index] < byName[$1.index] }
        var chosen: [Int] = []
        let lead = free.first { pool[$0].rank == .lead }
        if let lead { chosen.append(lead) }
        for specialty in required where !chosen.contains(where: { pool[$0].specialties.contains(specialty) }) {
            if let holder = free.first(where: { index in pool[index].specialties.contains(specialty) && !chosen.contains(index) }) {
                chosen.append(holder)
            }
        }
        for index in free where chosen.count < policy.task.teamSize && !chosen.contains(index) {
            chosen.append(index)
        }
        // As they were when chosen: the loads grow after.
        let proposal = TeamProposal(
            lead: lead.map { pool[$0] }, members: chosen.filter { $0 != lead }.map { pool[$0] },
            excluded: excluded.map { .init(candidate: pool[$0.index], reasons: $0.reasons) },
            uncovered: required.filter { specialty in !chosen.contains { pool[$0].specialties.contains(specialty) } })
        if commit {
            for index in chosen { pool[index].load += 1 }
        }
        return proposal
    }
}

// MARK: Steps, their days, and lateness

/// A finding as a task's steps read it.
public struct FindingProgress: Sendable, Equatable {
    public var grade: FindingGrade
    public var rectifyBy: CivilDate?
    public var submittedOn: CivilDate?
    public var verifiedOn: CivilDate?

    public init(grade: FindingGrade, rectifyBy: CivilDate?, submittedOn: CivilDate? = nil, verifiedOn: CivilDate? = nil) {
        self.grade = grade
        self.rectifyBy = rectifyBy
        self.submittedOn = submittedOn
        self.verifiedOn = verifiedOn
    }
}

/// What a task's open steps are due by, read from what it recorded.
public struct TaskProgress: Sendable, Equatable {
    public var status: InspectionStatus
    public var plannedMonth: YearMonth?
    /// The days the invitations still unanswered were sent.
    public var pendingInvitations: [CivilDate]
    public var onSiteFrom: CivilDate?
    public var findings: [FindingProgress]

    public init(
        status: InspectionStatus, plannedMonth: YearMonth?, pendingInvitations: [CivilDate] = [], onSiteFrom: CivilDate? = nil,
        findings: [FindingProgress] = []
    ) {
        self.status = status
        self.plannedMonth = plannedMonth
        self.pendingInvitations = pendingInvitations
        self.onSiteFrom = onSiteFrom
        self.findings = findings
    }

    /// One open step and when it is due.
    public struct Step: Sendable, Equatable {
        public enum Kind: String, Sendable, CaseIterable {
            /// The visit, by the end of its planned month.
            case visit
            /// An invited inspector's answer.
            case answer
            /// The conclusion after the first day on site.
            case conclusion
            /// A finding's rectification, by its deadline.
            case rectification
            /// A submitted rectification's verification.
            case verification

            public var label: String {
                switch self {
                case .visit: "现场检查"
                case .answer: "检查员确认"
                case .conclusion: "检查结论"
                case .rectification: "整改"
                case .verification: "整改核实"
                }
            }
        }

        public var kind: Kind
        public var dueBy: CivilDate
        public var level: ReviewClock.Level

        public init(kind: Kind, dueBy: CivilDate, level: ReviewClock.Level) {
            self.kind = kind
            self.dueBy = dueBy
            self.level = level
        }
    }

    /// The open steps with their days and levels on `today`: red once the day has passed, amber with
    /// the policy's working days or fewer left (the working-day calendar, provisionally past the
    /// published schedules).
    public func steps(policy: InspectionTaskPolicy, today: CivilDate, calendar: WorkCalendar) -> [Step] {
        func add(_ days: Int, to day: CivilDate) -> CivilDate {
            (try? calendar.addingWorkingDays(days, to: day, provisional: true).value) ?? day.adding(days: days)
        }
        func level(_ due: CivilDate) -> ReviewClock.Level {
            if today > due { return .red }
            let left = (try? calendar.workingDays(from: today, to: due, provisional: true).value) ?? (due.dayNumber - today.dayNumber)
            return left <= policy.amberWorkingDays ? .amber : .green
        }
        var steps: [Step] = []
        if status.isBeforeVisit, let month = plannedMonth,
            let last = CivilDate(year: month.year, month: month.month, day: CivilDate.daysIn(month: month.month, year: month.year))
        {
            steps.append(Step(kind: .visit, dueBy: last, level: level(last)))
        }
        if status == .staffing {
            for invited in pendingInvitations {
                let due = add(policy.acceptWorkingDays, to: invited)
                steps.append(Step(kind: .answer, dueBy: due, level: level(due)))
            }
        }
        if status == .onSite, let from = onSiteFrom {
            let due = add(policy.reportWorkingDays, to: from)
            steps.append(Step(kind: .conclusion, dueBy: due, level: level(due)))
        }
        if status == .rectifying {
            for finding in findings where finding.verifiedOn == nil {
                if let submitted = finding.submittedOn {
                    let due = add(policy.verifyWorkingDays, to: submitted)
                    steps.append(Step(kind: .verification, dueBy: due, level: level(due)))
                } else if let due = finding.rectifyBy {
                    steps.append(Step(kind: .rectification, dueBy: due, level: level(due)))
                }
            }
        }
        return steps.sorted { ($0.dueBy, $0.kind.rawValue) < ($1.dueBy, $1.kind.rawValue) }
    }

    /// The gravest level of the open steps (green with none).
    public func level(policy: InspectionTaskPolicy, today: CivilDate, calendar: WorkCalendar) -> ReviewClock.Level {
        steps(policy: policy, today: today, calendar: calendar).map(\.level).max { $0.severity < $1.severity } ?? .green
    }
}

extension ReviewClock.Level {
    /// green < amber < red.
    public var severity: Int {
        switch self {
        case .green: 0
        case .amber: 1
        case .red: 2
        }
    }
}

// MARK: Who reads what

/// Who reads an inspection, and how much of it (the access matrix, docs/ACCESS.md).
public enum InspectionReader: String, Sendable, Equatable, CaseIterable {
    /// The regulator's side (平台管理员, 市药监局, 审评员): every inspection, all of it.
    case office
    /// An inspector on its team (invited or accepted): all of it.
    case team
    /// The inspected party (its enterprise account, its institution's office): from the notice;
    /// its findings from the conclusion; evidence notes after closure.
    case party
    /// Everyone else who reads inspections in their scope (区、园区、工作站、市经信委、市卫生健康委):
    /// closed ones only.
    case observer

    /// Whether it sees an inspection in this state at all.
    public func sees(_ status: InspectionStatus) -> Bool {
        switch self {
        case .office, .team: true
        case .party: [.notified, .onSite, .rectifying, .completed, .waived, .recognised].contains(status)
        case .observer: [.completed, .waived, .recognised].contains(status)
        }
    }

    /// Whether it reads the findings (clause, grade, what was found, the rectification).
    public func readsFindings(_ status: InspectionStatus) -> Bool {
        switch self {
        case .office, .team: true
        case .party: status == .rectifying || status == .completed
        case .observer: status == .completed
        }
    }

    /// Whether it reads the evidence notes: the office and the team always, anyone else who reads
    /// the inspection only once it is closed.
    public func readsEvidence(_ status: InspectionStatus) -> Bool {
        switch self {
        case .office, .team: true
        case .party, .observer: status == .completed
        }
    }

    /// Whether it reads the conflicts overridden and who declined and why.
    public var readsStaffing: Bool { self == .office }
}

// MARK: The timeline

/// A step of an inspection's timeline.
public enum InspectionEventKind: String, LabelledCode {
    case created
    case teamProposed = "team_proposed"
    case accepted
    case declined
    case noticeSent = "notice_sent"
    case visitStarted = "visit_started"
    case findingRecorded = "finding_recorded"
    case concluded
    case rectificationSubmitted = "rectification_submitted"
    case rectificationVerified = "rectification_verified"
    case rectificationReturned = "rectification_returned"
    case gradeRaised = "grade_raised"
    case closed
    case cancelled
    case waived
    /// A partner province's result recognised in its stead (结果互认).
    case recognised
    /// Made jointly with a partner province (长三角联合检查).
    case jointPlanned = "joint_planned"
    /// The partner's inspectors named on the joint team.
    case jointTeam = "joint_team"

    public var label: String {
        switch self {
        case .created: "创建检查任务"
        case .teamProposed: "组建检查组"
        case .accepted: "检查员确认（声明无利益冲突）"
        case .declined: "检查员回避或谢绝"
        case .noticeSent: "发出检查通知"
        case .visitStarted: "开始现场检查"
        case .findingRecorded: "记录检查发现"
        case .concluded: "作出检查结论"
        case .rectificationSubmitted: "提交整改情况"
        case .rectificationVerified: "整改核实通过"
        case .rectificationReturned: "整改核实未通过"
        case .gradeRaised: "缺陷升级"
        case .closed: "结案"
        case .cancelled: "取消检查"
        case .waived: "减免生产许可现场检查"
        case .recognised: "互认长三角伙伴省份检查结果"
        case .jointPlanned: "商定长三角联合检查"
        case .jointTeam: "伙伴省份检查员加入检查组"
        }
    }
}

extension InspectionTaskPolicy {
    /// A rating the lead gives a member: 1 to 5.
    public static let ratings = 1...5
}

/// The rules between a task's days: the notice on or before the first day on site, the visit's
/// last day not before its first, none after `today` (nil for days planned ahead, as a notice's).
public enum TaskDates {
    public static func visitProblems(noticeOn: CivilDate?, from: CivilDate?, to: CivilDate?, today: CivilDate?) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if let noticeOn, let from, from < noticeOn {
            problems.append(FieldProblem("onSiteFrom", "cannot come before the notice", chinese: "现场检查开始日期不能早于检查通知日期"))
        }
        if let from, let to, to < from {
            problems.append(FieldProblem("onSiteTo", "cannot come before the first day on site", chinese: "现场检查结束日期不能早于开始日期"))
        }
        for (field, day, label) in [("onSiteFrom", from, "现场检查开始日期"), ("onSiteTo", to, "现场检查结束日期")] {
            if let day, let today, day > today { problems.append(FieldProblem(field, "cannot be later than today", chinese: "\(label)不能晚于今天")) }
        }
        return problems
    }
}

// MARK: The key-supervision list (重点监管名单)

/// Where a target stands on the key-supervision list: each entry is one stay, from its proposal to
/// its removal (or the proposal declined); the history is the entries.
public enum KeySupervisionStatus: String, LabelledCode {
    /// Proposed (a conclusion with a severe finding, or a systemic risk the regulator saw); the
    /// regulator confirms or declines.
    case proposed
    case listed
    case declined
    /// Listed, and proposed for removal after enough compliant inspections in a row.
    case removalProposed = "removal_proposed"
    case removed

    public var label: String {
        switch self {
        case .proposed: "拟列入"
        case .listed: "已列入"
        case .declined: "不予列入"
        case .removalProposed: "拟移出"
        case .removed: "已移出"
        }
    }

    /// Still open: at most one such entry a target.
    public var isLive: Bool { [.proposed, .listed, .removalProposed].contains(self) }

    /// Planned at the list's frequency.
    public var isSupervised: Bool { self == .listed || self == .removalProposed }
}

/// When the list proposes by itself.
public enum KeySupervisionRule {
    /// A conclusion with a severe finding proposes its target: the reason, or nil.
    public static func proposal(for grades: [FindingGrade]) -> String? {
        let severe = grades.count { $0 == .severe }
        return severe == 0 ? nil : "检查发现严重缺陷 \(severe) 项"
    }

    /// A listed target's conclusions since it was listed (oldest first) propose its removal when the
    /// last `needed` of them are all compliant: the reason, or nil.
    public static func removal(conclusions: [InspectionConclusion], needed: Int) -> String? {
        guard needed > 0, conclusions.count >= needed, conclusions.suffix(needed).allSatisfy({ $0 == .compliant }) else { return nil }
        return "列入后连续 \(needed) 次检查结论为符合要求"
    }
}
