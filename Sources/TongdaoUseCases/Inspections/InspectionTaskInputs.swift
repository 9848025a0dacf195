import Foundation
import TongdaoCore

// What each step of an inspection's task takes, as typed: the API and the pages fill the same structs.

/// An inspection for cause (有因检查), from a trial warning put among the inspection's priorities,
/// or a new manufacturer's licence inspection (生产许可现场检查).
public struct NewInspectionInput: Sendable, Equatable {
    /// `for_cause` (when left out) or `licence`.
    public var type: String?
    public var targetKind: String?
    public var targetID: String?
    /// `YYYY-MM`; this month when left out.
    public var plannedMonth: String?
    public var reason: String?
    /// The trial warning it comes from (its institution is the target).
    public var warningID: String?
    /// A licence inspection's production address, and whether its product is centrally procured.
    public var address: String?
    public var centrallyProcured: Bool

    public init(
        type: String? = nil, targetKind: String? = nil, targetID: String? = nil, plannedMonth: String? = nil, reason: String? = nil,
        warningID: String? = nil, address: String? = nil, centrallyProcured: Bool = false
    ) {
        self.type = type
        self.address = address
        self.centrallyProcured = centrallyProcured
        self.targetKind = targetKind
        self.targetID = targetID
        self.plannedMonth = plannedMonth
        self.reason = reason
        self.warningID = warningID
    }
}

/// A team: its lead and members by inspector id, and for each one with a conflict of interest the
/// regulator's reason to put them on it all the same.
public struct TeamInput: Sendable, Equatable {
    public var lead: String?
    public var members: [String]
    /// Inspector id → why the conflict is overridden.
    public var overrides: [String: String]

    public init(lead: String?, members: [String], overrides: [String: String] = [:]) {
        self.lead = lead
        self.members = members
        self.overrides = overrides
    }
}

/// An invited inspector's answer: accept, declaring no conflict of interest, or decline with a reason.
/// The regulator may record an inspector's answer given another way (by telephone), naming them.
public struct AnswerInput: Sendable, Equatable {
    public var accept: Bool
    public var declareNoConflict: Bool
    public var note: String?
    /// The inspector answered for (the regulator only); the caller's own invitation otherwise.
    public var inspectorID: String?

    public init(accept: Bool, declareNoConflict: Bool = false, note: String? = nil, inspectorID: String? = nil) {
        self.accept = accept
        self.declareNoConflict = declareNoConflict
        self.note = note
        self.inspectorID = inspectorID
    }
}

/// The notice: the day it is sent, and the days on site it announces.
public struct NoticeInput: Sendable, Equatable {
    public var noticeOn: String?
    public var onSiteFrom: String?
    public var onSiteTo: String?

    public init(noticeOn: String?, onSiteFrom: String?, onSiteTo: String?) {
        self.noticeOn = noticeOn
        self.onSiteFrom = onSiteFrom
        self.onSiteTo = onSiteTo
    }
}

public struct FindingInput: Sendable, Equatable {
    public var clause: String?
    public var grade: String?
    public var description: String?
    /// Confidential until closure.
    public var evidence: String?

    public init(clause: String?, grade: String?, description: String?, evidence: String? = nil) {
        self.clause = clause
        self.grade = grade
        self.description = description
        self.evidence = evidence
    }

    public static let mostClauseCharacters = 100
    public static let mostTextCharacters = 2_000
    public static let mostEvidenceCharacters = 4_000
}

/// The conclusion: the last day on site, the conclusion if the lead states one (it must be the
/// rule's), and the report.
public struct ConclusionInput: Sendable, Equatable {
    public var onSiteTo: String?
    public var conclusion: String?
    public var report: String?

    public init(onSiteTo: String?, conclusion: String? = nil, report: String? = nil) {
        self.onSiteTo = onSiteTo
        self.conclusion = conclusion
        self.report = report
    }
}

/// A verification of a submitted rectification: accepted, or returned with the reason.
public struct VerificationInput: Sendable, Equatable {
    public var accepted: Bool?
    public var note: String?

    public init(accepted: Bool?, note: String? = nil) {
        self.accepted = accepted
        self.note = note
    }
}
