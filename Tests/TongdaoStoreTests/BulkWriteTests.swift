import Fluent
import Foundation
import NIOCore
import Testing
@testable import TongdaoCore
import TongdaoTestSupport

@testable import TongdaoStore

@Suite("Bulk writes and large sheets, on SQLite and PostgreSQL")
struct BulkWriteTests {
    static let regions = CensusSheet.Regions([
        Region(code: "310000", name: "上海市", level: .city, parentCode: nil),
        Region(code: "310115", name: "浦东新区", level: .district, parentCode: "310000"),
        Region(code: "310104", name: "徐汇区", level: .district, parentCode: "310000"),
        Region(code: "310112", name: "闵行区", level: .district, parentCode: "310000"),
        Region(code: "zhangjiang", name: "张江", level: .park, parentCode: "310115"),
        Region(code: "lingang", name: "临港新片区", level: .park, parentCode: "310115"),
        Region(code: "nanhongqiao", name: "南虹桥", level: .park, parentCode: "310112"),
    ])

    @Test("a large sheet read in parts on every core gives what reading it one row at a time gives, in sheet order")
    func sheetInParts() throws {
        var rows = CensusFixture.rows(count: 6_000)
        var generator = SplitMix64(seed: 7)
        for kind in 0..<40 { _ = CensusFixture.spoil(&rows, at: Int.random(in: 0..<rows.count, using: &generator), kind: kind) }
        rows[100] = Array(repeating: " ", count: rows[100].count)
        let header = CensusFixture.header
        // when
        let whole = CensusSheet.read([header] + rows, regions: Self.regions)
        // then: the same as each row read alone, renumbered to its place in the sheet
        var records: [CensusRecord] = []
        var problems: [RowProblem] = []
        for (index, row) in rows.enumerated() {
            let alone = CensusSheet.read([header, row], regions: Self.regions)
            records += alone.records.map {
                var record = $0; record.row = index + 2; return record
            }
            problems += alone.problems.map { RowProblem(row: index + 2, column: $0.column, reason: $0.reason) }
        }
        #expect(whole.rowsRead == 5_999, "the blank row is not counted")
        #expect(whole.records == records)
        #expect(whole.problems == problems)
        #expect(whole.records.map(\.row) == whole.records.map(\.row).sorted(), "records stay in sheet order")
        #expect(!problems.isEmpty && records.count > 5_900)
    }

    @Test("the columns' slots are their places in the header order, on the census and the trial registry's sheets")
    func slots() {
        #expect(CensusSheet.Column.allCases.enumerated().allSatisfy { $0.offset == $0.element.slot })
        #expect(TrialSheet.Column.allCases.enumerated().allSatisfy { $0.offset == $0.element.slot })
    }

    @Test("timestamps for COPY: microseconds kept, days before 1970 counted back")
    func copyTimestamps() {
        #expect(BulkInsert.timestamp(Date(timeIntervalSince1970: 1_768_465_800.000_123)) == "2026-01-15 08:30:00.000123+00")
        #expect(BulkInsert.timestamp(Date(timeIntervalSince1970: -1.5)) == "1969-12-31 23:59:58.500000+00")
        #expect(BulkInsert.timestamp(Date(timeIntervalSince1970: 0)) == "1970-01-01 00:00:00.000000+00")
    }

    @Test("a UUID's text for a bulk write is uuidString's, every digit and dash in place")
    func uuidText() throws {
        let fixed = try #require(UUID(uuidString: "0123ABCD-4567-89EF-FEDC-BA9876543210"))
        #expect(BulkInsert.text(of: fixed) == "0123ABCD-4567-89EF-FEDC-BA9876543210")
        for _ in 0..<1_000 {
            let id = UUID()
            #expect(BulkInsert.text(of: id) == id.uuidString)
        }
    }

    @Test("COPY's text format escapes what it must and marks NULL")
    func copyLines() {
        var buffer = ByteBuffer()
        BulkInsert.copyLine([.text("a\tb\\c\nd\re"), .null, .bool(true), .integer(-7), .text("浦东")], into: &buffer)
        #expect(String(buffer: buffer) == "a\\tb\\\\c\\nd\\re\t\\N\tt\t-7\t浦东\n")
    }

    @Test("rows written in bulk read back through Fluent exactly: awkward text, NULLs, booleans, UUIDs and dates", arguments: TestDatabase.enabled)
    func roundTrip(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            try await ReferenceData.load(on: app.db)
            let now = Date(timeIntervalSince1970: 1_795_000_000.123_456)
            let awkward = "制表\t换行\n回车\r反斜杠\\ 引号\"' 全角　空格 \u{1F600}"
            // More rows than one SQLite statement holds: the rows go in two statements.
            let count = BulkInsert.parametersPerStatement / EnterpriseModel.insertColumns.count + 500
            let drafts = (0..<count).map { index in
                EnterpriseDraft(
                    uscc: CensusFixture.uscc(district: "310115", serial: index), name: "批量写入测试企业\(index)", district: "310115",
                    park: index % 2 == 0 ? "zhangjiang" : nil, kind: .registrant, isStartup: index % 3 == 0,
                    contactName: index % 5 == 0 ? nil : awkward, contactPhone: index % 7 == 0 ? nil : "021-6000 \(index)")
            }
            let ids = drafts.map { _ in UUID() }
            // when
            try await app.db.transaction { db in
                try await BulkInsert.run(
                    EnterpriseModel.schema, columns: EnterpriseModel.insertColumns,
                    rows: zip(drafts, ids).map { EnterpriseModel.insertRow($0, id: $1, now: now) }, on: db)
            }
            // then
            let stored = try await EnterpriseModel.query(on: app.db).all()
            #expect(stored.count == drafts.count)
            let byID = Dictionary(uniqueKeysWithValues: stored.map { ($0.id!, $0) })
            for (draft, id) in zip(drafts, ids) {
                let model = try #require(byID[id])
                #expect(model.draft == draft)
                #expect(abs((model.createdAt ?? .distantPast).timeIntervalSince(now)) < 0.000_002)
            }
        }
    }
}
