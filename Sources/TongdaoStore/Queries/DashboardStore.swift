import FluentKit
import Foundation
import SQLKit
import TongdaoCore

/// The dashboard's figures for a scope, each from one grouped query over the tables themselves.
/// Every query carries the scope's condition, so a district officer's dashboard counts its district only.
public enum DashboardStore {
    /// A figure this year and the same figure a year before (for the same part of the year where
    /// the figure grows through the year).
    public struct Change: Sendable, Equatable, Codable {
        public var current: Int
        public var previous: Int

        public init(current: Int, previous: Int) {
            self.current = current
            self.previous = previous
        }
    }

    /// One district's figures, for the map.
    public struct District: Sendable, Equatable, Codable {
        /// Products under development (before approval) registered in the district.
        public var pipeline = 0
        /// Approvals so far this year.
        public var approvals = 0
        /// Open applications past their deadline.
        public var overdue = 0
    }

    public struct MonthCount: Sendable, Equatable {
        public var month: YearMonth
        public var count: Int
    }

    public struct Figures: Sendable, Equatable {
        public var year: Int
        public var asOf: CivilDate
        public var censusEnterprises: Change
        public var censusProducts: Change
        public var applicationsInReview: Int
        public var approvals: Change
        public var nationalInnovativeServed: Change
        public var nationalInnovativeApproved: Change
        /// Products by development stage, every stage present.
        public var productsByStage: [DevelopmentStage: Int]
        /// Applications accepted in each of the last 36 months, oldest first.
        public var acceptedByMonth: [MonthCount]
        /// Open applications, and applications accepted this year, by reviewing authority.
        public var openByAuthority: [ApplicationAuthority: Int]
        public var acceptedThisYearByAuthority: [ApplicationAuthority: Int]
        public var amber: Int
        public var red: Int
        public var productsByKeyArea: [KeyArea: Int]
        /// By district code; districts without figures are absent.
        public var districts: [String: District]
    }

    /// The same day a year earlier (29 February becomes the 28th).
    static func yearBefore(_ day: CivilDate) -> CivilDate {
        let (year, month, date) = day.components
        return CivilDate(year: year - 1, month: month, day: month == 2 && date == 29 ? 28 : date) ?? day.adding(days: -365)
    }

    public static func figures(scope: ScopeFilter, asOf today: CivilDate, on database: any Database) async throws -> Figures {
        guard let sql = database as? any SQLDatabase else { throw BulkInsertError.notSQL }
        let year = today.components.year
        let lastYearToday = yearBefore(today)
        let yearStart = CivilDate(year: year, month: 1, day: 1)!.description, lastYearStart = CivilDate(year: year - 1, month: 1, day: 1)!.description
        let todayText = today.description, lastYearTodayText = lastYearToday.description

        // The census: declarations and the enterprises declaring, this year and last.
        var censusProducts = Change(current: 0, previous: 0), censusEnterprises = Change(current: 0, previous: 0)
        for row in try await sql.select()
            .column(SQLColumn("year"))
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "declarations")
            .column(SQLFunction("COUNT", args: SQLDistinct(SQLColumn("enterprise_id"))), as: "enterprises")
            .from(CensusIntentionModel.schema)
            .where(scope.sql)
            .where(SQLColumn("year"), .in, SQLGroupExpression([SQLBind(year), SQLBind(year - 1)]))
            .groupBy("year")
            .all() {
            let rowYear = try row.decode(column: "year", as: Int.self)
            let declarations = try row.decode(column: "declarations", as: Int.self), enterprises = try row.decode(column: "enterprises", as: Int.self)
            if rowYear == year { (censusProducts.current, censusEnterprises.current) = (declarations, enterprises) }
            else { (censusProducts.previous, censusEnterprises.previous) = (declarations, enterprises) }
        }

        // Approvals: decisions to approve, not superseded by a correction, this year to date and the same part of last year.
        func approvals(_ extra: (any SQLExpression)?) async throws -> Change {
            let query = approvalEvents(sql, scope: scope)
                .column(SQLFunction("SUM", args: SQLRaw("CASE WHEN e.occurred_on >= '\(yearStart)' AND e.occurred_on <= '\(todayText)' THEN 1 ELSE 0 END")), as: "current")
                .column(SQLFunction("SUM", args: SQLRaw("CASE WHEN e.occurred_on >= '\(lastYearStart)' AND e.occurred_on <= '\(lastYearTodayText)' THEN 1 ELSE 0 END")), as: "previous")
            if let extra { query.where(extra) }
            let row = try await query.first()
            return Change(
                current: (try row?.decodeNil(column: "current") ?? true) ? 0 : try row!.decode(column: "current", as: Int.self),
                previous: (try row?.decodeNil(column: "previous") ?? true) ? 0 : try row!.decode(column: "previous", as: Int.self))
        }
        let approved = try await approvals(nil)
        let innovativeApproved = try await approvals(
            SQLBinaryExpression(SQLColumn("channel", table: "a"), .equal, SQLBind(ReviewChannel.nationalInnovative.rawValue)))

        // Applications: accepted by month, open and accepted by authority, national innovative served.
        let innovative = ApplicationModel.query(on: database).scoped(to: scope).filter(\.$channel == ReviewChannel.nationalInnovative)
        let served = Change(
            current: try await innovative.copy().filter(\.$acceptedOn >= yearStart).filter(\.$acceptedOn <= todayText).count(),
            previous: try await innovative.copy().filter(\.$acceptedOn >= lastYearStart).filter(\.$acceptedOn <= lastYearTodayText).count())
        let thisMonth = YearMonth("\(year)-\(today.components.month < 10 ? "0" : "")\(today.components.month)")!
        let months = (0..<36).reversed().map { back -> YearMonth in
            let index = thisMonth.year * 12 + thisMonth.month - 1 - back
            return YearMonth("\(index / 12)-\(index % 12 + 1 < 10 ? "0" : "")\(index % 12 + 1)")!
        }
        var accepted: [String: Int] = [:]
        let month = SQLFunction("SUBSTR", args: SQLColumn("accepted_on"), SQLLiteral.numeric("1"), SQLLiteral.numeric("7"))
        for row in try await sql.select()
            .column(month, as: "month").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(ApplicationModel.schema).where(scope.sql)
            .where(SQLColumn("accepted_on"), .greaterThanOrEqual, SQLBind(months[0].description + "-01"))
            .groupBy(month).all() {
            accepted[try row.decode(column: "month", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        var openByAuthority: [ApplicationAuthority: Int] = [:], acceptedByAuthority: [ApplicationAuthority: Int] = [:]
        var inReview = 0
        for row in try await sql.select()
            .column(SQLColumn("authority"))
            .column(SQLFunction("SUM", args: SQLRaw("CASE WHEN is_open THEN 1 ELSE 0 END")), as: "open")
            .column(SQLFunction("SUM", args: SQLRaw("CASE WHEN accepted_on >= '\(yearStart)' THEN 1 ELSE 0 END")), as: "accepted")
            .from(ApplicationModel.schema).where(scope.sql).groupBy("authority").all() {
            let open = try row.decode(column: "open", as: Int.self)
            inReview += open
            guard let authority = ApplicationAuthority(rawValue: try row.decode(column: "authority", as: String.self)) else { continue }
            openByAuthority[authority] = open
            acceptedByAuthority[authority] = try row.decode(column: "accepted", as: Int.self)
        }
        let amberQuery = ApplicationModel.query(on: database).scoped(to: scope)
        ApplicationStore.openAt(.amber, today: todayText, amberQuery)
        let amber = try await amberQuery.count()
        // The red ones by district: their count is the red figure, their districts the map's overdue items.
        let redQuery = ApplicationModel.query(on: database).scoped(to: scope)
        ApplicationStore.openAt(.red, today: todayText, redQuery)
        let overdue = try await redQuery.field(\.$district).all()

        // Products by district and stage, in one pass: the pipeline by stage, and each district's
        // products before approval.
        var byStage = Dictionary(uniqueKeysWithValues: DevelopmentStage.allCases.map { ($0, 0) })
        var districts: [String: District] = [:]
        for row in try await sql.select()
            .column(SQLColumn("district_code")).column(SQLColumn("stage")).column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(ProductModel.schema).where(scope.sql).groupBy("district_code").groupBy("stage").all() {
            guard let stage = DevelopmentStage(rawValue: try row.decode(column: "stage", as: String.self)) else { continue }
            let count = try row.decode(column: "n", as: Int.self)
            byStage[stage, default: 0] += count
            if stage != .approval { districts[try row.decode(column: "district_code", as: String.self), default: District()].pipeline += count }
        }
        var byKeyArea: [KeyArea: Int] = [:]
        let areaQuery = sql.select().from(ProductModel.schema).where(scope.sql)
        for area in KeyArea.allCases {
            areaQuery.column(SQLFunction("SUM", args: SQLRaw("CASE WHEN key_areas LIKE '%,\(area.rawValue),%' THEN 1 ELSE 0 END")), as: area.rawValue)
        }
        if let row = try await areaQuery.first() {
            for area in KeyArea.allCases {
                byKeyArea[area] = (try row.decodeNil(column: area.rawValue)) ? 0 : try row.decode(column: area.rawValue, as: Int.self)
            }
        }

        // Districts: approvals this year and overdue applications, beside the pipeline above.
        for row in try await approvalEvents(sql, scope: scope)
            .column(SQLColumn("district_code", table: "a")).column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .where(SQLColumn("occurred_on", table: "e"), .greaterThanOrEqual, SQLBind(yearStart))
            .where(SQLColumn("occurred_on", table: "e"), .lessThanOrEqual, SQLBind(todayText))
            .groupBy(SQLColumn("district_code", table: "a")).all() {
            districts[try row.decode(column: "district_code", as: String.self), default: District()].approvals = try row.decode(column: "n", as: Int.self)
        }
        for application in overdue {
            districts[application.district, default: District()].overdue += 1
        }

        return Figures(
            year: year, asOf: today, censusEnterprises: censusEnterprises, censusProducts: censusProducts, applicationsInReview: inReview,
            approvals: approved, nationalInnovativeServed: served, nationalInnovativeApproved: innovativeApproved, productsByStage: byStage,
            acceptedByMonth: months.map { MonthCount(month: $0, count: accepted[$0.description] ?? 0) }, openByAuthority: openByAuthority,
            acceptedThisYearByAuthority: acceptedByAuthority, amber: amber, red: overdue.count, productsByKeyArea: byKeyArea, districts: districts)
    }
}

extension DashboardStore {
    /// The applications of a procedure in the scope whose technical review was completed on or
    /// after `since` (by an event no correction superseded).
    public static func reviewsCompleted(
        procedure: String, since: CivilDate, scope: ScopeFilter, on database: any Database
    ) async throws -> [(id: UUID, version: String)] {
        guard let sql = database as? any SQLDatabase else { throw BulkInsertError.notSQL }
        return try await sql.select()
            .distinct()
            .column(SQLColumn("id", table: "a"), as: "id")
            .column(SQLColumn("procedure_version", table: "a"), as: "version")
            .from(SQLAlias(SQLIdentifier(ApplicationEventModel.schema), as: SQLIdentifier("e")))
            .join(
                SQLAlias(SQLIdentifier(ApplicationModel.schema), as: SQLIdentifier("a")), method: SQLJoinMethod.inner,
                on: SQLColumn("application_id", table: "e"), .equal, SQLColumn("id", table: "a"))
            .where(scope.sql(table: "a"))
            .where(SQLColumn("procedure_code", table: "a"), .equal, SQLBind(procedure))
            .where(SQLColumn("kind", table: "e"), .equal, SQLBind(ApplicationEventKind.reviewCompleted.rawValue))
            .where(SQLColumn("occurred_on", table: "e"), .greaterThanOrEqual, SQLBind(since.description))
            .where(SQLRaw("NOT EXISTS (SELECT 1 FROM application_events s WHERE s.supersedes = e.id)"))
            .all()
            .map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "version", as: String.self)) }
    }

    /// Decisions to approve (`application_events` as `e`, joined to their application as `a`) in the
    /// scope, leaving out any a correction superseded.
    static func approvalEvents(_ sql: any SQLDatabase, scope: ScopeFilter) -> SQLSelectBuilder {
        sql.select()
            .from(SQLAlias(SQLIdentifier(ApplicationEventModel.schema), as: SQLIdentifier("e")))
            .join(
                SQLAlias(SQLIdentifier(ApplicationModel.schema), as: SQLIdentifier("a")), method: SQLJoinMethod.inner,
                on: SQLColumn("application_id", table: "e"), .equal, SQLColumn("id", table: "a"))
            .where(scope.sql(table: "a"))
            .where(SQLColumn("kind", table: "e"), .equal, SQLBind(ApplicationEventKind.decisionMade.rawValue))
            .where(SQLColumn("decision", table: "e"), .equal, SQLBind(ApprovalDecision.approve.rawValue))
            .where(SQLRaw("NOT EXISTS (SELECT 1 FROM application_events s WHERE s.supersedes = e.id)"))
    }
}

extension ScopeFilter {
    /// The scope as an SQL condition on a table with `district_code`, `park_code` and `uscc` columns
    /// (the same rule as `QueryBuilder.scoped(to:)` and `ScopeFilter.admits`).
    var sql: any SQLExpression { sql(table: nil) }

    func sql(table: String?) -> any SQLExpression {
        func column(_ name: String) -> SQLColumn { table.map { SQLColumn(name, table: $0) } ?? SQLColumn(name) }
        switch self {
        case .everything:
            return SQLBinaryExpression(SQLLiteral.numeric("1"), .equal, SQLLiteral.numeric("1"))
        case .districts(let codes):
            guard !codes.isEmpty else { return SQLBinaryExpression(SQLLiteral.numeric("1"), .equal, SQLLiteral.numeric("0")) }
            return SQLBinaryExpression(column("district_code"), .in, SQLGroupExpression(codes.sorted().map { SQLBind($0) }))
        case .park(let code):
            return SQLBinaryExpression(column("park_code"), .equal, SQLBind(code))
        case .enterprise(let uscc):
            return SQLBinaryExpression(column("uscc"), .equal, SQLBind(uscc))
        }
    }
}
