import FluentKit
import Foundation
import TongdaoCore

/// A row of `key_varieties`: a product's entry on the key-varieties service list.
public final class KeyVarietyModel: Model, ScopedModel, VersionedModel, @unchecked Sendable {
    public static let schema = "key_varieties"
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
    @Field(key: "reason") public var reason: String
    @Field(key: "justification") public var justification: String
    @Field(key: "status") public var status: String
    @Field(key: "proposed_by") public var proposedBy: String
    @Field(key: "proposed_on") public var proposedOn: String
    @OptionalField(key: "station_code") public var station: String?
    /// The responsible officer's username.
    @OptionalField(key: "officer") public var officer: String?
    @OptionalField(key: "counsellor") public var counsellor: String?
    @OptionalField(key: "task_force") public var taskForce: String?
    @OptionalField(key: "decided_by") public var decidedBy: String?
    @OptionalField(key: "decided_on") public var decidedOn: String?
    @OptionalField(key: "decision_note") public var decisionNote: String?
    /// `[ServiceMilestone]` as JSON.
    @Field(key: "milestones") public var milestones: String
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}
}
