import FluentKit
import Foundation

/// A row of `delta_links`: a registrant's product made by manufacturers in other Delta provinces.
public final class DeltaLinkModel: Model, VersionedModel, @unchecked Sendable {
    public static let schema = "delta_links"

    @ID(key: .id) public var id: UUID?
    @Field(key: "kind") public var kind: String
    @Field(key: "product_name") public var productName: String
    @Field(key: "product_category") public var productCategory: String
    @OptionalField(key: "product_id") public var productID: UUID?
    @Field(key: "registrant_id") public var registrantID: UUID
    @Field(key: "registrant_uscc") public var registrantUSCC: String
    @Field(key: "registrant_province") public var registrantProvince: String
    @Field(key: "starts_on") public var startsOn: String
    @Field(key: "ends_on") public var endsOn: String
    @Field(key: "agreement_signed_on") public var agreementSignedOn: String
    @Field(key: "agreement_ends_on") public var agreementEndsOn: String
    @OptionalField(key: "ended_on") public var endedOn: String?
    /// Every province involved, `,SH,JS,`.
    @Field(key: "provinces") public var provinces: String
    /// Every party's credit code, `,<USCC>,<USCC>,`.
    @Field(key: "parties") public var parties: String
    @Field(key: "recorded_by") public var recordedBy: String
    @Field(key: "recorded_on") public var recordedOn: String
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}
}

/// A row of `delta_link_sites`: one manufacturer of a link and the stage it makes.
public final class DeltaLinkSiteModel: Model, @unchecked Sendable {
    public static let schema = "delta_link_sites"

    @ID(key: .id) public var id: UUID?
    @Field(key: "link_id") public var linkID: UUID
    @Field(key: "position") public var position: Int
    @Field(key: "enterprise_id") public var enterpriseID: UUID
    @Field(key: "uscc") public var uscc: String
    @Field(key: "province") public var province: String
    @OptionalField(key: "stage") public var stage: String?

    public init() {}
}

/// A row of `delta_link_events`: a filing on a link's timeline.
public final class DeltaLinkEventModel: Model, @unchecked Sendable {
    public static let schema = "delta_link_events"

    @ID(key: .id) public var id: UUID?
    @Field(key: "link_id") public var linkID: UUID
    @Field(key: "kind") public var kind: String
    @Field(key: "occurred_on") public var occurredOn: String
    @Field(key: "summary") public var summary: String
    @Field(key: "recorded_by") public var recordedBy: String
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}
}

/// A row of `delta_commitments`: a confidentiality commitment with a partner province's regulator.
public final class DeltaCommitmentModel: Model, @unchecked Sendable {
    public static let schema = "delta_commitments"

    @ID(key: .id) public var id: UUID?
    @Field(key: "province") public var province: String
    @Field(key: "signed_on") public var signedOn: String
    @OptionalField(key: "ends_on") public var endsOn: String?
    @Field(key: "reference") public var reference: String
    @Field(key: "recorded_by") public var recordedBy: String
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}
}

/// A row of `delta_shares`: a closed inspection's result shared with a partner province.
public final class DeltaShareModel: Model, VersionedModel, @unchecked Sendable {
    public static let schema = "delta_shares"

    @ID(key: .id) public var id: UUID?
    @Field(key: "inspection_id") public var inspectionID: UUID
    @Field(key: "province") public var province: String
    /// The fields shared, `,conclusion,findings,`.
    @Field(key: "fields") public var fields: String
    @OptionalField(key: "note") public var note: String?
    @Field(key: "shared_on") public var sharedOn: String
    @Field(key: "shared_by") public var sharedBy: String
    @OptionalField(key: "withdrawn_on") public var withdrawnOn: String?
    @OptionalField(key: "withdrawn_by") public var withdrawnBy: String?
    @OptionalField(key: "withdraw_reason") public var withdrawReason: String?
    /// The partner's recognition of the result (结果互认): when, by whom, its reference.
    @OptionalField(key: "recognised_on") public var recognisedOn: String?
    @OptionalField(key: "recognised_by") public var recognisedBy: String?
    @OptionalField(key: "recognition_reference") public var recognitionReference: String?
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}
}

/// A row of `delta_joint_inspections`: an inspection of Shanghai's made jointly with a partner province.
public final class DeltaJointModel: Model, VersionedModel, @unchecked Sendable {
    public static let schema = "delta_joint_inspections"

    @ID(key: .id) public var id: UUID?
    @Field(key: "inspection_id") public var inspectionID: UUID
    @Field(key: "province") public var province: String
    @OptionalField(key: "link_id") public var linkID: UUID?
    @OptionalField(key: "note") public var note: String?
    @Field(key: "planned_on") public var plannedOn: String
    @Field(key: "planned_by") public var plannedBy: String
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}
}

/// A row of `delta_joint_members`: a partner's inspector on a joint inspection.
public final class DeltaJointMemberModel: Model, @unchecked Sendable {
    public static let schema = "delta_joint_members"

    @ID(key: .id) public var id: UUID?
    @Field(key: "joint_id") public var jointID: UUID
    @Field(key: "position") public var position: Int
    @Field(key: "name") public var name: String
    @Field(key: "organisation") public var organisation: String
    @OptionalField(key: "title") public var title: String?

    public init() {}
}

/// A row of `delta_results`: a partner province's inspection result of a Shanghai enterprise, and
/// Shanghai's decision on recognising it.
public final class DeltaResultModel: Model, VersionedModel, @unchecked Sendable {
    public static let schema = "delta_results"

    @ID(key: .id) public var id: UUID?
    @Field(key: "province") public var province: String
    @Field(key: "enterprise_id") public var enterpriseID: UUID
    @Field(key: "target_name") public var targetName: String
    @Field(key: "target_uscc") public var targetUSCC: String
    /// `,manufacturer,for_cause,`
    @Field(key: "types") public var types: String
    @Field(key: "completed_on") public var completedOn: String
    @Field(key: "conclusion") public var conclusion: String
    @Field(key: "reference") public var reference: String
    @OptionalField(key: "summary") public var summary: String?
    @Field(key: "recorded_on") public var recordedOn: String
    @Field(key: "recorded_by") public var recordedBy: String
    @Field(key: "status") public var status: String
    /// The inspection of Shanghai's the recognition settled.
    @OptionalField(key: "inspection_id") public var inspectionID: UUID?
    @OptionalField(key: "decided_on") public var decidedOn: String?
    @OptionalField(key: "decided_by") public var decidedBy: String?
    @OptionalField(key: "decline_reason") public var declineReason: String?
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}
}

/// A row of `delta_notices`: a risk notice or a request for assistance to a partner province.
public final class DeltaNoticeModel: Model, VersionedModel, @unchecked Sendable {
    public static let schema = "delta_notices"

    @ID(key: .id) public var id: UUID?
    @Field(key: "kind") public var kind: String
    @Field(key: "province") public var province: String
    @Field(key: "subject") public var subject: String
    @Field(key: "body") public var body: String
    @OptionalField(key: "enterprise_uscc") public var enterpriseUSCC: String?
    @OptionalField(key: "enterprise_name") public var enterpriseName: String?
    @OptionalField(key: "link_id") public var linkID: UUID?
    @Field(key: "sent_on") public var sentOn: String
    @Field(key: "sent_by") public var sentBy: String
    @Field(key: "working_days") public var workingDays: Int
    @Field(key: "due_on") public var dueOn: String
    @OptionalField(key: "answer") public var answer: String?
    @OptionalField(key: "answered_on") public var answeredOn: String?
    @OptionalField(key: "answered_by") public var answeredBy: String?
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}
}
