import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

// The rules of each trial-registry record, checked the same way for a form, a request and a row of
// an imported sheet: each reads its input into checked values, collecting a field problem for every
// rule it breaks, and sets the checked values on the stored row.

/// An institution's fields, checked.
struct CheckedInstitution: Equatable {
    var name: String
    var code: String
    var district: String?
    var province: String
    var grade: HospitalGrade
    var drugFilingNumber: String?
    var drugFiledOn: String?
    var deviceFilingNumber: String?
    var deviceFiledOn: String?
    var specialties: [SpecialtyInput]

    /// Sets the fields (not the specialties, which are rows of their own) on the stored row.
    func set(on model: TrialInstitutionModel) {
        model.name = name
        model.code = code
        model.district = district
        model.province = province
        model.grade = grade
        model.drugFilingNumber = drugFilingNumber
        model.drugFiledOn = drugFiledOn
        model.deviceFilingNumber = deviceFilingNumber
        model.deviceFiledOn = deviceFiledOn
    }
}

extension CheckedInstitution {
    init(_ model: TrialInstitutionModel, specialties: [TrialSpecialtyModel]) {
        name = model.name
        code = model.code
        district = model.district
        province = model.province
        grade = model.grade
        drugFilingNumber = model.drugFilingNumber
        drugFiledOn = model.drugFiledOn
        deviceFilingNumber = model.deviceFilingNumber
        deviceFiledOn = model.deviceFiledOn
        self.specialties = specialties.map { SpecialtyInput(name: $0.name, filedOn: $0.filedOn) }.sorted { $0.name < $1.name }
    }
}

extension InstitutionInput {
    /// The checked fields, or nil with the problems in `reader`. `districts` are Shanghai's district codes.
    func checked(today: CivilDate, districts: Set<String>, into reader: inout FieldReader) -> CheckedInstitution? {
        let before = reader.problems.count
        let name = reader.text("name", name, label: "机构名称")
        let code = reader.text("code", code, label: "机构代码", maximum: 40)
        let district = reader.text("district", district, label: "所在区", maximum: 6, required: false)
        let province = reader.text("province", province, label: "所在省份", maximum: 20, required: false) ?? (district == nil ? nil : "上海")
        if province == nil, district == nil {
            reader.problems.append(FieldProblem("province", "is required for an institution outside Shanghai", chinese: "上海以外的机构请填写所在省份"))
        }
        let grade = reader.code("grade", grade, label: "医院等级", as: HospitalGrade.self)
        let drugNumber = reader.text("drugFilingNumber", drugFilingNumber, label: "药物临床试验机构备案号", maximum: 40, required: false)
        let drugOn = reader.day("drugFiledOn", drugFiledOn, label: "药物临床试验机构备案日期", today: today, required: drugNumber != nil)
        let deviceNumber = reader.text("deviceFilingNumber", deviceFilingNumber, label: "医疗器械临床试验机构备案号", maximum: 40, required: false)
        let deviceOn = reader.day("deviceFiledOn", deviceFiledOn, label: "医疗器械临床试验机构备案日期", today: today, required: deviceNumber != nil)
        if drugNumber == nil, deviceNumber == nil, !reader.problems[before...].contains(where: { $0.field.hasSuffix("FilingNumber") }) {
            reader.problems.append(
                FieldProblem("drugFilingNumber", "an institution is filed for drug or device trials, or both", chinese: "请填写药物或医疗器械临床试验机构备案号"))
        }
        var filed: [SpecialtyInput] = []
        for (index, specialty) in specialties.enumerated() {
            let field = "specialties[\(index)]"
            if let name = reader.text("\(field).name", specialty.name, label: "专业名称", maximum: 40),
                let on = reader.day("\(field).filedOn", specialty.filedOn, label: "专业备案日期", today: today, required: true)
            {
                if filed.contains(where: { $0.name == name }) {
                    reader.problems.append(FieldProblem("\(field).name", "is listed twice", chinese: "专业“\(name)”重复"))
                } else {
                    filed.append(SpecialtyInput(name: name, filedOn: on.description))
                }
            }
        }
        if let district, !districts.contains(district) {
            reader.problems.append(FieldProblem("district", "names no Shanghai district", chinese: "没有这个区"))
        }
        guard reader.problems.count == before, let name, let code, let province, let grade else { return nil }
        return CheckedInstitution(
            name: name, code: code, district: district, province: province, grade: grade, drugFilingNumber: drugNumber,
            drugFiledOn: drugOn?.description, deviceFilingNumber: deviceNumber, deviceFiledOn: deviceOn?.description,
            specialties: filed.sorted { $0.name < $1.name })
    }
}

/// An investigator's fields, checked (the institution is checked against the registry by the write).
struct CheckedInvestigator: Equatable {
    var institutionID: UUID
    var name: String
    var specialty: String
    var title: String
    var senior: Bool
    var earlierTrials: Int
    var gcpTrainedOn: String?

    func set(on model: InvestigatorModel) {
        model.$institution.id = institutionID
        model.name = name
        model.specialty = specialty
        model.title = title
        model.senior = senior
        model.earlierTrials = earlierTrials
        model.gcpTrainedOn = gcpTrainedOn
    }
}

extension CheckedInvestigator {
    init(_ model: InvestigatorModel) {
        institutionID = model.$institution.id
        name = model.name
        specialty = model.specialty
        title = model.title
        senior = model.senior
        earlierTrials = model.earlierTrials
        gcpTrainedOn = model.gcpTrainedOn
    }
}

extension InvestigatorInput {
    func checked(today: CivilDate, into reader: inout FieldReader) -> CheckedInvestigator? {
        let before = reader.problems.count
        let institutionID = reader.id("institutionId", institutionID, label: "所属机构")
        let name = reader.text("name", name, label: "姓名", maximum: 40)
        let specialty = reader.text("specialty", specialty, label: "专业", maximum: 40)
        let title = reader.text("title", title, label: "职称", maximum: 40)
        let earlier = reader.count("earlierTrials", earlierTrials ?? 0, label: "既往承担试验数", in: 0...10_000)
        let trained = reader.day("gcpTrainedOn", gcpTrainedOn, label: "GCP 培训日期", today: today)
        guard reader.problems.count == before, let institutionID, let name, let specialty, let title else { return nil }
        return CheckedInvestigator(
            institutionID: institutionID, name: name, specialty: specialty, title: title, senior: senior, earlierTrials: earlier ?? 0,
            gcpTrainedOn: trained?.description)
    }
}

/// A trial's own fields, checked (its sponsor and product are checked against the registry by the write).
struct CheckedTrial: Equatable {
    var registrationNumber: String
    var title: String
    var kind: TrialKind
    var phase: TrialPhase
    /// The sponsor's USCC.
    var sponsor: String
    var productID: UUID?
    var approvedOn: String?
    var pilot: Bool
    var firstConsentOn: String?
    var deviceClass: ManagementClass?
    var innovative: Bool
    var needsApproval: Bool

    /// Sets the fields on the stored row; the sponsor's location comes with it, for scope.
    func set(on model: TrialModel, sponsor enterprise: EnterpriseModel) throws {
        model.registrationNumber = registrationNumber
        model.title = title
        model.kind = kind
        model.phase = phase
        model.$sponsor.id = try enterprise.requireID()
        model.uscc = enterprise.uscc
        model.district = enterprise.district
        model.park = enterprise.park
        model.$product.id = productID
        model.approvedOn = approvedOn
        model.pilot = pilot
        model.firstConsentOn = firstConsentOn
        model.deviceClass = deviceClass
        model.innovative = innovative
        model.needsApproval = needsApproval
    }

    /// What the rules of a site's PI and institution depend on.
    var qualification: SiteQualification.Trial {
        SiteQualification.Trial(kind: kind, innovative: innovative, classThree: deviceClass == .three, needsApproval: needsApproval)
    }
}

extension CheckedTrial {
    /// What a stored trial holds of these (its sponsor by USCC).
    init(_ model: TrialModel) {
        registrationNumber = model.registrationNumber
        title = model.title
        kind = model.kind
        phase = model.phase
        sponsor = model.uscc
        productID = model.$product.id
        approvedOn = model.approvedOn
        pilot = model.pilot
        firstConsentOn = model.firstConsentOn
        deviceClass = model.deviceClass
        innovative = model.innovative
        needsApproval = model.needsApproval
    }
}

extension TrialInput {
    func checked(today: CivilDate, into reader: inout FieldReader) -> CheckedTrial? {
        let before = reader.problems.count
        let number = reader.text("registrationNumber", registrationNumber, label: "登记号或备案号", maximum: 40)
        let title = reader.text("title", title, label: "试验题目", maximum: 200)
        let kind = reader.code("kind", kind, label: "试验类别", as: TrialKind.self)
        let phase = reader.code("phase", phase ?? (kind == .drug ? nil : TrialPhase.notApplicable.rawValue), label: "试验分期", as: TrialPhase.self)
        let sponsor = reader.text("sponsor", sponsor, label: "申办者统一社会信用代码", maximum: 18)
        let productID = reader.id("productId", productID, label: "产品", required: false)
        let approved = reader.day("approvedOn", approvedOn, label: "批准（备案）日期", today: today, required: pilot)
        let consent = reader.day("firstConsentOn", firstConsentOn, label: "首例知情同意日期", today: today)
        if let number, let kind, let problem = TrialRegistrationNumber.problem(number, kind: kind) { reader.problems.append(problem) }
        if let kind, let phase, (kind == .drug) == (phase == .notApplicable) {
            reader.problems.append(
                kind == .drug
                    ? FieldProblem("phase", "a drug trial has a phase", chinese: "药物临床试验请选择分期")
                    : FieldProblem("phase", "a device or IVD trial has no phase", chinese: "医疗器械和体外诊断试剂临床试验不分期"))
        }
        let deviceClass: ManagementClass? =
            kind != .drug && deviceClass?.trimmingWhitespace().isEmpty == false
            ? reader.code("deviceClass", deviceClass, label: "产品管理类别", as: ManagementClass.self) : nil
        if let approved, let consent, consent < approved {
            reader.problems.append(FieldProblem("firstConsentOn", "cannot come before the approval", chinese: "首例知情同意日期不能早于批准日期"))
        }
        guard reader.problems.count == before, let number, let title, let kind, let phase, let sponsor else { return nil }
        return CheckedTrial(
            registrationNumber: number, title: title, kind: kind, phase: phase, sponsor: sponsor, productID: productID,
            approvedOn: approved?.description, pilot: pilot, firstConsentOn: consent?.description, deviceClass: deviceClass,
            innovative: innovative, needsApproval: needsApproval)
    }
}

/// A site's fields, checked against the rules and the registry.
struct CheckedSite: Equatable {
    var institutionID: UUID
    var investigatorID: UUID
    var role: SiteRole
    var dates: SiteDates
    var targetEnrolment: Int?
    var actualEnrolment: Int?
    /// The exemption the site runs under, and whether it was granted by this change.
    var exemption: String?
    var granted: Bool

    /// The same site, as far as the stored row goes (whether the exemption was granted now aside).
    func matches(_ model: TrialSiteModel) -> Bool {
        var stored = CheckedSite(model)
        stored.granted = granted
        return stored == self
    }

    /// A new site of a trial with these fields, for a bulk write.
    func row(trial: UUID, by caller: Caller, now: Date) -> TrialSiteRow {
        var row = TrialSiteRow(trial: trial, institution: institutionID, investigator: investigatorID, role: role, now: now)
        row.dates = dates
        row.targetEnrolment = targetEnrolment
        row.actualEnrolment = actualEnrolment
        row.exemption = exemption
        row.exemptedBy = exemption == nil ? nil : caller.audit.name
        return row
    }

    func set(on site: TrialSiteModel, by caller: Caller) {
        site.$institution.id = institutionID
        site.$investigator.id = investigatorID
        site.role = role
        site.ethicsApprovedOn = dates.ethicsApprovedOn?.description
        site.activatedOn = dates.activatedOn?.description
        site.firstSubjectOn = dates.firstSubjectOn?.description
        site.closedOn = dates.closedOn?.description
        site.targetEnrolment = targetEnrolment
        site.actualEnrolment = actualEnrolment
        // A change of PI or institution needs the exemption again if the rules refuse the new one.
        if granted || exemption == nil {
            site.exemption = exemption
            site.exemptedBy = exemption == nil ? nil : caller.audit.name
        }
    }
}

extension CheckedSite {
    init(_ model: TrialSiteModel) {
        institutionID = model.$institution.id
        investigatorID = model.$investigator.id
        role = model.role
        dates = model.dates
        targetEnrolment = model.targetEnrolment
        actualEnrolment = model.actualEnrolment
        exemption = model.exemption
        granted = false
    }
}

extension SiteInput {
    /// Checks a site of a trial (what its rules depend on) against the rules: `institution` and
    /// `investigator` are the rows the input names (nil when there is none), `kept` the site's PI,
    /// institution and exemption before the change (nil for a new site): an exemption stays while
    /// the PI and the institution do.
    func checked(
        trial: SiteQualification.Trial, institution: TrialInstitutionModel?, investigator: InvestigatorRow?,
        kept: (investigator: UUID, institution: UUID, exemption: String?)?, today: CivilDate, by caller: Caller, into reader: inout FieldReader
    ) throws(UseCaseError) -> CheckedSite? {
        let before = reader.problems.count
        let institutionID = reader.id("institutionId", institutionID, label: "参加机构")
        let investigatorID = reader.id("investigatorId", investigatorID, label: "主要研究者")
        let role = reader.code("role", role, label: "机构角色", as: SiteRole.self)
        let dates = SiteDates(
            ethicsApprovedOn: reader.day("ethicsApprovedOn", ethicsApprovedOn, label: "伦理审查批准日期", today: today),
            activatedOn: reader.day("activatedOn", activatedOn, label: "启动日期", today: today),
            firstSubjectOn: reader.day("firstSubjectOn", firstSubjectOn, label: "首例入组日期", today: today),
            closedOn: reader.day("closedOn", closedOn, label: "关闭日期", today: today))
        let granted = reader.text("exemption", exemption, label: "豁免理由", maximum: 500, required: false)
        let target = reader.count("targetEnrolment", targetEnrolment, label: "计划入组例数", in: 0...1_000_000)
        let actual = reader.count("actualEnrolment", actualEnrolment, label: "实际入组例数", in: 0...1_000_000)
        if reader.problems.count == before { reader.problems += dates.problems(today: today) }
        // An exemption is the regulator's to grant, and holds only until the PI or the institution changes.
        if granted != nil, !(caller.role.map { [.cityAdmin, .cityRegulator].contains($0) } ?? true) {
            throw .fieldForbidden(FieldProblem("exemption", "is recorded by the regulator", chinese: "资格豁免由市药监局登记"))
        }
        let carried = kept.flatMap { $0.investigator == investigatorID && $0.institution == institutionID ? $0.exemption : nil }
        let exemption = granted ?? carried
        if institutionID != nil {
            if let institution {
                if investigatorID != nil {
                    if let investigator {
                        if investigator.institutionID != institution.id {
                            reader.problems.append(
                                FieldProblem("investigatorId", "works at another institution", chinese: "该研究者不属于这家机构"))
                        } else if let survivor = investigator.mergedInto {
                            reader.problems.append(
                                FieldProblem(
                                    "investigatorId", "was merged into investigator \(survivor.uuidString)",
                                    chinese: "该研究者记录已合并，请使用编号 \(survivor.uuidString)"))
                        } else if exemption == nil, reader.problems.count == before {
                            reader.problems += SiteQualification.problems(
                                trial,
                                investigator: .init(senior: investigator.senior, earlierTrials: investigator.earlierTrials),
                                institution: .init(
                                    grade: institution.grade, drugFiled: institution.drugFilingNumber != nil,
                                    deviceFiled: institution.deviceFilingNumber != nil))
                        }
                    } else {
                        reader.problems.append(FieldProblem("investigatorId", "names no investigator", chinese: "研究者未登记"))
                    }
                }
            } else {
                reader.problems.append(FieldProblem("institutionId", "names no trial institution", chinese: "参加机构未登记"))
            }
        }
        guard reader.problems.count == before, let institutionID, let investigatorID, let role else { return nil }
        return CheckedSite(
            institutionID: institutionID, investigatorID: investigatorID, role: role, dates: dates, targetEnrolment: target,
            actualEnrolment: actual, exemption: exemption, granted: granted != nil)
    }
}
