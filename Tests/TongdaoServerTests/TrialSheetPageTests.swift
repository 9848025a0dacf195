import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

@Suite("The trial registry's sheets on the page: upload, dry-run report, confirmation, the census's way")
struct TrialSheetPageTests {
    static let header = TrialSheet.institutions.columns.map(\.rawValue)

    static func row(_ name: String, code: String, grade: String = "三级甲等") -> [String] {
        [name, code, "黄浦区", "", grade, "药物临床机构备字2020\(code.suffix(3))", "2020-01-02", "", "", "肿瘤科：2020-01-02"]
    }

    @Test(
        "the regulator uploads an institutions sheet, reads the report, confirms it once; a bad row is named and nothing kept; another user cannot confirm",
        arguments: TestDatabase.enabled)
    func uploadAndConfirm(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
            try await TestUsers.create("admin2", role: .cityAdmin, scope: .city, on: app)
            try await TestUsers.create("industry", role: .industryOfficer, scope: .city, on: app)
            let browser = Browser(app)
            #expect(try await browser.signIn("regulator") == .seeOther)
            let page = try await browser.get("/trials/sheets")
            #expect(page.status == .ok && page.html.contains("导入登记表") && page.html.contains(#"<option value="trials""#))
            #expect(try await browser.get("/trials").html.contains(#"<a href="/trials/sheets">登记表的导入与导出 →</a>"#))
            let token = try #require(Browser.csrf(in: page.html))

            // A bad row: the report names it; nothing is kept, nothing written, no confirmation offered.
            let bad = Data(
                CSV.render([Self.header, Self.row("瑞金医院", code: "12310000425000001"), Self.row("坏等级医院", code: "12310000425000002", grade: "特等")]).utf8
            )
            let refused = try await browser.upload(
                "/trials/sheets/uploads", fields: ["sheet": "institutions", "_csrf": token], file: bad, filename: "bad.csv")
            #expect(refused.status == .unprocessableEntity && refused.html.contains("校验未通过") && !refused.html.contains("确认导入"))
            #expect(refused.html.contains("<td>3</td><td>医院等级</td>"), "row 3 named with its column")
            #expect(try await TrialUploadModel.query(on: app.db).count() == 0)
            #expect(try await TrialInstitutionModel.query(on: app.db).count() == 0)
            // No file: the form again, the sheet chosen kept, the error at the field.
            let empty = try await browser.upload(
                "/trials/sheets/uploads", fields: ["sheet": "investigators", "_csrf": token], file: Data(), filename: "x.csv")
            #expect(empty.status == .unprocessableEntity && empty.html.contains(#"id="field-file-error">请选择要上传的文件"#))
            #expect(empty.html.contains(#"<option value="investigators" selected="selected">"#))
            // Without the CSRF token: refused.
            let good = Data(CSV.render([Self.header, Self.row("瑞金医院", code: "12310000425000001"), Self.row("胸科医院", code: "12310000425000005")]).utf8)
            #expect(
                try await browser.upload("/trials/sheets/uploads", fields: ["sheet": "institutions"], file: good, filename: "good.csv").status
                    == .forbidden)

            let dry = try await browser.upload(
                "/trials/sheets/uploads", fields: ["sheet": "institutions", "_csrf": token], file: good, filename: "good.csv")
            #expect(dry.status == .ok && dry.html.contains("校验通过，待确认 · 临床试验机构 · good.csv") && dry.html.contains("确认导入"))
            #expect(try await TrialInstitutionModel.query(on: app.db).count() == 0, "the dry run wrote nothing")
            let upload = try #require(try await TrialUploadModel.query(on: app.db).first())
            let commit = "/trials/sheets/uploads/\(try upload.requireID().uuidString)/commit"
            let other = Browser(app)
            #expect(try await other.signIn("admin2") == .seeOther)
            let otherToken = try #require(Browser.csrf(in: try await other.get("/trials/sheets").html))
            #expect(try await other.post(commit, ["_csrf": otherToken]).status == .notFound, "someone else's upload is none of theirs")
            let done = try await browser.post(commit, ["_csrf": token])
            #expect(done.status == .ok && done.html.contains("导入完成") && !done.html.contains("确认导入"))
            #expect(try await TrialInstitutionModel.query(on: app.db).count() == 2)
            #expect(try await TrialUploadModel.query(on: app.db).count() == 0, "the file is not kept after its import")
            #expect(try await browser.post(commit, ["_csrf": token]).status == .notFound, "confirmed once")
            let audited = Set(try await AuditEntryModel.query(on: app.db).all().map(\.action))
            #expect(audited.isSuperset(of: ["trial_registry.upload", "trial_registry.import"]))

            // The industry department reads the sheets' exports, and is offered no upload.
            let reader = Browser(app)
            #expect(try await reader.signIn("industry") == .seeOther)
            let readOnly = try await reader.get("/trials/sheets")
            #expect(
                readOnly.status == .ok && !readOnly.html.contains("导入登记表")
                    && readOnly.html.contains("/trials/export?sheet=institutions&amp;format=csv"))
            let readerToken = try #require(Browser.csrf(in: readOnly.html))
            let forbidden = try await reader.upload(
                "/trials/sheets/uploads", fields: ["sheet": "institutions", "_csrf": readerToken], file: good, filename: "good.csv")
            #expect(forbidden.status == .forbidden)
        }
    }
}
