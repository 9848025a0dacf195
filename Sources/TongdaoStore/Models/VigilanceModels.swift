import FluentKit
import Foundation
import TongdaoCore

/// A row of `udi_device_identifiers`: one UDI-DI of a marketed product.
public final class UDIDeviceIdentifierModel: Model, ScopedModel, @unchecked Sendable {
    public static let schema = "udi_device_identifiers"
    public static let districtKey: FieldKey = "district_code"
    public static let parkKey: FieldKey = "park_code"
    public static let enterpriseKey: FieldKey = "uscc"

    @ID(key: .id) public var id: UUID?
    @Field(key: "product_id") public var productID: UUID
    @Field(key: "uscc") public var uscc: String
    @Field(key: "district_code") public var district: String
    @OptionalField(key: "park_code") public var park: String?
    @Field(key: "di") public var di: String
    @Field(key: "agency") public var agency: String
    @Field(key: "packaging") public var packaging: String
    @Field(key: "quantity") public var quantity: Int
    @Field(key: "recorded_by") public var recordedBy: String
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}
}

/// A row of `event_terms`: one term of the controlled list.
public final class EventTermModel: Model, @unchecked Sendable {
    public static let schema = "event_terms"

    @ID(custom: "code", generatedBy: .user) public var id: String?
    @Field(key: "kind") public var kind: String
    @Field(key: "chinese") public var chinese: String
    @Field(key: "english") public var english: String
    @Field(key: "active") public var active: Bool
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}
}

/// A row of `adverse_event_reports`, placed by the product's registrant.
public final class AdverseEventReportModel: Model, ScopedModel, VersionedModel, @unchecked Sendable {
    public static let schema = "adverse_event_reports"
    public static let districtKey: FieldKey = "district_code"
    public static let parkKey: FieldKey = "park_code"
    public static let enterpriseKey: FieldKey = "uscc"

    @ID(key: .id) public var id: UUID?
    @Field(key: "number") public var number: String
    /// The national monitoring system's 报告编码, for a report imported from it.
    @OptionalField(key: "national_code") public var nationalCode: String?
    @Field(key: "product_id") public var productID: UUID
    @Field(key: "product_name") public var productName: String
    @Field(key: "enterprise_id") public var enterpriseID: UUID
    @Field(key: "uscc") public var uscc: String
    @Field(key: "district_code") public var district: String
    @OptionalField(key: "park_code") public var park: String?
    @OptionalField(key: "certificate") public var certificate: String?
    @OptionalField(key: "udi_di") public var udiDI: String?
    @OptionalField(key: "lot") public var lot: String?
    @OptionalField(key: "serial") public var serial: String?
    @Field(key: "reporter_kind") public var reporterKind: String
    @OptionalField(key: "reporter_institution_id") public var reporterInstitutionID: UUID?
    @Field(key: "reporter_name") public var reporterName: String
    @Field(key: "event_on") public var eventOn: String
    @Field(key: "aware_on") public var awareOn: String
    @OptionalField(key: "aware_minute") public var awareMinute: Int?
    @Field(key: "seriousness") public var seriousness: String
    @Field(key: "outcome") public var outcome: String
    /// `,a,b,` — the term codes, delimited on both sides.
    @Field(key: "terms") public var termsText: String
    @Field(key: "narrative") public var narrative: String
    @Field(key: "submitted_at") public var submittedAt: Date
    @Field(key: "reported_on") public var reportedOn: String
    @OptionalField(key: "due") public var due: String?
    @Field(key: "late") public var late: Bool
    @Field(key: "source") public var source: String
    @Field(key: "status") public var status: String
    @OptionalField(key: "causality") public var causality: String?
    @OptionalField(key: "assessment_note") public var assessmentNote: String?
    @OptionalField(key: "assessed_by") public var assessedBy: String?
    @OptionalField(key: "assessed_on") public var assessedOn: String?
    @Field(key: "submitted_by") public var submittedBy: String
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public var terms: [String] { termsText.split(separator: ",").map(String.init) }
}

/// A row of `adverse_event_timeline`: one event of a report's history.
public final class AdverseEventTimelineModel: Model, @unchecked Sendable {
    public static let schema = "adverse_event_timeline"

    @ID(key: .id) public var id: UUID?
    @Field(key: "report_id") public var reportID: UUID
    @Field(key: "kind") public var kind: String
    @Field(key: "occurred_at") public var occurredAt: Date
    @Field(key: "actor") public var actor: String
    @Field(key: "detail") public var detail: String

    public init() {}
}

/// A row of `signals`: a pair on the signal list.
public final class SignalModel: Model, VersionedModel, @unchecked Sendable {
    public static let schema = "signals"

    @ID(key: .id) public var id: UUID?
    @Field(key: "level") public var level: String
    @Field(key: "subject") public var subject: String
    @Field(key: "subject_name") public var subjectName: String
    @Field(key: "term_code") public var termCode: String
    @Field(key: "status") public var status: String
    @Field(key: "detected_on") public var detectedOn: String
    @Field(key: "window_from") public var windowFrom: String
    @Field(key: "window_to") public var windowTo: String
    @Field(key: "a") public var a: Int
    @Field(key: "b") public var b: Int
    @Field(key: "c") public var c: Int
    @Field(key: "d") public var d: Int
    @Field(key: "prr") public var prr: Double
    @Field(key: "chi_square") public var chiSquare: Double
    @Field(key: "ror_lower") public var rorLower: Double
    @Field(key: "ic025") public var ic025: Double
    /// The methods met, comma-separated.
    @Field(key: "methods") public var methods: String
    @Field(key: "listed_by") public var listedBy: String
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}
}

/// A row of `signal_notes`: one assessment step of a signal.
public final class SignalNoteModel: Model, @unchecked Sendable {
    public static let schema = "signal_notes"

    @ID(key: .id) public var id: UUID?
    @Field(key: "signal_id") public var signalID: UUID
    @Field(key: "status") public var status: String
    @Field(key: "note") public var note: String
    @Field(key: "actor") public var actor: String
    @Field(key: "at") public var at: Date

    public init() {}
}
