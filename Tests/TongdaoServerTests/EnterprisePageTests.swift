import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

@Suite("Enterprise, user and audit pages")
struct EnterprisePageTests {
    @Test("a bad form comes back with each error next to its field and everything typed kept")
    func formErrors() async throws {
        try await withTongdao { app in
            try await TestUsers.create("pudong", role: .districtOfficer, scope: .district("310115"), on: app)
            let browser = Browser(app)
            #expect(try await browser.signIn("pudong") == .seeOther)
            let token = try #require(Browser.csrf(in: try await browser.get("/enterprises/new").html))
            let result = try await browser.post(
                "/enterprises",
                [
                    "_csrf": token, "uscc": "91310115MA1K00001A", "name": "上海输入保留测试有限公司", "district": "310115",
                    "park": "dongfang-meigu", "kind": "cro", "contactPhone": "call me",
                ])
            #expect(result.status == .unprocessableEntity)
            let html = result.html
            #expect(html.contains(#"id="field-uscc-error">统一社会信用代码无效：校验码错误：第 18 位为 A，应为 6"#))
            #expect(html.contains(#"id="field-park-error">该园区不在所选的区内"#))
            #expect(html.contains(#"id="field-contactPhone-error""#))
            #expect(html.contains(#"aria-invalid="true""#))
            #expect(html.contains(#"value="91310115MA1K00001A""#) && html.contains(#"value="上海输入保留测试有限公司""#))
            #expect(html.contains(#"<option value="cro" selected="selected">"#) && html.contains(#"value="call me""#))
            #expect(try await EnterpriseModel.query(on: app.db).count() == 0)
            // outside the officer's district: refused next to the district field
            let outside = try await browser.post(
                "/enterprises",
                [
                    "_csrf": token, "uscc": "91310115MA1K000016", "name": "上海徐汇测试有限公司", "district": "310104", "kind": "registrant",
                ])
            #expect(outside.status == .forbidden)
            #expect(outside.html.contains(#"id="field-district-error">超出您的权限范围"#))
        }
    }

    @Test(
        "a form saved on a version someone changed since comes back (409) with what was typed kept and what is saved now under each field that differs"
    )
    func staleForm() async throws {
        try await withTongdao { app in
            let enterprise = try await app.platform.enterprises.create(EnterpriseInput(DemoData.enterprises[0]), by: Fixtures.caller)
            try await TestUsers.create("pudong", role: .districtOfficer, scope: .district("310115"), on: app)
            try await TestUsers.create("pudong2", role: .districtOfficer, scope: .district("310115"), on: app)
            let first = Browser(app), second = Browser(app)
            #expect(try await first.signIn("pudong") == .seeOther)
            #expect(try await second.signIn("pudong2") == .seeOther)
            let path = "/enterprises/\(enterprise.id)"
            let opened = try await second.get("\(path)/edit").html
            #expect(opened.contains(#"<input type="hidden" name="version" value="1"/>"#))
            let token = try #require(Browser.csrf(in: opened))
            let firstToken = try #require(Browser.csrf(in: try await first.get("\(path)/edit").html))
            let form: [String: String] = [
                "name": enterprise.name, "district": enterprise.district, "park": enterprise.park ?? "", "kind": enterprise.kind.rawValue,
                "isStartup": enterprise.isStartup ? "true" : "", "contactName": enterprise.contactName ?? "",
                "contactPhone": enterprise.contactPhone ?? "", "version": "1",
            ]
            // The first officer renames it; the second, on the form opened before, changes the contact.
            let renamed = try await first.post(path, form.merging(["_csrf": firstToken, "name": "上海更名后医疗科技有限公司"]) { $1 })
            #expect(renamed.status == .seeOther)
            let stale = try await second.post(path, form.merging(["_csrf": token, "contactName": "李四"]) { $1 })
            #expect(stale.status == .conflict)
            let html = stale.html
            #expect(html.contains("您打开此页之后，此企业已被其他人修改，您的修改尚未保存。"))
            #expect(html.contains(#"id="field-name-saved">现已保存为：上海更名后医疗科技有限公司"#))
            #expect(html.contains(#"value="李四""#), "what was typed is kept")
            #expect(html.contains(#"id="field-contactName-saved">现已保存为："#), "the typed contact differs from the saved one")
            #expect(!html.contains(#"id="field-district-saved""#), "a field saved as typed says nothing")
            #expect(html.contains(#"<input type="hidden" name="version" value="2"/>"#), "the form is now on the version saved")
            let stored = try #require(try await EnterpriseModel.find(enterprise.id, on: app.db))
            #expect(stored.name == "上海更名后医疗科技有限公司" && stored.contactName == DemoData.enterprises[0].contactName && stored.version == 2)
            // Saved again as it came back, on the version now, the second officer's form is the record.
            let resent = try await second.post(
                path, form.merging(["_csrf": token, "contactName": "李四", "name": "上海更名后医疗科技有限公司", "version": "2"]) { $1 })
            #expect(resent.status == .seeOther)
            let final = try #require(try await EnterpriseModel.find(enterprise.id, on: app.db))
            #expect(final.name == "上海更名后医疗科技有限公司" && final.contactName == "李四" && final.version == 3)
        }
    }

    @Test("each viewer's list holds its scope only; another scope's page is 404; read-only roles get no edit form")
    func scopedPages() async throws {
        try await withTongdao { app in
            var ids: [String] = []
            for draft in DemoData.enterprises {
                ids.append(try await app.platform.enterprises.create(EnterpriseInput(draft), by: Fixtures.caller).id.uuidString)
            }
            try await TestUsers.create("firm", role: .enterpriseUser, scope: .enterprise(DemoData.enterprises[0].uscc), on: app)
            try await TestUsers.create("industry", role: .industryOfficer, scope: .city, on: app)
            let firm = Browser(app)
            #expect(try await firm.signIn("firm") == .seeOther)
            let list = try await firm.get("/enterprises").html
            #expect(list.contains(DemoData.enterprises[0].name))
            #expect(DemoData.enterprises.dropFirst().allSatisfy { !list.contains($0.name) })
            #expect(try await firm.get("/enterprises/\(ids[1])").status == .notFound)
            #expect(try await firm.get("/enterprises/\(ids[1])/edit").status == .notFound)
            #expect(try await firm.get("/enterprises/\(ids[0])/edit").status == .ok)

            let industry = Browser(app)
            #expect(try await industry.signIn("industry") == .seeOther)
            let all = try await industry.get("/enterprises").html
            #expect(DemoData.enterprises.allSatisfy { all.contains($0.name) })
            #expect(!all.contains("登记企业"))
            #expect(try await industry.get("/enterprises/new").status == .forbidden)
            #expect(try await industry.get("/enterprises/\(ids[1])/edit").status == .forbidden)
            #expect(try await industry.get("/admin/users").status == .forbidden)
            #expect(try await industry.get("/audit").status == .forbidden)
        }
    }

    @Test("the admin creates a user, resets a password and disables a user through the pages; the audit page shows it")
    func adminPages() async throws {
        try await withTongdao { app in
            try await TestUsers.create("root", role: .cityAdmin, scope: .city, on: app)
            let browser = Browser(app)
            #expect(try await browser.signIn("root") == .seeOther)
            let token = try #require(Browser.csrf(in: try await browser.get("/admin/users/new").html))
            let bad = try await browser.post(
                "/admin/users", ["_csrf": token, "username": "Bad Name", "role": "park_officer", "scope": "park:zhangjiang", "password": "short"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.html.contains(#"id="field-username-error""#) && bad.html.contains(#"id="field-password-error""#))
            #expect(bad.html.contains(#"value="Bad Name""#) && bad.html.contains(#"value="park:zhangjiang""#))
            let created = try await browser.post(
                "/admin/users",
                ["_csrf": token, "username": "zj.officer", "role": "park_officer", "scope": "park:zhangjiang", "password": "long enough password"])
            #expect(created.status == .seeOther)
            let officer = Browser(app)
            #expect(try await officer.signIn("zj.officer", password: "long enough password") == .seeOther)
            #expect(
                try await browser.post("/admin/users/zj.officer/password", ["_csrf": token, "password": "another long password"]).status == .seeOther)
            #expect(try await officer.get("/enterprises").status == .seeOther, "a reset ends the user's sessions")
            #expect(try await browser.post("/admin/users/zj.officer/disable", ["_csrf": token]).status == .seeOther)
            #expect(try await Browser(app).signIn("zj.officer", password: "another long password") == .unauthorized)
            let audit = try await browser.get("/audit?entity=user").html
            for action in ["<td>新建用户</td>", "<td>重置密码</td>", "<td>停用用户</td>"] {
                #expect(audit.contains(action), "\(action) on the audit page, by its label")
            }
            // The filter takes the type's label as well as its code, and the actor's username.
            #expect(try await browser.get("/audit?entity=%E7%94%A8%E6%88%B7").html.contains("<td>停用用户</td>"), "用户 is user")
            #expect(try await browser.get("/audit?actor=root").html.contains("<td>停用用户</td>"), "root is user:root")
            let badDate = try await browser.get("/audit?from=soon")
            #expect(badDate.status == .badRequest && badDate.html.contains(#"id="field-from-error""#))
        }
    }
}
