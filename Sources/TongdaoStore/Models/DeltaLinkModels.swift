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
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}
}
