import FluentKit
import Foundation
import SQLKit
import TongdaoCore

/// The trial warnings: raised and ended by the nightly sweep, assessed by the regulator. Writes
/// happen inside a use case's transaction.
public enum TrialWarningStore {
    /// Warnings in a scope: every one for the regulator's side, those of its own institution for an
    /// institution's office; nil for a scope of the enterprise registry, which sees none.
    static func scoped(_ query: QueryBuilder<TrialWarningModel>, to scope: ScopeFilter) -> QueryBuilder<TrialWarningModel>? {
        switch scope {
        case .everything: query
        case .institution(let own): query.filter(\.$institution == own)
        case .districts, .park, .enterprise, .province: nil
        }
    }

    /// What one new warning says.
    public struct Raised: Sendable {
        public var kind: TrialWarningKind
        public var subject: UUID
        public var institution: UUID?
        public var grade: Int
        public var level: ReviewClock.Level
        public var load: Int?
        public var threshold: Int?
        public var phase: TrialPhase?
        public var dueOn: CivilDate?

        public init(
            kind: TrialWarningKind, subject: UUID, institution: UUID?, grade: Int, level: ReviewClock.Level, load: Int? = nil, threshold: Int? = nil,
            phase: TrialPhase? = nil, dueOn: CivilDate? = nil
        ) {
            self.kind = kind
            self.subject = subject
            self.institution = institution
            self.grade = grade
            self.level = level
            self.load = load
            self.threshold = threshold
            self.phase = phase
            self.dueOn = dueOn
        }

        /// What the sweep weighs it by.
        public var condition: TrialWarningSweep.Condition { .init(kind: kind, subject: subject, grade: grade) }
    }

    /// Every warning not ended.
    public static func live(on database: any Database) async throws -> [TrialWarningModel] {
        try await TrialWarningModel.query(on: database).filter(\.$endedOn == nil).all()
    }

    /// Raises a warning on `day`, open, in the caller's transaction.
    public static func raise(_ raised: Raised, on day: CivilDate, now: Date, on database: any Database) async throws -> TrialWarningModel {
        let model = TrialWarningModel()
        model.id = TimeOrderedID.make(now: now)
        model.kind = raised.kind
        model.subject = raised.subject
        model.institution = raised.institution
        model.grade = raised.grade
        model.level = raised.level
        model.load = raised.load
        model.threshold = raised.threshold
        model.phase = raised.phase
        model.dueOn = raised.dueOn?.description
        model.raisedOn = day.description
        model.status = .open
        model.version = 1
        try await model.create(on: database)
        return model
    }

    /// Ends these live warnings on `day`.
    public static func end(_ ids: [UUID], on day: CivilDate, on database: any Database) async throws {
        for chunk in ids.chunked(500) {
            try await TrialWarningModel.query(on: database).filter(\.$id ~~ Array(chunk)).filter(\.$endedOn == nil)
                .set(\.$endedOn, to: day.description).update()
        }
    }

    /// The pilot trials approved on `cutoff` or before that have no first informed consent and have
    /// not ended, with the institution of their lead site (nil while they have none).
    public static func waitingToStart(approvedBy cutoff: CivilDate, on database: any Database) async throws -> [(
        trial: TrialModel, lead: UUID?
    )] {
        let trials = try await TrialStore.waitingToStart(approvedBy: cutoff, scope: .everything, on: database).all()
        var leads: [UUID: UUID] = [:]
        for chunk in try trials.map({ try $0.requireID() }).chunked(500) {
            for site in try await TrialSiteModel.query(on: database).filter(\.$trial.$id ~~ Array(chunk)).filter(\.$role == .lead).all() {
                leads[site.$trial.id] = leads[site.$trial.id] ?? site.$institution.id
            }
        }
        return trials.map { ($0, $0.id.flatMap { leads[$0] }) }
    }

    public static func find(id: UUID, scope: ScopeFilter, on database: any Database) async throws -> TrialWarningModel? {
        try await scoped(TrialWarningModel.query(on: database), to: scope)?.filter(\.$id == id).first()
    }

    /// The trials of these ids (the subjects of late starts).
    public static func trials(ids: some Collection<UUID>, on database: any Database) async throws -> [UUID: TrialModel] {
        var trials: [UUID: TrialModel] = [:]
        for chunk in Array(Set(ids)).chunked(500) {
            for trial in try await TrialModel.query(on: database).filter(\.$id ~~ Array(chunk)).all() { trials[try trial.requireID()] = trial }
        }
        return trials
    }

    /// What a list of warnings is narrowed to.
    public struct Filter: Sendable, Equatable {
        public var kind: TrialWarningKind?
        public var status: TrialWarningStatus?
        /// Only the warnings not ended (true), only the ended ones (false), or both (nil).
        public var live: Bool?

        public init(kind: TrialWarningKind? = nil, status: TrialWarningStatus? = nil, live: Bool? = nil) {
            self.kind = kind
            self.status = status
            self.live = live
        }
    }

    /// Warnings in the scope, newest first (ids are time-ordered), `limit` at a time.
    public static func warnings(_ filter: Filter, scope: ScopeFilter, limit: Int, after: PageCursor?, on database: any Database) async throws -> (
        rows: [TrialWarningModel], next: PageCursor?
    ) {
        guard let query = scoped(TrialWarningModel.query(on: database), to: scope) else { return ([], nil) }
        if let kind = filter.kind { query.filter(\.$kind == kind) }
        if let status = filter.status { query.filter(\.$status == status) }
        switch filter.live {
        case true?: query.filter(\.$endedOn == nil)
        case false?: query.filter(\.$endedOn != nil)
        case nil: break
        }
        if let after, let id = after.parts.first.flatMap(UUID.init(uuidString:)) { query.filter(\.$id < id) }
        let page = try await query.sort(\.$id, .descending).page(limit: limit)
        return (page.rows, page.more ? page.rows.last?.id.map { PageCursor(id: $0) } : nil)
    }

    /// The live late-start warnings of the trials a sponsor's scope holds (the sponsor's own inbox:
    /// never a PI's warning), newest first.
    public static func liveLateStarts(sponsoredIn scope: ScopeFilter, limit: Int, on database: any Database) async throws -> [TrialWarningModel] {
        guard let sql = database as? any SQLDatabase else { throw BulkInsertError.notSQL }
        let trials = try await sql.select().column("id").from(TrialModel.schema).where(TrialStore.condition(scope))
            .where(SQLColumn("status"), .equal, SQLBind(TrialStatus.approved.rawValue)).where(SQLColumn("pilot"), .equal, SQLLiteral.boolean(true))
            .rows().map { try $0.uuid("id") }
        guard !trials.isEmpty else { return [] }
        var found: [TrialWarningModel] = []
        for chunk in trials.chunked(500) {
            found += try await TrialWarningModel.query(on: database).filter(\.$kind == .lateStart).filter(\.$endedOn == nil)
                .filter(\.$subject ~~ chunk).all()
        }
        return Array(found.sorted { ($0.id?.uuidString ?? "") > ($1.id?.uuidString ?? "") }.prefix(limit))
    }
}
