import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

struct UserBody: Decodable, Equatable {
    var username: String
    var role: String
    var scope: String
    var disabled: Bool
}

@Suite("User administration and the audit API")
struct UserAdminAPITests {
    @Test("city_admin creates, lists, disables and resets; each is one audit row; others get 403", arguments: TestDatabase.enabled)
    func lifecycle(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            try await TestUsers.create("root", role: .cityAdmin, scope: .city, on: app)
            try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
            let admin = try await TestUsers.token("root", on: app)
            let regulator = try await TestUsers.token("regulator", on: app)
            let new = ["username": "zj.officer", "role": "park_officer", "scope": "park:zhangjiang", "password": "a long enough password"]
            try await app.testing().test(.POST, "/api/v1/users", headers: bearer(regulator), beforeRequest: { try $0.json(new) }) { res in
                #expect(res.status == .forbidden)
            }
            var audit = try await AuditEntryModel.query(on: app.db).count()
            try await app.testing().test(.POST, "/api/v1/users", headers: bearer(admin), beforeRequest: { try $0.json(new) }) { res in
                #expect(res.status == .created, "\(res.body.string)")
                #expect(
                    decoded(UserBody.self, from: res)
                        == UserBody(username: "zj.officer", role: "park_officer", scope: "park:zhangjiang", disabled: false))
            }
            #expect(try await AuditEntryModel.query(on: app.db).count() == audit + 1)
            try await app.testing().test(.POST, "/api/v1/users", headers: bearer(admin), beforeRequest: { try $0.json(new) }) { res in
                #expect(res.status == .conflict)
            }
            try await app.testing().test(.GET, "/api/v1/users", headers: bearer(admin)) { res in
                let names = try decode([String: [UserBody]].self, from: res)["items"]?.map(\.username)
                #expect(names == ["regulator", "root", "zj.officer"])
            }
            // reset: the old password and the old token stop working, the new password works
            let officerToken = try await TestUsers.token("zj.officer", password: "a long enough password", on: app)
            audit = try await AuditEntryModel.query(on: app.db).count()
            try await app.testing().test(
                .PUT, "/api/v1/users/zj.officer/password", headers: bearer(admin),
                beforeRequest: {
                    try $0.json(["password": "a new long password"])
                }
            ) { res in #expect(res.status == .noContent) }
            #expect(try await AuditEntryModel.query(on: app.db).count() == audit + 1)
            let reset = try #require(try await AuditEntryModel.query(on: app.db).filter(\.$action == "user.password.reset").first())
            #expect(reset.after?.contains("long") == false, "no password or hash in the audit trail")
            try await app.testing().test(.GET, "/api/v1/me", headers: bearer(officerToken)) { res in #expect(res.status == .unauthorized) }
            let newToken = try await TestUsers.token("zj.officer", password: "a new long password", on: app)
            // disable: every token dies at once
            try await app.testing().test(.POST, "/api/v1/users/zj.officer/disable", headers: bearer(admin)) { res in
                #expect(decoded(UserBody.self, from: res)?.disabled == true)
            }
            try await app.testing().test(.GET, "/api/v1/me", headers: bearer(newToken)) { res in #expect(res.status == .unauthorized) }
            try await app.testing().test(.POST, "/api/v1/users/nobody/disable", headers: bearer(admin)) { res in #expect(res.status == .notFound) }
        }
    }

    @Test("bad fields are 422, each named")
    func validation() async throws {
        try await withTongdao { app in
            try await TestUsers.create("root", role: .cityAdmin, scope: .city, on: app)
            let admin = try await TestUsers.token("root", on: app)
            let bad = ["username": "No Spaces", "role": "king", "scope": "district:999999", "password": "short"]
            try await app.testing().test(.POST, "/api/v1/users", headers: bearer(admin), beforeRequest: { try $0.json(bad) }) { res in
                #expect(res.status == .unprocessableEntity)
                #expect(decoded(ProblemBody.self, from: res)?.errors?.map(\.field) == ["username", "role", "scope", "password"])
            }
            let misfit = ["username": "misfit", "role": "district_officer", "scope": "park:zhangjiang", "password": "long enough password"]
            try await app.testing().test(.POST, "/api/v1/users", headers: bearer(admin), beforeRequest: { try $0.json(misfit) }) { res in
                #expect(res.status == .unprocessableEntity)
                #expect(decoded(ProblemBody.self, from: res)?.errors?.map(\.field) == ["scope"])
            }
            let unknownStation = ["username": "st", "role": "station_officer", "scope": "station:atlantis", "password": "long enough password"]
            try await app.testing().test(.POST, "/api/v1/users", headers: bearer(admin), beforeRequest: { try $0.json(unknownStation) }) { res in
                #expect(res.status == .unprocessableEntity)
            }
        }
    }

    struct AuditPageBody: Decodable {
        struct Entry: Decodable {
            var actor: String
            var action: String
            var entityType: String
            var entityId: String
        }

        var items: [Entry]
        var nextCursor: String?
    }

    @Test("the audit trail reads for city_admin and city_regulator only, filtered and paged", arguments: TestDatabase.enabled)
    func auditAPI(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            for draft in DemoData.enterprises {
                _ = try await app.platform.enterprises.create(EnterpriseInput(draft), by: .commandLine("seed"))
            }
            try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
            try await TestUsers.create("reviewer", role: .reviewer, scope: .city, on: app)
            let regulator = try await TestUsers.token("regulator", on: app)
            let reviewer = try await TestUsers.token("reviewer", on: app)
            try await app.testing().test(.GET, "/api/v1/audit", headers: bearer(reviewer)) { res in #expect(res.status == .forbidden) }
            try await app.testing().test(.GET, "/api/v1/audit") { res in #expect(res.status == .unauthorized) }
            var seen: [AuditPageBody.Entry] = []
            var cursor: String?
            repeat {
                let path = "/api/v1/audit?entity=enterprise&limit=3" + (cursor.map { "&cursor=\($0)" } ?? "")
                var page: AuditPageBody?
                try await app.testing().test(.GET, path, headers: bearer(regulator)) { res in
                    #expect(res.status == .ok)
                    page = try decode(AuditPageBody.self, from: res)
                }
                seen += page?.items ?? []
                cursor = page?.nextCursor
            } while cursor != nil
            #expect(seen.count == DemoData.enterprises.count && seen.allSatisfy { $0.action == "enterprise.create" && $0.actor == "cli:seed" })
            try await app.testing().test(.GET, "/api/v1/audit?actor=user:regulator", headers: bearer(regulator)) { res in
                let items = try decode(AuditPageBody.self, from: res).items
                #expect(items.map(\.action) == ["auth.token.create"])
            }
            let id = seen[0].entityId
            try await app.testing().test(.GET, "/api/v1/audit?entity=enterprise:\(id)", headers: bearer(regulator)) { res in
                #expect(decoded(AuditPageBody.self, from: res)?.items.map(\.entityId) == [id])
            }
            let today = Fixtures.today
            try await app.testing().test(.GET, "/api/v1/audit?from=\(today)&to=\(today)&limit=200", headers: bearer(regulator)) { res in
                #expect((decoded(AuditPageBody.self, from: res)?.items.count ?? 0) >= DemoData.enterprises.count)
            }
            try await app.testing().test(.GET, "/api/v1/audit?to=2000-01-01", headers: bearer(regulator)) { res in
                #expect(decoded(AuditPageBody.self, from: res)?.items.isEmpty == true)
            }
            try await app.testing().test(.GET, "/api/v1/audit?from=yesterday", headers: bearer(regulator)) { res in
                #expect(res.status == .badRequest)
                #expect(decoded(ProblemBody.self, from: res)?.errors?.map(\.field) == ["from"])
            }
        }
    }
}

/// Today in Shanghai, as the tests compute it independently of the app.
