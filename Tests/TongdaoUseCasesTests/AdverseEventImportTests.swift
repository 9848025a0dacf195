import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import TongdaoXLSX
import Vapor

@Suite("The national monitoring system's export: all rows or none, each bad cell named, the same export twice adds nothing; the term list as a sheet")
struct AdverseEventImportTests {
    static let good = Fixtures.nationalExport

    @Test(
        "an export imports all rows, lateness judged by the national system's time; again adds nothing; the platform's export imports back adding nothing and shows each reader its own",
        arguments: TestDatabase.enabled)
    func imports(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let world = try await AdverseEventTests.world(app)
            let events = world.platform.adverseEvents
            let dry = try await events.importFile(CSV.excelData(Self.good), dryRun: true, by: world.regulator)
            #expect(dry.rejected.isEmpty && dry.added == 3 && dry.late == 1 && !dry.committed)
            #expect(try await AdverseEventReportModel.query(on: app.db).count() == 0)
            let done = try await events.importFile(CSV.excelData(Self.good), dryRun: false, by: world.regulator)
            #expect(done.committed && done.rowsRead == 3 && done.added == 3 && done.late == 1 && done.unchanged == 0)
            let reports = try await events.list(by: world.regulator).items.sorted { $0.number < $1.number }
            #expect(reports.map(\.number) == ["AE-2026-0000001", "AE-2026-0000002", "AE-2026-0000003"])
            #expect(reports.map(\.nationalCode) == ["32000020260001", "32000020260002", "32000020260003"])
            #expect(reports.allSatisfy { $0.source == .nationalImport && $0.status == .submitted })
            #expect(reports[0].productID == world.other.id && reports[0].terms.map(\.code) == ["DP001", "DP002"] && !reports[0].late)
            #expect(reports[1].productID == world.marketed.id && reports[1].late && reports[1].due == "2026-11-08")
            #expect(reports[1].certificate == "沪械注准20262210001" && reports[1].reporterName == reports[1].registrant)
            #expect(!reports[2].late && reports[2].due == "2026-11-21 08:00" && reports[2].reporterKind == .institution)
            // The late one counts on its registrant's credit file as one filed on the platform does.
            let file = try await world.platform.credit.file(kind: "enterprise", id: world.marketed.enterpriseID, by: world.regulator)
            #expect(file.assessment.lines.map(\.event.kind) == [.lateAdverseEventReport])
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "adverse_event.import").count() == 1)
            // The same export again adds nothing; nor does the platform's own export (with a report filed here).
            let again = try await events.importFile(CSV.excelData(Self.good), dryRun: false, by: world.regulator)
            #expect(again.committed && again.added == 0 && again.unchanged == 3)
            _ = try await events.file(AdverseEventTests.input(), by: world.registrant)
            for format in [CensusUseCases.Format.csv, .xlsx] {
                let exported = try await events.export(format: format, by: world.regulator)
                let back = try await events.importFile(exported, dryRun: false, by: world.regulator)
                #expect(back.rejected.isEmpty && back.added == 0 && back.unchanged == 4, "\(format)")
            }
            #expect(try await AdverseEventReportModel.query(on: app.db).count() == 4)
            // The export leaves the narrative out for a reader who may not read it.
            let reviewerSheet = try CSV.rows(of: try await events.export(format: .csv, by: world.reviewer)).rows
            #expect(!reviewerSheet[0].contains("事件经过描述") && reviewerSheet.count == 5)
            let rivalSheet = try CSV.rows(of: try await events.export(format: .csv, by: world.rival)).rows
            #expect(rivalSheet[0].contains("事件经过描述") && rivalSheet.dropFirst().map { $0[0] } == ["32000020260001"])
            await #expect(throws: UseCaseError.forbidden(.readAdverseEvents, role: .districtOfficer)) {
                try await events.export(format: .csv, by: world.district)
            }
        }
    }

    @Test("one bad row writes nothing, and every bad cell is named by row and column in Chinese", arguments: TestDatabase.enabled)
    func refusals(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let world = try await AdverseEventTests.world(app)
            let events = world.platform.adverseEvents
            var bad = Self.good
            bad.append(["32000020260004", "", "06901234567893", "2026-11-02", "2026-11-01", "", "2026-11-03", "严重伤害", "痊愈", "DP001", "", "", "x"])
            bad.append(["32000020260001", "沪械注准20262210002", "", "2026-11-01", "2026-11-01", "", "2026-11-03", "其他", "痊愈", "DP001", "", "", "x"])
            bad.append(
                ["32000020260006", "沪械注准20262210002", Fixtures.gtin, "2026-11-01", "2026-11-01", "", "2026-11-03", "群体", "痊愈", "XX9", "机构", "", ""])
            bad.append(["32000020260007", "沪械注准99999", "", "2026-11-01", "2026-11-01", "", "2026-12-30 10:00", "严重", "痊愈", "DP001", "", "", "x"])
            let report = try await events.importFile(CSV.excelData(bad), dryRun: false, by: world.regulator)
            #expect(!report.committed && report.added == 0)
            func reasons(_ row: Int) -> [String: String] {
                Dictionary(report.rejected.filter { $0.row == row }.map { ($0.column, $0.reason) }, uniquingKeysWith: { $0 + "；" + $1 })
            }
            #expect(reasons(2).isEmpty && reasons(3).isEmpty && reasons(4).isEmpty)
            #expect(reasons(5)["产品标识"]?.contains("校验位") == true)
            #expect(reasons(5)["获知日期"]?.contains("不能早于事件发生日期") == true)
            #expect(reasons(6)["报告编码"] == "与第 2 行的报告编码重复")
            let row7 = reasons(7)
            #expect(row7["产品标识"] == "与注册证编号指明的不是同一产品")
            #expect(row7["事件术语"] == "“XX9”不是事件术语表中的术语")
            #expect(row7["报告人类别"] != nil && row7["事件经过描述"] != nil)
            #expect(row7["获知时间"]?.contains("群体不良事件") == true && row7["报告时间"]?.contains("精确到分钟") == true)
            let row8 = reasons(8)
            #expect(row8["注册证编号"] == "没有产品持有注册证 沪械注准99999" && row8["报告时间"] == "不能晚于现在" && row8["伤害程度"] != nil)
            #expect(try await AdverseEventReportModel.query(on: app.db).count() == 0)
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "adverse_event.import").count() == 0)
            // A header without its required columns is reported on the header alone.
            let headless = try await events.importFile(CSV.excelData([["报告编码", "产品标识"], ["1", Fixtures.gtin]]), dryRun: true, by: world.regulator)
            #expect(headless.rejected.allSatisfy { $0.row == 1 } && headless.rejected.contains { $0.column == "事件经过描述" })
            // Only the vigilance managers import.
            await #expect(throws: UseCaseError.forbidden(.manageVigilance, role: .enterpriseUser)) {
                try await events.importFile(CSV.excelData(Self.good), dryRun: true, by: world.registrant)
            }
        }
    }

    @Test(
        "the term list imports and exports: a new term, a renamed one, a retired one, audited each; a Chinese name twice is refused",
        arguments: TestDatabase.enabled)
    func terms(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let world = try await AdverseEventTests.world(app)
            let events = world.platform.adverseEvents
            let exported = try await events.exportTerms(format: .xlsx, by: world.regulator)
            let unchanged = try await events.importTerms(exported, dryRun: false, by: world.regulator)
            #expect(unchanged.committed && unchanged.unchanged == 52 && unchanged.added + unchanged.updated == 0)
            let sheet: [[String]] = [
                ["术语编码", "术语类别", "中文名称", "英文名称", "状态"],
                ["DP901", "器械问题", "电池鼓包", "Battery swelling", ""],
                ["DP001", "器械问题", "断裂", "Fracture", "启用"],
                ["DP002", "device", "泄漏", "Leak", "停用"],
            ]
            let done = try await events.importTerms(CSV.excelData(sheet), dryRun: false, by: world.regulator)
            #expect(done.committed && done.added == 1 && done.updated == 2)
            let terms = try await events.terms(includingRetired: true)
            #expect(terms.first { $0.code == "DP001" }?.english == "Fracture" && terms.first { $0.code == "DP002" }?.active == false)
            #expect(try await events.terms().contains { $0.code == "DP901" && $0.chinese == "电池鼓包" })
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action ~~ ["event_term.create", "event_term.update"]).count() == 3)
            // A retired term is no longer one a report may name; the new one is.
            var input = AdverseEventTests.input(terms: ["电池鼓包"])
            #expect(try await events.file(input, by: world.registrant).terms.map(\.code) == ["DP901"])
            input.terms = ["DP002"]
            await #expect(throws: UseCaseError.self) { try await events.file(input, by: world.registrant) }
            let bad: [[String]] = [
                ["术语编码", "术语类别", "中文名称", "英文名称", "状态"],
                ["DP902", "器械问题", "断裂", "Another break", ""],
                ["DP 9", "其他", "", "Nameless", "暂停"],
            ]
            let refused = try await events.importTerms(CSV.excelData(bad), dryRun: false, by: world.regulator)
            #expect(!refused.committed && Set(refused.rejected.map(\.row)) == [2, 3])
            #expect(refused.rejected.first { $0.row == 2 }?.reason == "与启用中的术语 DP001的中文名称相同")
            #expect(Set(refused.rejected.filter { $0.row == 3 }.map(\.column)) == ["术语编码", "术语类别", "中文名称", "状态"])
            #expect(try await events.terms(includingRetired: true).count == 53)
        }
    }
}
