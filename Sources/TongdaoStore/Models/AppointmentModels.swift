import FluentKit
import Foundation
import TongdaoCore

/// A row of `appointment_slots`: seats a desk offers on a day.
public final class AppointmentSlotModel: Model, VersionedModel, @unchecked Sendable {
    public static let schema = "appointment_slots"

    @ID(key: .id) public var id: UUID?
    /// A station's code, or `review-centre`.
    @Field(key: "desk") public var desk: String
    @Field(key: "day") public var day: String
    @Field(key: "starts_at") public var startsAt: String
    @Field(key: "ends_at") public var endsAt: String
    @Field(key: "seats") public var seats: Int
    @Field(key: "booked") public var booked: Int
    @OptionalField(key: "topic") public var topic: String?
    @Field(key: "created_by") public var createdBy: String
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}
}

/// A row of `appointments`: an enterprise's booking, placed by the enterprise.
public final class AppointmentModel: Model, ScopedModel, VersionedModel, @unchecked Sendable {
    public static let schema = "appointments"
    public static let districtKey: FieldKey = "district_code"
    public static let parkKey: FieldKey = "park_code"
    public static let enterpriseKey: FieldKey = "uscc"

    @ID(key: .id) public var id: UUID?
    @Field(key: "slot_id") public var slotID: UUID
    @Field(key: "enterprise_id") public var enterpriseID: UUID
    @Field(key: "uscc") public var uscc: String
    @Field(key: "district_code") public var district: String
    @OptionalField(key: "park_code") public var park: String?
    @Field(key: "topic") public var topic: String
    @Field(key: "question") public var question: String
    @Field(key: "status") public var status: String
    /// A cancellation's reason, or the desk's note on the attendance.
    @OptionalField(key: "note") public var note: String?
    @Field(key: "booked_by") public var bookedBy: String
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}
}
