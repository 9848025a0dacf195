import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

public struct InstitutionRecord: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var name: String
    public var code: String
    public var district: String?
    public var province: String
    /// Where it is, as a page names it: its district, or its province outside Shanghai.
    public var place: String
    public var grade: HospitalGrade
    public var drugFilingNumber: String?
    public var drugFiledOn: String?
    public var deviceFilingNumber: String?
    public var deviceFiledOn: String?
    public var status: InstitutionStatus
    public var specialties: [SpecialtyInput]
    public var version: Int

    init(_ model: TrialInstitutionModel, specialties: [TrialSpecialtyModel]) throws {
        id = try model.requireID()
        name = model.name
        code = model.code
        district = model.district
        province = model.province
        place = model.district.flatMap { ReferenceData.label(of: .district($0)) } ?? model.province
        grade = model.grade
        drugFilingNumber = model.drugFilingNumber
        drugFiledOn = model.drugFiledOn
        deviceFilingNumber = model.deviceFilingNumber
        deviceFiledOn = model.deviceFiledOn
        status = model.status
        self.specialties = specialties.map { SpecialtyInput(name: $0.name, filedOn: $0.filedOn) }
        version = model.version
    }
}

public struct InvestigatorRecord: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var institutionID: UUID
    public var name: String
    public var specialty: String
    public var title: String
    public var senior: Bool
    public var earlierTrials: Int
    public var gcpTrainedOn: String?
    /// Sites active now (activated, not closed), as kept with every write to a site.
    public var activeSites: Int
    /// The most the policy allows this investigator's specialty before a warning.
    public var threshold: Int
    /// Active sites in the phases the policy limits, with each phase's limit.
    public var phaseLoads: [PhaseLoad]
    /// The limits passed, the one passed furthest first (none: not overloaded).
    public var excesses: [PILoadPolicy.Excess]
    /// The record this one was merged into (the same person registered twice).
    public var mergedInto: UUID?
    public var version: Int

    public var overloaded: Bool { !excesses.isEmpty }

    public struct PhaseLoad: Sendable, Equatable {
        public var phase: TrialPhase
        public var load: Int
        public var limit: Int
    }

    init(_ model: InvestigatorModel, policy: PILoadPolicy, phaseLoads: [TrialPhase: Int] = [:]) throws {
        self.init(try InvestigatorRow(model), policy: policy, phaseLoads: phaseLoads)
    }

    init(_ model: InvestigatorRow, policy: PILoadPolicy, phaseLoads: [TrialPhase: Int] = [:]) {
        id = model.id
        institutionID = model.institutionID
        name = model.name
        specialty = model.specialty
        title = model.title
        senior = model.senior
        earlierTrials = model.earlierTrials
        gcpTrainedOn = model.gcpTrainedOn
        activeSites = model.activeSites
        threshold = policy.threshold(specialty: model.specialty)
        self.phaseLoads = TrialPhase.allCases.compactMap { phase in
            policy.byPhase[phase].map { PhaseLoad(phase: phase, load: phaseLoads[phase] ?? 0, limit: $0) }
        }
        excesses = policy.excesses(model.activeSites, specialty: model.specialty, phaseLoads: phaseLoads)
        mergedInto = model.mergedInto
        version = model.version
    }
}

public struct SiteRecord: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var trialID: UUID
    public var institutionID: UUID
    public var investigatorID: UUID
    public var role: SiteRole
    public var dates: SiteDates
    public var targetEnrolment: Int?
    public var actualEnrolment: Int?
    /// The regulator's exemption from the qualification rules, if any.
    public var exemption: String?
    public var version: Int

    init(_ model: TrialSiteModel) throws {
        id = try model.requireID()
        trialID = model.$trial.id
        institutionID = model.$institution.id
        investigatorID = model.$investigator.id
        role = model.role
        dates = model.dates
        targetEnrolment = model.targetEnrolment
        actualEnrolment = model.actualEnrolment
        exemption = model.exemption
        version = model.version
    }
}

public struct TrialEventRecord: Sendable, Equatable {
    public var sequence: Int
    public var kind: TrialEventKind
    public var on: String
    public var status: TrialStatus?
    public var siteID: UUID?
    public var detail: String?
    /// Who recorded it (for the regulator's roles only; nil for the others).
    public var recordedBy: String?
}

public struct TrialRecord: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var registrationNumber: String
    public var title: String
    public var kind: TrialKind
    public var phase: TrialPhase
    public var status: TrialStatus
    public var sponsorID: UUID
    public var uscc: String
    public var district: String
    public var park: String?
    public var productID: UUID?
    public var approvedOn: String?
    public var pilot: Bool
    public var firstConsentOn: String?
    public var deviceClass: ManagementClass?
    public var innovative: Bool
    public var needsApproval: Bool
    public var version: Int
    /// The 12-week start rule as of today.
    public var start: StartRule.Reading
    public var sites: [SiteRecord]

    init(_ model: TrialModel, sites: [TrialSiteModel], today: CivilDate) throws {
        id = try model.requireID()
        registrationNumber = model.registrationNumber
        title = model.title
        kind = model.kind
        phase = model.phase
        status = model.status
        sponsorID = model.$sponsor.id
        uscc = model.uscc
        district = model.district
        park = model.park
        productID = model.$product.id
        approvedOn = model.approvedOn
        pilot = model.pilot
        firstConsentOn = model.firstConsentOn
        deviceClass = model.deviceClass
        innovative = model.innovative
        needsApproval = model.needsApproval
        version = model.version
        start = StartRule.read(
            pilot: model.pilot, approvedOn: model.approvedOn.flatMap(CivilDate.init), firstConsentOn: model.firstConsentOn.flatMap(CivilDate.init),
            today: today)
        self.sites = try sites.map(SiteRecord.init)
    }

    public var location: RecordLocation {
        RecordLocation(district: district, park: park, enterprise: uscc, institutions: Set(sites.map(\.institutionID)))
    }
}

/// A trial with its timeline, as its page and `GET /api/v1/trials/{id}` show it.
public struct TrialDetail: Sendable, Equatable {
    public var trial: TrialRecord
    public var events: [TrialEventRecord]
}

/// Investigators over their threshold: by name for the roles that may read them, as a count for
/// the others (the industry department reads counts, not names).
public struct PILoadReport: Sendable, Equatable {
    public var asOf: CivilDate
    public var overloaded: Int
    public var investigators: [InvestigatorRecord]
    /// Whether `investigators` names them (the caller's role may read who they are).
    public var named: Bool
}
