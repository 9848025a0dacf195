import Foundation
import TongdaoCore

/// A trial institution as its office or the regulator registers it.
public struct InstitutionInput: Sendable, Equatable {
    public var name: String?
    public var code: String?
    /// A Shanghai district code; none for an institution in another province.
    public var district: String?
    public var province: String?
    public var grade: String?
    public var drugFilingNumber: String?
    public var drugFiledOn: String?
    public var deviceFilingNumber: String?
    public var deviceFiledOn: String?
    /// Filed specialties (专业) and the day each was filed.
    public var specialties: [SpecialtyInput]

    public init(
        name: String?, code: String?, district: String? = nil, province: String? = nil, grade: String?, drugFilingNumber: String? = nil,
        drugFiledOn: String? = nil, deviceFilingNumber: String? = nil, deviceFiledOn: String? = nil,
        specialties: [SpecialtyInput] = []
    ) {
        self.name = name
        self.code = code
        self.district = district
        self.province = province
        self.grade = grade
        self.drugFilingNumber = drugFilingNumber
        self.drugFiledOn = drugFiledOn
        self.deviceFilingNumber = deviceFilingNumber
        self.deviceFiledOn = deviceFiledOn
        self.specialties = specialties
    }
}

/// A specialty (专业) an institution filed, and the day it was filed.
public struct SpecialtyInput: Sendable, Equatable {
    public var name: String
    public var filedOn: String

    public init(name: String, filedOn: String) {
        self.name = name
        self.filedOn = filedOn
    }
}

public struct InvestigatorInput: Sendable, Equatable {
    public var institutionID: String?
    public var name: String?
    public var specialty: String?
    public var title: String?
    public var senior: Bool
    public var earlierTrials: Int?
    public var gcpTrainedOn: String?

    public init(
        institutionID: String?, name: String?, specialty: String?, title: String?, senior: Bool, earlierTrials: Int?, gcpTrainedOn: String? = nil
    ) {
        self.institutionID = institutionID
        self.name = name
        self.specialty = specialty
        self.title = title
        self.senior = senior
        self.earlierTrials = earlierTrials
        self.gcpTrainedOn = gcpTrainedOn
    }
}

public struct TrialInput: Sendable, Equatable {
    public var registrationNumber: String?
    public var title: String?
    public var kind: String?
    public var phase: String?
    /// The sponsor's unified social credit code.
    public var sponsor: String?
    public var productID: String?
    public var approvedOn: String?
    public var pilot: Bool
    public var firstConsentOn: String?
    /// A device or IVD trial's product class (II or III).
    public var deviceClass: String?
    public var innovative: Bool
    public var needsApproval: Bool

    public init(
        registrationNumber: String?, title: String?, kind: String?, phase: String?, sponsor: String?, productID: String? = nil,
        approvedOn: String? = nil, pilot: Bool = false, firstConsentOn: String? = nil, deviceClass: String? = nil, innovative: Bool = false,
        needsApproval: Bool = false
    ) {
        self.deviceClass = deviceClass
        self.innovative = innovative
        self.needsApproval = needsApproval
        self.registrationNumber = registrationNumber
        self.title = title
        self.kind = kind
        self.phase = phase
        self.sponsor = sponsor
        self.productID = productID
        self.approvedOn = approvedOn
        self.pilot = pilot
        self.firstConsentOn = firstConsentOn
    }
}

public struct SiteInput: Sendable, Equatable {
    public var institutionID: String?
    public var investigatorID: String?
    public var role: String?
    public var ethicsApprovedOn: String?
    public var activatedOn: String?
    public var firstSubjectOn: String?
    public var targetEnrolment: Int?
    public var actualEnrolment: Int?
    public var closedOn: String?
    /// An officer's reason to let the site run although the qualification rules refuse it.
    public var exemption: String?

    public init(
        institutionID: String?, investigatorID: String?, role: String?, ethicsApprovedOn: String? = nil, activatedOn: String? = nil,
        firstSubjectOn: String? = nil, targetEnrolment: Int? = nil, actualEnrolment: Int? = nil, closedOn: String? = nil, exemption: String? = nil
    ) {
        self.exemption = exemption
        self.institutionID = institutionID
        self.investigatorID = investigatorID
        self.role = role
        self.ethicsApprovedOn = ethicsApprovedOn
        self.activatedOn = activatedOn
        self.firstSubjectOn = firstSubjectOn
        self.targetEnrolment = targetEnrolment
        self.actualEnrolment = actualEnrolment
        self.closedOn = closedOn
    }
}
