import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

@Suite("The key-varieties list over the pages: proposed from the product page, confirmed, a plan refused at its row and saved")
struct KeyVarietyHTTPTests {
    @Test(
        "proposed, confirmed by the regulator, a milestone before its predecessor refused at its row with what was typed kept",
        arguments: TestDatabase.enabled)
    func pages(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let (_, products) = try await ConsultationHTTPTests.scene(app)
            try await TestUsers.create("pudong", role: .districtOfficer, scope: .district("310115"), on: app)
            let district = Browser(app)
            #expect(try await district.signIn("pudong") == .seeOther)
            #expect(try await district.get("/products/\(products[0].id)").html.contains("推荐列入在研重点品种服务清单"))
            let form = try await district.get("/key-varieties/new?product=\(products[0].id)")
            let token = try #require(Browser.csrf(in: form.html))
            let refused = try await district.post(
                "/key-varieties", ["_csrf": token, "product": products[0].id.uuidString, "reason": "", "justification": "首创"])
            #expect(refused.status == .unprocessableEntity && refused.html.contains("请选择列入理由") && refused.html.contains("首创"))
            #expect(
                try await district.post(
                    "/key-varieties", ["_csrf": token, "product": products[0].id.uuidString, "reason": "first_in_country", "justification": "国内首创"]
                ).status == .seeOther)
            let entry = try #require(try await KeyVarietyModel.query(on: app.db).first())
            let id = try entry.requireID()

            let regulator = Browser(app)
            #expect(try await regulator.signIn("regulator") == .seeOther)
            let page = try await regulator.get("/key-varieties/\(id)")
            #expect(page.html.contains("确认列入") && page.html.contains("待市局确认"))
            let regulatorToken = try #require(Browser.csrf(in: page.html))
            let confirmed = try await regulator.post(
                "/key-varieties/\(id)/decision",
                ["_csrf": regulatorToken, "version": "1", "decision": "confirm", "station": "zhangjiang", "officer": "zj-station"])
            #expect(confirmed.status == .seeOther)
            let early = try await regulator.post(
                "/key-varieties/\(id)/plan",
                ["_csrf": regulatorToken, "version": "2", "title0": "完成注册检验", "due0": "2027-03-31", "title1": "完成临床试验", "due1": "2027-01-31"])
            #expect(early.status == .unprocessableEntity && early.html.contains("不能早于前一环节“注册检验”"))
            #expect(early.html.contains(#"value="2027-01-31""#) && early.html.contains("完成临床试验"))
            let saved = try await regulator.post(
                "/key-varieties/\(id)/plan",
                ["_csrf": regulatorToken, "version": "2", "title0": "完成注册检验", "due0": "2027-03-31", "title1": "完成临床试验", "due1": "2027-09-30"])
            #expect(saved.status == .seeOther)
            let list = try await regulator.get("/key-varieties")
            #expect(list.html.contains("示例产品 0") && list.html.contains("注册检验（2027-03-31）") && list.html.contains("已列入"))
            let csv = try await regulator.get("/key-varieties/export?format=csv&status=confirmed")
            let lines = csv.html.split(separator: "\r\n")
            #expect(csv.status == .ok && lines.count == 2 && lines[0].contains("服务工作站") && lines[1].contains("注册检验：完成注册检验"))
            #expect(try await regulator.get("/key-varieties/export?format=xlsx").html.hasPrefix("PK"))
            let maker = Browser(app)
            #expect(try await maker.signIn("maker") == .seeOther)
            #expect(try await maker.get("/key-varieties/\(id)").html.contains("完成临床试验"))
        }
    }

    struct Problem: Decodable {
        struct Field: Decodable { var field: String }
        var errors: [Field]?
    }

    @Test(
        "the API: proposed (again: 409 naming `product`), confirmed and planned on If-Match, a milestone before its predecessor named",
        arguments: TestDatabase.enabled)
    func api(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let (_, products) = try await ConsultationHTTPTests.scene(app)
            let regulator = try await TestUsers.token("regulator", on: app)
            let station = try await TestUsers.token("zj-station", on: app)
            let proposal = #"{"productId": "\#(products[0].id)", "reason": "major_project", "justification": "市重大专项"}"#
            var id = ""
            try await app.testing().test(
                .POST, "/api/v1/key-varieties", headers: bearer(station), beforeRequest: { $0.body = ByteBuffer(string: proposal) }
            ) {
                res in
                #expect(res.status == .created, "\(res.body.string)")
                id = (try? decode([String: AnyDecodable].self, from: res))?["id"]?.text ?? ""
            }
            try await app.testing().test(
                .POST, "/api/v1/key-varieties", headers: bearer(regulator), beforeRequest: { $0.body = ByteBuffer(string: proposal) }
            ) {
                res in
                #expect(res.status == .conflict && decoded(Problem.self, from: res)?.errors?.map(\.field) == ["product"])
            }
            let decision = #"{"decision": "confirm", "station": "zhangjiang", "officer": "zj-station", "taskForce": "市区联合专班"}"#
            try await app.testing().test(
                .POST, "/api/v1/key-varieties/\(id)/decision", headers: bearer(regulator, ifMatch: 1),
                beforeRequest: { $0.body = ByteBuffer(string: decision) }
            ) { res in #expect(res.status == .ok && res.body.string.contains("\"statusLabel\":\"已列入\"")) }
            let early =
                #"{"milestones": [{"step": "review", "title": "申报", "dueOn": "2027-06-30"}, {"step": "clinical_trial", "title": "临床", "dueOn": "2027-09-30"}]}"#
            try await app.testing().test(
                .PUT, "/api/v1/key-varieties/\(id)/plan", headers: bearer(station, ifMatch: 2), beforeRequest: { $0.body = ByteBuffer(string: early) }
            ) { res in
                #expect(res.status == .unprocessableEntity && decoded(Problem.self, from: res)?.errors?.map(\.field) == ["milestones[0].dueOn"])
            }
            let plan =
                #"{"milestones": [{"step": "clinical_trial", "title": "临床", "dueOn": "2027-06-30"}, {"step": "review", "title": "申报", "dueOn": "2027-09-30"}]}"#
            try await app.testing().test(
                .PUT, "/api/v1/key-varieties/\(id)/plan", headers: bearer(station, ifMatch: 2), beforeRequest: { $0.body = ByteBuffer(string: plan) }
            ) { res in #expect(res.status == .ok && res.headers.first(name: .eTag) == "\"3\"") }
            try await app.testing().test(
                .POST, "/api/v1/key-varieties/\(id)/milestones/clinical_trial/completion", headers: bearer(station, ifMatch: 3)
            ) { res in #expect(res.status == .ok && res.body.string.contains("\"doneOn\":\"2026-11-23\"")) }
        }
    }
}

/// A JSON value read only for its text.
struct AnyDecodable: Decodable {
    var text: String?

    init(from decoder: any Decoder) throws {
        text = try? decoder.singleValueContainer().decode(String.self)
    }
}
