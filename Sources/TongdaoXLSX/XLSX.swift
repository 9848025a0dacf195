import Foundation
import TongdaoCore
import ZIPFoundation

/// XLSX workbooks (Office Open XML spreadsheets) as rows of text: what an import reads from a sheet
/// saved by Excel or WPS, and what an export writes for them.
public enum XLSX {
    /// The media type of an XLSX file.
    public static let mediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    /// Why a file cannot be read as a workbook, in Chinese for the person who uploaded it.
    public struct Problem: Error, Equatable, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    /// Limits that keep a hostile or broken file from exhausting memory.
    public struct Limits: Sendable {
        /// Largest uncompressed part (worksheet, shared strings) accepted.
        public var partBytes: Int
        /// Most rows and columns read from a worksheet.
        public var rows: Int
        public var columns: Int

        public init(partBytes: Int = 512 * 1024 * 1024, rows: Int = 1_048_576, columns: Int = 16_384) {
            self.partBytes = partBytes
            self.rows = rows
            self.columns = columns
        }
    }

    /// Whether data starts like a ZIP archive, which every XLSX file is.
    public static func looksLikeWorkbook(_ data: Data) -> Bool {
        data.starts(with: [0x50, 0x4B, 0x03, 0x04])
    }
}

// MARK: - Reading

extension XLSX {
    /// The first worksheet (the first tab) as rows of cell text. Row and column gaps are kept as empty
    /// rows and cells, so `rows[i][j]` is the cell Excel shows in row `i + 1`, column `j + 1`.
    ///
    /// Shared strings, inline strings and formula results are read as their text; numbers as written
    /// (integers without a decimal point); numbers in a date format as `YYYY-MM-DD` (with the time if
    /// there is one), in the workbook's 1900 or 1904 date system.
    ///
    /// The sheet is read as it inflates, never held whole, and no more of it than `limits` allow:
    /// `keepReading` sees each row as it is read and may stop the reading there (an import whose
    /// header is wrong reads no further than its first row). The rows read until then are returned.
    public static func rows(of data: Data, limits: Limits = Limits(), keepReading: ([String]) -> Bool = { _ in true }) throws(Problem)
        -> [[String]]
    {
        let package = try Package(data: data, limits: limits)
        let workbook = try package.workbook()
        let sharedStrings = try workbook.sharedStringsPath.map { path throws(Problem) in try package.sharedStrings(at: path) } ?? []
        let styles = try workbook.stylesPath.map { path throws(Problem) in try package.dateStyles(at: path) } ?? []
        var reader = SheetReader(
            sharedStrings: sharedStrings, dateStyles: styles, dates: workbook.date1904 ? .from1904 : .from1900, limits: limits)
        var rows: [[String]] = []
        func emit(_ row: [String]) -> Bool {
            rows.append(row)
            return keepReading(row)
        }
        var scanner = XMLScanner(streaming: ())
        let finished = try package.stream(workbook.firstSheetPath) { chunk throws(Problem) -> Bool in
            scanner.append(chunk)
            return try reader.consume(&scanner, emit: emit)
        }
        if finished {
            scanner.finish()
            if try reader.consume(&scanner, emit: emit) { _ = reader.finish(emit: emit) }
        }
        return rows
    }

    /// The parts of the ZIP archive by path.
    struct Package {
        let archive: Archive
        let entries: [String: Entry]
        let limits: Limits

        init(data: Data, limits: Limits) throws(Problem) {
            let unreadable = Problem("不是有效的 XLSX 文件（无法按 ZIP 格式解开）；请确认文件是 Excel 或 WPS 保存的 .xlsx")
            guard looksLikeWorkbook(data) else { throw unreadable }
            let archive: Archive
            do {
                archive = try Archive(data: data, accessMode: .read, pathEncoding: nil)
            } catch {
                throw unreadable
            }
            var entries: [String: Entry] = [:]
            for entry in archive where entry.type == .file {
                entries[entry.path.replacingOccurrences(of: "\\", with: "/").lowercased()] = entry
            }
            self.archive = archive
            self.entries = entries
            self.limits = limits
        }

        /// The bytes of a part, or nil when the archive has none at that path.
        func part(_ path: String) throws(Problem) -> [UInt8]? {
            guard entries[path.lowercased()] != nil else { return nil }
            var bytes: [UInt8] = []
            _ = try stream(path) { chunk throws(Problem) -> Bool in
                bytes.append(contentsOf: chunk)
                return true
            }
            return bytes
        }

        /// Thrown inside the archive's extraction to stop it.
        private struct Stop: Error {}

        /// Inflates a part chunk by chunk into `body`, which may stop it (false). Refused before
        /// anything is inflated when its header says it is larger than `limits.partBytes`, and
        /// stopped as soon as it inflates past that (a header may lie): nothing is reserved for the
        /// size a header claims. True when the whole part was read.
        func stream(_ path: String, _ body: (Data) throws(Problem) -> Bool) throws(Problem) -> Bool {
            guard let entry = entries[path.lowercased()] else {
                throw Problem("XLSX 文件中找不到工作表（\(path)）")
            }
            let tooLarge = Problem("XLSX 文件中的“\(path)”解压后超过 \(limits.partBytes / 1_048_576) MB，无法导入")
            guard entry.uncompressedSize <= UInt64(limits.partBytes) else { throw tooLarge }
            let limit = limits.partBytes
            var inflated = 0
            do {
                _ = try archive.extract(entry, bufferSize: 64 * 1024, skipCRC32: false) { chunk in
                    inflated += chunk.count
                    if inflated > limit { throw tooLarge }
                    guard try body(chunk) else { throw Stop() }
                }
            } catch is Stop {
                return false
            } catch let problem as Problem {
                throw problem
            } catch {
                throw Problem("XLSX 文件中的“\(path)”无法解压（文件可能已损坏）")
            }
            return true
        }

        struct Workbook {
            var firstSheetPath: String
            var sharedStringsPath: String?
            var stylesPath: String?
            var date1904: Bool
        }

        /// Where the first sheet, the shared strings and the styles are, from the workbook and its
        /// relationships; the conventional paths when a producer left those out.
        func workbook() throws(Problem) -> Workbook {
            var relationships: [String: (type: String, target: String)] = [:]
            if let bytes = try part("xl/_rels/workbook.xml.rels") {
                var scanner = XMLScanner(bytes)
                while let event = try scanner.next() {
                    guard case .start(let name, let attributes, _) = event, XMLScanner.localName(name) == "Relationship" else { continue }
                    let value = { (key: String) in attributes.first { $0.name == key }?.value }
                    guard let id = value("Id"), let target = value("Target") else { continue }
                    relationships[id] = (value("Type") ?? "", Self.resolve(target))
                }
            }
            var firstSheet: String?
            var date1904 = false
            if let bytes = try part("xl/workbook.xml") {
                var scanner = XMLScanner(bytes)
                while let event = try scanner.next() {
                    guard case .start(let name, let attributes, _) = event else { continue }
                    switch XMLScanner.localName(name) {
                    case "workbookPr":
                        let flag = attributes.first { XMLScanner.localName($0.name) == "date1904" }?.value
                        date1904 = flag == "1" || flag == "true"
                    case "sheet" where firstSheet == nil:
                        // The relationship id is `r:id` under whichever prefix the producer chose.
                        if let id = attributes.first(where: { $0.name.contains(":") && XMLScanner.localName($0.name) == "id" })?.value {
                            firstSheet = relationships[id]?.target
                        }
                    default:
                        break
                    }
                }
            } else {
                throw Problem("不是 XLSX 工作簿：文件中没有 xl/workbook.xml（若是 .xls 或 .et 文件，请另存为 .xlsx 或 CSV）")
            }
            func related(_ suffix: String, fallback: String) -> String? {
                if let path = relationships.values.first(where: { $0.type.hasSuffix(suffix) })?.target { return path }
                return entries[fallback.lowercased()] == nil ? nil : fallback
            }
            return Workbook(
                firstSheetPath: firstSheet ?? "xl/worksheets/sheet1.xml",
                sharedStringsPath: related("/sharedStrings", fallback: "xl/sharedStrings.xml"),
                stylesPath: related("/styles", fallback: "xl/styles.xml"),
                date1904: date1904)
        }

        /// A relationship target as a path in the archive: relative to `xl/`, or absolute from the root.
        static func resolve(_ target: String) -> String {
            if target.hasPrefix("/") { return String(target.dropFirst()) }
            var parts = ["xl"]
            for component in target.split(separator: "/") {
                switch component {
                case ".": continue
                case "..": _ = parts.popLast()
                default: parts.append(String(component))
                }
            }
            return parts.joined(separator: "/")
        }

        /// The shared string table. Rich text is read as its plain text; phonetic guides (`rPh`) are left out.
        func sharedStrings(at path: String) throws(Problem) -> [String] {
            guard let bytes = try part(path) else { return [] }
            var strings: [String] = []
            var scanner = XMLScanner(bytes)
            var current = ""
            var inText = false
            var phoneticDepth = 0
            while let event = try scanner.next() {
                switch event {
                case .start(let name, _, let selfClosing):
                    switch XMLScanner.localName(name) {
                    case "si":
                        current = ""
                        if selfClosing { strings.append("") }
                    case "t": inText = !selfClosing
                    case "rPh": if !selfClosing { phoneticDepth += 1 }
                    default: break
                    }
                case .end(let name):
                    switch XMLScanner.localName(name) {
                    case "si": strings.append(XLSX.unescape(current))
                    case "t": inText = false
                    case "rPh": phoneticDepth -= 1
                    default: break
                    }
                case .text(let text):
                    if inText, phoneticDepth == 0 { current += text }
                }
            }
            return strings
        }

        /// For each cell style (`s` index), whether its number format shows a date or time.
        func dateStyles(at path: String) throws(Problem) -> [Bool] {
            guard let bytes = try part(path) else { return [] }
            var customFormats: [Int: String] = [:]
            var styles: [Bool] = []
            var inCellFormats = false
            var scanner = XMLScanner(bytes)
            while let event = try scanner.next() {
                switch event {
                case .start(let name, let attributes, let selfClosing):
                    let value = { (key: String) in attributes.first { $0.name == key }?.value }
                    switch XMLScanner.localName(name) {
                    case "numFmt":
                        if let id = value("numFmtId").flatMap({ Int($0) }), let code = value("formatCode") { customFormats[id] = code }
                    case "cellXfs":
                        inCellFormats = !selfClosing
                    case "xf" where inCellFormats:
                        let id = value("numFmtId").flatMap { Int($0) } ?? 0
                        styles.append(XLSX.isDateFormat(id: id, code: customFormats[id]))
                    default:
                        break
                    }
                case .end(let name):
                    if XMLScanner.localName(name) == "cellXfs" { inCellFormats = false }
                case .text:
                    break
                }
            }
            return styles
        }
    }

    /// Whether a number format shows dates or times: the built-in date formats (including the ones
    /// Chinese Excel and WPS number 27–36 and 50–58), or a custom code with a date or time part
    /// outside quotes, escapes and brackets.
    static func isDateFormat(id: Int, code: String?) -> Bool {
        switch id {
        case 14...22, 27...36, 45...47, 50...58: return true
        default: break
        }
        guard let code else { return false }
        var inQuotes = false
        var inBrackets = false
        var escaped = false
        for character in code {
            if escaped { escaped = false; continue }
            if inQuotes {
                if character == "\"" { inQuotes = false }
                continue
            }
            if inBrackets {
                if character == "]" { inBrackets = false }
                continue
            }
            switch character {
            // `\x` is a literal, `_x` a space the width of x, `*x` x repeated to fill.
            case "\\", "_", "*": escaped = true
            case "\"": inQuotes = true
            case "[": inBrackets = true
            // Only the first section (positive numbers) decides; `@` is text.
            case ";", "@": return false
            case "y", "Y", "m", "M", "d", "D", "h", "H", "s", "S": return true
            default: break
            }
        }
        return false
    }

    /// Replaces the `_xHHHH_` escapes Excel writes for characters XML cannot hold.
    static func unescape(_ text: String) -> String {
        guard text.contains("_x") else { return text }
        var output = ""
        var rest = Substring(text)
        while let range = rest.range(of: "_x") {
            output += rest[..<range.lowerBound]
            let after = rest[range.upperBound...]
            let hex = after.prefix(4)
            if hex.count == 4, after.dropFirst(4).first == "_", let value = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(value) {
                output.unicodeScalars.append(scalar)
                rest = after.dropFirst(5)
            } else {
                output += "_x"
                rest = after
            }
        }
        return output + rest
    }

    /// Serial day numbers as calendar dates.
    enum DateSystem {
        /// Day 1 is 1900-01-01, and Excel keeps Lotus's 1900-02-29 (day 60).
        case from1900
        /// Day 0 is 1904-01-01 (old Mac workbooks).
        case from1904

        /// `YYYY-MM-DD`, with ` HH:MM:SS` when the serial has a time of day, or just the time below day 1.
        func text(_ serial: Double) -> String? {
            guard serial.isFinite, serial >= 0, serial < 2_958_466 else { return nil }
            var day = Int(serial.rounded(.down))
            var seconds = Int(((serial - Double(day)) * 86_400).rounded())
            if seconds == 86_400 { day += 1; seconds = 0 }
            let time = String(format: "%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
            if self == .from1900, day == 0 { return time }
            let daysFrom1970: Int
            switch self {
            case .from1900:
                if day == 60 { return seconds == 0 ? "1900-02-29" : "1900-02-29 \(time)" }
                daysFrom1970 = day - (day < 60 ? 25_568 : 25_569)
            case .from1904:
                daysFrom1970 = day - 24_107
            }
            let date = CivilDate(dayNumber: daysFrom1970).description
            return seconds == 0 ? date : "\(date) \(time)"
        }

    }
}
