import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

@Suite("The FAQ and case library over the pages and the API: drawn from a consultation, refused unreviewed, published, found")
struct LibraryHTTPTests {
    struct Problem: Decodable {
        struct Field: Decodable { var field: String }
        var errors: [Field]?
    }

    @Test(
        "a station drafts from an answered consultation (the form prefilled without the enterprise, kept when refused); the regulator publishes; the enterprise finds it",
        arguments: TestDatabase.enabled)
    func pages(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let (enterprises, products) = try await ConsultationHTTPTests.scene(app)
            let consultations = app.platform.consultations
            let maker = Caller.commandLine("test")
            let asked = try await consultations.ask(
                ConsultationInput(
                    enterprise: enterprises[0].id.uuidString, product: products[0].id.uuidString, topic: "clinical-trial", title: "多中心试验机构数量",
                    question: "\(enterprises[0].name)的示例产品 0 拟开展多中心临床试验，至少需要几家机构？"), by: maker)
            _ = try await consultations.respond(
                id: asked.id, response: "answer", text: "一般不少于两家，牵头单位负责方案统一。", expecting: asked.version, by: maker)

            let station = Browser(app)
            #expect(try await station.signIn("zj-station") == .seeOther)
            #expect(try await station.get("/consultations/\(asked.id)").html.contains("整理为常见问题"))
            let form = try await station.get("/library/new?consultation=\(asked.id)")
            #expect(form.status == .ok && form.html.contains("某企业的某产品 拟开展多中心临床试验") && !form.html.contains(enterprises[0].name))
            let token = try #require(Browser.csrf(in: form.html))
            let typed = [
                "_csrf": token, "kind": "faq", "title": "", "question": "多中心临床试验至少需要几家机构？", "answer": "一般不少于两家。",
                "topic": "clinical-trial", "consultation": asked.id.uuidString,
            ]
            let refused = try await station.post("/library", typed)
            #expect(refused.status == .unprocessableEntity && refused.html.contains("请填写标题") && refused.html.contains("多中心临床试验至少需要几家机构？"))
            var complete = typed
            complete["title"] = "多中心临床试验需要几家机构"
            #expect(try await station.post("/library", complete).status == .seeOther)
            let entry = try #require(try await LibraryEntryModel.query(on: app.db).first())
            let id = try entry.requireID()

            let regulator = Browser(app)
            #expect(try await regulator.signIn("regulator") == .seeOther)
            #expect(try await regulator.get("/library/drafts").html.contains("多中心临床试验需要几家机构"))
            let page = try await regulator.get("/library/\(id)")
            #expect(page.html.contains("审核通过并发布"))
            let regulatorToken = try #require(Browser.csrf(in: page.html))
            let unconfirmed = try await regulator.post("/library/\(id)/publish", ["_csrf": regulatorToken, "version": "1", "note": "可以"])
            #expect(unconfirmed.status == .unprocessableEntity && unconfirmed.html.contains("请确认已审核内容") && unconfirmed.html.contains("可以"))
            #expect(
                try await regulator.post("/library/\(id)/publish", ["_csrf": regulatorToken, "version": "1", "reviewed": "true"]).status == .seeOther)

            let firm = Browser(app)
            #expect(try await firm.signIn("rival") == .seeOther)
            let found = try await firm.get("/library?q=\("临床试验要找多少家医院".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? "")")
            #expect(found.html.contains("多中心临床试验需要几家机构"))
            let read = try await firm.get("/library/\(id)")
            #expect(read.html.contains("一般不少于两家") && !read.html.contains("来源咨询") && !read.html.contains("审核通过并发布"))
            #expect(try await LibraryEntryModel.find(id, on: app.db)?.views == 1)
        }
    }

    @Test(
        "the API: a draft set to published refused at `status`; published on If-Match by another; searched; a stale version 409",
        arguments: TestDatabase.enabled)
    func api(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            _ = try await ConsultationHTTPTests.scene(app)
            let station = try await TestUsers.token("zj-station", on: app)
            let regulator = try await TestUsers.token("regulator", on: app)
            let maker = try await TestUsers.token("maker", on: app)
            let body =
                #"{"kind": "case", "title": "分类界定在先", "question": "按第二类申报后被要求按第三类管理。", "answer": "类别不确定时先申请分类界定。", "topic": "classification", "status": "published"}"#
            try await app.testing().test(.POST, "/api/v1/library", headers: bearer(station), beforeRequest: { $0.body = ByteBuffer(string: body) }) {
                res in
                #expect(res.status == .unprocessableEntity && decoded(Problem.self, from: res)?.errors?.map(\.field) == ["status"])
            }
            var id = ""
            try await app.testing().test(
                .POST, "/api/v1/library", headers: bearer(station),
                beforeRequest: { $0.body = ByteBuffer(string: body.replacingOccurrences(of: #""published""#, with: #""draft""#)) }
            ) { res in
                #expect(res.status == .created, "\(res.body.string)")
                id = (try? decode([String: AnyDecodable].self, from: res))?["id"]?.text ?? ""
            }
            try await app.testing().test(.GET, "/api/v1/library/\(id)", headers: bearer(maker)) { res in #expect(res.status == .notFound) }
            try await app.testing().test(.GET, "/api/v1/library-drafts", headers: bearer(maker)) { res in #expect(res.status == .forbidden) }
            try await app.testing().test(
                .POST, "/api/v1/library/\(id)/publication", headers: bearer(regulator, ifMatch: 1),
                beforeRequest: { $0.body = ByteBuffer(string: #"{"reviewed": false}"#) }
            ) { res in #expect(res.status == .unprocessableEntity && decoded(Problem.self, from: res)?.errors?.map(\.field) == ["reviewed"]) }
            try await app.testing().test(
                .POST, "/api/v1/library/\(id)/publication", headers: bearer(regulator, ifMatch: 1),
                beforeRequest: { $0.body = ByteBuffer(string: #"{"reviewed": true, "note": "已核对"}"#) }
            ) { res in #expect(res.status == .ok && res.body.string.contains("\"statusLabel\":\"已发布\"") && res.headers.first(name: .eTag) == "\"2\"")
            }
            try await app.testing().test(
                .GET, "/api/v1/library?q=\("产品类别不确定怎么办".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? "")&kind=case",
                headers: bearer(maker)
            ) { res in #expect(res.status == .ok && res.body.string.contains("分类界定在先")) }
            try await app.testing().test(
                .POST, "/api/v1/library/\(id)/withdrawal", headers: bearer(regulator, ifMatch: 1),
                beforeRequest: { $0.body = ByteBuffer(string: #"{"reason": "过时"}"#) }
            ) { res in #expect(res.status == .conflict) }
        }
    }
}
