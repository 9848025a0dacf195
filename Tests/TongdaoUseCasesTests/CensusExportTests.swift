import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import Vapor

@Suite("Census exports: a spreadsheet opens every cell as text")
struct CensusExportTests {
    static let formulas = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(1+1)"]

    @Test("cells a spreadsheet would run as formulas are neutralised in the CSV, and read back unchanged")
    func formulaInjection() async throws {
        try await TestDatabase.sqlite.withMigratedApplication { app in
            try await ReferenceData.load(on: app.db)
            let platform = app.testPlatform()
            let enterprise = try await platform.enterprises.create(EnterpriseInput(DemoData.enterprises[0]), by: Fixtures.caller)
            for (index, name) in Self.formulas.enumerated() {
                let product = try await platform.products.create(
                    ProductInput(name: "产品\(index)", model: name, managementClass: "II"),
                    enterpriseID: enterprise.id.uuidString, by: Fixtures.caller)
                _ = try await platform.census.declare(
                    .init(stage: "clinical", expectedFiling: nil, channels: [], guidanceNeeds: name), year: 2026, productID: product.id,
                    by: Fixtures.caller)
            }
            let (csv, _) = try await platform.census.export(year: 2026, format: .csv, by: Fixtures.caller)
            let raw = try CSV.parse(try CSV.decode(csv).text)
            let cells = raw.flatMap { $0 }
            for formula in Self.formulas {
                #expect(cells.contains("'" + formula), "\(formula) is neutralised")
                #expect(!cells.contains(formula), "\(formula) is not written as a formula")
            }
            // The importer reads the export back as it was: nothing changes.
            let report = try await platform.census.importFile(csv, year: 2026, dryRun: true, by: Fixtures.caller)
            #expect(report.rejected.isEmpty && report.unchanged == Self.formulas.count && report.updated == 0, "\(report)")
        }
    }

    @Test("neutralising and restoring are each other's inverse for every cell")
    func roundTrip() {
        let rows = [Self.formulas + ["\tTAB", "\rCR"], ["'=already quoted", "''+twice", "'plain", "plain", "", "=", "'", "''"]]
        let restored = CSV.restoringNeutralised(try! CSV.parse(try! CSV.decode(CSV.excelData(rows)).text))
        #expect(restored == rows)
    }
}
