import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

private struct DeclarationBody: Decodable {
    var year: Int
    var stage: String
    var expectedFiling: String?
    var channels: [String]
    var guidanceNeeds: String?
}

private struct Input: Encodable {
    var stage = "type_testing"
    var expectedFiling: String? = "2027-09"
    var channels: [String]? = ["shanghai_innovative"]
    var guidanceNeeds: String? = "  希望明确分类界定与临床评价路径  "
}

@Suite("Census declarations by the enterprise or its officer: API and page")
struct CensusDeclarationTests {
    static let thisYear = Fixtures.today.year

    @Test(
        "an enterprise declares its product's plan for the year: new, changed, unchanged; each rule names its field; others' products are 404",
        arguments: TestDatabase.enabled)
    func api(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let (enterprises, products) = try await Fixtures.enterprisesAndProducts(on: app.platform)
            try await TestUsers.create("firm", role: .enterpriseUser, scope: .enterprise(enterprises[0].uscc), on: app)
            try await TestUsers.create("reader", role: .reviewer, scope: .city, on: app)
            let token = try await TestUsers.token("firm", on: app)
            let own = products[0].id.uuidString, theirs = products[1].id.uuidString
            let path = "/api/v1/products/\(own)/census/\(Self.thisYear)"

            // new: 201, needs trimmed, the product follows this year's declaration, one audit row
            try await AuditTrailTests.expectOneRow(
                app, action: "census.declare", entityType: "census_intention", actor: "user:firm", hasBefore: false
            ) {
                try await app.testing().test(.PUT, path, headers: bearer(token), beforeRequest: { try $0.json(Input()) }) { res in
                    #expect(res.status == .created, "\(res.body.string)")
                    let body = try #require(decoded(DeclarationBody.self, from: res))
                    #expect(body.year == Self.thisYear && body.stage == "type_testing" && body.expectedFiling == "2027-09")
                    #expect(body.channels == ["shanghai_innovative"] && body.guidanceNeeds == "希望明确分类界定与临床评价路径")
                }
            }
            let product = try #require(try await ProductModel.find(products[0].id, on: app.db))
            #expect(product.draft.stage == .typeTesting && product.draft.expectedFiling?.description == "2027-09")
            let stored = try #require(try await CensusIntentionModel.query(on: app.db).filter(\.$year == Self.thisYear).first())
            #expect(stored.submittedBy == "user:firm" && stored.uscc == enterprises[0].uscc && stored.district == enterprises[0].district)

            // changed: 200, the audit row has before and after
            try await AuditTrailTests.expectOneRow(app, action: "census.declare", entityType: "census_intention", actor: "user:firm", hasBefore: true)
            {
                try await app.testing().test(
                    .PUT, path, headers: bearer(token),
                    beforeRequest: {
                        try $0.json(Input(stage: "clinical", expectedFiling: nil, channels: nil, guidanceNeeds: nil))
                    }
                ) { res in
                    #expect(res.status == .ok)
                    let body = try #require(decoded(DeclarationBody.self, from: res))
                    #expect(body.stage == "clinical" && body.expectedFiling == nil && body.channels.isEmpty && body.guidanceNeeds == nil)
                }
            }
            // unchanged: 200, nothing written
            let audits = try await AuditEntryModel.query(on: app.db).count()
            try await app.testing().test(
                .PUT, path, headers: bearer(token),
                beforeRequest: {
                    try $0.json(Input(stage: "clinical", expectedFiling: "", channels: [], guidanceNeeds: " "))
                }
            ) { res in #expect(res.status == .ok) }
            #expect(try await AuditEntryModel.query(on: app.db).count() == audits)
            #expect(try await CensusIntentionModel.query(on: app.db).count() == 1)

            // each rule names its field; nothing is written
            let cases: [(Input, String, String)] = [
                (Input(expectedFiling: "明年"), path, "expectedFiling"),
                (Input(guidanceNeeds: String(repeating: "需", count: 501)), path, "guidanceNeeds"),
                (Input(channels: ["shanghai_priority", "shanghai_priority"]), path, "channels"),
                (Input(), "/api/v1/products/\(own)/census/\(Self.thisYear + 2)", "year"),
                (Input(), "/api/v1/products/\(own)/census/\(Self.thisYear - 1)", "year"),
            ]
            for (input, target, field) in cases {
                try await app.testing().test(.PUT, target, headers: bearer(token), beforeRequest: { try $0.json(input) }) { res in
                    #expect(res.status == .unprocessableEntity, "\(field): \(res.body.string)")
                    #expect(res.headers.contentType?.description.hasPrefix("application/problem+json") == true)
                    let problem = try #require(decoded(ProblemBody.self, from: res))
                    #expect(problem.errors?.first?.field == field)
                }
            }
            #expect(try await AuditEntryModel.query(on: app.db).count() == audits)

            // another enterprise's product: 404, as if it did not exist; a reviewer may not declare: 403
            try await app.testing().test(
                .PUT, "/api/v1/products/\(theirs)/census/\(Self.thisYear)", headers: bearer(token),
                beforeRequest: {
                    try $0.json(Input())
                }
            ) { res in #expect(res.status == .notFound) }
            let reviewer = try await TestUsers.token("reader", on: app)
            try await app.testing().test(.PUT, path, headers: bearer(reviewer), beforeRequest: { try $0.json(Input()) }) { res in
                #expect(res.status == .forbidden)
            }
            // the journey shows the declaration
            try await app.testing().test(.GET, "/api/v1/products/\(own)/timeline", headers: bearer(token)) { res in
                #expect(res.status == .ok && res.body.string.contains(#""stage":"clinical""#))
            }
        }
    }

    @Test("a district officer may correct last year's declaration; the product keeps its current plan", arguments: TestDatabase.enabled)
    func officerCorrectsPastYear(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let (_, products) = try await Fixtures.enterprisesAndProducts(on: app.platform)
            try await TestUsers.create("pudong", role: .districtOfficer, scope: .district("310115"), on: app)
            let token = try await TestUsers.token("pudong", on: app)
            let id = products[0].id
            try await app.testing().test(
                .PUT, "/api/v1/products/\(id.uuidString)/census/\(Self.thisYear - 1)", headers: bearer(token),
                beforeRequest: {
                    try $0.json(Input(stage: "guidance", channels: []))
                }
            ) { res in #expect(res.status == .created, "\(res.body.string)") }
            let product = try #require(try await ProductModel.find(id, on: app.db))
            #expect(product.draft.stage == products[0].draft.stage, "a past year's declaration does not change the product")
            #expect(try await CensusIntentionModel.query(on: app.db).filter(\.$year == Self.thisYear - 1).first()?.declaration.stage == .guidance)
        }
    }

    @Test(
        "the product page's declaration form: errors next to the fields with everything typed kept, then saved and shown",
        arguments: TestDatabase.enabled)
    func page(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let (enterprises, products) = try await Fixtures.enterprisesAndProducts(on: app.platform)
            try await TestUsers.create("firm", role: .enterpriseUser, scope: .enterprise(enterprises[0].uscc), on: app)
            let browser = Browser(app)
            #expect(try await browser.signIn("firm") == .seeOther)
            let path = "/products/\(products[0].id.uuidString)"
            let page = try await browser.get(path)
            #expect(page.status == .ok && page.html.contains("\(Self.thisYear) 年度注册意向（尚未申报）"))
            let token = try #require(Browser.csrf(in: page.html))
            var pairs: [(String, String)] = [
                ("_csrf", token), ("year", String(Self.thisYear)), ("stage", "clinical"), ("expectedFiling", "2027年"),
                ("channels[]", "shanghai_priority"), ("guidanceNeeds", "请协助确定检验项目"),
            ]
            let bad = try await browser.post(path + "/census", pairs: pairs)
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.html.contains(#"id="field-expectedFiling-error">应为 YYYY-MM 格式的年月"#))
            #expect(bad.html.contains("请协助确定检验项目") && bad.html.contains(#"value="2027年""#))
            #expect(bad.html.contains(#"value="shanghai_priority" id="field-channels-shanghai_priority" checked="checked""#))
            #expect(try await CensusIntentionModel.query(on: app.db).count() == 0)

            pairs = pairs.map { $0.0 == "expectedFiling" ? ($0.0, "2027-11") : $0 }
            #expect(try await browser.post(path + "/census", pairs: pairs).status == .seeOther)
            let saved = try await browser.get(path)
            #expect(saved.html.contains("\(Self.thisYear) 年度注册意向（已申报，可修改）"))
            #expect(saved.html.contains("\(Self.thisYear) 年度普查") && saved.html.contains("指导需求：请协助确定检验项目"))
            let stored = try #require(try await CensusIntentionModel.query(on: app.db).first())
            #expect(
                stored.declaration
                    == CensusDeclaration(
                        stage: .clinical, expectedFiling: YearMonth("2027-11"), channels: [.shanghaiPriority], guidanceNeeds: "请协助确定检验项目"))
            // without the form's token nothing is written
            let forged = try await browser.post(path + "/census", pairs: pairs.filter { $0.0 != "_csrf" })
            #expect(forged.status == .forbidden)
        }
    }
}
