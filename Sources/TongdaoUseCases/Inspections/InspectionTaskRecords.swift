import Foundation
import TongdaoCore
import TongdaoStore

/// An inspection as its reader may read it: the task, its team, its findings (when the reader reads
/// them), its open steps with their days and levels, and, on its own page, its timeline.
public struct InspectionRecord: Sendable, Equatable, Identifiable {
    public struct Member: Sendable, Equatable {
        public var inspectorID: UUID
        public var name: String
        public var role: InspectorRank
        public var state: TeamMemberState
        public var invitedOn: CivilDate
        public var answeredOn: CivilDate?
        /// Why they declined (the office reads it).
        public var answerNote: String?
        /// The conflicts the regulator overrode to put them on the team, and why (the office reads it).
        public var overriddenConflicts: String?
        public var overrideReason: String?
        /// The lead's rating, 1 to 5, and whether their steps were on time (at closure).
        public var rating: Int?
        public var onTime: Bool?
    }

    public struct Finding: Sendable, Equatable, Identifiable {
        public var id: UUID
        public var number: Int
        public var clause: String
        public var grade: FindingGrade
        /// The grade it was recorded with (differs once raised).
        public var originalGrade: FindingGrade
        public var description: String
        /// The evidence note: nil for a reader who may not read it yet.
        public var evidence: String?
        public var raisedReason: String?
        public var raisedOn: CivilDate?
        public var rectifyBy: CivilDate?
        public var rectification: String?
        public var submittedOn: CivilDate?
        public var verifiedOn: CivilDate?
        public var verificationNote: String?
        /// Closed without its rectification verified (逾期未整改).
        public var unresolved: Bool
        public var recordedOn: CivilDate

        /// 待整改, 待核实, 已整改, 逾期未整改.
        public var stateLabel: String {
            if verifiedOn != nil { return "已整改" }
            if unresolved { return "逾期未整改" }
            if submittedOn != nil { return "待核实" }
            return rectifyBy == nil ? "已记录" : "待整改"
        }
    }

    public struct Event: Sendable, Equatable {
        public var kind: InspectionEventKind
        public var occurredOn: CivilDate
        public var detail: String?
        /// Who recorded it, by name.
        public var by: String
        public var recordedAt: Date
    }

    public var id: UUID
    public var version: Int
    public var targetKind: InspectionTargetKind
    public var targetID: UUID
    public var targetName: String
    public var district: String?
    public var types: [InspectionType]
    public var source: InspectionSource
    public var status: InspectionStatus
    public var plannedMonth: YearMonth?
    public var dueBy: CivilDate?
    public var reason: String?
    public var warningID: UUID?
    public var noticeOn: CivilDate?
    public var onSiteFrom: CivilDate?
    public var onSiteTo: CivilDate?
    public var completedOn: CivilDate?
    public var conclusion: InspectionConclusion?
    public var conclusionReason: String?
    public var report: String?
    public var closedOn: CivilDate?
    public var team: [Member]
    /// Nil for a reader who may not read the findings yet.
    public var findings: [Finding]?
    public var steps: [TaskProgress.Step]
    public var level: ReviewClock.Level
    /// The timeline, on the inspection's own page (empty in lists).
    public var events: [Event]
    /// How the caller reads it.
    public var reader: InspectionReader
    /// What the caller may do with it now.
    public var may: Permitted
    /// A licence inspection's production address and centrally procured product; the waiver's
    /// basis once waived; and for the office, before the visit, whether it may be waived and why.
    public var address: String? = nil
    public var centrallyProcured = false
    public var waiverBasis: String? = nil
    public var waiver: LicenceWaiver.Assessment? = nil

    /// The steps the caller may take, for the pages to offer (the use cases decide again).
    public struct Permitted: Sendable, Equatable {
        public var manage = false
        /// On the team and accepted, or the office.
        public var conduct = false
        /// The lead (or the office): conclude, close, rate.
        public var lead = false
        /// Invited and not yet answered.
        public var answer = false
        public var rectify = false
    }

    public var lead: Member? { team.first { $0.role == .lead && $0.state.isOnTeam } }

    /// Its types in Chinese, between 、.
    public var typesLabel: String { types.map(\.label).joined(separator: "、") }
}
