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

/// The credit policy (held as data in `platform_settings`, like the plan's): the points each kind of
/// event is worth, how long an event counts, and the grades' thresholds.
public struct CreditPolicy: Sendable, Equatable, Codable {
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
        base: Int = 100,
        points: [String: Int] = [
            "compliant_inspection": 2, "non_compliant_inspection": -15, "unresolved_finding": -5, "warning_talk": -10, "penalty": -25, "listed": -20,
            "delisted": 10, "late_adverse_event_report": -5, "overdue_obligation": -10,
        ], years: Int = 3, gradeA: Int = 95, gradeB: Int = 80, gradeC: Int = 60
    ) {
        self.base = base
        self.points = points
        self.years = years
        self.gradeA = gradeA
        self.gradeB = gradeB
        self.gradeC = gradeC
    }

    public static let standard = CreditPolicy()

    public func points(for kind: CreditEventKind) -> Int { points[kind.rawValue] ?? 0 }
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

    /// The events, newest first, each with its points (expired ones counting none), the score from
    /// the base, and the grade by the thresholds.
    public static func assess(_ events: [CreditEvent], policy: CreditPolicy, today: CivilDate) -> CreditAssessment {
        let lines = events.sorted { ($0.on, $0.kind.rawValue) > ($1.on, $1.kind.rawValue) }.map { event in
            let expired = (event.on.adding(years: policy.years) ?? event.on) < today
            return Line(event: event, points: expired ? 0 : policy.points(for: event.kind), expired: expired)
        }
        let score = policy.base + lines.reduce(0) { $0 + $1.points }
        let grade: CreditGrade =
            score >= policy.gradeA ? .a : score >= policy.gradeB ? .b : score >= policy.gradeC ? .c : .d
        return CreditAssessment(base: policy.base, lines: lines, score: score, grade: grade)
    }

    /// Why the grade, in Chinese: “基础分 100，检查结论不符合要求 −15（2026-11-23）…，合计 65 分，C 级（失信风险）”.
    public var explanation: String {
        let counted = lines.filter { !$0.expired && $0.points != 0 }.reversed().map { line in
            "\(line.event.kind.label) \(line.points > 0 ? "+" : "−")\(abs(line.points))（\(line.event.on)）"
        }
        return (["基础分 \(base)"] + counted).joined(separator: "，") + "，合计 \(score) 分，\(grade.label)"
    }
}
