import Foundation

/// What a trial warning is about.
public enum TrialWarningKind: String, LabelledCode {
    /// A PI carries more active sites than the threshold (研究者同期承担项目过多).
    case piOverload = "pi_overload"
    /// A pilot trial without its first informed consent 8 weeks after approval (amber), or 12 (red).
    case lateStart = "late_start"

    public var label: String {
        switch self {
        case .piOverload: "主要研究者同期承担项目过多"
        case .lateStart: "获批后未按期启动（12 周）"
        }
    }
}

/// Where the regulator's assessment of a warning stands.
public enum TrialWarningStatus: String, LabelledCode {
    /// Not assessed yet.
    case open
    /// Assessed and dismissed, with a reason.
    case dismissed
    /// Assessed and put among the inspection's priorities (纳入检查重点).
    case focus

    public var label: String {
        switch self {
        case .open: "待评估"
        case .dismissed: "评估后排除"
        case .focus: "纳入检查重点"
        }
    }
}

/// The nightly sweep of the trial warnings: a warning is raised when a condition holds (a PI over the
/// threshold, a pilot trial waiting for its first consent past 8 weeks) and no warning of the same
/// subject is live at that grade or above; it ends when the condition no longer holds, or when the
/// condition grows past it (more active sites, amber turned red), which raises a new one to be
/// assessed again. So a dismissed warning stays dismissed while nothing gets worse, and one subject
/// has at most one live warning of a kind.
public enum TrialWarningSweep {
    /// A condition found today.
    public struct Condition: Sendable, Hashable {
        public var kind: TrialWarningKind
        /// The investigator (PI overload) or the trial (late start).
        public var subject: UUID
        /// How bad it is: the load for a PI, 1 (amber) or 2 (red) for a late start.
        public var grade: Int

        public init(kind: TrialWarningKind, subject: UUID, grade: Int) {
            self.kind = kind
            self.subject = subject
            self.grade = grade
        }
    }

    /// A warning raised earlier and not ended.
    public struct Live: Sendable, Equatable {
        public var id: UUID
        public var kind: TrialWarningKind
        public var subject: UUID
        public var grade: Int

        public init(id: UUID, kind: TrialWarningKind, subject: UUID, grade: Int) {
            self.id = id
            self.kind = kind
            self.subject = subject
            self.grade = grade
        }
    }

    public struct Plan: Sendable, Equatable {
        /// The conditions to raise a warning for, in the order given.
        public var raise: [Condition]
        /// The live warnings that end today (their condition is gone or has grown past them).
        public var end: [UUID]
    }

    public static func plan(conditions: [Condition], live: [Live]) -> Plan {
        struct Key: Hashable {
            var kind: TrialWarningKind
            var subject: UUID
        }
        var found: [Key: Condition] = [:]
        for condition in conditions {
            let key = Key(kind: condition.kind, subject: condition.subject)
            if let earlier = found[key], earlier.grade >= condition.grade { continue }
            found[key] = condition
        }
        var covered: [Key: Int] = [:]
        var end: [UUID] = []
        for warning in live {
            let key = Key(kind: warning.kind, subject: warning.subject)
            guard let condition = found[key], condition.grade <= warning.grade else {
                end.append(warning.id)
                continue
            }
            covered[key] = max(covered[key] ?? .min, warning.grade)
        }
        var raised: Set<Key> = []
        let raise = conditions.filter { condition in
            let key = Key(kind: condition.kind, subject: condition.subject)
            guard found[key] == condition, covered[key] == nil, !raised.contains(key) else { return false }
            raised.insert(key)
            return true
        }
        return Plan(raise: raise, end: end)
    }

    /// A late start's grade: 1 from 8 weeks after approval, 2 past 12; nil before 8 weeks or once
    /// started (`StartRule`).
    public static func lateStartGrade(_ reading: StartRule.Reading) -> Int? {
        guard case .waiting(let level, _, _) = reading else { return nil }
        switch level {
        case .green: return nil
        case .amber: return 1
        case .red: return 2
        }
    }
}

/// What the regulator concludes of a warning.
public enum TrialWarningOutcome: String, LabelledCode {
    case dismissed
    case focus

    /// The longest reason an assessment keeps.
    public static let mostReasonCharacters = 500

    public var label: String { status.label }

    public var status: TrialWarningStatus {
        switch self {
        case .dismissed: .dismissed
        case .focus: .focus
        }
    }
}
