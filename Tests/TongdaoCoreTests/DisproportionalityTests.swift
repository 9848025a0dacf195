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
