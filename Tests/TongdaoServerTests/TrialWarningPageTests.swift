import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

@Suite("Trial warnings in the browser and over HTTP: the inbox, the list, the assessment form, who sees what")
struct TrialWarningPageTests {
    struct Warning: Decodable {
        struct Assessment: Decodable { var status: String; var reason: String? }
        var id: String
        var version: Int
        var kind: String
        var subjectName: String
        var level: String
        var live: Bool
        var message: String
        var assessment: Assessment?
    }
    struct WarningPage: Decodable { var items: [Warning] }

    @Test(
        "the regulator's inbox holds the new warnings; an assessment without its reason keeps what was typed; a stale one shows what is saved; an office sees its own without the assessment",
        arguments: TestDatabase.enabled)
    func pages(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let (_, here, there, _, _) = try await TrialPageTests.scene(app)
            let trials = app.platform.trials
            #expect(try await trials.sweepWarnings(day: Fixtures.today, by: .system("test")).raised == 2)
            try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
            try await TestUsers.create("industry", role: .industryOfficer, scope: .city, on: app)
            try await TestUsers.create("office", role: .trialInstitutionOfficer, scope: .institution(here.id.uuidString), on: app)
            try await TestUsers.create("elsewhere", role: .trialInstitutionOfficer, scope: .institution(there.id.uuidString), on: app)
            let warnings = try await trials.warnings(by: Fixtures.caller).items
            let overload = try #require(warnings.first { $0.kind == .piOverload })

            let regulator = Browser(app)
            #expect(try await regulator.signIn("regulator") == .seeOther)
            let inbox = try await regulator.get("/inbox").html
            #expect(inbox.contains("临床试验预警（2）") && inbox.contains("王明（肿瘤科）同期承担 6 个在研项目，超过预警阈值 5 个"))
            #expect(inbox.contains("CTR20265000 按 30 日审评审批试点获批已超过 12 周"))
            let list = try await regulator.get("/supervision/trial-warnings").html
            #expect(list.contains("待评估") && list.contains(here.name) && list.contains("在研 6 / 阈值 5") && list.contains("超过 12 周"))
            #expect(try await regulator.get("/supervision/trial-warnings?kind=late_start").html.contains("王明（肿瘤科）") == false)
            let page = try await regulator.get("/supervision/trial-warnings/\(overload.id.uuidString)").html
            #expect(page.contains("评估结论") && page.contains(#"name="version" value="1""#))
            let token = try #require(Browser.csrf(in: page))
            let path = "/supervision/trial-warnings/\(overload.id.uuidString)"

            // Dismissed without a reason: the form again, the message at the field, the choice kept.
            let refused = try await regulator.post(path, ["_csrf": token, "outcome": "dismissed", "reason": " ", "version": "1"])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.html.contains("请填写评估意见") && refused.html.contains(#"<option value="dismissed" selected="selected">"#))
            // Someone assessed it meanwhile: 409, what was typed kept, what is saved shown under the field.
            _ = try await trials.assess(warning: overload.id, outcome: "focus", reason: "纳入年度检查", expecting: 1, by: Fixtures.caller)
            let stale = try await regulator.post(path, ["_csrf": token, "outcome": "dismissed", "reason": "随访期 <两项>", "version": "1"])
            #expect(stale.status == .conflict)
            #expect(stale.html.contains("现已保存为：纳入检查重点") && stale.html.contains("随访期 &lt;两项&gt;") && stale.html.contains(#"value="2""#))
            let saved = try await regulator.post(path, ["_csrf": token, "outcome": "dismissed", "reason": "随访期 <两项>", "version": "2"])
            #expect(saved.status == .seeOther && saved.headers.first(name: .location) == path)
            let shown = try await regulator.get(path).html
            #expect(shown.contains("评估后排除") && shown.contains("随访期 &lt;两项&gt;") && shown.contains("修改评估"))
            #expect(!(try await regulator.get("/inbox").html.contains("王明（肿瘤科）")), "an assessed warning leaves the regulator's inbox")
            #expect(try await regulator.get("/supervision/trial-warnings?status=dismissed").html.contains("王明"))
            #expect(try await regulator.post(path, ["outcome": "focus", "version": "3"]).status == .forbidden, "no CSRF token, nothing written")

            // The office of 王明's institution: its own warnings in its inbox, no assessment, no form.
            let office = Browser(app)
            #expect(try await office.signIn("office") == .seeOther)
            let own = try await office.get("/inbox").html
            #expect(own.contains("临床试验预警（2）") && own.contains("王明"))
            let ownPage = try await office.get(path).html
            #expect(!ownPage.contains("评估后排除") && !ownPage.contains("随访期") && !ownPage.contains("评估结论"))
            #expect(
                try await office.post(path, ["_csrf": try #require(Browser.csrf(in: ownPage)), "outcome": "focus", "version": "3"]).status
                    == .forbidden)
            let elsewhere = Browser(app)
            #expect(try await elsewhere.signIn("elsewhere") == .seeOther)
            #expect(try await elsewhere.get(path).status == .notFound)
            #expect(try await elsewhere.get("/inbox").html.contains("目前没有待处理的临床试验预警"))
            let industry = Browser(app)
            #expect(try await industry.signIn("industry") == .seeOther)
            #expect(try await industry.get("/supervision/trial-warnings").status == .forbidden)
            #expect(!(try await industry.get("/inbox").html.contains("临床试验预警")))
        }
    }

    @Test("the API: a page of warnings, one with its ETag, an assessment naming If-Match; refusals name the field", arguments: TestDatabase.enabled)
    func api(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let (_, here, _, _, _) = try await TrialPageTests.scene(app)
            _ = try await app.platform.trials.sweepWarnings(day: Fixtures.today, by: .system("test"))
            try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
            try await TestUsers.create("office", role: .trialInstitutionOfficer, scope: .institution(here.id.uuidString), on: app)
            try await TestUsers.create("reviewer", role: .reviewer, scope: .city, on: app)
            let token = try await TestUsers.token("regulator", on: app)
            func send(_ method: HTTPMethod, _ path: String, _ body: [String: any Sendable]? = nil, token: String, ifMatch: Int? = nil) async throws
                -> (HTTPStatus, Data, HTTPHeaders)
            { try await TrialAPITests.send(app, method, path, body, token: token, ifMatch: ifMatch) }
            func fields(_ data: Data) -> [String] { (try? JSONDecoder().decode(ProblemBody.self, from: data))?.errors?.map(\.field) ?? [] }

            let (listed, listBody, _) = try await send(.GET, "/api/v1/supervision/trial-warnings?live=true", token: token)
            #expect(listed == .ok)
            let items = try JSONDecoder().decode(WarningPage.self, from: listBody).items
            #expect(Set(items.map(\.kind)) == ["pi_overload", "late_start"] && items.allSatisfy { $0.live && $0.assessment?.status == "open" })
            let warning = try #require(items.first { $0.kind == "pi_overload" })
            let path = "/api/v1/supervision/trial-warnings/\(warning.id)"
            let (got, _, headers) = try await send(.GET, path, token: token)
            #expect(got == .ok && headers.first(name: .eTag) == "\"1\"")

            let (unversioned, _, _) = try await send(.PUT, path + "/assessment", ["outcome": "focus"], token: token)
            #expect(unversioned == .preconditionRequired)
            let (noReason, problem, _) = try await send(.PUT, path + "/assessment", ["outcome": "dismissed"], token: token, ifMatch: 1)
            #expect(noReason == .unprocessableEntity && fields(problem) == ["reason"])
            let (badOutcome, outcomeProblem, _) = try await send(.PUT, path + "/assessment", ["outcome": "open"], token: token, ifMatch: 1)
            #expect(badOutcome == .badRequest && fields(outcomeProblem) == ["outcome"])
            let (assessed, assessedBody, assessedHeaders) = try await send(
                .PUT, path + "/assessment", ["outcome": "focus", "reason": "纳入检查重点"], token: token, ifMatch: 1)
            #expect(assessed == .ok && assessedHeaders.first(name: .eTag) == "\"2\"")
            #expect(try JSONDecoder().decode(Warning.self, from: assessedBody).assessment?.status == "focus")
            let (stale, _, _) = try await send(.PUT, path + "/assessment", ["outcome": "dismissed", "reason": "x"], token: token, ifMatch: 1)
            #expect(stale == .conflict)

            // A reviewer reads but does not assess; an office reads its own, without the assessment, and may not filter by it.
            let reviewer = try await TestUsers.token("reviewer", on: app)
            let (forbidden, _, _) = try await send(.PUT, path + "/assessment", ["outcome": "dismissed", "reason": "x"], token: reviewer, ifMatch: 2)
            #expect(forbidden == .forbidden)
            let office = try await TestUsers.token("office", on: app)
            let (officeRead, officeBody, _) = try await send(.GET, path, token: office)
            let officeWarning = try JSONDecoder().decode(Warning.self, from: officeBody)
            #expect(officeRead == .ok && officeWarning.assessment == nil)
            let (filtered, filteredBody, _) = try await send(.GET, "/api/v1/supervision/trial-warnings?status=focus", token: office)
            #expect(filtered == .forbidden && fields(filteredBody) == ["status"])
            let (missing, _, _) = try await send(.GET, "/api/v1/supervision/trial-warnings/\(UUID().uuidString)", token: token)
            #expect(missing == .notFound)
        }
    }
}
