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

        // Products and declarations are counted from the rollups kept by triggers (migration 019),
        // a few hundred or thousand rows, for every scope but one enterprise's: its rows are few, and
        // the rollups' cells (district, park) do not hold it.
        let fromRollup: Bool
        if case .enterprise = scope { fromRollup = false } else { fromRollup = true }

        // The census: declarations and the enterprises declaring, this year and last.
        var censusProducts = Change(current: 0, previous: 0), censusEnterprises = Change(current: 0, previous: 0)
        let census = sql.select().column(SQLColumn("year"))
        if fromRollup {
            census.column(SQLRaw("CAST(SUM(n) AS BIGINT)"), as: "declarations")
                // One row an enterprise and year: an enterprise's declarations all sit in its own cell.
                .column(SQLRaw("SUM(CASE WHEN n > 0 THEN 1 ELSE 0 END)"), as: "enterprises")
                .from("census_rollup")
        } else {
            census.column(SQLRaw("COUNT(*)"), as: "declarations").column(SQLRaw("COUNT(DISTINCT enterprise_id)"), as: "enterprises")
                .from(CensusIntentionModel.schema)
        }
        for row in try await census
            .where(scope.sql)
            .where(SQLColumn("year"), .in, SQLGroupExpression([SQLBind(year), SQLBind(year - 1)]))
            .groupBy("year")
            .all() {
            let rowYear = try row.decode(column: "year", as: Int.self)
            let declarations = try row.decode(column: "declarations", as: Int.self), enterprises = try row.decode(column: "enterprises", as: Int.self)
            if rowYear == year { (censusProducts.current, censusEnterprises.current) = (declarations, enterprises) }
            else { (censusProducts.previous, censusEnterprises.previous) = (declarations, enterprises) }
        }

        // Approvals: the approval in force of each application (stored with it, migration 018), this
        // year to date and the same part of last year.
        func approvals(_ extra: (any SQLExpression)?) async throws -> Change {
            let query = sql.select().from(ApplicationModel.schema).where(scope.sql)
                .where(SQLColumn("approved_on"), .greaterThanOrEqual, SQLBind(lastYearStart))
                .column(SQLRaw("SUM(CASE WHEN approved_on >= '\(yearStart)' AND approved_on <= '\(todayText)' THEN 1 ELSE 0 END)"), as: "current")
                .column(SQLRaw("SUM(CASE WHEN approved_on <= '\(lastYearTodayText)' THEN 1 ELSE 0 END)"), as: "previous")
            if let extra { query.where(extra) }
            let row = try await query.first()
            return Change(
                current: (try row?.decodeNil(column: "current") ?? true) ? 0 : try row!.decode(column: "current", as: Int.self),
                previous: (try row?.decodeNil(column: "previous") ?? true) ? 0 : try row!.decode(column: "previous", as: Int.self))
        }
        let approved = try await approvals(nil)
        let innovativeApproved = try await approvals(
            SQLBinaryExpression(SQLColumn("channel"), .equal, SQLBind(ReviewChannel.nationalInnovative.rawValue)))

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
        // Acceptances by month and the open and accepted applications by authority, in one pass
        // over the rollup (or one enterprise's applications).
        var accepted: [String: Int] = [:]
        var openByAuthority: [ApplicationAuthority: Int] = [:], acceptedByAuthority: [ApplicationAuthority: Int] = [:]
        var inReview = 0
        let byMonth = sql.select().column(SQLColumn("authority")).column(SQLColumn("is_open"))
        if fromRollup {
            byMonth.column(SQLColumn("accepted_month")).column(SQLRaw("CAST(SUM(n) AS BIGINT)"), as: "n").from("application_rollup")
        } else {
            byMonth.column(SQLRaw("SUBSTR(accepted_on, 1, 7)"), as: "accepted_month").column(SQLRaw("COUNT(*)"), as: "n").from(ApplicationModel.schema)
        }
        let firstMonth = months[0].description, yearMonth = String(yearStart.prefix(7))
        for row in try await byMonth.where(scope.sql).groupBy(SQLColumn("authority")).groupBy(SQLRaw("3")).groupBy(SQLColumn("is_open")).all() {
            let count = try row.decode(column: "n", as: Int.self), month = try row.decode(column: "accepted_month", as: String.self)
            if month >= firstMonth { accepted[month, default: 0] += count }
            guard let authority = ApplicationAuthority(rawValue: try row.decode(column: "authority", as: String.self)) else { continue }
            if try row.decode(column: "is_open", as: Bool.self) {
                openByAuthority[authority, default: 0] += count
                inReview += count
            }
            if month >= yearMonth { acceptedByAuthority[authority, default: 0] += count }
        }
        let amberQuery = ApplicationModel.query(on: database).scoped(to: scope)
        ApplicationStore.openAt(.amber, today: todayText, amberQuery)
        let amber = try await amberQuery.count()
        // The red ones by district: their count is the red figure, their districts the map's overdue items.
        let redQuery = ApplicationModel.query(on: database).scoped(to: scope)
        ApplicationStore.openAt(.red, today: todayText, redQuery)
        let overdue = try await redQuery.field(\.$district).all()

        // Products by district, stage and key areas, in one pass.
        var byStage = Dictionary(uniqueKeysWithValues: DevelopmentStage.allCases.map { ($0, 0) })
        var byKeyArea = Dictionary(uniqueKeysWithValues: KeyArea.allCases.map { ($0, 0) })
        var districts: [String: District] = [:]
        let counted = fromRollup ? SQLRaw("CAST(SUM(n) AS BIGINT)") : SQLRaw("COUNT(*)")
        for row in try await sql.select()
            .column(SQLColumn("district_code")).column(SQLColumn("stage")).column(SQLColumn("key_areas")).column(counted, as: "n")
            .from(fromRollup ? "product_rollup" : ProductModel.schema).where(scope.sql)
            .groupBy("district_code").groupBy("stage").groupBy("key_areas").all() {
            guard let stage = DevelopmentStage(rawValue: try row.decode(column: "stage", as: String.self)) else { continue }
            let count = try row.decode(column: "n", as: Int.self)
            guard count != 0 else { continue }
            byStage[stage, default: 0] += count
            if stage != .approval { districts[try row.decode(column: "district_code", as: String.self), default: District()].pipeline += count }
            for area in try row.decode(column: "key_areas", as: String.self).split(separator: ",") {
                if let area = KeyArea(rawValue: String(area)) { byKeyArea[area, default: 0] += count }
            }
        }

        // Districts: approvals this year and overdue applications, beside the pipeline above.
        for row in try await sql.select()
            .column(SQLColumn("district_code")).column(SQLRaw("COUNT(*)"), as: "n")
            .from(ApplicationModel.schema).where(scope.sql)
            .where(SQLColumn("approved_on"), .greaterThanOrEqual, SQLBind(yearStart))
            .where(SQLColumn("approved_on"), .lessThanOrEqual, SQLBind(todayText))
            .groupBy("district_code").all() {
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
    /// Completed technical reviews of a procedure in the scope since a day, by month (YYYY-MM): how
    /// many, and the working days their clocks used in all (stored on each application, migration 018).
    public static func reviewTimes(
        procedure: String, since: CivilDate, scope: ScopeFilter, on database: any Database
    ) async throws -> [(month: String, completed: Int, workingDays: Int)] {
        guard let sql = database as? any SQLDatabase else { throw BulkInsertError.notSQL }
        let month = SQLFunction("SUBSTR", args: SQLColumn("review_completed_on"), SQLLiteral.numeric("1"), SQLLiteral.numeric("7"))
        return try await sql.select()
            .column(month, as: "month")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "completed")
            // CAST: PostgreSQL sums BIGINT columns as NUMERIC.
            .column(SQLRaw("CAST(SUM(review_working_days) AS BIGINT)"), as: "days")
            .from(ApplicationModel.schema)
            .where(SQLColumn("procedure_code"), .equal, SQLBind(procedure))
            .where(SQLColumn("review_completed_on"), .greaterThanOrEqual, SQLBind(since.description))
            .where(scope.sql)
            .groupBy(month)
            .all()
            .map { (try $0.decode(column: "month", as: String.self), try $0.decode(column: "completed", as: Int.self), try $0.decode(column: "days", as: Int.self)) }
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
