import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

@Suite("Conditional-approval obligations over HTTP: the API on If-Match with problem details, the pages keeping what was typed, the inbox")
struct ObligationHTTPTests {
    struct Record: Decodable {
        var id: String
        var version: Int
        var alert: String
        var status: String
        var evidence: String?
    }

    struct Problem: Decodable {
        struct Field: Decodable { var field: String }
        var errors: [Field]?
    }

    @Test("set, answered on If-Match, returned on a stale version with 409; every bad field named", arguments: TestDatabase.enabled)
    func api(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let (marketed, _) = try await AdverseEventHTTPTests.scene(app)
            let maker = try await TestUsers.token("maker", on: app)
            let reviewer = try await TestUsers.token("reviewer", on: app)
            let regulator = try await TestUsers.token("regulator", on: app)
            let bad = #"{"productId": "x", "kind": "other", "title": "", "dueOn": "2026-02-30", "officer": "maker"}"#
            try await app.testing().test(
                .POST, "/api/v1/obligations", headers: bearer(regulator), beforeRequest: { $0.body = ByteBuffer(string: bad) }
            ) {
                res in
                #expect(res.status == .unprocessableEntity)
                let fields = Set(decoded(Problem.self, from: res)?.errors?.map(\.field) ?? [])
                #expect(fields == ["product", "title", "dueOn", "officer"], "\(res.body.string)")
            }
            let good =
                #"{"productId": "\#(marketed.id)", "kind": "post_market_study", "title": "开展上市后研究", "dueOn": "2026-12-01", "officer": "regulator"}"#
            try await app.testing().test(.POST, "/api/v1/obligations", headers: bearer(maker), beforeRequest: { $0.body = ByteBuffer(string: good) })
            {
                res in #expect(res.status == .forbidden)
            }
            var made: Record?
            try await app.testing().test(
                .POST, "/api/v1/obligations", headers: bearer(regulator), beforeRequest: { $0.body = ByteBuffer(string: good) }
            ) {
                res in
                #expect(res.status == .created && res.headers.first(name: .eTag) == "\"1\"", "\(res.body.string)")
                made = decoded(Record.self, from: res)
            }
            let record = try #require(made)
            #expect(record.alert == "amber" && record.status == "open")
            let evidence = #"{"evidence": "研究方案已备案。"}"#
            let path = "/api/v1/obligations/\(record.id)"
            try await app.testing().test(.POST, "\(path)/evidence", headers: bearer(maker), beforeRequest: { $0.body = ByteBuffer(string: evidence) })
            {
                res in #expect(res.status == .preconditionRequired)
            }
            try await app.testing().test(
                .POST, "\(path)/evidence", headers: bearer(maker, ifMatch: 1), beforeRequest: { $0.body = ByteBuffer(string: evidence) }
            ) { res in
                #expect(res.status == .ok && res.headers.first(name: .eTag) == "\"2\"")
                #expect(decoded(Record.self, from: res)?.status == "submitted")
            }
            try await app.testing().test(
                .POST, "\(path)/review", headers: bearer(regulator, ifMatch: 1),
                beforeRequest: { $0.body = ByteBuffer(string: #"{"decision": "accept"}"#) }
            ) { res in #expect(res.status == .conflict) }
            try await app.testing().test(
                .POST, "\(path)/review", headers: bearer(regulator, ifMatch: 2),
                beforeRequest: { $0.body = ByteBuffer(string: #"{"decision": "accept"}"#) }
            ) { res in #expect(decoded(Record.self, from: res)?.status == "fulfilled") }
            try await app.testing().test(.GET, path, headers: bearer(reviewer)) { res in
                #expect(res.status == .ok && decoded(Record.self, from: res).map { $0.evidence == nil } == true, "evidence is confidential")
            }
            try await app.testing().test(.GET, "/api/v1/obligations?alert=done", headers: bearer(maker)) { res in
                #expect(decoded([String: [Record]].self, from: res)?["items"]?.map(\.id) == [record.id])
            }
            try await app.testing().test(.GET, "/api/v1/obligations?alert=purple", headers: bearer(maker)) { res in #expect(res.status == .badRequest)
            }
        }
    }

    @Test(
        "the pages: a refused form keeps what was typed with the message by its field; the registrant answers on the page; the inbox lists the red one",
        arguments: TestDatabase.enabled)
    func pages(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let (marketed, _) = try await AdverseEventHTTPTests.scene(app)
            let browser = Browser(app)
            #expect(try await browser.signIn("regulator") == .seeOther)
            let form = try await browser.get("/obligations/new?product=\(marketed.id)")
            #expect(form.status == .ok && form.html.contains("设定附条件批准义务"))
            let token = try #require(Browser.csrf(in: form.html))
            let refused = try await browser.post(
                "/obligations",
                [
                    "_csrf": token, "product": marketed.id.uuidString, "kind": "data_submission", "title": "", "dueOn": "2026-11-01",
                    "officer": "regulator",
                ])
            #expect(refused.status == .unprocessableEntity && refused.html.contains("请填写附带条件") && refused.html.contains(#"value="2026-11-01""#))
            let made = try await browser.post(
                "/obligations",
                [
                    "_csrf": token, "product": marketed.id.uuidString, "kind": "data_submission", "title": "补充提交长期随访数据", "dueOn": "2026-11-01",
                    "officer": "regulator",
                ])
            #expect(made.status == .seeOther)
            let obligation = try #require(try await ObligationModel.query(on: app.db).first())
            let inbox = try await browser.get("/inbox")
            #expect(inbox.html.contains("附条件批准义务（1）") && inbox.html.contains("补充提交长期随访数据") && inbox.html.contains("已逾期"))
            let list = try await browser.get("/obligations?alert=red")
            #expect(list.html.contains("补充提交长期随访数据") && list.html.contains("逾期 22 日"))

            let maker = Browser(app)
            #expect(try await maker.signIn("maker") == .seeOther)
            let page = try await maker.get("/obligations/\(try obligation.requireID())")
            #expect(page.status == .ok && page.html.contains("提交履行证据") && !page.html.contains("审核履行证据"))
            let makerToken = try #require(Browser.csrf(in: page.html))
            let empty = try await maker.post(
                "/obligations/\(try obligation.requireID())/evidence", ["_csrf": makerToken, "evidence": "", "version": "1"])
            #expect(empty.status == .unprocessableEntity && empty.html.contains("请填写履行证据"))
            let sent = try await maker.post(
                "/obligations/\(try obligation.requireID())/evidence", ["_csrf": makerToken, "evidence": "已提交随访数据。", "version": "1"])
            #expect(sent.status == .seeOther)
            let stale = try await maker.post(
                "/obligations/\(try obligation.requireID())/evidence", ["_csrf": makerToken, "evidence": "再次提交。", "version": "1"])
            #expect(stale.status == .conflict && stale.html.contains("该义务已被他人更新") && stale.html.contains("再次提交。"))
            #expect(try await browser.get("/obligations/\(try obligation.requireID())").html.contains("审核履行证据"))
        }
    }
}
