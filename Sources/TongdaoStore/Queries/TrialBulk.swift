import FluentKit
import Foundation
import SQLKit
import TongdaoCore

/// The trial registry's rows written in bulk (`BulkInsert`): the sheet import's new trials, sites
/// and their events, and the generated registry of `tongdao seed --scale trials`. The models carry
/// their ids (time-ordered, so the trials list pages them newest first) and every required field.
extension TrialStore {
    /// Writes new trials, sites and events in the caller's transaction, a statement (or a `COPY`)
    /// per table rather than a round trip per row. It does not keep loads: the caller does, once.
    public static func insertInBulk(
        trials: [TrialModel], sites: [TrialSiteModel], events: [TrialEventModel], now: Date, on db: any Database
    ) async throws {
        try await BulkInsert.withLargePageCache(if: sites.count + events.count >= 20_000, on: db) {
            try await BulkInsert.run(TrialModel.schema, columns: TrialModel.insertColumns, count: trials.count, on: db) {
                trials[$0].insertRow(now: now)
            }
            try await BulkInsert.run(TrialSiteModel.schema, columns: TrialSiteModel.insertColumns, count: sites.count, on: db) {
                sites[$0].insertRow(now: now)
            }
            try await BulkInsert.run(TrialEventModel.schema, columns: TrialEventModel.insertColumns, count: events.count, on: db) {
                events[$0].insertRow()
            }
        }
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

extension TrialSiteModel {
    static let insertColumns = [
        "id", "trial_id", "institution_id", "investigator_id", "role", "ethics_approved_on", "activated_on", "first_subject_on",
        "target_enrolment", "actual_enrolment", "closed_on", "exemption", "exempted_by", "version", "created_at", "updated_at",
    ]

    func insertRow(now: Date) -> [BulkValue] {
        [
            id.bulkValue, .uuid($trial.id), .uuid($institution.id), .uuid($investigator.id), .text(role.rawValue), ethicsApprovedOn.bulkValue,
            activatedOn.bulkValue, firstSubjectOn.bulkValue, targetEnrolment.bulkValue, actualEnrolment.bulkValue, closedOn.bulkValue,
            exemption.bulkValue, exemptedBy.bulkValue, .integer(version), .date(now), .date(now),
        ]
    }
}

extension TrialEventModel {
    /// A new event of a trial's timeline, with its id (time-ordered), as the bulk writes and the
    /// demo make them.
    public convenience init(
        _ kind: TrialEventKind, trial: UUID, sequence: Int, on day: CivilDate, status: TrialStatus? = nil, site: UUID? = nil,
        recordedBy: String, at now: Date
    ) {
        self.init()
        id = TimeOrderedID.make(now: now)
        $trial.id = trial
        self.sequence = sequence
        self.kind = kind
        occurredOn = day.description
        self.status = status
        siteID = site
        self.recordedBy = recordedBy
        recordedAt = now
    }

    static let insertColumns = ["id", "trial_id", "sequence", "kind", "occurred_on", "status", "site_id", "detail", "recorded_by", "recorded_at"]

    func insertRow() -> [BulkValue] {
        [
            id.bulkValue, .uuid($trial.id), .integer(sequence), .text(kind.rawValue), .text(occurredOn), status?.rawValue.bulkValue ?? .null,
            siteID.bulkValue, detail.bulkValue, .text(recordedBy), .date(recordedAt),
        ]
    }
}
