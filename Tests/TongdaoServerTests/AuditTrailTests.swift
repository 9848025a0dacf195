import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

@Suite("Every write leaves exactly one audit row")
struct AuditTrailTests {
    /// Runs one write and checks it added exactly one audit row, with this action and entity type,
    /// naming the actor and carrying a request ID.
    static func expectOneRow(
        _ app: Application, action: String, entityType: String, actor: String, hasBefore: Bool,
        _ write: () async throws -> Void
    ) async throws {
        let before = try await AuditEntryModel.query(on: app.db).count()
        try await write()
        let rows = try await AuditEntryModel.query(on: app.db).sort(\.$id, .descending).limit(1).all()
        #expect(try await AuditEntryModel.query(on: app.db).count() == before + 1, "\(action) adds one row")
        let row = try #require(rows.first)
        #expect(row.action == action && row.entityType == entityType && row.actor == actor, "\(row.action) \(row.entityType) \(row.actor)")
        #expect((row.before != nil) == hasBefore, "\(action): before")
        #expect(row.after != nil, "\(action): after")
        #expect(row.requestID != nil && row.clientAddress != nil, "\(action): request id and address")
    }

    @Test("through the API and the pages, on SQLite and PostgreSQL", arguments: TestDatabase.enabled)
    func everyWrite(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            try await TestUsers.create("root", role: .cityAdmin, scope: .city, on: app)
            var token = ""
            try await Self.expectOneRow(app, action: "auth.token.create", entityType: "api_token", actor: "user:root", hasBefore: false) {
                token = try await TestUsers.token("root", on: app)
            }
            try await Self.expectOneRow(app, action: "user.create", entityType: "user", actor: "user:root", hasBefore: false) {
                try await app.testing().test(
                    .POST, "/api/v1/users", headers: bearer(token),
                    beforeRequest: {
                        try $0.json([
                            "username": "pd.officer", "role": "district_officer", "scope": "district:310115", "password": "long enough password",
                        ])
                    }
                ) { res in #expect(res.status == .created) }
            }
            try await Self.expectOneRow(app, action: "user.password.reset", entityType: "user", actor: "user:root", hasBefore: false) {
                try await app.testing().test(
                    .PUT, "/api/v1/users/pd.officer/password", headers: bearer(token),
                    beforeRequest: {
                        try $0.json(["password": "another long password"])
                    }
                ) { res in #expect(res.status == .noContent) }
            }
            var id = ""
            try await Self.expectOneRow(app, action: "enterprise.create", entityType: "enterprise", actor: "user:root", hasBefore: false) {
                try await app.testing().test(
                    .POST, "/api/v1/enterprises", headers: bearer(token), beforeRequest: { try $0.json(EnterpriseAPITests.valid) }
                ) { res in
                    #expect(res.status == .created)
                    id = try decode(EnterpriseBody.self, from: res).id
                }
            }
            try await Self.expectOneRow(app, action: "enterprise.update", entityType: "enterprise", actor: "user:root", hasBefore: true) {
                try await app.testing().test(
                    .PATCH, "/api/v1/enterprises/\(id)", headers: bearer(token, ifMatch: 1),
                    beforeRequest: { try $0.json(["name": "上海新名称医疗科技有限公司"]) }
                ) { res in
                    #expect(res.status == .ok)
                }
            }
            try await Self.expectOneRow(app, action: "calendar.year.write", entityType: "calendar_year", actor: "user:root", hasBefore: false) {
                try await app.testing().test(
                    .PUT, "/api/v1/calendar/years/2030", headers: bearer(token),
                    beforeRequest: {
                        try $0.json([
                            "holidays": [["name": "元旦", "first": "2030-01-01", "last": "2030-01-01"]], "adjustedWorkdays": [[String: String]](),
                        ])
                    }
                ) { res in #expect(res.status == .ok, "\(res.body.string)") }
            }
            let browser = Browser(app)
            try await Self.expectOneRow(app, action: "auth.session.create", entityType: "session", actor: "user:root", hasBefore: false) {
                let status = try await browser.signIn("root")
                #expect(status == .seeOther)
            }
            let csrf = try #require(Browser.csrf(in: try await browser.get("/enterprises/new").html))
            try await Self.expectOneRow(app, action: "enterprise.update", entityType: "enterprise", actor: "user:root", hasBefore: true) {
                let saved = try await browser.post(
                    "/enterprises/\(id)",
                    [
                        "_csrf": csrf, "name": "上海页面改名医疗科技有限公司", "district": "310115", "park": "zhangjiang", "kind": "registrant",
                        "version": "2",
                    ])
                #expect(saved.status == .seeOther)
            }
            try await Self.expectOneRow(app, action: "user.disable", entityType: "user", actor: "user:root", hasBefore: true) {
                let disabled = try await browser.post("/admin/users/pd.officer/disable", ["_csrf": csrf])
                #expect(disabled.status == .seeOther)
            }
            try await Self.expectOneRow(app, action: "auth.session.revoke", entityType: "session", actor: "user:root", hasBefore: true) {
                let out = try await browser.post("/logout", ["_csrf": csrf])
                #expect(out.status == .seeOther)
            }
            try await Self.expectOneRow(app, action: "auth.token.revoke", entityType: "api_token", actor: "user:root", hasBefore: true) {
                try await app.testing().test(.DELETE, "/api/v1/auth/tokens/current", headers: bearer(token)) { res in
                    #expect(res.status == .noContent)
                }
            }
        }
    }
}
