import FluentKit
import Foundation

/// A row of `landing_projects`: an approved product made at a site, placed by the site's district and park.
public final class LandingProjectModel: Model, ScopedModel, VersionedModel, @unchecked Sendable {
    public static let schema = "landing_projects"
    public static let districtKey: FieldKey = "district_code"
    public static let parkKey: FieldKey = "park_code"
    public static let enterpriseKey: FieldKey = "uscc"

    @ID(key: .id) public var id: UUID?
    @Field(key: "product_id") public var productID: UUID
    @Field(key: "enterprise_id") public var enterpriseID: UUID
    @Field(key: "uscc") public var uscc: String
    @Field(key: "district_code") public var district: String
    @OptionalField(key: "park_code") public var park: String?
    @Field(key: "site") public var site: String
    @Field(key: "status") public var status: String
    @OptionalField(key: "planned_on") public var plannedOn: String?
    @OptionalField(key: "producing_on") public var producingOn: String?
    /// 万元
    @OptionalField(key: "investment") public var investment: Int?
    @OptionalField(key: "note") public var note: String?
    @Field(key: "recorded_by") public var recordedBy: String
    @Field(key: "recorded_on") public var recordedOn: String
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}
}

/// A row of `landing_problems`: a problem raised about a landing project.
public final class LandingProblemModel: Model, VersionedModel, @unchecked Sendable {
    public static let schema = "landing_problems"

    @ID(key: .id) public var id: UUID?
    @Field(key: "project_id") public var projectID: UUID
    @Field(key: "title") public var title: String
    @Field(key: "detail") public var detail: String
    /// The body that owns the problem (责任单位).
    @Field(key: "owner") public var owner: String
    @OptionalField(key: "due_on") public var dueOn: String?
    @Field(key: "status") public var status: String
    @Field(key: "raised_by") public var raisedBy: String
    @Field(key: "raised_on") public var raisedOn: String
    @OptionalField(key: "resolution") public var resolution: String?
    @OptionalField(key: "resolved_by") public var resolvedBy: String?
    @OptionalField(key: "resolved_on") public var resolvedOn: String?
    @OptionalField(key: "meeting_id") public var meetingID: UUID?
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}
}

/// A row of `landing_meetings`: a meeting (会商) of the industry department and the regulator.
public final class LandingMeetingModel: Model, VersionedModel, @unchecked Sendable {
    public static let schema = "landing_meetings"

    @ID(key: .id) public var id: UUID?
    @Field(key: "held_on") public var heldOn: String
    @Field(key: "subject") public var subject: String
    @Field(key: "attendees") public var attendees: String
    @Field(key: "decisions") public var decisions: String
    @Field(key: "recorded_by") public var recordedBy: String
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}
}
