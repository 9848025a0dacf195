/// How complete a census is, and how it moved since the year before.
public enum CensusQuality {
    /// The optional cells a good declaration fills (a channel may rightly be empty, so it is not one).
    public static let scoredColumns: [CensusSheet.Column] = [.model, .classificationCode, .keyAreas, .expectedFiling, .contactName, .contactPhone]

    /// Categories not asked for a device classification code.
    public static let categoriesWithoutClassificationCode: Set<ProductCategory> = [.drug, .ivd]

    /// The scored cells a record leaves empty. A drug has no device classification code, so it is not
    /// asked for one.
    public static func missing(_ record: CensusRecord) -> [CensusSheet.Column] {
        scoredColumns.filter { column in
            switch column {
            case .model: record.product.model.isEmpty
            case .classificationCode:
                !categoriesWithoutClassificationCode.contains(record.product.category) && record.product.classificationCode == nil
            case .keyAreas: record.product.keyAreas.isEmpty
            case .expectedFiling: record.product.expectedFiling == nil
            case .contactName: (record.enterprise.contactName ?? "").isEmpty
            case .contactPhone: (record.enterprise.contactPhone ?? "").isEmpty
            default: false
            }
        }
    }

    /// The share of scored cells filled, 0…1.
    public static func completeness(_ record: CensusRecord) -> Double {
        let asked = scoredColumns.count - (categoriesWithoutClassificationCode.contains(record.product.category) ? 1 : 0)
        return Double(asked - missing(record).count) / Double(asked)
    }

    /// One district's or park's census figures.
    public struct Summary: Sendable, Equatable {
        /// District or park code; nil for "not in a park".
        public var region: String?
        public var enterprises: Int
        public var products: Int
        /// Mean completeness of its declarations, 0…1.
        public var completeness: Double
        /// Products declared this year but not the year before.
        public var new: Int
        /// Products declared the year before but not this year.
        public var dropped: Int
        /// Products declared both years at a later stage this year.
        public var advanced: Int

        public init(region: String?, enterprises: Int, products: Int, completeness: Double, new: Int, dropped: Int, advanced: Int) {
            self.region = region
            self.enterprises = enterprises
            self.products = products
            self.completeness = completeness
            self.new = new
            self.dropped = dropped
            self.advanced = advanced
        }
    }

    public enum Grouping: Sendable {
        case district, park
    }

    /// The order the page lists regions in: most products first, then by code, "not in a park" last.
    public static func ordered(_ summaries: [Summary]) -> [Summary] {
        summaries.sorted { ($1.products, $0.region ?? "~") < ($0.products, $1.region ?? "~") }
    }

    /// Figures per district (or per park), ordered by products, most first, then by code.
    ///
    /// The definition, over records in memory. The census page reads the same figures from SQL
    /// (`CensusStore.summaries`), which tests hold to this.
    public static func summaries(current: [CensusRecord], previous: [CensusRecord], by grouping: Grouping) -> [Summary] {
        func key(_ record: CensusRecord) -> String? {
            switch grouping {
            case .district: record.enterprise.district
            case .park: record.enterprise.park
            }
        }
        func identity(_ record: CensusRecord) -> String { "\(record.enterprise.uscc)\u{1F}\(record.product.name)\u{1F}\(record.product.model)" }
        let before = Dictionary(previous.map { (identity($0), $0) }, uniquingKeysWith: { first, _ in first })
        let now = Set(current.map(identity))
        var groups: [String?: [CensusRecord]] = [:]
        for record in current { groups[key(record), default: []].append(record) }
        var dropped: [String?: Int] = [:]
        for record in previous where !now.contains(identity(record)) { dropped[key(record), default: 0] += 1 }
        let regions = Set(groups.keys).union(dropped.keys)
        return ordered(
            regions.map { region in
                let records = groups[region] ?? []
                let scores = records.map(completeness)
                return Summary(
                    region: region, enterprises: Set(records.map(\.enterprise.uscc)).count, products: records.count,
                    completeness: scores.isEmpty ? 0 : scores.reduce(0, +) / Double(scores.count),
                    new: records.filter { before[identity($0)] == nil }.count, dropped: dropped[region] ?? 0,
                    advanced: records.filter { record in before[identity(record)].map { $0.product.stage < record.product.stage } ?? false }.count)
            })
    }
}
