import Foundation
import Testing
import TongdaoCore
@testable import TongdaoUseCases
import TongdaoXLSX

@Suite("Census files: a wrong header is reported on its own")
struct CensusSheetsTests {
    @Test("a workbook whose header is no census header is read no further than its header row; a census header, to the end")
    func headerFirst() throws {
        let body = (1...2_000).map { ["企业\($0)", "91310115MA1K\($0)"] }
        let wrong = try XLSX.workbook(sheetName: "表", rows: [["名称", "代码"]] + body)
        #expect(try CensusSheets.rows(of: wrong) == [["名称", "代码"]])
        let header = CensusSheet.Column.allCases.map(\.rawValue)
        let right = try XLSX.workbook(sheetName: "表", rows: [header] + body)
        #expect(try CensusSheets.rows(of: right).count == 2_001)
    }

    @Test("past the bound, an import is refused at once as busy (503, Retry-After) rather than held in memory waiting")
    func importGate() async throws {
        let gate = ImportGate(capacity: 2)
        let (opened, open) = AsyncStream<Void>.makeStream()
        let (releaseFirst, releasingFirst) = AsyncStream<Void>.makeStream()
        let (releaseSecond, releasingSecond) = AsyncStream<Void>.makeStream()
        async let first: Void = gate.run {
            open.yield()
            for await _ in releaseFirst { break }
        }
        async let second: Void = gate.run {
            open.yield()
            for await _ in releaseSecond { break }
        }
        var running = 0
        for await _ in opened {
            running += 1
            if running == 2 { break }
        }
        await #expect(throws: UseCaseError.busy(retryAfterSeconds: 10)) { try await gate.run {} }
        releasingFirst.finish()
        releasingSecond.finish()
        _ = try await (first, second)
        try await gate.run {}
    }
}
