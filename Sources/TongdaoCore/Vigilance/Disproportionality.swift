import Foundation

// Signal detection by disproportionality (issue 19 item 3; DOMAIN.md §7): for a product (or a
// classification code) and an event term, the 2×2 table of reports in a window and three measures
// read from it — PRR with χ² (Evans 2001), ROR with its 95 % interval, and the BCPNN information
// component IC with IC025 (WHO-UMC). Cross-checked against numpy/scipy by scripts/check-signals.py.

/// The 2×2 table of a product × event term pair: a = reports of the product with the event, b = of
/// the product with other events, c = of other products with the event, d = the rest.
public struct ContingencyTable: Sendable, Hashable, Codable {
    public var a: Int
    public var b: Int
    public var c: Int
    public var d: Int

    public init(a: Int, b: Int, c: Int, d: Int) {
        self.a = a
        self.b = b
        self.c = c
        self.d = d
    }

    /// The table of a pair read from counts: `pair` reports of the product with the term, `product`
    /// reports of the product, `term` reports with the term, `total` reports in all.
    public init(pair: Int, product: Int, term: Int, total: Int) {
        self.init(a: pair, b: product - pair, c: term - pair, d: total - product - term + pair)
    }

    public var total: Int { a + b + c + d }
    public var hasZeroCell: Bool { a == 0 || b == 0 || c == 0 || d == 0 }
}

/// The measures of one table. Every figure is finite, whatever the cells: this is what was chosen
/// for zero cells, and why.
///
/// * **PRR, ROR and its interval** divide by b, c or d (and take ln ROR): when any cell is 0 they
///   are computed on the table with 0.5 added to every cell (the Haldane–Anscombe correction, the
///   usual one in pharmacovigilance), and `corrected` says so. A pair no other product shows (c = 0)
///   thus gets a large finite PRR rather than an infinite one, and still needs a ≥ 3 and χ² ≥ 4.
/// * **χ²** is Pearson's with Yates's continuity correction (one degree of freedom, as Evans used
///   it), on the counts as they are: each cell moves at most 0.5 toward its expected value, so a
///   table that differs from its expectation by less than that scores 0. When a margin is empty
///   (every report is of the product, or of the term) there is nothing to contrast: χ² is 0.
/// * **IC and IC025** need no correction: the BCPNN's +0.5 shrinkage keeps them finite (E is 0 only
///   when a is, and IC is then 0).
///
/// A table with no reports at all has no measures (`init?` answers nil).
public struct Disproportionality: Sendable, Hashable {
    public var table: ContingencyTable
    /// 0.5 was added to every cell for PRR and ROR because one of them was 0.
    public var corrected: Bool
    public var prr: Double
    public var chiSquare: Double
    public var ror: Double
    public var rorLower: Double
    public var rorUpper: Double
    /// The expected count of the pair, (a+b)(a+c)/N.
    public var expected: Double
    public var ic: Double
    /// The lower end of IC's 95 % credibility interval: log2 of the 2.5 % quantile of
    /// Gamma(a + ½, rate E + ½). Computed when read (the quantile is the dearest figure, and a
    /// detection run needs it only for the rows it shows; `signals(under:)` decides without it).
    public var ic025: Double { log2(GammaDistribution.quantile(0.025, shape: Double(table.a) + 0.5, rate: expected + 0.5)) }

    /// The 97.5 % quantile of the standard normal distribution as DOMAIN.md §7 writes it.
    public static let z975 = 1.96

    public init?(_ table: ContingencyTable) {
        let n = Double(table.total)
        guard table.total > 0, table.a >= 0, table.b >= 0, table.c >= 0, table.d >= 0 else { return nil }
        self.table = table
        corrected = table.hasZeroCell
        let shift = corrected ? 0.5 : 0
        let (a, b, c, d) = (Double(table.a) + shift, Double(table.b) + shift, Double(table.c) + shift, Double(table.d) + shift)
        prr = (a / (a + b)) / (c / (c + d))
        ror = (a * d) / (b * c)
        let spread = Self.z975 * (1 / a + 1 / b + 1 / c + 1 / d).squareRoot()
        rorLower = exp(log(ror) - spread)
        rorUpper = exp(log(ror) + spread)
        chiSquare = Self.yatesChiSquare(table)
        let rawA = Double(table.a)
        expected = Double(table.a + table.b) * Double(table.a + table.c) / n
        ic = log2((rawA + 0.5) / (expected + 0.5))
    }

    /// Pearson's χ² of a 2×2 table with Yates's correction: N·max(0, |ad − bc| − N/2)² over the
    /// product of the margins; 0 when a margin is empty.
    static func yatesChiSquare(_ table: ContingencyTable) -> Double {
        let (a, b, c, d) = (Double(table.a), Double(table.b), Double(table.c), Double(table.d))
        let n = a + b + c + d
        let margins = (a + b) * (c + d) * (a + c) * (b + d)
        guard margins > 0 else { return 0 }
        let excess = max(0, abs(a * d - b * c) - n / 2)
        // Divided step by step: the products of large margins overflow no Double, but keep them apart anyway.
        return n * excess / (a + b) * excess / (c + d) / (a + c) / (b + d)
    }

    /// The methods whose signal criteria the pair meets under `policy`.
    public func signals(under policy: SignalPolicy) -> [SignalMethod] {
        var met: [SignalMethod] = []
        if table.a >= policy.minimumCases, prr >= policy.prrAtLeast, chiSquare >= policy.chiSquareAtLeast { met.append(.prr) }
        if table.a >= policy.minimumCases, rorLower > policy.rorLowerAbove { met.append(.ror) }
        if icLowerExceeds(policy.ic025Above) { met.append(.ic) }
        return met
    }

    /// Whether IC025 exceeds `threshold`, without the quantile: the 2.5 % quantile of Gamma(a + ½,
    /// rate E + ½) lies above x₀ = 2^threshold exactly when less than 2.5 % of the distribution lies
    /// below x₀, one evaluation of its lower tail. IC025 is below IC (the quantile is below the mean),
    /// so a pair whose IC is not above the threshold is decided without even that.
    public func icLowerExceeds(_ threshold: Double) -> Bool {
        guard ic > threshold else { return false }
        return GammaDistribution.lowerRegularized(shape: Double(table.a) + 0.5, exp2(threshold) * (expected + 0.5)) < 0.025
    }
}

/// The three disproportionality methods.
public enum SignalMethod: String, LabelledCode {
    case prr
    case ror
    case ic

    public var label: String {
        switch self {
        case .prr: "比例报告比（PRR）"
        case .ror: "报告比值比（ROR）"
        case .ic: "信息成分（IC）"
        }
    }
}

/// The signal thresholds of DOMAIN.md §7, held as policy data in versions (`city_admin` changes
/// them): PRR ≥ 2 with χ² ≥ 4 and a ≥ 3 (Evans 2001); ROR's lower 95 % bound > 1 with a ≥ 3; IC025 > 0.
public struct SignalPolicy: VersionedPolicy {
    public var effectiveFrom: String
    /// The fewest reports of the pair for PRR and ROR to speak.
    public var minimumCases: Int
    public var prrAtLeast: Double
    public var chiSquareAtLeast: Double
    public var rorLowerAbove: Double
    public var ic025Above: Double

    public init(
        effectiveFrom: String = "2000-01-01", minimumCases: Int = 3, prrAtLeast: Double = 2, chiSquareAtLeast: Double = 4, rorLowerAbove: Double = 1,
        ic025Above: Double = 0
    ) {
        self.effectiveFrom = effectiveFrom
        self.minimumCases = minimumCases
        self.prrAtLeast = prrAtLeast
        self.chiSquareAtLeast = chiSquareAtLeast
        self.rorLowerAbove = rorLowerAbove
        self.ic025Above = ic025Above
    }

    public static let standard = SignalPolicy()

    public func problems(today: CivilDate) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if let day = CivilDate(effectiveFrom) {
            if day < today { problems.append(FieldProblem("effectiveFrom", "cannot be before today", chinese: "生效日期不能早于今天")) }
        } else {
            problems.append(FieldProblem("effectiveFrom", "must be a date YYYY-MM-DD", chinese: "生效日期应为日期（YYYY-MM-DD）"))
        }
        if !(1...1_000).contains(minimumCases) {
            problems.append(FieldProblem("minimumCases", "must be between 1 and 1000", chinese: "最少报告数应在 1 至 1000 之间"))
        }
        for (field, value, name) in [
            ("prrAtLeast", prrAtLeast, "PRR 阈值"), ("chiSquareAtLeast", chiSquareAtLeast, "χ² 阈值"), ("rorLowerAbove", rorLowerAbove, "ROR 置信下限阈值"),
        ] where !(value.isFinite && value >= 0 && value <= 1_000) {
            problems.append(FieldProblem(field, "must be a number between 0 and 1000", chinese: "\(name)应为 0 至 1000 之间的数"))
        }
        if !(ic025Above.isFinite && abs(ic025Above) <= 100) {
            problems.append(FieldProblem("ic025Above", "must be a number between -100 and 100", chinese: "IC025 阈值应为 −100 至 100 之间的数"))
        }
        return problems
    }
}

/// The gamma distribution's lower tail and its inverse, for IC025: the regularised lower incomplete
/// gamma function P(s, x) by its series below s + 1 and by the continued fraction of Q above, and
/// its quantile by safeguarded Newton steps from the Wilson–Hilferty guess.
public enum GammaDistribution {
    /// P(shape, x): the probability a Gamma(shape, rate 1) variable is at most x.
    public static func lowerRegularized(shape s: Double, _ x: Double) -> Double {
        guard x > 0 else { return 0 }
        let logFront = -x + s * log(x) - lgamma(s)
        if x < s + 1 {
            var term = 1 / s
            var sum = term
            var n = 1.0
            while n < 100_000 {
                term *= x / (s + n)
                sum += term
                if abs(term) < abs(sum) * 1e-17 { break }
                n += 1
            }
            return min(1, sum * exp(logFront))
        }
        return max(0, 1 - upperContinuedFraction(shape: s, x) * exp(logFront))
    }

    /// The continued fraction of Q(s, x)·Γ(s)/(e^{−x} x^s), by the modified Lentz method.
    private static func upperContinuedFraction(shape s: Double, _ x: Double) -> Double {
        let tiny = 1e-300
        var b = x + 1 - s
        var c = 1 / tiny
        var d = 1 / b
        var fraction = d
        var i = 1.0
        while i < 100_000 {
            let an = -i * (i - s)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let step = d * c
            fraction *= step
            if abs(step - 1) < 1e-17 { break }
            i += 1
        }
        return fraction
    }

    /// The `p` quantile of Gamma(shape, rate): the x with P(shape, x·rate) = p, to about 1e-15 relative.
    public static func quantile(_ p: Double, shape s: Double, rate: Double) -> Double {
        precondition(p > 0 && p < 1 && s > 0 && rate > 0)
        // The Wilson–Hilferty start, or the small-x form of P when the shape is small.
        let z = standardNormalQuantile(p)
        let h = 1 / (9 * s)
        var x = s * pow(max(1 - h + z * h.squareRoot(), 0), 3)
        if s < 1 || x <= 0 { x = pow(p * exp(lgamma(s + 1)), 1 / s) }
        if !(x > 0) || !x.isFinite { x = s }
        var low = 0.0
        var high = Double.infinity
        for _ in 0..<200 {
            let f = lowerRegularized(shape: s, x) - p
            if f == 0 { break }
            if f < 0 { low = x } else { high = x }
            let density = exp(-x + (s - 1) * log(x) - lgamma(s))
            var next = x - f / density
            if !(next > low && next < high) || !next.isFinite {
                next = high.isFinite ? (low + high) / 2 : max(2 * x, low + 1)
            }
            if abs(next - x) <= 1e-16 * x {
                x = next
                break
            }
            x = next
        }
        return x / rate
    }

    /// Φ⁻¹(p) to about 4.5e-4 (Abramowitz & Stegun 26.2.23): only the quantile's starting point.
    static func standardNormalQuantile(_ p: Double) -> Double {
        let q = p < 0.5 ? p : 1 - p
        let t = (-2 * log(q)).squareRoot()
        let z = t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t)
        return p < 0.5 ? -z : z
    }
}
