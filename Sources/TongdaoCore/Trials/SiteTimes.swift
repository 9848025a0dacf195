import Foundation

/// How quickly an institution takes a trial on, from its sites' dates, in calendar days (自然日):
///
/// * **ethics review** (伦理审查) of a participating site: from the lead site's ethics approval (组长单位
///   伦理批准) to its own — the review a participating institution adds, which mutual recognition of
///   ethics reviews (伦理互认) shortens; 0 when it approved first. A lead site has no such figure: the
///   platform keeps no date its committee received the file on.
/// * **activation** (中心启动) of any site: from its ethics approval to its activation.
///
/// Medians, as `numpy.median` takes them (the middle value, or the mean of the two middle ones), of
/// the sites that have both dates; `scripts/check-site-times.py` holds them to numpy.
public enum SiteTimes {
    /// One site's dates, and the specialty of its PI (what the institution page groups by).
    public struct Sample: Sendable, Equatable {
        public var specialty: String
        public var lead: Bool
        /// The ethics approval of the trial's lead site (nil for the lead site itself, or none yet).
        public var leadEthicsApprovedOn: CivilDate?
        public var ethicsApprovedOn: CivilDate?
        public var activatedOn: CivilDate?

        public init(specialty: String, lead: Bool, leadEthicsApprovedOn: CivilDate?, ethicsApprovedOn: CivilDate?, activatedOn: CivilDate?) {
            self.specialty = specialty
            self.lead = lead
            self.leadEthicsApprovedOn = leadEthicsApprovedOn
            self.ethicsApprovedOn = ethicsApprovedOn
            self.activatedOn = activatedOn
        }

        public var ethicsDays: Int? {
            guard !lead, let first = leadEthicsApprovedOn, let ethics = ethicsApprovedOn else { return nil }
            return max(0, ethics.dayNumber - first.dayNumber)
        }

        public var activationDays: Int? {
            guard let ethics = ethicsApprovedOn, let activated = activatedOn else { return nil }
            return max(0, activated.dayNumber - ethics.dayNumber)
        }
    }

    /// The medians of a set of sites, and how many sites each is taken over.
    public struct Summary: Sendable, Equatable {
        public var sites: Int
        public var ethicsSites: Int
        public var ethicsMedianDays: Double?
        public var activationSites: Int
        public var activationMedianDays: Double?

        public init(_ samples: [Sample]) {
            let ethics = samples.compactMap(\.ethicsDays), activation = samples.compactMap(\.activationDays)
            sites = samples.count
            ethicsSites = ethics.count
            ethicsMedianDays = SiteTimes.median(ethics)
            activationSites = activation.count
            activationMedianDays = SiteTimes.median(activation)
        }
    }

    /// An institution's medians over all its sites and by its PIs' specialties (by name).
    public struct Report: Sendable, Equatable {
        public var overall: Summary
        public var bySpecialty: [(specialty: String, summary: Summary)]

        public init(_ samples: [Sample]) {
            overall = Summary(samples)
            bySpecialty = Dictionary(grouping: samples, by: \.specialty).map { ($0.key, Summary($0.value)) }.sorted { $0.specialty < $1.specialty }
        }

        public static func == (a: Report, b: Report) -> Bool {
            a.overall == b.overall && a.bySpecialty.map(\.specialty) == b.bySpecialty.map(\.specialty)
                && a.bySpecialty.map(\.summary) == b.bySpecialty.map(\.summary)
        }
    }

    /// A median as a person reads it: `12`, `12.5`.
    public static func text(_ median: Double) -> String {
        median == median.rounded() ? String(Int(median)) : String(format: "%.1f", median)
    }

    /// The middle value of `values`, or the mean of the two middle ones; nil for none.
    public static func median(_ values: [Int]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? Double(sorted[middle]) : Double(sorted[middle - 1] + sorted[middle]) / 2
    }
}
