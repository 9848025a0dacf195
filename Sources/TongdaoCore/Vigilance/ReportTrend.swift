import Foundation

// Monthly report counts of a product against their expected band (issue 19 item 3, the trend report
// 趋势报告): a month's expected count is the mean of the twelve months before it, and its band the
// central 95 % of a Poisson distribution with that mean — reports of a product arrive one by one,
// independently, at a rate the past year sets, which is what a Poisson count describes. A month
// above the band is flagged. A month with fewer than six months of history before it has no band.

public struct ReportTrend: Sendable, Equatable {
    public struct Month: Sendable, Equatable {
        public var month: YearMonth
        public var count: Int
        /// The mean of the baseline months; nil without enough history.
        public var expected: Double?
        /// The Poisson 2.5 % and 97.5 % quantiles of the expected mean.
        public var lower: Int?
        public var upper: Int?

        /// More reports than the band allows.
        public var above: Bool { upper.map { count > $0 } ?? false }
    }

    public var months: [Month]

    /// The months from `first` to `last`, each with its count (0 when none) and its band from the
    /// `baseline` months before it (counts before `first` are read from `counts` too).
    public init(
        counts: [YearMonth: Int], first: YearMonth, last: YearMonth, baseline: Int = 12, minimumHistory: Int = 6, historyFrom: YearMonth? = nil
    ) {
        var months: [Month] = []
        var month = first
        while month <= last {
            let before = (1...baseline).compactMap { month.adding(months: -$0) }.filter { candidate in historyFrom.map { candidate >= $0 } ?? true }
            var expected: Double?
            var lower: Int?
            var upper: Int?
            if before.count >= minimumHistory {
                let mean = Double(before.reduce(0) { $0 + (counts[$1] ?? 0) }) / Double(before.count)
                expected = mean
                lower = Self.poissonQuantile(0.025, mean: mean)
                upper = Self.poissonQuantile(0.975, mean: mean)
            }
            months.append(Month(month: month, count: counts[month] ?? 0, expected: expected, lower: lower, upper: upper))
            guard let next = month.adding(months: 1) else { break }
            month = next
        }
        self.months = months
    }

    /// The smallest k with P(X ≤ k) ≥ p for X ~ Poisson(mean), through P(X ≤ k) = Q(k + 1, mean).
    public static func poissonQuantile(_ p: Double, mean: Double) -> Int {
        guard mean > 0 else { return 0 }
        var k = 0
        while k < 1_000_000 {
            if 1 - GammaDistribution.lowerRegularized(shape: Double(k + 1), mean) >= p { return k }
            k += 1
        }
        return k
    }

    /// The months above their band.
    public var flagged: [Month] { months.filter(\.above) }
}

extension YearMonth {
    /// The month `months` later (earlier when negative), within the years the platform keeps.
    public func adding(months: Int) -> YearMonth? {
        let index = year * 12 + (month - 1) + months
        return YearMonth(year: index / 12, month: index % 12 + 1)
    }
}
