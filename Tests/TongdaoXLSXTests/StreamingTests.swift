import Foundation
import Testing
import ZIPFoundation

@testable import TongdaoXLSX

/// The events of a scanner as text, to compare two scans.
private func events(_ scanner: inout XMLScanner) throws -> [String] {
    var seen: [String] = []
    while let event = try scanner.next() {
        switch event {
        case .start(let name, let attributes, let selfClosing):
            seen.append("<\(name) \(attributes.map { "\($0.name)=\($0.value)" }.joined(separator: " "))\(selfClosing ? "/" : "")>")
        case .end(let name): seen.append("</\(name)>")
        case .text(let text): seen.append("text:\(text)")
        }
    }
    return seen
}

/// The same document scanned as it arrives, `size` bytes at a time. Text is joined across pieces
/// the way a reader joins it (a text node may be handed on in parts), so it compares equal.
private func streamed(_ bytes: [UInt8], size: Int) throws -> [String] {
    var scanner = XMLScanner(streaming: ())
    var seen: [String] = []
    var offset = 0
    while offset < bytes.count {
        scanner.append(bytes[offset..<min(offset + size, bytes.count)])
        seen += try events(&scanner)
        offset += size
    }
    scanner.finish()
    seen += try events(&scanner)
    #expect(scanner.pending == 0)
    return seen
}

@Suite("XLSX read as it inflates")
struct StreamingTests {
    static let documents = [
        "\u{FEFF}<?xml version=\"1.0\"?><worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row></sheetData></worksheet>",
        "<a x='1>2' y=\"&quot;q&quot;\">text &amp; more &#x4E2D;&#25991;<!-- a > comment --><![CDATA[<raw> & ]]>tail</a>",
        "<x:row xmlns:x=\"urn:x\"  r = \"12\" ><x:c/><x:c r=\"B12\"></x:c></x:row>",
        "<t>一二三四五六七八九十 long text that crosses many pieces, with 中文 that crosses a UTF-8 sequence</t>",
    ]

    @Test("a document scanned piece by piece, at any size of piece, gives the events of the whole", arguments: [1, 2, 3, 5, 7, 13, 64])
    func piecesAreTheWhole(size: Int) throws {
        for document in Self.documents {
            let bytes = Array(document.utf8)
            var whole = XMLScanner(bytes)
            #expect(try streamed(bytes, size: size) == events(&whole), "\(document)")
        }
    }

    @Test("a token cut off at the end of the document is still malformed")
    func truncated() throws {
        for document in ["<a><b x=\"1", "<a><!-- open", "<a><![CDATA[ open", "<a></a"] {
            var scanner = XMLScanner(streaming: ())
            scanner.append(Array(document.utf8))
            _ = try events(&scanner)
            scanner.finish()
            #expect(throws: XLSX.Problem.self, "\(document)") { try events(&scanner) }
        }
    }

    /// A workbook whose sheet part's headers (local and central) claim `claimed` bytes uncompressed.
    static func lying(_ data: Data, claimed: UInt32) -> Data {
        var bytes = [UInt8](data)
        let name = Array("xl/worksheets/sheet1.xml".utf8)
        func patch(_ at: Int) {
            for shift in 0..<4 { bytes[at + shift] = UInt8(truncatingIfNeeded: claimed >> (8 * UInt32(shift))) }
        }
        var index = 0
        while index + 46 < bytes.count {
            if bytes[index..<index + 4] == [0x50, 0x4B, 0x03, 0x04], Array(bytes[(index + 30)..<(index + 30 + name.count)]) == name {
                patch(index + 22)
            }
            if bytes[index..<index + 4] == [0x50, 0x4B, 0x01, 0x02], Array(bytes[(index + 46)..<(index + 46 + name.count)]) == name {
                patch(index + 24)
            }
            index += 1
        }
        return Data(bytes)
    }

    @Test("a sheet whose header understates its size is stopped as soon as it inflates past the limit")
    func lyingHeader() throws {
        let rows = (1...5_000).map { ["第 \($0) 行", String(repeating: "数据", count: 20)] }
        let honest = try XLSX.workbook(sheetName: "大表", rows: rows)
        let lying = Self.lying(honest, claimed: 1_000)
        #expect(lying != honest, "the headers were found and changed")
        let problem = try #require(throws: XLSX.Problem.self) {
            try XLSX.rows(of: lying, limits: XLSX.Limits(partBytes: 64 * 1024))
        }
        #expect(problem.description.contains("解压后超过"))
        // One that overstates it (4 GB) is refused before anything is inflated.
        let huge = try #require(throws: XLSX.Problem.self) { try XLSX.rows(of: Self.lying(honest, claimed: .max)) }
        #expect(huge.description.contains("解压后超过"))
    }

    @Test("a reader that asks to stop gets the rows up to that one, and no more of the sheet is read")
    func stopEarly() throws {
        let rows = (1...3_000).map { ["\($0)", "第 \($0) 行"] }
        let data = try XLSX.workbook(sheetName: "表", rows: rows)
        var seen = 0
        let read = try XLSX.rows(of: data) { _ in
            seen += 1
            return seen < 2
        }
        #expect(read == Array(rows.prefix(2)) && seen == 2)
        #expect(try XLSX.rows(of: data) == rows)
    }
}
