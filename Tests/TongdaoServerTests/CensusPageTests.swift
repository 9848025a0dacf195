import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

extension Browser {
    /// Posts a file as multipart/form-data, with the page's other fields.
    func upload(_ path: String, fields: [String: String], file: Data, filename: String) async throws -> (status: HTTPStatus, html: String) {
        let boundary = "tongdao-test-boundary"
        var body = Data()
        for (name, value) in fields {
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        body += Data(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\nContent-Type: text/csv\r\n\r\n".utf8)
        body += file
        body += Data("\r\n--\(boundary)--\r\n".utf8)
        let sent = try await send(path, body: body, contentType: "multipart/form-data; boundary=\(boundary)")
        return (sent.status, sent.html)
    }
}

@Suite("The census page: figures, upload, dry run, confirmation")
struct CensusPageTests {
    @Test(
        "a district officer uploads, reads the dry-run report, confirms; the figures show its parks; another user cannot confirm it",
        arguments: TestDatabase.enabled)
    func uploadAndConfirm(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            try await TestUsers.create("pudong", role: .districtOfficer, scope: .district("310115"), on: app)
            try await TestUsers.create("pudong2", role: .districtOfficer, scope: .district("310115"), on: app)
            let browser = Browser(app)
            #expect(try await browser.signIn("pudong") == .seeOther)
            let page = try await browser.get("/census?year=2026")
            #expect(page.status == .ok && page.html.contains("导入本辖区的调查表"))
            // The upload's progress bar has its script here (and only on the pages that need it: the home snapshot has none).
            #expect(page.html.contains(#"<script src="/js/upload-progress.js" defer="defer"></script>"#))
            let token = try #require(Browser.csrf(in: page.html))
            let rows = CensusFixture.rows(count: 30, districts: [("310115", "浦东新区", ["张江", ""])])
            let file = CensusFixture.csv(rows)
            // without the CSRF token: refused
            let forged = try await browser.upload("/census/uploads", fields: ["year": "2026"], file: file, filename: "pudong.csv")
            #expect(forged.status == .forbidden)
            let dry = try await browser.upload("/census/uploads", fields: ["year": "2026", "_csrf": token], file: file, filename: "pudong.csv")
            #expect(dry.status == .ok)
            #expect(dry.html.contains("校验通过，待确认") && dry.html.contains("确认导入"))
            #expect(try await CensusIntentionModel.query(on: app.db).count() == 0, "the dry run wrote nothing")
            let upload = try #require(try await CensusUploadModel.query(on: app.db).first())
            let commitPath = "/census/uploads/\(try upload.requireID().uuidString)/commit"
            // another officer cannot confirm someone else's upload
            let other = Browser(app)
            #expect(try await other.signIn("pudong2") == .seeOther)
            let otherToken = try #require(Browser.csrf(in: try await other.get("/census").html))
            #expect(try await other.post(commitPath, ["_csrf": otherToken]).status == .notFound)
            let done = try await browser.post(commitPath, ["_csrf": token])
            #expect(done.status == .ok && done.html.contains("导入完成"))
            #expect(try await CensusIntentionModel.query(on: app.db).filter(\.$year == 2026).count() == 30)
            #expect(try await CensusUploadModel.query(on: app.db).count() == 0, "the file is not kept after its import")
            let figures = try await browser.get("/census?year=2026").html
            #expect(figures.contains("张江") && figures.contains("不在园区"), "a district officer sees its census by park")
            #expect(figures.contains(#"<tr class="total"><td>合计</td><td>6</td><td>30</td>"#))
            // the export is the viewer's scope, as a download
            let export = try await browser.get("/census/export?year=2026")
            #expect(export.headers.first(name: .contentDisposition)?.contains("census-2026.csv") == true)
            #expect(export.html.components(separatedBy: "\r\n").count == 32, "header, 30 rows, and the final line end")
            let workbook = try await browser.get("/census/export?year=2026&format=xlsx")
            #expect(workbook.status == .ok && workbook.headers.first(name: .contentDisposition)?.contains("census-2026.xlsx") == true)
            #expect(workbook.headers.contentType?.description == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            #expect(try await browser.get("/census/export?year=2026&format=pdf").status == .badRequest)
        }
    }

    @Test("a sheet with a bad row shows every error and offers no confirmation; an empty upload is named next to the field")
    func rejectedUpload() async throws {
        try await withTongdao { app in
            try await TestUsers.create("pudong", role: .districtOfficer, scope: .district("310115"), on: app)
            let browser = Browser(app)
            #expect(try await browser.signIn("pudong") == .seeOther)
            let token = try #require(Browser.csrf(in: try await browser.get("/census").html))
            var rows = CensusFixture.rows(count: 10)
            _ = CensusFixture.spoil(&rows, at: 0, kind: 0)
            let result = try await browser.upload(
                "/census/uploads", fields: ["year": "2026", "_csrf": token], file: CensusFixture.csv(rows), filename: "bad.csv")
            #expect(result.status == .unprocessableEntity)
            #expect(result.html.contains("校验未通过") && !result.html.contains("确认导入"))
            #expect(result.html.contains("<td>2</td><td>统一社会信用代码</td>"), "row 2 (the first data row) is named")
            #expect(result.html.contains("不在您的权限范围内"), "rows of other districts are rejected, not dropped")
            #expect(try await CensusUploadModel.query(on: app.db).count() == 0)
            let empty = try await browser.upload("/census/uploads", fields: ["year": "2026", "_csrf": token], file: Data(), filename: "empty.csv")
            #expect(empty.status == .unprocessableEntity && empty.html.contains(#"id="field-file-error">请选择要上传的文件"#))
            let reviewer = Browser(app)
            try await TestUsers.create("reviewer", role: .reviewer, scope: .city, on: app)
            #expect(try await reviewer.signIn("reviewer") == .seeOther)
            #expect(!(try await reviewer.get("/census").html.contains("导入本辖区的调查表")), "no upload for roles that may not import")
        }
    }
}
