import Foundation

// The full-coverage plan (DOMAIN.md §6 and §10): every drug trial institution inspected each calendar
// year, every device trial institution every two years, a new filing or a newly filed specialty
// within 60 working days, the key-supervision list more often, manufacturers by risk class. Each rule's
// figures are policy held as data (`InspectionPolicy`), in force from a day.

/// 检查类型: why an inspection is due.
public enum InspectionType: String, LabelledCode {
    /// 药物临床试验机构监督检查
    case drugTrialInstitution = "drug_trial_institution"
    /// 医疗器械临床试验机构监督检查
    case deviceTrialInstitution = "device_trial_institution"
    /// 新备案或新增专业的现场检查
    case newFiling = "new_filing"
    /// 医疗器械生产企业监督检查
    case manufacturer
    /// 有因检查
    case forCause = "for_cause"
    /// 医疗器械生产许可现场检查: on a new manufacturer's application, unless waived (`LicenceWaiver`).
    case licence

    public var label: String {
        switch self {
        case .drugTrialInstitution: "药物临床试验机构监督检查"
        case .deviceTrialInstitution: "医疗器械临床试验机构监督检查"
        case .newFiling: "新备案（新增专业）现场检查"
        case .manufacturer: "医疗器械生产监督检查"
        case .forCause: "有因检查"
        case .licence: "医疗器械生产许可现场检查"
        }
    }
}

/// What an inspection is made of.
public enum InspectionTargetKind: String, LabelledCode {
    case trialInstitution = "trial_institution"
    case enterprise

    public var label: String {
        switch self {
        case .trialInstitution: "临床试验机构"
        case .enterprise: "企业"
        }
    }
}

/// The plan's figures, in force from a day (`city_admin` changes them; each version audited).
public struct InspectionPolicy: VersionedPolicy {
    /// `YYYY-MM-DD`: the first day this version is in force.
    public var effectiveFrom: String
    /// A drug trial institution at least once every so many calendar years (Shanghai: every year).
    public var drugTrialInstitutionYears: Int
    /// A device trial institution at least once every so many calendar years (Shanghai: every two).
    public var deviceTrialInstitutionYears: Int
    /// A new filing, or a newly filed specialty, inspected within so many working days of filing.
    public var newFilingWorkingDays: Int
    /// A target on the key-supervision list: within so many months of its last inspection.
    public var keySupervisionMonths: Int
    /// A manufacturer, by the highest management class of its products (`"1"`, `"2"`, `"3"`): at
    /// least once every so many calendar years.
    public var manufacturerYears: [String: Int]
    /// Inspections of one target due within so many days of each other are proposed as one visit (应并尽并).
    public var combineWithinDays: Int
    /// How many years after leaving an employer an inspector may still not inspect it.
    public var pastEmployerYears: Int
    /// A task's figures: its team, its steps' working days, the conclusion's rule.
    public var task: InspectionTaskPolicy
    /// A target on the key-supervision list is proposed for removal after so many compliant
    /// inspections in a row.
    public var keySupervisionExitCompliant: Int

    public init(
        effectiveFrom: String, drugTrialInstitutionYears: Int = 1, deviceTrialInstitutionYears: Int = 2, newFilingWorkingDays: Int = 60,
        keySupervisionMonths: Int = 6, manufacturerYears: [String: Int] = ["1": 4, "2": 2, "3": 1], combineWithinDays: Int = 90,
        pastEmployerYears: Int = 3, task: InspectionTaskPolicy = .standard, keySupervisionExitCompliant: Int = 2
    ) {
        self.task = task
        self.keySupervisionExitCompliant = keySupervisionExitCompliant
        self.effectiveFrom = effectiveFrom
        self.drugTrialInstitutionYears = drugTrialInstitutionYears
        self.deviceTrialInstitutionYears = deviceTrialInstitutionYears
        self.newFilingWorkingDays = newFilingWorkingDays
        self.keySupervisionMonths = keySupervisionMonths
        self.manufacturerYears = manufacturerYears
        self.combineWithinDays = combineWithinDays
        self.pastEmployerYears = pastEmployerYears
    }

    /// Shanghai's plan of 2024, in force from the platform's beginning.
    public static let standard = InspectionPolicy(effectiveFrom: "2000-01-01")

    private enum CodingKeys: String, CodingKey {
        case effectiveFrom, drugTrialInstitutionYears, deviceTrialInstitutionYears, newFilingWorkingDays, keySupervisionMonths
        case manufacturerYears, combineWithinDays, pastEmployerYears, task, keySupervisionExitCompliant
    }

    /// A version stored before tasks had figures reads the standard ones.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            effectiveFrom: try c.decode(String.self, forKey: .effectiveFrom),
            drugTrialInstitutionYears: try c.decode(Int.self, forKey: .drugTrialInstitutionYears),
            deviceTrialInstitutionYears: try c.decode(Int.self, forKey: .deviceTrialInstitutionYears),
            newFilingWorkingDays: try c.decode(Int.self, forKey: .newFilingWorkingDays),
            keySupervisionMonths: try c.decode(Int.self, forKey: .keySupervisionMonths),
            manufacturerYears: try c.decode([String: Int].self, forKey: .manufacturerYears),
            combineWithinDays: try c.decode(Int.self, forKey: .combineWithinDays),
            pastEmployerYears: try c.decodeIfPresent(Int.self, forKey: .pastEmployerYears) ?? 3,
            task: try c.decodeIfPresent(InspectionTaskPolicy.self, forKey: .task) ?? .standard,
            keySupervisionExitCompliant: try c.decodeIfPresent(Int.self, forKey: .keySupervisionExitCompliant) ?? 2)
    }

    public var conflictRule: ConflictOfInterest.Rule { ConflictOfInterest.Rule(pastEmployerYears: pastEmployerYears) }

    /// Each figure's bounds, and a version that starts today or later.
    public func problems(today: CivilDate) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if let day = CivilDate(effectiveFrom) {
            if day < today { problems.append(FieldProblem("effectiveFrom", "cannot be before today", chinese: "生效日期不能早于今天")) }
        } else {
            problems.append(FieldProblem("effectiveFrom", "must be a date YYYY-MM-DD", chinese: "生效日期应为日期（YYYY-MM-DD）"))
        }
        let bounded: [(String, String, Int, ClosedRange<Int>)] = [
            ("drugTrialInstitutionYears", "药物临床试验机构检查周期（年）", drugTrialInstitutionYears, 1...10),
            ("deviceTrialInstitutionYears", "医疗器械临床试验机构检查周期（年）", deviceTrialInstitutionYears, 1...10),
            ("newFilingWorkingDays", "新备案检查时限（工作日）", newFilingWorkingDays, 1...250),
            ("keySupervisionMonths", "重点监管对象检查周期（月）", keySupervisionMonths, 1...24),
            ("combineWithinDays", "合并检查的时间窗口（天）", combineWithinDays, 0...366),
            ("pastEmployerYears", "离职回避年限", pastEmployerYears, 0...30),
            ("keySupervisionExitCompliant", "移出重点监管名单所需的连续合规检查次数", keySupervisionExitCompliant, 1...10),
        ]
        for (field, label, value, range) in bounded where !range.contains(value) {
            problems.append(
                FieldProblem(
                    field, "must be between \(range.lowerBound) and \(range.upperBound)",
                    chinese: "\(label)应在 \(range.lowerBound) 至 \(range.upperBound) 之间"))
        }
        problems += task.problems()
        if Set(manufacturerYears.keys) != ["1", "2", "3"] || !manufacturerYears.values.allSatisfy({ (1...10).contains($0) }) {
            problems.append(
                FieldProblem(
                    "manufacturerYears", "must give 1 to 10 years for each of the classes 1, 2 and 3",
                    chinese: "生产企业检查周期须为 I、II、III 类各给出 1 至 10 年"))
        }
        return problems
    }
}

/// A party the plan covers, with what its due dates are read from.
public struct PlanTarget: Sendable, Equatable {
    public var id: UUID
    public var kind: InspectionTargetKind
    public var name: String
    /// Its district (nil for one outside Shanghai).
    public var district: String?
    public var drugFiledOn: CivilDate?
    public var deviceFiledOn: CivilDate?
    /// Each filed specialty and the day it was filed.
    public var specialties: [(name: String, filedOn: CivilDate)]
    /// A manufacturer's highest product class (1–3); nil for an institution.
    public var managementClass: Int?
    public var keySupervised: Bool
    /// The day its last inspection of each type was completed.
    public var lastDone: [InspectionType: CivilDate]

    public init(
        id: UUID, kind: InspectionTargetKind, name: String, district: String?, drugFiledOn: CivilDate? = nil, deviceFiledOn: CivilDate? = nil,
        specialties: [(name: String, filedOn: CivilDate)] = [], managementClass: Int? = nil, keySupervised: Bool = false,
        lastDone: [InspectionType: CivilDate] = [:]
    ) {
        self.id = id
        self.kind = kind
        self.name = name
        self.district = district
        self.drugFiledOn = drugFiledOn
        self.deviceFiledOn = deviceFiledOn
        self.specialties = specialties
        self.managementClass = managementClass
        self.keySupervised = keySupervised
        self.lastDone = lastDone
    }

    /// The day of its last inspection of any type.
    public var lastInspected: CivilDate? { lastDone.values.max() }

    public static func == (a: PlanTarget, b: PlanTarget) -> Bool {
        a.id == b.id && a.kind == b.kind && a.name == b.name && a.district == b.district && a.drugFiledOn == b.drugFiledOn
            && a.deviceFiledOn == b.deviceFiledOn && a.specialties.map(\.name) == b.specialties.map(\.name)
            && a.specialties.map(\.filedOn) == b.specialties.map(\.filedOn) && a.managementClass == b.managementClass
            && a.keySupervised == b.keySupervised && a.lastDone == b.lastDone
    }
}

/// An inspection a target must have by a day, and the rule that says so, in Chinese.
public struct DueInspection: Sendable, Equatable {
    public var target: UUID
    public var type: InspectionType
    public var dueBy: CivilDate
    public var reason: String

    public init(target: UUID, type: InspectionType, dueBy: CivilDate, reason: String) {
        self.target = target
        self.type = type
        self.dueBy = dueBy
        self.reason = reason
    }
}

public enum InspectionPlan {
    /// The inspections `target` must have next, each by its day, under `policy`, on `today`'s
    /// calendar:
    ///
    /// * periodic (a trial institution for each kind it is filed for, a manufacturer by its class): at
    ///   least once in every N calendar years — due by 31 December of the year of its last such
    ///   inspection plus N (never inspected: of the year it was filed plus N; a manufacturer never
    ///   inspected: this year);
    /// * on the key-supervision list, the periodic ones within the policy's months of the last one
    ///   instead (never inspected: today);
    /// * a new filing or a newly filed specialty not followed by any inspection of the target:
    ///   within the policy's working days of its day (`calendar`, provisionally past the published
    ///   schedules).
    public static func dues(_ target: PlanTarget, policy: InspectionPolicy, today: CivilDate, calendar: WorkCalendar) -> [DueInspection] {
        var dues: [DueInspection] = []
        func periodic(_ type: InspectionType, years: Int, since start: CivilDate?, what: String) {
            if target.keySupervised {
                let last = target.lastDone[type]
                let due = last.flatMap { $0.adding(months: policy.keySupervisionMonths) } ?? today
                let reason =
                    last.map { "重点监管对象，每 \(policy.keySupervisionMonths) 个月至少检查一次（上次 \($0)）" }
                    ?? "重点监管对象，尚无检查记录，应尽快检查"
                dues.append(DueInspection(target: target.id, type: type, dueBy: due, reason: reason))
                return
            }
            let last = target.lastDone[type]
            let baseYear = (last ?? start ?? today).year
            let year = last == nil && start == nil ? today.year : baseYear + years
            guard let due = CivilDate(year: year, month: 12, day: 31) else { return }
            let every = years == 1 ? "每年" : "每 \(years) 年"
            let reason = last.map { "\(what)\(every)至少检查一次（上次 \($0)）" } ?? "\(what)\(every)至少检查一次（尚无检查记录）"
            dues.append(DueInspection(target: target.id, type: type, dueBy: due, reason: reason))
        }
        switch target.kind {
        case .trialInstitution:
            if let filed = target.drugFiledOn {
                periodic(.drugTrialInstitution, years: policy.drugTrialInstitutionYears, since: filed, what: "药物临床试验机构")
            }
            if let filed = target.deviceFiledOn {
                periodic(.deviceTrialInstitution, years: policy.deviceTrialInstitutionYears, since: filed, what: "医疗器械临床试验机构")
            }
            // Filings and specialties not followed by an inspection: each within its working days.
            var filings: [(CivilDate, String)] = []
            if let filed = target.drugFiledOn { filings.append((filed, "药物临床试验机构备案（\(filed)）")) }
            if let filed = target.deviceFiledOn { filings.append((filed, "医疗器械临床试验机构备案（\(filed)）")) }
            filings += target.specialties.map { ($0.filedOn, "新增专业“\($0.name)”（\($0.filedOn) 备案）") }
            let last = target.lastInspected
            let pending = filings.filter { filed, _ in last.map { $0 < filed } ?? true }
            if let first = pending.min(by: { $0.0 < $1.0 }),
                let due = try? calendar.addingWorkingDays(policy.newFilingWorkingDays, to: first.0, provisional: true).value
            {
                let named = pending.sorted { $0.0 < $1.0 }.map(\.1).joined(separator: "、")
                dues.append(
                    DueInspection(
                        target: target.id, type: .newFiling, dueBy: due, reason: "\(named)后 \(policy.newFilingWorkingDays) 个工作日内现场检查"))
            }
        case .enterprise:
            if let managementClass = target.managementClass, let years = policy.manufacturerYears[String(managementClass)] {
                let label = ["", "I", "II", "III"][max(0, min(3, managementClass))]
                periodic(.manufacturer, years: years, since: nil, what: "\(label) 类医疗器械生产企业")
            }
        }
        return dues.sorted { ($0.dueBy, $0.type.rawValue) < ($1.dueBy, $1.type.rawValue) }
    }

    /// One target's dues within `days` of the first of them, proposed as one visit (应并尽并): the
    /// groups of two or more, earliest first. An overdue one counts as due `today` (it is to be done
    /// now), so a target's overdue inspections are one visit.
    public static func combined(_ dues: [DueInspection], withinDays days: Int, today: CivilDate) -> [[DueInspection]] {
        var groups: [[DueInspection]] = []
        for (_, ofTarget) in Dictionary(grouping: dues, by: \.target) {
            groups += visits(ofTarget, withinDays: days, today: today).filter { $0.count > 1 }
        }
        return groups.sorted { ($0[0].dueBy, $0[0].target.uuidString) < ($1[0].dueBy, $1[0].target.uuidString) }
    }

    /// One target's dues as visits: each visit the dues within `days` of its first, an overdue one
    /// counting as due `today`; earliest first, a visit's dues earliest first.
    public static func visits(_ dues: [DueInspection], withinDays days: Int, today: CivilDate) -> [[DueInspection]] {
        func day(_ due: DueInspection) -> Int { max(due.dueBy, today).dayNumber }
        var rest = dues.sorted { ($0.dueBy, $0.type.rawValue) < ($1.dueBy, $1.type.rawValue) }
        var visits: [[DueInspection]] = []
        while let first = rest.first {
            let visit = rest.filter { day($0) - day(first) <= days }
            rest.removeAll { due in visit.contains(due) }
            visits.append(visit)
        }
        return visits
    }
}

extension CivilDate {
    /// The same day `months` later (the 31st becomes the month's last day).
    public func adding(months: Int) -> CivilDate? {
        let (year, month, day) = components
        let index = year * 12 + (month - 1) + months
        let (y, m) = (index / 12, index % 12 + 1)
        return CivilDate(year: y, month: m, day: Swift.min(day, CivilDate.daysIn(month: m, year: y)))
    }
}

/// An inspection as the plan counts it: when it is planned, and when it was completed.
public struct PlannedInspection: Sendable, Equatable {
    public var target: UUID
    public var types: [InspectionType]
    /// The month it is planned for (`YYYY-MM`), once planned.
    public var plannedMonth: YearMonth?
    public var completedOn: CivilDate?
    public var cancelled: Bool

    public init(target: UUID, types: [InspectionType], plannedMonth: YearMonth?, completedOn: CivilDate? = nil, cancelled: Bool = false) {
        self.target = target
        self.types = types
        self.plannedMonth = plannedMonth
        self.completedOn = completedOn
        self.cancelled = cancelled
    }
}

/// One month of a year's coverage.
public struct MonthCoverage: Sendable, Equatable {
    public var month: YearMonth
    /// Inspections the month asks for: those still due in it, and those completed in it.
    public var required: Int
    /// Planned for the month and not yet completed.
    public var planned: Int
    public var done: Int
    /// Still due in the month although its day has passed.
    public var overdue: Int

    public init(month: YearMonth, required: Int, planned: Int, done: Int, overdue: Int) {
        self.month = month
        self.required = required
        self.planned = planned
        self.done = done
        self.overdue = overdue
    }
}

extension InspectionPlan {
    /// A year's coverage month by month: the open dues of the year by the month they fall due in
    /// (overdue when that day is before `today`), the inspections completed by the month they were
    /// completed in, and those planned and not yet completed by their month. A due of an earlier
    /// year still open counts in January.
    public static func coverage(year: Int, dues: [DueInspection], inspections: [PlannedInspection], today: CivilDate) -> [MonthCoverage] {
        var months = (1...12).compactMap { YearMonth(year: year, month: $0) }.map {
            MonthCoverage(month: $0, required: 0, planned: 0, done: 0, overdue: 0)
        }
        for due in dues where due.dueBy.year <= year {
            let index = due.dueBy.year < year ? 0 : due.dueBy.month - 1
            months[index].required += 1
            if due.dueBy < today { months[index].overdue += 1 }
        }
        for inspection in inspections where !inspection.cancelled {
            if let done = inspection.completedOn {
                guard done.year == year else { continue }
                months[done.month - 1].done += 1
                months[done.month - 1].required += 1
            } else if let month = inspection.plannedMonth, month.year == year {
                months[month.month - 1].planned += 1
            }
        }
        return months
    }
}

/// Where an inspection stands, step by step (a task end to end, issue 18 item 3).
public enum InspectionStatus: String, LabelledCode {
    /// In the plan, for a month; no team yet.
    case planned
    /// A team proposed; waiting for its inspectors to accept and declare no conflict.
    case staffing
    /// Every inspector of the team accepted.
    case staffed
    /// The notice sent to the inspected party, with the on-site days.
    case notified
    /// The team on site, recording findings.
    case onSite = "on_site"
    /// Concluded with findings to rectify: the inspected party rectifies, the team verifies.
    case rectifying
    /// Closed (结案): concluded without findings, or every finding's rectification settled.
    case completed
    case cancelled
    /// A licence inspection spared (减免现场检查) on the waiver's conditions: settled without a visit.
    case waived
    /// Settled by a partner province's result that Shanghai recognised (结果互认): counted done on the
    /// day the partner carried it out.
    case recognised

    public var label: String {
        switch self {
        case .planned: "已列入计划"
        case .staffing: "检查组待确认"
        case .staffed: "检查组已确认"
        case .notified: "已发出检查通知"
        case .onSite: "现场检查中"
        case .rectifying: "整改中"
        case .completed: "已结案"
        case .cancelled: "已取消"
        case .waived: "已减免现场检查"
        case .recognised: "已互认检查结果"
        }
    }

    /// Still to be carried out (nothing done on site yet): the plan's open inspections.
    public var isBeforeVisit: Bool { [.planned, .staffing, .staffed, .notified].contains(self) }

    /// Neither closed nor cancelled.
    public var isOpen: Bool { ![.completed, .cancelled, .waived, .recognised].contains(self) }

    /// Settled with a conclusion that stands for the target: closed after Shanghai's own visit, or a
    /// partner's result recognised instead (what credit files and the key-supervision review read).
    public static let concluded: [InspectionStatus] = [.completed, .recognised]
}

/// Why an inspection was made.
public enum InspectionSource: String, LabelledCode {
    /// The year's plan (full coverage).
    case plan
    /// A trial warning put among the inspection's priorities (纳入检查重点).
    case warning
    /// For cause (有因检查).
    case cause
    /// A new manufacturer's application for its production licence (生产许可申请).
    case licence
    /// A partner province's result recognised where no inspection of the plan was waiting for it.
    case recognition

    public var label: String {
        switch self {
        case .plan: "年度计划"
        case .warning: "临床试验预警"
        case .cause: "有因检查"
        case .licence: "生产许可申请"
        case .recognition: "长三角结果互认"
        }
    }
}

/// A target as the plan reads it: the target, and its credit code (an institution's code) and park,
/// for conflicts and scope.
public struct PlanTargetFacts: Sendable, Equatable {
    public var target: PlanTarget
    public var uscc: String?
    public var park: String?

    public init(target: PlanTarget, uscc: String?, park: String?) {
        self.target = target
        self.uscc = uscc
        self.park = park
    }
}

/// An inspection as lists and the plan read it.
public struct InspectionListing: Sendable, Equatable {
    public var id: UUID
    public var targetKind: InspectionTargetKind
    public var targetID: UUID
    public var targetName: String
    public var district: String?
    public var types: [InspectionType]
    public var source: InspectionSource
    public var status: InspectionStatus
    public var plannedMonth: YearMonth?
    public var dueBy: CivilDate?
    public var completedOn: CivilDate?
    public var version: Int

    public init(
        id: UUID, targetKind: InspectionTargetKind, targetID: UUID, targetName: String, district: String?, types: [InspectionType],
        source: InspectionSource, status: InspectionStatus, plannedMonth: YearMonth?, dueBy: CivilDate?, completedOn: CivilDate?, version: Int
    ) {
        self.id = id
        self.targetKind = targetKind
        self.targetID = targetID
        self.targetName = targetName
        self.district = district
        self.types = types
        self.source = source
        self.status = status
        self.plannedMonth = plannedMonth
        self.dueBy = dueBy
        self.completedOn = completedOn
        self.version = version
    }

    public var planned: PlannedInspection {
        PlannedInspection(
            target: targetID, types: types, plannedMonth: plannedMonth, completedOn: status == .cancelled ? nil : completedOn,
            cancelled: status == .cancelled)
    }
}
