import FluentKit
import Foundation
import SQLKit
import TongdaoCore

/// The dashboard's figures for a scope, each from one grouped query over the tables themselves.
/// Every query carries the scope's condition, so a district officer's dashboard counts its district only.
public enum DashboardStore {
    /// The same day a year earlier (29 February becomes the 28th).
    static func yearBefore(_ day: CivilDate) -> CivilDate {
        let (year, month, date) = day.components
        return CivilDate(year: year - 1, month: month, day: month == 2 && date == 29 ? 28 : date) ?? day.adding(days: -365)
    }

    public static func figures(scope: ScopeFilter, asOf today: CivilDate, on database: any Database) async throws -> DashboardFigures {
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

        let thisMonth = YearMonth("\(year)-\(today.components.month < 10 ? "0" : "")\(today.components.month)")!
        let months = (0..<36).reversed().map { back -> YearMonth in
            let index = thisMonth.year * 12 + thisMonth.month - 1 - back
            return YearMonth("\(index / 12)-\(index % 12 + 1 < 10 ? "0" : "")\(index % 12 + 1)")!
        }

        // The queries are independent: they run at once (on PostgreSQL, on connections of their own),
        // and their rows are read below.
        @Sendable func rows(_ build: @Sendable () -> SQLSelectBuilder) async throws -> [any SQLRow] { try await build().all() }

        // The census: declarations and the enterprises declaring, this year and last.
        async let censusRows = rows {
            let census = sql.select().column(SQLColumn("year"))
            if fromRollup {
                // `census_cells` counts the enterprises (rows of `census_rollup`) with declarations in each cell.
                census.column(SQLRaw("CAST(SUM(declarations) AS BIGINT)"), as: "declarations")
                    .column(SQLRaw("CAST(SUM(CASE WHEN declaring THEN n ELSE 0 END) AS BIGINT)"), as: "enterprises")
                    .from("census_cells")
            } else {
                census.column(SQLRaw("COUNT(*)"), as: "declarations").column(SQLRaw("COUNT(DISTINCT enterprise_id)"), as: "enterprises")
                    .from(CensusIntentionModel.schema)
            }
            return census.where(scope.sql).where(SQLColumn("year"), .in, SQLGroupExpression([SQLBind(year), SQLBind(year - 1)])).groupBy("year")
        }
        // Approvals (the approval in force of each application, stored with it by migration 018) this
        // year to date and in the same part of last year, by district.
        async let approvalsThisYear = approvals(scope: scope, from: yearStart, to: today, on: sql, fromRollup: fromRollup)
        async let approvalsLastYear = approvals(scope: scope, from: lastYearStart, to: lastYearToday, on: sql, fromRollup: fromRollup)
        // National innovative applications served: through the index on (channel, accepted_on) alone.
        @Sendable func served(from: String, to: String) -> SQLSelectBuilder {
            sql.select().column(SQLRaw("COUNT(*)"), as: "n").from(ApplicationModel.schema).where(scope.sql)
                .where(SQLColumn("channel"), .equal, SQLBind(ReviewChannel.nationalInnovative.rawValue))
                .where(SQLColumn("accepted_on"), .greaterThanOrEqual, SQLBind(from)).where(SQLColumn("accepted_on"), .lessThanOrEqual, SQLBind(to))
        }
        async let servedNow = rows { served(from: yearStart, to: todayText) }
        async let servedBefore = rows { served(from: lastYearStart, to: lastYearTodayText) }
        // Consultations answered (their resolution met), through the index on (answered_on, district).
        @Sendable func answered(from: String, to: String) -> SQLSelectBuilder {
            sql.select().column(SQLRaw("COUNT(*)"), as: "n").from(ConsultationModel.schema).where(scope.sql)
                .where(SQLColumn("answered_on"), .greaterThanOrEqual, SQLBind(from)).where(SQLColumn("answered_on"), .lessThanOrEqual, SQLBind(to))
        }
        async let answeredNow = rows { answered(from: yearStart, to: todayText) }
        async let answeredBefore = rows { answered(from: lastYearStart, to: lastYearTodayText) }
        // Acceptances by month and the open and accepted applications by authority, in one pass
        // over the rollup (or one enterprise's applications).
        async let monthRows = rows {
            let byMonth = sql.select().column(SQLColumn("authority")).column(SQLColumn("is_open"))
            if fromRollup {
                byMonth.column(SQLColumn("accepted_month")).column(SQLRaw("CAST(SUM(n) AS BIGINT)"), as: "n").from("application_rollup")
            } else {
                byMonth.column(SQLRaw("SUBSTR(accepted_on, 1, 7)"), as: "accepted_month").column(SQLRaw("COUNT(*)"), as: "n").from(
                    ApplicationModel.schema)
            }
            return byMonth.where(scope.sql).groupBy(SQLColumn("authority")).groupBy(SQLRaw("3")).groupBy(SQLColumn("is_open"))
        }
        // Amber, and red by district: open applications by their stored clock snapshot (the same rule
        // as `ApplicationStore.openAt`), running and stopped clocks apart, so that each is read from
        // its partial index of migration 018 alone.
        @Sendable func open(_ level: ReviewClock.Level, running: Bool) -> SQLSelectBuilder {
            let condition =
                running
                ? (level == .red ? "red_from <= '\(todayText)'" : "amber_from <= '\(todayText)' AND red_from > '\(todayText)'")
                : "frozen_level = '\(level.rawValue)'"
            return sql.select().column(SQLColumn("district_code")).column(SQLRaw("COUNT(*)"), as: "n")
                .from(ApplicationModel.schema).where(scope.sql)
                .where(SQLRaw("is_open AND \(running ? "" : "NOT ")clock_running AND \(condition)"))
                .groupBy("district_code")
        }
        async let amberRunning = rows { open(.amber, running: true) }
        async let amberStopped = rows { open(.amber, running: false) }
        async let redRunning = rows { open(.red, running: true) }
        async let redStopped = rows { open(.red, running: false) }
        // Products by district and stage, and by their set of key areas: two small groupings (at
        // national scale 144 and 21 rows), not one by all three (3,024 rows, whose decoding was a
        // third of the summary's time).
        @Sendable func products(by columns: [String]) -> SQLSelectBuilder {
            let select = sql.select()
            for column in columns { select.column(SQLColumn(column)).groupBy(column) }
            return select.column(fromRollup ? SQLRaw("CAST(SUM(n) AS BIGINT)") : SQLRaw("COUNT(*)"), as: "n")
                .from(fromRollup ? "product_rollup" : ProductModel.schema).where(scope.sql)
        }
        async let stageRows = rows { products(by: ["district_code", "stage"]) }
        async let keyAreaRows = rows { products(by: ["key_areas"]) }

        var censusProducts = DashboardFigures.Change(current: 0, previous: 0), censusEnterprises = DashboardFigures.Change(current: 0, previous: 0)
        for row in try await censusRows {
            let rowYear = try row.decode(column: "year", as: Int.self)
            let declarations = try row.decode(column: "declarations", as: Int.self), enterprises = try row.decode(column: "enterprises", as: Int.self)
            if rowYear == year {
                (censusProducts.current, censusEnterprises.current) = (declarations, enterprises)
            } else {
                (censusProducts.previous, censusEnterprises.previous) = (declarations, enterprises)
            }
        }

        let (approvedNow, approvedBefore) = try await (approvalsThisYear, approvalsLastYear)
        let innovative = ReviewChannel.nationalInnovative.rawValue
        let approved = DashboardFigures.Change(
            current: approvedNow.values.reduce(0) { $0 + $1.values.reduce(0, +) },
            previous: approvedBefore.values.reduce(0) { $0 + $1.values.reduce(0, +) })
        let innovativeApproved = DashboardFigures.Change(
            current: approvedNow.values.reduce(0) { $0 + ($1[innovative] ?? 0) },
            previous: approvedBefore.values.reduce(0) { $0 + ($1[innovative] ?? 0) })
        let served = DashboardFigures.Change(
            current: try await servedNow.first?.decode(column: "n", as: Int.self) ?? 0,
            previous: try await servedBefore.first?.decode(column: "n", as: Int.self) ?? 0)

        var accepted: [String: Int] = [:]
        var openByAuthority: [ApplicationAuthority: Int] = [:], acceptedByAuthority: [ApplicationAuthority: Int] = [:]
        var inReview = 0
        let firstMonth = months[0].description, yearMonth = String(yearStart.prefix(7))
        for row in try await monthRows {
            let count = try row.decode(column: "n", as: Int.self), month = try row.decode(column: "accepted_month", as: String.self)
            if month >= firstMonth { accepted[month, default: 0] += count }
            guard let authority = ApplicationAuthority(rawValue: try row.decode(column: "authority", as: String.self)) else { continue }
            if try row.decode(column: "is_open", as: Bool.self) {
                openByAuthority[authority, default: 0] += count
                inReview += count
            }
            if month >= yearMonth { acceptedByAuthority[authority, default: 0] += count }
        }

        var amber = 0, red = 0
        var overdue: [String: Int] = [:]
        for row in try await amberRunning + amberStopped {
            amber += try row.decode(column: "n", as: Int.self)
        }
        for row in try await redRunning + redStopped {
            let count = try row.decode(column: "n", as: Int.self)
            overdue[try row.decode(column: "district_code", as: String.self), default: 0] += count
            red += count
        }

        var byStage = Dictionary(uniqueKeysWithValues: DevelopmentStage.allCases.map { ($0, 0) })
        var byKeyArea = Dictionary(uniqueKeysWithValues: KeyArea.allCases.map { ($0, 0) })
        var districts: [String: DashboardFigures.District] = [:]
        for row in try await stageRows {
            guard let stage = DevelopmentStage(rawValue: try row.decode(column: "stage", as: String.self)) else { continue }
            let count = try row.decode(column: "n", as: Int.self)
            guard count != 0 else { continue }
            byStage[stage, default: 0] += count
            if stage != .approval {
                districts[try row.decode(column: "district_code", as: String.self), default: DashboardFigures.District()].pipeline += count
            }
        }
        for row in try await keyAreaRows {
            let count = try row.decode(column: "n", as: Int.self)
            guard count != 0 else { continue }
            for area in try row.decode(column: "key_areas", as: String.self).split(separator: ",") {
                if let area = KeyArea(rawValue: String(area)) { byKeyArea[area, default: 0] += count }
            }
        }

        // Districts: approvals this year and overdue applications, beside the pipeline above.
        for (district, byChannel) in approvedNow {
            districts[district, default: DashboardFigures.District()].approvals = byChannel.values.reduce(0, +)
        }
        for (district, count) in overdue {
            districts[district, default: DashboardFigures.District()].overdue = count
        }

        return DashboardFigures(
            year: year, asOf: today, censusEnterprises: censusEnterprises, censusProducts: censusProducts, applicationsInReview: inReview,
            approvals: approved, nationalInnovativeServed: served, nationalInnovativeApproved: innovativeApproved, productsByStage: byStage,
            acceptedByMonth: months.map { DashboardFigures.MonthCount(month: $0, count: accepted[$0.description] ?? 0) },
            openByAuthority: openByAuthority,
            acceptedThisYearByAuthority: acceptedByAuthority, amber: amber, red: red, productsByKeyArea: byKeyArea, districts: districts,
            consultationsAnswered: .init(
                current: try await answeredNow.first?.decode(column: "n", as: Int.self) ?? 0,
                previous: try await answeredBefore.first?.decode(column: "n", as: Int.self) ?? 0))
    }
}

extension DashboardStore {
    /// Approvals from the first of a month to a day, by district and channel: the whole months from
    /// `approval_rollup`, the last (partial) month from `applications` through its index on
    /// `approved_on`; all from `applications` for one enterprise's scope.
    static func approvals(
        scope: ScopeFilter, from: String, to: CivilDate, on sql: any SQLDatabase, fromRollup: Bool
    ) async throws -> [String: [String: Int]] {
        var counts: [String: [String: Int]] = [:]
        let (year, month, _) = to.components
        let lastMonth = "\(year)-\(month < 10 ? "0" : "")\(month)"
        let fromMonth = String(from.prefix(7))
        let direct = sql.select().column(SQLColumn("district_code")).column(SQLColumn("channel")).column(SQLRaw("COUNT(*)"), as: "n")
            .from(ApplicationModel.schema).where(scope.sql)
            .where(SQLColumn("approved_on"), .greaterThanOrEqual, SQLBind(fromRollup ? lastMonth + "-01" : from))
            .where(SQLColumn("approved_on"), .lessThanOrEqual, SQLBind(to.description))
            .groupBy("district_code").groupBy("channel")
        var queries = [direct]
        if fromRollup, fromMonth < lastMonth {
            queries.append(
                sql.select().column(SQLColumn("district_code")).column(SQLColumn("channel")).column(SQLRaw("CAST(SUM(n) AS BIGINT)"), as: "n")
                    .from("approval_rollup").where(scope.sql)
                    .where(SQLColumn("approved_month"), .greaterThanOrEqual, SQLBind(fromMonth))
                    .where(SQLColumn("approved_month"), .lessThan, SQLBind(lastMonth))
                    .groupBy("district_code").groupBy("channel"))
        }
        for query in queries {
            for row in try await query.all() {
                counts[try row.decode(column: "district_code", as: String.self), default: [:]][
                    try row.decode(column: "channel", as: String.self), default: 0] += try row.decode(column: "n", as: Int.self)
            }
        }
        return counts
    }

    /// Completed technical reviews of a procedure in the scope since a day, by month (YYYY-MM): how
    /// many, and the working days their clocks used in all (stored on each application, migration 018).
    public static func reviewTimes(
        procedure: String, since: CivilDate, scope: ScopeFilter, on database: any Database
    ) async throws -> [(month: String, completed: Int, workingDays: Int)] {
        guard let sql = database as? any SQLDatabase else { throw BulkInsertError.notSQL }
        let query = sql.select().where(SQLColumn("procedure_code"), .equal, SQLBind(procedure)).where(scope.sql)
        if case .enterprise = scope {
            let month = SQLFunction("SUBSTR", args: SQLColumn("review_completed_on"), SQLLiteral.numeric("1"), SQLLiteral.numeric("7"))
            query.column(month, as: "month").column(SQLRaw("COUNT(*)"), as: "completed")
                // CAST: PostgreSQL sums BIGINT columns as NUMERIC.
                .column(SQLRaw("CAST(SUM(review_working_days) AS BIGINT)"), as: "days")
                .from(ApplicationModel.schema)
                .where(SQLColumn("review_completed_on"), .greaterThanOrEqual, SQLBind(since.description))
                .groupBy(month)
        } else {
            query.column(SQLColumn("review_month"), as: "month").column(SQLRaw("CAST(SUM(n) AS BIGINT)"), as: "completed")
                .column(SQLRaw("CAST(SUM(working_days) AS BIGINT)"), as: "days")
                .from("review_rollup")
                .where(SQLColumn("review_month"), .greaterThanOrEqual, SQLBind(String(since.description.prefix(7))))
                .groupBy("review_month")
        }
        return try await query.all()
            .map {
                (
                    try $0.decode(column: "month", as: String.self), try $0.decode(column: "completed", as: Int.self),
                    try $0.decode(column: "days", as: Int.self)
                )
            }
    }

}
