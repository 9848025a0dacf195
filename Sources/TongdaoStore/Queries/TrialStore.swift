import FluentKit
import Foundation
import SQLKit
import TongdaoCore

/// Trial institutions, investigators, trials, their sites and timelines. Writes happen inside a use
/// case's transaction, which checks the rules, the caller's permission and scope first.
public enum TrialStore {
    // MARK: Scope

    /// Trials in a scope: by their sponsor's location, or, for an institution's office, the trials
    /// with a site at the institution.
    static func scoped(_ query: QueryBuilder<TrialModel>, to scope: ScopeFilter) -> QueryBuilder<TrialModel> {
        guard case .institution(let institution) = scope else { return query.scoped(to: scope) }
        return query.join(TrialSiteModel.self, on: \TrialModel.$id == \TrialSiteModel.$trial.$id)
            .filter(TrialSiteModel.self, \.$institution.$id == institution)
    }

    /// Whether an institution is the caller's to see: every one for the regulator's side, its own
    /// for an institution's office, none for a scope of the enterprise registry below the city.
    public static func admitsInstitution(_ id: UUID, scope: ScopeFilter) -> Bool {
        switch scope {
        case .everything: true
        case .institution(let own): own == id
        case .districts, .park, .enterprise: true
        // A partner province's regulator reads nothing of the city's trials.
        case .province: false
        }
    }

    // MARK: Institutions and investigators

    public static func institution(id: UUID, scope: ScopeFilter, on database: any Database) async throws -> TrialInstitutionModel? {
        guard admitsInstitution(id, scope: scope) else { return nil }
        return try await TrialInstitutionModel.find(id, on: database)
    }

    public static func institution(code: String, on database: any Database) async throws -> TrialInstitutionModel? {
        try await TrialInstitutionModel.query(on: database).filter(\.$code == code).first()
    }

    /// Institutions by name, `limit` at a time after `after` (name, id).
    public static func institutions(scope: ScopeFilter, limit: Int, after: PageCursor?, on database: any Database) async throws -> (
        rows: [TrialInstitutionModel], next: PageCursor?
    ) {
        let query = TrialInstitutionModel.query(on: database)
        if case .institution(let own) = scope { query.filter(\.$id == own) }
        return try await query.pageByName(limit: limit, after: after)
    }

    /// The names of institutions, by id.
    public static func institutionNames(of ids: [UUID], on database: any Database) async throws -> [UUID: String] {
        try await names(in: TrialInstitutionModel.schema, of: ids, on: database)
    }

    /// The names of investigators, by id.
    public static func investigatorNames(of ids: [UUID], on database: any Database) async throws -> [UUID: String] {
        try await names(in: InvestigatorModel.schema, of: ids, on: database)
    }

    /// The `name` of rows by id, read straight from the rows (pages name hundreds at a time).
    private static func names(in table: String, of ids: [UUID], on database: any Database) async throws -> [UUID: String] {
        guard let sql = database as? any SQLDatabase else { throw BulkInsertError.notSQL }
        var names: [UUID: String] = [:]
        for part in Array(Set(ids)).chunked(valuesPerQuery) {
            for reader in try await sql.select().column("id").column("name").from(table).where("id", .in, SQLBind.group(Array(part))).rows() {
                names[try reader.uuid("id")] = try reader.text("name")
            }
        }
        return names
    }

    public static func specialties(of ids: [UUID], on database: any Database) async throws -> [UUID: [TrialSpecialtyModel]] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await TrialSpecialtyModel.query(on: database).filter(\.$institution.$id ~~ ids).sort(\.$filedOn).sort(\.$name).all()
        return Dictionary(grouping: rows, by: { $0.$institution.id })
    }

    public static func investigator(id: UUID, scope: ScopeFilter, on database: any Database) async throws -> InvestigatorModel? {
        guard let model = try await InvestigatorModel.find(id, on: database), admitsInstitution(model.$institution.id, scope: scope) else {
            return nil
        }
        return model
    }

    /// Investigators (of one institution when given) by name, `limit` at a time.
    public static func investigators(
        institution: UUID?, scope: ScopeFilter, limit: Int, after: PageCursor?, on database: any Database
    ) async throws -> (rows: [InvestigatorModel], next: PageCursor?) {
        let query = InvestigatorModel.query(on: database).filter(\.$mergedInto == nil)
        if case .institution(let own) = scope { query.filter(\.$institution.$id == own) }
        if let institution { query.filter(\.$institution.$id == institution) }
        return try await query.pageByName(limit: limit, after: after)
    }

    /// Investigators carrying more active sites than `floor`, most loaded first (of one institution
    /// for its office).
    public static func loaded(over floor: Int, scope: ScopeFilter, on database: any Database) async throws -> [InvestigatorRow] {
        try await investigatorRows(scope: scope, on: database) { $0.where("active_sites", .greaterThan, SQLBind(floor)) }
    }

    /// Investigators not merged away, of one institution for its office, most loaded first, read
    /// straight from their rows (the load lists read hundreds on every request).
    static func investigatorRows(
        scope: ScopeFilter, includingMerged: Bool = false, on database: any Database, narrowed: (SQLSelectBuilder) -> SQLSelectBuilder
    ) async throws -> [InvestigatorRow] {
        guard let sql = database as? any SQLDatabase else { throw BulkInsertError.notSQL }
        var query = sql.select().columns(InvestigatorRow.columns.map { SQLIdentifier($0) }).from(InvestigatorModel.schema)
        if !includingMerged { query = query.where("merged_into_id", .is, SQLLiteral.null) }
        if case .institution(let own) = scope { query = query.where("institution_id", .equal, SQLBind(own)) }
        query = narrowed(query).orderBy("active_sites", .descending).orderBy("name").orderBy("id")
        return try await query.rows().map(InvestigatorRow.init)
    }

    // MARK: Loads

    /// Every version of the PI-load policy, by the day each is in force from.
    public static func loadPolicies(on database: any Database) async throws -> [PILoadPolicy] {
        try await PolicyStore.versions(PILoadPolicy.self, key: PlatformSetting.Key.piLoadPolicy, on: database)
    }

    /// The version of the PI-load policy in force on a day (the standard one before the first).
    public static func loadPolicy(inForceOn day: CivilDate, on database: any Database) async throws -> PILoadPolicy {
        try await PolicyStore.inForce(PILoadPolicy.self, key: PlatformSetting.Key.piLoadPolicy, on: day, on: database)
    }

    /// Counts again, in the write's transaction, the active sites (activated, not closed) of these
    /// investigators and keeps the counts on their rows.
    public static func keepLoads(of investigators: Set<UUID>, on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, !investigators.isEmpty else { return }
        // Thousands (a large sheet): every investigator at once, in one statement, costs less.
        if investigators.count > 5 * valuesPerQuery { return try await keepEveryLoad(on: database) }
        for part in investigators.sorted().chunked(valuesPerQuery) {
            try await sql.update(InvestigatorModel.schema).set(SQLIdentifier("active_sites"), to: activeSiteCount)
                .where(SQLIdentifier("id"), .in, SQLBind.group(Array(part))).run()
        }
    }

    /// The active sites (activated, not closed) of the investigator of the row being updated:
    /// what `keepLoads` and `keepEveryLoad` keep (migration 030's partial index answers it).
    static var activeSiteCount: any SQLExpression {
        SQLSubquery.select { sub in
            sub.column(SQLFunction("COUNT", args: SQLLiteral.all)).from(TrialSiteModel.schema)
                .where(SQLColumn("investigator_id", table: TrialSiteModel.schema), .equal, SQLColumn("id", table: InvestigatorModel.schema))
                .where(SQLColumn("activated_on", table: TrialSiteModel.schema), .isNot, SQLLiteral.null)
                .where(SQLColumn("closed_on", table: TrialSiteModel.schema), .is, SQLLiteral.null)
        }
    }

    /// Active sites (activated, not closed) by investigator and phase, in trials of these phases
    /// only (the policy's phase limits), of these investigators or of all.
    public static func phaseLoads(
        in phases: Set<TrialPhase>, of investigators: Set<UUID>? = nil, on database: any Database
    ) async throws -> [UUID: [TrialPhase: Int]] {
        guard let sql = database as? any SQLDatabase else { throw BulkInsertError.notSQL }
        guard !phases.isEmpty, investigators.map({ !$0.isEmpty }) ?? true else { return [:] }
        let site = TrialSiteModel.schema, trial = TrialModel.schema
        let query = sql.select().column(SQLColumn("investigator_id", table: site)).column(SQLColumn("phase", table: trial))
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(site).join(trial, on: SQLColumn("id", table: trial), .equal, SQLColumn("trial_id", table: site))
            .where(SQLColumn("activated_on", table: site), .isNot, SQLLiteral.null)
            .where(SQLColumn("closed_on", table: site), .is, SQLLiteral.null)
            .where(SQLColumn("phase", table: trial), .in, SQLBind.group(phases.map(\.rawValue).sorted()))
        if let investigators {
            query.where(SQLColumn("investigator_id", table: site), .in, SQLBind.group(investigators.sorted()))
        }
        var loads: [UUID: [TrialPhase: Int]] = [:]
        for reader in try await query.groupBy(SQLColumn("investigator_id", table: site)).groupBy(SQLColumn("phase", table: trial)).rows() {
            guard let phase = TrialPhase(rawValue: try reader.text("phase")) else { continue }
            loads[try reader.uuid("investigator_id"), default: [:]][phase] = try reader.int("n")
        }
        return loads
    }

    /// Investigators by id, not merged away, most loaded first (of one institution for its office).
    public static func investigators(_ ids: Set<UUID>, scope: ScopeFilter, on database: any Database) async throws -> [InvestigatorRow] {
        // Each part comes back most loaded first; the parts together are sorted again.
        try await investigatorRows(ids, scope: scope, includingMerged: false, on: database)
            .sorted { ($1.activeSites, $0.name, $0.id) < ($0.activeSites, $1.name, $1.id) }
    }

    /// The rows of investigators by id, `valuesPerQuery` ids a query.
    private static func investigatorRows(
        _ ids: some Collection<UUID>, scope: ScopeFilter, includingMerged: Bool, on database: any Database
    ) async throws -> [InvestigatorRow] {
        var rows: [InvestigatorRow] = []
        for part in Set(ids).sorted().chunked(valuesPerQuery) {
            rows += try await investigatorRows(scope: scope, includingMerged: includingMerged, on: database) {
                $0.where("id", .in, SQLBind.group(Array(part)))
            }
        }
        return rows
    }

    /// Every investigator's active sites counted from the raw rows (the check of the kept counts).
    public static func recountedLoads(on database: any Database) async throws -> [UUID: Int] {
        guard let sql = database as? any SQLDatabase else { throw BulkInsertError.notSQL }
        let rows = try await sql.select().column("investigator_id").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(TrialSiteModel.schema).where("activated_on", .isNot, SQLLiteral.null).where("closed_on", .is, SQLLiteral.null)
            .groupBy("investigator_id").rows()
        var loads: [UUID: Int] = [:]
        for reader in rows {
            loads[try reader.uuid("investigator_id")] = try reader.int("n")
        }
        return loads
    }

    // MARK: Trials

    public static func trial(id: UUID, scope: ScopeFilter, on database: any Database) async throws -> TrialModel? {
        try await scoped(TrialModel.query(on: database), to: scope).filter(\.$id == id).first()
    }

    public static func trial(registrationNumber: String, on database: any Database) async throws -> TrialModel? {
        try await TrialModel.query(on: database).filter(\.$registrationNumber == registrationNumber).first()
    }

    /// Trials in the scope, newest registration first by id (ids are time-ordered), `limit` at a time.
    public static func trials(
        scope: ScopeFilter, institution: UUID?, investigator: UUID?, limit: Int, after: PageCursor?, on database: any Database
    ) async throws -> (rows: [TrialModel], next: PageCursor?) {
        let query = scoped(TrialModel.query(on: database), to: scope)
        for (column, value) in [(\TrialSiteModel.$institution.$id, institution), (\TrialSiteModel.$investigator.$id, investigator)] {
            guard let value else { continue }
            let ids = try await TrialSiteModel.query(on: database).filter(column == value).all(\.$trial.$id)
            query.filter(\.$id ~~ ids)
        }
        if let after, let id = after.parts.first.flatMap(UUID.init(uuidString:)) { query.filter(\.$id < id) }
        let page = try await query.sort(\.$id, .descending).page(limit: limit)
        return (page.rows, page.more ? page.rows.last?.id.map { PageCursor(id: $0) } : nil)
    }

    public static func sites(of trialIDs: [UUID], on database: any Database) async throws -> [UUID: [TrialSiteModel]] {
        guard !trialIDs.isEmpty else { return [:] }
        let rows = try await TrialSiteModel.query(on: database).filter(\.$trial.$id ~~ trialIDs).sort(\.$createdAt).sort(\.$id).all()
        return Dictionary(grouping: rows, by: { $0.$trial.id })
    }

    public static func sites(ofInvestigator id: UUID, on database: any Database) async throws -> [TrialSiteModel] {
        try await TrialSiteModel.query(on: database).filter(\.$investigator.$id == id).sort(\.$activatedOn).sort(\.$id).all()
    }

    public static func events(of trialID: UUID, on database: any Database) async throws -> [TrialEventModel] {
        try await TrialEventModel.query(on: database).filter(\.$trial.$id == trialID).sort(\.$sequence).all()
    }

    /// Appends an event as the next of the trial's timeline (the unique sequence refuses a race,
    /// which the write starts again).
    public static func append(
        _ kind: TrialEventKind, to trialID: UUID, on day: CivilDate, status: TrialStatus? = nil, site: UUID? = nil, detail: String? = nil,
        recordedBy: String, at now: Date, on database: any Database
    ) async throws {
        let last = try await TrialEventModel.query(on: database).filter(\.$trial.$id == trialID).max(\.$sequence) ?? 0
        let event = TrialEventModel()
        event.$trial.id = trialID
        event.sequence = last + 1
        event.kind = kind
        event.occurredOn = day.description
        event.status = status
        event.siteID = site
        event.detail = detail
        event.recordedBy = recordedBy
        event.recordedAt = now
        try await event.create(on: database)
    }

    // MARK: Sheets

    /// How many values one `IN (…)` list holds at most.
    static let valuesPerQuery = 1_000

    /// Every institution, by code (an institution office: its own).
    public static func institutionsByCode(scope: ScopeFilter, on database: any Database) async throws -> [String: TrialInstitutionModel] {
        let query = TrialInstitutionModel.query(on: database)
        if case .institution(let own) = scope { query.filter(\.$id == own) }
        return Dictionary(try await query.all().map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The investigators of these institutions (not those merged into another record).
    public static func investigators(ofInstitutions ids: some Collection<UUID>, on database: any Database) async throws -> [InvestigatorModel] {
        var rows: [InvestigatorModel] = []
        for part in Array(ids).chunked(valuesPerQuery) {
            rows += try await InvestigatorModel.query(on: database).filter(\.$institution.$id ~~ Array(part)).filter(\.$mergedInto == nil)
                .sort(\.$name).sort(\.$id).all()
        }
        return rows
    }

    /// The dates of every site at an institution, with its PI's specialty and the ethics approval of
    /// its trial's lead site.
    public static func siteSamples(institution: UUID, on database: any Database) async throws -> [SiteTimes.Sample] {
        try await siteSamples(institutions: [institution], on: database)[institution] ?? []
    }

    /// The dates of the sites at these institutions (every one when nil) whose PI is in one of
    /// `specialties` (any when nil), by institution: one query, the lead site's ethics approval (the
    /// earliest, were there two leads) read beside each.
    public static func siteSamples(institutions: [UUID]?, specialties: Set<String>? = nil, on database: any Database) async throws -> [UUID:
        [SiteTimes.Sample]]
    {
        guard let sql = database as? any SQLDatabase else { throw BulkInsertError.notSQL }
        if institutions?.isEmpty == true || specialties?.isEmpty == true { return [:] }
        let site = TrialSiteModel.schema, person = InvestigatorModel.schema
        let lead = SQLSubquery.select { sub in
            sub.column(SQLFunction("MIN", args: SQLColumn("ethics_approved_on", table: "lead"))).from(
                SQLAlias(SQLIdentifier(site), as: SQLIdentifier("lead"))
            )
            .where(SQLColumn("trial_id", table: "lead"), .equal, SQLColumn("trial_id", table: site))
            .where(SQLColumn("role", table: "lead"), .equal, SQLBind(SiteRole.lead.rawValue))
        }
        var samples: [UUID: [SiteTimes.Sample]] = [:]
        let parts: [ArraySlice<UUID>?] = institutions.map { $0.chunked(valuesPerQuery) } ?? [nil]
        for part in parts {
            let query = sql.select().column(SQLColumn("institution_id", table: site)).column(SQLColumn("specialty", table: person))
                .column(SQLColumn("role", table: site)).column(SQLColumn("ethics_approved_on", table: site))
                .column(SQLColumn("activated_on", table: site)).column(lead, as: "lead_ethics")
                .from(site).join(person, on: SQLColumn("investigator_id", table: site), .equal, SQLColumn("id", table: person))
            if let part { query.where(SQLColumn("institution_id", table: site), .in, SQLBind.group(Array(part))) }
            if let specialties { query.where(SQLColumn("specialty", table: person), .in, SQLBind.group(specialties.sorted())) }
            for reader in try await query.rows() {
                let isLead = try reader.value("role", as: SiteRole.self) == .lead
                samples[try reader.uuid("institution_id"), default: []].append(
                    SiteTimes.Sample(
                        specialty: try reader.text("specialty"), lead: isLead,
                        leadEthicsApprovedOn: isLead ? nil : try reader.optionalText("lead_ethics").flatMap(CivilDate.init),
                        ethicsApprovedOn: try reader.optionalText("ethics_approved_on").flatMap(CivilDate.init),
                        activatedOn: try reader.optionalText("activated_on").flatMap(CivilDate.init)))
            }
        }
        return samples
    }

    /// The investigators in these specialties (not those merged into another record), at any institution.
    public static func investigators(specialties: Set<String>?, on database: any Database) async throws -> [InvestigatorModel] {
        let query = InvestigatorModel.query(on: database).filter(\.$mergedInto == nil)
        if let specialties { query.filter(\.$specialty ~~ specialties.sorted()) }
        return try await query.all()
    }

    /// The institutions that may take trials on (not suspended or cancelled), by name.
    public static func activeInstitutions(on database: any Database) async throws -> [TrialInstitutionModel] {
        try await TrialInstitutionModel.query(on: database).filter(\.$status == .active).sort(\.$name).sort(\.$id).all()
    }

    // MARK: The dashboard

    /// The trials in a scope, as an SQL condition on `trials`: by their sponsor's place, or, for an
    /// institution's office, those with a site at it (the rule of `scoped`).
    static func condition(_ scope: ScopeFilter) -> any SQLExpression {
        guard case .institution(let institution) = scope else { return scope.sql }
        return SQLBinaryExpression(
            SQLColumn("id"), .in,
            SQLSubquery.select { sub in
                sub.column("trial_id").from(TrialSiteModel.schema).where(SQLColumn("institution_id"), .equal, SQLBind(institution))
            })
    }

    /// The trials in a scope counted by phase and status, in one grouped query.
    public static func counts(scope: ScopeFilter, on database: any Database) async throws -> [(phase: TrialPhase, status: TrialStatus, count: Int)] {
        guard let sql = database as? any SQLDatabase else { throw BulkInsertError.notSQL }
        let rows = try await sql.select().column("phase").column("status").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(TrialModel.schema).where(condition(scope)).groupBy("phase").groupBy("status").rows()
        return try rows.map { reader in
            (try reader.value("phase", as: TrialPhase.self), try reader.value("status", as: TrialStatus.self), try reader.int("n"))
        }
    }

    /// The institutions that may take trials on, counted by district (nil: another province).
    public static func activeInstitutionsByDistrict(on database: any Database) async throws -> [(district: String?, count: Int)] {
        guard let sql = database as? any SQLDatabase else { throw BulkInsertError.notSQL }
        let rows = try await sql.select().column("district_code").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(TrialInstitutionModel.schema).where(SQLColumn("status"), .equal, SQLBind(InstitutionStatus.active.rawValue))
            .groupBy("district_code").rows()
        return try rows.map { reader in
            (try reader.optionalText("district_code"), try reader.int("n"))
        }
    }

    /// The pilot trials in a scope approved on `cutoff` or before without a first consent and not
    /// ended: how many, and the `limit` approved longest ago.
    public static func lateStarts(approvedBy cutoff: CivilDate, scope: ScopeFilter, limit: Int, on database: any Database) async throws -> (
        count: Int, first: [TrialModel]
    ) {
        (
            try await waitingToStart(approvedBy: cutoff, scope: scope, on: database).count(),
            try await waitingToStart(approvedBy: cutoff, scope: scope, on: database).sort(\.$approvedOn).sort(\.$id).limit(limit).all()
        )
    }

    /// The pilot trials in a scope approved on `cutoff` or before that have no first informed
    /// consent and have not ended.
    static func waitingToStart(approvedBy cutoff: CivilDate, scope: ScopeFilter, on database: any Database) -> QueryBuilder<TrialModel> {
        scoped(TrialModel.query(on: database), to: scope).filter(\.$pilot == true).filter(\.$firstConsentOn == nil)
            .filter(\.$approvedOn != nil).filter(\.$approvedOn <= cutoff.description).filter(\.$status !~ [TrialStatus.completed, .terminated])
    }

    // MARK: Merges

    /// Investigators who share a name at one institution with someone else (none merged), by
    /// institution and name: the candidates for a merge, in the scope.
    public static func namesakes(scope: ScopeFilter, on database: any Database) async throws -> [[InvestigatorModel]] {
        guard let sql = database as? any SQLDatabase else { throw BulkInsertError.notSQL }
        let groups = try await sql.select().column("institution_id").column("name").from(InvestigatorModel.schema)
            .where("merged_into_id", .is, SQLLiteral.null).groupBy("institution_id").groupBy("name")
            .having(SQLFunction("COUNT", args: SQLLiteral.all), .greaterThan, SQLLiteral.numeric("1")).rows()
        var names: [UUID: [String]] = [:]
        for reader in groups {
            let institution = try reader.uuid("institution_id")
            guard admitsInstitution(institution, scope: scope) else { continue }
            names[institution, default: []].append(try reader.text("name"))
        }
        var found: [[InvestigatorModel]] = []
        for (institution, list) in names {
            let people = try await InvestigatorModel.query(on: database).filter(\.$institution.$id == institution).filter(\.$name ~~ list)
                .filter(\.$mergedInto == nil).sort(\.$name).sort(\.$id).all()
            found += Dictionary(grouping: people, by: \.name).values.map { $0 }
        }
        return found.sorted { ($0[0].name, $0[0].$institution.id) < ($1[0].name, $1[0].$institution.id) }
    }

    public static func merges(of investigator: UUID, on database: any Database) async throws -> [InvestigatorMergeModel] {
        try await InvestigatorMergeModel.query(on: database)
            .group(.or) { $0.filter(\.$survivor.$id == investigator).filter(\.$duplicate.$id == investigator) }
            .sort(\.$mergedAt, .descending).sort(\.$id, .descending).all()
    }

    /// Moves these sites to another investigator, in the caller's transaction.
    public static func move(sites: [UUID], to investigator: UUID, on database: any Database) async throws {
        guard !sites.isEmpty else { return }
        for part in sites.chunked(valuesPerQuery) {
            try await TrialSiteModel.query(on: database).filter(\.$id ~~ Array(part)).set(\.$investigator.$id, to: investigator).update()
        }
    }

    /// Investigators by id, merged ones too (a sheet or form naming one is told which survives), as rows.
    public static func investigatorRows(ids: some Collection<UUID>, on database: any Database) async throws -> [UUID: InvestigatorRow] {
        let rows = try await investigatorRows(ids, scope: .everything, includingMerged: true, on: database)
        return Dictionary(rows.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Investigators by id, as models (for the writes that change them).
    public static func investigators(ids: some Collection<UUID>, on database: any Database) async throws -> [UUID: InvestigatorModel] {
        var rows: [UUID: InvestigatorModel] = [:]
        for part in Array(Set(ids)).chunked(valuesPerQuery) {
            for row in try await InvestigatorModel.query(on: database).filter(\.$id ~~ Array(part)).all() { rows[row.id ?? UUID()] = row }
        }
        return rows
    }

    /// Trials by registration number.
    public static func trials(registrationNumbers: some Collection<String>, on database: any Database) async throws -> [String: TrialModel] {
        var rows: [String: TrialModel] = [:]
        for part in Array(Set(registrationNumbers)).chunked(valuesPerQuery) {
            for row in try await TrialModel.query(on: database).filter(\.$registrationNumber ~~ Array(part)).all() {
                rows[row.registrationNumber] = row
            }
        }
        return rows
    }

    /// Every trial in the scope with its sites (an institution office: the sites at it alone), by
    /// registration number.
    public static func export(scope: ScopeFilter, on database: any Database) async throws -> [(trial: TrialModel, sites: [TrialSiteModel])] {
        let trials = try await scoped(TrialModel.query(on: database), to: scope).sort(\.$registrationNumber).all()
        var sites: [UUID: [TrialSiteModel]] = [:]
        for part in trials.compactMap(\.id).chunked(valuesPerQuery) {
            sites.merge(try await self.sites(of: Array(part), on: database), uniquingKeysWith: { first, _ in first })
        }
        return trials.map { trial in
            var own = sites[trial.id ?? UUID()] ?? []
            if case .institution(let institution) = scope { own = own.filter { $0.$institution.id == institution } }
            return (trial, own)
        }
    }

    /// Replaces an institution's filed specialties, in the caller's transaction.
    public static func replaceSpecialties(of institution: UUID, with specialties: [(name: String, filedOn: String)], on database: any Database)
        async throws -> [TrialSpecialtyModel]
    {
        try await TrialSpecialtyModel.query(on: database).filter(\.$institution.$id == institution).delete()
        var rows: [TrialSpecialtyModel] = []
        for (name, filedOn) in specialties {
            let row = TrialSpecialtyModel()
            row.$institution.id = institution
            row.name = name
            row.filedOn = filedOn
            try await row.create(on: database)
            rows.append(row)
        }
        return rows
    }

    // MARK: Uploads

    /// Keeps a sheet uploaded on the page until its owner confirms it.
    public static func stageUpload(
        _ sheet: TrialSheet, username: String, filename: String, content: Data, now: Date, on db: any Database
    ) async throws -> UUID {
        let upload = TrialUploadModel()
        upload.id = TimeOrderedID.make(now: now)
        upload.sheet = sheet
        upload.username = username
        upload.filename = filename
        upload.content = content
        try await upload.create(on: db)
        return try upload.requireID()
    }

    /// An upload of `username`'s, if there is one with the id (anyone else's is the same as none).
    public static func upload(id: UUID, of username: String, on db: any Database) async throws -> TrialUploadModel? {
        try await TrialUploadModel.query(on: db).filter(\.$id == id).filter(\.$username == username).first()
    }
}

extension Array {
    /// The elements in runs of at most `size`.
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}

/// An investigator as the load lists read one: straight from its row, not through a Fluent model
/// (whose fields are found by reflection for every row).
public struct InvestigatorRow: Sendable, Equatable {
    public var id: UUID
    public var institutionID: UUID
    public var name: String
    public var specialty: String
    public var title: String
    public var senior: Bool
    public var earlierTrials: Int
    public var gcpTrainedOn: String?
    public var activeSites: Int
    public var mergedInto: UUID?
    public var version: Int

    static let columns = [
        "id", "institution_id", "name", "specialty", "title", "senior", "earlier_trials", "gcp_trained_on", "active_sites", "merged_into_id",
        "version",
    ]

    init(_ row: RowReader) throws {
        id = try row.uuid("id")
        institutionID = try row.uuid("institution_id")
        name = try row.text("name")
        specialty = try row.text("specialty")
        title = try row.text("title")
        senior = try row.bool("senior")
        earlierTrials = try row.int("earlier_trials")
        gcpTrainedOn = try row.optionalText("gcp_trained_on")
        activeSites = try row.int("active_sites")
        mergedInto = try row.optionalUUID("merged_into_id")
        version = try row.int("version")
    }

    public init(_ model: InvestigatorModel) throws {
        id = try model.requireID()
        institutionID = model.$institution.id
        name = model.name
        specialty = model.specialty
        title = model.title
        senior = model.senior
        earlierTrials = model.earlierTrials
        gcpTrainedOn = model.gcpTrainedOn
        activeSites = model.activeSites
        mergedInto = model.mergedInto
        version = model.version
    }
}
