import FluentKit
import Foundation
import TongdaoCore

/// A row of `service_topics`: a topic of consultations and guidance sessions.
public final class ServiceTopicModel: Model, @unchecked Sendable {
    public static let schema = "service_topics"

    @ID(custom: "code", generatedBy: .user) public var id: String?
    @Field(key: "label") public var label: String
    /// Answered by the regulator rather than a station.
    @Field(key: "city_level") public var cityLevel: Bool
    @Field(key: "sort_order") public var sortOrder: Int
    @Field(key: "active") public var active: Bool

    public init() {}
}

/// A row of `consultations`: an enterprise's question, placed by the enterprise.
public final class ConsultationModel: Model, ScopedModel, VersionedModel, @unchecked Sendable {
    public static let schema = "consultations"
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
    @Field(key: "topic") public var topic: String
    @Field(key: "title") public var title: String
    /// The station answering it; nil: the regulator.
    @OptionalField(key: "station_code") public var station: String?
    @Field(key: "status") public var status: String
    @Field(key: "asked_on") public var askedOn: String
    @Field(key: "first_response_days") public var firstResponseDays: Int
    @Field(key: "resolution_days") public var resolutionDays: Int
    @Field(key: "amber_fraction") public var amberFraction: Double
    @Field(key: "escalate_after_days") public var escalateAfterDays: Int
    /// `kind YYYY-MM-DD;…`
    @Field(key: "clock_events") public var clockEvents: String
    @OptionalField(key: "first_response_on") public var firstResponseOn: String?
    @OptionalField(key: "answered_on") public var answeredOn: String?
    @OptionalField(key: "due_on") public var dueOn: String?
    @OptionalField(key: "amber_on") public var amberOn: String?
    @OptionalField(key: "red_on") public var redOn: String?
    @OptionalField(key: "escalate_on") public var escalateOn: String?
    @OptionalField(key: "rating") public var rating: Int?
    @Field(key: "asked_by") public var askedBy: String
    /// `question` or `classification` (`ConsultationKind`).
    @Field(key: "kind") public var kind: String
    /// A classification question's class proposed by the enterprise, the outcome, the code given
    /// and the product's class before the answer.
    @OptionalField(key: "proposed_class") public var proposedClass: String?
    @OptionalField(key: "decided_class") public var decidedClass: String?
    @OptionalField(key: "decided_code") public var decidedCode: String?
    @OptionalField(key: "previous_class") public var previousClass: String?
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    /// The service targets it keeps.
    public var targets: ServiceClock.Targets {
        ServiceClock.Targets(
            firstResponse: firstResponseDays, resolution: resolutionDays, amberFraction: amberFraction, escalateAfter: escalateAfterDays)
    }

    /// Its clock events (empty for a text this platform did not write).
    public var events: [ServiceClock.Event] {
        ServiceClock.Event.events(storedText: clockEvents) ?? []
    }
}

/// A row of `consultation_messages`: one step of a consultation's history.
public final class ConsultationMessageModel: Model, @unchecked Sendable {
    public static let schema = "consultation_messages"

    @ID(key: .id) public var id: UUID?
    @Field(key: "consultation_id") public var consultationID: UUID
    @Field(key: "kind") public var kind: String
    @Field(key: "on_day") public var onDay: String
    @Field(key: "occurred_at") public var occurredAt: Date
    @Field(key: "actor") public var actor: String
    @Field(key: "body") public var body: String
    /// For a transfer: where it went (nil: the regulator).
    @OptionalField(key: "station_code") public var station: String?
    @OptionalField(key: "rating") public var rating: Int?

    public init() {}
}
