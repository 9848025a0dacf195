import Foundation
import TongdaoCore

/// Reads the fields of a form or a request body into checked values, collecting a problem for each
/// field that breaks a rule (named as the API names it, with the Chinese for the page).
struct FieldReader {
    var problems: [FieldProblem] = []

    /// Text, trimmed; `required` refuses an empty one; longer than `maximum` characters is refused.
    mutating func text(_ field: String, _ value: String?, label: String, maximum: Int = 100, required: Bool = true) -> String? {
        let text = value?.trimmingWhitespace() ?? ""
        if let problem = TextRules.problem(field, text) {
            problems.append(problem)
            return nil
        }
        if text.isEmpty {
            if required { problems.append(FieldProblem(field, "is required", chinese: "请填写\(label)")) }
            return nil
        }
        guard text.count <= maximum else {
            problems.append(FieldProblem(field, "must be at most \(maximum) characters", chinese: "\(label)不能超过 \(maximum) 个字"))
            return nil
        }
        return text
    }

    /// A day `YYYY-MM-DD`, or nil when none is given; never later than `today`.
    mutating func day(_ field: String, _ value: String?, label: String, today: CivilDate, required: Bool = false) -> CivilDate? {
        guard let text = value?.trimmingWhitespace(), !text.isEmpty else {
            if required { problems.append(FieldProblem(field, "is required", chinese: "请填写\(label)")) }
            return nil
        }
        guard let day = CivilDate(text) else {
            problems.append(FieldProblem(field, "must be a date YYYY-MM-DD", chinese: "\(label)应为日期（YYYY-MM-DD）"))
            return nil
        }
        guard day <= today else {
            problems.append(FieldProblem(field, "cannot be later than today", chinese: "\(label)不能晚于今天"))
            return nil
        }
        return day
    }

    /// One of a coded list, by its code or its Chinese label; `required: false` lets it be left out (nil).
    mutating func code<T: LabelledCode>(_ field: String, _ value: String?, label: String, as _: T.Type, required: Bool = true) -> T? {
        guard let text = value?.trimmingWhitespace(), !text.isEmpty else {
            if required { problems.append(FieldProblem(field, "is required", chinese: "请选择\(label)")) }
            return nil
        }
        guard let code = T(codeOrLabel: text) else {
            problems.append(
                FieldProblem(
                    field, "must be one of \(T.allCases.map(\.rawValue).joined(separator: ", "))",
                    chinese: "\(label)应为：\(T.allCases.map(\.label).joined(separator: "、"))"))
            return nil
        }
        return code
    }

    /// A whole number in a range, or nil when none is given.
    mutating func count(_ field: String, _ value: Int?, label: String, in range: ClosedRange<Int>) -> Int? {
        guard let value else { return nil }
        guard range.contains(value) else {
            problems.append(
                FieldProblem(
                    field, "must be between \(range.lowerBound) and \(range.upperBound)",
                    chinese: "\(label)应在 \(range.lowerBound) 至 \(range.upperBound) 之间"))
            return nil
        }
        return value
    }

    /// A record's id.
    mutating func id(_ field: String, _ value: String?, label: String, required: Bool = true) -> UUID? {
        guard let text = value?.trimmingWhitespace(), !text.isEmpty else {
            if required { problems.append(FieldProblem(field, "is required", chinese: "请选择\(label)")) }
            return nil
        }
        guard let id = UUID(text: text) else {
            problems.append(FieldProblem(field, "must be an id", chinese: "\(label)无效"))
            return nil
        }
        return id
    }

    func check() throws {
        guard problems.isEmpty else { throw UseCaseError.invalid(problems) }
    }
}

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
