import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

@Suite("The inspector pool's sheet on the page and over the API: upload, dry-run report, confirmation, the census's way")
struct InspectorSheetPageTests {
    static let header = ["姓名", "检查员类别", "检查专业", "专职或兼职", "组长或组员", "年度可用检查天数", "培训记录"]

    static func row(_ name: String, capacity: String = "120") -> [String] {
        [name, "医疗器械", "医疗器械生产质量管理规范", "专职", "组长", capacity, "2026-03-02 | 检查要点 | 6\n2026-05-06 | 法规 | 2.5"]
    }

    /// A sheet posted to an API's import (the pool's unless another is named): the status and the body as text.
    static func post(
        _ app: Application, _ data: Data, to path: String = "/api/v1/inspector-pool/imports", dryRun: Bool = false, token: String
    ) async throws -> (HTTPStatus, String) {
        var result: (HTTPStatus, String) = (.internalServerError, "")
        var headers = bearer(token)
        headers.replaceOrAdd(name: .contentType, value: "text/csv")
        try await app.testing().test(
            .POST, "\(path)?dryRun=\(dryRun)", headers: headers,
            beforeRequest: { req in req.body = ByteBuffer(bytes: Array(data)) }
        ) { res in
            result = (res.status, res.body.string)
        }
        return result
    }

    @Test(
        "the regulator uploads the pool's sheet, reads the report, confirms it once; a bad row is named and nothing kept; an inspector may not",
        arguments: TestDatabase.enabled)
    func uploadAndConfirm(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
            try await TestUsers.create("checker", role: .inspector, scope: .city, on: app)
            let browser = Browser(app)
            #expect(try await browser.signIn("regulator") == .seeOther)
            #expect(try await browser.get("/inspectors").html.contains(#"<a href="/inspectors/sheet">从表格导入</a>"#))
            let page = try await browser.get("/inspectors/sheet")
            #expect(page.status == .ok && page.html.contains("导入检查员库") && page.html.contains("每条一行：培训日期 | 培训课程 | 学时"))
            let token = try #require(Browser.csrf(in: page.html))

            let bad = Data(CSV.render([Self.header, Self.row("陈刚"), Self.row("王敏", capacity: "四十")]).utf8)
            let refused = try await browser.upload("/inspectors/sheet/uploads", fields: ["_csrf": token], file: bad, filename: "bad.csv")
            #expect(refused.status == .unprocessableEntity && refused.html.contains("校验未通过") && !refused.html.contains("确认导入"))
            #expect(refused.html.contains("<td>3</td><td>年度可用检查天数</td>"), "row 3 named with its column")
            #expect(try await InspectorUploadModel.query(on: app.db).count() == 0)
            let empty = try await browser.upload("/inspectors/sheet/uploads", fields: ["_csrf": token], file: Data(), filename: "x.csv")
            #expect(empty.status == .unprocessableEntity && empty.html.contains(#"id="field-file-error">请选择要上传的文件"#))
            let good = Data(CSV.render([Self.header, Self.row("陈刚"), Self.row("王敏")]).utf8)
            #expect(try await browser.upload("/inspectors/sheet/uploads", fields: [:], file: good, filename: "good.csv").status == .forbidden)

            let dry = try await browser.upload("/inspectors/sheet/uploads", fields: ["_csrf": token], file: good, filename: "good.csv")
            #expect(dry.status == .ok && dry.html.contains("校验通过，待确认 · 检查员库 · good.csv") && dry.html.contains("确认导入"))
            #expect(try await InspectorModel.query(on: app.db).count() == 0, "the dry run wrote nothing")
            let upload = try #require(try await InspectorUploadModel.query(on: app.db).first())
            let commit = "/inspectors/sheet/uploads/\(try upload.requireID().uuidString)/commit"
            let done = try await browser.post(commit, ["_csrf": token])
            #expect(done.status == .ok && done.html.contains("导入完成") && !done.html.contains("确认导入"))
            #expect(try await InspectorModel.query(on: app.db).count() == 2)
            #expect(try await InspectorUploadModel.query(on: app.db).count() == 0, "the file is not kept after its import")
            #expect(try await browser.post(commit, ["_csrf": token]).status == .notFound, "confirmed once")
            let audited = Set(try await AuditEntryModel.query(on: app.db).all().map(\.action))
            #expect(audited.isSuperset(of: ["inspector.upload", "inspector.import", "inspector.create"]))

            let inspector = Browser(app)
            #expect(try await inspector.signIn("checker") == .seeOther)
            #expect(try await inspector.get("/inspectors/sheet").status == .forbidden)

            // The API: the export imports back unchanged; a bad sheet is a 422 naming rows[N].列名.
            let apiToken = try await TestUsers.token("regulator", on: app)
            let (exported, csv, _) = try await TrialAPITests.send(app, .GET, "/api/v1/inspector-pool/export?format=csv", token: apiToken)
            #expect(exported == .ok && String(decoding: csv, as: UTF8.self).contains("检查员编号"))
            let (status, body) = try await Self.post(app, csv, token: apiToken)
            #expect(status == .created && body.contains(#""unchanged":2"#), "\(body)")
            let (rejected, problem) = try await Self.post(app, bad, token: apiToken)
            #expect(rejected == .unprocessableEntity && problem.contains("rows[3].年度可用检查天数"), "\(problem)")
            let checkerToken = try await TestUsers.token("checker", on: app)
            #expect(try await Self.post(app, good, dryRun: true, token: checkerToken).0 == .forbidden)
        }
    }
}
