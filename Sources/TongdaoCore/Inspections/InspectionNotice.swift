import Foundation

/// The yearly notice of the trial institutions' inspection results (检查结果信息通报, the city's plan:
/// results shared across departments), for the health commission: each inspection of a trial
/// institution closed in the year with its conclusion and its findings by grade, and the year's totals.
/// Evidence notes are never part of it.
public struct InspectionNotice: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var inspection: UUID
        public var institution: String
        /// The district's name (or its code when unknown; nil for one outside Shanghai).
        public var district: String?
        public var types: [InspectionType]
        public var onSite: String?
        public var closedOn: CivilDate
        public var conclusion: InspectionConclusion?
        public var severe: Int
        public var major: Int
        public var general: Int
        /// Findings left unrectified at closure.
        public var unresolved: Int
        /// On the key-supervision list now.
        public var listed: Bool

        public init(
            inspection: UUID, institution: String, district: String?, types: [InspectionType], onSite: String?, closedOn: CivilDate,
            conclusion: InspectionConclusion?, severe: Int, major: Int, general: Int, unresolved: Int, listed: Bool
        ) {
            self.inspection = inspection
            self.institution = institution
            self.district = district
            self.types = types
            self.onSite = onSite
            self.closedOn = closedOn
            self.conclusion = conclusion
            self.severe = severe
            self.major = major
            self.general = general
            self.unresolved = unresolved
            self.listed = listed
        }
    }

    public var year: Int
    /// By institution, then by the day closed.
    public var rows: [Row]

    public init(year: Int, rows: [Row]) {
        self.year = year
        self.rows = rows.sorted { ($0.institution, $0.closedOn, $0.inspection.uuidString) < ($1.institution, $1.closedOn, $1.inspection.uuidString) }
    }

    public var institutions: Int { Set(rows.map(\.institution)).count }
    public func count(_ conclusion: InspectionConclusion) -> Int { rows.count { $0.conclusion == conclusion } }
    public var findings: (severe: Int, major: Int, general: Int) {
        (rows.reduce(0) { $0 + $1.severe }, rows.reduce(0) { $0 + $1.major }, rows.reduce(0) { $0 + $1.general })
    }
    public var unresolved: Int { rows.reduce(0) { $0 + $1.unresolved } }

    /// The year in one sentence, in Chinese.
    public var summary: String {
        let found = findings
        return "\(year) 年共对 \(institutions) 家临床试验机构结案检查 \(rows.count) 次：符合要求 \(count(.compliant)) 次，不符合要求 \(count(.nonCompliant)) 次；"
            + "发现严重缺陷 \(found.severe) 项、主要缺陷 \(found.major) 项、一般缺陷 \(found.general) 项，逾期未整改 \(unresolved) 项。"
    }

    /// The notice as a sheet: a header and one row an inspection, in Chinese, codes by their labels.
    public var table: [[String]] {
        [["机构", "所在区", "检查类型", "现场检查", "结案日期", "检查结论", "严重缺陷", "主要缺陷", "一般缺陷", "逾期未整改", "重点监管"]]
            + rows.map { row in
                [
                    row.institution, row.district ?? "外省市", row.types.map(\.label).joined(separator: "、"), row.onSite ?? "",
                    row.closedOn.description, row.conclusion?.label ?? "", String(row.severe), String(row.major), String(row.general),
                    String(row.unresolved), row.listed ? "是" : "否",
                ]
            }
    }
}
