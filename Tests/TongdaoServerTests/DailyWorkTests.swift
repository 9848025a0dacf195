import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

/// What a regulator and the others need every day in the browser (issue 16, items 10–13), on the
/// demo city a newcomer sees.
@Suite("Daily work in the browser, on the demo city")
struct DailyWorkTests {
    static func signedIn(_ username: String, on app: Application) async throws -> Browser {
        let browser = Browser(app)
        #expect(try await browser.signIn(username, password: DemoData.password) == .seeOther)
        return browser
    }

    @Test(
        "menus by role, applications with their enterprise in the order of acceptance, demo names and years that say when there is nothing to compare"
    )
    func daily() async throws {
        try await withTongdao { app in
            _ = try await app.platform.demo.seedIfEmpty(by: .commandLine("test"))

            // An enterprise's account is not offered 登记企业, and the form refuses it in Chinese.
            let firm = try await Self.signedIn("enterprise", on: app)
            #expect(try await !firm.get("/enterprises").html.contains("登记企业"))
            let form = try await firm.get("/enterprises/new")
            #expect(form.status == .forbidden && form.html.contains("权限"))
            let officer = try await Self.signedIn("pudong", on: app)
            #expect(try await officer.get("/enterprises").html.contains(">登记企业</a>"))

            // The list shows each application's enterprise, in the order of acceptance across pages.
            let regulator = try await Self.signedIn("regulator", on: app)
            var accepted: [String] = []
            var path: String? = "/applications"
            var pages = 0
            while let next = path, pages < 4 {
                let page = try await regulator.get(next)
                #expect(page.status == .ok)
                #expect(page.html.contains("<th>企业</th>") && page.html.contains(#"<td><a href="/enterprises/"#))
                let rows = page.html.components(separatedBy: "<tr><td><a href=\"/applications/").dropFirst()
                accepted += rows.compactMap { row in
                    row.components(separatedBy: "</td><td>").first { $0.count == 10 && $0.hasPrefix("20") }
                }
                path = page.html.components(separatedBy: #"<p class="pager"><a href=""#).dropFirst().first?.components(separatedBy: "\"").first?
                    .replacingOccurrences(of: "&amp;", with: "&")
                pages += 1
            }
            #expect(accepted.count >= 100 && accepted == accepted.sorted(), "受理先后: by acceptance date, \(accepted.count) read")

            // Demo enterprises have names of their own, none told apart by a number.
            let names = try await EnterpriseModel.query(on: app.db).all().map(\.name)
            #expect(Set(names).count == names.count)
            #expect(!names.contains { $0.contains(try! Regex(#"（\d+）$"#)) }, "no name ends in a number")

            // The census's first year has no year before it: the page says so instead of counting
            // every declaration as new; the dashboard says 上年同期无数据 where last year has none.
            let firstYear = app.platform.clock.today().year - 2
            let census = try await regulator.get("/census?year=\(firstYear)")
            #expect(census.html.contains("上一年度（\(firstYear - 1)）无申报数据") && census.html.contains("<td>—</td>"))
            #expect(try await regulator.get("/census?year=\(firstYear + 1)").html.contains("变化与上一年度（\(firstYear)）比较"))
            #expect(try await !regulator.get("/dashboard").html.contains("上年同期 0"))
        }
    }

    @Test("an accepted application is registered in the browser, and the list exports with its filters")
    func registerAndExport() async throws {
        try await withTongdao { app in
            _ = try await app.platform.demo.seedIfEmpty(by: .commandLine("test"))
            let regulator = try await Self.signedIn("regulator", on: app)
            let product = try #require(try await ProductModel.query(on: app.db).filter(\.$name != "").first())
            let productID = try product.requireID().uuidString
            #expect(try await regulator.get("/products/\(productID)").html.contains("/applications/new?product=\(productID)"), "登记受理 on the product")
            let form = try await regulator.get("/applications/new?product=\(productID)")
            #expect(form.status == .ok && form.html.contains("产品：\(product.name)"))
            let csrf = try #require(Browser.csrf(in: form.html))
            // A refusal keeps what was typed, with the Chinese reason next to the field.
            let today = app.platform.clock.today()
            var typed = [
                "_csrf": csrf, "product": productID, "applicationNumber": "CQZ2699001", "acceptedOn": today.adding(days: 3).description,
                "procedure": "device.class2.registration", "authority": "shanghai_mpa", "channel": "normal", "reviewer": "reviewer",
            ]
            let refused = try await regulator.post("/applications", typed)
            #expect(refused.status.code == 422 || refused.status.code == 400, "a day after today is refused")
            #expect(refused.html.contains(#"id="field-acceptedOn-error""#) && refused.html.contains(#"value="CQZ2699001""#))
            typed["acceptedOn"] = today.description
            let created = try await regulator.post("/applications", typed)
            #expect(created.status == .seeOther, "\(created.html.prefix(300))")
            let location = try #require(created.headers.first(name: .location))
            let detail = try await regulator.get(location)
            #expect(detail.html.contains("CQZ2699001") && detail.html.contains("王磊") && detail.html.contains(product.name))
            // Who may not register is not offered it and is refused.
            let firm = try await Self.signedIn("enterprise", on: app)
            #expect(try await firm.get("/applications/new").status == .forbidden)
            #expect(try await !firm.get("/applications").html.contains("登记受理事项"))

            // The export holds the list as filtered: every open application in the scope, by name.
            let open = try await ApplicationModel.query(on: app.db).filter(\.$isOpen == true).count()
            let csv = try await regulator.get("/applications/export?format=csv&status=open")
            #expect(csv.status == .ok && csv.headers.first(name: .contentDisposition)?.contains(".csv") == true)
            let lines = csv.html.split(separator: "\r\n")
            #expect(lines.count == open + 1, "\(lines.count - 1) rows for \(open) open applications")
            #expect(lines.first?.contains("受理号") == true && lines.first?.contains("审评员") == true)
            #expect(csv.html.contains("CQZ2699001") && csv.html.contains("第二类医疗器械首次注册") && !csv.html.contains("device.class2"))
            let xlsx = try await regulator.get("/applications/export?format=xlsx&level=red")
            #expect(xlsx.status == .ok && xlsx.html.hasPrefix("PK"))
            // An enterprise exports its own applications only, without who reviews them.
            let own = try await firm.get("/applications/export?format=csv")
            let ownLines = own.html.split(separator: "\r\n")
            let ownCount = try await ApplicationModel.query(on: app.db).filter(\.$uscc == DemoData.enterprises[0].uscc).count()
            #expect(ownLines.count == ownCount + 1 && ownLines.first?.contains("审评员") == false)
        }
    }

    @Test(
        "the landing page is the user's own: their work, their scope's figures, the census season; the inbox is in the menu and tells of the digest")
    func landing() async throws {
        try await withTongdao { app in
            _ = try await app.platform.demo.seedIfEmpty(by: .commandLine("test"))
            _ = try await app.platform.digest.run(day: app.platform.clock.today(), by: .system("digest"))
            let pudong = try await Self.signedIn("pudong", on: app)
            let home = try await pudong.get("/")
            #expect(home.html.contains("刘洋，您好") && home.html.contains("浦东新区 概况"))
            #expect(home.html.contains(#"<a class="nav-link" href="/inbox">我的待办</a>"#))
            #expect(home.html.contains("年度注册意向普查") && home.html.contains("已申报"))
            // A district officer reviews nothing, but red items are escalated to them: the inbox says so.
            let digests = try await app.platform.digest.mine(limit: 1, by: try await app.platform.signIn.caller(actingAs: "pudong", command: "test"))
            let digest = try #require(digests.first)
            #expect(digest.escalated > 0, "the demo has overdue applications in 浦东")
            let inbox = try await pudong.get("/inbox")
            #expect(!inbox.html.contains("目前没有需要关注的申报事项"))
            #expect(inbox.html.contains("每日提醒中有 \(digest.items.count) 项需关注"))
            #expect(home.html.contains("\(digest.day) 的每日提醒有 \(digest.items.count) 项"))
            // A reviewer sees their own items on the landing page.
            let reviewer = try await Self.signedIn("reviewer", on: app)
            let reviewerInbox = try await app.platform.applications.inbox(
                by: try await app.platform.signIn.caller(actingAs: "reviewer", command: "test"))
            let reviewerHome = try await reviewer.get("/")
            #expect(reviewerInbox.isEmpty || reviewerHome.html.contains("\(reviewerInbox.count) 项需要关注"))
            // Signed out: the city's tree, and only the public sections in the menu.
            let signedOut = try await Browser(app).get("/")
            #expect(signedOut.html.contains("行政区划与生物医药园区") && !signedOut.html.contains("您好"))
            #expect(!signedOut.html.contains(#"href="/enterprises""#) && signedOut.html.contains(#"href="/calendar""#))
        }
    }
}
