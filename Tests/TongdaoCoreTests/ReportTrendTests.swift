import Foundation
import Testing
import TongdaoCore

@Suite("The trend report's expected band: the mean of the year before, the Poisson 2.5–97.5 % quantiles")
struct ReportTrendTests {
    @Test("Poisson quantiles as scipy.stats.poisson.ppf gives them", arguments: [(10.0, 4, 17), (0.5, 0, 2), (3.25, 0, 7), (100.0, 81, 120)])
    func quantiles(mean: Double, lower: Int, upper: Int) {
        #expect(ReportTrend.poissonQuantile(0.025, mean: mean) == lower)
        #expect(ReportTrend.poissonQuantile(0.975, mean: mean) == upper)
    }

    @Test("a month above the band of the year before it is flagged; months without six months of history have no band")
    func band() throws {
        let first = try #require(YearMonth("2025-01"))
        var counts: [YearMonth: Int] = [:]
        for offset in 0..<24 { counts[try #require(first.adding(months: offset))] = 10 }
        counts[try #require(YearMonth("2026-10"))] = 25
        let trend = ReportTrend(
            counts: counts, first: try #require(YearMonth("2025-03")), last: try #require(YearMonth("2026-12")), historyFrom: first)
        #expect(trend.months.count == 22)
        #expect(trend.months.first?.expected == nil, "two months of history only")
        let july = try #require(trend.months.first { $0.month.description == "2025-07" })
        #expect(july.expected == 10 && july.lower == 4 && july.upper == 17)
        #expect(trend.flagged.map(\.month.description) == ["2026-10"])
        // December 2026's band: the mean of December 2025 to November 2026, October's 25 among them.
        let december = try #require(trend.months.last)
        #expect(december.count == 10 && december.expected.map { abs($0 - (10.0 * 11 + 25) / 12) < 1e-12 } == true && !december.above)
        #expect(
            YearMonth("2026-01")?.adding(months: -1)?.description == "2025-12" && YearMonth("2026-12")?.adding(months: 1)?.description == "2027-01")
    }
}
