import FluentKit
import Foundation
import TongdaoCore

/// A row of `approval_obligations`: a condition of a product's approval, placed by the registrant.
public final class ObligationModel: Model, ScopedModel, VersionedModel, @unchecked Sendable {
    public static let schema = "approval_obligations"
    public static let districtKey: FieldKey = "district_code"
    public static let parkKey: FieldKey = "park_code"
    public static let enterpriseKey: FieldKey = "uscc"

    @ID(key: .id) public var id: UUID?
    @Field(key: "product_id") public var productID: UUID
    @Field(key: "product_name") public var productName: String
    @Field(key: "enterprise_id") public var enterpriseID: UUID
    @Field(key: "uscc") public var uscc: String
    @Field(key: "district_code") public var district: String
    @OptionalField(key: "park_code") public var park: String?
    @Field(key: "certificate") public var certificate: String
    @Field(key: "kind") public var kind: String
    @Field(key: "title") public var title: String
    @Field(key: "due_on") public var dueOn: String
    /// The username of the officer following it.
    @Field(key: "officer") public var officer: String
    @Field(key: "status") public var status: String
    @OptionalField(key: "submitted_on") public var submittedOn: String?
    @OptionalField(key: "satisfied_on") public var satisfiedOn: String?
    /// The latest evidence (confidential).
    @OptionalField(key: "evidence") public var evidence: String?
    @Field(key: "created_by") public var createdBy: String
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    /// Its dates and state as Core reads them (nil for a row whose due date or status is not one).
    public var obligation: Obligation? {
        guard let due = CivilDate(dueOn), let status = ObligationStatus(rawValue: status) else { return nil }
        return Obligation(
            dueOn: due, status: status, submittedOn: submittedOn.flatMap(CivilDate.init), satisfiedOn: satisfiedOn.flatMap(CivilDate.init))
    }
}

/// A row of `obligation_events`: one event of an obligation's history.
public final class ObligationEventModel: Model, @unchecked Sendable {
    public static let schema = "obligation_events"

    @ID(key: .id) public var id: UUID?
    @Field(key: "obligation_id") public var obligationID: UUID
    @Field(key: "kind") public var kind: String
    @Field(key: "occurred_at") public var occurredAt: Date
    @Field(key: "actor") public var actor: String
    @Field(key: "detail") public var detail: String

    public init() {}
}
