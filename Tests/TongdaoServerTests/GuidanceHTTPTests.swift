import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

@Suite("Guidance records over HTTP: recorded through the API and the form (what was typed kept), follow-ups done, counts for the industry department")
struct GuidanceHTTPTests {
    struct Record: Decodable {
        struct FollowUp: Decodable {
            var dueOn: String
            var doneOn: String?
        }

        var id: String
        var version: Int
        var followUps: [FollowUp]
    }

    struct Problem: Decodable {
        struct Field: Decodable { var field: String }
        var errors: [Field]?
    }

    @Test(
        "the API: bad fields named (a follow-up's by its position); recorded; a follow-up done on If-Match; counts", arguments: TestDatabase.enabled)
    func api(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let (enterprises, _) = try await ConsultationHTTPTests.scene(app)
            try await TestUsers.create("industry", role: .industryOfficer, scope: .city, on: app)
            let station = try await TestUsers.token("zj-station", on: app)
            let industry = try await TestUsers.token("industry", on: app)
            let enterprise = enterprises[0].id
            let bad =
                #"{"enterpriseId": "\#(enterprise)", "heldOn": "2026-11-20", "mode": "video", "attendees": "双方", "topics": ["nothing"], "questions": "问", "advice": "", "followUps": [{"item": "", "owner": "企业", "days": 3}]}"#
            try await app.testing().test(
                .POST, "/api/v1/guidance-records", headers: bearer(station), beforeRequest: { $0.body = ByteBuffer(string: bad) }
            ) {
                res in
                #expect(res.status == .unprocessableEntity)
                #expect(
                    Set(decoded(Problem.self, from: res)?.errors?.map(\.field) ?? []) == ["advice", "topics", "followUps[0].item"],
                    "\(res.body.string)")
            }
            let good =
                #"{"enterpriseId": "\#(enterprise)", "heldOn": "2026-11-20", "mode": "video", "attendees": "双方", "topics": ["dossier"], "questions": "问", "advice": "答", "followUps": [{"item": "补充资料", "owner": "企业", "days": 3}]}"#
            var made: Record?
            try await app.testing().test(
                .POST, "/api/v1/guidance-records", headers: bearer(station), beforeRequest: { $0.body = ByteBuffer(string: good) }
            ) {
                res in
                #expect(res.status == .created, "\(res.body.string)")
                made = decoded(Record.self, from: res)
            }
            let record = try #require(made)
            #expect(record.followUps.map(\.dueOn) == ["2026-11-25"], "three working days after Friday 20 November")
            try await app.testing().test(.POST, "/api/v1/guidance-records/\(record.id)/follow-ups/0/completion", headers: bearer(station, ifMatch: 1))
            {
                res in
                #expect(res.status == .ok && decoded(Record.self, from: res)?.followUps.first?.doneOn == "2026-11-23")
            }
            try await app.testing().test(.GET, "/api/v1/guidance-records/\(record.id)", headers: bearer(industry)) { res in
                #expect(res.status == .forbidden)
            }
            try await app.testing().test(.GET, "/api/v1/guidance-counts?year=2026", headers: bearer(industry)) { res in
                #expect(res.status == .ok && res.body.string.contains("\"deskName\":\"张江工作站\"") && res.body.string.contains("\"sessions\":1"))
            }
        }
    }

    @Test(
        "the pages: a refused session keeps what was typed, the record shows its follow-ups, the product's journey lists it",
        arguments: TestDatabase.enabled)
    func pages(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let (enterprises, products) = try await ConsultationHTTPTests.scene(app)
            let station = Browser(app)
            #expect(try await station.signIn("zj-station") == .seeOther)
            let form = try await station.get("/guidance/new?enterprise=\(enterprises[0].id)")
            #expect(form.status == .ok && form.html.contains("示例产品 0") && form.html.contains("跟进事项 1"))
            let token = try #require(Browser.csrf(in: form.html))
            var fields = [
                "_csrf": token, "enterprise": enterprises[0].id.uuidString, "product": products[0].id.uuidString, "heldOn": "2026-11-20",
                "mode": "on_site",
                "attendees": "企业注册专员；冯晨", "topics[]": "core-patent", "questions": "专利能否支撑创新申请？", "advice": "补充检索报告。",
                "followUpItem0": "补充专利检索报告", "followUpOwner0": "企业", "followUpDays0": "0",
            ]
            let refused = try await station.post("/guidance", fields)
            #expect(refused.status == .unprocessableEntity && refused.html.contains("完成时限应为 1 至 120 个工作日"))
            #expect(
                refused.html.contains("补充专利检索报告") && refused.html.contains(#"value="core-patent" id="field-topics-core-patent" checked="checked""#))
            fields["followUpDays0"] = "5"
            let saved = try await station.post("/guidance", fields)
            #expect(saved.status == .seeOther)
            let record = try #require(try await GuidanceRecordModel.query(on: app.db).first())
            let page = try await station.get("/guidance/\(try record.requireID())")
            #expect(page.html.contains("补充专利检索报告") && page.html.contains("应于 2026-11-27 前") && page.html.contains("标记完成"))
            let maker = Browser(app)
            #expect(try await maker.signIn("maker") == .seeOther)
            let product = try await maker.get("/products/\(products[0].id)")
            #expect(product.html.contains("2026-11-20 一对一服务") && product.html.contains("核心专利"))
            #expect(try await maker.get("/guidance/\(try record.requireID())").html.contains("标记完成") == false)
        }
    }
}
