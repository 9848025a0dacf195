import FluentKit
import Foundation
import SQLKit
import TongdaoCore

/// The trial registry's rows written in bulk (`BulkInsert`): the sheet import's new trials, sites
/// and their events, and the generated registry of `tongdao seed --scale trials`. Trials come as
/// models, sites and events (five to one of them) as plain values, without a model's cost; all
/// carry their ids (time-ordered, so the trials list pages them newest first).
extension TrialStore {
    /// Writes new trials, sites and events in the caller's transaction, a statement (or a `COPY`)
    /// per table rather than a round trip per row. It does not keep loads: the caller does, once.
    /// Many rows go faster inside `writingInBulk`.
    public static func insertInBulk(
        trials: [TrialModel], sites: [TrialSiteRow], events: [TrialEventRow], now: Date, on db: any Database
    ) async throws {
        try await BulkInsert.run(TrialModel.schema, columns: TrialModel.insertColumns, count: trials.count, on: db) {
            trials[$0].insertRow(now: now)
        }
        try await BulkInsert.run(TrialSiteModel.schema, columns: TrialSiteRow.columns, count: sites.count, on: db) {
            sites[$0].values(now: now)
        }
        try await BulkInsert.run(TrialEventModel.schema, columns: TrialEventRow.columns, count: events.count, on: db) {
            events[$0].values()
        }
    }

    /// Runs `body`, which writes many rows (`large`) into the registry's big tables, with SQLite's
    /// page cache enlarged and its statement journals in memory; the usual settings after.
    public static func writingInBulk<T>(if large: Bool, on db: any Database, _ body: () async throws -> T) async throws -> T {
        try await BulkInsert.withBulkWriteSettings(if: large, on: db, body)
    }

    /// A new id in creation order (for rows written in bulk, which Fluent does not name).
    public static func newID(now: Date) -> UUID { TimeOrderedID.make(now: now) }

    /// Counts again every investigator's active sites from the raw rows and keeps the counts on
    /// their rows, in one statement (after a bulk write; `keepLoads` does it for a few).
    public static func keepEveryLoad(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { throw BulkInsertError.notSQL }
        try await sql.update(InvestigatorModel.schema).set(SQLIdentifier("active_sites"), to: activeSiteCount).run()
    }
}

extension TrialInstitutionModel {
    static let insertColumns = [
        "id", "name", "code", "district_code", "province", "grade", "drug_filing_number", "drug_filed_on", "device_filing_number",
        "device_filed_on", "status", "version", "created_at", "updated_at",
    ]

    func insertRow(now: Date) -> [BulkValue] {
        [
            id.bulkValue, .text(name), .text(code), district.bulkValue, .text(province), .text(grade.rawValue), drugFilingNumber.bulkValue,
            drugFiledOn.bulkValue, deviceFilingNumber.bulkValue, deviceFiledOn.bulkValue, .text(status.rawValue), .integer(version), .date(now),
            .date(now),
        ]
    }
}

extension TrialSpecialtyModel {
    static let insertColumns = ["id", "institution_id", "name", "filed_on"]

    func insertRow() -> [BulkValue] { [id.bulkValue, .uuid($institution.id), .text(name), .text(filedOn)] }
}

extension InvestigatorModel {
    static let insertColumns = [
        "id", "institution_id", "name", "specialty", "title", "senior", "earlier_trials", "gcp_trained_on", "active_sites", "merged_into_id",
        "version", "created_at", "updated_at",
    ]

    func insertRow(now: Date) -> [BulkValue] {
        [
            id.bulkValue, .uuid($institution.id), .text(name), .text(specialty), .text(title), .bool(senior), .integer(earlierTrials),
            gcpTrainedOn.bulkValue, .integer(activeSites), mergedInto.bulkValue, .integer(version), .date(now), .date(now),
        ]
    }
}

extension TrialModel {
    static let insertColumns = [
        "id", "registration_number", "title", "kind", "phase", "status", "sponsor_id", "uscc", "district_code", "park_code", "product_id",
        "approved_on", "pilot", "first_consent_on", "device_class", "innovative", "needs_approval", "version", "created_at", "updated_at",
    ]

    func insertRow(now: Date) -> [BulkValue] {
        [
            id.bulkValue, .text(registrationNumber), .text(title), .text(kind.rawValue), .text(phase.rawValue), .text(status.rawValue),
            .uuid($sponsor.id), .text(uscc), .text(district), park.bulkValue, $product.id.bulkValue, approvedOn.bulkValue, .bool(pilot),
            firstConsentOn.bulkValue, deviceClass?.rawValue.bulkValue ?? .null, .bool(innovative), .bool(needsApproval), .integer(version),
            .date(now), .date(now),
        ]
    }
}

/// A new site as a bulk write takes it: a row of `trial_sites` (version 1) in plain values.
public struct TrialSiteRow: Sendable {
    public var id: UUID
    public var trial: UUID
    public var institution: UUID
    public var investigator: UUID
    public var role: SiteRole
    public var dates: SiteDates
    public var targetEnrolment: Int?
    public var actualEnrolment: Int?
    public var exemption: String?
    public var exemptedBy: String?

    /// A new site (a new time-ordered id); the dates, enrolment and exemption are set after.
    public init(trial: UUID, institution: UUID, investigator: UUID, role: SiteRole, now: Date) {
        id = TrialStore.newID(now: now)
        self.trial = trial
        self.institution = institution
        self.investigator = investigator
        self.role = role
        dates = SiteDates()
    }

    static let columns = [
        "id", "trial_id", "institution_id", "investigator_id", "role", "ethics_approved_on", "activated_on", "first_subject_on",
        "target_enrolment", "actual_enrolment", "closed_on", "exemption", "exempted_by", "version", "created_at", "updated_at",
    ]

    func values(now: Date) -> [BulkValue] {
        [
            .uuid(id), .uuid(trial), .uuid(institution), .uuid(investigator), .text(role.rawValue),
            dates.ethicsApprovedOn.bulkValue, dates.activatedOn.bulkValue, dates.firstSubjectOn.bulkValue, targetEnrolment.bulkValue,
            actualEnrolment.bulkValue, dates.closedOn.bulkValue, exemption.bulkValue, exemptedBy.bulkValue, .integer(1),
            .date(now), .date(now),
        ]
    }
}

/// A new event of a trial's timeline as a bulk write takes it, in plain values.
public struct TrialEventRow: Sendable {
    public var id: UUID
    public var trial: UUID
    public var sequence: Int
    public var kind: TrialEventKind
    public var day: CivilDate
    public var status: TrialStatus?
    public var site: UUID?
    public var recordedBy: String
    public var recordedAt: Date

    /// A new event (a new time-ordered id) of a trial's timeline.
    public init(
        _ kind: TrialEventKind, trial: UUID, sequence: Int, on day: CivilDate, status: TrialStatus? = nil, site: UUID? = nil,
        recordedBy: String, at now: Date
    ) {
        id = TimeOrderedID.make(now: now)
        self.trial = trial
        self.sequence = sequence
        self.kind = kind
        self.day = day
        self.status = status
        self.site = site
        self.recordedBy = recordedBy
        recordedAt = now
    }

    static let columns = ["id", "trial_id", "sequence", "kind", "occurred_on", "status", "site_id", "detail", "recorded_by", "recorded_at"]

    func values() -> [BulkValue] {
        [
            .uuid(id), .uuid(trial), .integer(sequence), .text(kind.rawValue), day.bulkValue, status?.rawValue.bulkValue ?? .null,
            site.bulkValue, .null, .text(recordedBy), .date(recordedAt),
        ]
    }
}
