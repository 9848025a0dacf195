import Foundation

// Signal detection over the reports of a window (issue 19 item 3): the counts of every subject
// (a product, or a classification sub-catalogue) × event term pair read into 2×2 tables and their
// measures, ranked; and the signal list's states.

/// What a signal is detected for.
public enum SignalLevel: String, LabelledCode {
    case product
    /// The sub-catalogue (01–22) of the 2017 classification catalogue.
    case classification

    public var label: String {
        switch self {
        case .product: "按产品"
        case .classification: "按分类目录子目录"
        }
    }
}

/// Where a signal on the signal list stands.
public enum SignalStatus: String, LabelledCode {
    case new
    case underAssessment = "under_assessment"
    case confirmed
    case refuted

    public var label: String {
        switch self {
        case .new: "新信号"
        case .underAssessment: "评估中"
        case .confirmed: "已确认"
        case .refuted: "已排除"
        }
    }

    /// The states a signal may move to from this one (a refuted or confirmed signal may be assessed again).
    public var next: [SignalStatus] {
        switch self {
        case .new: [.underAssessment, .confirmed, .refuted]
        case .underAssessment: [.confirmed, .refuted]
        case .confirmed, .refuted: [.underAssessment]
        }
    }
}

/// The counts of a window, as the store reads them.
public struct SignalCounts: Sendable, Equatable {
    public struct Pair: Sendable, Equatable {
        public var subject: String
        public var term: String
        public var reports: Int

        public init(subject: String, term: String, reports: Int) {
            self.subject = subject
            self.term = term
            self.reports = reports
        }
    }

    /// Reports of each subject × term pair (a report names a term once).
    public var pairs: [Pair]
    /// Reports of each subject.
    public var subjects: [String: Int]
    /// Reports naming each term.
    public var terms: [String: Int]
    /// Reports in the window.
    public var total: Int

    public init(pairs: [Pair], subjects: [String: Int], terms: [String: Int], total: Int) {
        self.pairs = pairs
        self.subjects = subjects
        self.terms = terms
        self.total = total
    }
}

/// One subject × term pair with its measures and the methods whose criteria it meets.
public struct SignalFinding: Sendable, Equatable {
    public var subject: String
    public var term: String
    public var measures: Disproportionality
    public var methods: [SignalMethod]

    public init(subject: String, term: String, measures: Disproportionality, methods: [SignalMethod]) {
        self.subject = subject
        self.term = term
        self.measures = measures
        self.methods = methods
    }
}

public enum SignalDetection {
    /// A run over a window's counts: how many pairs and signals it holds, and its first rows.
    public struct Run: Sendable, Equatable {
        /// Pairs with reports in the window.
        public var pairs: Int
        /// Pairs meeting at least one method's criteria.
        public var signals: Int
        /// The first `limit` pairs in rank (signals only, unless every pair was asked for).
        public var top: [SignalFinding]
    }

    /// Every pair's measures under `policy`, counted, and the first `limit` in rank kept: the
    /// signals first (more methods met first), then by PRR, then by the pair's count, subject and
    /// term (so the order never depends on the database's). Only the kept rows are ranked among
    /// themselves; the others are passed over with one comparison each.
    public static func run(_ counts: SignalCounts, policy: SignalPolicy, onlySignals: Bool = true, limit: Int = .max) -> Run {
        var run = Run(pairs: 0, signals: 0, top: [])
        guard limit > 0 else { return run }
        for pair in counts.pairs {
            let table = ContingencyTable(
                pair: pair.reports, product: counts.subjects[pair.subject] ?? pair.reports, term: counts.terms[pair.term] ?? pair.reports,
                total: counts.total)
            guard let measures = Disproportionality(table) else { continue }
            let methods = measures.signals(under: policy)
            run.pairs += 1
            if !methods.isEmpty { run.signals += 1 } else if onlySignals { continue }
            let finding = SignalFinding(subject: pair.subject, term: pair.term, measures: measures, methods: methods)
            if run.top.count == limit {
                guard let last = run.top.last, precedes(finding, last) else { continue }
                run.top.removeLast()
            }
            // Its place among the kept, found by halving.
            var low = 0, high = run.top.count
            while low < high {
                let middle = (low + high) / 2
                if precedes(run.top[middle], finding) { low = middle + 1 } else { high = middle }
            }
            run.top.insert(finding, at: low)
        }
        return run
    }

    /// Whether `left` ranks before `right`.
    public static func precedes(_ left: SignalFinding, _ right: SignalFinding) -> Bool {
        if left.methods.count != right.methods.count { return left.methods.count > right.methods.count }
        if left.measures.prr != right.measures.prr { return left.measures.prr > right.measures.prr }
        if left.measures.table.a != right.measures.table.a { return left.measures.table.a > right.measures.table.a }
        return (left.subject, left.term) < (right.subject, right.term)
    }
}
