import Foundation
import Testing
import TongdaoCore

@Suite("Signal detection: PRR with χ², ROR with its interval, IC with IC025 on hand-worked tables; zero cells finite")
struct DisproportionalityTests {
    static func measures(_ a: Int, _ b: Int, _ c: Int, _ d: Int) -> Disproportionality? {
        Disproportionality(ContingencyTable(a: a, b: b, c: c, d: d))
    }

    static func close(_ x: Double, _ y: Double, _ tolerance: Double = 1e-12) -> Bool { abs(x - y) <= tolerance * max(1, abs(y)) }

    @Test("a table worked by hand: 10 of 100 reports of the product, 100 of 9,900 of the others")
    func handWorked() throws {
        let m = try #require(Self.measures(10, 90, 100, 9_800))
        #expect(!m.corrected)
        #expect(Self.close(m.prr, 9.9))  // (10/100) / (100/9,900)
        #expect(Self.close(m.ror, 98_000.0 / 9_000))  // ad / bc
        // Yates: N(|ad − bc| − N/2)² / ((a+b)(c+d)(a+c)(b+d)) = 10,000 · 84,000² / (100 · 9,900 · 110 · 9,890)
        let margins: Double = 100 * 9_900 * 110 * 9_890
        #expect(Self.close(m.chiSquare, 10_000 * 84_000 * 84_000 / margins))
        #expect(Self.close(m.chiSquare, 65.51404290167044, 1e-9))  // scipy.stats.chi2_contingency
        #expect(Self.close(m.rorLower, 5.503342245636626, 1e-9))
        #expect(Self.close(m.expected, 1.1))  // 100 · 110 / 10,000
        #expect(Self.close(m.ic, log2(10.5 / 1.6)))
        #expect(Self.close(m.ic025, 1.6841030717538423, 1e-9))  // log2(scipy.stats.gamma.ppf(0.025, 10.5, scale=1/1.6))
        #expect(m.signals(under: .standard) == [.prr, .ror, .ic])
    }

    @Test("the thresholds are the policy's: fewer than three reports never signal by PRR or ROR")
    func thresholds() throws {
        let two = try #require(Self.measures(2, 8, 10, 9_980))
        #expect(two.prr > 2 && two.rorLower > 1)
        #expect(!two.signals(under: .standard).contains(.prr) && !two.signals(under: .standard).contains(.ror))
        #expect(two.signals(under: SignalPolicy(minimumCases: 2)).contains(.prr))
        let strict = SignalPolicy(prrAtLeast: 20)
        let m = try #require(Self.measures(10, 90, 100, 9_800))
        #expect(m.signals(under: strict) == [.ror, .ic])
    }

    @Test("IC025 above a threshold is decided by the gamma tail alone, as the quantile decides it, on tables either side of it")
    func icDecidedByTheTail() throws {
        var seen = (above: 0, below: 0)
        for a in [0, 1, 2, 3, 5, 8, 13, 40, 300] {
            for e in stride(from: 0.05, through: 60, by: 0.37) {
                // A table with a reports of the pair whose expectation is about e.
                let n = 1_000_000
                let margin = max(a, Int((e * Double(n)).squareRoot().rounded()))
                let table = ContingencyTable(a: a, b: margin - a, c: max(0, Int((e * Double(n) / Double(margin)).rounded()) - a), d: 0)
                let full = ContingencyTable(a: table.a, b: table.b, c: table.c, d: n - table.a - table.b - table.c)
                let m = try #require(Disproportionality(full))
                for threshold in [-1.0, 0, 0.5, 1, 2] {
                    let byQuantile = m.ic025 > threshold
                    // Far enough from the threshold that 1e-9 of rounding cannot tip it.
                    guard abs(m.ic025 - threshold) > 1e-9 else { continue }
                    #expect(m.icLowerExceeds(threshold) == byQuantile, "a = \(a), E = \(m.expected), threshold \(threshold)")
                    if byQuantile { seen.above += 1 } else { seen.below += 1 }
                }
            }
        }
        #expect(seen.above > 100 && seen.below > 100, "both sides of the threshold were tried: \(seen)")
    }

    @Test("a zero cell: PRR and ROR on the table with 0.5 added (marked corrected), never infinite; χ² on the counts")
    func zeroCells() throws {
        // No other product shows the event (c = 0).
        let alone = try #require(Self.measures(5, 95, 0, 9_900))
        #expect(alone.corrected)
        #expect(Self.close(alone.prr, (5.5 / 101) / (0.5 / 9_901)))
        #expect(Self.close(alone.ror, 5.5 * 9_900.5 / (95.5 * 0.5)))
        #expect(alone.prr.isFinite && alone.rorUpper.isFinite && alone.chiSquare > 4)
        #expect(alone.signals(under: .standard) == [.prr, .ror, .ic])
        // Every report is of the product: no contrast, χ² 0. E is 0 only when a is: IC is then 0.
        let everything = try #require(Self.measures(3, 7, 0, 0))
        #expect(everything.chiSquare == 0 && everything.prr.isFinite)
        let unseen = try #require(Self.measures(0, 0, 4, 10))
        #expect(unseen.expected == 0 && unseen.ic == 0 && unseen.chiSquare == 0)
        // An empty table has no measures.
        #expect(Self.measures(0, 0, 0, 0) == nil)
    }

    @Test("within half a report of its expectation, the Yates χ² is 0")
    func yatesFloor() throws {
        // |ad − bc| = |1·1 − 1·1| = 0 < N/2.
        #expect(try #require(Self.measures(1, 1, 1, 1)).chiSquare == 0)
        #expect(try #require(Self.measures(2, 1, 1, 1)).chiSquare == 0)  // |2 − 1| = 1 < 2.5
    }

    @Test("IC025 cannot exceed 0 unless a ≥ 3, whatever E (DOMAIN.md §7 says a > 3: a = 3 with E near 0 gives 0.757)")
    func ic025Bound() throws {
        for a in 0...2 {
            for (b, c, d) in [(0, 0, 0), (0, 0, 1_000_000), (1, 1, 1), (0, 1, 5_000_000)] {
                guard let m = Self.measures(a, b, c, d) else { continue }
                #expect(m.ic025 <= 0, "a = \(a), E = \(m.expected)")
            }
        }
        let three = try #require(Self.measures(3, 0, 0, 5_000_000))
        #expect(abs(three.ic025 - 0.7569063725260039) < 1e-9)  // scipy: log2(gamma.ppf(0.025, 3.5, scale=1/(9/5000003 + 0.5)))
    }

    @Test("the gamma quantile inverts the lower tail, from shape 0.5 to a million")
    func gammaQuantile() {
        for shape in [0.5, 1, 1.5, 3.5, 10.5, 100.5, 12_345.5, 1_000_000.5] {
            for p in [1e-6, 0.025, 0.5, 0.975] {
                // The quantile is bracketed within 1e-12 relative: P is below p just under it and above just over it.
                let x = GammaDistribution.quantile(p, shape: shape, rate: 1)
                #expect(GammaDistribution.lowerRegularized(shape: shape, x * (1 - 1e-12)) < p, "shape \(shape), p \(p)")
                #expect(GammaDistribution.lowerRegularized(shape: shape, x * (1 + 1e-12)) > p, "shape \(shape), p \(p)")
            }
        }
        // Gamma(1) is the exponential: its p quantile is −ln(1 − p).
        #expect(Self.close(GammaDistribution.quantile(0.025, shape: 1, rate: 2), -log(0.975) / 2))
    }

    @Test("the signal policy names each bad figure")
    func policyProblems() {
        let today = CivilDate("2026-12-06")!
        let bad = SignalPolicy(effectiveFrom: "2026-12-01", minimumCases: 0, prrAtLeast: -1, chiSquareAtLeast: .nan, ic025Above: 1_000)
        #expect(bad.problems(today: today).map(\.field) == ["effectiveFrom", "minimumCases", "prrAtLeast", "chiSquareAtLeast", "ic025Above"])
        #expect(SignalPolicy(effectiveFrom: "2026-12-06").problems(today: today).isEmpty)
    }
}

@Suite("Signal detection's ranking: the rows kept as it goes are the first of every pair ranked, the counts of pairs and signals whole")
struct SignalRankingTests {
    @Test("on random counts, the first rows kept are those a full sort puts first, for signals only and for every pair, at any limit")
    func topRowsAreTheFullSortsFirst() throws {
        var generator = SystemRandomNumberGenerator()
        for trial in 0..<20 {
            let subjects = (0..<(5 + trial)).map { "P\($0)" }
            let terms = (0..<(8 + trial % 5)).map { "T\($0)" }
            var pairs: [SignalCounts.Pair] = []
            var bySubject: [String: Int] = [:]
            var byTerm: [String: Int] = [:]
            for subject in subjects {
                for term in terms where Int.random(in: 0..<3, using: &generator) > 0 {
                    // Ties on purpose: few distinct counts.
                    let reports = [1, 2, 3, 5, 8, 40][Int.random(in: 0..<6, using: &generator)]
                    pairs.append(.init(subject: subject, term: term, reports: reports))
                    bySubject[subject, default: 0] += reports
                    byTerm[term, default: 0] += reports
                }
            }
            let total = bySubject.values.reduce(0, +)
            let counts = SignalCounts(pairs: pairs.shuffled(using: &generator), subjects: bySubject, terms: byTerm, total: total)
            var every: [SignalFinding] = []
            for pair in pairs {
                let table = ContingencyTable(pair: pair.reports, product: bySubject[pair.subject]!, term: byTerm[pair.term]!, total: total)
                let measures = try #require(Disproportionality(table))
                every.append(SignalFinding(subject: pair.subject, term: pair.term, measures: measures, methods: measures.signals(under: .standard)))
            }
            every.sort(by: SignalDetection.precedes)
            let signals = every.filter { !$0.methods.isEmpty }
            for limit in [1, 3, 10, 1_000] {
                let all = SignalDetection.run(counts, policy: .standard, onlySignals: false, limit: limit)
                #expect(all.pairs == pairs.count && all.signals == signals.count)
                #expect(all.top == Array(every.prefix(limit)), "trial \(trial), every pair, limit \(limit)")
                let only = SignalDetection.run(counts, policy: .standard, onlySignals: true, limit: limit)
                #expect(only.top == Array(signals.prefix(limit)), "trial \(trial), signals, limit \(limit)")
            }
        }
    }
}
