import FluentKit
import FluentSQL
import Foundation
import SQLKit
import TongdaoCore

/// An inspection's task as stored: the inspection, its team, findings and timeline. No audit,
/// transaction or permission here: those are the use case's.
public enum InspectionTaskStore {
    /// Which inspections a reader lists: every one, a team's, an inspected party's, or those in a
    /// scope of the registry; always only in the states the reader sees.
    public enum Reach: Sendable, Equatable {
        case everything
        /// The inspections an inspector is invited to or on the team of.
        case team(inspector: UUID)
        /// An enterprise's, by its credit code.
        case enterprise(uscc: String)
        /// A trial institution's, by its id.
        case institution(UUID)
        /// The inspections of targets in a scope of the registry (district, park), or every one.
        case scope(ScopeFilter)
        /// The inspections of trial institutions (the health commission's).
        case trialInstitutions
    }

    public struct Filter: Sendable, Equatable {
        public var statuses: [InspectionStatus]?
        public var targetKind: InspectionTargetKind?
        public var targetID: UUID?
        public var source: InspectionSource?
        /// Planned for a month of this year, or completed in it.
        public var year: Int?

        public init(
            statuses: [InspectionStatus]? = nil, targetKind: InspectionTargetKind? = nil, targetID: UUID? = nil, source: InspectionSource? = nil,
            year: Int? = nil
        ) {
            self.statuses = statuses
            self.targetKind = targetKind
            self.targetID = targetID
            self.source = source
            self.year = year
        }
    }

    /// A page of inspections, newest first (ids are time-ordered), within `reach` and in `visible`.
    public static func list(
        _ filter: Filter, reach: Reach, visible: [InspectionStatus], limit: Int, after: UUID?, on database: any Database
    ) async throws -> (rows: [InspectionModel], more: Bool) {
        let query = InspectionModel.query(on: database)
        try restrict(query, reach: reach, visible: visible, on: database)
        if let statuses = filter.statuses { query.filter(\.$status ~~ statuses.map(\.rawValue)) }
        if let kind = filter.targetKind { query.filter(\.$targetKind == kind.rawValue) }
        if let target = filter.targetID { query.filter(\.$targetID == target) }
        if let source = filter.source { query.filter(\.$source == source.rawValue) }
        if let year = filter.year {
            query.group(.or) { either in
                either.group(.and) { $0.filter(\.$plannedMonth >= "\(year)-01").filter(\.$plannedMonth <= "\(year)-12") }
                either.group(.and) { $0.filter(\.$completedOn >= "\(year)-01-01").filter(\.$completedOn <= "\(year)-12-31") }
            }
        }
        if let after { query.filter(\.$id < after) }
        return try await query.sort(\.$id, .descending).page(limit: limit)
    }

    /// One inspection within `reach` and in `visible`.
    public static func find(id: UUID, reach: Reach, visible: [InspectionStatus], on database: any Database) async throws -> InspectionModel? {
        let query = InspectionModel.query(on: database).filter(\.$id == id)
        try restrict(query, reach: reach, visible: visible, on: database)
        return try await query.first()
    }

    private static func restrict(_ query: QueryBuilder<InspectionModel>, reach: Reach, visible: [InspectionStatus], on database: any Database) throws
    {
        if visible.count < InspectionStatus.allCases.count { query.filter(\.$status ~~ visible.map(\.rawValue)) }
        switch reach {
        case .everything:
            break
        case .team(let inspector):
            guard let sql = database as? any SQLDatabase else { throw BulkInsertError.notSQL }
            let members = sql.select().column("inspection_id").from(InspectionTeamMemberModel.schema)
                .where("inspector_id", .equal, SQLBind(inspector))
                .where("state", .in, SQLBind.group([TeamMemberState.invited.rawValue, TeamMemberState.accepted.rawValue]))
            query.filter(.sql(SQLBinaryExpression(SQLColumn("id", table: InspectionModel.schema), .in, SQLGroupExpression(members.select))))
        case .enterprise(let uscc):
            query.filter(\.$targetKind == InspectionTargetKind.enterprise.rawValue).filter(\.$targetUSCC == uscc)
        case .institution(let id):
            query.filter(\.$targetKind == InspectionTargetKind.trialInstitution.rawValue).filter(\.$targetID == id)
        case .scope(let scope):
            switch scope {
            case .everything: break
            case .districts(let codes): query.filter(\.$district ~~ codes.sorted())
            case .park(let code): query.filter(\.$park == code)
            case .enterprise(let uscc): query.filter(\.$targetUSCC == uscc)
            case .institution(let id): query.filter(\.$targetID == id)
            case .province(let province): query.filter(\.$district, .custom("LIKE"), province.prefix + "%")
            }
        case .trialInstitutions:
            query.filter(\.$targetKind == InspectionTargetKind.trialInstitution.rawValue)
        }
    }

    /// Each inspection's team, invited first by role (the lead first), then by name.
    public static func teams(of ids: [UUID], on database: any Database) async throws -> [UUID: [InspectionTeamMemberModel]] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await InspectionTeamMemberModel.query(on: database).filter(\.$inspectionID ~~ ids).sort(\.$createdAt).sort(\.$id).all()
        return Dictionary(grouping: rows, by: \.inspectionID)
    }

    /// Each inspection's findings, by number.
    public static func findings(of ids: [UUID], on database: any Database) async throws -> [UUID: [InspectionFindingModel]] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await InspectionFindingModel.query(on: database).filter(\.$inspectionID ~~ ids).sort(\.$number).all()
        return Dictionary(grouping: rows, by: \.inspectionID)
    }

    /// An inspection's timeline, oldest first.
    public static func events(of id: UUID, on database: any Database) async throws -> [InspectionEventModel] {
        try await InspectionEventModel.query(on: database).filter(\.$inspectionID == id).sort(\.$recordedAt).sort(\.$id).all()
    }

    /// Inspectors' names, by id.
    public static func inspectorNames(_ ids: [UUID], on database: any Database) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        var names: [UUID: String] = [:]
        for part in Array(Set(ids)).chunked(TrialStore.valuesPerQuery) {
            for row in try await InspectorModel.query(on: database).filter(\.$id ~~ Array(part)).all() {
                if let id = row.id { names[id] = row.name }
            }
        }
        return names
    }

    /// Every active inspector as the team proposal draws on them: specialties, rank, capacity, ties,
    /// and how many inspections of `year` they are on (invited or accepted, not cancelled).
    public static func candidates(year: Int, on database: any Database) async throws -> [TeamCandidate] {
        let inspectors = try await InspectorModel.query(on: database).filter(\.$active == true).all()
        let details = try await InspectorStore.details(of: inspectors.compactMap(\.id), on: database)
        let loads = try await loads(year: year, on: database)
        return inspectors.compactMap { model in
            guard let id = model.id else { return nil }
            let detail = details[id]
            return TeamCandidate(
                id: id, name: model.name, specialties: InspectorProfile.codes(model.specialties),
                rank: InspectorRank(rawValue: model.rank) ?? .member,
                fullTime: model.fullTime, capacityDays: model.capacityDays,
                ties: InspectorTies(employments: detail?.employments ?? [], relationships: detail?.relationships ?? []), load: loads[id] ?? 0)
        }
    }

    /// How many inspections planned for `year` each inspector is on (invited or accepted), those
    /// cancelled, waived or recognised left out.
    public static func loads(year: Int, on database: any Database) async throws -> [UUID: Int] {
        guard let sql = database as? any SQLDatabase else { throw BulkInsertError.notSQL }
        let rows = try await sql.select().column(SQLColumn("inspector_id", table: "m")).column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(SQLAlias(SQLIdentifier(InspectionTeamMemberModel.schema), as: SQLIdentifier("m")))
            .join(
                SQLAlias(SQLIdentifier(InspectionModel.schema), as: SQLIdentifier("i")), method: SQLJoinMethod.inner,
                on: SQLColumn("id", table: "i"), .equal, SQLColumn("inspection_id", table: "m")
            )
            .where(SQLColumn("state", table: "m"), .in, SQLBind.group([TeamMemberState.invited.rawValue, TeamMemberState.accepted.rawValue]))
            .where(SQLColumn("status", table: "i"), .notIn, SQLBind.group([InspectionStatus.cancelled, .waived, .recognised].map(\.rawValue)))
            .where(SQLColumn("planned_month", table: "i"), .greaterThanOrEqual, SQLBind("\(year)-01"))
            .where(SQLColumn("planned_month", table: "i"), .lessThanOrEqual, SQLBind("\(year)-12"))
            .groupBy(SQLColumn("inspector_id", table: "m"))
            .rows()
        var loads: [UUID: Int] = [:]
        for row in rows { loads[try row.uuid("inspector_id")] = try row.int("n") }
        return loads
    }

    /// The closed inspections each inspector was on the team of (accepted), with their team row's
    /// on-time mark and rating: of these inspectors, or of every one (nil).
    public static func performance(of inspectors: [UUID]?, on database: any Database) async throws -> [UUID: [InspectorPerformance.Entry]] {
        guard let sql = database as? any SQLDatabase else { throw BulkInsertError.notSQL }
        if let inspectors, inspectors.isEmpty { return [:] }
        var query = sql.select().column(SQLColumn("inspector_id", table: "m")).column(SQLColumn("role", table: "m"))
            .column(SQLColumn("on_time", table: "m")).column(SQLColumn("rating", table: "m")).column(SQLColumn("closed_on", table: "i"))
            .from(SQLAlias(SQLIdentifier(InspectionTeamMemberModel.schema), as: SQLIdentifier("m")))
            .join(
                SQLAlias(SQLIdentifier(InspectionModel.schema), as: SQLIdentifier("i")), method: SQLJoinMethod.inner,
                on: SQLColumn("id", table: "i"), .equal, SQLColumn("inspection_id", table: "m")
            )
            .where(SQLColumn("state", table: "m"), .equal, SQLBind(TeamMemberState.accepted.rawValue))
            .where(SQLColumn("status", table: "i"), .equal, SQLBind(InspectionStatus.completed.rawValue))
            .where(SQLColumn("closed_on", table: "i"), .isNot, SQLLiteral.null)
        if let inspectors { query = query.where(SQLColumn("inspector_id", table: "m"), .in, SQLBind.group(inspectors)) }
        var entries: [UUID: [InspectorPerformance.Entry]] = [:]
        for row in try await query.rows() {
            guard let closed = CivilDate(try row.text("closed_on")) else { continue }
            entries[try row.uuid("inspector_id"), default: []].append(
                InspectorPerformance.Entry(
                    closedOn: closed, led: try row.text("role") == InspectorRank.lead.rawValue, onTime: try row.optionalBool("on_time"),
                    rating: try row.optionalInt("rating")))
        }
        return entries
    }

    /// Appends a step to an inspection's timeline.
    public static func appendEvent(
        to inspection: UUID, kind: InspectionEventKind, on day: CivilDate, detail: String?, by actor: String, named name: String?, at now: Date,
        on database: any Database
    ) async throws {
        let event = InspectionEventModel()
        event.id = TimeOrderedID.make(now: now)
        event.inspectionID = inspection
        event.kind = kind.rawValue
        event.occurredOn = day.description
        event.detail = detail
        event.recordedBy = actor
        event.recordedByName = name
        event.recordedAt = now
        try await event.create(on: database)
    }

    /// A new row's id, time-ordered.
    public static func newID(now: Date) -> UUID { TimeOrderedID.make(now: now) }

    /// The next number of a finding of an inspection.
    public static func nextFindingNumber(of inspection: UUID, on database: any Database) async throws -> Int {
        (try await InspectionFindingModel.query(on: database).filter(\.$inspectionID == inspection).max(\.$number) ?? 0) + 1
    }
}
