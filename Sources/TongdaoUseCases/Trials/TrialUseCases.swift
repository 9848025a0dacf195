import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

/// Clinical-trial supervision: the registry of institutions, investigators, trials and their
/// sites, and the loads of investigators kept as sites change. Every write checks the role, the
/// scope and the rules first, then writes the record, the trial's timeline event and the audit row
/// in one transaction.
public struct TrialUseCases: Sendable {
    let platform: Platform

    /// The PI-load policy in force today (there is no national cap: the platform's own policy).
    public func policy() async throws -> PILoadPolicy {
        PILoadPolicy.inForce(on: platform.clock.today(), among: try await TrialStore.loadPolicies(on: platform.database))
    }

    /// Every version of the PI-load policy, by the day each is in force from.
    public func policies(by caller: Caller) async throws -> [PILoadPolicy] {
        try caller.require(.readTrials)
        return try await TrialStore.loadPolicies(on: platform.database)
    }

    /// Puts a PI-load policy in force from a day (today or later; one from the same day is replaced):
    /// `city_admin` only, with an audit row.
    public func setPolicy(_ policy: PILoadPolicy, by caller: Caller) async throws -> [PILoadPolicy] {
        try caller.require(.writeProcedure)
        var policy = policy
        policy.bySpecialty = Dictionary(
            policy.bySpecialty.map { ($0.key.trimmingWhitespace(), $0.value) }, uniquingKeysWith: { first, _ in first })
        let problems = policy.problems(today: platform.clock.today())
        guard problems.isEmpty else { throw UseCaseError.invalid(problems) }
        let checked = policy
        return try await platform.write(by: caller) { write in
            let before = try await TrialStore.loadPolicies(on: write.db)
            let after = try await TrialStore.store(checked, on: write.db)
            try await write.audit(
                "settings.pi_load", entityType: "settings", entityID: PlatformSetting.Key.piLoadPolicy, before: try Audit.json(before),
                after: try Audit.json(after))
            return after
        }
    }

    // MARK: Institutions

    /// Registers a trial institution: the regulator's side only (an institution's office keeps its
    /// own record, it registers no other).
    public func createInstitution(_ input: InstitutionInput, by caller: Caller) async throws -> InstitutionRecord {
        try caller.require(.writeTrialRegistry)
        if case .institution = caller.filter { throw UseCaseError.forbidden(.writeTrialRegistry, role: caller.role) }
        let today = platform.clock.today()
        var reader = FieldReader()
        let name = reader.text("name", input.name, label: "机构名称")
        let code = reader.text("code", input.code, label: "机构代码", maximum: 40)
        let district = reader.text("district", input.district, label: "所在区", maximum: 6, required: false)
        let province = reader.text("province", input.province, label: "所在省份", maximum: 20, required: false) ?? (district == nil ? nil : "上海")
        if province == nil, district == nil {
            reader.problems.append(FieldProblem("province", "is required for an institution outside Shanghai", chinese: "上海以外的机构请填写所在省份"))
        }
        let grade = reader.code("grade", input.grade, label: "医院等级", as: HospitalGrade.self)
        let drugNumber = reader.text("drugFilingNumber", input.drugFilingNumber, label: "药物临床试验机构备案号", maximum: 40, required: false)
        let drugOn = reader.day("drugFiledOn", input.drugFiledOn, label: "药物临床试验机构备案日期", today: today, required: drugNumber != nil)
        let deviceNumber = reader.text("deviceFilingNumber", input.deviceFilingNumber, label: "医疗器械临床试验机构备案号", maximum: 40, required: false)
        let deviceOn = reader.day("deviceFiledOn", input.deviceFiledOn, label: "医疗器械临床试验机构备案日期", today: today, required: deviceNumber != nil)
        if drugNumber == nil, deviceNumber == nil, !reader.problems.contains(where: { $0.field.hasSuffix("FilingNumber") }) {
            reader.problems.append(
                FieldProblem("drugFilingNumber", "an institution is filed for drug or device trials, or both", chinese: "请填写药物或医疗器械临床试验机构备案号"))
        }
        var specialties: [(String, CivilDate)] = []
        for (index, specialty) in input.specialties.enumerated() {
            let field = "specialties[\(index)]"
            if let name = reader.text("\(field).name", specialty.name, label: "专业名称", maximum: 40),
                let on = reader.day("\(field).filedOn", specialty.filedOn, label: "专业备案日期", today: today, required: true)
            {
                if specialties.contains(where: { $0.0 == name }) {
                    reader.problems.append(FieldProblem("\(field).name", "is listed twice", chinese: "专业“\(name)”重复"))
                } else {
                    specialties.append((name, on))
                }
            }
        }
        if let district, !(try await RegionQueries.list(on: platform.database)).contains(where: { $0.code == district && $0.level == .district }) {
            reader.problems.append(FieldProblem("district", "names no Shanghai district", chinese: "没有这个区"))
        }
        try reader.check()
        let filed = specialties
        let taken = FieldProblem("code", "an institution with the code \(code ?? "") is registered already", chinese: "该机构代码已登记")
        return try await platform.write(by: caller, conflict: taken) { write in
            guard try await TrialStore.institution(code: code ?? "", on: write.db) == nil else { throw UseCaseError.conflict(taken) }
            let model = TrialInstitutionModel()
            model.name = name ?? ""
            model.code = code ?? ""
            model.district = district
            model.province = province ?? "上海"
            model.grade = grade ?? .other
            model.drugFilingNumber = drugNumber
            model.drugFiledOn = drugOn?.description
            model.deviceFilingNumber = deviceNumber
            model.deviceFiledOn = deviceOn?.description
            model.status = .active
            model.version = 1
            try await model.create(on: write.db)
            var rows: [TrialSpecialtyModel] = []
            for (name, on) in filed {
                let row = TrialSpecialtyModel()
                row.$institution.id = try model.requireID()
                row.name = name
                row.filedOn = on.description
                try await row.create(on: write.db)
                rows.append(row)
            }
            let record = try InstitutionRecord(model, specialties: rows)
            try await write.audit(
                "trial_institution.create", entityType: "trial_institution", entityID: record.id.uuidString, before: nil,
                after: try Audit.json(["name": record.name, "code": record.code, "grade": record.grade.rawValue]))
            return record
        }
    }

    public func institution(id: UUID, by caller: Caller) async throws -> InstitutionRecord {
        try caller.require(.readTrials)
        guard let model = try await TrialStore.institution(id: id, scope: caller.filter, on: platform.database) else {
            throw UseCaseError.notFound(.institution)
        }
        return try InstitutionRecord(model, specialties: try await TrialStore.specialties(of: [id], on: platform.database)[id] ?? [])
    }

    public func institutions(limit: Int = 50, cursor: String? = nil, by caller: Caller) async throws -> Page<InstitutionRecord> {
        try caller.require(.readTrials)
        let page = try await TrialStore.institutions(
            scope: caller.filter, limit: limit, after: try Cursor.parse(cursor, parts: 2), on: platform.database)
        let specialties = try await TrialStore.specialties(of: page.rows.compactMap(\.id), on: platform.database)
        return Page(items: try page.rows.map { try InstitutionRecord($0, specialties: specialties[$0.id ?? UUID()] ?? []) }, next: page.next?.token)
    }

    // MARK: Investigators

    /// Registers an investigator at an institution the caller keeps (its office, or the regulator).
    public func createInvestigator(_ input: InvestigatorInput, by caller: Caller) async throws -> InvestigatorRecord {
        try caller.require(.writeTrialRegistry)
        let today = platform.clock.today()
        var reader = FieldReader()
        let institutionID = reader.id("institutionId", input.institutionID, label: "所属机构")
        let name = reader.text("name", input.name, label: "姓名", maximum: 40)
        let specialty = reader.text("specialty", input.specialty, label: "专业", maximum: 40)
        let title = reader.text("title", input.title, label: "职称", maximum: 40)
        let earlier = reader.count("earlierTrials", input.earlierTrials ?? 0, label: "既往承担试验数", in: 0...10_000)
        let trained = reader.day("gcpTrainedOn", input.gcpTrainedOn, label: "GCP 培训日期", today: today)
        try reader.check()
        let policy = try await self.policy()
        return try await platform.write(by: caller) { write in
            guard let institutionID, try await TrialStore.institution(id: institutionID, scope: caller.filter, on: write.db) != nil else {
                throw UseCaseError.invalid([FieldProblem("institutionId", "names no institution you keep", chinese: "所属机构不存在或不在您的权限范围内")])
            }
            let model = InvestigatorModel()
            model.$institution.id = institutionID
            model.name = name ?? ""
            model.specialty = specialty ?? ""
            model.title = title ?? ""
            model.senior = input.senior
            model.earlierTrials = earlier ?? 0
            model.gcpTrainedOn = trained?.description
            model.activeSites = 0
            model.version = 1
            try await model.create(on: write.db)
            let record = try InvestigatorRecord(model, policy: policy)
            try await write.audit(
                "investigator.create", entityType: "investigator", entityID: record.id.uuidString, before: nil,
                after: try Audit.json(["name": record.name, "institutionId": institutionID.uuidString, "specialty": record.specialty]))
            return record
        }
    }

    public func investigator(id: UUID, by caller: Caller) async throws -> (investigator: InvestigatorRecord, sites: [SiteRecord]) {
        try caller.require(.readTrials)
        guard let model = try await TrialStore.investigator(id: id, scope: caller.filter, on: platform.database) else {
            throw UseCaseError.notFound(.investigator)
        }
        return (
            try InvestigatorRecord(model, policy: try await self.policy()),
            try await TrialStore.sites(ofInvestigator: id, on: platform.database).map(SiteRecord.init)
        )
    }

    public func investigators(institution: String?, limit: Int = 50, cursor: String? = nil, by caller: Caller) async throws -> Page<
        InvestigatorRecord
    > {
        try caller.require(.readTrials)
        let page = try await TrialStore.investigators(
            institution: RecordID.filter(institution), scope: caller.filter, limit: limit, after: try Cursor.parse(cursor, parts: 2),
            on: platform.database)
        let policy = try await self.policy()
        return Page(items: try page.rows.map { try InvestigatorRecord($0, policy: policy) }, next: page.next?.token)
    }

    /// The investigators over their threshold today, most loaded first: named for the roles that
    /// may read who they are, counted for the others.
    public func piLoad(by caller: Caller) async throws -> PILoadReport {
        try caller.require(.readTrials)
        let policy = try await self.policy()
        let floor = ([policy.threshold] + policy.bySpecialty.values).min() ?? policy.threshold
        let loaded = try await TrialStore.loaded(over: floor, scope: caller.filter, on: platform.database)
            .filter { policy.isOverloaded($0.activeSites, specialty: $0.specialty) }
        let named = caller.may(.readPILoad)
        return PILoadReport(
            asOf: platform.clock.today(), overloaded: loaded.count,
            investigators: named ? try loaded.map { try InvestigatorRecord($0, policy: policy) } : [], named: named)
    }

    // MARK: Trials

    /// Registers a trial: its sponsor (an enterprise in the caller's scope: an enterprise's own
    /// account registers its own) or the regulator.
    public func createTrial(_ input: TrialInput, by caller: Caller) async throws -> TrialDetail {
        try caller.require(.writeTrials)
        if case .institution = caller.filter { throw UseCaseError.forbidden(.writeTrials, role: caller.role) }
        let today = platform.clock.today()
        var reader = FieldReader()
        let number = reader.text("registrationNumber", input.registrationNumber, label: "登记号或备案号", maximum: 40)
        let title = reader.text("title", input.title, label: "试验题目", maximum: 200)
        let kind = reader.code("kind", input.kind, label: "试验类别", as: TrialKind.self)
        let phase = reader.code("phase", input.phase ?? (kind == .drug ? nil : TrialPhase.notApplicable.rawValue), label: "试验分期", as: TrialPhase.self)
        let sponsor = reader.text("sponsor", input.sponsor, label: "申办者统一社会信用代码", maximum: 18)
        let productID = reader.id("productId", input.productID, label: "产品", required: false)
        let approved = reader.day("approvedOn", input.approvedOn, label: "批准（备案）日期", today: today, required: input.pilot)
        let consent = reader.day("firstConsentOn", input.firstConsentOn, label: "首例知情同意日期", today: today)
        if let number, let kind, let problem = TrialRegistrationNumber.problem(number, kind: kind) { reader.problems.append(problem) }
        if let kind, let phase, (kind == .drug) == (phase == .notApplicable) {
            reader.problems.append(
                kind == .drug
                    ? FieldProblem("phase", "a drug trial has a phase", chinese: "药物临床试验请选择分期")
                    : FieldProblem("phase", "a device or IVD trial has no phase", chinese: "医疗器械和体外诊断试剂临床试验不分期"))
        }
        let deviceClass: ManagementClass? =
            kind != .drug && input.deviceClass?.trimmingWhitespace().isEmpty == false
            ? reader.code("deviceClass", input.deviceClass, label: "产品管理类别", as: ManagementClass.self) : nil
        if let approved, let consent, consent < approved {
            reader.problems.append(FieldProblem("firstConsentOn", "cannot come before the approval", chinese: "首例知情同意日期不能早于批准日期"))
        }
        try reader.check()
        let taken = FieldProblem("registrationNumber", "a trial with this number is registered already", chinese: "该登记号已登记")
        return try await platform.write(by: caller, conflict: taken) { write in
            guard let enterprise = try await EnterpriseStore.find(uscc: sponsor ?? "", on: write.db), caller.admits(enterprise.location) else {
                throw UseCaseError.invalid([FieldProblem("sponsor", "names no enterprise in your scope", chinese: "申办者未登记，或不在您的权限范围内")])
            }
            if let productID {
                guard let product = try await ProductModel.find(productID, on: write.db), product.$enterprise.id == enterprise.id else {
                    throw UseCaseError.invalid([FieldProblem("productId", "is not a product of the sponsor", chinese: "该产品不属于申办者")])
                }
            }
            guard try await TrialStore.trial(registrationNumber: number ?? "", on: write.db) == nil else { throw UseCaseError.conflict(taken) }
            let model = TrialModel()
            model.registrationNumber = number ?? ""
            model.title = title ?? ""
            model.kind = kind ?? .drug
            model.phase = phase ?? .notApplicable
            model.status = consent == nil ? .approved : .recruiting
            model.$sponsor.id = try enterprise.requireID()
            model.uscc = enterprise.uscc
            model.district = enterprise.district
            model.park = enterprise.park
            model.$product.id = productID
            model.approvedOn = approved?.description
            model.pilot = input.pilot
            model.firstConsentOn = consent?.description
            model.deviceClass = deviceClass
            model.innovative = input.innovative
            model.needsApproval = input.needsApproval
            model.version = 1
            try await model.create(on: write.db)
            let id = try model.requireID()
            try await TrialStore.append(
                .registered, to: id, on: approved ?? today, status: model.status, recordedBy: caller.audit.name, at: write.now, on: write.db)
            try await write.audit(
                "trial.create", entityType: "trial", entityID: id.uuidString, before: nil,
                after: try Audit.json(["registrationNumber": model.registrationNumber, "sponsor": model.uscc, "kind": model.kind.rawValue]))
            return try await detail(of: model, by: caller, on: write.db, today: today)
        }
    }

    /// Moves a trial to another status on a day: `trial.status` in the audit trail, a timeline event.
    public func recordStatus(_ status: String?, on day: String?, trial id: UUID, by caller: Caller) async throws -> TrialDetail {
        let today = platform.clock.today()
        var reader = FieldReader()
        let status = reader.code("status", status, label: "试验状态", as: TrialStatus.self)
        let on = reader.day("on", day, label: "日期", today: today, required: true)
        let problems = reader.problems
        return try await platform.write(by: caller) { write in
            guard let model = try await TrialStore.trial(id: id, scope: caller.filter, on: write.db) else { throw UseCaseError.notFound(.trial) }
            try caller.require(.writeTrials)
            guard let status, let on, problems.isEmpty else { throw UseCaseError.invalid(problems) }
            let before = model.status
            guard status != before else { return try await detail(of: model, by: caller, on: write.db, today: today) }
            model.status = status
            if status == .recruiting, model.firstConsentOn == nil { model.firstConsentOn = on.description }
            try await model.updateVersioned(on: write.db)
            try await TrialStore.append(.statusChanged, to: id, on: on, status: status, recordedBy: caller.audit.name, at: write.now, on: write.db)
            try await write.audit(
                "trial.status", entityType: "trial", entityID: id.uuidString, before: try Audit.json(["status": before.rawValue]),
                after: try Audit.json(["status": status.rawValue, "on": on.description]))
            return try await detail(of: model, by: caller, on: write.db, today: today)
        }
    }

    public func detail(id: UUID, by caller: Caller) async throws -> TrialDetail {
        try caller.require(.readTrials)
        guard let model = try await TrialStore.trial(id: id, scope: caller.filter, on: platform.database) else { throw UseCaseError.notFound(.trial) }
        return try await detail(of: model, by: caller, on: platform.database, today: platform.clock.today())
    }

    public func trials(
        institution: String? = nil, investigator: String? = nil, limit: Int = 50, cursor: String? = nil, by caller: Caller
    ) async throws -> Page<TrialRecord> {
        try caller.require(.readTrials)
        let page = try await TrialStore.trials(
            scope: caller.filter, institution: RecordID.filter(institution), investigator: RecordID.filter(investigator), limit: limit,
            after: try Cursor.parse(cursor, parts: 1), on: platform.database)
        let sites = try await TrialStore.sites(of: page.rows.compactMap(\.id), on: platform.database)
        let today = platform.clock.today()
        return Page(items: try page.rows.map { try TrialRecord($0, sites: sites[$0.id ?? UUID()] ?? [], today: today) }, next: page.next?.token)
    }

    private func detail(of model: TrialModel, by caller: Caller, on db: any Database, today: CivilDate) async throws -> TrialDetail {
        let id = try model.requireID()
        let sites = try await TrialStore.sites(of: [id], on: db)[id] ?? []
        let confidential = caller.may(.readConfidentialReview)
        return TrialDetail(
            trial: try TrialRecord(model, sites: sites, today: today),
            events: try await TrialStore.events(of: id, on: db).map {
                TrialEventRecord(
                    sequence: $0.sequence, kind: $0.kind, on: $0.occurredOn, status: $0.status, siteID: $0.siteID, detail: $0.detail,
                    recordedBy: confidential ? $0.recordedBy : nil)
            })
    }

    /// How pages name what trials refer to by id: institutions, investigators and sponsors.
    public struct Names: Sendable, Equatable {
        public var institutions: [UUID: String] = [:]
        public var investigators: [UUID: String] = [:]
        public var sponsors: [UUID: String] = [:]

        public func institution(_ id: UUID) -> String { institutions[id] ?? "—" }
        public func investigator(_ id: UUID) -> String { investigators[id] ?? "—" }
        public func sponsor(_ id: UUID) -> String { sponsors[id] ?? "—" }
    }

    /// The names of institutions, by id.
    public func institutionNames(of ids: [UUID], by caller: Caller) async throws -> [UUID: String] {
        try caller.require(.readTrials)
        return try await TrialStore.institutionNames(of: ids, on: platform.database)
    }

    /// The names the caller's trials and sites refer to.
    public func names(of trials: [TrialRecord], sites extra: [SiteRecord] = [], by caller: Caller) async throws -> Names {
        try caller.require(.readTrials)
        let sites = trials.flatMap(\.sites) + extra
        let db = platform.database
        return Names(
            institutions: try await TrialStore.institutionNames(of: sites.map(\.institutionID), on: db),
            investigators: try await TrialStore.investigatorNames(of: sites.map(\.investigatorID), on: db),
            sponsors: try await EnterpriseStore.names(of: trials.map(\.sponsorID), on: db))
    }

    // MARK: Sites

    /// Adds a site (an institution and its PI) to a trial in the caller's scope: its sponsor or the
    /// regulator. The PI's load is counted again in the same transaction.
    public func addSite(_ input: SiteInput, to trialID: UUID, by caller: Caller) async throws -> TrialDetail {
        let today = platform.clock.today()
        return try await platform.write(
            by: caller,
            conflict: FieldProblem("institutionId", "the trial has a site at this institution already", chinese: "该试验已有这家机构的中心")
        ) { write in
            guard let trial = try await TrialStore.trial(id: trialID, scope: caller.filter, on: write.db) else { throw UseCaseError.notFound(.trial) }
            try caller.require(.writeTrials)
            if case .institution = caller.filter { throw UseCaseError.forbidden(.writeTrials, role: caller.role) }
            let site = TrialSiteModel()
            site.$trial.id = trialID
            site.version = 1
            try await apply(input, to: site, trial: trial, kept: nil, today: today, by: caller, on: write.db)
            if try await TrialSiteModel.query(on: write.db).filter(\.$trial.$id == trialID).filter(\.$institution.$id == site.$institution.id).first()
                != nil
            {
                throw UseCaseError.conflict(
                    FieldProblem("institutionId", "the trial has a site at this institution already", chinese: "该试验已有这家机构的中心"))
            }
            try await site.create(on: write.db)
            try await TrialStore.keepLoads(of: [site.$investigator.id], on: write.db)
            let siteID = try site.requireID()
            try await TrialStore.append(.siteAdded, to: trialID, on: today, site: siteID, recordedBy: caller.audit.name, at: write.now, on: write.db)
            try await write.audit(
                "trial.site.create", entityType: "trial_site", entityID: siteID.uuidString, before: nil, after: try Audit.json(SiteAudit(site)))
            return try await detail(of: trial, by: caller, on: write.db, today: today)
        }
    }

    /// Changes a site: its sponsor, the regulator, or the office of the institution it runs at.
    /// `version` is the version the change is based on (a stale one is 409). The loads of the PI it
    /// had and the PI it has are counted again.
    public func updateSite(_ input: SiteInput, site siteID: UUID, of trialID: UUID, expecting version: Int?, by caller: Caller) async throws
        -> TrialDetail
    {
        let today = platform.clock.today()
        return try await platform.write(by: caller) { write in
            guard let trial = try await TrialStore.trial(id: trialID, scope: caller.filter, on: write.db) else { throw UseCaseError.notFound(.trial) }
            guard let site = try await TrialSiteModel.find(siteID, on: write.db), site.$trial.id == trialID else {
                throw UseCaseError.notFound(.site)
            }
            if case .institution(let own) = caller.filter, site.$institution.id != own { throw UseCaseError.notFound(.site) }
            try caller.require(.writeTrials)
            guard let version else { throw UseCaseError.versionRequired(.site) }
            guard version == site.version else { throw UseCaseError.stale(.site, current: site.version) }
            let before = SiteAudit(site)
            let previousPI = site.$investigator.id
            var input = input
            // A site stays at its institution (a new institution is a new site).
            input.institutionID = site.$institution.id.uuidString
            try await apply(
                input, to: site, trial: trial, kept: (site.$investigator.id, site.$institution.id, site.exemption), today: today, by: caller,
                on: write.db)
            let after = SiteAudit(site)
            guard after != before else { return try await detail(of: trial, by: caller, on: write.db, today: today) }
            do {
                try await site.updateVersioned(on: write.db)
            } catch is RecordChanged {
                throw UseCaseError.stale(.site, current: try await TrialSiteModel.find(siteID, on: write.db)?.version ?? version + 1)
            }
            try await TrialStore.keepLoads(of: [previousPI, site.$investigator.id], on: write.db)
            try await TrialStore.append(
                .siteChanged, to: trialID, on: today, site: siteID, recordedBy: caller.audit.name, at: write.now, on: write.db)
            try await write.audit(
                "trial.site.update", entityType: "trial_site", entityID: siteID.uuidString, before: try Audit.json(before),
                after: try Audit.json(after))
            return try await detail(of: trial, by: caller, on: write.db, today: today)
        }
    }

    /// Checks a site's fields against the rules and the registry, and sets them on `site`.
    /// `kept` is the site's PI, institution and exemption before the change (nil for a new site): an
    /// exemption stays while the PI and the institution do.
    private func apply(
        _ input: SiteInput, to site: TrialSiteModel, trial: TrialModel, kept: (investigator: UUID, institution: UUID, exemption: String?)?,
        today: CivilDate, by caller: Caller, on db: any Database
    ) async throws {
        var reader = FieldReader()
        let institutionID = reader.id("institutionId", input.institutionID, label: "参加机构")
        let investigatorID = reader.id("investigatorId", input.investigatorID, label: "主要研究者")
        let role = reader.code("role", input.role, label: "机构角色", as: SiteRole.self)
        let dates = SiteDates(
            ethicsApprovedOn: reader.day("ethicsApprovedOn", input.ethicsApprovedOn, label: "伦理审查批准日期", today: today),
            activatedOn: reader.day("activatedOn", input.activatedOn, label: "启动日期", today: today),
            firstSubjectOn: reader.day("firstSubjectOn", input.firstSubjectOn, label: "首例入组日期", today: today),
            closedOn: reader.day("closedOn", input.closedOn, label: "关闭日期", today: today))
        let granted = reader.text("exemption", input.exemption, label: "豁免理由", maximum: 500, required: false)
        let target = reader.count("targetEnrolment", input.targetEnrolment, label: "计划入组例数", in: 0...1_000_000)
        let actual = reader.count("actualEnrolment", input.actualEnrolment, label: "实际入组例数", in: 0...1_000_000)
        if reader.problems.isEmpty { reader.problems += dates.problems(today: today) }
        // An exemption is the regulator's to grant, and holds only until the PI or the institution changes.
        if granted != nil, !(caller.role.map { [.cityAdmin, .cityRegulator].contains($0) } ?? true) {
            throw UseCaseError.fieldForbidden(FieldProblem("exemption", "is recorded by the regulator", chinese: "资格豁免由市药监局登记"))
        }
        let carried = kept.flatMap { $0.investigator == investigatorID && $0.institution == institutionID ? $0.exemption : nil }
        let exemption = granted ?? carried
        if let institutionID {
            if let institution = try await TrialStore.institution(id: institutionID, scope: .everything, on: db) {
                if let investigatorID {
                    if let investigator = try await InvestigatorModel.find(investigatorID, on: db) {
                        if investigator.$institution.id != institutionID {
                            reader.problems.append(
                                FieldProblem("investigatorId", "works at another institution", chinese: "该研究者不属于这家机构"))
                        } else if exemption == nil, reader.problems.isEmpty {
                            reader.problems += SiteQualification.problems(
                                .init(
                                    kind: trial.kind, innovative: trial.innovative, classThree: trial.deviceClass == .three,
                                    needsApproval: trial.needsApproval),
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
        try reader.check()
        guard let institutionID, let investigatorID, let role else { throw UseCaseError.invalid(reader.problems) }
        site.$institution.id = institutionID
        site.$investigator.id = investigatorID
        site.role = role
        site.ethicsApprovedOn = dates.ethicsApprovedOn?.description
        site.activatedOn = dates.activatedOn?.description
        site.firstSubjectOn = dates.firstSubjectOn?.description
        site.closedOn = dates.closedOn?.description
        site.targetEnrolment = target
        site.actualEnrolment = actual
        // A change of PI or institution needs the exemption again if the rules refuse the new one.
        if granted != nil || exemption == nil {
            site.exemption = exemption
            site.exemptedBy = exemption == nil ? nil : caller.audit.name
        }
    }
}

/// What the audit row of a site records.
private struct SiteAudit: Encodable, Equatable {
    var institutionId: String
    var investigatorId: String
    var role: String
    var ethicsApprovedOn: String?
    var activatedOn: String?
    var firstSubjectOn: String?
    var targetEnrolment: Int?
    var actualEnrolment: Int?
    var closedOn: String?
    var exemption: String?

    init(_ site: TrialSiteModel) {
        institutionId = site.$institution.id.uuidString
        investigatorId = site.$investigator.id.uuidString
        role = site.role.rawValue
        ethicsApprovedOn = site.ethicsApprovedOn
        activatedOn = site.activatedOn
        firstSubjectOn = site.firstSubjectOn
        targetEnrolment = site.targetEnrolment
        actualEnrolment = site.actualEnrolment
        closedOn = site.closedOn
        exemption = site.exemption
    }
}

extension Platform {
    public var trials: TrialUseCases { TrialUseCases(platform: self) }
}
