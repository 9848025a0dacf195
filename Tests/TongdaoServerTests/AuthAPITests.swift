import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

@Suite("Bearer tokens, /me, the sign-in throttle")
struct AuthAPITests {
    struct MeBody: Decodable, Equatable {
        var username: String
        var role: String
        var scope: String
    }

    @Test("a token signs requests in; revoked, it no longer does", arguments: TestDatabase.enabled)
    func tokenLifecycle(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            try await TestUsers.create("pudong.officer", role: .districtOfficer, scope: .district("310115"), on: app)
            let token = try await TestUsers.token("pudong.officer", on: app)
            #expect(token.count >= 40)
            try await app.testing().test(.GET, "/api/v1/me", headers: ["Authorization": "Bearer \(token)"]) { res in
                let me = try decode(MeBody.self, from: res)
                #expect(me == MeBody(username: "pudong.officer", role: "district_officer", scope: "district:310115"))
            }
            // the token is stored only as a digest
            let stored = try await APITokenModel.query(on: app.db).all().map(\.digest)
            #expect(stored.count == 1 && stored[0] != token && stored[0].count == 64)
            // when
            try await app.testing().test(.DELETE, "/api/v1/auth/tokens/current", headers: ["Authorization": "Bearer \(token)"]) { res in
                #expect(res.status == .noContent)
            }
            // then
            try await app.testing().test(.GET, "/api/v1/me", headers: ["Authorization": "Bearer \(token)"]) { res in
                #expect(res.status == .unauthorized)
                #expect(res.headers.first(name: "WWW-Authenticate") == "Bearer")
            }
            // each write left one audit row, naming the user
            let audit = try await AuditEntryModel.query(on: app.db).filter(\.$entityType == "api_token").sort(\.$at).all()
            #expect(audit.map(\.action) == ["auth.token.create", "auth.token.revoke"])
            #expect(audit.allSatisfy { $0.actor == "user:pudong.officer" && $0.role == "district_officer" })
            #expect(audit.last?.after == #"{"revoked":true}"#)
        }
    }

    @Test("no token, a made-up token, a wrong password and an unknown user all get the same 401")
    func unauthorized() async throws {
        try await withTongdao { app in
            try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
            for headers: HTTPHeaders in [[:], ["Authorization": "Bearer not-a-token"]] {
                try await app.testing().test(.GET, "/api/v1/me", headers: headers) { res in
                    #expect(res.status == .unauthorized)
                    #expect(res.headers.contentType?.description.hasPrefix("application/problem+json") == true)
                }
            }
            var answers: [String] = []
            for (username, password) in [("regulator", "wrong password!"), ("nobody", TestUsers.password)] {
                try await app.testing().test(
                    .POST, "/api/v1/auth/tokens",
                    beforeRequest: { req in
                        try req.content.encode(["username": username, "password": password])
                    },
                    afterResponse: { res in
                        #expect(res.status == .unauthorized)
                        answers.append(try decode(ProblemBody.self, from: res).detail ?? "")
                    })
            }
            #expect(answers[0] == answers[1], "the answer must not tell which part was wrong")
        }
    }

    @Test(
        "after 5 failures for a username within 15 minutes the 6th try is 429 with Retry-After, even with the right password",
        arguments: TestDatabase.enabled)
    func throttle(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            try await TestUsers.create("target", role: .cityRegulator, scope: .city, on: app)
            // The window runs from the first failure: what is left of it is 15 minutes less the time
            // these requests took (long on a loaded machine, which runs the whole suite at once).
            let start = Date()
            for _ in 0..<5 {
                try await app.testing().test(
                    .POST, "/api/v1/auth/tokens",
                    beforeRequest: { req in
                        try req.content.encode(["username": "target", "password": "guess guess guess"])
                    }, afterResponse: { res in #expect(res.status == .unauthorized) })
            }
            try await app.testing().test(
                .POST, "/api/v1/auth/tokens",
                beforeRequest: { req in
                    try req.content.encode(["username": "target", "password": TestUsers.password])
                },
                afterResponse: { res in
                    #expect(res.status == .tooManyRequests)
                    let retry = Int(res.headers.first(name: "Retry-After") ?? "") ?? 0
                    let left = 900 - Int(Date().timeIntervalSince(start).rounded(.up))
                    #expect((left...900).contains(retry), "15 minutes from the first failure (at least \(left) s), got \(retry)")
                })
        }
    }

    @Test(
        "a credential answers only while it lives and its user is enabled: expiry, revocation and the disabled flag each checked on every request",
        arguments: TestDatabase.enabled)
    func liveCredentialRules(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            try await TestUsers.create("holder", role: .inspector, scope: .city, on: app)
            let token = try await TestUsers.token("holder", on: app)
            let digest = app.platform.credentials.digest(ofToken: token)
            // SHA-256, in lower-case hexadecimal (FIPS 180-2's example), as stored since the first token
            #expect(
                app.platform.credentials.digest(ofToken: "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
            let now = app.platform.clock.now()
            let found = try await UserStore.token(digest: digest, now: now, on: app.db)
            let user = try #require(try await UserStore.find(username: "holder", on: app.db))
            #expect(found?.username == "holder" && found?.role == .inspector && found?.scope == .city && found?.userID == user.id)
            #expect(try await UserStore.token(digest: String(digest.reversed()), now: now, on: app.db) == nil)
            let stored = try #require(try await APITokenModel.query(on: app.db).first())
            #expect(found?.credentialID == stored.id)
            // expiry, to the second
            #expect(try await UserStore.token(digest: digest, now: stored.expiresAt.addingTimeInterval(-1), on: app.db) != nil)
            #expect(try await UserStore.token(digest: digest, now: stored.expiresAt.addingTimeInterval(1), on: app.db) == nil)
            // the disabled flag alone, as another process's command writes it, refuses the next request
            user.disabled = true
            try await user.update(on: app.db)
            try await app.testing().test(.GET, "/api/v1/me", headers: ["Authorization": "Bearer \(token)"]) { res in
                #expect(res.status == .unauthorized)
            }
            user.disabled = false
            try await user.update(on: app.db)
            try await app.testing().test(.GET, "/api/v1/me", headers: ["Authorization": "Bearer \(token)"]) { res in
                #expect(res.status == .ok)
            }
            stored.revokedAt = now
            try await stored.update(on: app.db)
            #expect(try await UserStore.token(digest: digest, now: now, on: app.db) == nil)
        }
    }

    @Test("disabling a user revokes its tokens at once")
    func disableRevokes() async throws {
        try await withTongdao { app in
            try await TestUsers.create("leaver", role: .inspector, scope: .city, on: app)
            let token = try await TestUsers.token("leaver", on: app)
            try await app.platform.users.disable(username: "leaver", by: Fixtures.caller)
            try await app.testing().test(.GET, "/api/v1/me", headers: ["Authorization": "Bearer \(token)"]) { res in
                #expect(res.status == .unauthorized)
            }
            #expect(try await APITokenModel.query(on: app.db).filter(\.$revokedAt == nil).count() == 0)
        }
    }

    @Test("a user's scope must fit its role and name a known region")
    func scopeFitsRole() async throws {
        try await withTongdao { app in
            let misfit = await #expect(throws: UseCaseError.self) {
                try await TestUsers.create("x.officer", role: .districtOfficer, scope: .city, on: app)
            }
            #expect(misfit?.problems.map(\.field) == ["scope"] && misfit?.description == "scope: a district_officer needs a district scope, not city")
            let unknown = await #expect(throws: UseCaseError.self) {
                try await TestUsers.create("y.officer", role: .parkOfficer, scope: .park("nowhere"), on: app)
            }
            #expect(unknown?.problems.map(\.field) == ["scope"] && unknown?.description == "scope: park:nowhere names no known region")
            try await TestUsers.create("z.officer", role: .parkOfficer, scope: .park("zhangjiang"), on: app)
            let taken = await #expect(throws: UseCaseError.self) {
                try await TestUsers.create("z.officer", role: .parkOfficer, scope: .park("lingang"), on: app)
            }
            #expect(taken == .conflict(FieldProblem("username", "the username z.officer is taken", chinese: "该用户名已被使用")))
        }
    }
}

@Suite("PUT /api/v1/calendar/years/{year}")
struct CalendarYearWriteTests {
    static let body = """
        {"holidays":[{"name":"元旦","first":"2027-01-01","last":"2027-01-01"},{"name":"春节","first":"2027-02-06","last":"2027-02-12"}],
         "adjustedWorkdays":[{"date":"2027-02-13","name":"春节"}]}
        """

    static func put(_ body: String, year: Int = 2027, token: String?, on app: Application, _ check: @escaping (TestingHTTPResponse) throws -> Void)
        async throws
    {
        var headers: HTTPHeaders = ["Content-Type": "application/json"]
        if let token { headers.add(name: "Authorization", value: "Bearer \(token)") }
        try await app.testing().test(.PUT, "/api/v1/calendar/years/\(year)", headers: headers, body: ByteBuffer(string: body)) { res in
            try check(res)
        }
    }

    @Test("city_admin publishes 2027: used at once, with exactly one audit row", arguments: TestDatabase.enabled)
    func adminPublishes(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            try await TestUsers.create("admin", role: .cityAdmin, scope: .city, on: app)
            let token = try await TestUsers.token("admin", on: app)
            try await Self.put(Self.body, token: token, on: app) { res in #expect(res.status == .ok, "\(res.body.string)") }
            try await app.testing().test(.GET, "/api/v1/calendar/days/2027-02-08") { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("春节"))
            }
            let audit = try await AuditEntryModel.query(on: app.db).filter(\.$entityType == "calendar_year").all()
            #expect(audit.count == 1)
            #expect(audit.first?.actor == "user:admin")
            #expect(audit.first?.role == "city_admin")
            #expect(audit.first?.entityID == "2027")
            #expect(audit.first?.before == nil)
            #expect(audit.first?.after?.contains("holiday 2027-02-06..2027-02-12 春节") == true)
            #expect(audit.first?.requestID != nil)
        }
    }

    @Test("anyone else is refused: anonymous 401, other roles 403, nothing stored")
    func othersRefused() async throws {
        try await withTongdao { app in
            try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
            let token = try await TestUsers.token("regulator", on: app)
            try await Self.put(Self.body, token: nil, on: app) { res in #expect(res.status == .unauthorized) }
            try await Self.put(Self.body, token: token, on: app) { res in #expect(res.status == .forbidden) }
            #expect(try await CalendarYearModel.query(on: app.db).count() == 0)
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$entityType == "calendar_year").count() == 0)
        }
    }

    @Test(
        "an invalid schedule is a 422 naming the entry; a malformed date a 400",
        arguments: [
            (#"{"holidays":[],"adjustedWorkdays":[{"date":"2027-02-10","name":"春节"}]}"#, 422, "adjustedWorkdays[0].date"),
            (#"{"holidays":[{"name":"元旦","first":"2028-01-01","last":"2028-01-01"}],"adjustedWorkdays":[]}"#, 422, "holidays[0].first"),
            (
                #"{"holidays":[{"name":"春节","first":"2027-02-06","last":"2027-02-12"}],"adjustedWorkdays":[{"date":"2027-02-06","name":"春节"}]}"#, 422,
                "adjustedWorkdays[0].date"
            ),
            (#"{"holidays":[{"name":"春节","first":"2027-02-30","last":"2027-02-12"}],"adjustedWorkdays":[]}"#, 400, "holidays[0].first"),
        ])
    func invalid(body: String, status: Int, field: String) async throws {
        try await withTongdao { app in
            try await TestUsers.create("admin", role: .cityAdmin, scope: .city, on: app)
            let token = try await TestUsers.token("admin", on: app)
            try await Self.put(body, token: token, on: app) { res in
                #expect(Int(res.status.code) == status)
                let problem = try decode(ProblemBody.self, from: res)
                #expect(problem.errors?.map(\.field) == [field])
            }
            #expect(try await CalendarYearModel.query(on: app.db).count() == 0)
        }
    }
}

@Suite("PUT /api/v1/procedures/{code}/versions/{version}")
struct ProcedureWriteTests {
    static let version2027 = """
        {"version":"x","effectiveFrom":"2027-01-01","basis":"新规（示例）","confirm":false,"review":45,
         "afterSupplement":{"rule":"fresh","days":45},"decision":15,"impliedApproval":false}
        """

    static func put(
        _ body: String, path: String = "device.class2.registration/versions/2027", token: String, on app: Application,
        _ check: @escaping (TestingHTTPResponse) throws -> Void
    ) async throws {
        let headers: HTTPHeaders = ["Content-Type": "application/json", "Authorization": "Bearer \(token)"]
        try await app.testing().test(.PUT, "/api/v1/procedures/\(path)", headers: headers, body: ByteBuffer(string: body)) { try check($0) }
    }

    @Test("city_admin adds a version; clocks accepted from its date use it, earlier ones keep theirs; one audit row", arguments: TestDatabase.enabled)
    func newVersion(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            try await TestUsers.create("admin", role: .cityAdmin, scope: .city, on: app)
            let token = try await TestUsers.token("admin", on: app)
            try await Self.put(Self.version2027, token: token, on: app) { res in #expect(res.status == .ok, "\(res.body.string)") }
            for (accepted, limit) in [("2027-02-01", 45), ("2026-12-01", 60)] {
                try await ClockAPITests.preview(
                    #"{"procedure":"device.class2.registration","asOf":"2027-03-01","events":[{"type":"accepted","on":"\#(accepted)"}]}"#, on: app
                ) { res in
                    let clock = try decode(ClockAPITests.ClockBody.self, from: res)
                    #expect(clock.limit == limit, "accepted \(accepted)")
                }
            }
            let audit = try await AuditEntryModel.query(on: app.db).filter(\.$entityType == "procedure_version").all()
            #expect(audit.map(\.entityID) == ["device.class2.registration@2027"])
            #expect(audit.first?.before == nil && audit.first?.after?.contains(#""review":45"#) == true)
        }
    }

    @Test("others get 403; impossible limits 422 naming them; an unknown procedure 404")
    func refusals() async throws {
        try await withTongdao { app in
            try await TestUsers.create("admin", role: .cityAdmin, scope: .city, on: app)
            try await TestUsers.create("reviewer", role: .reviewer, scope: .city, on: app)
            let admin = try await TestUsers.token("admin", on: app)
            let reviewer = try await TestUsers.token("reviewer", on: app)
            try await Self.put(Self.version2027, token: reviewer, on: app) { res in #expect(res.status == .forbidden) }
            let impossible = Self.version2027.replacingOccurrences(of: #""review":45"#, with: #""review":0"#)
                .replacingOccurrences(of: #""days":45"#, with: #""days":-1"#)
            try await Self.put(impossible, token: admin, on: app) { res in
                #expect(res.status == .unprocessableEntity)
                let problem = try decode(ProblemBody.self, from: res)
                #expect(problem.errors?.map(\.field) == ["review", "afterSupplement.days"])
            }
            try await Self.put(Self.version2027, path: "device.unknown/versions/2027", token: admin, on: app) { res in
                #expect(res.status == .notFound)
            }
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$entityType == "procedure_version").count() == 0)
        }
    }
}
