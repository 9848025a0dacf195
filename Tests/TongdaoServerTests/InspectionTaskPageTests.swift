import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

@Suite("An inspection's task in the browser: each step's form keeps what was typed and names the field; the inbox brings the invitation")
struct InspectionTaskPageTests {
    @Test("for cause, a team sent, the invitation answered, a finding on site; the office kept out until the notice", arguments: TestDatabase.enabled)
    func pages(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let (institution, wang, qian) = try await InspectionTaskAPITests.world(app)

            let regulator = Browser(app)
            #expect(try await regulator.signIn("regulator") == .seeOther)
            let new = try await regulator.get("/inspections/new").html
            let token = try #require(Browser.csrf(in: new))
            let target = "trial_institution:\(institution.id.uuidString)"
            // No reason: the form again, the choice kept, the message at the field.
            let refused = try await regulator.post("/inspections", ["_csrf": token, "target": target, "reason": " "])
            #expect(refused.status == .unprocessableEntity && refused.html.contains("请填写检查事由"))
            #expect(refused.html.contains(#"<option value="\#(target)" selected="selected">"#))
            let created = try await regulator.post("/inspections", ["_csrf": token, "target": target, "reason": "举报 <知情同意> \"代签\""])
            #expect(created.status == .seeOther)
            let path = try #require(created.headers.first(name: .location))
            let id = String(path.dropFirst("/inspections/".count))
            var page = try await regulator.get(path).html
            #expect(page.contains("组建检查组") && page.contains("王强（可任组长）") && page.contains("举报 &lt;知情同意&gt;") && !page.contains("<知情同意>"))
            #expect(try await regulator.get("/inspections").html.contains(institution.name))

            // A team without its lead: refused at the field, the ticked member kept.
            let team = try await regulator.post(
                "\(path)/team", pairs: [("_csrf", token), ("version", "1"), ("lead", ""), ("members[]", qian.id.uuidString)])
            #expect(team.status == .unprocessableEntity && team.html.contains("请选择检查组组长"))
            #expect(team.html.contains(#"value="\#(qian.id.uuidString)" id="member-\#(qian.id.uuidString)" checked="checked""#))
            let sent = try await regulator.post(
                "\(path)/team", pairs: [("_csrf", token), ("version", "1"), ("lead", wang.id.uuidString), ("members[]", qian.id.uuidString)])
            #expect(sent.status == .seeOther)
            page = try await regulator.get(path).html
            #expect(page.contains("检查组待确认") && page.contains("待确认"))

            // The inspector's inbox brings the invitation; accepting needs the declaration.
            let inspector = Browser(app)
            #expect(try await inspector.signIn("wang.qiang") == .seeOther)
            let inbox = try await inspector.get("/inbox").html
            #expect(inbox.contains("检查任务（1）") && inbox.contains("请确认是否接受检查任务"))
            let mine = try await inspector.get(path).html
            let inspectorToken = try #require(Browser.csrf(in: mine))
            let undeclared = try await inspector.post("\(path)/answer", ["_csrf": inspectorToken, "accept": "true"])
            #expect(undeclared.status == .unprocessableEntity && undeclared.html.contains("接受任务前须声明与被检查单位不存在利益冲突"))
            #expect(undeclared.html.contains(#"<option value="true" selected="selected">"#))
            #expect(
                try await inspector.post("\(path)/answer", ["_csrf": inspectorToken, "accept": "true", "declareNoConflict": "true"]).status
                    == .seeOther)
            #expect(
                try await inspector.post("\(path)/answer", ["accept": "true", "declareNoConflict": "true"]).status == .forbidden, "no CSRF token")

            // The office knows nothing of it before the notice.
            let office = Browser(app)
            #expect(try await office.signIn("office") == .seeOther)
            #expect(try await office.get(path).status == .notFound)
            #expect(try await office.get("/inspections").html.contains("没有符合条件的检查任务"))
            _ = id
        }
    }

    @Test("a licence inspection in the browser: the form keeps what was typed, the page explains the waiver and uses it, the plan lists it")
    func licenceWaiver() async throws {
        try await withTongdao(.sqlite) { app in
            let (enterprises, products) = try await Fixtures.enterprisesAndProducts(on: app.platform)
            try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
            let application = try await Fixtures.application(
                "SQZ2026000102", product: products[0].id, acceptedOn: CivilDate("2026-03-02")!, on: app.platform
            )
            .item.application.id
            try await Fixtures.record(ApplicationEvent(.qmsInspectionStarted, on: CivilDate("2026-03-10")!), on: application, platform: app.platform)
            try await Fixtures.record(
                ApplicationEvent(.qmsInspectionCompleted, on: CivilDate("2026-03-20")!, site: "上海市浦东新区张江路 123 号", qmsOutcome: .passed),
                on: application, platform: app.platform)
            let regulator = Browser(app)
            #expect(try await regulator.signIn("regulator") == .seeOther)
            let token = try #require(Browser.csrf(in: try await regulator.get("/inspections/new").html))
            let target = "enterprise:\(enterprises[0].id.uuidString)"
            let refused = try await regulator.post(
                "/inspections", ["_csrf": token, "type": "licence", "target": target, "centrallyProcured": "true"])
            #expect(refused.status == .unprocessableEntity && refused.html.contains("请填写生产地址"))
            #expect(
                refused.html.contains(#"<option value="licence" selected="selected">"#) && refused.html.contains(#"value="true" checked="checked""#))
            let created = try await regulator.post(
                "/inspections", ["_csrf": token, "type": "licence", "target": target, "address": "浦东新区张江路123号"])
            let path = try #require(created.headers.first(name: .location))
            var page = try await regulator.get(path).html
            #expect(page.contains("减免生产许可现场检查") && page.contains("符合") && page.contains("减免现场检查") && page.contains("浦东新区张江路123号"))
            #expect(try await regulator.get("/inspections/plan").html.contains("可减免"))
            #expect(try await regulator.post("\(path)/waiver", ["_csrf": token, "version": "1", "note": "核对无变化"]).status == .seeOther)
            page = try await regulator.get(path).html
            #expect(page.contains("已减免现场检查") && page.contains("减免依据") && page.contains("SQZ2026000102"))
            #expect(!page.contains("取消检查"), "a waived inspection is settled")
            // The enterprise's page links its credit file for the regulator, not for a district officer.
            let enterprise = "/enterprises/\(enterprises[0].id.uuidString)"
            let link = #"href="/credit/enterprise/\#(enterprises[0].id.uuidString)""#
            #expect(try await regulator.get(enterprise).html.contains(link))
            try await TestUsers.create("pudong", role: .districtOfficer, scope: .district("310115"), on: app)
            let district = Browser(app)
            #expect(try await district.signIn("pudong") == .seeOther)
            let seen = try await district.get(enterprise)
            #expect(seen.status == .ok && !seen.html.contains(link))
        }
    }

    @Test("the health commission in the browser: its menu answers, the notice prints and downloads, nothing of the registry")
    func healthCommission() async throws {
        try await withTongdao(.sqlite) { app in
            let institution = try await Fixtures.trialInstitution(on: app.platform)
            try await TestUsers.create("health", role: .healthOfficer, scope: .city, on: app)
            try await TestUsers.create("office", role: .trialInstitutionOfficer, scope: .institution(institution.id.uuidString), on: app)
            let health = Browser(app)
            #expect(try await health.signIn("health") == .seeOther)
            let home = try await health.get("/")
            #expect(home.status == .ok && home.html.contains("市卫生健康委"))
            // Every link of its menu answers.
            let menu = home.html.components(separatedBy: #"class="site-nav""#).dropFirst().first?.components(separatedBy: "</nav>").first ?? ""
            let links = menu.components(separatedBy: #"href=""#).dropFirst().compactMap { $0.split(separator: "\"").first.map(String.init) }
            #expect(!links.isEmpty)
            for link in links { #expect(try await health.get(link).status == .ok, "\(link)") }
            #expect(try await health.get("/enterprises").status == .forbidden)
            let list = try await health.get("/inspections").html
            #expect(list.contains("临床试验机构检查结果信息通报"))
            let notice = try await health.get("/inspections/notice?year=2026")
            #expect(notice.status == .ok && notice.html.contains("2026 年临床试验机构检查结果信息通报") && notice.html.contains("本年度尚无结案的临床试验机构检查"))
            #expect(notice.html.contains(#"class="small no-print""#) && notice.html.contains("下载 XLSX"))
            let file = try await health.get("/inspections/notice/export?year=2026&format=xlsx")
            #expect(file.status == .ok && file.headers.first(name: .contentType)?.contains("spreadsheetml") == true)
            #expect(try await health.get("/inspections/notice?year=abc").status == .badRequest)
            let office = Browser(app)
            #expect(try await office.signIn("office") == .seeOther)
            #expect(try await office.get("/inspections/notice").status == .forbidden)
        }
    }

    @Test("the pool's sheet and an inspector's record by year: for the managers and the inspector themself")
    func poolSheet() async throws {
        try await withTongdao(.sqlite) { app in
            let (_, wang, qian) = try await InspectionTaskAPITests.world(app)
            let regulator = Browser(app)
            #expect(try await regulator.signIn("regulator") == .seeOther)
            #expect(try await regulator.get("/inspectors").html.contains(#"href="/inspectors/export?format=xlsx""#))
            let file = try await regulator.get("/inspectors/export?format=xlsx")
            #expect(file.status == .ok && file.headers.first(name: .contentType)?.contains("spreadsheetml") == true)
            #expect(try await regulator.get("/inspectors/export?format=pdf").status == .badRequest)
            #expect(try await regulator.get("/inspectors/\(qian.id.uuidString)").html.contains("年度履职情况"))
            let inspector = Browser(app)
            #expect(try await inspector.signIn("wang.qiang") == .seeOther)
            #expect(try await inspector.get("/inspectors/export?format=csv").status == .forbidden)
            #expect(try await inspector.get("/inspectors/\(wang.id.uuidString)").html.contains("尚无结案的检查"), "their own record")
            #expect(!(try await inspector.get("/inspectors/\(qian.id.uuidString)").html.contains("年度履职情况")), "not another's")
        }
    }
}
