import Foundation
import Testing
import TongdaoCore
import TongdaoTestSupport

@Suite("tongdao trials as a process")
struct TrialProcessTests {
    @Test("trials import checks a sheet (dry run), imports it with progress on standard error, names rejected rows, and exports it back")
    func importAndExport() async throws {
        try await withTemporaryDirectory { directory in
            let env = ["TONGDAO_DATA_DIR": directory.appendingPathComponent("data").path, "TONGDAO_BCRYPT_COST": "4"]
            let created = try CommandProcessTests.run(
                ["user", "create", "--username", "city.officer", "--role", "city_regulator", "--scope", "city", "--password-stdin"],
                environment: env, input: "a long enough password\n")
            #expect(created.status == 0, "\(created.output)")
            let header = TrialSheet.institutions.columns.map(\.rawValue)
            let rows = (1...3).map { index in
                ["上海试验医院\(index)", "1231000042500000\(index)", "徐汇区", "", "三级甲等", "药物临床机构备字202000\(index)", "2020-01-02", "", "", "肿瘤科：2020-01-02"]
            }
            let sheet = directory.appendingPathComponent("institutions.csv")
            try Data(CSV.render([header] + rows).utf8).write(to: sheet)
            let dry = try CommandProcessTests.run(
                ["trials", "import", "--sheet", "institutions", "--as", "city.officer", "--dry-run", sheet.path], environment: env)
            #expect(dry.status == 0 && dry.output.contains("dry run, nothing written — 3 rows read, 3 added"), "\(dry.output)")
            let imported = try CommandProcessTests.run(
                ["trials", "import", "--sheet", "institutions", "--as", "city.officer", sheet.path], environment: env)
            #expect(imported.status == 0 && imported.output.contains("imported — 3 rows read, 3 added"), "\(imported.output)")
            #expect(imported.output.contains("写入: 3/3"), "progress per phase when standard error is not a terminal")

            let bad = directory.appendingPathComponent("bad.csv")
            try Data(CSV.render([header, rows[0].enumerated().map { $0.offset == 4 ? "特等" : $0.element }]).utf8).write(to: bad)
            let refused = try CommandProcessTests.run(
                ["trials", "import", "--sheet", "institutions", "--as", "city.officer", bad.path], environment: env)
            #expect(refused.status == 1 && refused.output.contains("第 2 行 · 医院等级："), "\(refused.output)")

            let export = try CommandProcessTests.run(["trials", "export", "--sheet", "institutions", "--as", "city.officer"], environment: env)
            #expect(export.output.split(whereSeparator: \.isNewline).count == 4)

            // The sweep of trial warnings, for a day given or today; a day that is none is refused.
            let swept = try CommandProcessTests.run(["trials", "warnings", "--date", "2026-11-23"], environment: env)
            #expect(swept.status == 0 && swept.output.contains("trial warnings 2026-11-23: 0 PIs over their threshold"), "\(swept.output)")
            let wrongDay = try CommandProcessTests.run(["trials", "warnings", "--date", "2026-13-01"], environment: env)
            #expect(wrongDay.status != 0 && wrongDay.output.contains("--date: a date YYYY-MM-DD"), "\(wrongDay.output)")
        }
    }
}
