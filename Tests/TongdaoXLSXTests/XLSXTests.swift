import Foundation
import Testing
import TongdaoXLSX
import ZIPFoundation

@testable import TongdaoXLSX

/// A workbook built part by part, to read files the way other producers write them.
private func workbook(_ parts: [String: String]) throws -> Data {
    let archive = try Archive(accessMode: .create)
    for (path, text) in parts.sorted(by: { $0.key < $1.key }) {
        let data = Data(text.utf8)
        try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
            data.subdata(in: Int(position)..<(Int(position) + size))
        }
    }
    return try #require(archive.data)
}

private let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
private let relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

@Suite("XLSX workbooks")
struct XLSXTests {
    @Test("what the writer writes, the reader reads back cell for cell")
    func roundTrip() throws {
        let rows = [
            ["企业名称", "统一社会信用代码", "备注"],
            ["上海联影医疗科技股份有限公司", "91310114MA1GT35K9X", "A&B <c> \"d\" 'e'"],
            [],
            ["", "中间的空单元格", "", "尾部"],
            ["  前后空格  ", "换行\n第二行\r\n第三行", "制表\t符"],
            ["字面 _x0041_ 不是转义", "控制字符\u{1}与\u{1F}", "😀 emoji 与 𠀀"],
            ["0012", "2027-03", "13812345678"],
        ]
        let data = try XLSX.workbook(sheetName: "2026年度注册意向", rows: rows)
        #expect(XLSX.looksLikeWorkbook(data))
        let read = try XLSX.rows(of: data)
        #expect(read == rows.map { row in Array(row.reversed().drop(while: \.isEmpty).reversed()) })
    }

    @Test("sheet names Excel refuses are made safe")
    func sheetNames() {
        #expect(XLSX.safeSheetName("a/b:c[d]") == "a_b_c_d_")
        #expect(XLSX.safeSheetName(String(repeating: "年", count: 40)).count == 31)
        #expect(XLSX.safeSheetName("") == "Sheet1")
        #expect(XLSX.columnName(1) == "A" && XLSX.columnName(26) == "Z" && XLSX.columnName(27) == "AA" && XLSX.columnName(16_384) == "XFD")
    }

    /// The parts as Excel writes them: shared strings with rich text and phonetic guides, styles with
    /// built-in and custom date formats, prefixed elements, absolute relationship targets, rows and
    /// cells Excel leaves out when empty, and cells without references.
    static func excelStyleParts(date1904: Bool = false) -> [String: String] {
        [
            "[Content_Types].xml":
                #"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#,
            "xl/workbook.xml": """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <x:workbook xmlns:x="\(main)" xmlns:rel="\(relationships)">
              <x:workbookPr\(date1904 ? #" date1904="1""# : "") defaultThemeVersion="164011"/>
              <x:sheets><x:sheet name="填报说明" sheetId="2" rel:id="rId7"/><x:sheet name="Sheet2" sheetId="1" rel:id="rId3"/></x:sheets>
            </x:workbook>
            """,
            "xl/_rels/workbook.xml.rels": """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
            <Relationship Id="rId3" Type="\(relationships)/worksheet" Target="worksheets/sheet2.xml"/>
            <Relationship Id="rId7" Type="\(relationships)/worksheet" Target="/xl/worksheets/sheet1.xml"/>
            <Relationship Id="rId8" Type="\(relationships)/sharedStrings" Target="strings.xml"/>
            <Relationship Id="rId9" Type="\(relationships)/styles" Target="./styles.xml"/>
            </Relationships>
            """,
            "xl/strings.xml": """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <sst xmlns="\(main)" count="5" uniqueCount="5">
            <si><t>产品名称</t></si>
            <si><r><rPr><b/></rPr><t xml:space="preserve">手术</t></r><r><t>机器人</t></r><rPh sb="0" eb="2"><t>しゅじゅつ</t></rPh></si>
            <si><t>A &amp; B &lt;x&gt; &#x4E0A;&#28023;</t></si>
            <si><t>第一行_x000D_
            第二行</t></si>
            <si/>
            </sst>
            """,
            "xl/styles.xml": """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <styleSheet xmlns="\(main)">
            <numFmts count="3"><numFmt numFmtId="176" formatCode="yyyy\\-mm;@"/><numFmt numFmtId="177" formatCode="0.00_ "/>
            <numFmt numFmtId="178" formatCode="[$-F800]dddd\\,\\ mmmm\\ dd\\,\\ yyyy"/></numFmts>
            <cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs>
            <cellXfs count="6"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="176"/><xf numFmtId="177"/><xf numFmtId="49"/><xf numFmtId="22"/></cellXfs>
            </styleSheet>
            """,
            "xl/worksheets/sheet1.xml": """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="\(main)" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac">
            <dimension ref="A1:F4"/><sheetData>
            <row r="1" spans="1:6" x14ac:dyDescent="0.25"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row>
            <row r="3"><c r="A3" t="s"><v>2</v></c><c t="s"><v>3</v></c><c r="D3" s="1"><v>46447</v></c><c r="E3" s="2"><v>46447</v></c><c r="F3" s="3"><v>1.5</v></c><c r="G3"><v>8249.0499999999993</v></c></row>
            <row r="4"><c r="A4"><v>13812345678</v></c><c r="B4"><v>1.3812345678E+10</v></c><c r="C4" t="b"><v>1</v></c><c r="D4" t="str"><f>A1&amp;"x"</f><v>产品名称x</v></c>
            <c r="E4" t="inlineStr"><is><t>内联</t></is></c><c r="F4" s="5"><v>46349.5</v></c><c r="G4" t="e"><v>#N/A</v></c><c r="H4" t="s"><v>4</v></c><c r="I4" s="4"/></row>
            </sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>
            """,
            "xl/worksheets/sheet2.xml":
                "<worksheet xmlns=\"\(main)\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>not the first tab</t></is></c></row></sheetData></worksheet>",
        ]
    }

    @Test("a workbook as Excel and WPS save it: the first tab, shared strings, dates, numbers, gaps")
    func excelStyle() throws {
        let rows = try XLSX.rows(of: workbook(Self.excelStyleParts()))
        #expect(rows.count == 4)
        #expect(rows[0] == ["产品名称", "", "手术机器人"])
        #expect(rows[1] == [])
        #expect(rows[2] == ["A & B <x> 上海", "第一行\r\n第二行", "", "2027-03-01", "2027-03-01", "1.5", "8249.05"])
        #expect(rows[3] == ["13812345678", "13812345678", "TRUE", "产品名称x", "内联", "2026-11-23 12:00:00", "#N/A"])
    }

    @Test("dates in a 1904 workbook count from 1904-01-01")
    func dates1904() throws {
        var parts = Self.excelStyleParts(date1904: true)
        parts["xl/worksheets/sheet1.xml"] =
            "<worksheet xmlns=\"\(main)\"><sheetData><row><c s=\"1\"><v>44985</v></c><c s=\"1\"><v>0</v></c></row></sheetData></worksheet>"
        #expect(try XLSX.rows(of: workbook(parts)) == [["2027-03-01", "1904-01-01"]])
    }

    @Test(
        "serial day numbers in the 1900 system, Lotus's leap day included",
        arguments: [
            (1.0, "1900-01-01"), (59, "1900-02-28"), (60, "1900-02-29"), (61, "1900-03-01"), (45_658, "2025-01-01"),
            (46_447, "2027-03-01"), (0.75, "18:00:00"), (2_958_465, "9999-12-31"),
        ])
    func serials(serial: Double, expected: String) {
        #expect(XLSX.DateSystem.from1900.text(serial) == expected)
    }

    @Test(
        "which number formats are dates",
        arguments: [
            (14, nil, true), (0, nil, false), (49, nil, false), (31, nil, true), (57, nil, true), (176, "yyyy\\-mm;@", true),
            (177, "0.00_ ", false), (178, "#,##0.00_);[Red](#,##0.00)", false), (179, "\"年\"0", false), (180, "[h]:mm:ss", true),
            (181, "0.00E+00", false), (182, "@", false), (183, "yyyy\"年\"m\"月\"", true), (184, "General", false),
        ] as [(Int, String?, Bool)])
    func dateFormats(id: Int, code: String?, isDate: Bool) {
        #expect(XLSX.isDateFormat(id: id, code: code) == isDate)
    }

    @Test("files that are not workbooks get a reason in Chinese")
    func unreadable() throws {
        let notZip = Data("企业名称,产品名称\n".utf8)
        #expect(throws: XLSX.Problem.self) { try XLSX.rows(of: notZip) }

        let noWorkbook = try workbook(["word/document.xml": "<w:document/>"])
        let problem = try #require(throws: XLSX.Problem.self) { try XLSX.rows(of: noWorkbook) }
        #expect(problem.description.contains("xl/workbook.xml"))

        var truncated = Self.excelStyleParts()
        truncated["xl/worksheets/sheet1.xml"] = "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr"
        #expect(throws: XLSX.Problem.self) { try XLSX.rows(of: workbook(truncated)) }

        var backwards = Self.excelStyleParts()
        backwards["xl/worksheets/sheet1.xml"] = "<worksheet><sheetData><row r=\"3\"/><row r=\"2\"/></sheetData></worksheet>"
        #expect(throws: XLSX.Problem.self) { try XLSX.rows(of: workbook(backwards)) }
    }

    @Test("a part larger than the limit is refused before it fills memory")
    func limits() throws {
        let rows = (1...2_000).map { ["第 \($0) 行", String(repeating: "数据", count: 20)] }
        let data = try XLSX.workbook(sheetName: "大表", rows: rows)
        let problem = try #require(throws: XLSX.Problem.self) {
            try XLSX.rows(of: data, limits: XLSX.Limits(partBytes: 64 * 1024))
        }
        #expect(problem.description.contains("xl/worksheets/sheet1.xml"))
        #expect(throws: XLSX.Problem.self) { try XLSX.rows(of: data, limits: XLSX.Limits(rows: 1_000)) }
        #expect(try XLSX.rows(of: data).count == 2_000)
    }
}
