import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

@Suite("The risk checklist over HTTP: the API with problem details and If-Match, the pages keeping what was typed")
struct RiskHTTPTests {
    @Test(
        "an item recorded over the API, changed on If-Match; the page refuses a bad meeting keeping what was typed; a district may not read",
        arguments: TestDatabase.enabled)
    func apiAndPages(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let (marketed, _) = try await AdverseEventHTTPTests.scene(app)
            _ = try await app.platform.obligations.create(
                ObligationInput(product: marketed.id.uuidString, kind: "other", title: "补充资料", dueOn: "2027-01-31", officer: "regulator"),
                by: Fixtures.caller)
            let regulator = try await TestUsers.token("regulator", on: app)
            let district = try await TestUsers.token("district", on: app)
            try await app.testing().test(.GET, "/api/v1/risk-checklist", headers: bearer(regulator)) { res in
                #expect(res.status == .ok && res.body.string.contains(marketed.id.uuidString) && res.body.string.contains(#""conditional":true"#))
            }
            try await app.testing().test(.GET, "/api/v1/risk-checklist", headers: bearer(district)) { res in #expect(res.status == .forbidden) }
            let path = "/api/v1/products/\(marketed.id)/risk"
            let bad = #"{"source": "sampling", "description": "", "control": "召回", "owner": "注册人", "dueOn": "2027-02-30"}"#
            try await app.testing().test(.POST, "\(path)/items", headers: bearer(regulator), beforeRequest: { $0.body = ByteBuffer(string: bad) }) {
                res in
                #expect(
                    res.status == .unprocessableEntity && res.body.string.contains(#""field":"description""#)
                        && res.body.string.contains(#""field":"dueOn""#))
            }
            let good = #"{"source": "sampling", "description": "抽检不合格", "control": "召回", "owner": "注册人", "dueOn": "2027-02-28"}"#
            try await app.testing().test(.POST, "\(path)/items", headers: bearer(regulator), beforeRequest: { $0.body = ByteBuffer(string: good) }) {
                res in
                #expect(res.status == .created, "\(res.body.string)")
            }
            let item = try #require(try await RiskItemModel.query(on: app.db).first())
            let change = #"{"status": "controlling", "note": "已约谈"}"#
            try await app.testing().test(
                .POST, "\(path)/items/\(try item.requireID())/status", headers: bearer(regulator),
                beforeRequest: { $0.body = ByteBuffer(string: change) }
            ) { res in #expect(res.status == .preconditionRequired) }
            try await app.testing().test(
                .POST, "\(path)/items/\(try item.requireID())/status", headers: bearer(regulator, ifMatch: 1),
                beforeRequest: { $0.body = ByteBuffer(string: change) }
            ) { res in #expect(res.status == .ok && res.body.string.contains(#""status":"controlling""#)) }

            let browser = Browser(app)
            #expect(try await browser.signIn("regulator") == .seeOther)
            let list = try await browser.get("/risk-checklist")
            #expect(list.status == .ok && list.html.contains(marketed.name))
            let page = try await browser.get("/products/\(marketed.id)/risk")
            #expect(page.status == .ok && page.html.contains("抽检不合格") && page.html.contains("记录风险会商"))
            let token = try #require(Browser.csrf(in: page.html))
            let refused = try await browser.post(
                "/products/\(marketed.id)/risk/meetings", ["_csrf": token, "heldOn": "2026-11-20", "attendees": "李静\n郑婷", "decisions": ""])
            #expect(refused.status == .unprocessableEntity && refused.html.contains("请填写会商结论") && refused.html.contains("李静\n郑婷"))
            let held = try await browser.post(
                "/products/\(marketed.id)/risk/meetings",
                ["_csrf": token, "heldOn": "2026-11-20", "attendees": "李静\n郑婷", "decisions": "已整改，消除。", "changes[\(try item.requireID())]": "closed"])
            #expect(held.status == .seeOther)
            #expect(try await RiskItemModel.find(try item.requireID(), on: app.db)?.status == "closed")
            let districtBrowser = Browser(app)
            #expect(try await districtBrowser.signIn("district") == .seeOther)
            #expect(try await districtBrowser.get("/risk-checklist").status == .forbidden)
        }
    }
}
