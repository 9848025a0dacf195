import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import TongdaoXLSX
import VaporTesting

@Suite("Joint inspections and recognised results over the pages and the API")
struct DeltaInspectionHTTPTests {
    struct Joint: Decodable {
        struct Member: Decodable { var name: String; var organisation: String }
        var id: String
        var version: Int
        var members: [Member]
    }

    struct Result: Decodable {
        var id: String
        var version: Int
        var status: String
        var inspectionId: String?
    }

    @Test(
        "the regulator makes an inspection joint (refused first, the typed rows kept); Jiangsu names its inspectors on its page and Zhejiang gets 404; Jiangsu reports a result over the API, the regulator recognises it on the page and the inspection shows it; If-Match and fields named",
        arguments: TestDatabase.enabled)
    func jointAndRecognition(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let world = try await DeltaFixture.parties(on: app.platform)
            let firm = world.enterprises[0]
            let link = try await app.platform.deltaLinks.create(DeltaFixture.entrusted(firm.uscc, world.partners[0].uscc), by: Fixtures.caller)
            let open = try await DeltaFixture.inspection(of: firm, status: .planned, on: app.db)
            try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
            try await TestUsers.create("jiangsu", role: .partnerRegulator, scope: .province(.jiangsu), on: app)
            try await TestUsers.create("zhejiang", role: .partnerRegulator, scope: .province(.zhejiang), on: app)
            let regulator = Browser(app)
            #expect(try await regulator.signIn("regulator") == .seeOther)
            // The link's page offers, with Jiangsu, a joint inspection and a notice about it, their forms filled in.
            let linkPage = try await regulator.get("/delta/links/\(link.id)")
            let planning = "/delta/inspections?link=\(link.id)&amp;province=JS#plan-joint"
            #expect(linkPage.html.contains("与江苏省药品监督管理局：<a href=\"\(planning)\">商定联合检查</a>"))
            #expect(linkPage.html.contains("/delta/notices?link=\(link.id)&amp;province=JS#send-notice"))
            let filled = try await regulator.get("/delta/inspections?link=\(link.id)&province=JS")
            #expect(
                filled.html.contains(#"id="field-link" value="\#(link.id)""#) && filled.html.contains(#"<option value="JS" selected="selected">"#))
            let drafted = try await regulator.get("/delta/notices?link=\(link.id)&province=JS")
            #expect(
                drafted.html.contains(#"id="field-link" value="\#(link.id)""#) && drafted.html.contains(#"<option value="JS" selected="selected">"#))
            let page = try await regulator.get("/delta/inspections")
            #expect(page.status == .ok && page.html.contains("商定联合检查") && page.html.contains("登记伙伴省份的检查结果"))
            #expect(!page.html.contains(#"<option value="JS" selected="selected">"#), "without a query the form is empty")
            let token = try #require(Browser.csrf(in: page.html))
            let refused = try await regulator.post(
                "/delta/joint",
                pairs: [
                    ("_csrf", token), ("inspection", open.uuidString), ("province", "JS"), ("memberName[]", ""),
                    ("memberOrganisation[]", "<i>苏州市局</i>"), ("memberTitle[]", ""),
                ])
            #expect(refused.status == .unprocessableEntity && refused.html.contains("第 1 名检查员：请填写姓名"))
            #expect(refused.html.contains("&lt;i&gt;苏州市局&lt;/i&gt;"), "the typed row comes back, escaped")
            let made = try await regulator.post(
                "/delta/joint", pairs: [("_csrf", token), ("inspection", open.uuidString), ("province", "JS"), ("note", "串联检查")])
            #expect(made.status == .seeOther)
            let location = try #require(made.headers.first(name: .location))
            let jointID = String(location.split(separator: "/").last ?? "")

            // Jiangsu names its two inspectors on the page; Zhejiang cannot reach it.
            let jiangsu = Browser(app)
            #expect(try await jiangsu.signIn("jiangsu") == .seeOther)
            let mine = try await jiangsu.get(location)
            #expect(mine.status == .ok && mine.html.contains("填写伙伴省份检查员") && !mine.html.contains("查看检查任务"))
            let version = try #require(try await DeltaJointModel.find(UUID(uuidString: jointID), on: app.db)).version
            let named = try await jiangsu.post(
                "\(location)/members",
                pairs: [
                    ("_csrf", try #require(Browser.csrf(in: mine.html))), ("version", String(version)), ("memberName[]", "陆文涛"),
                    ("memberOrganisation[]", ""), ("memberTitle[]", "副组长"), ("memberName[]", "周敏"), ("memberOrganisation[]", "江苏省药品检查中心"),
                    ("memberTitle[]", ""),
                ])
            #expect(named.status == .seeOther)
            let zhejiang = Browser(app)
            #expect(try await zhejiang.signIn("zhejiang") == .seeOther)
            #expect(try await zhejiang.get(location).status == .notFound)
            let inspectionPage = try await regulator.get("/inspections/\(open)")
            #expect(inspectionPage.html.contains("长三角联合检查：江苏省药品监督管理局") && inspectionPage.html.contains("陆文涛（江苏省药品监督管理局）"))

            let partner = try await TestUsers.token("jiangsu", on: app)
            try await app.testing().test(.GET, "/api/v1/delta/joint-inspections/\(jointID)", headers: bearer(partner)) { res in
                #expect(res.status == .ok && decoded(Joint.self, from: res)?.members.map(\.name) == ["陆文涛", "周敏"])
            }
            let members = #"{"members": [{"name": "陆文涛"}]}"#
            try await app.testing().test(
                .PUT, "/api/v1/delta/joint-inspections/\(jointID)/members", headers: bearer(partner),
                beforeRequest: { $0.body = ByteBuffer(string: members) }
            ) { res in #expect(res.status == .preconditionRequired) }

            // A result over the API: a licence type refused at `types`; then recorded, recognised on the page.
            let licence =
                #"{"creditCode": "\#(firm.uscc)", "types": ["licence"], "completedOn": "2026-11-02", "conclusion": "compliant", "reference": "苏药监检〔2026〕5号"}"#
            try await app.testing().test(
                .POST, "/api/v1/delta/results", headers: bearer(partner), beforeRequest: { $0.body = ByteBuffer(string: licence) }
            ) {
                res in
                #expect(res.status == .unprocessableEntity && res.body.string.contains("\"types\""))
            }
            var recorded: Result?
            let good = licence.replacingOccurrences(of: "licence", with: "manufacturer")
            try await app.testing().test(
                .POST, "/api/v1/delta/results", headers: bearer(partner), beforeRequest: { $0.body = ByteBuffer(string: good) }
            ) {
                res in
                #expect(res.status == .created)
                recorded = decoded(Result.self, from: res)
            }
            let result = try #require(recorded)
            let resultPage = try await regulator.get("/delta/results/\(result.id)")
            #expect(resultPage.status == .ok && resultPage.html.contains("予以互认"))
            let recognised = try await regulator.post(
                "/delta/results/\(result.id)/recognition",
                ["_csrf": try #require(Browser.csrf(in: resultPage.html)), "version": String(result.version)])
            #expect(recognised.status == .seeOther)
            try await app.testing().test(.GET, "/api/v1/delta/results/\(result.id)", headers: bearer(partner)) { res in
                let read = decoded(Result.self, from: res)
                #expect(read?.status == "recognised" && read?.inspectionId == open.uuidString)
            }
            let settled = try await regulator.get("/inspections/\(open)")
            #expect(settled.html.contains("已互认检查结果") && settled.html.contains("苏药监检〔2026〕5号"))
            let again = try await regulator.post(
                "/delta/results/\(result.id)/declination",
                ["_csrf": try #require(Browser.csrf(in: resultPage.html)), "version": String(result.version + 1), "reason": "重复"])
            #expect(again.status == .conflict && again.html.contains("该检查结果已认定（已互认）"))
            try await app.testing().test(.GET, "/api/v1/delta/results", headers: bearer(try await TestUsers.token("zhejiang", on: app))) { res in
                #expect(res.status == .ok && !res.body.string.contains(result.id))
            }
        }
    }

    @Test(
        "the regulator sends a notice (refused first, what was typed kept), Jiangsu answers it on its page, Zhejiang gets 404; the list exported as CSV and Excel, each reader its own; the API lists it with its day due and needs If-Match to answer",
        arguments: TestDatabase.enabled)
    func notices(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            _ = try await DeltaFixture.parties(on: app.platform)
            try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
            try await TestUsers.create("jiangsu", role: .partnerRegulator, scope: .province(.jiangsu), on: app)
            try await TestUsers.create("zhejiang", role: .partnerRegulator, scope: .province(.zhejiang), on: app)
            let regulator = Browser(app)
            #expect(try await regulator.signIn("regulator") == .seeOther)
            let page = try await regulator.get("/delta/notices")
            #expect(page.status == .ok && page.html.contains("发出风险通报或协查请求"))
            let token = try #require(Browser.csrf(in: page.html))
            var form = [
                "_csrf": token, "kind": "risk", "province": "JS", "subject": "<b>原料变更</b>未备案", "body": "请核实。", "sentOn": "2026-09-30",
                "workingDays": "三天",
            ]
            let refused = try await regulator.post("/delta/notices", form)
            #expect(refused.status == .unprocessableEntity && refused.html.contains("答复时限（工作日）应为整数"))
            #expect(refused.html.contains("&lt;b&gt;原料变更&lt;/b&gt;未备案") && refused.html.contains("2026-09-30"))
            form["workingDays"] = "3"
            let sent = try await regulator.post("/delta/notices", form)
            #expect(sent.status == .seeOther)
            let location = try #require(sent.headers.first(name: .location))
            let shown = try await regulator.get(location)
            #expect(shown.html.contains("2026-10-10 前") && shown.html.contains("超期") && !shown.html.contains("提交答复"))

            let jiangsu = Browser(app)
            #expect(try await jiangsu.signIn("jiangsu") == .seeOther)
            let mine = try await jiangsu.get(location)
            #expect(mine.status == .ok && mine.html.contains("提交答复"))
            let home = try await jiangsu.get("/")
            #expect(home.html.contains("江苏省药品监督管理局 · 长三角协同") && home.html.contains("待答复的风险通报和协查请求 1 件（其中已超期 1 件）"))
            #expect(!home.html.contains("我的待办"), "a partner reads no applications: no applications' inbox, no link to one")
            let landing = try await jiangsu.get("/delta")
            #expect(landing.html.contains("长三角协同地图") && landing.html.contains("仅本省") && landing.html.contains("<title>上海市</title>"))
            let id = String(location.split(separator: "/").last ?? "")
            let answered = try await jiangsu.post(
                "\(location)/answer", ["_csrf": try #require(Browser.csrf(in: mine.html)), "version": "1", "answer": "已核实，已责令补办备案。"])
            #expect(answered.status == .seeOther)
            let zhejiang = Browser(app)
            #expect(try await zhejiang.signIn("zhejiang") == .seeOther)
            #expect(try await zhejiang.get(location).status == .notFound)

            // The list as a sheet: the regulator's holds the notice, its day due and its late answer; Zhejiang's none.
            #expect(page.html.contains(#"<a href="/delta/notices/export?format=xlsx">导出 Excel</a>"#))
            let sheet = try await regulator.get("/delta/notices/export?format=csv")
            #expect(sheet.status == .ok && sheet.html.contains("<b>原料变更</b>未备案") && sheet.html.contains("已核实，已责令补办备案。"))
            var rows: [[String]] = []
            try await app.testing().test(.GET, "/delta/notices/export?format=xlsx", headers: regulator.headers) { res in
                rows = try XLSX.rows(of: Data(res.body.readableBytesView))
            }
            #expect(rows.count == 2 && rows[0][7] == "应答复日期" && rows[1][1] == "<b>原料变更</b>未备案" && rows[1][2] == "江苏省")
            #expect(rows.count == 2 && rows[1][7] == "2026-10-10" && rows[1][8] == "已答复（逾期）")
            let theirs = try await zhejiang.get("/delta/notices/export?format=csv")
            #expect(theirs.status == .ok && theirs.html.contains("应答复日期") && !theirs.html.contains("原料变更"))

            let partner = try await TestUsers.token("jiangsu", on: app)
            try await app.testing().test(.GET, "/api/v1/delta/notices?status=answered", headers: bearer(partner)) { res in
                #expect(res.status == .ok && res.body.string.contains(id) && res.body.string.contains("\"dueOn\":\"2026-10-10\""))
            }
            let again = #"{"answer": "再次"}"#
            try await app.testing().test(
                .POST, "/api/v1/delta/notices/\(id)/answer", headers: bearer(partner), beforeRequest: { $0.body = ByteBuffer(string: again) }
            ) { res in #expect(res.status == .preconditionRequired) }
            try await app.testing().test(
                .POST, "/api/v1/delta/notices/\(id)/answer", headers: bearer(partner, ifMatch: 2),
                beforeRequest: { $0.body = ByteBuffer(string: again) }
            ) { res in #expect(res.status == .conflict && res.body.string.contains("answer")) }
        }
    }
}
