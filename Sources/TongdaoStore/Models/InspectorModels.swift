import FluentKit
import Foundation
import TongdaoCore

/// A row of `inspectors` (migration 032): one member of the inspector corps, linked to a user account
/// where they have one. `categories` and `specialties` hold codes between commas (`,gcp,device_qms,`).
public final class InspectorModel: VersionedModel, @unchecked Sendable {
    public static let schema = "inspectors"

    @ID(key: .id) public var id: UUID?
    @OptionalField(key: "user_id") public var userID: UUID?
    @Field(key: "name") public var name: String
    @Field(key: "categories") public var categories: String
    @Field(key: "specialties") public var specialties: String
    @Field(key: "full_time") public var fullTime: Bool
    @Field(key: "rank") public var rank: String
    @Field(key: "capacity_days") public var capacityDays: Int
    @Field(key: "active") public var active: Bool
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}
}

/// A row of `inspector_employments`: a current (`to_on` null) or past employer.
public final class InspectorEmploymentModel: Model, @unchecked Sendable {
    public static let schema = "inspector_employments"

    @ID(key: .id) public var id: UUID?
    @Field(key: "inspector_id") public var inspectorID: UUID
    @Field(key: "employer") public var employer: String
    @OptionalField(key: "employer_uscc") public var employerUSCC: String?
    @Field(key: "from_on") public var from: String
    @OptionalField(key: "to_on") public var to: String?

    public init() {}
}

/// A row of `inspector_relationships`: a tie to a party the inspector declared.
public final class InspectorRelationshipModel: Model, @unchecked Sendable {
    public static let schema = "inspector_relationships"

    @ID(key: .id) public var id: UUID?
    @Field(key: "inspector_id") public var inspectorID: UUID
    @Field(key: "party") public var party: String
    @OptionalField(key: "party_uscc") public var partyUSCC: String?
    @Field(key: "kind") public var kind: String
    @Field(key: "declared_on") public var declaredOn: String
    @OptionalField(key: "note") public var note: String?

    public init() {}
}

/// A row of `inspector_trainings`.
public final class InspectorTrainingModel: Model, @unchecked Sendable {
    public static let schema = "inspector_trainings"

    @ID(key: .id) public var id: UUID?
    @Field(key: "inspector_id") public var inspectorID: UUID
    @Field(key: "trained_on") public var trainedOn: String
    @Field(key: "course") public var course: String
    @Field(key: "tenths_of_hours") public var tenthsOfHours: Int

    public init() {}
}

/// A row of `inspections` (migration 033): one inspection of one target, of one type or several
/// combined (`types`: codes between commas).
public final class InspectionModel: VersionedModel, @unchecked Sendable {
    public static let schema = "inspections"

    @ID(key: .id) public var id: UUID?
    @Field(key: "target_kind") public var targetKind: String
    @Field(key: "target_id") public var targetID: UUID
    @Field(key: "target_name") public var targetName: String
    @OptionalField(key: "target_uscc") public var targetUSCC: String?
    @OptionalField(key: "district_code") public var district: String?
    @OptionalField(key: "park_code") public var park: String?
    @Field(key: "types") public var types: String
    @Field(key: "source") public var source: String
    @Field(key: "status") public var status: String
    @OptionalField(key: "planned_month") public var plannedMonth: String?
    @OptionalField(key: "due_by") public var dueBy: String?
    @OptionalField(key: "completed_on") public var completedOn: String?
    // 034: the task's steps.
    @OptionalField(key: "reason") public var reason: String?
    @OptionalField(key: "warning_id") public var warningID: UUID?
    @OptionalField(key: "notice_on") public var noticeOn: String?
    @OptionalField(key: "onsite_from") public var onSiteFrom: String?
    @OptionalField(key: "onsite_to") public var onSiteTo: String?
    @OptionalField(key: "conclusion") public var conclusion: String?
    @OptionalField(key: "conclusion_reason") public var conclusionReason: String?
    @OptionalField(key: "report") public var report: String?
    @OptionalField(key: "closed_on") public var closedOn: String?
    // 037: a licence inspection's address, its centrally procured product, the waiver's basis.
    @OptionalField(key: "address") public var address: String?
    @OptionalField(key: "centrally_procured") public var centrallyProcured: Bool?
    @OptionalField(key: "waiver_basis") public var waiverBasis: String?
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}
}

/// A row of `inspection_team_members` (034): an inspector invited to an inspection's team, their
/// answer, a conflict the regulator overrode (the reasons and why), and the lead's rating.
public final class InspectionTeamMemberModel: Model, @unchecked Sendable {
    public static let schema = "inspection_team_members"

    @ID(key: .id) public var id: UUID?
    @Field(key: "inspection_id") public var inspectionID: UUID
    @Field(key: "inspector_id") public var inspectorID: UUID
    @Field(key: "role") public var role: String
    @Field(key: "state") public var state: String
    @Field(key: "invited_on") public var invitedOn: String
    @OptionalField(key: "answered_on") public var answeredOn: String?
    @OptionalField(key: "answer_note") public var answerNote: String?
    @OptionalField(key: "override_reason") public var overrideReason: String?
    @OptionalField(key: "overridden_conflicts") public var overriddenConflicts: String?
    @OptionalField(key: "rating") public var rating: Int?
    @OptionalField(key: "on_time") public var onTime: Bool?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}
}

/// A row of `inspection_findings` (034): one finding, numbered within its inspection.
public final class InspectionFindingModel: Model, @unchecked Sendable {
    public static let schema = "inspection_findings"

    @ID(key: .id) public var id: UUID?
    @Field(key: "inspection_id") public var inspectionID: UUID
    @Field(key: "number") public var number: Int
    @Field(key: "clause") public var clause: String
    @Field(key: "grade") public var grade: String
    @Field(key: "original_grade") public var originalGrade: String
    @Field(key: "description") public var description: String
    @OptionalField(key: "evidence") public var evidence: String?
    @OptionalField(key: "raised_reason") public var raisedReason: String?
    @OptionalField(key: "raised_on") public var raisedOn: String?
    @OptionalField(key: "rectify_by") public var rectifyBy: String?
    @OptionalField(key: "rectification") public var rectification: String?
    @OptionalField(key: "submitted_on") public var submittedOn: String?
    @OptionalField(key: "verified_on") public var verifiedOn: String?
    @OptionalField(key: "verification_note") public var verificationNote: String?
    @Field(key: "unresolved") public var unresolved: Bool
    @Field(key: "recorded_on") public var recordedOn: String
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}
}

/// A row of `inspection_events` (034): one step of an inspection's timeline, append-only.
public final class InspectionEventModel: Model, @unchecked Sendable {
    public static let schema = "inspection_events"

    @ID(key: .id) public var id: UUID?
    @Field(key: "inspection_id") public var inspectionID: UUID
    @Field(key: "kind") public var kind: String
    @Field(key: "occurred_on") public var occurredOn: String
    @OptionalField(key: "detail") public var detail: String?
    @Field(key: "recorded_by") public var recordedBy: String
    @OptionalField(key: "recorded_by_name") public var recordedByName: String?
    @Field(key: "recorded_at") public var recordedAt: Date

    public init() {}
}

/// A row of `key_supervision_entries` (035): one stay of a target on the key-supervision list.
public final class KeySupervisionEntryModel: VersionedModel, @unchecked Sendable {
    public static let schema = "key_supervision_entries"

    @ID(key: .id) public var id: UUID?
    @Field(key: "target_kind") public var targetKind: String
    @Field(key: "target_id") public var targetID: UUID
    @Field(key: "target_name") public var targetName: String
    @OptionalField(key: "target_uscc") public var targetUSCC: String?
    @OptionalField(key: "district_code") public var district: String?
    @OptionalField(key: "park_code") public var park: String?
    @Field(key: "status") public var status: String
    @Field(key: "live") public var live: Bool
    @Field(key: "reason") public var reason: String
    @OptionalField(key: "inspection_id") public var inspectionID: UUID?
    @Field(key: "proposed_on") public var proposedOn: String
    @Field(key: "proposed_by") public var proposedBy: String
    @OptionalField(key: "decided_on") public var decidedOn: String?
    @OptionalField(key: "decided_by") public var decidedBy: String?
    @OptionalField(key: "decision_reason") public var decisionReason: String?
    @OptionalField(key: "listed_on") public var listedOn: String?
    @OptionalField(key: "removal_reason") public var removalReason: String?
    @OptionalField(key: "removal_proposed_on") public var removalProposedOn: String?
    @OptionalField(key: "removed_on") public var removedOn: String?
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public var state: KeySupervisionStatus { KeySupervisionStatus(rawValue: status) ?? .proposed }

    public func set(_ status: KeySupervisionStatus) {
        self.status = status.rawValue
        live = status.isLive
    }
}

/// A row of `credit_events` (036): an event recorded by hand on a party's credit file.
public final class CreditEventModel: Model, @unchecked Sendable {
    public static let schema = "credit_events"

    @ID(key: .id) public var id: UUID?
    @Field(key: "party_kind") public var partyKind: String
    @Field(key: "party_id") public var partyID: UUID
    @Field(key: "party_name") public var partyName: String
    @OptionalField(key: "party_uscc") public var partyUSCC: String?
    @OptionalField(key: "district_code") public var district: String?
    @OptionalField(key: "park_code") public var park: String?
    @Field(key: "kind") public var kind: String
    @Field(key: "occurred_on") public var occurredOn: String
    @Field(key: "detail") public var detail: String
    @Field(key: "recorded_by") public var recordedBy: String
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}
}

/// A row of `inspector_uploads` (038): a sheet of the pool uploaded on the page, kept for its
/// uploader's confirmation.
public final class InspectorUploadModel: Model, @unchecked Sendable {
    public static let schema = "inspector_uploads"

    @ID(key: .id) public var id: UUID?
    @Field(key: "username") public var username: String
    @Field(key: "filename") public var filename: String
    @Field(key: "content") public var content: Data
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}
}
