import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

@Suite("The inspection plan over HTTP: the plan as data, planning the year, the policy; the page and its button")
struct InspectionPlanTests {
    static func world(_ app: Application) async throws {
        _ = try await Fixtures.enterprisesAndProducts(on: app.platform)
        _ = try await Fixtures.trialInstitution(on: app.platform)
        try await TestUsers.create("admin", role: .cityAdmin, scope: .city, on: app)
        try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
        try await TestUsers.create("inspector", role: .inspector, scope: .city, on: app)
        try await TestUsers.create("pudong", role: .districtOfficer, scope: .district("310115"), on: app)
    }

    @Test("the plan's JSON, planning once, the policy's versions; each refusal names its field or role", arguments: TestDatabase.enabled)
    func api(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            try await Self.world(app)
            let (admin, regulator, inspector, pudong) = (
                try await TestUsers.token("admin", on: app), try await TestUsers.token("regulator", on: app),
                try await TestUsers.token("inspector", on: app), try await TestUsers.token("pudong", on: app)
            )
            var plan: [String: Any] = [:]
            try await app.testing().test(.GET, "/api/v1/inspection-plan", headers: bearer(inspector)) { res in
                #expect(res.status == .ok)
                plan = (try? JSONSerialization.jsonObject(with: Data(res.body.readableBytesView)) as? [String: Any]) ?? [:]
            }
            #expect(plan["year"] as? Int == 2026)
            let totals = plan["totals"] as? [String: Int]
            // The institution (never inspected since its 2019 filing) and three manufacturers.
            #expect(totals?["targets"] == 4 && totals?["overdue"] == 2 && totals?["due"] == 5)
            #expect((plan["coverage"] as? [[String: Any]])?.count == 12)
            try await app.testing().test(.GET, "/api/v1/inspection-plan", headers: bearer(pudong)) { res in #expect(res.status == .forbidden) }
            try await app.testing().test(.GET, "/api/v1/inspection-plan?year=1999", headers: bearer(inspector)) { res in
                #expect(res.status == .badRequest)
            }
            try await app.testing().test(.POST, "/api/v1/inspection-plan/2026/schedule", headers: bearer(inspector)) { res in
                #expect(res.status == .forbidden)
            }
            try await app.testing().test(.POST, "/api/v1/inspection-plan/2025/schedule", headers: bearer(regulator)) { res in
                #expect(res.status == .unprocessableEntity && decoded(ProblemBody.self, from: res)?.errors?.map(\.field) == ["year"])
            }
            try await app.testing().test(.POST, "/api/v1/inspection-plan/2026/schedule", headers: bearer(regulator)) { res in
                #expect(res.status == .ok && res.body.string.contains("\"planned\":4"))
            }
            try await app.testing().test(.POST, "/api/v1/inspection-plan/2026/schedule", headers: bearer(regulator)) { res in
                #expect(res.status == .ok && res.body.string.contains("\"planned\":0"))
            }
            // The policy: read by the pool's readers, changed by city_admin from today on.
            let policy = """
                {"effectiveFrom": "2026-11-23", "drugTrialInstitutionYears": 1, "deviceTrialInstitutionYears": 1, "newFilingWorkingDays": 30,
                 "keySupervisionMonths": 6, "manufacturerYears": {"1": 4, "2": 2, "3": 1}, "combineWithinDays": 60, "pastEmployerYears": 5}
                """
            try await app.testing().test(
                .PUT, "/api/v1/settings/inspection-policy", headers: bearer(regulator),
                beforeRequest: { req in req.body = ByteBuffer(string: policy) }
            ) { res in #expect(res.status == .forbidden) }
            try await app.testing().test(
                .PUT, "/api/v1/settings/inspection-policy", headers: bearer(admin),
                beforeRequest: { req in req.body = ByteBuffer(string: policy.replacingOccurrences(of: "2026-11-23", with: "2026-11-01")) }
            ) { res in
                #expect(res.status == .unprocessableEntity && decoded(ProblemBody.self, from: res)?.errors?.map(\.field) == ["effectiveFrom"])
            }
            try await app.testing().test(
                .PUT, "/api/v1/settings/inspection-policy", headers: bearer(admin), beforeRequest: { req in req.body = ByteBuffer(string: policy) }
            ) { res in
                #expect(res.status == .ok && res.body.string.contains("\"newFilingWorkingDays\":30"))
            }
            try await app.testing().test(.GET, "/api/v1/settings/inspection-policy", headers: bearer(inspector)) { res in
                #expect(res.status == .ok && res.body.string.contains("\"pastEmployerYears\":5"))
            }
        }
    }

    @Test("the page: the coverage chart, the dues with their rules, and the button that plans the year")
    func page() async throws {
        try await withTongdao(.sqlite) { app in
            try await Self.world(app)
            let browser = Browser(app)
            #expect(try await browser.signIn("regulator") == .seeOther)
            let page = try await browser.get("/inspections/plan")
            #expect(page.status == .ok)
            #expect(page.html.contains("2026 年检查计划") && page.html.contains("<svg") && page.html.contains("药物临床试验机构每年至少检查一次（尚无检查记录）"))
            #expect(page.html.contains("逾期") && page.html.contains("未列入计划") && page.html.contains("按应检事项生成 2026 年检查计划"))
            let token = try #require(Browser.csrf(in: page.html))
            let planned = try await browser.post("/inspections/plan/schedule", ["_csrf": token, "year": "2026"])
            #expect(planned.status == .seeOther)
            let after = try await browser.get(try #require(planned.headers.first(name: .location)))
            #expect(after.html.contains("已列入计划 4 项检查") && after.html.contains("2026 年 11 月"))
            // Without the token nothing is planned; an inspector sees the plan but not the button.
            #expect(try await browser.post("/inspections/plan/schedule", ["year": "2026"]).status == .forbidden)
            let inspector = Browser(app)
            #expect(try await inspector.signIn("inspector") == .seeOther)
            let read = try await inspector.get("/inspections/plan")
            #expect(read.status == .ok && !read.html.contains("按应检事项生成"))
        }
    }
}
