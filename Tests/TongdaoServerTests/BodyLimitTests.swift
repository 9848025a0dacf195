import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting
import AsyncHTTPClient
import NIOCore

/// A form is accepted as long as its fields are within their own limits, and a field over its limit
/// is answered next to the field with what was typed kept; only a body past any form's size is
/// refused whole (in Chinese on a page, as a problem naming the limit in the API).
@Suite("Body limits: what the fields allow, every refusal in its place")
struct BodyLimitTests {
    /// A browser over a real connection (in memory a body arrives whole and its size is never
    /// measured): cookies kept, redirects not followed.
    final class Connection: @unchecked Sendable {
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        let base: String
        var cookies: [String: String] = [:]

        init(_ base: String) { self.base = base }

        func send(_ method: HTTPMethod, _ path: String, form: [(String, String)]? = nil) async throws -> (status: HTTPResponseStatus, html: String) {
            var request = HTTPClientRequest(url: base + path)
            request.method = method
            request.headers.add(name: "Cookie", value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
            if let form {
                let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
                let body = form.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&")
                request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
                request.body = .bytes(ByteBuffer(string: body))
            }
            let response = try await client.execute(request, deadline: .now() + .seconds(30))
            for header in response.headers[canonicalForm: "Set-Cookie"] {
                let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1).map(String.init)
                if pair.count == 2 { cookies[pair[0]] = pair[1].isEmpty ? nil : pair[1] }
            }
            return (response.status, String(buffer: try await response.body.collect(upTo: 4 << 20)))
        }

        func signIn(_ username: String) async throws -> HTTPResponseStatus {
            let page = try await send(.GET, "/login")
            let token = try #require(Browser.csrf(in: page.html))
            return try await send(.POST, "/login", form: [("_csrf", token), ("username", username), ("password", TestUsers.password)]).status
        }
    }

    @Test(
        "over a real connection: three product texts of 1,900 Chinese characters are saved; a note over 4,000 characters is answered next to its field, kept"
    )
    func longFields() async throws {
        try await withTongdao { app in
            let (_, products) = try await Fixtures.enterprisesAndProducts(on: app.platform)
            try await TestUsers.create("admin", role: .cityAdmin, scope: .city, on: app)
            try await withRunningServer(app) { base in
                let browser = Connection(base)
                defer { _ = browser.client.shutdown() }
                #expect(try await browser.signIn("admin") == .seeOther)
                let product = products[0]
                let edit = try await browser.send(.GET, "/products/\(product.id)/edit")
                let token = try #require(Browser.csrf(in: edit.html))
                let long = String(String(repeating: "创新医疗器械核心专利说明", count: 160).prefix(1_900))
                let saved = try await browser.send(
                    .POST, "/products/\(product.id)",
                    form: [
                        ("_csrf", token), ("name", product.name), ("model", product.model), ("category", "device"), ("managementClass", "II"),
                        ("stage", "intention"), ("version", "1"), ("corePatents", long), ("technicalFeatures", long), ("clinicalAdvantage", long),
                    ])
                #expect(saved.status == .seeOther, "a 51 KB form is saved: \(saved.status)")
                let stored = try #require(try await ProductModel.find(product.id, on: app.db))
                #expect(stored.corePatents?.count == 1_900 && stored.clinicalAdvantage == long)

                let application = try await Fixtures.application("L-1", product: product.id, acceptedOn: CivilDate("2026-11-02")!, on: app.platform)
                let note = String(repeating: "审", count: 4_001)
                let refused = try await browser.send(
                    .POST, "/applications/\(application.application.id)/events",
                    form: [("_csrf", token), ("type", "supplement_requested"), ("on", "2026-11-20"), ("note", note)])
                #expect(refused.status == .unprocessableEntity)
                #expect(refused.html.contains(#"id="field-note-error""#) && refused.html.contains("审评意见 / 核查发现不超过 4000 个字符"))
                #expect(refused.html.contains(note), "the note typed is shown again")
            }
        }
    }

    @Test("over a real connection: a form past 1 MB is a Chinese page; an API body past 1 MB a problem naming the limit")
    func tooLarge() async throws {
        try await withTongdao { app in
            try await TestUsers.create("admin", role: .cityAdmin, scope: .city, on: app)
            let token = try await TestUsers.token("admin", on: app)
            try await withRunningServer(app) { base in
                let client = HTTPClient(eventLoopGroupProvider: .singleton)
                defer { _ = client.shutdown() }
                var form = HTTPClientRequest(url: base + "/enterprises")
                form.method = .POST
                form.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
                form.body = .bytes(ByteBuffer(string: "name=" + String(repeating: "x", count: 1_100_000)))
                let page = try await client.execute(form, deadline: .now() + .seconds(30))
                let html = String(buffer: try await page.body.collect(upTo: 1 << 20))
                #expect(page.status == .payloadTooLarge && html.contains("提交的内容过大"), "\(page.status)")
                let (status, text) = try await postJSON(
                    client, base + "/api/v1/enterprises", headers: [("Authorization", "Bearer \(token)")],
                    json: ["uscc": "x", "name": String(repeating: "x", count: 1_100_000), "district": "310115", "kind": "registrant"])
                #expect(status == .payloadTooLarge)
                let problem = try JSONDecoder().decode(ProblemBody.self, from: Data(text.utf8))
                #expect(problem.errors?.first?.field == "body" && problem.detail?.contains("1 MB") == true)
            }
        }
    }
}
