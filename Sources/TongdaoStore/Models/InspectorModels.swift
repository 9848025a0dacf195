import FluentKit
import Foundation

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
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}
}
