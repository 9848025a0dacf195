import FluentKit
import Foundation

/// A row of `risk_items`.
public final class RiskItemModel: Model, VersionedModel, @unchecked Sendable {
    public static let schema = "risk_items"

    @ID(key: .id) public var id: UUID?
    @Field(key: "product_id") public var productID: UUID
    @Field(key: "source") public var source: String
    @Field(key: "description") public var itemDescription: String
    @Field(key: "control") public var control: String
    @Field(key: "owner") public var owner: String
    @Field(key: "due_on") public var dueOn: String
    @Field(key: "status") public var status: String
    @Field(key: "created_by") public var createdBy: String
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}
}

/// A row of `risk_item_events`.
public final class RiskItemEventModel: Model, @unchecked Sendable {
    public static let schema = "risk_item_events"

    @ID(key: .id) public var id: UUID?
    @Field(key: "item_id") public var itemID: UUID
    @Field(key: "kind") public var kind: String
    @Field(key: "occurred_at") public var occurredAt: Date
    @Field(key: "actor") public var actor: String
    @Field(key: "detail") public var detail: String

    public init() {}
}

/// A row of `risk_meetings`.
public final class RiskMeetingModel: Model, @unchecked Sendable {
    public static let schema = "risk_meetings"

    @ID(key: .id) public var id: UUID?
    @Field(key: "product_id") public var productID: UUID
    @Field(key: "held_on") public var heldOn: String
    @Field(key: "attendees") public var attendees: String
    @Field(key: "decisions") public var decisions: String
    @Field(key: "created_by") public var createdBy: String
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}
}

/// A row of `special_plans`.
public final class SpecialPlanModel: Model, @unchecked Sendable {
    public static let schema = "special_plans"

    @ID(key: .id) public var id: UUID?
    @Field(key: "product_id") public var productID: UUID
    @Field(key: "title") public var title: String
    @Field(key: "content") public var content: String
    @Field(key: "from_on") public var fromOn: String
    @Field(key: "to_on") public var toOn: String
    @Field(key: "created_by") public var createdBy: String
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}
}

/// A row of `periodic_risk_reports`.
public final class PeriodicRiskReportModel: Model, @unchecked Sendable {
    public static let schema = "periodic_risk_reports"

    @ID(key: .id) public var id: UUID?
    @Field(key: "product_id") public var productID: UUID
    @Field(key: "year") public var year: Int
    @Field(key: "submitted_on") public var submittedOn: String
    @Field(key: "summary") public var summary: String
    @Field(key: "submitted_by") public var submittedBy: String
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}
}
