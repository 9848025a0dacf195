import Foundation

/// Spreadsheet text as districts send it: CSV (RFC 4180) in UTF-8, with or without a byte-order
/// mark, or in GB18030 (what Excel and WPS save as "CSV" on Chinese Windows).
public enum CSV {
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case unknownEncoding
        case unterminatedQuote(row: Int)

        public var description: String {
            switch self {
            case .unknownEncoding: "文件编码无法识别：请保存为 UTF-8 或 GB18030（GBK）编码的 CSV"
            case .unterminatedQuote(let row): "第 \(row) 行的引号没有闭合"
            }
        }
    }

    /// GB18030 (a superset of GBK and GB2312), as Foundation names it.
    public static let gb18030 = String.Encoding(rawValue: 0x8000_0632)
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// The text of a file: UTF-8 when it is valid UTF-8 (a leading BOM dropped), otherwise GB18030.
    public static func decode(_ data: Data) throws(Problem) -> (text: String, encoding: String) {
        var bytes = data
        if bytes.starts(with: byteOrderMark) { bytes = bytes.dropFirst(3) }
        if let text = String(data: bytes, encoding: .utf8) { return (text, "UTF-8") }
        if let text = String(data: data, encoding: gb18030) { return (text, "GB18030") }
        throw .unknownEncoding
    }

    /// Rows of fields. Quoted fields may hold separators, quotes (doubled) and line breaks; CRLF,
    /// LF and CR all end a row; trailing empty rows are dropped.
    public static func parse(_ text: String) throws(Problem) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var fieldStarted = false
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let scalar = pending { pending = nil; return scalar }
            return iterator.next()
        }
        while let scalar = next() {
            if quoted {
                if scalar == "\"" {
                    if let following = next() {
                        if following == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; pending = following }
                    } else {
                        quoted = false
                    }
                } else {
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where !fieldStarted:
                quoted = true
                fieldStarted = true
            case ",":
                row.append(field)
                field = ""
                fieldStarted = false
            case "\r", "\n":
                if scalar == "\r", let following = next(), following != "\n" { pending = following }
                row.append(field)
                rows.append(row)
                row = []
                field = ""
                fieldStarted = false
            default:
                field.unicodeScalars.append(scalar)
                fieldStarted = true
            }
        }
        if quoted { throw .unterminatedQuote(row: rows.count + 1) }
        if fieldStarted || !field.isEmpty || !row.isEmpty {
            row.append(field)
            rows.append(row)
        }
        while let last = rows.last, last.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { rows.removeLast() }
        return rows
    }

    /// CSV text with CRLF line ends, quoting only the fields that need it.
    public static func render(_ rows: [[String]]) -> String {
        rows.map { row in
            row.map { field in
                guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
                return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }.joined(separator: ",")
        }.joined(separator: "\r\n") + "\r\n"
    }

    /// UTF-8 with a byte-order mark, so that Excel opens the Chinese correctly.
    public static func excelData(_ rows: [[String]]) -> Data {
        Data(byteOrderMark) + Data(render(rows).utf8)
    }
}
