import Foundation

// The inspector corps (DOMAIN.md §10): 1,062 city inspectors in 2023, 469 for devices of whom 58
// full-time. Each inspection's team is drawn from them, never with a conflict of interest.

/// 检查员类别: what an inspector is qualified to inspect.
public enum InspectorCategory: String, LabelledCode {
    case drug
    case device

    public var label: String {
        switch self {
        case .drug: "药品"
        case .device: "医疗器械"
        }
    }
}

/// 检查专业: the kinds of inspection an inspector may take part in.
public enum InspectionSpecialty: String, LabelledCode {
    /// 药物临床试验质量管理规范
    case gcp
    /// 医疗器械临床试验质量管理规范
    case deviceGCP = "device_gcp"
    /// 药品生产质量管理规范
    case gmp
    /// 医疗器械生产质量管理规范（注册体系核查、生产许可）
    case deviceQMS = "device_qms"
    /// 经营质量管理规范
    case gsp
    /// 药物警戒
    case pharmacovigilance
    /// 医疗器械不良事件监测
    case deviceVigilance = "device_vigilance"
    /// 药物非临床研究质量管理规范
    case glp

    public var label: String {
        switch self {
        case .gcp: "药物临床试验（GCP）"
        case .deviceGCP: "医疗器械临床试验"
        case .gmp: "药品生产（GMP）"
        case .deviceQMS: "医疗器械生产质量管理规范"
        case .gsp: "经营质量管理规范（GSP）"
        case .pharmacovigilance: "药物警戒"
        case .deviceVigilance: "医疗器械不良事件监测"
        case .glp: "非临床研究（GLP）"
        }
    }
}

/// Whether an inspector may lead a team or serves on one.
public enum InspectorRank: String, LabelledCode {
    case lead
    case member

    public var label: String {
        switch self {
        case .lead: "组长"
        case .member: "组员"
        }
    }
}

/// What ties an inspector to a party, as they declared it (任职 is an employment, kept apart).
public enum RelationshipKind: String, LabelledCode {
    /// 近亲属在该单位任职
    case family
    /// 兼职、顾问或咨询
    case consulting
    /// 持股或其他经济利益
    case financial
    /// 曾参与其申报资料的编写或指导
    case advisory
    case other

    public var label: String {
        switch self {
        case .family: "近亲属任职"
        case .consulting: "兼职或顾问"
        case .financial: "持股或经济利益"
        case .advisory: "曾参与其申报或指导"
        case .other: "其他关系"
        }
    }
}

/// A party an inspection may be made of, and that an inspector may be tied to: an enterprise or an
/// institution, known by its unified social credit code (a trial institution's code is one too).
public struct PartyRef: Sendable, Hashable {
    public var name: String
    /// The unified social credit code, when known: conflicts are matched by it.
    public var uscc: String?

    public init(name: String, uscc: String? = nil) {
        self.name = name
        self.uscc = uscc
    }
}

/// An employment, current (`to` nil) or past.
public struct InspectorEmployment: Sendable, Hashable {
    public var employer: PartyRef
    public var from: CivilDate
    public var to: CivilDate?

    public init(employer: PartyRef, from: CivilDate, to: CivilDate? = nil) {
        self.employer = employer
        self.from = from
        self.to = to
    }
}

/// A tie to a party the inspector declared.
public struct InspectorRelationship: Sendable, Hashable {
    public var party: PartyRef
    public var kind: RelationshipKind
    public var declaredOn: CivilDate
    public var note: String?

    public init(party: PartyRef, kind: RelationshipKind, declaredOn: CivilDate, note: String? = nil) {
        self.party = party
        self.kind = kind
        self.declaredOn = declaredOn
        self.note = note
    }
}

/// A training the inspector took.
public struct InspectorTraining: Sendable, Hashable {
    public var on: CivilDate
    public var course: String
    /// Hours, in tenths of an hour (3.5 hours is 35).
    public var tenthsOfHours: Int

    public init(on: CivilDate, course: String, tenthsOfHours: Int) {
        self.on = on
        self.course = course
        self.tenthsOfHours = tenthsOfHours
    }

    /// `3.5`, `12`.
    public var hoursText: String {
        tenthsOfHours % 10 == 0 ? "\(tenthsOfHours / 10)" : "\(tenthsOfHours / 10).\(tenthsOfHours % 10)"
    }

    /// Hours as typed (`3`, `3.5`, `12.25` is refused: tenths at most), in tenths.
    public static func tenths(of text: String) -> Int? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = Int(parts[0]), whole >= 0, parts[0].allSatisfy(\.isASCIIDigit) else { return nil }
        guard parts.count == 2 else { return whole * 10 }
        guard parts[1].count == 1, let tenth = Int(parts[1]), parts[1].allSatisfy(\.isASCIIDigit) else { return nil }
        return whole * 10 + tenth
    }
}

/// An inspector's ties to parties, and whether any of them bars them from inspecting one.
public struct InspectorTies: Sendable, Equatable {
    public var employments: [InspectorEmployment]
    public var relationships: [InspectorRelationship]

    public init(employments: [InspectorEmployment], relationships: [InspectorRelationship]) {
        self.employments = employments
        self.relationships = relationships
    }
}

/// A reason an inspector may not inspect a party (回避事由).
public struct ConflictOfInterest: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case currentEmployer
        /// Left it on `until`, within the look-back.
        case pastEmployer(until: CivilDate)
        case declared(RelationshipKind)
    }

    public var kind: Kind
    public var party: PartyRef

    /// The reason in Chinese, as the team proposal shows it beside the inspector left out.
    public var chinese: String {
        switch kind {
        case .currentEmployer: "现任职于\(party.name)"
        case .pastEmployer(let until): "曾任职于\(party.name)（至 \(until)）"
        case .declared(let relationship): "已申报与\(party.name)存在利益关系：\(relationship.label)"
        }
    }

    /// The policy: how many years after leaving an employer an inspector still may not inspect it.
    public struct Rule: Sendable, Equatable, Codable {
        public var pastEmployerYears: Int

        public init(pastEmployerYears: Int) {
            self.pastEmployerYears = pastEmployerYears
        }

        public static let standard = Rule(pastEmployerYears: 3)

        public func problems() -> [FieldProblem] {
            (0...30).contains(pastEmployerYears)
                ? [] : [FieldProblem("pastEmployerYears", "must be between 0 and 30", chinese: "离职回避年限应在 0 至 30 年之间")]
        }
    }

    /// Every reason `ties` bar inspecting `target` on `day`: its current employer, a past one left
    /// within the rule's years (to the day: left 2023-06-30 with 3 years bars through 2026-06-30), or
    /// a declared relationship. Parties are the same when their credit codes are, or, where either has
    /// none, when their names are.
    public static func reasons(_ ties: InspectorTies, target: PartyRef, on day: CivilDate, rule: Rule) -> [ConflictOfInterest] {
        var reasons: [ConflictOfInterest] = []
        for employment in ties.employments where same(employment.employer, target) && employment.from <= day {
            if let to = employment.to {
                if let end = to.adding(years: rule.pastEmployerYears), day <= end, to < day {
                    reasons.append(ConflictOfInterest(kind: .pastEmployer(until: to), party: employment.employer))
                } else if to >= day {
                    reasons.append(ConflictOfInterest(kind: .currentEmployer, party: employment.employer))
                }
            } else {
                reasons.append(ConflictOfInterest(kind: .currentEmployer, party: employment.employer))
            }
        }
        for relationship in ties.relationships where same(relationship.party, target) {
            reasons.append(ConflictOfInterest(kind: .declared(relationship.kind), party: relationship.party))
        }
        return reasons
    }

    static func same(_ a: PartyRef, _ b: PartyRef) -> Bool {
        if let x = a.uscc, let y = b.uscc { return x == y }
        return a.name.trimmingWhitespace() == b.name.trimmingWhitespace()
    }
}

extension CivilDate {
    /// The same day `years` later (29 February becomes 28 February in a common year); nil outside the
    /// calendar's years.
    public func adding(years: Int) -> CivilDate? {
        let (year, month, day) = components
        return CivilDate(year: year + years, month: month, day: Swift.min(day, CivilDate.daysIn(month: month, year: year + years)))
    }
}

/// An inspector as the pool keeps them: what they inspect, how much, and their ties and trainings.
public struct InspectorProfile: Sendable, Equatable {
    public var name: String
    public var categories: [InspectorCategory]
    public var specialties: [InspectionSpecialty]
    public var fullTime: Bool
    public var rank: InspectorRank
    /// Days a year they can give to inspections.
    public var capacityDays: Int
    /// In the pool (an inspector who left it is kept, for the inspections they took part in).
    public var active: Bool
    public var employments: [InspectorEmployment]
    public var relationships: [InspectorRelationship]
    public var trainings: [InspectorTraining]

    public init(
        name: String, categories: [InspectorCategory], specialties: [InspectionSpecialty], fullTime: Bool, rank: InspectorRank,
        capacityDays: Int, active: Bool = true, employments: [InspectorEmployment] = [], relationships: [InspectorRelationship] = [],
        trainings: [InspectorTraining] = []
    ) {
        self.name = name
        self.categories = categories
        self.specialties = specialties
        self.fullTime = fullTime
        self.rank = rank
        self.capacityDays = capacityDays
        self.active = active
        self.employments = employments
        self.relationships = relationships
        self.trainings = trainings
    }

    public var ties: InspectorTies { InspectorTies(employments: employments, relationships: relationships) }

    /// The employer they work for now (the latest of those without an end).
    public var currentEmployer: PartyRef? { employments.filter { $0.to == nil }.max { $0.from < $1.from }?.employer }

    /// Training hours in a calendar year, in tenths.
    public func trainingTenths(in year: Int) -> Int {
        trainings.filter { $0.on.year == year }.reduce(0) { $0 + $1.tenthsOfHours }
    }

    /// The rules between fields (each field's own form is read before): an employment ends after it
    /// begins, and what happened did not happen after `today`.
    public func problems(today: CivilDate) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if categories.isEmpty { problems.append(FieldProblem("categories", "needs at least one", chinese: "请至少选择一个检查员类别")) }
        if specialties.isEmpty { problems.append(FieldProblem("specialties", "needs at least one", chinese: "请至少选择一个检查专业")) }
        for (index, employment) in employments.enumerated() {
            if employment.from > today {
                problems.append(FieldProblem("employments[\(index)].from", "cannot be later than today", chinese: "任职起始日期不能晚于今天"))
            }
            if let to = employment.to, to < employment.from {
                problems.append(FieldProblem("employments[\(index)].to", "cannot come before the start", chinese: "任职结束日期不能早于起始日期"))
            }
        }
        for (index, relationship) in relationships.enumerated() where relationship.declaredOn > today {
            problems.append(FieldProblem("relationships[\(index)].declaredOn", "cannot be later than today", chinese: "申报日期不能晚于今天"))
        }
        for (index, training) in trainings.enumerated() where training.on > today {
            problems.append(FieldProblem("trainings[\(index)].on", "cannot be later than today", chinese: "培训日期不能晚于今天"))
        }
        return problems
    }

    /// The same profile with each list in the order pages show it (categories and specialties in
    /// their cases' order, employments and ties by their days, trainings by theirs; ties between
    /// them by their texts), so that two profiles holding the same entries are equal whatever order
    /// they were typed in.
    public var normalized: InspectorProfile {
        var profile = self
        profile.categories = InspectorCategory.allCases.filter(categories.contains)
        profile.specialties = InspectionSpecialty.allCases.filter(specialties.contains)
        profile.employments.sort { ($0.from, $0.employer.name, $0.to?.dayNumber ?? .max) < ($1.from, $1.employer.name, $1.to?.dayNumber ?? .max) }
        profile.relationships.sort { ($0.declaredOn, $0.party.name, $0.kind.rawValue) < ($1.declaredOn, $1.party.name, $1.kind.rawValue) }
        profile.trainings.sort { ($0.on, $0.course, $0.tenthsOfHours) < ($1.on, $1.course, $1.tenthsOfHours) }
        return profile
    }

    /// Codes between commas, as the row keeps a list (`,gcp,device_qms,`), in the order of their cases.
    public static func stored<T: LabelledCode>(_ codes: [T]) -> String {
        "," + T.allCases.filter(codes.contains).map(\.rawValue).joined(separator: ",") + ","
    }

    /// The codes of a stored list (unknown ones left out).
    public static func codes<T: LabelledCode>(_ text: String, as _: T.Type = T.self) -> [T] {
        text.split(separator: ",").compactMap { T(rawValue: String($0)) }
    }
}

/// An inspector's year of inspections (pay by ability and results, seeds/000): the inspections
/// closed in the year they were on the team of, how many on time, and the lead's ratings.
public struct InspectorPerformance: Sendable, Equatable {
    /// One inspection as the team row keeps it: the day it closed, on time or not, the rating.
    public struct Entry: Sendable, Equatable {
        public var closedOn: CivilDate
        public var led: Bool
        public var onTime: Bool?
        public var rating: Int?

        public init(closedOn: CivilDate, led: Bool, onTime: Bool?, rating: Int?) {
            self.closedOn = closedOn
            self.led = led
            self.onTime = onTime
            self.rating = rating
        }
    }

    public var year: Int
    public var inspections: Int
    public var led: Int
    public var onTime: Int
    /// The ratings given (a lead rates the members, not themself).
    public var ratings: [Int]

    /// The mean rating to one decimal, nil when none was given.
    public var averageRating: Double? {
        guard !ratings.isEmpty else { return nil }
        return (Double(ratings.reduce(0, +)) / Double(ratings.count) * 10).rounded() / 10
    }

    /// “8 次（组长 2 次），按时 7 次，平均评分 4.3（6 人次评分）”.
    public var summary: String {
        var text = "\(inspections) 次" + (led > 0 ? "（组长 \(led) 次）" : "") + "，按时 \(onTime) 次"
        text += averageRating.map { "，平均评分 \(String(format: "%.1f", $0))（\(ratings.count) 人次评分）" } ?? "，尚无评分"
        return text
    }

    /// The entries summed by the year they closed in, the latest year first.
    public static func byYear(_ entries: [Entry]) -> [InspectorPerformance] {
        Dictionary(grouping: entries, by: \.closedOn.year).map { year, entries in
            InspectorPerformance(
                year: year, inspections: entries.count, led: entries.count(where: \.led), onTime: entries.count { $0.onTime == true },
                ratings: entries.compactMap(\.rating))
        }.sorted { $0.year > $1.year }
    }
}
