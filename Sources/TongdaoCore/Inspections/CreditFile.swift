import Foundation

// Credit files (信用档案, issue 18 item 5; DOMAIN.md §10): for every enterprise and institution, a
// timeline of credit events, each worth points set by policy, and a grade (A–D) that explains
// itself point by point.

/// What happened to a party that counts for its credit.
public enum CreditEventKind: String, LabelledCode {
    /// An inspection closed compliant.
    case compliantInspection = "compliant_inspection"
    /// An inspection closed not compliant.
    case nonCompliantInspection = "non_compliant_inspection"
    /// A finding left unrectified at closure.
    case unresolvedFinding = "unresolved_finding"
    /// 告诫约谈
    case warningTalk = "warning_talk"
    /// 行政处罚
    case penalty
    /// Listed on the key-supervision list.
    case listed
    /// Removed from it.
    case delisted
    /// 不良事件迟报 (the post-market issue records them).
    case lateAdverseEventReport = "late_adverse_event_report"
    /// 附条件批准义务逾期 (likewise).
    case overdueObligation = "overdue_obligation"

    public var label: String {
        switch self {
        case .compliantInspection: "检查结论符合要求"
        case .nonCompliantInspection: "检查结论不符合要求"
        case .unresolvedFinding: "缺陷逾期未整改"
        case .warningTalk: "告诫约谈"
        case .penalty: "行政处罚"
        case .listed: "列入重点监管名单"
        case .delisted: "移出重点监管名单"
        case .lateAdverseEventReport: "不良事件迟报"
        case .overdueObligation: "附条件批准义务逾期"
        }
    }

    /// Recorded by the regulator on the credit file itself (the others come from inspections and the list).
    public var isRecordedByHand: Bool { self == .warningTalk || self == .penalty }
}

/// The credit policy, held as data in versions (`platform_settings`, like the plan's): the points
/// each kind of event is worth, how long an event counts, and the grades' thresholds, each version in
/// force from a day (`city_admin` changes it; each version audited).
public struct CreditPolicy: VersionedPolicy {
    /// `YYYY-MM-DD`: the first day this version is in force.
    public var effectiveFrom: String
    /// Every file starts from this score.
    public var base: Int
    /// Points by event kind (negative for a loss); a kind not named is worth 0.
    public var points: [String: Int]
    /// An event counts for so many years after its day.
    public var years: Int
    /// The lowest score of A, B and C; below C is D.
    public var gradeA: Int
    public var gradeB: Int
    public var gradeC: Int

    public init(
        effectiveFrom: String = "2000-01-01", base: Int = 100,
        points: [String: Int] = [
            "compliant_inspection": 2, "non_compliant_inspection": -15, "unresolved_finding": -5, "warning_talk": -10, "penalty": -25, "listed": -20,
            "delisted": 10, "late_adverse_event_report": -5, "overdue_obligation": -10,
        ], years: Int = 3, gradeA: Int = 95, gradeB: Int = 80, gradeC: Int = 60
    ) {
        self.effectiveFrom = effectiveFrom
        self.base = base
        self.points = points
        self.years = years
        self.gradeA = gradeA
        self.gradeB = gradeB
        self.gradeC = gradeC
    }

    /// The city's points of 2024, in force from the platform's beginning.
    public static let standard = CreditPolicy()

    public func points(for kind: CreditEventKind) -> Int { points[kind.rawValue] ?? 0 }

    /// Each figure's bounds (points −100…100 for known kinds only; thresholds A > B > C within
    /// 0…base), and a version that starts today or later.
    public func problems(today: CivilDate) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if let day = CivilDate(effectiveFrom) {
            if day < today { problems.append(FieldProblem("effectiveFrom", "cannot be before today", chinese: "生效日期不能早于今天")) }
        } else {
            problems.append(FieldProblem("effectiveFrom", "must be a date YYYY-MM-DD", chinese: "生效日期应为日期（YYYY-MM-DD）"))
        }
        if !(1...1_000).contains(base) {
            problems.append(FieldProblem("base", "must be between 1 and 1000", chinese: "基础分应在 1 至 1000 之间"))
        }
        if !(1...10).contains(years) {
            problems.append(FieldProblem("years", "must be between 1 and 10", chinese: "信用事件计分年限应在 1 至 10 年之间"))
        }
        for (code, value) in points.sorted(by: { $0.key < $1.key }) {
            guard let kind = CreditEventKind(rawValue: code) else {
                problems.append(FieldProblem("points.\(code)", "names no credit event kind", chinese: "没有该类信用事件：\(code)"))
                continue
            }
            if !(-100...100).contains(value) {
                problems.append(FieldProblem("points.\(code)", "must be between -100 and 100", chinese: "“\(kind.label)”的分值应在 −100 至 100 之间"))
            }
        }
        let thresholds = [("gradeA", "A 级", gradeA), ("gradeB", "B 级", gradeB), ("gradeC", "C 级", gradeC)]
        for (field, label, value) in thresholds where !(0...base).contains(value) {
            problems.append(FieldProblem(field, "must be between 0 and the base", chinese: "\(label)最低分应在 0 至基础分之间"))
        }
        if gradeA <= gradeB || gradeB <= gradeC {
            problems.append(FieldProblem("gradeB", "the thresholds must fall from A to C", chinese: "等级最低分应为 A 级高于 B 级、B 级高于 C 级"))
        }
        return problems
    }
}

/// A credit grade.
public enum CreditGrade: String, LabelledCode {
    case a = "A"
    case b = "B"
    case c = "C"
    case d = "D"

    public var label: String {
        switch self {
        case .a: "A 级（守信）"
        case .b: "B 级（基本守信）"
        case .c: "C 级（失信风险）"
        case .d: "D 级（严重失信）"
        }
    }
}

/// One event on a credit file.
public struct CreditEvent: Sendable, Equatable {
    public var kind: CreditEventKind
    public var on: CivilDate
    /// What happened, in Chinese.
    public var detail: String

    public init(kind: CreditEventKind, on: CivilDate, detail: String) {
        self.kind = kind
        self.on = on
        self.detail = detail
    }
}

/// A file's grade, explained point by point.
public struct CreditAssessment: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        public var event: CreditEvent
        public var points: Int
        /// Past the policy's years: shown, not counted.
        public var expired: Bool
    }

    public var base: Int
    public var lines: [Line]
    public var score: Int
    public var grade: CreditGrade
    /// How many years an event counts (the policy in force).
    public var years: Int

    /// The events, newest first, each with its points (expired ones counting none), the score from
    /// the base, and the grade by the thresholds, all under one policy.
    public static func assess(_ events: [CreditEvent], policy: CreditPolicy, today: CivilDate) -> CreditAssessment {
        assess(events, today: today, policy: policy) { _ in policy }
    }

    /// The same under a policy held in versions: each event worth the points of the version in force
    /// on its day (a later change does not revalue what happened before it); the base, the years an
    /// event counts and the thresholds those of the version in force today.
    public static func assess(_ events: [CreditEvent], versions: [CreditPolicy], today: CivilDate) -> CreditAssessment {
        assess(events, today: today, policy: CreditPolicy.inForce(on: today, among: versions)) { CreditPolicy.inForce(on: $0, among: versions) }
    }

    private static func assess(
        _ events: [CreditEvent], today: CivilDate, policy: CreditPolicy, pointsOn: (CivilDate) -> CreditPolicy
    ) -> CreditAssessment {
        let lines = events.sorted { ($0.on, $0.kind.rawValue) > ($1.on, $1.kind.rawValue) }.map { event in
            let expired = (event.on.adding(years: policy.years) ?? event.on) < today
            return Line(event: event, points: expired ? 0 : pointsOn(event.on).points(for: event.kind), expired: expired)
        }
        let score = policy.base + lines.reduce(0) { $0 + $1.points }
        let grade: CreditGrade =
            score >= policy.gradeA ? .a : score >= policy.gradeB ? .b : score >= policy.gradeC ? .c : .d
        return CreditAssessment(base: policy.base, lines: lines, score: score, grade: grade, years: policy.years)
    }

    /// Why the grade, in Chinese: “基础分 100，检查结论不符合要求 −15（2026-11-23）…，合计 65 分，C 级（失信风险）”.
    public var explanation: String {
        let counted = lines.filter { !$0.expired && $0.points != 0 }.reversed().map { line in
            "\(line.event.kind.label) \(line.points > 0 ? "+" : "−")\(abs(line.points))（\(line.event.on)）"
        }
        return (["基础分 \(base)"] + counted).joined(separator: "，") + "，合计 \(score) 分，\(grade.label)"
    }
}
