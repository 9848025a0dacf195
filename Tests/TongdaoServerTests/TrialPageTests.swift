import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

@Suite("Clinical-trial pages: the list, a trial, an institution, an investigator, the PI-load list")
struct TrialPageTests {
    /// Two institutions; 王明 at the first over the threshold (six active lead sites, one of a pilot
    /// trial approved 100 days ago without its first consent), 李华 at the second with one trial.
    static func scene(_ app: Application) async throws -> (
        enterprises: [EnterpriseRecord], here: InstitutionRecord, there: InstitutionRecord, pi: InvestigatorRecord, made: [TrialDetail]
    ) {
        let enterprises = try await Fixtures.enterprises(on: app.platform)
        let trials = app.platform.trials
        let here = try await Fixtures.trialInstitution(code: "12310000425005166U", on: app.platform)
        let there = try await Fixtures.trialInstitution(code: "12310000425005999X", on: app.platform)
        let pi = try await trials.createInvestigator(
            InvestigatorInput(institutionID: here.id.uuidString, name: "王明", specialty: "肿瘤科", title: "主任医师", senior: true, earlierTrials: 9),
            by: Fixtures.caller)
        let otherPI = try await trials.createInvestigator(
            InvestigatorInput(institutionID: there.id.uuidString, name: "李华", specialty: "肿瘤科", title: "副主任医师", senior: true, earlierTrials: 3),
            by: Fixtures.caller)
        var made: [TrialDetail] = []
        for index in 0..<6 {
            let trial = try await trials.createTrial(
                TrialInput(
                    registrationNumber: "CTR2026\(5000 + index)", title: "示例药物 \(index) 号 I 期研究", kind: "drug", phase: "phase_1",
                    sponsor: enterprises[0].uscc, approvedOn: Fixtures.today.adding(days: -100).description, pilot: index == 0),
                by: Fixtures.caller)
            made.append(
                try await trials.addSite(
                    SiteInput(
                        institutionID: here.id.uuidString, investigatorID: pi.id.uuidString, role: "lead",
                        ethicsApprovedOn: Fixtures.today.adding(days: -60).description, activatedOn: Fixtures.today.adding(days: -50).description),
                    to: trial.trial.id, by: Fixtures.caller))
        }
        let elsewhere = try await trials.createTrial(
            TrialInput(registrationNumber: "CTR20269999", title: "他院试验", kind: "drug", phase: "phase_2", sponsor: enterprises[3].uscc),
            by: Fixtures.caller)
        _ = try await trials.addSite(
            SiteInput(institutionID: there.id.uuidString, investigatorID: otherPI.id.uuidString, role: "lead"), to: elsewhere.trial.id,
            by: Fixtures.caller)
        return (enterprises, here, there, pi, made)
    }

    @Test(
        "the regulator reads the trials, their sites by name and the overloaded PIs; an institution's office only its own; the industry department counts",
        arguments: TestDatabase.enabled)
    func pages(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let (enterprises, here, there, pi, made) = try await Self.scene(app)
            try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
            try await TestUsers.create("industry", role: .industryOfficer, scope: .city, on: app)
            try await TestUsers.create("office", role: .trialInstitutionOfficer, scope: .institution(there.id.uuidString), on: app)

            let regulator = Browser(app)
            #expect(try await regulator.signIn("regulator") == .seeOther)
            let list = try await regulator.get("/trials").html
            #expect(list.contains("CTR20265000") && list.contains("他院试验") && list.contains(enterprises[0].name))
            #expect(list.contains("未按期启动 · 超 16 日"), "the pilot trial approved 100 days ago has not started")
            let page = try await regulator.get("/trials/\(made[0].trial.id.uuidString)").html
            #expect(page.contains(here.name) && page.contains("王明") && page.contains("组长单位") && page.contains("增加参加机构"))
            #expect(page.contains("资格豁免") && !page.contains("产品管理类别"), "a drug trial has no device class")
            let load = try await regulator.get("/supervision/pi-load").html
            #expect(load.contains("王明") && load.contains("6（5）") && !load.contains("李华"))
            let person = try await regulator.get("/investigators/\(pi.id.uuidString)").html
            #expect(person.contains("同期承担项目超过阈值"))
            // The load over two years, drawn: 0 until the sites opened 50 days ago, 6 now, the threshold 5 as a line.
            #expect(person.contains("<svg") && person.contains("王明同期在研中心数") && person.contains("预警阈值 5"))
            #expect(person.contains("，\(Fixtures.today.description.prefix(7)) 6"), "this month: 6 active sites")
            let institution = try await regulator.get("/trial-institutions/\(here.id.uuidString)").html
            #expect(institution.contains("肿瘤科") && institution.contains("王明") && institution.contains("三级甲等"))
            // Six lead sites, activated 10 days after their ethics approval; no participating site's review to measure.
            #expect(institution.contains("启动用时") && institution.contains("10 日（6 个中心）") && institution.contains("<td>—</td>"))

            let industry = Browser(app)
            #expect(try await industry.signIn("industry") == .seeOther)
            let counted = try await industry.get("/supervision/pi-load").html
            #expect(counted.contains("：1 人") && !counted.contains("王明") && counted.contains("不显示研究者姓名"))

            let office = Browser(app)
            #expect(try await office.signIn("office") == .seeOther)
            let own = try await office.get("/trials").html
            #expect(own.contains("他院试验") && !own.contains("CTR20265000"))
            #expect(try await office.get("/trials/\(made[0].trial.id.uuidString)").status == .notFound)
            #expect(try await office.get("/trial-institutions/\(here.id.uuidString)").status == .notFound)
            #expect(try await office.get("/investigators/\(pi.id.uuidString)").status == .notFound)
            // The list offers its sheets; a download holds the viewer's scope.
            #expect(own.contains("/trials/export?sheet=trials&amp;format=xlsx"))
            let sheet = try await office.get("/trials/export?sheet=trials&format=csv")
            #expect(sheet.status == .ok && sheet.headers.first(name: .contentDisposition)?.contains("trial-trials.csv") == true)
            #expect(sheet.html.contains("CTR20269999") && !sheet.html.contains("CTR20265000"))
            #expect(try await office.get("/trials/export?sheet=sponsors").status == .badRequest)
        }
    }

    @Test(
        "likely duplicates in the browser: a merge without a reason keeps the choice and shows the error at the pair; a merge and its undo from the investigator's page",
        arguments: TestDatabase.enabled)
    func merges(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let trials = app.platform.trials
            let here = try await Fixtures.trialInstitution(code: "12310000425005166U", on: app.platform)
            var people: [InvestigatorRecord] = []
            for earlier in [9, 2] {
                people.append(
                    try await trials.createInvestigator(
                        InvestigatorInput(
                            institutionID: here.id.uuidString, name: "王明", specialty: "肿瘤科", title: "主任医师", senior: true, earlierTrials: earlier),
                        by: Fixtures.caller))
            }
            try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
            try await TestUsers.create("industry", role: .industryOfficer, scope: .city, on: app)
            let browser = Browser(app)
            #expect(try await browser.signIn("regulator") == .seeOther)
            #expect(try await browser.get("/trials").html.contains("/supervision/investigator-duplicates"))
            let list = try await browser.get("/supervision/investigator-duplicates").html
            #expect(list.contains("疑似重复登记的研究者（1）") && list.contains("相同：专业、职称"))
            let token = try #require(Browser.csrf(in: list))
            let (first, second) = (people[0].id.uuidString, people[1].id.uuidString)
            // No reason: the list again, the error at the field, the record chosen still chosen.
            let refused = try await browser.post(
                "/supervision/investigator-duplicates/merge", ["_csrf": token, "first": first, "second": second, "keep": second, "reason": "  "])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.html.contains("请填写合并理由") && refused.html.contains(#"<option value="\#(second)" selected="selected">"#))
            // Kept: the second record; the first goes into it.
            let merged = try await browser.post(
                "/supervision/investigator-duplicates/merge",
                ["_csrf": token, "first": first, "second": second, "keep": second, "reason": "同一工号 <A1>"])
            #expect(merged.status == .seeOther && merged.headers.first(name: .location) == "/investigators/\(second)")
            let kept = try await browser.get("/investigators/\(second)").html
            #expect(kept.contains("记录合并（1）") && kept.contains("同一工号 &lt;A1&gt;") && kept.contains("撤销合并"))
            #expect(try await browser.get("/investigators/\(first)").html.contains("已并入"))
            #expect(try await browser.get("/supervision/investigator-duplicates").html.contains("没有疑似重复登记的研究者"))
            let mergeID = try #require(try await trials.merges(of: people[1].id, by: Fixtures.caller).first?.id)
            let undone = try await browser.post("/investigator-merges/\(mergeID.uuidString)/undo?from=\(second)", ["_csrf": token])
            #expect(undone.status == .seeOther && undone.headers.first(name: .location) == "/investigators/\(first)")
            // Twice: the refusal on the page it came from.
            let again = try await browser.post("/investigator-merges/\(mergeID.uuidString)/undo?from=\(second)", ["_csrf": token])
            #expect(again.status == .conflict && again.html.contains("该合并已撤销"))
            // Without the CSRF token nothing happens; the industry department may not open the list.
            #expect(
                try await browser.post(
                    "/supervision/investigator-duplicates/merge", ["first": first, "second": second, "keep": second, "reason": "x"]
                ).status == .forbidden)
            let industry = Browser(app)
            #expect(try await industry.signIn("industry") == .seeOther)
            #expect(try await industry.get("/supervision/investigator-duplicates").status == .forbidden)
        }
    }
}
