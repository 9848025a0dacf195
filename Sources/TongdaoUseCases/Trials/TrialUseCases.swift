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
        try await TrialStore.loadPolicy(inForceOn: platform.clock.today(), on: platform.database)
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
        return try await platform.putPolicy(policy, key: PlatformSetting.Key.piLoadPolicy, audit: "settings.pi_load", by: caller)
    }

    // MARK: Institutions

    /// Registers a trial institution: the regulator's side only (an institution's office keeps its
    /// own record, it registers no other).
    public func createInstitution(_ input: InstitutionInput, by caller: Caller) async throws -> InstitutionRecord {
        try caller.require(.writeTrialRegistry)
        if case .institution = caller.filter { throw UseCaseError.forbidden(.writeTrialRegistry, role: caller.role) }
        var reader = FieldReader()
        let districts = try await Self.districtCodes(on: platform.database)
        let checked = input.checked(today: platform.clock.today(), districts: districts, into: &reader)
        try reader.check()
        guard let checked else { throw UseCaseError.invalid(reader.problems) }
        let taken = FieldProblem("code", "an institution with the code \(checked.code) is registered already", chinese: "该机构代码已登记")
        return try await platform.write(by: caller, conflict: taken) { write in
            guard try await TrialStore.institution(code: checked.code, on: write.db) == nil else { throw UseCaseError.conflict(taken) }
            let model = TrialInstitutionModel()
            checked.set(on: model)
            model.status = .active
            model.version = 1
            try await model.create(on: write.db)
            let rows = try await TrialStore.replaceSpecialties(
                of: try model.requireID(), with: checked.specialties.map { ($0.name, $0.filedOn) }, on: write.db)
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

    /// How quickly an institution takes trials on: the medians of its sites' ethics review and
    /// activation times, overall and by its PIs' specialties (`SiteTimes`).
    public func siteTimes(institution id: UUID, by caller: Caller) async throws -> SiteTimes.Report {
        try caller.require(.readTrials)
        guard try await TrialStore.institution(id: id, scope: caller.filter, on: platform.database) != nil else {
            throw UseCaseError.notFound(.institution)
        }
        return SiteTimes.Report(try await TrialStore.siteSamples(institution: id, on: platform.database))
    }

    // MARK: Investigators

    /// Registers an investigator at an institution the caller keeps (its office, or the regulator).
    public func createInvestigator(_ input: InvestigatorInput, by caller: Caller) async throws -> InvestigatorRecord {
        try caller.require(.writeTrialRegistry)
        var reader = FieldReader()
        let checked = input.checked(today: platform.clock.today(), into: &reader)
        try reader.check()
        guard let checked else { throw UseCaseError.invalid(reader.problems) }
        let policy = try await self.policy()
        return try await platform.write(by: caller) { write in
            guard try await TrialStore.institution(id: checked.institutionID, scope: caller.filter, on: write.db) != nil else {
                throw UseCaseError.invalid([FieldProblem("institutionId", "names no institution you keep", chinese: "所属机构不存在或不在您的权限范围内")])
            }
            let model = InvestigatorModel()
            checked.set(on: model)
            model.activeSites = 0
            model.version = 1
            try await model.create(on: write.db)
            let record = try InvestigatorRecord(model, policy: policy)
            try await write.audit(
                "investigator.create", entityType: "investigator", entityID: record.id.uuidString, before: nil,
                after: try Audit.json(["name": record.name, "institutionId": checked.institutionID.uuidString, "specialty": record.specialty]))
            return record
        }
    }

    public func investigator(id: UUID, by caller: Caller) async throws -> (investigator: InvestigatorRecord, sites: [SiteRecord]) {
        try caller.require(.readTrials)
        guard let model = try await TrialStore.investigator(id: id, scope: caller.filter, on: platform.database) else {
            throw UseCaseError.notFound(.investigator)
        }
        return (
            try await Self.records([model], policy: try await self.policy(), on: platform.database)[0],
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
        return Page(items: try await Self.records(page.rows, policy: policy, on: platform.database), next: page.next?.token)
    }

    /// The investigators over their threshold today, most loaded first: named for the roles that
    /// may read who they are, counted for the others.
    public func piLoad(by caller: Caller) async throws -> PILoadReport {
        try caller.require(.readTrials)
        let policy = try await self.policy()
        let loaded = try await Self.overloaded(under: policy, scope: caller.filter, on: platform.database)
        let named = caller.may(.readPILoad)
        return PILoadReport(
            asOf: platform.clock.today(), overloaded: loaded.count,
            investigators: named ? loaded.map { InvestigatorRecord($0.model, policy: policy, phaseLoads: $0.phaseLoads) } : [],
            named: named)
    }

    /// The records of investigators with their loads in the phases the policy limits (one query).
    static func records(_ models: [InvestigatorModel], policy: PILoadPolicy, on db: any Database) async throws -> [InvestigatorRecord] {
        let loads = try await TrialStore.phaseLoads(in: Set(policy.byPhase.keys), of: Set(try models.map { try $0.requireID() }), on: db)
        return try models.map { try InvestigatorRecord($0, policy: policy, phaseLoads: loads[try $0.requireID()] ?? [:]) }
    }

    /// An investigator over a limit, with their active sites in the phases the policy limits and
    /// the limits passed (`PILoadPolicy.excesses`: at least one, the one passed furthest first).
    struct Loaded {
        var model: InvestigatorRow
        var phaseLoads: [TrialPhase: Int]
        var excesses: [PILoadPolicy.Excess]
    }

    /// The investigators in the scope over a limit of `policy`, most loaded first: from the kept
    /// loads, those over the lowest threshold, each then held to its specialty's; and when the
    /// policy limits phases, those over a phase's limit (one grouped count of the active sites).
    static func overloaded(under policy: PILoadPolicy, scope: ScopeFilter, on db: any Database) async throws -> [Loaded] {
        let phaseLoads = try await TrialStore.phaseLoads(in: Set(policy.byPhase.keys), on: db)
        let overAPhase = phaseLoads.filter { _, loads in loads.contains { phase, load in policy.byPhase[phase].map { load > $0 } ?? false } }
        var models = try await TrialStore.loaded(over: policy.floor, scope: scope, on: db)
        let seen = Set(models.map(\.id))
        models += try await TrialStore.investigators(Set(overAPhase.keys).subtracting(seen), scope: scope, on: db)
        return models.sorted { ($1.activeSites, $0.name, $0.id) < ($0.activeSites, $1.name, $1.id) }
            .compactMap { model in
                let loads = phaseLoads[model.id] ?? [:]
                let excesses = policy.excesses(model.activeSites, specialty: model.specialty, phaseLoads: loads)
                return excesses.isEmpty ? nil : Loaded(model: model, phaseLoads: loads, excesses: excesses)
            }
    }

    // MARK: Trials

    /// Registers a trial: its sponsor (an enterprise in the caller's scope: an enterprise's own
    /// account registers its own) or the regulator.
    public func createTrial(_ input: TrialInput, by caller: Caller) async throws -> TrialDetail {
        try caller.require(.writeTrials)
        if case .institution = caller.filter { throw UseCaseError.forbidden(.writeTrials, role: caller.role) }
        let today = platform.clock.today()
        var reader = FieldReader()
        let checked = input.checked(today: today, into: &reader)
        try reader.check()
        guard let checked else { throw UseCaseError.invalid(reader.problems) }
        let taken = FieldProblem("registrationNumber", "a trial with this number is registered already", chinese: "该登记号已登记")
        return try await platform.write(by: caller, conflict: taken) { write in
            guard let enterprise = try await EnterpriseStore.find(uscc: checked.sponsor, on: write.db), caller.admits(enterprise.location) else {
                throw UseCaseError.invalid([FieldProblem("sponsor", "names no enterprise in your scope", chinese: "申办者未登记，或不在您的权限范围内")])
            }
            if let productID = checked.productID {
                guard let product = try await ProductModel.find(productID, on: write.db), product.$enterprise.id == enterprise.id else {
                    throw UseCaseError.invalid([FieldProblem("productId", "is not a product of the sponsor", chinese: "该产品不属于申办者")])
                }
            }
            guard try await TrialStore.trial(registrationNumber: checked.registrationNumber, on: write.db) == nil else {
                throw UseCaseError.conflict(taken)
            }
            let model = TrialModel()
            try checked.set(on: model, sponsor: enterprise)
            model.status = checked.firstConsentOn == nil ? .approved : .recruiting
            model.version = 1
            try await model.create(on: write.db)
            let id = try model.requireID()
            try await TrialStore.append(
                .registered, to: id, on: checked.approvedOn.flatMap(CivilDate.init) ?? today, status: model.status, recordedBy: caller.audit.name,
                at: write.now, on: write.db)
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

    /// The names of investigators, by id.
    public func investigatorNames(of ids: [UUID], by caller: Caller) async throws -> [UUID: String] {
        try caller.require(.readTrials)
        return try await TrialStore.investigatorNames(of: ids, on: platform.database)
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
    /// `kept` is the site's PI, institution and exemption before the change (nil for a new site).
    private func apply(
        _ input: SiteInput, to site: TrialSiteModel, trial: TrialModel, kept: (investigator: UUID, institution: UUID, exemption: String?)?,
        today: CivilDate, by caller: Caller, on db: any Database
    ) async throws {
        let institution = try await UUID(uuidString: input.institutionID?.trimmingWhitespace() ?? "").asyncMap {
            try await TrialStore.institution(id: $0, scope: .everything, on: db)
        }
        let investigator = try await UUID(uuidString: input.investigatorID?.trimmingWhitespace() ?? "").asyncMap {
            try await TrialStore.investigatorRows(ids: [$0], on: db)[$0]
        }
        var reader = FieldReader()
        let checked = try input.checked(
            trial: trial.qualification, institution: institution ?? nil, investigator: investigator ?? nil, kept: kept, today: today, by: caller,
            into: &reader)
        try reader.check()
        guard let checked else { throw UseCaseError.invalid(reader.problems) }
        checked.set(on: site, by: caller)
    }

    /// Shanghai's district codes, for checking an institution's district.
    static func districtCodes(on db: any Database) async throws -> Set<String> {
        Set(try await RegionQueries.list(on: db).filter { $0.level == .district }.map(\.code))
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
