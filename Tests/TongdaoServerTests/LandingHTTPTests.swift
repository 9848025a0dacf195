import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

@Suite("Landing projects over the pages and the API: recorded, refused with what was typed kept, a problem raised, a meeting recorded")
struct LandingHTTPTests {
    struct Problem: Decodable {
        struct Field: Decodable { var field: String }
        var errors: [Field]?
    }

    @Test(
        "the pages: the regulator records a project (refused first, typed text kept), raises a problem, holds a meeting; the enterprise sees its own; another enterprise gets 404; the API names bad fields and needs If-Match",
        arguments: TestDatabase.enabled)
    func pagesAndAPI(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let (_, products) = try await ConsultationHTTPTests.scene(app)
            try await Fixtures.market([products[0]], on: app.platform)
            let regulator = Browser(app)
            #expect(try await regulator.signIn("regulator") == .seeOther)
            let list = try await regulator.get("/landing")
            #expect(list.status == .ok && list.html.contains("登记落地项目") && list.html.contains("示例产品 0"))
            let token = try #require(Browser.csrf(in: list.html))
            var typed = [
                "_csrf": token, "product": products[0].id.uuidString, "district": "310115", "site": "<b>张江</b>路 1 号", "status": "planned",
                "investment": "很多",
            ]
            let refused = try await regulator.post("/landing", typed)
            #expect(
                refused.status == .unprocessableEntity && refused.html.contains("投资额（万元）应为整数") && refused.html.contains("&lt;b&gt;张江&lt;/b&gt;路 1 号"))
            typed["investment"] = "3000"
            #expect(try await regulator.post("/landing", typed).status == .seeOther)
            let project = try #require(try await LandingProjectModel.query(on: app.db).first())
            let id = try project.requireID()
            let page = try await regulator.get("/landing/\(id)")
            #expect(page.html.contains("3000 万元") && page.html.contains("反映问题") && !page.html.contains("<b>张江"))
            let problem = [
                "_csrf": token, "title": "洁净厂房验收滞后", "detail": "检测排期较晚。", "owner": "区生态环境局", "dueOn": "2026-12-31",
            ]
            let raised = try await regulator.post("/landing/\(id)/problems", problem)
            #expect(raised.status == .seeOther, "\(raised.status) \(raised.html.prefix(3000))")
            let meeting = [
                "_csrf": token, "heldOn": "2026-11-20", "subject": "第一次落地会商", "attendees": "市经信委、市药监局", "decisions": "两周内完成检测。",
                "projects[]": id.uuidString,
            ]
            #expect(try await regulator.post("/landing/meetings", meeting).status == .seeOther)
            let meetings = try await regulator.get("/landing/meetings")
            #expect(meetings.html.contains("第一次落地会商") && meetings.html.contains("两周内完成检测。"))

            let firm = Browser(app)
            #expect(try await firm.signIn("maker") == .seeOther)
            let own = try await firm.get("/landing/\(id)")
            #expect(own.status == .ok && own.html.contains("洁净厂房验收滞后") && !own.html.contains("标记已解决"))
            let rival = Browser(app)
            #expect(try await rival.signIn("rival") == .seeOther)
            #expect(try await rival.get("/landing/\(id)").status == .notFound)
            let sheet = try await regulator.get("/landing/export?format=csv")
            #expect(sheet.status == .ok && sheet.html.contains("建设地点") && sheet.html.contains("示例产品 0"))

            let admin = try await TestUsers.token("admin", on: app)
            let body = #"{"product": "\#(products[1].id)", "district": "310115", "site": "临港", "status": "building"}"#
            try await app.testing().test(
                .POST, "/api/v1/landing-projects", headers: bearer(admin), beforeRequest: { $0.body = ByteBuffer(string: body) }
            ) {
                res in #expect(res.status == .unprocessableEntity && decoded(Problem.self, from: res)?.errors?.map(\.field) == ["product"])
            }
            let update = #"{"district": "310115", "site": "张江路 1 号", "status": "planned"}"#
            try await app.testing().test(
                .PUT, "/api/v1/landing-projects/\(id)", headers: bearer(admin), beforeRequest: { $0.body = ByteBuffer(string: update) }
            ) {
                res in #expect(res.status == .preconditionRequired)
            }
            try await app.testing().test(
                .PUT, "/api/v1/landing-projects/\(id)", headers: bearer(admin, ifMatch: 1),
                beforeRequest: { $0.body = ByteBuffer(string: update.replacingOccurrences(of: "planned", with: "building")) }
            ) { res in #expect(res.status == .ok && res.body.string.contains("\"statusLabel\":\"建设中\"") && res.body.string.contains("洁净厂房验收滞后")) }
            try await app.testing().test(.GET, "/api/v1/landing-meetings", headers: bearer(admin)) { res in
                #expect(res.status == .ok && res.body.string.contains("第一次落地会商"))
            }
        }
    }
}
