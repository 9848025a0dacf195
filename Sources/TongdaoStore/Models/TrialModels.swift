import FluentKit
import Foundation
import TongdaoCore

/// A row of `trial_institutions`: a hospital (or other body) filed to run clinical trials.
public final class TrialInstitutionModel: VersionedModel, @unchecked Sendable {
    public static let schema = "trial_institutions"

    @ID(key: .id) public var id: UUID?
    @Field(key: "name") public var name: String
    /// The institution's own code (its unified social credit code, or the filing platform's).
    @Field(key: "code") public var code: String
    @OptionalField(key: "district_code") public var district: String?
    @Field(key: "province") public var province: String
    @Field(key: "grade") public var grade: HospitalGrade
    @OptionalField(key: "drug_filing_number") public var drugFilingNumber: String?
    @OptionalField(key: "drug_filed_on") public var drugFiledOn: String?
    @OptionalField(key: "device_filing_number") public var deviceFilingNumber: String?
    @OptionalField(key: "device_filed_on") public var deviceFiledOn: String?
    @Field(key: "status") public var status: InstitutionStatus
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}
}

/// A row of `trial_institution_specialties`: a specialty (专业) an institution filed, and when.
public final class TrialSpecialtyModel: Model, @unchecked Sendable {
    public static let schema = "trial_institution_specialties"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "institution_id") public var institution: TrialInstitutionModel
    @Field(key: "name") public var name: String
    @Field(key: "filed_on") public var filedOn: String

    public init() {}
}

/// A row of `investigators`: one person, with an id of ours, at one institution. `activeSites` is
/// kept by every write to a site (`TrialStore.keepLoads`).
public final class InvestigatorModel: VersionedModel, @unchecked Sendable {
    public static let schema = "investigators"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "institution_id") public var institution: TrialInstitutionModel
    @Field(key: "name") public var name: String
    @Field(key: "specialty") public var specialty: String
    @Field(key: "title") public var title: String
    /// 高级职称 (a senior title: 主任医师, 副主任医师, 教授 …).
    @Field(key: "senior") public var senior: Bool
    @Field(key: "earlier_trials") public var earlierTrials: Int
    @OptionalField(key: "gcp_trained_on") public var gcpTrainedOn: String?
    @Field(key: "active_sites") public var activeSites: Int
    /// The record this one was merged into, as the same person registered twice (migration 026).
    @OptionalField(key: "merged_into_id") public var mergedInto: UUID?
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}
}

/// A row of `trials`. It repeats its sponsor's location (district, park, USCC) for scope.
public final class TrialModel: VersionedModel, ScopedModel, @unchecked Sendable {
    public static let schema = "trials"
    public static let districtKey: FieldKey = "district_code"
    public static let parkKey: FieldKey = "park_code"
    public static let enterpriseKey: FieldKey = "uscc"

    @ID(key: .id) public var id: UUID?
    @Field(key: "registration_number") public var registrationNumber: String
    @Field(key: "title") public var title: String
    @Field(key: "kind") public var kind: TrialKind
    @Field(key: "phase") public var phase: TrialPhase
    @Field(key: "status") public var status: TrialStatus
    @Parent(key: "sponsor_id") public var sponsor: EnterpriseModel
    @Field(key: "uscc") public var uscc: String
    @Field(key: "district_code") public var district: String
    @OptionalField(key: "park_code") public var park: String?
    @OptionalParent(key: "product_id") public var product: ProductModel?
    @OptionalField(key: "approved_on") public var approvedOn: String?
    /// Approved under the 30-working-day pilot (the 12-week start rule applies).
    @Field(key: "pilot") public var pilot: Bool
    @OptionalField(key: "first_consent_on") public var firstConsentOn: String?
    /// A device or IVD trial's product class (migration 025).
    @OptionalField(key: "device_class") public var deviceClass: ManagementClass?
    /// The product is innovative (创新产品): its PIs need three earlier trials.
    @Field(key: "innovative") public var innovative: Bool
    /// The trial needs approval, not only filing (需审批的医疗器械临床试验: a 三级甲等 hospital).
    @Field(key: "needs_approval") public var needsApproval: Bool
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    /// What the rules of a site's PI and institution depend on.
    public var qualification: SiteQualification.Trial {
        SiteQualification.Trial(kind: kind, innovative: innovative, classThree: deviceClass == .three, needsApproval: needsApproval)
    }
}

/// A row of `trial_sites`: a trial run at one institution under one PI.
public final class TrialSiteModel: VersionedModel, @unchecked Sendable {
    public static let schema = "trial_sites"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "trial_id") public var trial: TrialModel
    @Parent(key: "institution_id") public var institution: TrialInstitutionModel
    @Parent(key: "investigator_id") public var investigator: InvestigatorModel
    @Field(key: "role") public var role: SiteRole
    @OptionalField(key: "ethics_approved_on") public var ethicsApprovedOn: String?
    @OptionalField(key: "activated_on") public var activatedOn: String?
    @OptionalField(key: "first_subject_on") public var firstSubjectOn: String?
    @OptionalField(key: "target_enrolment") public var targetEnrolment: Int?
    @OptionalField(key: "actual_enrolment") public var actualEnrolment: Int?
    @OptionalField(key: "closed_on") public var closedOn: String?
    /// Why an officer let the site run although the qualification rules refuse its PI or institution.
    @OptionalField(key: "exemption") public var exemption: String?
    @OptionalField(key: "exempted_by") public var exemptedBy: String?
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public var dates: SiteDates {
        SiteDates(
            ethicsApprovedOn: ethicsApprovedOn.flatMap(CivilDate.init), activatedOn: activatedOn.flatMap(CivilDate.init),
            firstSubjectOn: firstSubjectOn.flatMap(CivilDate.init), closedOn: closedOn.flatMap(CivilDate.init))
    }
}

/// A row of `trial_events`: appended, never changed.
public final class TrialEventModel: Model, @unchecked Sendable {
    public static let schema = "trial_events"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "trial_id") public var trial: TrialModel
    @Field(key: "sequence") public var sequence: Int
    @Field(key: "kind") public var kind: TrialEventKind
    @Field(key: "occurred_on") public var occurredOn: String
    @OptionalField(key: "status") public var status: TrialStatus?
    @OptionalField(key: "site_id") public var siteID: UUID?
    @OptionalField(key: "detail") public var detail: String?
    @Field(key: "recorded_by") public var recordedBy: String
    @Field(key: "recorded_at") public var recordedAt: Date

    public init() {}
}

/// A row of `investigator_merges`: an investigator registered twice, merged into the other record;
/// `siteIDs` are the sites the merge moved (a JSON array), which an undo moves back.
public final class InvestigatorMergeModel: Model, @unchecked Sendable {
    public static let schema = "investigator_merges"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "survivor_id") public var survivor: InvestigatorModel
    @Parent(key: "duplicate_id") public var duplicate: InvestigatorModel
    @Field(key: "site_ids") public var siteIDsJSON: String
    @Field(key: "reason") public var reason: String
    @Field(key: "merged_by") public var mergedBy: String
    @Field(key: "merged_at") public var mergedAt: Date
    @OptionalField(key: "undone_by") public var undoneBy: String?
    @OptionalField(key: "undone_at") public var undoneAt: Date?

    public init() {}

    public var siteIDs: [UUID] {
        get { (try? JSONDecoder().decode([UUID].self, from: Data(siteIDsJSON.utf8))) ?? [] }
        set { siteIDsJSON = String(decoding: (try? JSONEncoder().encode(newValue)) ?? Data("[]".utf8), as: UTF8.self) }
    }
}

/// A row of `trial_warnings` (027): a warning the nightly sweep raised about a PI or a trial, live
/// until `endedOn`, and the regulator's assessment of it.
public final class TrialWarningModel: VersionedModel, @unchecked Sendable {
    public static let schema = "trial_warnings"

    @ID(key: .id) public var id: UUID?
    @Field(key: "kind") public var kind: TrialWarningKind
    /// The investigator (PI overload) or the trial (late start).
    @Field(key: "subject_id") public var subject: UUID
    /// The PI's institution; a late start's lead site's institution (nil while it has none).
    @OptionalField(key: "institution_id") public var institution: UUID?
    /// The load for a PI, 1 (amber) or 2 (red) for a late start (`TrialWarningSweep`).
    @Field(key: "grade") public var grade: Int
    @Field(key: "level") public var level: ReviewClock.Level
    @OptionalField(key: "load") public var load: Int?
    @OptionalField(key: "threshold") public var threshold: Int?
    /// The phase whose limit a PI passed (nil: the threshold over all their sites).
    @OptionalField(key: "phase") public var phase: TrialPhase?
    /// A late start's limit: 12 weeks after approval.
    @OptionalField(key: "due_on") public var dueOn: String?
    @Field(key: "raised_on") public var raisedOn: String
    @OptionalField(key: "ended_on") public var endedOn: String?
    @Field(key: "status") public var status: TrialWarningStatus
    @OptionalField(key: "assessment_reason") public var assessmentReason: String?
    @OptionalField(key: "assessed_by") public var assessedBy: String?
    @OptionalField(key: "assessed_at") public var assessedAt: Date?
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}
}

/// A row of `trial_uploads`: a registry sheet uploaded on the page, kept until it is confirmed.
public final class TrialUploadModel: Model, @unchecked Sendable {
    public static let schema = "trial_uploads"

    @ID(key: .id) public var id: UUID?
    @Field(key: "sheet") public var sheet: TrialSheet
    @Field(key: "username") public var username: String
    @Field(key: "filename") public var filename: String
    @Field(key: "content") public var content: Data
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}
}
