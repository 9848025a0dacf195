import Foundation
import Testing
import TongdaoCore

@testable import TongdaoCore

@Suite("Products: codes and drafts")
struct ProductTests {
    @Test("GTIN-14 check digits: GS1's published example validates, any changed digit does not")
    func gtin() {
        // GS1 General Specifications, check digit calculation example: 614141 00002 → 9.
        #expect(GTIN.checkDigit(for: "0061414100002") == "9", "GS1's worked example 614141 00002 has check digit 9")
        #expect(GTIN.isValid("00614141000029"))
        #expect(!GTIN.isValid("00614141000028"))
        #expect(!GTIN.isValid("0061414100002"), "13 digits")
        #expect(!GTIN.isValid("0061414100002X"))
        var generator = SplitMix64(seed: 14)
        for _ in 0..<300 {
            let body = String((0..<13).map { _ in Character(String(Int.random(in: 0...9, using: &generator))) })
            let code = body + String(GTIN.checkDigit(for: body)!)
            #expect(GTIN.isValid(code))
            var changed = Array(code)
            let index = Int.random(in: 0..<14, using: &generator)
            changed[index] = Character(String((changed[index].wholeNumberValue! + Int.random(in: 1...9, using: &generator)) % 10))
            #expect(!GTIN.isValid(String(changed)), "\(String(changed))")
        }
    }

    @Test(
        "classification codes: 01–22, optionally with a two-digit second level",
        arguments: [
            ("01", true), ("22", true), ("03-13", true), ("00", false), ("23", false), ("3", false), ("03-1", false), ("03-00", false),
            ("03-13-01", false),
        ])
    func classification(code: String, valid: Bool) {
        #expect(ClassificationCode.isValid(code) == valid)
    }

    @Test(
        "months are YYYY-MM and nothing else",
        arguments: [("2027-03", true), ("2027-3", false), ("2027-13", false), ("27-03", false), ("2027/03", false)])
    func months(text: String, valid: Bool) {
        #expect((YearMonth(text) != nil) == valid)
    }

    @Test(
        "a census month cell may be a whole date, as a spreadsheet's date cell reads; the month is kept",
        arguments: [
            ("2027-03", "2027-03"), ("2027-03-01", "2027-03"), ("2027-03-15 00:00:00", "2027-03"), ("2027-03-32", nil),
            ("2027-13-01", nil), ("2027/03/01", nil), ("2027-03-1", nil),
        ] as [(String, String?)])
    func censusMonths(cell: String, month: String?) {
        #expect(CensusSheet.month(cell)?.description == month)
    }

    @Test("codes read from their code or their Chinese label; stages are ordered")
    func labels() {
        #expect(KeyArea(codeOrLabel: "手术机器人") == .surgicalRobot)
        #expect(KeyArea(codeOrLabel: "surgical_robot") == .surgicalRobot)
        #expect(ManagementClass(codeOrLabel: " 第三类 ") == .three)
        #expect(FilingChannel(codeOrLabel: "国家创新特别审查") == .nationalInnovative)
        #expect(DevelopmentStage(codeOrLabel: "robotics") == nil)
        #expect(DevelopmentStage.intention < .clinical && DevelopmentStage.clinical < .approval)
        #expect(Set(KeyArea.allCases.map(\.label)).count == KeyArea.allCases.count, "labels are unambiguous")
    }

    @Test("a draft's problems name each field")
    func problems() {
        var draft = ProductDraft(name: "手术导航定位系统", model: "TN-1", managementClass: .three, classificationCode: "01-03", keyAreas: [.surgicalRobot])
        #expect(draft.problems().isEmpty)
        draft.name = "x"
        draft.classificationCode = "99"
        draft.keyAreas = [.ai, .ai]
        draft.channels = [.shanghaiPriority]
        draft.udiDI = "00614141000028"
        #expect(draft.problems().map(\.field) == ["name", "classificationCode", "keyAreas", "channels", "udiDI"])
    }
}

@Suite("CSV sheets")
struct CSVTests {
    @Test("quoted fields keep separators, quotes and line breaks; CRLF, LF and CR end rows")
    func parse() throws {
        let text = "a,\"b,1\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",x,\ry,z\n\n"
        #expect(try CSV.parse(text) == [["a", "b,1", "say \"hi\""], ["two\nlines", "x", ""], ["y", "z"]])
        #expect(throws: CSV.Problem.unterminatedQuote(row: 1)) { try CSV.parse("a,\"open") }
    }

    @Test("what spreadsheets leave: text after a closing quote, a trailing separator, a quote inside a bare field, blank rows at the end")
    func edges() throws {
        #expect(try CSV.parse("\"a\"b,c,\r\nd\"e,\"\"\r\n\r\n ,\u{3000}\r\n") == [["ab", "c", ""], ["d\"e", ""]])
        #expect(try CSV.parse("") == [])
        #expect(throws: CSV.Problem.unterminatedQuote(row: 2)) { try CSV.parse("a\n\"b\"\"\n") }
    }

    @Test("white space is trimmed as Character.isWhitespace sees it, full-width spaces included; a clean string comes back as it was")
    func trimming() {
        for text in ["", " ", "\u{3000}", "a", " a", "a ", "\t示例\u{3000}", "\r\n浦东 新区\n", "\u{00A0}x\u{2003}", "e\u{301} "] {
            let expected = text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()
            #expect(text.trimmingWhitespace() == String(expected), "\(text.unicodeScalars.map(\.value))")
        }
    }

    @Test("a UUID's text is read as Foundation reads it: either case; a wrong length, dash, digit or a space is no UUID")
    func uuidText() {
        for _ in 0..<1_000 {
            let id = UUID()
            #expect(UUID(text: id.uuidString) == id && UUID(text: id.uuidString.lowercased()) == id)
        }
        let text = "0123ABCD-4567-89EF-FEDC-BA9876543210"
        #expect(UUID(text: text) == UUID(uuidString: text))
        for bad in [
            "", String(text.dropLast()), text + "0", text.replacingOccurrences(of: "-", with: "_"), "G" + text.dropFirst(),
            "0123ABCD4567-89EF-FEDC-BA98765432100", "０123ABCD-4567-89EF-FEDC-BA987654321", " " + text.dropFirst(),
        ] {
            // Foundation's scanning lets a space stand for a leading digit; this reads digits only.
            #expect(UUID(text: bad) == nil, "\(bad)")
        }
    }

    @Test("the quick answer to whether a scalar is white space is Unicode's, for every scalar")
    func whitespaceScalars() {
        let differing = (0...0x10_FFFF).compactMap(Unicode.Scalar.init).filter { $0.isWhitespace != $0.properties.isWhitespace }
        #expect(differing.isEmpty, "\(differing.map(\.value))")
    }

    @Test("render then parse gives back the same rows")
    func roundTrip() throws {
        let rows = [["企业名称", "重点领域"], ["上海\"示例\"公司", "人工智能医疗器械、手术机器人"], ["a,b", "line\nbreak"]]
        #expect(try CSV.parse(CSV.render(rows)) == rows)
    }

    @Test("UTF-8 with or without BOM, and GB18030, decode to the same text")
    func encodings() throws {
        let text = "企业名称,所属区\r\n示例,浦东新区\r\n"
        #expect(try CSV.decode(Data(text.utf8)).text == text)
        #expect(try CSV.decode(CSV.excelData([["企业名称", "所属区"], ["示例", "浦东新区"]])).text == text)
        let gb = try #require(text.data(using: CSV.gb18030))
        let decoded = try CSV.decode(gb)
        #expect(decoded.text == text && decoded.encoding == "GB18030")
    }

    @Test("a file's rows, cut from its bytes, are the rows of its decoded text, in every encoding, with fields repeated from the row above")
    func rowsOfFile() throws {
        var generator = SplitMix64(seed: 11)
        let pieces = ["上海示例医疗科技有限公司", "浦东新区张江路 1 号", "a,b", "say \"hi\"", "two\nlines", "", "x", "上海示例医疗科技有限公"]
        var rows: [[String]] = [["企业名称", "地址", "产品", "备注"]]
        for _ in 0..<300 {
            // Most fields repeat the row above (an enterprise's products), some differ by a byte.
            let above = rows.last!
            rows.append(
                (0..<4).map { column in
                    Int.random(in: 0..<3, using: &generator) > 0 && rows.count > 1
                        ? above[column] : pieces[Int.random(in: 0..<pieces.count, using: &generator)]
                })
        }
        let text = CSV.render(rows)
        let fromBOM = try CSV.rows(of: CSV.excelData(rows))
        #expect(fromBOM.rows == rows && fromBOM.encoding == "UTF-8")
        let plain = try CSV.rows(of: Data(text.utf8))
        let parsed = try CSV.parse(text)
        #expect(plain.rows == rows && plain.rows == parsed)
        let gb = try CSV.rows(of: try #require(text.data(using: CSV.gb18030)))
        #expect(gb.rows == rows && gb.encoding == "GB18030")
        // Bytes that are not UTF-8 are read as GB18030, never repaired into U+FFFD.
        let gbk = try #require("示例,浦东新区\r\n".data(using: CSV.gb18030))
        #expect(try CSV.rows(of: gbk).rows == [["示例", "浦东新区"]])
        #expect(try CSV.rows(of: Data()).rows.isEmpty)
        #expect(throws: CSV.Problem.unterminatedQuote(row: 1)) { try CSV.rows(of: Data("a,\"open".utf8)) }
    }
}

@Suite("Census quality")
struct CensusQualityTests {
    static func record(_ uscc: String, district: String, park: String? = nil, product: String, stage: DevelopmentStage, complete: Bool = true)
        -> CensusRecord
    {
        CensusRecord(
            enterprise: EnterpriseDraft(
                uscc: uscc, name: "企业\(uscc.suffix(3))", district: district, park: park, kind: .registrant,
                contactName: complete ? "王经理" : nil, contactPhone: complete ? "021-5000 0000" : nil),
            product: ProductDraft(
                name: product, model: "M1", managementClass: .two, classificationCode: complete ? "06" : nil,
                keyAreas: complete ? [.ai] : [], stage: stage, expectedFiling: complete ? YearMonth("2027-01") : nil))
    }

    @Test("completeness counts the six scored cells; drugs and reagents are not asked for a device code")
    func completeness() {
        #expect(CensusQuality.completeness(Self.record("A01", district: "310115", product: "x", stage: .intention)) == 1)
        #expect(CensusQuality.completeness(Self.record("A01", district: "310115", product: "x", stage: .intention, complete: false)) == 1.0 / 6.0)
        var reagent = Self.record("A01", district: "310115", product: "x", stage: .intention)
        reagent.product.category = .ivd
        reagent.product.classificationCode = nil
        #expect(CensusQuality.completeness(reagent) == 1)
        #expect(
            CensusQuality.missing(Self.record("A01", district: "310115", product: "x", stage: .intention, complete: false))
                == [.classificationCode, .keyAreas, .expectedFiling, .contactName, .contactPhone])
    }

    @Test("per district: enterprises, products, completeness, new, dropped and advanced against the year before")
    func summaries() {
        let previous = [
            Self.record("P01", district: "310115", product: "a", stage: .intention),
            Self.record("P01", district: "310115", product: "b", stage: .clinical),
            Self.record("X01", district: "310104", product: "c", stage: .guidance),
        ]
        let current = [
            Self.record("P01", district: "310115", product: "a", stage: .typeTesting),
            Self.record("P01", district: "310115", product: "b", stage: .clinical, complete: false),
            Self.record("P02", district: "310115", product: "d", stage: .intention),
        ]
        var rows = CensusQuality.summaries(current: current, previous: previous, by: .district)
        #expect(rows.map(\.region) == ["310115", "310104"])
        #expect(abs(rows[0].completeness - (2 + 1.0 / 6.0) / 3) < 1e-12)
        rows[0].completeness = 0
        #expect(rows[0] == .init(region: "310115", enterprises: 2, products: 3, completeness: 0, new: 1, dropped: 0, advanced: 1))
        #expect(rows[1] == .init(region: "310104", enterprises: 0, products: 0, completeness: 0, new: 0, dropped: 1, advanced: 0))
    }
}
