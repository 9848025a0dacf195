import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

@Suite("The inspector pool over HTTP: the API with versions, the pages with the rows as typed")
struct InspectorPoolTests {
    struct Body: Decodable {
        struct Employment: Decodable, Equatable {
            var employer: String
            var uscc: String?
            var from: String
            var to: String?
        }

        struct Training: Decodable, Equatable {
            var on: String
            var course: String
            var hours: Double
        }

        var id: String
        var name: String
        var categories: [String]
        var specialties: [String]
        var tiesShown: Bool
        var employments: [Employment]?
        var relationships: [[String: String]]?
        var trainings: [Training]
        var trainingHoursThisYear: Double
        var version: Int
    }

    static let json = """
        {"name": "陈刚", "categories": ["device"], "specialties": ["device_qms"], "fullTime": true, "rank": "lead", "capacityDays": 200,
         "employments": [{"employer": "上海市药品监督管理局", "from": "2024-07-01"},
                         {"employer": "上海张江示例医疗科技有限公司", "uscc": "91310115MA1K000016", "from": "2015-01-05", "to": "2024-06-30"}],
         "relationships": [{"party": "上海浦东示例生物材料有限公司", "kind": "family", "declaredOn": "2025-05-06"}],
         "trainings": [{"on": "2026-03-10", "course": "医疗器械生产质量管理规范培训", "hours": 3.5}]}
        """

    @Test("registered through the API, read with its ETag, changed with If-Match; ties hidden from a colleague", arguments: TestDatabase.enabled)
    func api(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
            try await TestUsers.create("inspector", role: .inspector, scope: .city, on: app)
            try await TestUsers.create("pudong", role: .districtOfficer, scope: .district("310115"), on: app)
            let regulator = try await TestUsers.token("regulator", on: app)
            let inspector = try await TestUsers.token("inspector", on: app)
            let pudong = try await TestUsers.token("pudong", on: app)
            var created: Body?
            try await app.testing().test(
                .POST, "/api/v1/inspectors", headers: bearer(regulator), beforeRequest: { req in req.body = ByteBuffer(string: Self.json) }
            ) { res in
                #expect(res.status == .created, "\(res.body.string)")
                created = decoded(Body.self, from: res)
            }
            let id = try #require(created?.id)
            #expect(created?.trainings == [.init(on: "2026-03-10", course: "医疗器械生产质量管理规范培训", hours: 3.5)])
            #expect(created?.trainingHoursThisYear == 3.5 && created?.employments?.count == 2)
            try await app.testing().test(.GET, "/api/v1/inspectors/\(id)", headers: bearer(regulator)) { res in
                #expect(res.headers.first(name: .eTag) == "\"1\"")
            }
            // A colleague reads the record but not its ties.
            try await app.testing().test(.GET, "/api/v1/inspectors/\(id)", headers: bearer(inspector)) { res in
                let body = decoded(Body.self, from: res)
                #expect(body?.tiesShown == false && body?.employments == nil && body?.relationships == nil && body?.trainings.count == 1)
            }
            let changed = Self.json.replacingOccurrences(of: "\"capacityDays\": 200", with: "\"capacityDays\": 180")
            try await app.testing().test(
                .PUT, "/api/v1/inspectors/\(id)", headers: bearer(regulator), beforeRequest: { req in req.body = ByteBuffer(string: changed) }
            ) { res in #expect(res.status == .preconditionRequired) }
            try await app.testing().test(
                .PUT, "/api/v1/inspectors/\(id)", headers: bearer(regulator, ifMatch: 1),
                beforeRequest: { req in req.body = ByteBuffer(string: changed) }
            ) { res in
                #expect(res.status == .ok && res.headers.first(name: .eTag) == "\"2\"")
            }
            try await app.testing().test(
                .PUT, "/api/v1/inspectors/\(id)", headers: bearer(regulator, ifMatch: 1),
                beforeRequest: { req in req.body = ByteBuffer(string: Self.json) }
            ) { res in
                #expect(res.status == .conflict && res.headers.first(name: .eTag) == "\"2\"")
            }
            // Bad input names the field; the contract's limits are the schema's.
            let bad = Self.json.replacingOccurrences(of: "\"hours\": 3.5", with: "\"hours\": 3.25")
                .replacingOccurrences(of: "\"91310115MA1K000016\"", with: "\"91310115MA1K000017\"")
            try await app.testing().test(
                .POST, "/api/v1/inspectors", headers: bearer(regulator), beforeRequest: { req in req.body = ByteBuffer(string: bad) }
            ) { res in
                #expect(res.status == .unprocessableEntity)
                #expect(Set(decoded(ProblemBody.self, from: res)?.errors?.map(\.field) ?? []) == ["employments[1].uscc", "trainings[0].hours"])
            }
            try await app.testing().test(
                .POST, "/api/v1/inspectors", headers: bearer(regulator),
                beforeRequest: { req in
                    req.body = ByteBuffer(string: Self.json.replacingOccurrences(of: "\"capacityDays\": 200", with: "\"capacityDays\": 400"))
                }
            ) { res in
                #expect(res.status == .badRequest && decoded(ProblemBody.self, from: res)?.errors?.map(\.field) == ["capacityDays"])
            }
            // Who may: the district reads nothing of the pool; an inspector registers no one.
            try await app.testing().test(.GET, "/api/v1/inspectors", headers: bearer(pudong)) { res in #expect(res.status == .forbidden) }
            try await app.testing().test(
                .POST, "/api/v1/inspectors", headers: bearer(inspector), beforeRequest: { req in req.body = ByteBuffer(string: Self.json) }
            ) { res in #expect(res.status == .forbidden) }
            try await app.testing().test(.GET, "/api/v1/inspectors?specialty=device_qms&fullTime=true", headers: bearer(inspector)) { res in
                #expect(res.status == .ok && res.body.string.contains("陈刚"))
            }
            try await app.testing().test(.GET, "/api/v1/inspectors?specialty=gcp", headers: bearer(inspector)) { res in
                #expect(res.status == .ok && !res.body.string.contains("陈刚"))
            }
            try await app.testing().test(.GET, "/api/v1/inspector-pool", headers: bearer(inspector)) { res in
                #expect(res.status == .ok && res.body.string.contains("\"total\":1"))
            }
        }
    }

    @Test("the pages: a refused form keeps every row as typed with the error at its field; saved, the inspector's page lists them")
    func pages() async throws {
        try await withTongdao(.sqlite) { app in
            try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
            try await TestUsers.create("inspector", role: .inspector, scope: .city, on: app)
            let browser = Browser(app)
            #expect(try await browser.signIn("regulator") == .seeOther)
            let form = try await browser.get("/inspectors/new")
            #expect(form.status == .ok && form.html.contains("登记检查员") && form.html.contains(#"name="employmentEmployer[]""#))
            let token = try #require(Browser.csrf(in: form.html))
            var pairs: [(String, String)] = [
                ("_csrf", token), ("name", "陈刚"), ("username", ""), ("categories[]", "device"), ("specialties[]", "device_qms"),
                ("specialties[]", "device_gcp"), ("fullTime", "true"), ("rank", "lead"), ("capacityDays", "200"), ("active", "true"),
            ]
            pairs += [
                ("employmentEmployer[]", "上海市药品监督管理局"), ("employmentUscc[]", ""), ("employmentFrom[]", "2024-07-01"), ("employmentTo[]", ""),
                ("employmentEmployer[]", "上海张江示例医疗科技有限公司"), ("employmentUscc[]", "91310115MA1K000016"), ("employmentFrom[]", "2015-01-05"),
                ("employmentTo[]", "2014-06-30"),
                ("relationshipParty[]", ""), ("relationshipUscc[]", ""), ("relationshipKind[]", ""), ("relationshipDeclaredOn[]", ""),
                ("relationshipNote[]", ""),
                ("trainingOn[]", "2026-03-10"), ("trainingCourse[]", "医疗器械生产质量管理规范培训 <b>"), ("trainingHours[]", "3.5"),
            ]
            let refused = try await browser.post("/inspectors", pairs: pairs)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.html.contains("任职结束日期不能早于起始日期"))
            #expect(refused.html.contains(#"id="field-employments-1-to""#) && refused.html.contains(#"value="2014-06-30""#))
            #expect(refused.html.contains("医疗器械生产质量管理规范培训 &lt;b&gt;"), "what was typed, escaped")
            #expect(refused.html.contains(#"value="device_gcp" id="field-specialties-device_gcp" checked="checked""#))
            #expect(try await InspectorModel.query(on: app.db).count() == 0)

            pairs = pairs.map { $0.0 == "employmentTo[]" && $0.1 == "2014-06-30" ? ($0.0, "2024-06-30") : $0 }
            let saved = try await browser.post("/inspectors", pairs: pairs)
            #expect(saved.status == .seeOther)
            let location = try #require(saved.headers.first(name: .location))
            let page = try await browser.get(location).html
            #expect(page.contains("上海张江示例医疗科技有限公司") && page.contains("2024-06-30") && page.contains("3.5"))
            #expect(page.contains("医疗器械临床试验、医疗器械生产质量管理规范"))
            let list = try await browser.get("/inspectors").html
            #expect(list.contains("在库检查员 1 人") && list.contains("陈刚") && list.contains("登记检查员"))

            // An inspector reads the pool but neither registers nor edits, and sees no one's ties but their own.
            let colleague = Browser(app)
            #expect(try await colleague.signIn("inspector") == .seeOther)
            let theirs = try await colleague.get(location).html
            #expect(!theirs.contains("编辑") && !theirs.contains("上海张江示例医疗科技有限公司") && theirs.contains("培训记录"))
            #expect(try await colleague.get("/inspectors/new").status == .forbidden)
            #expect(!(try await colleague.get("/inspectors").html.contains("登记检查员")))
        }
    }
}
