import FluentKit
import Foundation
import TongdaoCore

/// A row of `applications`.
public final class ApplicationModel: Model, ScopedModel, @unchecked Sendable {
    public static let schema = "applications"
    public static let districtKey: FieldKey = "district_code"
    public static let parkKey: FieldKey = "park_code"
    public static let enterpriseKey: FieldKey = "uscc"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "product_id") public var product: ProductModel
    @Parent(key: "enterprise_id") public var enterprise: EnterpriseModel
    @Field(key: "uscc") public var uscc: String
    @Field(key: "district_code") public var district: String
    @OptionalField(key: "park_code") public var park: String?
    @Field(key: "procedure_code") public var procedureCode: String
    @Field(key: "procedure_version") public var procedureVersion: String
    @Field(key: "authority") public var authority: ApplicationAuthority
    @Field(key: "application_number") public var applicationNumber: String
    @Field(key: "channel") public var channel: ReviewChannel
    @OptionalField(key: "reviewer") public var reviewer: String?
    @OptionalField(key: "responsible_officer") public var responsibleOfficer: String?
    @Field(key: "accepted_on") public var acceptedOn: String
    @Field(key: "status") public var status: ApplicationStatus {
        didSet { isOpen = status.isOpen }
    }
    /// `status.isOpen`, kept by `status`'s setter, so that SQL can page through open applications by index.
    @Field(key: "is_open") public var isOpen: Bool
    @OptionalField(key: "certificate") public var certificate: String?
    @Field(key: "clock_running") public var clockRunning: Bool
    @OptionalField(key: "amber_from") public var amberFrom: String?
    @OptionalField(key: "red_from") public var redFrom: String?
    @OptionalField(key: "frozen_level") public var frozenLevel: String?
    /// The technical review's completion day and working days used (migration 018), from the timeline in force.
    @OptionalField(key: "review_completed_on") public var reviewCompletedOn: String?
    @OptionalField(key: "review_working_days") public var reviewWorkingDays: Int?
    /// The day of the approval decision in force (migration 018).
    @OptionalField(key: "approved_on") public var approvedOn: String?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    func apply(_ snapshot: ClockSnapshot) {
        clockRunning = snapshot.running
        amberFrom = snapshot.amberFrom?.description
        redFrom = snapshot.redFrom?.description
        frozenLevel = snapshot.frozenLevel?.rawValue
        reviewCompletedOn = snapshot.review?.completedOn.description
        reviewWorkingDays = snapshot.review?.workingDays
        approvedOn = snapshot.approvedOn?.description
    }

    /// The snapshot's columns, and its values in the same order (for rows written in bulk).
    static let snapshotColumns = [
        "clock_running", "amber_from", "red_from", "frozen_level", "review_completed_on", "review_working_days", "approved_on",
        clockEventsColumn,
    ]
    static func snapshotValues(_ snapshot: ClockSnapshot) -> [any BulkWritable] {
        [
            snapshot.running, snapshot.amberFrom?.description, snapshot.redFrom?.description, snapshot.frozenLevel?.rawValue,
            snapshot.review?.completedOn.description, snapshot.review?.workingDays, snapshot.approvedOn?.description,
            ClockEvent.storedText(of: snapshot.clockEvents),
        ]
    }

    /// The snapshot's clock events (migration 031). Not a field of the model: migrations older than
    /// the column read and write through the model, so the column is written by SQL beside it
    /// (`ApplicationStore.keepClockEvents`) and read by the lists' row reader.
    static let clockEventsColumn = "clock_events"
}

/// A row of `application_events`: appended, never changed.
public final class ApplicationEventModel: Model, @unchecked Sendable {
    public static let schema = "application_events"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "application_id") public var application: ApplicationModel
    @Field(key: "sequence") public var sequence: Int
    @Field(key: "kind") public var kind: ApplicationEventKind
    @Field(key: "occurred_on") public var occurredOn: String
    @OptionalField(key: "days") public var days: Int?
    @OptionalField(key: "decision") public var decision: ApprovalDecision?
    @OptionalField(key: "certificate") public var certificate: String?
    @OptionalField(key: "supersedes") public var supersedes: UUID?
    @OptionalField(key: "reason") public var reason: String?
    /// The reviewer's note or the inspection's findings: for the regulator's roles only.
    @OptionalField(key: "note") public var note: String?
    /// 037: a QMS inspection's completion — the address inspected and what was found.
    @OptionalField(key: "site") public var site: String?
    @OptionalField(key: "qms_outcome") public var qmsOutcome: String?
    @Field(key: "recorded_by") public var recordedBy: String
    @Field(key: "recorded_at") public var recordedAt: Date

    public init() {}

    /// The event as the lifecycle sees it.
    public var event: ApplicationEvent {
        ApplicationEvent(
            id: id ?? UUID(), kind, on: CivilDate(occurredOn) ?? CivilDate(year: 1970, month: 1, day: 1)!, days: days, decision: decision,
            certificate: certificate, supersedes: supersedes, reason: reason, site: site, qmsOutcome: qmsOutcome.flatMap(QMSOutcome.init))
    }
}
