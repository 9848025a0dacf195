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
        var text = text
        // Byte by byte over the UTF-8: the separators are ASCII, and no byte of a multi-byte
        // character is ASCII, so fields are cut without decoding characters.
        let parsed = text.withUTF8 { bytes in Result<[[String]], Problem> { () throws(Problem) in try parse(bytes) } }
        return droppingTrailingEmptyRows(try parsed.get())
    }

    /// The rows of a file (`decode`'s encodings): UTF-8 is cut straight from the file's bytes, with
    /// no copy of the whole text (an import holds the file and its rows, not a third copy).
    public static func rows(of data: Data) throws(Problem) -> (rows: [[String]], encoding: String) {
        let utf8 = data.withUnsafeBytes { raw -> Result<[[String]], Problem>? in
            var bytes = UnsafeBufferPointer(start: raw.baseAddress?.assumingMemoryBound(to: UInt8.self), count: raw.count)
            if bytes.starts(with: byteOrderMark) { bytes = UnsafeBufferPointer(rebasing: bytes[3...]) }
            guard isValidUTF8(bytes) else { return nil }
            return Result { () throws(Problem) in try parse(bytes) }
        }
        if let utf8 { return (droppingTrailingEmptyRows(try utf8.get()), "UTF-8") }
        let (text, encoding) = try decode(data)
        return (try parse(text), encoding)
    }

    private static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    private static func droppingTrailingEmptyRows(_ rows: consuming [[String]]) -> [[String]] {
        var rows = rows
        while let last = rows.last, last.allSatisfy({ $0.trimmingWhitespace().isEmpty }) { rows.removeLast() }
        return rows
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(Problem) -> [[String]] {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        var rows: [[String]] = []
        var row: [String] = []
        var position = 0
        let end = bytes.count
        var quotedField: [UInt8] = []
        // A field equal to the one above it (an enterprise's name, address and contacts on each of
        // its products' rows) shares that one's storage: a sheet's rows are held once, not per row.
        var previous: [String] = []
        func text(of field: UnsafeBufferPointer<UInt8>, column: Int) -> String {
            // Up to 15 bytes a string is held inline, with nothing to share.
            if field.count > 15, column < previous.count {
                let above = previous[column]
                if above.utf8.count == field.count, above.utf8.elementsEqual(field) { return above }
            }
            return String(decoding: field, as: UTF8.self)
        }
        while position < end {
            // One field, starting at `position`.
            let field: String
            if bytes[position] == quote {
                quotedField.removeAll(keepingCapacity: true)
                position += 1
                var closed = false
                while position < end {
                    let byte = bytes[position]
                    position += 1
                    if byte == quote {
                        if position < end, bytes[position] == quote {
                            quotedField.append(quote)
                            position += 1
                        } else {
                            closed = true
                            break
                        }
                    } else {
                        quotedField.append(byte)
                    }
                }
                guard closed else { throw .unterminatedQuote(row: rows.count + 1) }
                // Text after the closing quote belongs to the field, as spreadsheets read it.
                let rest = position
                while position < end, bytes[position] != comma, bytes[position] != cr, bytes[position] != lf { position += 1 }
                quotedField.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[rest..<position]))
                field = quotedField.withUnsafeBufferPointer { text(of: $0, column: row.count) }
            } else {
                let start = position
                while position < end, bytes[position] != comma, bytes[position] != cr, bytes[position] != lf { position += 1 }
                field = text(of: UnsafeBufferPointer(rebasing: bytes[start..<position]), column: row.count)
            }
            row.append(field)
            guard position < end else { break }
            let separator = bytes[position]
            position += 1
            if separator == comma {
                // A separator at the very end leaves one more, empty, field.
                if position == end { row.append("") }
                continue
            }
            if separator == cr, position < end, bytes[position] == lf { position += 1 }
            rows.append(row)
            previous = row
            row = []
        }
        if !row.isEmpty { rows.append(row) }
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

    /// UTF-8 with a byte-order mark, so that Excel opens the Chinese correctly, and every cell that
    /// a spreadsheet would take for a formula (beginning with `=`, `+`, `-`, `@`, a tab or a carriage
    /// return) neutralised with a leading `'`, which the importer removes again
    /// (`restoringNeutralised`): `=cmd|' /C calc'!A0` opens as text, not as a command.
    public static func excelData(_ rows: [[String]]) -> Data {
        Data(byteOrderMark) + Data(render(rows.map { $0.map(neutralised) }).utf8)
    }

    static let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

    /// Whether a cell, after its leading `'`s, begins as a formula: such a cell gains one `'` on
    /// export and loses one on import, so every cell (one typed as `'=x` too) reads back as it was.
    static func beginsAsFormula(_ cell: String) -> Bool {
        cell.drop { $0 == "'" }.first.map(formulaStarts.contains) ?? false
    }

    static func neutralised(_ cell: String) -> String {
        beginsAsFormula(cell) ? "'" + cell : cell
    }

    /// The cells of a CSV file as they were before `excelData` neutralised them.
    public static func restoringNeutralised(_ rows: consuming [[String]]) -> [[String]] {
        // In place: a sheet without such a cell (the usual one) is not copied, so an import does
        // not hold its rows twice.
        var rows = rows
        for row in rows.indices {
            for column in rows[row].indices where rows[row][column].first == "'" && beginsAsFormula(rows[row][column]) {
                rows[row][column].removeFirst()
            }
        }
        return rows
    }
}
