import Foundation

/// The inspector pool as a sheet (检查员库), imported and exported the census's way: one row an
/// inspector, columns named by their Chinese header in any order, columns it does not know (the
/// year's record an export adds) left alone. The lists of a record are cells of entries, one a
/// line (notes keep their `；`), each entry's fields separated by `|`:
///
/// * 任职经历 `单位名称 | 统一社会信用代码 | 起始日期 | 结束日期` (the code and the end may be blank);
/// * 申报的利益关系 `关联单位 | 统一社会信用代码 | 关系类型 | 申报日期 | 说明`;
/// * 培训记录 `培训日期 | 培训课程 | 学时`.
///
/// A `|` inside a text is written as the full-width `｜`.
public enum InspectorSheet {
    public enum Column: String, CaseIterable, Sendable {
        /// Our id of the inspector: blank for one new to the pool.
        case id = "检查员编号"
        case name = "姓名"
        /// The linked user account's username.
        case username = "关联账号"
        case categories = "检查员类别"
        case specialties = "检查专业"
        case fullTime = "专职或兼职"
        case rank = "组长或组员"
        case capacityDays = "年度可用检查天数"
        case status = "状态"
        case employments = "任职经历"
        case relationships = "申报的利益关系"
        case trainings = "培训记录"

        /// How many fields each entry of a list column has.
        public var entryFields: Int? {
            switch self {
            case .employments: 4
            case .relationships: 5
            case .trainings: 3
            default: nil
            }
        }
    }

    /// The columns a sheet cannot be read without.
    public static let required: [Column] = [.name, .categories, .specialties, .fullTime, .rank, .capacityDays]

    /// The column a field problem of a write names (the API's field name: `employments[1].from`).
    public static func column(forField field: String) -> Column? {
        let base = field.split(separator: "[").first.map(String.init) ?? field
        let byField: [String: Column] = [
            "id": .id, "username": .username, "name": .name, "categories": .categories, "specialties": .specialties, "fullTime": .fullTime,
            "rank": .rank, "capacityDays": .capacityDays, "active": .status, "employments": .employments,
            "relationships": .relationships, "trainings": .trainings,
        ]
        return byField[base]
    }

    /// The 1-based entry a field problem names (`employments[1].from` → 2), if it names one.
    public static func entry(ofField field: String) -> Int? {
        guard let open = field.firstIndex(of: "["), let close = field[open...].firstIndex(of: "]") else { return nil }
        return Int(field[field.index(after: open)..<close]).map { $0 + 1 }
    }

    // MARK: Reading

    /// A sheet's data rows with their columns found by header.
    public typealias Rows = SheetRows<Column>

    /// Finds the columns in the header row and keeps the data rows, or names what is wrong with the
    /// header (a column twice, a required one missing) as problems of row 1.
    public static func read(_ rows: [[String]]) -> (rows: Rows?, problems: [RowProblem]) {
        Rows.read(rows, required: required, sheet: "检查员库")
    }

    /// Whether a header row is this sheet's (every required column, none twice).
    public static func isUsableHeader(_ header: [String]) -> Bool { columns(of: header).problems.isEmpty }

    private static func columns(of header: [String]) -> (index: [Column: Int], problems: [RowProblem]) {
        SheetHeader.columns(of: header, required: required, sheet: "检查员库")
    }

    // MARK: Cells

    /// `药品、医疗器械` (also `;` `；` `,` `，` between them) read as its parts.
    public static func parts(_ cell: String) -> [String] { CensusSheet.split(cell) }

    /// A list cell's entries (one a line), each as its fields (trimmed; a field left out at the end is
    /// blank), or the 1-based number of the first entry with more fields than `fields`.
    public static func entries(_ cell: String, fields: Int) -> Result<[[String]], EntryProblem> {
        var entries: [[String]] = []
        for line in cell.split(whereSeparator: \.isNewline) {
            var values = line.split(separator: "|", omittingEmptySubsequences: false).map { String($0).trimmingWhitespace() }
            guard values.count > 1 || !values[0].isEmpty else { continue }
            guard values.count <= fields else { return .failure(EntryProblem(entry: entries.count + 1, found: values.count)) }
            values += Array(repeating: "", count: fields - values.count)
            entries.append(values)
        }
        return .success(entries)
    }

    public struct EntryProblem: Error, Equatable {
        public var entry: Int
        public var found: Int
    }

    /// A list cell written from its entries (the inverse of `entries`; a `|` in a value becomes `｜`).
    public static func cell(_ entries: [[String]]) -> String {
        entries.map { $0.map { $0.replacingOccurrences(of: "|", with: "｜") }.joined(separator: " | ") }.joined(separator: "\n")
    }

    /// 专职 / 兼职 (also 是 / 否 for “full time”); nil for anything else.
    public static func fullTime(_ cell: String) -> Bool? {
        switch cell.trimmingWhitespace() {
        case "专职", "是": true
        case "兼职", "否": false
        default: nil
        }
    }

    /// 在库 (blank too) / 已退出; nil for anything else.
    public static func active(_ cell: String) -> Bool? {
        switch cell.trimmingWhitespace() {
        case "", "在库": true
        case "已退出": false
        default: nil
        }
    }
}

/// What an import of the inspector pool did, or would do.
public struct InspectorImportReport: Sendable, Equatable, Codable {
    public var dryRun: Bool
    /// Whether the rows were written (false for a dry run and for a sheet with rejected rows).
    public var committed: Bool
    public var rowsRead: Int
    public var added: Int
    public var updated: Int
    public var unchanged: Int
    public var rejected: [RowProblem]

    public init(
        dryRun: Bool, committed: Bool = false, rowsRead: Int = 0, added: Int = 0, updated: Int = 0, unchanged: Int = 0,
        rejected: [RowProblem] = []
    ) {
        self.dryRun = dryRun
        self.committed = committed
        self.rowsRead = rowsRead
        self.added = added
        self.updated = updated
        self.unchanged = unchanged
        self.rejected = rejected
    }
}
