import Foundation

/// The national monitoring system's export of adverse-event reports (国家医疗器械不良事件监测信息系统),
/// imported the census's way: one row a report, columns by Chinese header in any order, columns it
/// does not know left alone. A report is the system's by its 报告编码: a row whose code is already on
/// the platform is left as it is, so importing the same export twice adds nothing.
///
/// The product is named by its 注册证编号 or its 产品标识 (UDI-DI), or both (they must agree). Terms are
/// codes or the Chinese of the platform's list, separated by `、` `；` `,`. 报告时间 is the moment the
/// report reached the national system (`YYYY-MM-DD HH:mm`, or a day): lateness is decided by it; a
/// group event's row needs the minute on both 获知时间 and 报告时间 (its limit is 12 hours).
public enum AdverseEventSheet {
    public enum Column: String, CaseIterable, Sendable {
        case code = "报告编码"
        case certificate = "注册证编号"
        case udiDI = "产品标识"
        case lot = "批号"
        case serial = "序列号"
        case eventOn = "事件发生日期"
        case awareOn = "获知日期"
        case awareTime = "获知时间"
        case reportedAt = "报告时间"
        case seriousness = "伤害程度"
        case outcome = "患者结局"
        case terms = "事件术语"
        case reporterKind = "报告人类别"
        case reporterName = "报告单位"
        case narrative = "事件经过描述"
    }

    public static let required: [Column] = [.code, .eventOn, .awareOn, .reportedAt, .seriousness, .outcome, .terms, .narrative]

    public typealias Rows = SheetRows<Column>

    /// Finds the columns and keeps the data rows, or names what is wrong with the header.
    public static func read(_ rows: [[String]]) -> (rows: Rows?, problems: [RowProblem]) {
        Rows.read(rows, required: required, sheet: "不良事件报告")
    }

    /// Whether a header row is this sheet's (every required column, none twice).
    public static func isUsableHeader(_ header: [String]) -> Bool {
        SheetHeader.columns(of: header, required: required).problems.isEmpty
    }

    /// The column a field problem of a single report's write names.
    public static func column(forField field: String) -> Column? {
        let base = field.split(separator: "[").first.map(String.init) ?? field
        let byField: [String: Column] = [
            "certificate": .certificate, "udiDI": .udiDI, "product": .certificate, "lot": .lot, "serial": .serial, "eventOn": .eventOn,
            "awareOn": .awareOn, "awareTime": .awareTime, "seriousness": .seriousness, "outcome": .outcome, "terms": .terms,
            "narrative": .narrative,
        ]
        return byField[base]
    }

    // MARK: Cells

    /// 伤害程度 as the national system writes it (死亡 / 严重伤害 / 其他 / 一般), or our labels and codes.
    public static func seriousness(_ cell: String) -> EventSeriousness? {
        switch cell.trimmingWhitespace() {
        case "死亡": .death
        case "严重伤害": .seriousInjury
        case "其他", "一般", "非严重": .nonSerious
        case "群体", "群体事件": .groupEvent
        case "境外严重伤害", "境外死亡": .overseasSerious
        case let text: EventSeriousness(codeOrLabel: text)
        }
    }

    /// 报告人类别: 注册人 (also 持有人, 生产企业; blank too) or 医疗机构 (使用单位).
    public static func reporterKind(_ cell: String) -> ReporterKind? {
        switch cell.trimmingWhitespace() {
        case "", "持有人", "注册人", "生产企业", "注册人/备案人": .registrant
        case "医疗机构", "使用单位": .institution
        case let text: ReporterKind(codeOrLabel: text)
        }
    }

    /// 事件术语's parts (`、` `；` `;` `,` `，` between them).
    public static func terms(_ cell: String) -> [String] { CensusSheet.split(cell) }

    /// 报告时间 read as an instant in Shanghai: `YYYY-MM-DD HH:mm[:ss]` (also with `T` or `/`), or a day
    /// alone (`hasTime` false: the moment taken is the day's end, so a day's deadline is judged by its
    /// day). Nil when it is neither.
    public static func instant(_ cell: String) -> (at: Date, hasTime: Bool)? {
        let text = cell.trimmingWhitespace().replacingOccurrences(of: "/", with: "-").replacingOccurrences(of: "T", with: " ")
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard let first = parts.first, parts.count <= 2, let day = CivilDate(String(first)) else { return nil }
        guard parts.count == 2 else { return (ShanghaiTime.start(of: day.adding(days: 1)).addingTimeInterval(-60), false) }
        var time = String(parts[1])
        if time.count == 8, time.split(separator: ":").count == 3 { time = String(time.prefix(5)) }
        guard let minute = AdverseEventFacts.minute(of: time) else { return nil }
        return (ShanghaiTime.start(of: day).addingTimeInterval(TimeInterval(minute * 60)), true)
    }
}

/// What an import of the national export did, or would do.
public struct AdverseEventImportReport: Sendable, Equatable, Codable {
    public var dryRun: Bool
    public var committed = false
    public var rowsRead = 0
    /// Reports new to the platform.
    public var added = 0
    /// Rows whose 报告编码 the platform already holds (left as they are).
    public var unchanged = 0
    /// Of the reports added, those that reached the national system after their deadline.
    public var late = 0
    public var rejected: [RowProblem] = []

    public init(dryRun: Bool, rowsRead: Int = 0, rejected: [RowProblem] = []) {
        self.dryRun = dryRun
        self.rowsRead = rowsRead
        self.rejected = rejected
    }
}

/// The controlled term list as a sheet (事件术语表): one row a term, by its code. Terms the sheet does
/// not name are left as they are; a term is never deleted (reports name it), only retired (停用).
public enum EventTermSheet {
    public enum Column: String, CaseIterable, Sendable {
        case code = "术语编码"
        case kind = "术语类别"
        case chinese = "中文名称"
        case english = "英文名称"
        case status = "状态"
    }

    public static let required: [Column] = [.code, .kind, .chinese, .english]

    public typealias Rows = SheetRows<Column>

    public static func read(_ rows: [[String]]) -> (rows: Rows?, problems: [RowProblem]) {
        Rows.read(rows, required: required, sheet: "事件术语")
    }

    public static func isUsableHeader(_ header: [String]) -> Bool {
        SheetHeader.columns(of: header, required: required).problems.isEmpty
    }

    /// 启用 (blank too) / 停用; nil for anything else.
    public static func active(_ cell: String) -> Bool? {
        switch cell.trimmingWhitespace() {
        case "", "启用": true
        case "停用": false
        default: nil
        }
    }

    /// A code: letters, digits, `-` `_` `.`, at most 20.
    public static func isValidCode(_ code: String) -> Bool {
        !code.isEmpty && code.count <= 20
            && code.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0)) }
    }
}

/// What an import of the term list did, or would do.
public struct EventTermImportReport: Sendable, Equatable, Codable {
    public var dryRun: Bool
    public var committed = false
    public var rowsRead = 0
    public var added = 0
    public var updated = 0
    public var unchanged = 0
    public var rejected: [RowProblem] = []

    public init(dryRun: Bool, rowsRead: Int = 0, rejected: [RowProblem] = []) {
        self.dryRun = dryRun
        self.rowsRead = rowsRead
        self.rejected = rejected
    }
}
