import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

@Suite("An inspection's task over HTTP: each step a call, refusals naming the field, the version as ETag, the party kept out until the notice")
struct InspectionTaskAPITests {
    /// An institution, the regulator, its office and two inspectors: 王强 leads (an account
    /// `wang.qiang`), 钱伟 is a member without one; both hold GCP.
    static func world(_ app: Application) async throws -> (institution: InstitutionRecord, wang: InspectorRecord, qian: InspectorRecord) {
        let institution = try await Fixtures.trialInstitution(on: app.platform)
        try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
        try await TestUsers.create("wang.qiang", role: .inspector, scope: .city, on: app)
        try await TestUsers.create("office", role: .trialInstitutionOfficer, scope: .institution(institution.id.uuidString), on: app)
        let wang = try await app.platform.inspectors.create(
            InspectorInput(
                username: "wang.qiang", name: "王强", categories: ["drug"], specialties: ["gcp"], fullTime: true, rank: "lead", capacityDays: "100"),
            by: Fixtures.caller)
        let qian = try await app.platform.inspectors.create(
            InspectorInput(name: "钱伟", categories: ["drug"], specialties: ["gcp"], fullTime: false, rank: "member", capacityDays: "30"),
            by: Fixtures.caller)
        return (institution, wang, qian)
    }

    @Test("made for cause, a team proposed and sent on its version, answered; refusals name the field", arguments: TestDatabase.enabled)
    func steps(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let (institution, wang, qian) = try await Self.world(app)
            let (regulator, inspector, office) = (
                try await TestUsers.token("regulator", on: app), try await TestUsers.token("wang.qiang", on: app),
                try await TestUsers.token("office", on: app)
            )
            var id = ""
            try await app.testing().test(
                .POST, "/api/v1/inspections", headers: bearer(regulator),
                beforeRequest: { req in
                    req.body = ByteBuffer(string: #"{"targetKind": "trial_institution", "targetId": "\#(institution.id)", "reason": "举报"}"#)
                }
            ) { res in
                #expect(res.status == .created && res.headers.first(name: .eTag) == "\"1\"")
                id = (try? JSONSerialization.jsonObject(with: Data(res.body.readableBytesView)) as? [String: Any])?["id"] as? String ?? ""
            }
            try await app.testing().test(
                .POST, "/api/v1/inspections", headers: bearer(inspector), beforeRequest: { req in req.body = ByteBuffer(string: "{}") }
            ) {
                res in #expect(res.status == .forbidden)
            }
            try await app.testing().test(.GET, "/api/v1/inspections/\(id)/team-proposal", headers: bearer(regulator)) { res in
                #expect(res.status == .ok && res.body.string.contains("\"name\":\"王强\"") && res.body.string.contains("\"uncovered\":[]"))
            }
            let team = #"{"lead": "\#(wang.id)", "members": ["\#(qian.id)"]}"#
            try await app.testing().test(
                .PUT, "/api/v1/inspections/\(id)/team", headers: bearer(regulator), beforeRequest: { req in req.body = ByteBuffer(string: team) }
            ) {
                res in #expect(res.status == .preconditionRequired)
            }
            var headers = bearer(regulator)
            headers.replaceOrAdd(name: .ifMatch, value: "\"1\"")
            try await app.testing().test(
                .PUT, "/api/v1/inspections/\(id)/team", headers: headers, beforeRequest: { req in req.body = ByteBuffer(string: team) }
            ) { res in
                #expect(res.status == .ok && res.body.string.contains("\"status\":\"staffing\"") && res.headers.first(name: .eTag) == "\"2\"")
            }
            try await app.testing().test(
                .PUT, "/api/v1/inspections/\(id)/team", headers: headers, beforeRequest: { req in req.body = ByteBuffer(string: team) }
            ) { res in
                #expect(res.status == .conflict)
            }
            // The office knows nothing of it before the notice.
            try await app.testing().test(.GET, "/api/v1/inspections/\(id)", headers: bearer(office)) { res in #expect(res.status == .notFound) }
            try await app.testing().test(.GET, "/api/v1/inspections", headers: bearer(office)) { res in
                #expect(res.body.string.contains("\"items\":[]"))
            }
            try await app.testing().test(
                .POST, "/api/v1/inspections/\(id)/answer", headers: bearer(inspector),
                beforeRequest: { req in req.body = ByteBuffer(string: #"{"accept": true}"#) }
            ) { res in
                #expect(res.status == .unprocessableEntity && decoded(ProblemBody.self, from: res)?.errors?.map(\.field) == ["declareNoConflict"])
            }
            try await app.testing().test(
                .POST, "/api/v1/inspections/\(id)/findings", headers: bearer(inspector),
                beforeRequest: { req in req.body = ByteBuffer(string: #"{"clause": "第一条", "grade": "major", "description": "x"}"#) }
            ) { res in
                #expect(res.status == .forbidden, "an inspector who has not accepted records nothing")
            }
            try await app.testing().test(
                .POST, "/api/v1/inspections/\(id)/answer", headers: bearer(inspector),
                beforeRequest: { req in req.body = ByteBuffer(string: #"{"accept": true, "declareNoConflict": true}"#) }
            ) { res in
                #expect(res.status == .ok && res.body.string.contains("\"state\":\"accepted\""))
            }
            try await app.testing().test(
                .POST, "/api/v1/inspections/\(id)/findings", headers: bearer(inspector),
                beforeRequest: { req in req.body = ByteBuffer(string: #"{"clause": "第一条", "grade": "major", "description": "x"}"#) }
            ) { res in
                #expect(res.status == .unprocessableEntity && decoded(ProblemBody.self, from: res)?.errors?.map(\.field) == ["status"])
            }
            try await app.testing().test(
                .POST, "/api/v1/inspections/\(id)/findings", headers: bearer(inspector),
                beforeRequest: { req in req.body = ByteBuffer(string: #"{"grade": 5}"#) }
            ) { res in
                #expect(res.status == .badRequest && decoded(ProblemBody.self, from: res)?.errors?.map(\.field) == ["grade"])
            }
            try await app.testing().test(.GET, "/api/v1/inspections?status=staffing", headers: bearer(inspector)) { res in
                #expect(res.status == .ok && res.body.string.contains(id))
            }
            try await app.testing().test(.GET, "/api/v1/inspections?status=nonsense", headers: bearer(inspector)) { res in
                #expect(res.status == .badRequest)
            }
        }
    }

    @Test(
        "the key-supervision list over HTTP and in the browser: proposed once, decided on its version, read by the inspection side only",
        arguments: TestDatabase.enabled)
    func keySupervision(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let (institution, _, _) = try await Self.world(app)
            try await TestUsers.create("pudong", role: .districtOfficer, scope: .district("310115"), on: app)
            let (regulator, inspector, pudong) = (
                try await TestUsers.token("regulator", on: app), try await TestUsers.token("wang.qiang", on: app),
                try await TestUsers.token("pudong", on: app)
            )
            let proposal = #"{"targetKind": "trial_institution", "targetId": "\#(institution.id)", "reason": "系统性风险"}"#
            var id = ""
            try await app.testing().test(
                .POST, "/api/v1/key-supervision", headers: bearer(regulator), beforeRequest: { req in req.body = ByteBuffer(string: proposal) }
            ) {
                res in
                #expect(res.status == .created && res.body.string.contains("\"status\":\"proposed\""))
                id = (try? JSONSerialization.jsonObject(with: Data(res.body.readableBytesView)) as? [String: Any])?["id"] as? String ?? ""
            }
            try await app.testing().test(
                .POST, "/api/v1/key-supervision", headers: bearer(regulator), beforeRequest: { req in req.body = ByteBuffer(string: proposal) }
            ) {
                res in #expect(res.status == .conflict && decoded(ProblemBody.self, from: res)?.errors?.map(\.field) == ["targetID"])
            }
            try await app.testing().test(.GET, "/api/v1/key-supervision", headers: bearer(inspector)) { res in
                #expect(res.status == .ok && res.body.string.contains(institution.name))
            }
            try await app.testing().test(.GET, "/api/v1/key-supervision", headers: bearer(pudong)) { res in #expect(res.status == .forbidden) }
            let decision = #"{"confirm": true}"#
            try await app.testing().test(
                .POST, "/api/v1/key-supervision/\(id)/decision", headers: bearer(regulator),
                beforeRequest: { req in req.body = ByteBuffer(string: decision) }
            ) { res in #expect(res.status == .preconditionRequired) }
            var headers = bearer(regulator)
            headers.replaceOrAdd(name: .ifMatch, value: "\"1\"")
            try await app.testing().test(
                .POST, "/api/v1/key-supervision/\(id)/decision", headers: headers, beforeRequest: { req in req.body = ByteBuffer(string: decision) }
            ) { res in #expect(res.status == .ok && res.body.string.contains("\"status\":\"listed\"")) }

            // The page: the entry listed; a proposal without its reason keeps the target chosen.
            let browser = Browser(app)
            #expect(try await browser.signIn("regulator") == .seeOther)
            let page = try await browser.get("/inspections/key-supervision").html
            #expect(page.contains(institution.name) && page.contains("已列入") && page.contains("提议列入"))
            let token = try #require(Browser.csrf(in: page))
            let target = "trial_institution:\(institution.id.uuidString)"
            let refused = try await browser.post("/inspections/key-supervision", ["_csrf": token, "target": target, "reason": ""])
            #expect(refused.status == .unprocessableEntity && refused.html.contains("请填写列入理由"))
            #expect(refused.html.contains(#"<option value="\#(target)" selected="selected">"#))
            // The dashboard: the year's coverage and the listed target, for the plan's readers only.
            let dashboard = try await browser.get("/dashboard").html
            #expect(dashboard.contains("检查与重点监管") && dashboard.contains("年检查覆盖") && dashboard.contains(institution.name))
            let district = Browser(app)
            #expect(try await district.signIn("pudong") == .seeOther)
            #expect(try await district.get("/dashboard").html.contains("检查与重点监管") == false)
        }
    }

    @Test(
        "a credit file over HTTP and in the browser: the regulator records a penalty, the grade explains it; the institution reads its own, others not",
        arguments: TestDatabase.enabled)
    func credit(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let (institution, _, _) = try await Self.world(app)
            try await TestUsers.create("pudong", role: .districtOfficer, scope: .district("310115"), on: app)
            let (regulator, office, pudong) = (
                try await TestUsers.token("regulator", on: app), try await TestUsers.token("office", on: app),
                try await TestUsers.token("pudong", on: app)
            )
            let path = "/api/v1/credit/trial_institution/\(institution.id)"
            try await app.testing().test(
                .POST, "\(path)/events", headers: bearer(regulator),
                beforeRequest: { req in req.body = ByteBuffer(string: #"{"kind": "listed", "occurredOn": "2026-11-20", "detail": "x"}"#) }
            ) { res in #expect(res.status == .unprocessableEntity && decoded(ProblemBody.self, from: res)?.errors?.map(\.field) == ["kind"]) }
            try await app.testing().test(
                .POST, "\(path)/events", headers: bearer(regulator),
                beforeRequest: { req in req.body = ByteBuffer(string: #"{"kind": "行政处罚", "occurredOn": "2026-11-20", "detail": "伪造试验数据，罚款"}"#) }
            ) { res in
                #expect(res.status == .ok && res.body.string.contains("\"score\":75") && res.body.string.contains("\"grade\":\"C\""))
            }
            try await app.testing().test(
                .POST, "\(path)/events", headers: bearer(office),
                beforeRequest: { req in
                    req.body = ByteBuffer(string: #"{"kind": "penalty", "occurredOn": "2026-11-20", "detail": "x"}"#)
                }
            ) { res in #expect(res.status == .forbidden) }
            try await app.testing().test(.GET, path, headers: bearer(office)) { res in
                #expect(res.status == .ok && res.body.string.contains("伪造试验数据，罚款"))
            }
            try await app.testing().test(.GET, path, headers: bearer(pudong)) { res in #expect(res.status == .forbidden) }
            try await app.testing().test(.GET, "/api/v1/credit/trial_institution/\(UUID())", headers: bearer(regulator)) { res in
                #expect(res.status == .notFound)
            }
            let browser = Browser(app)
            #expect(try await browser.signIn("office") == .seeOther)
            let page = try await browser.get("/credit/trial_institution/\(institution.id.uuidString)").html
            #expect(page.contains("行政处罚") && page.contains("−25") && page.contains("75 分") && !page.contains("记录信用事件"))
        }
    }

    @Test(
        "a licence inspection: the waiver offered when its conditions hold, recorded on its version when used, refused naming them otherwise",
        arguments: TestDatabase.enabled)
    func licenceWaiver(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let (enterprises, products) = try await Fixtures.enterprisesAndProducts(on: app.platform)
            let firm = enterprises[0]
            try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
            try await TestUsers.create("firm", role: .enterpriseUser, scope: .enterprise(firm.uscc), on: app)
            let (regulator, party) = (try await TestUsers.token("regulator", on: app), try await TestUsers.token("firm", on: app))
            let application = try await Fixtures.application(
                "SQZ2026000101", product: products[0].id, acceptedOn: CivilDate("2026-03-02")!, on: app.platform
            )
            .item.application.id
            // Only a QMS inspection's completion records a site and an outcome.
            do {
                _ = try await app.platform.applications.record(
                    EventInput(type: "supplement_requested", on: "2026-03-05", site: "张江路 123 号", outcome: "passed"), on: application,
                    by: Fixtures.caller)
                Issue.record("a site on another event was accepted")
            } catch let error as UseCaseError {
                #expect(error.problems.map(\.field) == ["site", "outcome"])
            }
            try await Fixtures.record(ApplicationEvent(.qmsInspectionStarted, on: CivilDate("2026-03-10")!), on: application, platform: app.platform)
            let completed = try await Fixtures.record(
                ApplicationEvent(.qmsInspectionCompleted, on: CivilDate("2026-03-20")!, site: "上海市浦东新区张江路 123 号", qmsOutcome: .passed),
                on: application, platform: app.platform)
            #expect(completed.events.last?.event.site == "上海市浦东新区张江路 123 号" && completed.events.last?.event.qmsOutcome == .passed)

            func create(_ body: String) async throws -> (HTTPStatus, String) {
                var result: (HTTPStatus, String) = (.internalServerError, "")
                try await app.testing().test(
                    .POST, "/api/v1/inspections", headers: bearer(regulator), beforeRequest: { req in req.body = ByteBuffer(string: body) }
                ) { res in
                    let id = (try? JSONSerialization.jsonObject(with: Data(res.body.readableBytesView)) as? [String: Any])?["id"] as? String
                    result = (res.status, id ?? res.body.string)
                }
                return result
            }
            let licence = #"{"type": "licence", "targetKind": "enterprise", "targetId": "\#(firm.id)""#
            let (missing, problem) = try await create(licence + "}")
            #expect(missing == .unprocessableEntity && problem.contains(#""field":"address""#))
            // The address as the applicant wrote it: the same place as the one inspected.
            let (made, id) = try await create(licence + #", "address": "浦东新区张江路１２３号"}"#)
            #expect(made == .created)
            let (_, elsewhere) = try await create(licence + #", "address": "上海市浦东新区张江路 125 号"}"#)

            try await app.testing().test(.GET, "/api/v1/inspections/\(id)/waiver", headers: bearer(regulator)) { res in
                #expect(res.status == .ok && res.body.string.contains(#""eligible":true"#) && res.body.string.contains("SQZ2026000101"))
            }
            try await app.testing().test(.GET, "/api/v1/inspections/\(id)/waiver", headers: bearer(party)) { res in #expect(res.status == .forbidden)
            }
            try await app.testing().test(
                .POST, "/api/v1/inspections/\(elsewhere)/waiver", headers: bearer(regulator),
                beforeRequest: { req in req.body = ByteBuffer(string: "{}") }
            ) { res in
                let problem = decoded(ProblemBody.self, from: res)
                #expect(res.status == .unprocessableEntity && problem?.errors?.map(\.field) == ["waiver"])
                #expect(problem?.errors?.first?.message.contains("GET /api/v1/inspections/{id}/waiver") == true)
            }
            try await app.testing().test(
                .POST, "/api/v1/inspections/\(id)/waiver", headers: bearer(party), beforeRequest: { req in req.body = ByteBuffer(string: "{}") }
            ) { res in #expect(res.status == .forbidden) }
            try await app.testing().test(
                .POST, "/api/v1/inspections/\(id)/waiver", headers: bearer(regulator, ifMatch: 1),
                beforeRequest: { req in req.body = ByteBuffer(string: #"{"note": "生产条件未发生变化"}"#) }
            ) { res in
                #expect(res.status == .ok && res.headers.first(name: .eTag) == "\"2\"")
                #expect(res.body.string.contains(#""status":"waived""#) && res.body.string.contains("依据康复") == false)
                #expect(res.body.string.contains(#""waiverBasis":"依据示例产品 0（SQZ2026000101）2026-03-20 注册体系核查：通过核查"#))
            }
            try await app.testing().test(
                .POST, "/api/v1/inspections/\(id)/waiver", headers: bearer(regulator), beforeRequest: { req in req.body = ByteBuffer(string: "{}") }
            ) { res in
                #expect(res.status == .unprocessableEntity && decoded(ProblemBody.self, from: res)?.errors?.map(\.field) == ["status"])
            }
            let audited = try await AuditEntryModel.query(on: app.db).filter(\.$entityID == id).all().map(\.action)
            #expect(audited.sorted() == ["inspection.create", "inspection.waive"])
            // Waived, it is settled: the party reads it; the plan offers only the other, no longer for a new manufacturer.
            try await app.testing().test(.GET, "/api/v1/inspections/\(id)", headers: bearer(party)) { res in
                #expect(res.status == .ok && res.body.string.contains("减免生产许可现场检查"))
            }
            try await app.testing().test(.GET, "/api/v1/inspection-plan", headers: bearer(regulator)) { res in
                let body = res.body.string
                #expect(res.status == .ok && body.contains(elsewhere) && !body.contains(id))
                #expect(body.contains("已减免生产许可现场检查"))
            }
        }
    }

    @Test(
        "the credit policy as data: versions from a day put in force by city_admin (audited), read by whoever reads credit files; the page keeps what was typed",
        arguments: TestDatabase.enabled)
    func creditPolicy(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let institution = try await Fixtures.trialInstitution(on: app.platform)
            try await TestUsers.create("admin", role: .cityAdmin, scope: .city, on: app)
            try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
            try await TestUsers.create("office", role: .trialInstitutionOfficer, scope: .institution(institution.id.uuidString), on: app)
            let (admin, regulator, office) = (
                try await TestUsers.token("admin", on: app), try await TestUsers.token("regulator", on: app),
                try await TestUsers.token("office", on: app)
            )
            try await app.testing().test(.GET, "/api/v1/settings/credit-policy", headers: bearer(office)) { res in
                #expect(res.status == .ok && res.body.string.contains(#""versions":[]"#) && res.body.string.contains(#""warning_talk":-10"#))
            }
            let version =
                #"{"effectiveFrom": "2026-11-23", "base": 100, "points": {"warning_talk": -20, "penalty": -30}, "years": 3, "gradeA": 95, "gradeB": 80, "gradeC": 60}"#
            try await app.testing().test(
                .PUT, "/api/v1/settings/credit-policy", headers: bearer(regulator), beforeRequest: { req in req.body = ByteBuffer(string: version) }
            ) { res in #expect(res.status == .forbidden) }
            let bad =
                #"{"effectiveFrom": "2026-11-22", "base": 100, "points": {"penalty": -30}, "years": 3, "gradeA": 60, "gradeB": 80, "gradeC": 60}"#
            try await app.testing().test(
                .PUT, "/api/v1/settings/credit-policy", headers: bearer(admin), beforeRequest: { req in req.body = ByteBuffer(string: bad) }
            ) { res in
                #expect(
                    res.status == .unprocessableEntity && decoded(ProblemBody.self, from: res)?.errors?.map(\.field) == ["effectiveFrom", "gradeB"])
            }
            try await app.testing().test(
                .PUT, "/api/v1/settings/credit-policy", headers: bearer(admin), beforeRequest: { req in req.body = ByteBuffer(string: version) }
            ) { res in
                #expect(res.status == .ok && res.body.string.contains(#""inForce":{"#) && res.body.string.contains(#""warning_talk":-20"#))
            }
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "settings.credit_policy").count() == 1)
            // A warning talk recorded today costs the new 20 points.
            _ = try await app.platform.credit.record(
                kind: "trial_institution", id: institution.id, event: "warning_talk", on: "2026-11-23", detail: "约谈", by: Fixtures.caller)
            try await app.testing().test(.GET, "/api/v1/credit/trial_institution/\(institution.id)", headers: bearer(office)) { res in
                #expect(res.body.string.contains(#""score":80"#))
            }

            // The page: the office reads the rules, only the administrator gets the form.
            let reader = Browser(app)
            #expect(try await reader.signIn("office") == .seeOther)
            let read = try await reader.get("/credit/policy").html
            #expect(read.contains("信用计分规则") && read.contains("2026-11-23 起施行") && read.contains("−20") && !read.contains("施行新版本"))
            // Its institution's page links its credit file.
            let home = try await reader.get("/trial-institutions/\(institution.id.uuidString)").html
            #expect(home.contains(#"href="/credit/trial_institution/\#(institution.id.uuidString)""#))
            let browser = Browser(app)
            #expect(try await browser.signIn("admin") == .seeOther)
            let page = try await browser.get("/credit/policy").html
            let token = try #require(Browser.csrf(in: page))
            var form = [
                "_csrf": token, "effectiveFrom": "2026-12-01", "base": "100", "years": "三", "gradeA": "95", "gradeB": "80", "gradeC": "60",
                "points.penalty": "-40",
            ]
            let refused = try await browser.post("/credit/policy", form)
            #expect(refused.status == .unprocessableEntity && refused.html.contains("计分年限应为整数"))
            #expect(refused.html.contains(#"value="三""#) && refused.html.contains(#"value="-40""#))
            form["years"] = "5"
            #expect(try await browser.post("/credit/policy", form).status == .seeOther)
            let versions = try await app.platform.credit.policies(by: Fixtures.caller).versions
            #expect(versions.map(\.effectiveFrom) == ["2026-11-23", "2026-12-01"] && versions.last?.years == 5)
            #expect(versions.last?.points["penalty"] == -40 && versions.last?.points["warning_talk"] == 0, "a blank point is 0")
        }
    }
}
