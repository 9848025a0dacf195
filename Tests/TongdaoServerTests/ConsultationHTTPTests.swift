import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

@Suite("Consultations over HTTP: the API on If-Match with problem details, the pages keeping what was typed, the queue and the inbox")
struct ConsultationHTTPTests {
    struct Record: Decodable {
        struct Target: Decodable {
            var limit: Int
            var used: Int
            var deadline: String?
            var level: String
        }

        var id: String
        var version: Int
        var status: String
        var station: String?
        var desk: String
        var firstResponse: Target
        var resolution: Target
    }

    struct Problem: Decodable {
        struct Field: Decodable { var field: String }
        var errors: [Field]?
    }

    static func scene(_ app: Application) async throws -> (enterprises: [EnterpriseRecord], products: [ProductRecord]) {
        let made = try await Fixtures.enterprisesAndProducts(on: app.platform)
        try await TestUsers.create("maker", role: .enterpriseUser, scope: .enterprise(made.enterprises[0].uscc), on: app)
        try await TestUsers.create("rival", role: .enterpriseUser, scope: .enterprise(made.enterprises[3].uscc), on: app)
        try await TestUsers.create("zj-station", role: .stationOfficer, scope: .station("zhangjiang"), on: app)
        try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
        try await TestUsers.create("admin", role: .cityAdmin, scope: .city, on: app)
        return made
    }

    @Test(
        "asked, answered on If-Match, refused on a stale version with 409; bad fields named; another enterprise's question is 404",
        arguments: TestDatabase.enabled)
    func api(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let (_, products) = try await Self.scene(app)
            let maker = try await TestUsers.token("maker", on: app)
            let rival = try await TestUsers.token("rival", on: app)
            let station = try await TestUsers.token("zj-station", on: app)
            let admin = try await TestUsers.token("admin", on: app)
            try await app.testing().test(.GET, "/api/v1/service-topics") { res in
                #expect(res.status == .ok && res.body.string.contains("创新医疗器械特别审查申请"))
            }
            let bad = #"{"productId": "\#(products[3].id)", "topic": "nothing", "title": "", "question": "问题"}"#
            try await app.testing().test(.POST, "/api/v1/consultations", headers: bearer(maker), beforeRequest: { $0.body = ByteBuffer(string: bad) })
            {
                res in
                #expect(res.status == .unprocessableEntity)
                #expect(Set(decoded(Problem.self, from: res)?.errors?.map(\.field) ?? []) == ["product", "topic", "title"], "\(res.body.string)")
            }
            let good = #"{"productId": "\#(products[0].id)", "topic": "registration-testing", "title": "注册检验样品数量", "question": "注册检验需要送几台样品？"}"#
            var made: Record?
            try await app.testing().test(
                .POST, "/api/v1/consultations", headers: bearer(maker), beforeRequest: { $0.body = ByteBuffer(string: good) }
            ) {
                res in
                #expect(res.status == .created && res.headers.first(name: .eTag) == "\"1\"", "\(res.body.string)")
                made = decoded(Record.self, from: res)
            }
            let record = try #require(made)
            #expect(record.station == "zhangjiang" && record.status == "open" && record.firstResponse.deadline == "2026-11-25")
            let path = "/api/v1/consultations/\(record.id)"
            try await app.testing().test(.GET, path, headers: bearer(rival)) { res in #expect(res.status == .notFound) }
            let answer = #"{"response": "answer", "text": "一般为同一型号的两台样品。"}"#
            try await app.testing().test(
                .POST, "\(path)/responses", headers: bearer(station), beforeRequest: { $0.body = ByteBuffer(string: answer) }
            ) {
                res in #expect(res.status == .preconditionRequired)
            }
            try await app.testing().test(
                .POST, "\(path)/responses", headers: bearer(maker, ifMatch: 1), beforeRequest: { $0.body = ByteBuffer(string: answer) }
            ) { res in #expect(res.status == .forbidden) }
            try await app.testing().test(
                .POST, "\(path)/responses", headers: bearer(station, ifMatch: 1), beforeRequest: { $0.body = ByteBuffer(string: answer) }
            ) { res in
                #expect(res.status == .ok && res.headers.first(name: .eTag) == "\"2\"")
                #expect(decoded(Record.self, from: res)?.status == "answered")
            }
            try await app.testing().test(
                .POST, "\(path)/responses", headers: bearer(station, ifMatch: 1), beforeRequest: { $0.body = ByteBuffer(string: answer) }
            ) { res in #expect(res.status == .conflict) }
            try await app.testing().test(
                .POST, "\(path)/rating", headers: bearer(maker, ifMatch: 2), beforeRequest: { $0.body = ByteBuffer(string: #"{"rating": 9}"#) }
            ) { res in #expect(res.status == .badRequest, "the contract holds the range") }
            try await app.testing().test(
                .POST, "\(path)/rating", headers: bearer(maker, ifMatch: 2),
                beforeRequest: { $0.body = ByteBuffer(string: #"{"rating": 4, "comment": "清楚"}"#) }
            ) { res in #expect(decoded(Record.self, from: res)?.status == "closed") }
            try await app.testing().test(.GET, "/api/v1/consultations?status=closed", headers: bearer(maker)) { res in
                #expect(decoded([String: [Record]].self, from: res)?["items"]?.map(\.id) == [record.id])
            }
            try await app.testing().test(.GET, "/api/v1/consultations?status=lost", headers: bearer(maker)) { res in
                #expect(res.status == .badRequest)
            }
            try await app.testing().test(.GET, "/api/v1/settings/service-policy") { res in
                #expect(res.status == .ok && res.body.string.contains("\"resolutionDays\":10"))
            }
            let policy =
                #"{"effectiveFrom": "2026-12-01", "firstResponseDays": 3, "resolutionDays": 2, "amberFraction": 0.8, "escalateAfterDays": 3, "classificationDays": 10, "appointmentCutoffDays": 1}"#
            try await app.testing().test(
                .PUT, "/api/v1/settings/service-policy", headers: bearer(admin), beforeRequest: { $0.body = ByteBuffer(string: policy) }
            ) { res in
                #expect(res.status == .unprocessableEntity)
                #expect(decoded(Problem.self, from: res)?.errors?.map(\.field) == ["resolutionDays"])
            }
        }
    }

    @Test(
        "the pages: the question form keeps what was typed; the station answers on the page; the queue shows the time left; the inbox",
        arguments: TestDatabase.enabled)
    func pages(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let (_, products) = try await Self.scene(app)
            let maker = Browser(app)
            #expect(try await maker.signIn("maker") == .seeOther)
            let form = try await maker.get("/consultations/new")
            #expect(form.status == .ok && form.html.contains("提出咨询") && form.html.contains("示例产品 0") && !form.html.contains("示例产品 3"))
            let token = try #require(Browser.csrf(in: form.html))
            let refused = try await maker.post(
                "/consultations", ["_csrf": token, "product": products[0].id.uuidString, "topic": "dossier", "title": "", "question": "<b>资料</b>要求？"])
            #expect(refused.status == .unprocessableEntity && refused.html.contains("请填写问题概要"))
            #expect(refused.html.contains("&lt;b&gt;资料&lt;/b&gt;要求？"), "what was typed is kept, escaped")
            let asked = try await maker.post(
                "/consultations", ["_csrf": token, "product": products[0].id.uuidString, "topic": "dossier", "title": "申报资料格式", "question": "格式要求？"])
            #expect(asked.status == .seeOther)
            let consultation = try #require(try await ConsultationModel.query(on: app.db).first())
            let id = try consultation.requireID()

            let station = Browser(app)
            #expect(try await station.signIn("zj-station") == .seeOther)
            let queue = try await station.get("/consultations")
            #expect(queue.status == .ok && queue.html.contains("申报资料格式") && queue.html.contains("首次响应剩 2 个工作日"))
            #expect(queue.html.contains("待答复（1）"))
            let page = try await station.get("/consultations/\(id)")
            #expect(page.html.contains("请企业补充说明") && page.html.contains("转办") && !page.html.contains("评价答复"))
            let stationToken = try #require(Browser.csrf(in: page.html))
            let empty = try await station.post(
                "/consultations/\(id)/responses", ["_csrf": stationToken, "response": "request_info", "text": "", "version": "1"])
            #expect(empty.status == .unprocessableEntity && empty.html.contains("请填写需补充说明的内容"))
            let asking = try await station.post(
                "/consultations/\(id)/responses", ["_csrf": stationToken, "response": "request_info", "text": "请提供产品技术要求。", "version": "1"])
            #expect(asking.status == .seeOther)
            let stale = try await station.post(
                "/consultations/\(id)/responses", ["_csrf": stationToken, "response": "answer", "text": "再答一次。", "version": "1"])
            #expect(stale.status == .conflict && stale.html.contains("该咨询已被他人更新") && stale.html.contains("再答一次。"))

            let inbox = try await maker.get("/inbox")
            #expect(inbox.html.contains("咨询（1）") && inbox.html.contains("申报资料格式"))
            let mine = try await maker.get("/consultations/\(id)")
            #expect(mine.html.contains("补充说明") && mine.html.contains("计时暂停") && !mine.html.contains("转办理由"))
            #expect(try await maker.get("/consultations?status=awaiting_enterprise").html.contains("申报资料格式"))
        }
    }
}
