import Foundation

/// One product's declaration in a year's census (年度注册意向), read from or written to a sheet.
public struct CensusRecord: Sendable, Equatable {
    /// The sheet row it came from (the header is row 1), 0 when it was not read from a sheet.
    public var row: Int
    public var enterprise: EnterpriseDraft
    /// The product, with the year's declared stage, expected filing and channels.
    public var product: ProductDraft
    /// 指导需求, declared with the year's plan.
    public var guidanceNeeds: String?

    public init(row: Int = 0, enterprise: EnterpriseDraft, product: ProductDraft, guidanceNeeds: String? = nil) {
        self.row = row
        self.enterprise = enterprise
        self.product = product
        self.guidanceNeeds = guidanceNeeds
    }
}

/// A problem with one cell (or a whole row) of an imported sheet, in Chinese, for the report.
public struct RowProblem: Sendable, Equatable, Codable {
    public var row: Int
    public var column: String
    public var reason: String

    public init(row: Int, column: String, reason: String) {
        self.row = row
        self.column = column
        self.reason = reason
    }
}

/// Reading the header row of an imported sheet whose columns are named by their Chinese titles, in
/// any order (the census, the trial registry, the inspector pool).
public enum SheetHeader {
    /// Where each column is in `header` (titles trimmed, a byte-order mark dropped; a title `known`
    /// refuses, or no column's, left alone), and what is wrong: a column twice, a required one
    /// missing (the sheet named in the reason when `sheet` is given).
    public static func columns<Column: RawRepresentable & Hashable>(
        of header: [String], known: (Column) -> Bool = { _ in true }, required: [Column], sheet: String? = nil
    ) -> (index: [Column: Int], problems: [RowProblem]) where Column.RawValue == String {
        var index: [Column: Int] = [:]
        var problems: [RowProblem] = []
        for (position, title) in header.enumerated() {
            let name = title.replacingOccurrences(of: "\u{FEFF}", with: "").trimmingWhitespace()
            guard let column = Column(rawValue: name), known(column) else { continue }
            if index[column] != nil { problems.append(RowProblem(row: 1, column: name, reason: "表头重复")) }
            index[column] = position
        }
        for column in required where index[column] == nil {
            problems.append(RowProblem(row: 1, column: column.rawValue, reason: sheet.map { "缺少必填列（\($0)表）" } ?? "缺少必填列"))
        }
        return (index, problems)
    }

    /// The rows after the header, each with its row number in the file (the header is row 1); blank
    /// rows left out.
    public static func dataRows(_ rows: [[String]]) -> [(number: Int, cells: [String])] {
        rows.enumerated().dropFirst().compactMap { offset, cells in
            cells.allSatisfy { $0.trimmingWhitespace().isEmpty } ? nil : (number: offset + 1, cells: cells)
        }
    }
}

/// A sheet's data rows with their columns found by header (the inspector pool, the adverse-event
/// export, the term list).
public struct SheetRows<Column: RawRepresentable & Hashable & Sendable>: Sendable where Column.RawValue == String {
    let index: [Column: Int]
    /// The data rows, each with its row number in the file (the header is row 1); blank rows left out.
    public let rows: [(number: Int, cells: [String])]

    /// Finds the columns in the header row and keeps the data rows, or names what is wrong with the
    /// header (a column twice, a required one missing) as problems of row 1.
    public static func read(_ rows: [[String]], required: [Column], sheet: String) -> (rows: SheetRows?, problems: [RowProblem]) {
        guard let header = rows.first else { return (nil, [RowProblem(row: 1, column: "", reason: "文件为空：第 1 行应为表头")]) }
        let (index, problems) = SheetHeader.columns(of: header, required: required, sheet: sheet)
        guard problems.isEmpty else { return (nil, problems) }
        return (SheetRows(index: index, rows: SheetHeader.dataRows(rows)), [])
    }

    /// A cell, trimmed ("" when the column is missing or the row is short).
    public func cell(_ row: [String], _ column: Column) -> String {
        guard let position = index[column], position < row.count else { return "" }
        return row[position].trimmingWhitespace()
    }

    /// A cell, nil when blank.
    public func value(_ row: [String], _ column: Column) -> String? {
        let text = cell(row, column)
        return text.isEmpty ? nil : text
    }

    public func hasColumn(_ column: Column) -> Bool { index[column] != nil }
}

/// The census spreadsheet: columns by Chinese header, in any order.
public enum CensusSheet {
    public enum Column: String, CaseIterable, Sendable {
        case enterpriseName = "企业名称"
        case uscc = "统一社会信用代码"
        case district = "所属区"
        case park = "所属园区"
        case productName = "产品名称"
        case model = "型号规格"
        case category = "产品类别"
        case managementClass = "管理类别"
        case classificationCode = "分类编码"
        case keyAreas = "重点领域"
        case stage = "研发阶段"
        case expectedFiling = "预计申报时间"
        case channels = "拟申请通道"
        case contactName = "联系人"
        case contactPhone = "联系电话"
        /// Optional: not among the columns districts were first sent; read when present, always written.
        case guidanceNeeds = "指导需求"

        /// The column's place in `allCases` (a switch: hashing the Chinese raw value costs more).
        var slot: Int {
            switch self {
            case .enterpriseName: 0
            case .uscc: 1
            case .district: 2
            case .park: 3
            case .productName: 4
            case .model: 5
            case .category: 6
            case .managementClass: 7
            case .classificationCode: 8
            case .keyAreas: 9
            case .stage: 10
            case .expectedFiling: 11
            case .channels: 12
            case .contactName: 13
            case .contactPhone: 14
            case .guidanceNeeds: 15
            }
        }

        public static let required: [Column] = [.enterpriseName, .uscc, .district, .productName, .managementClass, .stage]
    }

    /// Region names and codes, for reading 所属区 / 所属园区 as either.
    public struct Regions: Sendable {
        var districtsByKey: [String: String] = [:]
        var parksByKey: [String: (code: String, district: String)] = [:]
        var names: [String: String] = [:]

        public init(_ regions: [Region]) {
            for region in regions {
                names[region.code] = region.name
                switch region.level {
                case .district:
                    districtsByKey[region.code] = region.code
                    districtsByKey[region.name] = region.code
                case .park:
                    let entry = (region.code, region.parentCode ?? "")
                    parksByKey[region.code] = entry
                    parksByKey[region.name] = entry
                case .province, .city:
                    break
                }
            }
        }

        public func name(_ code: String?) -> String { code.flatMap { names[$0] } ?? "" }
    }

    /// A cell without surrounding white space (spaces, tabs, line breaks, full-width spaces).
    static func trim(_ text: String) -> String { text.trimmingWhitespace() }

    /// Splits several values in one cell: 、 ; ； , ，
    /// 预计申报时间: `YYYY-MM`, or a whole date (`YYYY-MM-DD`, what a spreadsheet's date cell reads as)
    /// taken as its month.
    static func month(_ cell: String) -> YearMonth? {
        if let month = YearMonth(cell) { return month }
        let utf8 = Array(cell.utf8)
        guard utf8.count == 10 || (utf8.count > 10 && utf8[10] == UInt8(ascii: " ")), utf8[7] == UInt8(ascii: "-"),
            let day = Int(String(decoding: utf8[8..<10], as: UTF8.self)), (1...31).contains(day)
        else { return nil }
        return YearMonth(String(decoding: utf8[0..<7], as: UTF8.self))
    }

    static func split(_ cell: String) -> [String] {
        guard !cell.isEmpty else { return [] }
        return cell.unicodeScalars.split(whereSeparator: { separators.contains($0) }).map { trim(String($0)) }.filter { !$0.isEmpty }
    }

    private static let separators: Set<Unicode.Scalar> = ["、", ";", "；", ",", "，"]

    /// Where each column is in a header row, and what is wrong with it (a column twice, a required
    /// one missing).
    static func columns(of header: [String]) -> (index: [Column: Int], problems: [RowProblem]) {
        SheetHeader.columns(of: header, required: Column.required)
    }

    /// Whether a header row names every required column once: a sheet whose header is not is
    /// reported on its header alone, its other rows never read.
    public static func isUsableHeader(_ header: [String]) -> Bool {
        columns(of: header).problems.isEmpty
    }

    public static func read(_ rows: [[String]], regions: Regions) -> (records: [CensusRecord], problems: [RowProblem], rowsRead: Int) {
        guard let header = rows.first else {
            return ([], [RowProblem(row: 1, column: "", reason: "文件为空：第 1 行应为表头")], 0)
        }
        let dataRows = rows.dropFirst()
        var (index, problems) = columns(of: header)
        guard problems.isEmpty else { return ([], problems, dataRows.count { !$0.allSatisfy { $0.trimmingWhitespace().isEmpty } }) }

        // Rows are independent: large sheets are read in parts, one per core, and put back in order.
        let positions = Column.allCases.map { index[$0] }
        let parts = rows.count < 2_000 ? 1 : max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
        let size = (dataRows.count + parts - 1) / max(parts, 1)
        let results = ResultSlots(count: parts)
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            var result = Part()
            let start = min(dataRows.startIndex + part * size, dataRows.endIndex)
            for offset in start..<min(start + size, dataRows.endIndex) {
                switch record(of: dataRows[offset], number: offset + 1, positions: positions, regions: regions) {
                case .none: continue
                case .record(let record): result.records.append(record)
                case .problems(let found): result.problems += found
                }
                result.read += 1
            }
            results.set(part, result)
        }
        var records: [CensusRecord] = []
        records.reserveCapacity(dataRows.count)
        var rowsRead = 0
        for part in results.values {
            records += part.records
            problems += part.problems
            rowsRead += part.read
        }
        return (records, problems, rowsRead)
    }

    /// What one part of a sheet gave: its records, its problems, and how many rows were not blank.
    private struct Part {
        var records: [CensusRecord] = []
        var problems: [RowProblem] = []
        var read = 0
    }

    /// The outcome of one row: blank, a record, or its problems (every one of them).
    enum RowOutcome {
        case none
        case record(CensusRecord)
        case problems([RowProblem])
    }

    /// Each part's result, written from its own thread.
    private final class ResultSlots: @unchecked Sendable {
        private let lock = NSLock()
        private var slots: [Part]

        init(count: Int) { slots = Array(repeating: Part(), count: count) }

        func set(_ index: Int, _ value: Part) {
            lock.lock()
            defer { lock.unlock() }
            slots[index] = value
        }

        var values: [Part] {
            lock.lock()
            defer { lock.unlock() }
            return slots
        }
    }

    private static let enterpriseColumns: [String: Column] = [
        "uscc": .uscc, "name": .enterpriseName, "district": .district, "park": .park, "contactName": .contactName, "contactPhone": .contactPhone,
    ]
    private static let productColumns: [String: Column] = [
        "name": .productName, "model": .model, "classificationCode": .classificationCode, "keyAreas": .keyAreas, "channels": .channels,
    ]

    /// Reads one data row (`number` is its row in the sheet); `positions` are the columns' places, in `Column.allCases` order.
    static func record(of row: [String], number rowNumber: Int, positions: [Int?], regions: Regions) -> RowOutcome {
        var cells = [String](repeating: "", count: Column.allCases.count)
        var blank = true
        for (slot, position) in positions.enumerated() {
            guard let position, position < row.count else { continue }
            let text = trim(row[position])
            if !text.isEmpty { blank = false }
            cells[slot] = text
        }
        // A blank row is skipped.
        if blank, row.allSatisfy({ $0.trimmingWhitespace().isEmpty }) { return .none }
        var rowProblems: [RowProblem] = []
        func cell(_ column: Column) -> String { cells[column.slot] }
        func problem(_ column: Column, _ reason: String) {
            rowProblems.append(RowProblem(row: rowNumber, column: column.rawValue, reason: reason))
        }
        for column in Column.required where cell(column).isEmpty {
            problem(column, "必填")
        }
        let uscc = cell(.uscc).uppercased()
        var district = ""
        if !cell(.district).isEmpty {
            if let code = regions.districtsByKey[cell(.district)] { district = code } else { problem(.district, "不是上海市的区：\(cell(.district))") }
        }
        var park: String?
        if !cell(.park).isEmpty {
            if let entry = regions.parksByKey[cell(.park)] {
                park = entry.code
                if !district.isEmpty, entry.district != district { problem(.park, "园区「\(cell(.park))」不在\(regions.name(district))") }
            } else {
                problem(.park, "未登记的园区：\(cell(.park))")
            }
        }
        let category = cell(.category).isEmpty ? ProductCategory.device : ProductCategory(codeOrLabel: cell(.category))
        if category == nil { problem(.category, "应为 \(ProductCategory.labelList) 之一") }
        let managementClass = ManagementClass(codeOrLabel: cell(.managementClass))
        if managementClass == nil, !cell(.managementClass).isEmpty { problem(.managementClass, "应为 第一类、第二类、第三类（或 I、II、III）之一") }
        let stage = DevelopmentStage(codeOrLabel: cell(.stage))
        if stage == nil, !cell(.stage).isEmpty { problem(.stage, "应为 \(DevelopmentStage.labelList) 之一") }
        var keyAreas: [KeyArea] = []
        for text in split(cell(.keyAreas)) {
            if let area = KeyArea(codeOrLabel: text) { keyAreas.append(area) } else { problem(.keyAreas, "未知的重点领域：\(text)") }
        }
        var channels: [FilingChannel] = []
        for text in split(cell(.channels)) {
            if let channel = FilingChannel(codeOrLabel: text) { channels.append(channel) } else { problem(.channels, "未知的申请通道：\(text)") }
        }
        var expectedFiling: YearMonth?
        if !cell(.expectedFiling).isEmpty {
            expectedFiling = Self.month(cell(.expectedFiling))
            if expectedFiling == nil { problem(.expectedFiling, "应为 YYYY-MM 格式的年月") }
        }
        let enterprise = EnterpriseDraft(
            uscc: uscc, name: cell(.enterpriseName), district: district, park: park, kind: .registrant,
            contactName: cell(.contactName).isEmpty ? nil : cell(.contactName),
            contactPhone: cell(.contactPhone).isEmpty ? nil : cell(.contactPhone))
        let product = ProductDraft(
            name: cell(.productName), model: cell(.model), category: category ?? .device, managementClass: managementClass ?? .two,
            classificationCode: cell(.classificationCode).isEmpty ? nil : cell(.classificationCode), keyAreas: keyAreas,
            stage: stage ?? .intention, expectedFiling: expectedFiling, channels: channels)
        // Rules of the drafts themselves, for the cells not already reported.
        let reported = Set(rowProblems.map(\.column))
        for issue in enterprise.problems() {
            guard let column = enterpriseColumns[issue.field], !reported.contains(column.rawValue), !cell(column).isEmpty else { continue }
            problem(column, issue.chinese)
        }
        for issue in product.problems() {
            guard let column = productColumns[issue.field], !reported.contains(column.rawValue), !cell(column).isEmpty || column == .channels else {
                continue
            }
            problem(column, issue.chinese)
        }
        let needs = cell(.guidanceNeeds)
        if let issue = CensusDeclaration.guidanceNeedsProblem(needs) ?? TextRules.problem("guidanceNeeds", needs, multiline: true) {
            problem(.guidanceNeeds, issue.chinese)
        }
        return rowProblems.isEmpty
            ? .record(CensusRecord(row: rowNumber, enterprise: enterprise, product: product, guidanceNeeds: needs.isEmpty ? nil : needs))
            : .problems(rowProblems)
    }

    /// The sheet of a list of records: the header, then one row each, with labels and region names.
    public static func rows(_ records: [CensusRecord], regions: Regions) -> [[String]] {
        var rows = [Column.allCases.map(\.rawValue)]
        rows.reserveCapacity(records.count + 1)
        for record in records {
            let e = record.enterprise, p = record.product
            rows.append(
                Column.allCases.map { column in
                    switch column {
                    case .enterpriseName: e.name
                    case .uscc: e.uscc
                    case .district: regions.name(e.district)
                    case .park: regions.name(e.park)
                    case .productName: p.name
                    case .model: p.model
                    case .category: p.category.label
                    case .managementClass: p.managementClass.label
                    case .classificationCode: p.classificationCode ?? ""
                    case .keyAreas: p.keyAreas.map(\.label).joined(separator: "、")
                    case .stage: p.stage.label
                    case .expectedFiling: p.expectedFiling?.description ?? ""
                    case .channels: p.channels.map(\.label).joined(separator: "、")
                    case .contactName: e.contactName ?? ""
                    case .contactPhone: e.contactPhone ?? ""
                    case .guidanceNeeds: record.guidanceNeeds ?? ""
                    }
                })
        }
        return rows
    }
}
