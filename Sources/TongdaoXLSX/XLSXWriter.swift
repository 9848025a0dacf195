import Foundation
import ZIPFoundation

extension XLSX {
    /// A workbook with one worksheet holding `rows` as text cells (so codes, phone numbers and months
    /// stay exactly as written when the sheet is edited and imported again). The first row is the
    /// header: bold, frozen, with filters.
    public static func workbook(sheetName: String, rows: [[String]]) throws -> Data {
        let archive = try Archive(accessMode: .create)
        let width = rows.map(\.count).max() ?? 0
        let parts: [(String, String)] = [
            ("[Content_Types].xml", contentTypes),
            ("_rels/.rels", packageRelationships),
            ("xl/workbook.xml", workbookXML(sheetName: safeSheetName(sheetName))),
            ("xl/_rels/workbook.xml.rels", workbookRelationships),
            ("xl/styles.xml", stylesXML),
            ("xl/worksheets/sheet1.xml", worksheetXML(rows: rows, width: width)),
        ]
        for (path, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate
            ) { position, size in
                data.subdata(in: Int(position)..<(Int(position) + size))
            }
        }
        guard let data = archive.data else { throw Problem("无法生成 XLSX 文件") }
        return data
    }

    /// Excel refuses sheet names over 31 characters or with `[]:*?/\`.
    static func safeSheetName(_ name: String) -> String {
        let cleaned = String(name.map { "[]:*?/\\".contains($0) ? "_" : $0 }.prefix(31))
        return cleaned.isEmpty ? "Sheet1" : cleaned
    }

    /// `A`, `B`, … `Z`, `AA`, … for a 1-based column.
    static func columnName(_ column: Int) -> String {
        var column = column
        var name: [Character] = []
        while column > 0 {
            let remainder = (column - 1) % 26
            name.insert(Character(Unicode.Scalar(UInt8(ascii: "A") + UInt8(remainder))), at: 0)
            column = (column - 1) / 26
        }
        return String(name)
    }

    /// Text for an XML element or attribute: markup characters as entities, and characters XML 1.0
    /// cannot hold (and literal `_xHHHH_` sequences) in Excel's `_xHHHH_` escape.
    static func escape(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        var scalars = text.unicodeScalars[...]
        while let scalar = scalars.popFirst() {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "\r": output += "_x000D_"
            case "_" where isEscapeSequence(scalars):
                output += "_x005F_"
            default:
                if scalar.value < 0x20 && scalar != "\n" && scalar != "\t" || (0xFFFE...0xFFFF).contains(scalar.value) {
                    output += String(format: "_x%04X_", scalar.value)
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output
    }

    /// Whether what follows an underscore reads as `xHHHH_`.
    private static func isEscapeSequence(_ rest: Substring.UnicodeScalarView) -> Bool {
        let next = Array(rest.prefix(6))
        return next.count == 6 && next[0] == "x" && next[5] == "_" && next[1...4].allSatisfy { $0.properties.isASCIIHexDigit }
    }

    private static func worksheetXML(rows: [[String]], width: Int) -> String {
        var xml = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
        xml += #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
        if width > 0 {
            xml += #"<dimension ref="A1:\#(columnName(width))\#(max(rows.count, 1))"/>"#
        }
        xml +=
            #"<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>"#
        xml += #"<sheetFormatPr defaultRowHeight="15"/>"#
        if width > 0 {
            // Text format for whole columns, so values typed later stay text too; widths from the header.
            xml += "<cols>"
            for column in 1...width {
                let header = rows.first.flatMap { column <= $0.count ? $0[column - 1] : nil } ?? ""
                let characters = header.unicodeScalars.reduce(0) { $0 + ($1.value > 0x2E80 ? 2 : 1) }
                xml += #"<col min="\#(column)" max="\#(column)" width="\#(max(12, characters + 4))" style="2" customWidth="1"/>"#
            }
            xml += "</cols>"
        }
        xml += "<sheetData>"
        for (index, row) in rows.enumerated() {
            let number = index + 1
            xml += #"<row r="\#(number)">"#
            for (offset, cell) in row.enumerated() where !cell.isEmpty {
                let style = index == 0 ? 1 : 2
                let space = cell.first?.isWhitespace == true || cell.last?.isWhitespace == true ? #" xml:space="preserve""# : ""
                xml += #"<c r="\#(columnName(offset + 1))\#(number)" s="\#(style)" t="inlineStr"><is><t\#(space)>\#(escape(cell))</t></is></c>"#
            }
            xml += "</row>"
        }
        xml += "</sheetData>"
        if width > 0, !rows.isEmpty {
            xml += #"<autoFilter ref="A1:\#(columnName(width))\#(rows.count)"/>"#
        }
        xml += "</worksheet>"
        return xml
    }

    private static func workbookXML(sheetName: String) -> String {
        #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
            + #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#
            + #"<workbookPr/><sheets><sheet name="\#(escape(sheetName))" sheetId="1" r:id="rId1"/></sheets>"#
            + "</workbook>"
    }

    private static let contentTypes =
        #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
        + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#
        + #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#
        + #"<Default Extension="xml" ContentType="application/xml"/>"#
        + #"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#
        + #"<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
        + #"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#
        + "</Types>"

    private static let packageRelationships =
        #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
        + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        + #"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>"#
        + "</Relationships>"

    private static let workbookRelationships =
        #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
        + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        + #"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>"#
        + #"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#
        + "</Relationships>"

    /// Styles: 0 the default, 1 the bold header, 2 text (`@`) for the data.
    private static let stylesXML =
        #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
        + #"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
        + #"<fonts count="2"><font><sz val="11"/><name val="等线"/><family val="2"/><charset val="134"/></font>"#
        + #"<font><b/><sz val="11"/><name val="等线"/><family val="2"/><charset val="134"/></font></fonts>"#
        + #"<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>"#
        + #"<fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/><bgColor indexed="64"/></patternFill></fill></fills>"#
        + #"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#
        + #"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#
        + #"<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#
        + #"<xf numFmtId="49" fontId="1" fillId="2" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1" applyFill="1"/>"#
        + #"<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>"#
        + #"<cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles>"#
        + "</styleSheet>"
}
