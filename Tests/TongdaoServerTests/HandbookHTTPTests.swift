import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

@Suite("The policy handbook over the pages and the API: recorded, refused with what was typed kept, found, listed on an enterprise's page, exported")
struct HandbookHTTPTests {
    struct Problem: Decodable {
        struct Field: Decodable { var field: String }
        var errors: [Field]?
    }

    static func encoded(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? "" }

    @Test(
        "the regulator records a policy (refused first, the typed text kept, the message beside the field); a hostile title stays text; the enterprise finds it, sees it on its page and exports the list",
        arguments: TestDatabase.enabled)
    func pages(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let (enterprises, _) = try await ConsultationHTTPTests.scene(app)
            let regulator = Browser(app)
            #expect(try await regulator.signIn("regulator") == .seeOther)
            let form = try await regulator.get("/policies/new")
            let token = try #require(Browser.csrf(in: form.html))
            let hostile = #"<script>alert(1)</script>临床试验费用补贴"#
            var typed = [
                "_csrf": token, "level": "city", "title": hostile, "issuer": "上海市经济和信息化委员会", "responsibleBody": "生物医药产业处", "contact": "王敏",
                "phone": "021-12345678", "summary": "对开展临床试验的创新医疗器械按费用给予补贴。", "topics[]": "funding", "effectiveOn": "2026-01-01",
                "expiresOn": "2025-12-31",
            ]
            let refused = try await regulator.post("/policies", typed)
            #expect(refused.status == .unprocessableEntity && refused.html.contains("截止日期不能早于施行日期"))
            #expect(refused.html.contains("对开展临床试验的创新医疗器械按费用给予补贴。") && refused.html.contains("生物医药产业处"))
            #expect(!refused.html.contains("<script>alert(1)</script>") && refused.html.contains("&lt;script&gt;"))
            typed["expiresOn"] = ""
            let created = try await regulator.post("/policies", typed)
            #expect(created.status == .seeOther)
            let policy = try #require(try await HandbookPolicyModel.query(on: app.db).first())
            let page = try await regulator.get("/policies/\(try policy.requireID())")
            #expect(page.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;临床试验费用补贴") && !page.html.contains("<script>alert(1)"))
            #expect(page.html.contains("生物医药产业处") && page.html.contains("021-12345678") && page.html.contains("标记废止"))

            let firm = Browser(app)
            #expect(try await firm.signIn("maker") == .seeOther)
            let found = try await firm.get("/policies?q=\(Self.encoded("做临床试验有没有补贴"))")
            #expect(found.status == .ok && found.html.contains("临床试验费用补贴"))
            let read = try await firm.get("/policies/\(try policy.requireID())")
            #expect(read.status == .ok && !read.html.contains("标记废止") && !read.html.contains("/edit"))
            let own = try await firm.get("/enterprises/\(enterprises[0].id)")
            #expect(own.html.contains("适用政策（1）") && own.html.contains("临床试验费用补贴"))
            #expect(try await firm.post("/policies", typed).status == .forbidden)
            let sheet = try await firm.get("/policies/export?format=csv&topic=funding")
            #expect(sheet.status == .ok && sheet.html.contains("政策名称") && sheet.html.contains("临床试验费用补贴") && sheet.html.contains("资金支持"))
            #expect(try await firm.get("/policies/export?format=xlsx").status == .ok)
        }
    }

    @Test(
        "the API: recorded (201, ETag), bad fields named, searched by district, an enterprise's list; a change without If-Match 428, on a stale version 409",
        arguments: TestDatabase.enabled)
    func api(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let (enterprises, _) = try await ConsultationHTTPTests.scene(app)
            try await TestUsers.create("pudong", role: .districtOfficer, scope: .district("310115"), on: app)
            let district = try await TestUsers.token("pudong", on: app)
            let maker = try await TestUsers.token("maker", on: app)
            let rival = try await TestUsers.token("rival", on: app)
            let body =
                #"{"level": "district", "district": "310115", "title": "浦东新区创新药械首次注册奖励办法", "issuer": "浦东新区人民政府", "responsibleBody": "区科经委", "contact": "王敏", "phone": "021-12345678", "summary": "首次获批创新医疗器械注册证的给予奖励。", "topics": ["funding", "review"], "productCategories": ["device"], "effectiveOn": "2025-01-01", "sourceURL": "javascript:alert(1)"}"#
            try await app.testing().test(.POST, "/api/v1/policies", headers: bearer(district), beforeRequest: { $0.body = ByteBuffer(string: body) })
            {
                res in
                #expect(res.status == .unprocessableEntity && decoded(Problem.self, from: res)?.errors?.map(\.field) == ["sourceURL"])
            }
            let other = body.replacingOccurrences(of: "310115", with: "310104").replacingOccurrences(
                of: "javascript:alert(1)", with: "https://example.org/")
            try await app.testing().test(.POST, "/api/v1/policies", headers: bearer(district), beforeRequest: { $0.body = ByteBuffer(string: other) })
            {
                res in
                #expect(res.status == .unprocessableEntity && decoded(Problem.self, from: res)?.errors?.map(\.field) == ["level"])
            }
            var id = ""
            try await app.testing().test(
                .POST, "/api/v1/policies", headers: bearer(district),
                beforeRequest: { $0.body = ByteBuffer(string: body.replacingOccurrences(of: "javascript:alert(1)", with: "https://example.org/")) }
            ) { res in
                #expect(res.status == .created && res.headers.first(name: .eTag) == "\"1\"", "\(res.body.string)")
                #expect(res.body.string.contains("\"issuedBy\":\"浦东新区\"") && res.body.string.contains("\"statusLabel\":\"现行有效\""))
                id = (try? decode([String: AnyDecodable].self, from: res))?["id"]?.text ?? ""
            }
            try await app.testing().test(.GET, "/api/v1/policies?district=310115&productCategory=device", headers: bearer(maker)) { res in
                #expect(res.status == .ok && res.body.string.contains("首次注册奖励办法"))
            }
            try await app.testing().test(.GET, "/api/v1/policies?district=310104", headers: bearer(maker)) { res in
                #expect(res.status == .ok && !res.body.string.contains("首次注册奖励办法"))
            }
            try await app.testing().test(.GET, "/api/v1/enterprises/\(enterprises[0].id)/policies", headers: bearer(maker)) { res in
                #expect(res.status == .ok && res.body.string.contains("首次注册奖励办法") && res.body.string.contains("\"districtName\":\"浦东新区\""))
            }
            try await app.testing().test(.GET, "/api/v1/enterprises/\(enterprises[0].id)/policies", headers: bearer(rival)) { res in
                #expect(res.status == .notFound)
            }
            let change = body.replacingOccurrences(of: "javascript:alert(1)", with: "https://example.org/2")
            try await app.testing().test(
                .PUT, "/api/v1/policies/\(id)", headers: bearer(district), beforeRequest: { $0.body = ByteBuffer(string: change) }
            ) {
                res in #expect(res.status == .preconditionRequired)
            }
            try await app.testing().test(
                .PUT, "/api/v1/policies/\(id)", headers: bearer(district, ifMatch: 1), beforeRequest: { $0.body = ByteBuffer(string: change) }
            ) { res in #expect(res.status == .ok && res.headers.first(name: .eTag) == "\"2\"") }
            try await app.testing().test(
                .POST, "/api/v1/policies/\(id)/repeal", headers: bearer(district, ifMatch: 1),
                beforeRequest: { $0.body = ByteBuffer(string: #"{"repealedOn": "2026-11-01", "reason": "替代"}"#) }
            ) { res in #expect(res.status == .conflict) }
        }
    }
}
