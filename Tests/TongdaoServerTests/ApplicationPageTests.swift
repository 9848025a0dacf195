import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

@Suite("Application pages: badges, the clock explained, the event form, the inbox, the product's journey")
struct ApplicationPageTests {
    @Test(
        "a reviewer reads the clock, records an event through the form (errors next to fields, values kept); the enterprise sees no notes",
        arguments: TestDatabase.enabled)
    func reviewerAndEnterprise(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let made = try await Fixtures.reviews(on: app.platform)
            let a = try #require(made["A"])
            let aPath = "/applications/\(a.id)"
            let browser = Browser(app)
            #expect(try await browser.signIn("li.ming") == .seeOther)

            let list = try await browser.get("/applications?level=red")
            #expect(list.status == .ok && list.html.contains("SH-A") && list.html.contains(#"class="badge level-red""#))
            #expect(list.html.contains("超期 · 超"))

            let page = try await browser.get(aPath)
            #expect(page.status == .ok && page.html.contains("时限计算") && page.html.contains("<td>计时</td>"))
            #expect(page.html.contains("记录事件"))
            let token = try #require(Browser.csrf(in: page.html))

            // An event the lifecycle refuses: named next to its field, the typed values kept, nothing stored.
            let refused = try await browser.post(
                "\(aPath)/events",
                ["_csrf": token, "type": "decision_made", "on": "2026-06-02", "decision": "approve", "certificate": "沪械注准20262210015"])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.html.contains(#"id="field-type-error""#))
            #expect(refused.html.contains(#"value="2026-06-02""#) && refused.html.contains(#"value="沪械注准20262210015""#))
            let missing = try await browser.post("\(aPath)/events", ["_csrf": token, "type": "review_completed", "on": ""])
            #expect(missing.status == .unprocessableEntity && missing.html.contains(#"id="field-on-error""#))
            #expect(try await ApplicationEventModel.query(on: app.db).filter(\.$application.$id == a.id).count() == 1)
            #expect(
                try await browser.post("\(aPath)/events", ["type": "review_completed", "on": "2026-06-02"]).status == .forbidden, "no CSRF token")

            let done = try await browser.post("\(aPath)/events", ["_csrf": token, "type": "review_completed", "on": "2026-06-02", "note": "同意注册"])
            #expect(done.status == .seeOther)
            let after = try await browser.get(aPath)
            #expect(after.html.contains("技术审评完成") && after.html.contains("同意注册"))

            let inbox = try await browser.get("/inbox")
            #expect(inbox.status == .ok && inbox.html.contains("SH-B") && inbox.html.contains("审评员"))

            // The enterprise: its application, no notes, no form; another enterprise: 404.
            let pudong = try #require(try await ProductModel.find(a.productID, on: app.db))
            try await TestUsers.create("firm", role: .enterpriseUser, scope: .enterprise(pudong.uscc), on: app)
            let firm = Browser(app)
            #expect(try await firm.signIn("firm") == .seeOther)
            let seen = try await firm.get(aPath)
            #expect(seen.status == .ok && seen.html.contains("技术审评完成"))
            #expect(!seen.html.contains("同意注册") && !seen.html.contains("审评意见") && !seen.html.contains("记录事件"))
            let journey = try await firm.get("/products/\(try pudong.requireID())")
            #expect(journey.html.contains("全程：从普查到上市") && journey.html.contains("申报 SH-A"))
            let other = try #require(try await EnterpriseModel.query(on: app.db).filter(\.$uscc != pudong.uscc).first())
            try await TestUsers.create("rival", role: .enterpriseUser, scope: .enterprise(other.uscc), on: app)
            let rival = Browser(app)
            #expect(try await rival.signIn("rival") == .seeOther)
            #expect(try await rival.get(aPath).status == .notFound)
        }
    }
}
