import FluentKit
import Foundation
import TongdaoCore

/// A row of `guidance_records`: one guidance session with an enterprise, placed by the enterprise.
public final class GuidanceRecordModel: Model, ScopedModel, VersionedModel, @unchecked Sendable {
    public static let schema = "guidance_records"
    public static let districtKey: FieldKey = "district_code"
    public static let parkKey: FieldKey = "park_code"
    public static let enterpriseKey: FieldKey = "uscc"

    @ID(key: .id) public var id: UUID?
    @Field(key: "enterprise_id") public var enterpriseID: UUID
    @Field(key: "uscc") public var uscc: String
    @Field(key: "district_code") public var district: String
    @OptionalField(key: "park_code") public var park: String?
    @OptionalField(key: "product_id") public var productID: UUID?
    @OptionalField(key: "product_name") public var productName: String?
    /// A station's code, `review-centre`, or `city`.
    @Field(key: "desk") public var desk: String
    @Field(key: "held_on") public var heldOn: String
    @Field(key: "mode") public var mode: String
    @Field(key: "attendees") public var attendees: String
    /// Topic codes joined by `,`.
    @Field(key: "topics") public var topics: String
    @Field(key: "questions") public var questions: String
    @Field(key: "advice") public var advice: String
    /// `[GuidanceFollowUp]` as JSON.
    @Field(key: "follow_ups") public var followUps: String
    @Field(key: "open_follow_ups") public var openFollowUps: Int
    @OptionalField(key: "appointment_id") public var appointmentID: UUID?
    @Field(key: "recorded_by") public var recordedBy: String
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}
}
