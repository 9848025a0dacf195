import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

/// A browser, as far as the tests need one: cookies kept between requests, forms posted with the
/// CSRF token read from the page.
final class Browser: @unchecked Sendable {
    let app: Application
    var cookies: [String: String] = [:]

    init(_ app: Application) { self.app = app }

    var headers: HTTPHeaders {
        var headers = HTTPHeaders()
        if !cookies.isEmpty { headers.replaceOrAdd(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")) }
        return headers
    }

    func keep(_ res: TestingHTTPResponse) {
        for (name, value) in res.headers.setCookie?.all ?? [:] {
            if value.string.isEmpty || value.maxAge == 0 { cookies[name] = nil } else { cookies[name] = value.string }
        }
    }

    @discardableResult
    func get(_ path: String, extra: HTTPHeaders = [:]) async throws -> (status: HTTPStatus, html: String, headers: HTTPHeaders) {
        var result: (HTTPStatus, String, HTTPHeaders)?
        var headers = self.headers
        headers.add(contentsOf: extra)
        try await app.testing().test(.GET, path, headers: headers) { res in
            keep(res)
            result = (res.status, res.body.string, res.headers)
        }
        return try #require(result)
    }

    @discardableResult
    func post(_ path: String, _ form: [String: String], extra: HTTPHeaders = [:]) async throws -> (
        status: HTTPStatus, html: String, headers: HTTPHeaders
    ) {
        try await post(path, pairs: form.sorted { $0.key < $1.key }, extra: extra)
    }

    /// Posts a form as a browser sends it, fields in order and repeatable (checkboxes send `name[]` once a tick).
    @discardableResult
    func post(_ path: String, pairs: [(String, String)], extra: HTTPHeaders = [:]) async throws -> (
        status: HTTPStatus, html: String, headers: HTTPHeaders
    ) {
        let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        let body = pairs.map { name, value in
            "\(name.addingPercentEncoding(withAllowedCharacters: unreserved) ?? "")=\(value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? "")"
        }.joined(separator: "&")
        return try await send(path, body: Data(body.utf8), contentType: "application/x-www-form-urlencoded", extra: extra)
    }

    /// POSTs a body with this browser's cookies and keeps the cookies the answer sets.
    func send(_ path: String, body: Data, contentType: String, extra: HTTPHeaders = [:]) async throws -> (
        status: HTTPStatus, html: String, headers: HTTPHeaders
    ) {
        var result: (HTTPStatus, String, HTTPHeaders)?
        var headers = self.headers
        headers.add(contentsOf: extra)
        headers.replaceOrAdd(name: .contentType, value: contentType)
        try await app.testing().test(
            .POST, path, headers: headers,
            beforeRequest: { req in
                req.body = ByteBuffer(bytes: Array(body))
            },
            afterResponse: { res in
                keep(res)
                result = (res.status, res.body.string, res.headers)
            })
        return try #require(result)
    }

    /// The CSRF token of the first form on a page.
    static func csrf(in html: String) -> String? {
        guard let range = html.range(of: #"name="_csrf" value=""#) else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }

    /// Signs in through the form, as a person would.
    func signIn(_ username: String, password: String = TestUsers.password) async throws -> HTTPStatus {
        let page = try await get("/login")
        let token = try #require(Self.csrf(in: page.html))
        return try await post("/login", ["_csrf": token, "username": username, "password": password]).status
    }
}

@Suite("Web sign-in, sessions and CSRF")
struct WebSessionTests {
    @Test(
        "signing in sets an HttpOnly, SameSite=Lax session cookie stored only as a digest; not Secure on a client's word",
        arguments: TestDatabase.enabled)
    func signIn(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            try await TestUsers.create("pudong", role: .districtOfficer, scope: .district("310115"), on: app)
            let browser = Browser(app)
            let form = try await browser.get("/login?next=/enterprises")
            #expect(form.status == .ok)
            let token = try #require(Browser.csrf(in: form.html))
            var setCookie = ""
            try await app.testing().test(
                .POST, "/login", headers: browser.headers,
                beforeRequest: { req in
                    try req.content.encode(
                        ["_csrf": token, "username": "pudong", "password": TestUsers.password, "next": "/enterprises"], as: .urlEncodedForm)
                },
                afterResponse: { res in
                    #expect(res.status == .seeOther)
                    #expect(res.headers.first(name: .location) == "/enterprises")
                    setCookie = res.headers[.setCookie].first { $0.hasPrefix("tongdao_session=") } ?? ""
                    browser.keep(res)
                })
            #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Lax") && !setCookie.contains("Secure"))
            let value = try #require(browser.cookies["tongdao_session"])
            let sessions = try await SessionModel.query(on: app.db).all()
            #expect(sessions.count == 1 && sessions[0].digest != value && sessions[0].digest.count == 64)
            let page = try await browser.get("/enterprises")
            #expect(page.status == .ok && page.html.contains("pudong（区政府）"))
            // a client that only says it came over TLS (no trusted proxy in front) gets no Secure
            // cookie: the real connection checks, with a trusted proxy, are in TransportTests
            let secure = Browser(app)
            let login = try await secure.get("/login", extra: ["X-Forwarded-Proto": "https"])
            try await app.testing().test(
                .POST, "/login",
                headers: {
                    var headers = secure.headers
                    headers.add(name: "X-Forwarded-Proto", value: "https")
                    return headers
                }(),
                beforeRequest: { req in
                    try req.content.encode(
                        ["_csrf": Browser.csrf(in: login.html) ?? "", "username": "pudong", "password": TestUsers.password], as: .urlEncodedForm)
                },
                afterResponse: { res in
                    #expect(res.headers[.setCookie].contains { $0.hasPrefix("tongdao_session=") && !$0.contains("Secure") })
                    #expect(res.headers.first(name: "Strict-Transport-Security") == nil)
                })
        }
    }

    @Test("a sign-in form without its CSRF token is refused, even with the right password")
    func loginCSRF() async throws {
        try await withTongdao { app in
            try await TestUsers.create("pudong", role: .districtOfficer, scope: .district("310115"), on: app)
            let browser = Browser(app)
            _ = try await browser.get("/login")
            let missing = try await browser.post("/login", ["username": "pudong", "password": TestUsers.password])
            #expect(missing.status == .forbidden)
            let forged = try await browser.post(
                "/login", ["_csrf": "forged-token-forged-token-forged-token-xx", "username": "pudong", "password": TestUsers.password])
            #expect(forged.status == .forbidden)
            #expect(browser.cookies["tongdao_session"] == nil)
            #expect(try await SessionModel.query(on: app.db).count() == 0)
        }
    }

    @Test("a signed-in form without the session's CSRF token changes nothing", arguments: TestDatabase.enabled)
    func formCSRF(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
            let browser = Browser(app)
            #expect(try await browser.signIn("regulator") == .seeOther)
            let form = ["uscc": "91310115MA1K000016", "name": "上海张江示例医疗科技有限公司", "district": "310115", "kind": "registrant"]
            let refused = try await browser.post("/enterprises", form)
            #expect(refused.status == .forbidden)
            // a token from another session (an attacker's own) does not pass either
            let attacker = Browser(app)
            #expect(try await attacker.signIn("regulator") == .seeOther)
            let attackerToken = try #require(Browser.csrf(in: try await attacker.get("/enterprises/new").html))
            #expect(try await browser.post("/enterprises", form.merging(["_csrf": attackerToken]) { $1 }).status == .forbidden)
            #expect(try await EnterpriseModel.query(on: app.db).count() == 0)
            let token = try #require(Browser.csrf(in: try await browser.get("/enterprises/new").html))
            let accepted = try await browser.post("/enterprises", form.merging(["_csrf": token]) { $1 })
            #expect(accepted.status == .seeOther)
            #expect(try await EnterpriseModel.query(on: app.db).count() == 1)
        }
    }

    @Test("signing out ends the session in the database; disabling a user ends its sessions at once", arguments: TestDatabase.enabled)
    func signOutAndDisable(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
            let browser = Browser(app)
            #expect(try await browser.signIn("regulator") == .seeOther)
            let stolen = try #require(browser.cookies["tongdao_session"])
            let page = try await browser.get("/enterprises")
            let out = try await browser.post("/logout", ["_csrf": Browser.csrf(in: page.html) ?? ""])
            #expect(out.status == .seeOther)
            // the old cookie value no longer signs in, even if someone kept it
            let replay = Browser(app)
            replay.cookies["tongdao_session"] = stolen
            let afterLogout = try await replay.get("/enterprises")
            #expect(afterLogout.status == .seeOther && afterLogout.headers.first(name: .location)?.hasPrefix("/login") == true)

            let other = Browser(app)
            #expect(try await other.signIn("regulator") == .seeOther)
            #expect(try await other.get("/enterprises").status == .ok)
            try await app.platform.users.disable(username: "regulator", by: Fixtures.caller)
            #expect(try await other.get("/enterprises").status == .seeOther)
        }
    }

    @Test("a wrong password gets one generic message and keeps the username; the sixth failure is 429 with Retry-After")
    func failuresAndThrottle() async throws {
        try await withTongdao { app in
            try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
            let browser = Browser(app)
            for attempt in 1...5 {
                let page = try await browser.get("/login")
                let result = try await browser.post(
                    "/login", ["_csrf": Browser.csrf(in: page.html) ?? "", "username": "regulator", "password": "wrong password \(attempt)"])
                #expect(result.status == .unauthorized)
                #expect(result.html.contains("用户名或密码错误，或账号已停用。"))
                #expect(result.html.contains(#"value="regulator""#), "the typed username is kept")
                #expect(!result.html.contains("wrong password"), "the password is never echoed")
            }
            let page = try await browser.get("/login")
            let throttled = try await browser.post(
                "/login", ["_csrf": Browser.csrf(in: page.html) ?? "", "username": "regulator", "password": TestUsers.password])
            #expect(throttled.status == .tooManyRequests)
            #expect(Int(throttled.headers.first(name: "Retry-After") ?? "") ?? 0 > 0)
            #expect(browser.cookies["tongdao_session"] == nil)
        }
    }

    @Test("pages need a session: anonymous visitors are sent to sign in and brought back; an API token does not open pages")
    func pagesNeedSession() async throws {
        try await withTongdao { app in
            try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
            let token = try await TestUsers.token("regulator", on: app)
            let anonymous = try await Browser(app).get("/enterprises?q=x")
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.headers.first(name: .location) == "/login?next=%2Fenterprises%3Fq%3Dx")
            let withToken = try await Browser(app).get("/enterprises", extra: bearer(token))
            #expect(withToken.status == .seeOther)
            // and a session cookie does not open the API
            let browser = Browser(app)
            #expect(try await browser.signIn("regulator") == .seeOther)
            try await app.testing().test(.GET, "/api/v1/me", headers: browser.headers) { res in
                #expect(res.status == .unauthorized)
            }
            // an open redirect is not possible through next=
            let login = try await browser.get("/login?next=//evil.example/")
            #expect(login.headers.first(name: .location) == "/")
        }
    }
}
