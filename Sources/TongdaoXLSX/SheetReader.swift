import Foundation

/// Reads a worksheet part (`xl/worksheets/sheetN.xml`) into rows of cell text, as it inflates: each
/// row is handed on once it is complete, so the sheet's XML is never held whole.
struct SheetReader {
    let sharedStrings: [String]
    let dateStyles: [Bool]
    let dates: XLSX.DateSystem
    let limits: XLSX.Limits

    /// The row being read (its number; 0 before the first) and the last row handed on.
    private var current: [String] = []
    private var currentNumber = 0
    private var emitted = 0
    // The cell being read.
    private var cellColumn = 0
    private var cellType = ""
    private var cellStyle = 0
    private var value = ""
    private var inlineText = ""
    private var reading: Reading = .nothing
    private var phoneticDepth = 0
    private var nextRow = 1
    private var nextColumn = 1
    private var inSheetData = false
    private var inCell = false

    private enum Reading { case nothing, value, inlineText }

    /// Where rows go: false stops the reading after that row.
    typealias Emit = ([String]) -> Bool

    init(sharedStrings: [String], dateStyles: [Bool], dates: XLSX.DateSystem, limits: XLSX.Limits) {
        self.sharedStrings = sharedStrings
        self.dateStyles = dateStyles
        self.dates = dates
        self.limits = limits
    }

    /// A whole worksheet's rows.
    mutating func read(_ bytes: [UInt8]) throws(XLSX.Problem) -> [[String]] {
        var scanner = XMLScanner(bytes)
        var rows: [[String]] = []
        let emit: Emit = {
            rows.append($0); return true
        }
        _ = try consume(&scanner, emit: emit)
        _ = finish(emit: emit)
        return rows
    }

    /// Reads the events the scanner has, handing on each row as it completes (rows Excel left out
    /// because they are empty as empty rows). False once `emit` asked to stop.
    mutating func consume(_ scanner: inout XMLScanner, emit: Emit) throws(XLSX.Problem) -> Bool {
        while let event = try scanner.next() {
            switch event {
            case .start(let name, let attributes, let selfClosing):
                let local = XMLScanner.localName(name)
                if local == "sheetData" {
                    inSheetData = !selfClosing
                    continue
                }
                guard inSheetData else { continue }
                switch local {
                case "row":
                    guard try startRow(attributes.first { $0.name == "r" }?.value, emit: emit) else { return false }
                case "c":
                    guard try startCell(attributes, emit: emit) else { return false }
                    inCell = !selfClosing
                    if selfClosing { finishCell() }
                case "v" where inCell && !selfClosing:
                    reading = .value
                case "t" where inCell && !selfClosing && phoneticDepth == 0:
                    reading = .inlineText
                case "rPh" where !selfClosing:
                    phoneticDepth += 1
                default:
                    break
                }
            case .end(let name):
                switch XMLScanner.localName(name) {
                case "sheetData":
                    inSheetData = false
                    guard flush(emit: emit) else { return false }
                case "c" where inCell:
                    inCell = false
                    finishCell()
                case "v", "t": reading = .nothing
                case "rPh": phoneticDepth -= 1
                default: break
                }
            case .text(let text):
                switch reading {
                case .value: value += text
                case .inlineText: inlineText += text
                case .nothing: break
                }
            }
        }
        return true
    }

    /// At the end of the document: the last row, if it was not handed on yet.
    mutating func finish(emit: Emit) -> Bool {
        flush(emit: emit)
    }

    /// Hands on the row being read, without its trailing empty cells.
    private mutating func flush(emit: Emit) -> Bool {
        guard currentNumber > emitted else { return true }
        while current.last?.isEmpty == true { current.removeLast() }
        emitted = currentNumber
        let row = current
        current = []
        return emit(row)
    }

    private mutating func startRow(_ reference: String?, emit: Emit) throws(XLSX.Problem) -> Bool {
        var number = nextRow
        if let reference {
            guard let parsed = Int(reference), parsed >= nextRow else { throw XLSX.Problem("工作表的行号“\(reference)”无效或顺序颠倒") }
            number = parsed
        }
        guard number <= limits.rows else { throw XLSX.Problem("工作表超过 \(limits.rows) 行") }
        guard flush(emit: emit) else { return false }
        // Rows Excel left out because they are empty are kept as empty rows.
        while emitted < number - 1 {
            emitted += 1
            guard emit([]) else { return false }
        }
        currentNumber = number
        nextRow = number + 1
        nextColumn = 1
        return true
    }

    private mutating func startCell(_ attributes: [(name: Substring, value: String)], emit: Emit) throws(XLSX.Problem) -> Bool {
        if currentNumber == 0 { guard try startRow(nil, emit: emit) else { return false } }
        cellColumn = nextColumn
        cellType = "n"
        cellStyle = 0
        for (name, text) in attributes {
            switch name {
            case "r":
                guard let column = Self.column(of: text) else { throw XLSX.Problem("工作表的单元格引用“\(text)”无效") }
                cellColumn = column
            case "t": cellType = text
            case "s": cellStyle = Int(text) ?? 0
            default: break
            }
        }
        guard cellColumn <= limits.columns else { throw XLSX.Problem("工作表超过 \(limits.columns) 列") }
        nextColumn = cellColumn + 1
        value = ""
        inlineText = ""
        reading = .nothing
        return true
    }

    private mutating func finishCell() {
        let text: String
        switch cellType {
        case "s":
            text = Int(value).flatMap { $0 >= 0 && $0 < sharedStrings.count ? sharedStrings[$0] : nil } ?? ""
        case "inlineStr":
            text = XLSX.unescape(inlineText)
        case "str", "e":
            text = XLSX.unescape(value)
        case "b":
            text = value == "1" ? "TRUE" : value == "0" ? "FALSE" : value
        case "d":
            // An ISO 8601 date; midnight is a plain date.
            text = value.hasSuffix("T00:00:00") || value.hasSuffix("T00:00:00Z") ? String(value.prefix(10)) : value
        default:
            text = number(value)
        }
        guard !text.isEmpty else { return }
        if current.count < cellColumn { current.append(contentsOf: repeatElement("", count: cellColumn - current.count)) }
        current[cellColumn - 1] = text
    }

    /// A number cell as text: dates in a date style, integers without `.0` or an exponent, other
    /// numbers to the 15 significant digits Excel keeps and shows (`8249.049999999999` is `8249.05`).
    private func number(_ raw: String) -> String {
        let trimmed = raw.trimmingSpaces
        guard !trimmed.isEmpty, let number = Double(trimmed) else { return trimmed }
        if cellStyle < dateStyles.count, dateStyles[cellStyle], let date = dates.text(number) { return date }
        if number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
        return String(format: "%.15g", number)
    }

    /// The 1-based column of a reference like `AB12`.
    static func column(of reference: String) -> Int? {
        var column = 0
        var letters = 0
        for byte in reference.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): column = column * 26 + Int(byte - UInt8(ascii: "A")) + 1
            case UInt8(ascii: "a")...UInt8(ascii: "z"): column = column * 26 + Int(byte - UInt8(ascii: "a")) + 1
            case UInt8(ascii: "$"): continue
            default:
                return letters > 0 ? column : nil
            }
            letters += 1
            if letters > 3 { return nil }
        }
        return letters > 0 ? column : nil
    }
}

extension String {
    var trimmingSpaces: String {
        var slice = Substring(self)
        while slice.first?.isWhitespace == true { slice.removeFirst() }
        while slice.last?.isWhitespace == true { slice.removeLast() }
        return String(slice)
    }
}
