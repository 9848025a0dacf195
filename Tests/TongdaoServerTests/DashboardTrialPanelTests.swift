import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

@Suite("The dashboard's trial panel: trials by phase and status in the scope, institutions by district, overloaded PIs, late starts")
struct DashboardTrialPanelTests {
    struct Summary: Decodable {
        struct Trials: Decodable {
            struct Count: Decodable { var phase: String?; var status: String?; var count: Int }
            struct Place: Decodable { var code: String; var count: Int }
            struct Late: Decodable { var registrationNumber: String; var daysOver: Int }
            var total: Int
            var byPhase: [Count]
            var byStatus: [Count]
            var institutions: [Place]
            var institutionsElsewhere: Int
            var overloadedInvestigators: Int
            var lateStarts: Int
            var late: [Late]
        }
        var trials: Trials
    }

    @Test(
        "the city counts every trial, a district those its enterprises sponsor, an office those at its institution; the page draws and links them",
        arguments: TestDatabase.enabled)
    func panel(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            // Six phase I trials of a 浦东 sponsor at the first institution (王明 over the threshold;
            // the pilot one approved 100 days ago without its first consent), one phase II of a 徐汇
            // sponsor at the second.
            let (_, _, there, _, made) = try await TrialPageTests.scene(app)
            try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
            try await TestUsers.create("xuhui", role: .districtOfficer, scope: .district("310104"), on: app)
            try await TestUsers.create("industry", role: .industryOfficer, scope: .city, on: app)
            try await TestUsers.create("office", role: .trialInstitutionOfficer, scope: .institution(there.id.uuidString), on: app)
            func summary(_ user: String, district: String? = nil) async throws -> Summary.Trials {
                let path = "/api/v1/dashboard/summary" + (district.map { "?district=\($0)" } ?? "")
                let (status, body, _) = try await TrialAPITests.send(app, .GET, path, token: try await TestUsers.token(user, on: app))
                #expect(status == .ok)
                return try JSONDecoder().decode(Summary.self, from: body).trials
            }
            let city = try await summary("regulator")
            #expect(city.total == 7 && city.overloadedInvestigators == 1 && city.lateStarts == 1)
            #expect(city.byPhase.first { $0.phase == "phase_1" }?.count == 6 && city.byPhase.first { $0.phase == "phase_2" }?.count == 1)
            #expect(city.byStatus.first { $0.status == "approved" }?.count == 7 && city.byPhase.count == TrialPhase.allCases.count)
            #expect(city.institutions.map(\.code) == ["310104"] && city.institutions.first?.count == 2 && city.institutionsElsewhere == 0)
            #expect(city.late.map(\.registrationNumber) == [made[0].trial.registrationNumber] && city.late.first?.daysOver == 16)
            // Narrowed to a district: its sponsors' trials; the institutions and PIs stay the list's.
            let pudong = try await summary("regulator", district: "310115")
            #expect(pudong.total == 6 && pudong.lateStarts == 1 && pudong.overloadedInvestigators == 1)
            let xuhui = try await summary("xuhui")
            #expect(xuhui.total == 1 && xuhui.lateStarts == 0 && xuhui.late.isEmpty)
            let office = try await summary("office")
            #expect(
                office.total == 1 && office.overloadedInvestigators == 0,
                "the office of the second institution: its one trial, its PI within the threshold")

            let regulator = Browser(app)
            #expect(try await regulator.signIn("regulator") == .seeOther)
            let page = try await regulator.get("/dashboard").html
            #expect(page.contains("临床试验监管") && page.contains("临床试验（按分期，7 项）") && page.contains("各区临床试验机构（2 家）"))
            #expect(page.contains(made[0].trial.registrationNumber) && page.contains("16 日"))
            #expect(page.contains("/supervision/trial-warnings?kind=late_start"), "the regulator follows the late starts to their warnings")
            let industry = Browser(app)
            #expect(try await industry.signIn("industry") == .seeOther)
            let counted = try await industry.get("/dashboard").html
            #expect(counted.contains("超阈值的主要研究者") && !counted.contains("/supervision/trial-warnings?kind=late_start"))
        }
    }
}
