import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

@Suite("Cross-province entrustment links over the pages and the API")
struct DeltaHTTPTests {
    struct Problem: Decodable {
        struct Field: Decodable { var field: String }
        var errors: [Field]?
    }

    struct Link: Decodable {
        struct Event: Decodable { var kind: String }
        var id: String
        var version: Int
        var provinces: [String]
        var events: [Event]
    }

    struct Links: Decodable { var items: [Link] }

    @Test(
        "the regulator records a link (refused first with the field named and what was typed kept); Jiangsu reads it and not Zhejiang's (404); the registrant files a change both sides read; the API names bad fields and needs If-Match",
        arguments: TestDatabase.enabled)
    func pagesAndAPI(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let world = try await DeltaFixture.parties(on: app.platform)
            let firm = world.enterprises[0].uscc, other = world.enterprises[3].uscc
            let suzhou = world.partners[0].uscc, hangzhou = world.partners[1].uscc
            try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
            try await TestUsers.create("jiangsu", role: .partnerRegulator, scope: .province(.jiangsu), on: app)
            try await TestUsers.create("firm", role: .enterpriseUser, scope: .enterprise(firm), on: app)
            try await TestUsers.create("pudong", role: .districtOfficer, scope: .district("310115"), on: app)

            let regulator = Browser(app)
            #expect(try await regulator.signIn("regulator") == .seeOther)
            let form = try await regulator.get("/delta/links/new")
            #expect(form.status == .ok && form.html.contains("登记跨省委托生产"))
            let token = try #require(Browser.csrf(in: form.html))
            var typed = [
                "_csrf": token, "kind": "entrusted", "productName": "<i>示例</i>注射液", "productCategory": "drug", "registrant": firm,
                "site1Uscc": other, "startsOn": "2026-01-01", "endsOn": "2027-12-31", "agreementSignedOn": "2025-12-20",
                "agreementEndsOn": "2027-12-31",
            ]
            let refused = try await regulator.post("/delta/links", typed)
            #expect(refused.status == .unprocessableEntity && refused.html.contains("不属于跨省委托生产"))
            #expect(refused.html.contains("&lt;i&gt;示例&lt;/i&gt;注射液") && refused.html.contains(other), "what was typed is kept, escaped")
            typed["site1Uscc"] = suzhou
            #expect(try await regulator.post("/delta/links", typed).status == .seeOther)
            let made = try #require(try await DeltaLinkModel.query(on: app.db).first())
            let id = try made.requireID()
            _ = try await app.platform.deltaLinks.create(DeltaFixture.entrusted(firm, hangzhou, product: "示例导管"), by: Fixtures.caller)
            let page = try await regulator.get("/delta/links/\(id)")
            #expect(page.status == .ok && page.html.contains("江苏省药品监督管理局") && page.html.contains("委托生产备案") && !page.html.contains("<i>示例"))
            let list = try await regulator.get("/delta?province=ZJ")
            #expect(list.html.contains("在审申报 0 件 · 本年受理 0 件"))
            #expect(list.html.contains("示例导管") && !list.html.contains("示例</i>注射液") && !list.html.contains("&lt;i&gt;示例"))
            let sheet = try await regulator.get("/delta/export?format=csv")
            #expect(sheet.status == .ok && sheet.html.contains("受托生产企业") && sheet.html.contains("苏州示例生物制药有限公司"))

            // Jiangsu: its link, not Zhejiang's; nothing of the registry; the menu shows only the Delta.
            let jiangsu = Browser(app)
            #expect(try await jiangsu.signIn("jiangsu") == .seeOther)
            let seen = try await jiangsu.get("/delta")
            #expect(seen.status == .ok && seen.html.contains("示例</i>注射液") == false && seen.html.contains("&lt;i&gt;示例&lt;/i&gt;注射液"))
            #expect(!seen.html.contains("示例导管") && !seen.html.contains("登记跨省委托"))
            #expect(!seen.html.contains("href=\"/enterprises\""), "no registry in its menu")
            let zhejiangs = try #require(try await DeltaLinkModel.query(on: app.db).filter(\.$id != id).first()?.requireID())
            #expect(try await jiangsu.get("/delta/links/\(zhejiangs)").status == .notFound)
            #expect(try await jiangsu.get("/enterprises").status == .forbidden)
            #expect(try await jiangsu.get("/delta/links/\(id)").html.contains("提交备案") == false, "a partner files nothing")

            // The registrant files a change on its page; Jiangsu reads it.
            let owner = Browser(app)
            #expect(try await owner.signIn("firm") == .seeOther)
            let ownMap = try await owner.get("/delta")
            #expect(ownMap.html.contains("长三角协同地图") && !ownMap.html.contains("在审申报"), "an enterprise's map counts no applications")
            let own = try await owner.get("/delta/links/\(id)")
            #expect(own.html.contains("提交备案") && !own.html.contains("终止委托"))
            let ownToken = try #require(Browser.csrf(in: own.html))
            let filed = try await owner.post(
                "/delta/links/\(id)/events", ["_csrf": ownToken, "kind": "change", "on": "2026-11-20", "summary": "变更原料药供应商", "version": "1"])
            #expect(filed.status == .seeOther)
            #expect(try await jiangsu.get("/delta/links/\(id)").html.contains("变更原料药供应商"))
            let stale = try await owner.post(
                "/delta/links/\(id)/events", ["_csrf": ownToken, "kind": "change", "on": "2026-11-21", "summary": "再次变更", "version": "1"])
            #expect(stale.status == .conflict && stale.html.contains("该记录已被他人更新"))

            // The API.
            let partnerToken = try await TestUsers.token("jiangsu", on: app)
            try await app.testing().test(.GET, "/api/v1/delta/links", headers: bearer(partnerToken)) { res in
                let body = try #require(decoded(Links.self, from: res))
                #expect(res.status == .ok && body.items.map(\.id) == [id.uuidString] && body.items[0].provinces == ["SH", "JS"])
            }
            try await app.testing().test(.GET, "/api/v1/delta/links/\(zhejiangs)", headers: bearer(partnerToken)) { res in
                #expect(res.status == .notFound)
            }
            let district = try await TestUsers.token("pudong", on: app)
            try await app.testing().test(.GET, "/api/v1/delta/links", headers: bearer(district)) { res in #expect(res.status == .forbidden) }
            let api = try await TestUsers.token("regulator", on: app)
            let bad =
                #"{"kind": "segmented", "productName": "示例", "productCategory": "device", "registrant": "\#(firm)", "sites": [{"uscc": "\#(suzhou)"}], "startsOn": "2026-05-01", "endsOn": "2026-04-01", "agreementSignedOn": "2026-04-01", "agreementEndsOn": "2027-04-01"}"#
            try await app.testing().test(.POST, "/api/v1/delta/links", headers: bearer(api), beforeRequest: { $0.body = ByteBuffer(string: bad) }) {
                res in
                #expect(res.status == .unprocessableEntity)
                #expect(decoded(Problem.self, from: res)?.errors?.map(\.field) == ["sites", "endsOn"], "\(res.body.string)")
            }
            let event = #"{"kind": "ended", "on": "2026-11-23", "summary": "终止"}"#
            try await app.testing().test(
                .POST, "/api/v1/delta/links/\(id)/events", headers: bearer(api), beforeRequest: { $0.body = ByteBuffer(string: event) }
            ) { res in #expect(res.status == .preconditionRequired) }
            try await app.testing().test(
                .POST, "/api/v1/delta/links/\(id)/events", headers: bearer(api, ifMatch: 2), beforeRequest: { $0.body = ByteBuffer(string: event) }
            ) { res in
                #expect(res.status == .created)
                #expect(decoded(Link.self, from: res)?.events.map(\.kind) == ["filed", "change", "ended"])
            }
        }
    }
}

@Suite("Shared inspection results over the pages and the API")
struct DeltaShareHTTPTests {
    struct Share: Decodable {
        struct Finding: Decodable { var evidence: String? }
        var id: String
        var version: Int
        var findings: [Finding]
    }

    @Test(
        "the regulator shares a closed inspection (evidence refused first without a commitment, the choices kept), Jiangsu reads it with its evidence, a withdrawal makes it 404 at once; another partner never sees it",
        arguments: TestDatabase.enabled)
    func sharing(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let world = try await DeltaFixture.parties(on: app.platform)
            let closed = try await DeltaFixture.inspection(of: world.enterprises[1], closed: true, on: app.db)
            try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
            try await TestUsers.create("jiangsu", role: .partnerRegulator, scope: .province(.jiangsu), on: app)
            try await TestUsers.create("anhui", role: .partnerRegulator, scope: .province(.anhui), on: app)
            let regulator = Browser(app)
            #expect(try await regulator.signIn("regulator") == .seeOther)
            let page = try await regulator.get("/delta/shares")
            #expect(page.status == .ok && page.html.contains("共享检查结果") && page.html.contains("登记保密承诺"))
            let token = try #require(Browser.csrf(in: page.html))
            let typed = ["_csrf": token, "inspection": closed.uuidString, "province": "JS", "fields[]": "evidence", "note": "<b>参考</b>"]
            let refused = try await regulator.post("/delta/shares", typed)
            #expect(refused.status == .unprocessableEntity && refused.html.contains("证据记录须同时共享缺陷项") && refused.html.contains("&lt;b&gt;参考&lt;/b&gt;"))
            let commitment = ["_csrf": token, "province": "JS", "signedOn": "2026-06-01", "reference": "沪苏保密承诺 1 号"]
            #expect(try await regulator.post("/delta/commitments", commitment).status == .seeOther)
            let api = try await TestUsers.token("regulator", on: app)
            let body = #"{"inspection": "\#(closed)", "province": "JS", "fields": ["conclusion", "findings", "evidence"]}"#
            var share: Share?
            try await app.testing().test(.POST, "/api/v1/delta/shares", headers: bearer(api), beforeRequest: { $0.body = ByteBuffer(string: body) }) {
                res in
                #expect(res.status == .created)
                share = decoded(Share.self, from: res)
            }
            let made = try #require(share)
            let jiangsu = Browser(app)
            #expect(try await jiangsu.signIn("jiangsu") == .seeOther)
            let seen = try await jiangsu.get("/delta/shares/\(made.id)")
            #expect(seen.status == .ok && seen.html.contains("抽查 2026 年 9 月压差记录") && seen.html.contains("待整改后评定") && !seen.html.contains("撤回共享"))
            let anhui = Browser(app)
            #expect(try await anhui.signIn("anhui") == .seeOther)
            #expect(try await anhui.get("/delta/shares/\(made.id)").status == .notFound)
            let withdrawal = #"{"reason": "证据记录待更正"}"#
            try await app.testing().test(
                .POST, "/api/v1/delta/shares/\(made.id)/withdrawal", headers: bearer(api, ifMatch: made.version),
                beforeRequest: { $0.body = ByteBuffer(string: withdrawal) }
            ) { res in #expect(res.status == .ok) }
            #expect(try await jiangsu.get("/delta/shares/\(made.id)").status == .notFound)
            let partner = try await TestUsers.token("jiangsu", on: app)
            try await app.testing().test(.GET, "/api/v1/delta/shares/\(made.id)", headers: bearer(partner)) { res in #expect(res.status == .notFound)
            }
            try await app.testing().test(.GET, "/api/v1/delta/shares?inspection=null", headers: bearer(api)) { res in
                #expect(res.status == .unprocessableEntity && res.body.string.contains("inspection"))
            }
            try await app.testing().test(.GET, "/api/v1/delta/shares?inspection=\(closed)", headers: bearer(api)) { res in
                #expect(res.status == .ok && res.body.string.contains(made.id))
            }
            try await app.testing().test(.GET, "/api/v1/delta/commitments", headers: bearer(partner)) { res in
                #expect(res.status == .ok && res.body.string.contains("沪苏保密承诺 1 号"))
            }
        }
    }
}
