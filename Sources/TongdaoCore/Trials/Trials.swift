import Foundation

// Clinical-trial supervision (DOMAIN.md §6): the institutions that run trials, their investigators,
// the trials and the sites where each runs, and the rules read from their dates.

/// What a trial's timeline records.
public enum TrialEventKind: String, Sendable, Codable, CaseIterable {
    case registered
    case statusChanged = "status_changed"
    case siteAdded = "site_added"
    case siteChanged = "site_changed"
}

/// What a trial tests.
public enum TrialKind: String, LabelledCode {
    case drug
    case device
    case ivd

    public var label: String {
        switch self {
        case .drug: "药物"
        case .device: "医疗器械"
        case .ivd: "体外诊断试剂"
        }
    }
}

public enum TrialPhase: String, LabelledCode {
    case phase1 = "phase_1"
    case phase2 = "phase_2"
    case phase3 = "phase_3"
    case phase4 = "phase_4"
    case bioequivalence
    /// Device and IVD trials have no phases.
    case notApplicable = "not_applicable"

    public var label: String {
        switch self {
        case .phase1: "I期"
        case .phase2: "II期"
        case .phase3: "III期"
        case .phase4: "IV期"
        case .bioequivalence: "生物等效性试验"
        case .notApplicable: "不分期"
        }
    }
}

public enum TrialStatus: String, LabelledCode {
    /// Approved (or filed), no subject yet.
    case approved
    case recruiting
    /// Enrolment complete, follow-up going on.
    case ongoing
    case completed
    case suspended
    case terminated

    public var label: String {
        switch self {
        case .approved: "已获批准，尚未入组"
        case .recruiting: "招募中"
        case .ongoing: "进行中（招募完成）"
        case .completed: "已完成"
        case .suspended: "暂停"
        case .terminated: "提前终止"
        }
    }

    /// Whether the trial has ended.
    public var isClosed: Bool { self == .completed || self == .terminated }
}

public enum HospitalGrade: String, LabelledCode {
    case tertiaryA = "3a"
    case tertiaryB = "3b"
    case secondaryA = "2a"
    case secondaryB = "2b"
    case other

    public var label: String {
        switch self {
        case .tertiaryA: "三级甲等"
        case .tertiaryB: "三级乙等"
        case .secondaryA: "二级甲等"
        case .secondaryB: "二级乙等"
        case .other: "其他"
        }
    }
}

public enum InstitutionStatus: String, LabelledCode {
    case active
    case suspended
    case cancelled

    public var label: String {
        switch self {
        case .active: "正常"
        case .suspended: "暂停"
        case .cancelled: "已取消备案"
        }
    }
}

public enum SiteRole: String, LabelledCode {
    case lead
    case participating

    public var label: String {
        switch self {
        case .lead: "组长单位"
        case .participating: "参加单位"
        }
    }
}

/// The number a trial is known by: `CTR` and digits on the national drug-trial platform (药物临床试验
/// 登记与信息公示平台); the filing number for device and IVD trials.
public enum TrialRegistrationNumber {
    public static func problem(_ text: String, kind: TrialKind) -> FieldProblem? {
        switch kind {
        case .drug:
            let digits = text.dropFirst(3)
            guard text.hasPrefix("CTR"), (6...12).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                return FieldProblem(
                    "registrationNumber", "a drug trial's registration number is CTR and 6 to 12 digits (CTR20241234)",
                    chinese: "药物临床试验登记号应为 CTR 加 6 至 12 位数字（如 CTR20241234）")
            }
        case .device, .ivd:
            guard (4...40).contains(text.count), !text.contains(where: \.isWhitespace) else {
                return FieldProblem(
                    "registrationNumber", "a device trial's filing number is 4 to 40 characters without spaces",
                    chinese: "医疗器械临床试验备案号应为 4 至 40 个字符，不含空格")
            }
        }
        return nil
    }
}

/// The dates of one site, in the order they happen: ethics approval, activation, first subject,
/// close. None may be later than today (a site's state is what has happened); each is optional until
/// it happens, but none may come before the one it follows.
public struct SiteDates: Sendable, Equatable {
    public var ethicsApprovedOn: CivilDate?
    public var activatedOn: CivilDate?
    public var firstSubjectOn: CivilDate?
    public var closedOn: CivilDate?

    public init(ethicsApprovedOn: CivilDate? = nil, activatedOn: CivilDate? = nil, firstSubjectOn: CivilDate? = nil, closedOn: CivilDate? = nil) {
        self.ethicsApprovedOn = ethicsApprovedOn
        self.activatedOn = activatedOn
        self.firstSubjectOn = firstSubjectOn
        self.closedOn = closedOn
    }

    /// Active on a day: activated by then and not closed by then. A PI's load is their active sites.
    public func isActive(on day: CivilDate) -> Bool {
        guard let activatedOn, activatedOn <= day else { return false }
        return closedOn.map { $0 > day } ?? true
    }

    /// A PI's load month by month, the last `months` months to today: the sites active on each
    /// month's last day (today, for this month), labelled `YYYY-MM`, oldest first.
    public static func monthlyLoad(_ sites: [SiteDates], through today: CivilDate, months: Int = 24) -> [(month: String, active: Int)] {
        let (year, month, _) = today.components
        return (0..<max(1, months)).reversed().compactMap { back in
            let index = year * 12 + (month - 1) - back
            let (y, m) = (index / 12, index % 12 + 1)
            guard let last = CivilDate(year: y, month: m, day: CivilDate.daysIn(month: m, year: y)) else { return nil }
            let day = back == 0 ? today : last
            let label = "\(y)-\(m < 10 ? "0" : "")\(m)"
            return (label, sites.count { $0.isActive(on: day) })
        }
    }

    public func problems(today: CivilDate) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        let named: [(String, String, CivilDate?)] = [
            ("ethicsApprovedOn", "伦理审查批准日期", ethicsApprovedOn), ("activatedOn", "启动日期", activatedOn),
            ("firstSubjectOn", "首例入组日期", firstSubjectOn), ("closedOn", "关闭日期", closedOn),
        ]
        for (field, chinese, day) in named {
            if let day, day > today {
                problems.append(FieldProblem(field, "cannot be later than today", chinese: "\(chinese)不能晚于今天"))
            }
        }
        // Each date after the dates before it that are given.
        for (index, (field, chinese, day)) in named.enumerated() {
            guard let day else { continue }
            if let (_, earlierChinese, _) = named[..<index].last(where: { $0.2.map { $0 > day } ?? false }) {
                problems.append(FieldProblem(field, "cannot come before an earlier step's date", chinese: "\(chinese)不能早于\(earlierChinese)"))
            }
        }
        if firstSubjectOn != nil, activatedOn == nil {
            problems.append(FieldProblem("activatedOn", "is required once a subject is enrolled", chinese: "已有受试者入组，请填写启动日期"))
        }
        if closedOn != nil, activatedOn == nil {
            problems.append(FieldProblem("activatedOn", "is required for a site that is closed", chinese: "关闭的机构须填写启动日期"))
        }
        return problems
    }
}

/// The most sites a PI may carry at once before the regulator is warned: there is no national cap,
/// so the threshold is the platform's policy, with overrides by specialty, in force from a day.
public struct PILoadPolicy: VersionedPolicy {
    public var threshold: Int
    /// Specialty (as filed, e.g. 肿瘤科) → threshold.
    public var bySpecialty: [String: Int]
    /// Phase → the most active sites a PI may carry in trials of that phase (e.g. I期 2), on top of
    /// the threshold for all their sites.
    public var byPhase: [TrialPhase: Int]
    /// The first day it is in force (`YYYY-MM-DD`); the standard policy has always been.
    public var effectiveFrom: String

    /// As many specialty overrides as one version may hold (the contract's `maxProperties`).
    public static let mostSpecialties = 100

    public static let standard = PILoadPolicy(threshold: 5, bySpecialty: [:], effectiveFrom: "2000-01-01")

    public init(threshold: Int, bySpecialty: [String: Int] = [:], byPhase: [TrialPhase: Int] = [:], effectiveFrom: String = "2000-01-01") {
        self.threshold = threshold
        self.bySpecialty = bySpecialty
        self.byPhase = byPhase
        self.effectiveFrom = effectiveFrom
    }

    private enum CodingKeys: String, CodingKey { case threshold, bySpecialty, byPhase, effectiveFrom }

    /// Versions stored before phases were held have none (`byPhase` absent); phases are stored by their codes.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        threshold = try container.decode(Int.self, forKey: .threshold)
        bySpecialty = try container.decodeIfPresent([String: Int].self, forKey: .bySpecialty) ?? [:]
        let phases = try container.decodeIfPresent([String: Int].self, forKey: .byPhase) ?? [:]
        byPhase = Dictionary(uniqueKeysWithValues: phases.compactMap { code, value in TrialPhase(rawValue: code).map { ($0, value) } })
        effectiveFrom = try container.decode(String.self, forKey: .effectiveFrom)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(threshold, forKey: .threshold)
        try container.encode(bySpecialty, forKey: .bySpecialty)
        try container.encode(Dictionary(uniqueKeysWithValues: byPhase.map { ($0.key.rawValue, $0.value) }), forKey: .byPhase)
        try container.encode(effectiveFrom, forKey: .effectiveFrom)
    }

    /// What is wrong with a policy to be put in force from `effectiveFrom`, not earlier than `today`.
    public func problems(today: CivilDate) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if !(1...100).contains(threshold) {
            problems.append(FieldProblem("threshold", "must be between 1 and 100", chinese: "预警阈值应在 1 至 100 之间"))
        }
        if bySpecialty.count > Self.mostSpecialties {
            problems.append(
                FieldProblem(
                    "bySpecialty", "at most \(Self.mostSpecialties) specialties",
                    chinese: "专业阈值最多 \(Self.mostSpecialties) 项"))
        }
        for (specialty, value) in bySpecialty.sorted(by: { $0.key < $1.key }) {
            if specialty.trimmingWhitespace().isEmpty || specialty.count > 40 || !(1...100).contains(value) {
                problems.append(
                    FieldProblem(
                        "bySpecialty", "each specialty is named (at most 40 characters) with a threshold between 1 and 100",
                        chinese: "专业阈值：专业名称不超过 40 个字，阈值应在 1 至 100 之间（\(specialty)）"))
            }
        }
        for (phase, value) in byPhase.sorted(by: { $0.key.rawValue < $1.key.rawValue }) where !(1...100).contains(value) {
            problems.append(
                FieldProblem("byPhase", "each phase's threshold is between 1 and 100", chinese: "分期阈值应在 1 至 100 之间（\(phase.label)）"))
        }
        if let day = CivilDate(effectiveFrom) {
            if day < today {
                problems.append(FieldProblem("effectiveFrom", "cannot be before today", chinese: "生效日期不能早于今天"))
            }
        } else {
            problems.append(FieldProblem("effectiveFrom", "must be a date YYYY-MM-DD", chinese: "生效日期应为日期（YYYY-MM-DD）"))
        }
        return problems
    }

    /// The threshold for a PI of this specialty: the specialty's override, or the default.
    public func threshold(specialty: String) -> Int { bySpecialty[specialty] ?? threshold }

    /// A limit a PI's load passes: all their active sites against their specialty's threshold
    /// (`phase` nil), or their active sites in trials of one phase against that phase's.
    public struct Excess: Sendable, Equatable {
        public var phase: TrialPhase?
        public var load: Int
        public var limit: Int

        public init(phase: TrialPhase?, load: Int, limit: Int) {
            self.phase = phase
            self.load = load
            self.limit = limit
        }
    }

    /// Every limit a load passes, the one passed furthest first (all sites before a phase at a tie).
    public func excesses(_ load: Int, specialty: String, phaseLoads: [TrialPhase: Int] = [:]) -> [Excess] {
        var found: [Excess] = []
        if load > threshold(specialty: specialty) { found.append(Excess(phase: nil, load: load, limit: threshold(specialty: specialty))) }
        for phase in TrialPhase.allCases {
            if let limit = byPhase[phase], let count = phaseLoads[phase], count > limit {
                found.append(Excess(phase: phase, load: count, limit: limit))
            }
        }
        return found.enumerated().sorted { ($0.element.load - $0.element.limit, -$0.offset) > ($1.element.load - $1.element.limit, -$1.offset) }
            .map(\.element)
    }

    /// Whether a load is over the threshold (more active sites than it allows), in all or in one phase.
    public func isOverloaded(_ load: Int, specialty: String, phaseLoads: [TrialPhase: Int] = [:]) -> Bool {
        !excesses(load, specialty: specialty, phaseLoads: phaseLoads).isEmpty
    }

    /// The lowest load that can pass any limit of the policy for all sites (the kept loads' query floor).
    public var floor: Int { ([threshold] + bySpecialty.values).min() ?? threshold }
}

/// The 12-week start rule of the 30-working-day pilot: a trial approved under it must have its first
/// informed consent within 12 weeks of approval — amber from 8 weeks, red after 12.
public enum StartRule {
    public static let amberAfterDays = 56
    public static let limitDays = 84

    public enum Reading: Sendable, Equatable {
        /// Not a pilot trial, or no approval date.
        case notApplicable
        /// Started: the first consent on `on`, `late` if after the limit.
        case started(on: CivilDate, late: Bool)
        /// Waiting for the first consent, `daysLeft` until the limit (negative past it).
        case waiting(level: ReviewClock.Level, daysLeft: Int, due: CivilDate)
    }

    public static func read(pilot: Bool, approvedOn: CivilDate?, firstConsentOn: CivilDate?, today: CivilDate) -> Reading {
        guard pilot, let approvedOn else { return .notApplicable }
        let due = approvedOn.adding(days: limitDays)
        if let firstConsentOn { return .started(on: firstConsentOn, late: firstConsentOn > due) }
        let elapsed = today.dayNumber - approvedOn.dayNumber
        let level: ReviewClock.Level = elapsed > limitDays ? .red : elapsed >= amberAfterDays ? .amber : .green
        return .waiting(level: level, daysLeft: due.dayNumber - today.dayNumber, due: due)
    }
}

/// Who may run a site (DOMAIN.md §6): a drug trial's PI holds a senior title and has run at least
/// three earlier trials, at an institution filed for drug trials; a device or IVD trial's PI holds a
/// senior title, and at least three earlier trials for an innovative or Class III product, at an
/// institution filed for device trials of grade 二级甲等 or above — 三级甲等 for a trial that needs
/// approval. An officer may record an exemption with a reason; without one, each rule broken is a
/// problem naming the field and the rule.
public enum SiteQualification {
    public struct Trial: Sendable, Hashable {
        public var kind: TrialKind
        public var innovative: Bool
        public var classThree: Bool
        public var needsApproval: Bool

        public init(kind: TrialKind, innovative: Bool = false, classThree: Bool = false, needsApproval: Bool = false) {
            self.kind = kind
            self.innovative = innovative
            self.classThree = classThree
            self.needsApproval = needsApproval
        }

        /// Whether its principal investigator must have run earlier trials (`leastEarlierTrials`):
        /// a drug trial, or an innovative or Class III device.
        public var needsExperience: Bool { kind == .drug || innovative || classThree }
    }

    /// The earlier trials a principal investigator of a trial that `needsExperience` has run.
    public static let leastEarlierTrials = 3

    public struct Investigator: Sendable, Equatable {
        public var senior: Bool
        public var earlierTrials: Int

        public init(senior: Bool, earlierTrials: Int) {
            self.senior = senior
            self.earlierTrials = earlierTrials
        }
    }

    public struct Institution: Sendable, Equatable {
        public var grade: HospitalGrade
        public var drugFiled: Bool
        public var deviceFiled: Bool

        public init(grade: HospitalGrade, drugFiled: Bool, deviceFiled: Bool) {
            self.grade = grade
            self.drugFiled = drugFiled
            self.deviceFiled = deviceFiled
        }
    }

    public static func problems(_ trial: Trial, investigator: Investigator, institution: Institution) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if !investigator.senior {
            problems.append(
                FieldProblem(
                    "investigatorId", "a principal investigator holds a senior title", chinese: "主要研究者应具有高级职称（可由监管人员登记豁免并说明理由）"))
        }
        if trial.needsExperience, investigator.earlierTrials < leastEarlierTrials {
            let what = trial.kind == .drug ? "药物临床试验" : "创新或第三类医疗器械临床试验"
            problems.append(
                FieldProblem(
                    "investigatorId", "the principal investigator of this trial has run at least \(leastEarlierTrials) earlier trials",
                    chinese: "\(what)的主要研究者应参加过 \(leastEarlierTrials) 项以上临床试验（该研究者 \(investigator.earlierTrials) 项）"))
        }
        switch trial.kind {
        case .drug:
            if !institution.drugFiled {
                problems.append(FieldProblem("institutionId", "is not filed for drug trials", chinese: "该机构未备案为药物临床试验机构"))
            }
        case .device, .ivd:
            if !institution.deviceFiled {
                problems.append(FieldProblem("institutionId", "is not filed for device trials", chinese: "该机构未备案为医疗器械临床试验机构"))
            }
            let tertiaryA = institution.grade == .tertiaryA
            let secondaryAOrAbove = [HospitalGrade.tertiaryA, .tertiaryB, .secondaryA].contains(institution.grade)
            if trial.needsApproval, !tertiaryA {
                problems.append(
                    FieldProblem(
                        "institutionId", "a device trial that needs approval runs at a 三级甲等 hospital",
                        chinese: "需审批的医疗器械临床试验应在三级甲等医疗机构开展"))
            } else if !secondaryAOrAbove {
                problems.append(
                    FieldProblem("institutionId", "a device trial runs at a hospital of 二级甲等 or above", chinese: "医疗器械临床试验应在二级甲等以上医疗机构开展"))
            }
        }
        return problems
    }
}
