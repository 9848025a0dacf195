import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

@Suite("The national export over HTTP: the API's 422 naming rows, the page's upload → report → confirmation, the list's export")
struct AdverseEventImportHTTPTests {
    @Test(
        "the regulator dry-runs and imports over the API and on the page; a bad sheet is a 422 naming rows[N].列名; a registrant may not",
        arguments: TestDatabase.enabled)
    func importAndExport(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            _ = try await AdverseEventHTTPTests.scene(app)
            let regulator = try await TestUsers.token("regulator", on: app)
            let maker = try await TestUsers.token("maker", on: app)
            let good = CSV.excelData(Fixtures.nationalExport)
            var bad = Fixtures.nationalExport
            bad[2][2] = "06901234567893"
            let path = "/api/v1/adverse-events/imports"
            let (refused, problem) = try await InspectorSheetPageTests.post(app, CSV.excelData(bad), to: path, token: regulator)
            #expect(refused == .unprocessableEntity && problem.contains(#""field":"rows[3].产品标识""#), "\(problem)")
            #expect(try await InspectorSheetPageTests.post(app, good, to: path, token: maker).0 == .forbidden)
            let (dry, dryBody) = try await InspectorSheetPageTests.post(app, good, to: path, dryRun: true, token: regulator)
            #expect(dry == .ok && dryBody.contains(#""added":3"#) && dryBody.contains(#""late":1"#), "\(dryBody)")
            #expect(try await AdverseEventReportModel.query(on: app.db).count() == 0)

            // The page: the link on the list, the upload, the report, the confirmation.
            let browser = Browser(app)
            #expect(try await browser.signIn("regulator") == .seeOther)
            let list = try await browser.get("/adverse-events")
            #expect(list.html.contains(#"href="/adverse-events/import""#) && list.html.contains(#"href="/adverse-events/export?format=xlsx""#))
            let page = try await browser.get("/adverse-events/import")
            #expect(page.status == .ok && page.html.contains("报告编码（必填）"))
            let token = try #require(Browser.csrf(in: page.html))
            let uploaded = try await browser.upload("/adverse-events/import/uploads", fields: ["_csrf": token], file: good, filename: "national.csv")
            #expect(uploaded.status == .ok && uploaded.html.contains("校验通过，待确认") && uploaded.html.contains("<dt>其中迟报</dt><dd>1</dd>"))
            let upload = try #require(try await SheetUploadModel.query(on: app.db).first())
            let commit = "/adverse-events/import/uploads/\(try upload.requireID().uuidString)/commit"
            let done = try await browser.post(commit, ["_csrf": token])
            #expect(done.status == .ok && done.html.contains("导入完成"))
            #expect(try await AdverseEventReportModel.query(on: app.db).count() == 3)
            #expect(try await SheetUploadModel.query(on: app.db).count() == 0)
            #expect(try await browser.post(commit, ["_csrf": token]).status == .notFound, "confirmed once")
            let detail = try await browser.get("/adverse-events")
            #expect(detail.html.contains("AE-2026-0000003"))

            // Again over the API: nothing added; the export as a download.
            let (again, againBody) = try await InspectorSheetPageTests.post(app, good, to: path, token: regulator)
            #expect(again == .created && againBody.contains(#""unchanged":3"#) && againBody.contains(#""added":0"#))
            let (exported, sheet, headers) = try await TrialAPITests.send(
                app, .GET, "/api/v1/adverse-events/export?format=csv&late=true", token: regulator)
            #expect(exported == .ok && headers.contentType?.description.hasPrefix("text/csv") == true)
            #expect(
                String(decoding: sheet, as: UTF8.self).components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 2,
                "the header and the late one")
            let download = try await browser.get("/adverse-events/export?format=xlsx")
            #expect(download.status == .ok && download.headers.first(name: .contentDisposition)?.contains("adverse-events-") == true)
            let terms = try await browser.get("/event-terms/export?format=csv")
            #expect(terms.status == .ok && terms.html.contains("术语编码") && terms.html.contains("DP001"))
        }
    }
}
