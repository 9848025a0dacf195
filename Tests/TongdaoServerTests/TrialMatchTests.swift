import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

@Suite("Matching products to trial capacity over HTTP and on the pages: the enterprise its own products, a station those it serves")
struct TrialMatchTests {
    struct Matches: Decodable {
        struct Match: Decodable {
            struct Times: Decodable { var activationMedianDays: Double?; var activationSites: Int }
            var rank: Int
            var name: String
            var available: Int
            var qualified: Int
            struct Inspected: Decodable { var closedOn: String; var types: [String]; var conclusion: String }
            var times: Times
            var lastInspection: Inspected?
            var explanation: [String]
        }
        var kind: String
        var specialties: [String]
        var notApplicable: String?
        var matches: [Match]
        var full: [String]
    }

    /// Three institutions: two filed for device trials with a cardiologist each, whose sites
    /// activated 10 and 30 days after their ethics approval; one filed for drug trials only. A Class
    /// III cardiovascular product of the 徐汇 enterprise at the clinical stage, a Class I product of
    /// it, and a product of a 浦东 enterprise.
    static func scene(_ app: Application) async throws -> (
        quick: String, slow: String, cardiac: ProductRecord, classOne: ProductRecord, other: ProductRecord
    ) {
        let platform = app.platform, trials = platform.trials
        let enterprises = try await Fixtures.enterprises(on: platform)
        var names: [String] = []
        for (index, activation) in [10, 30].enumerated() {
            let name = ["心血管甲医院", "心血管乙医院"][index]
            names.append(name)
            let place = try await trials.createInstitution(
                InstitutionInput(
                    name: name, code: "1231000042500\(index)00X", district: "310104", grade: "3a", drugFilingNumber: "药物临床机构备字20190\(index)",
                    drugFiledOn: "2019-12-20", deviceFilingNumber: "械临机构备20200\(index)", deviceFiledOn: "2020-01-02",
                    specialties: [SpecialtyInput(name: "心血管内科", filedOn: "2020-01-02")]), by: Fixtures.caller)
            let pi = try await trials.createInvestigator(
                InvestigatorInput(
                    institutionID: place.id.uuidString, name: "研究者\(index)", specialty: "心血管内科", title: "主任医师", senior: true, earlierTrials: 8),
                by: Fixtures.caller)
            let trial = try await trials.createTrial(
                TrialInput(
                    registrationNumber: "CTR2026710\(index)", title: "示例药物 \(index)", kind: "drug", phase: "phase_2", sponsor: enterprises[0].uscc,
                    approvedOn: Fixtures.today.adding(days: -90).description), by: Fixtures.caller)
            _ = try await trials.addSite(
                SiteInput(
                    institutionID: place.id.uuidString, investigatorID: pi.id.uuidString, role: "lead",
                    ethicsApprovedOn: Fixtures.today.adding(days: -80).description,
                    activatedOn: Fixtures.today.adding(days: -80 + activation).description), to: trial.trial.id, by: Fixtures.caller)
        }
        _ = try await Fixtures.trialInstitution(on: platform)
        func product(_ name: String, enterprise: EnterpriseRecord, managementClass: ManagementClass) async throws -> ProductRecord {
            try await platform.products.create(
                ProductInput(
                    ProductDraft(
                        name: name, model: "M1", category: .device, managementClass: managementClass, classificationCode: "03-13",
                        keyAreas: [.cardiovascularImplant], stage: .clinical)), enterpriseID: enterprise.id.uuidString, by: Fixtures.caller)
        }
        return (
            names[0], names[1], try await product("示例冠脉支架", enterprise: enterprises[3], managementClass: .three),
            try await product("示例一类器械", enterprise: enterprises[3], managementClass: .one),
            try await product("浦东示例器械", enterprise: enterprises[0], managementClass: .three)
        )
    }

    @Test(
        "the enterprise reads the ranking of its own product, explained; another's is 404; a Class I device needs none; a station lists those it serves",
        arguments: TestDatabase.enabled)
    func matching(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let (quick, slow, cardiac, classOne, other) = try await Self.scene(app)
            try await TestUsers.create("sponsor", role: .enterpriseUser, scope: .enterprise(cardiac.uscc), on: app)
            try await TestUsers.create("station", role: .stationOfficer, scope: .station("xuhui"), on: app)
            let token = try await TestUsers.token("sponsor", on: app)

            let (status, body, _) = try await TrialAPITests.send(app, .GET, "/api/v1/products/\(cardiac.id.uuidString)/trial-matches", token: token)
            #expect(status == .ok)
            let ranking = try JSONDecoder().decode(Matches.self, from: body)
            #expect(ranking.kind == "device" && ranking.specialties.first == "心血管内科" && ranking.notApplicable == nil)
            #expect(ranking.matches.map(\.name) == [quick, slow], "the institution filed for drug trials only is left out")
            #expect(ranking.matches.map(\.rank) == [1, 2] && ranking.matches.map(\.qualified) == [1, 1])
            #expect(ranking.matches.map(\.times.activationMedianDays) == [10, 30])
            #expect(ranking.matches[0].explanation.last == "排第 1 位，在第 2 位之前：中心启动用时中位 10 日，短于\(slow)（30 日）。")
            let (hidden, _, _) = try await TrialAPITests.send(app, .GET, "/api/v1/products/\(other.id.uuidString)/trial-matches", token: token)
            #expect(hidden == .notFound)
            let (_, classOneBody, _) = try await TrialAPITests.send(
                app, .GET, "/api/v1/products/\(classOne.id.uuidString)/trial-matches", token: token)
            let none = try JSONDecoder().decode(Matches.self, from: classOneBody)
            #expect(none.matches.isEmpty && none.notApplicable == "第一类医疗器械实行备案管理，无需开展临床试验")

            let sponsor = Browser(app)
            #expect(try await sponsor.signIn("sponsor") == .seeOther)
            let page = try await sponsor.get("/products/\(cardiac.id.uuidString)").html
            #expect(page.contains("临床试验机构匹配") && page.contains(quick) && page.contains("排第 1 位，在第 2 位之前"))
            #expect(!(try await sponsor.get("/products/\(classOne.id.uuidString)").html.contains("临床试验机构匹配")))
            let full = try await sponsor.get("/products/\(cardiac.id.uuidString)/trial-matches")
            #expect(full.status == .ok && full.html.contains(slow) && full.html.contains("排第 2 位（末位）"))
            #expect(try await sponsor.get("/products/\(other.id.uuidString)/trial-matches").status == .notFound)

            let station = Browser(app)
            #expect(try await station.signIn("station") == .seeOther)
            let list = try await station.get("/trials/matching").html
            #expect(list.contains(cardiac.name) && list.contains(quick) && !list.contains(other.name))
            #expect(list.contains("上海徐汇示例数字医疗有限公司"), "the enterprise by name")
        }
    }

    @Test(
        "an institution whose last closed inspection was not compliant falls behind one never inspected, whatever its times; the API and the page say so",
        arguments: TestDatabase.enabled)
    func lastInspection(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let (quick, slow, cardiac, _, _) = try await Self.scene(app)
            try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
            let token = try await TestUsers.token("regulator", on: app)
            let path = "/api/v1/products/\(cardiac.id.uuidString)/trial-matches"
            let before = try JSONDecoder().decode(Matches.self, from: try await TrialAPITests.send(app, .GET, path, token: token).1)
            #expect(before.matches.map(\.name) == [quick, slow] && before.matches.allSatisfy { $0.lastInspection == nil })
            // The quick institution's device inspection closed, not compliant; an open one and a drug-only one do not count.
            let place = try #require(try await TrialInstitutionModel.query(on: app.db).filter(\.$name == quick).first())
            func inspection(_ types: String, status: InspectionStatus, conclusion: InspectionConclusion, closedOn: String?) async throws {
                let model = InspectionModel()
                model.targetKind = InspectionTargetKind.trialInstitution.rawValue
                model.targetID = try place.requireID()
                model.targetName = quick
                model.types = types
                model.source = InspectionSource.cause.rawValue
                model.status = status.rawValue
                model.conclusion = conclusion.rawValue
                model.completedOn = closedOn
                model.closedOn = closedOn
                model.version = 1
                try await model.create(on: app.db)
            }
            try await inspection(",device_trial_institution,", status: .completed, conclusion: .nonCompliant, closedOn: "2026-10-09")
            try await inspection(",drug_trial_institution,", status: .completed, conclusion: .compliant, closedOn: "2026-11-02")
            try await inspection(",device_trial_institution,", status: .rectifying, conclusion: .rectify, closedOn: nil)
            let after = try JSONDecoder().decode(Matches.self, from: try await TrialAPITests.send(app, .GET, path, token: token).1)
            #expect(after.matches.map(\.name) == [slow, quick])
            let last = after.matches[1].lastInspection
            #expect(last?.closedOn == "2026-10-09" && last?.conclusion == "non_compliant" && last?.types == ["device_trial_institution"])
            #expect(after.matches[0].explanation.last == "排第 1 位，在第 2 位之前：尚无已结案检查，\(quick)最近一次检查结论为不符合要求（2026-10-09 结案）。")
            let browser = Browser(app)
            #expect(try await browser.signIn("regulator") == .seeOther)
            let page = try await browser.get("/products/\(cardiac.id.uuidString)/trial-matches").html
            #expect(page.contains("不符合要求（2026-10-09 结案）") && page.contains("最近一次检查（2026-10-09 结案，医疗器械临床试验机构监督检查）结论为不符合要求。"))
        }
    }
}
