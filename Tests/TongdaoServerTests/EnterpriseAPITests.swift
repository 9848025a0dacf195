import Fluent
import Foundation
import SQLKit
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

/// Enterprises as the API returns them.
struct EnterpriseBody: Decodable, Equatable {
    var id: String
    var uscc: String
    var name: String
    var district: String
    var park: String?
    var kind: String
    var isStartup: Bool
    var contactName: String?
    var contactPhone: String?
    var version: Int
}

struct EnterprisePageBody: Decodable {
    var items: [EnterpriseBody]
    var nextCursor: String?
}

extension TestingHTTPRequest {
    mutating func json(_ value: some Encodable) throws {
        try content.encode(value, as: .json)
    }
}

func bearer(_ token: String) -> HTTPHeaders { ["Authorization": "Bearer \(token)"] }

/// A bearer token and the version a change is based on, as its ETag names it.
func bearer(_ token: String, ifMatch version: Int) -> HTTPHeaders { ["Authorization": "Bearer \(token)", "If-Match": "\"\(version)\""] }

@Suite("The enterprise registry API")
struct EnterpriseAPITests {
    struct Input: Encodable {
        var uscc: String
        var name: String
        var district: String
        var park: String?
        var kind = "registrant"
        var isStartup: Bool?
    }

    static let valid = Input(uscc: "91310115MA1K000016", name: "上海张江示例医疗科技有限公司", district: "310115", park: "zhangjiang", isStartup: true)

    @Test("a regulator registers an enterprise; it reads back; the write leaves one audit row with the record", arguments: TestDatabase.enabled)
    func createAndRead(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
            let token = try await TestUsers.token("regulator", on: app)
            let before = try await AuditEntryModel.query(on: app.db).count()
            var created: EnterpriseBody?
            try await app.testing().test(.POST, "/api/v1/enterprises", headers: bearer(token), beforeRequest: { try $0.json(Self.valid) }) { res in
                #expect(res.status == .created, "\(res.body.string)")
                created = try decode(EnterpriseBody.self, from: res)
            }
            let enterprise = try #require(created)
            #expect(enterprise.uscc == Self.valid.uscc && enterprise.park == "zhangjiang" && enterprise.isStartup)
            try await app.testing().test(.GET, "/api/v1/enterprises/\(enterprise.id)", headers: bearer(token)) { res in
                let read = try decode(EnterpriseBody.self, from: res)
                #expect(read == enterprise)
            }
            let audit = try await AuditEntryModel.query(on: app.db).filter(\.$entityType == "enterprise").all()
            #expect(try await AuditEntryModel.query(on: app.db).count() == before + 1)
            #expect(audit.map(\.action) == ["enterprise.create"])
            #expect(audit.first?.entityID == enterprise.id)
            #expect(audit.first?.before == nil)
            let after = try JSONDecoder().decode(EnterpriseDraft.self, from: Data((audit.first?.after ?? "").utf8))
            #expect(after.uscc == Self.valid.uscc && after.name == Self.valid.name)
            #expect(audit.first?.actor == "user:regulator" && audit.first?.requestID != nil)
        }
    }

    @Test(
        "an invalid USCC answers 422 naming uscc and saying why",
        arguments: [
            ("91310115MA1K00001", "18 characters"),
            ("91310115MA1K0000I6", "character 17"),
            ("91310115MA1K00001A", "check character"),
        ])
    func invalidUSCC(uscc: String, reason: String) async throws {
        try await withTongdao { app in
            try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
            let token = try await TestUsers.token("regulator", on: app)
            var input = Self.valid
            input.uscc = uscc
            try await app.testing().test(.POST, "/api/v1/enterprises", headers: bearer(token), beforeRequest: { try $0.json(input) }) { res in
                #expect(res.status == .unprocessableEntity)
                #expect(res.headers.contentType?.description.hasPrefix("application/problem+json") == true)
                let problem = try decode(ProblemBody.self, from: res)
                #expect(problem.errors?.map(\.field) == ["uscc"])
                #expect(problem.errors?.first?.message.contains(reason) == true, "\(problem.errors ?? [])")
            }
            #expect(try await EnterpriseModel.query(on: app.db).count() == 0)
        }
    }

    @Test("a duplicate USCC is 409; a park outside the district and an unknown district are 422 naming the field")
    func conflicts() async throws {
        try await withTongdao { app in
            try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
            let token = try await TestUsers.token("regulator", on: app)
            try await app.testing().test(.POST, "/api/v1/enterprises", headers: bearer(token), beforeRequest: { try $0.json(Self.valid) }) { res in
                #expect(res.status == .created)
            }
            var again = Self.valid
            again.name = "另一个名字有限公司"
            try await app.testing().test(.POST, "/api/v1/enterprises", headers: bearer(token), beforeRequest: { try $0.json(again) }) { res in
                #expect(res.status == .conflict)
                #expect(decoded(ProblemBody.self, from: res)?.errors?.map(\.field) == ["uscc"])
            }
            // Xuhui's officer registering Pudong's enterprise in Xuhui is refused as outside its scope
            // (403 naming the USCC, as for any record it cannot see), not told it is registered.
            try await TestUsers.create("xuhui", role: .districtOfficer, scope: .district("310104"), on: app)
            let xuhui = try await TestUsers.token("xuhui", on: app)
            var inXuhui = again
            inXuhui.district = "310104"
            inXuhui.park = nil
            try await app.testing().test(.POST, "/api/v1/enterprises", headers: bearer(xuhui), beforeRequest: { try $0.json(inXuhui) }) { res in
                #expect(res.status == .forbidden)
                let problem = decoded(ProblemBody.self, from: res)
                #expect(problem?.errors?.map(\.field) == ["uscc"] && problem?.errors?.first?.message.contains("registered") == false)
            }
            var wrongPark = Self.valid
            wrongPark.uscc = "91310115MA1K00003C"
            wrongPark.district = "310104"
            try await app.testing().test(.POST, "/api/v1/enterprises", headers: bearer(token), beforeRequest: { try $0.json(wrongPark) }) { res in
                #expect(res.status == .unprocessableEntity)
                #expect(decoded(ProblemBody.self, from: res)?.errors?.map(\.field) == ["park"])
            }
            var unknownDistrict = wrongPark
            unknownDistrict.district = "310199"
            unknownDistrict.park = nil
            try await app.testing().test(.POST, "/api/v1/enterprises", headers: bearer(token), beforeRequest: { try $0.json(unknownDistrict) }) {
                res in
                #expect(res.status == .unprocessableEntity)
                #expect(decoded(ProblemBody.self, from: res)?.errors?.map(\.field) == ["district"])
            }
            var badKind = Self.valid
            badKind.kind = "bank"
            try await app.testing().test(.POST, "/api/v1/enterprises", headers: bearer(token), beforeRequest: { try $0.json(badKind) }) { res in
                #expect(res.status == .badRequest)
                #expect(decoded(ProblemBody.self, from: res)?.errors?.map(\.field) == ["kind"])
            }
            #expect(try await EnterpriseModel.query(on: app.db).count() == 1)
        }
    }

    @Test(
        "PATCH changes only the given fields and records before and after; a PATCH that changes nothing writes nothing",
        arguments: TestDatabase.enabled)
    func patch(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            try await TestUsers.create("pudong", role: .districtOfficer, scope: .district("310115"), on: app)
            let token = try await TestUsers.token("pudong", on: app)
            let model = try await app.platform.enterprises.create(
                EnterpriseInput(
                    EnterpriseDraft(uscc: Self.valid.uscc, name: Self.valid.name, district: "310115", park: "zhangjiang", kind: .registrant)),
                by: Fixtures.caller)
            let id = model.id.uuidString
            let before = try await AuditEntryModel.query(on: app.db).count()
            try await app.testing().test(
                .PATCH, "/api/v1/enterprises/\(id)", headers: bearer(token, ifMatch: 1),
                beforeRequest: {
                    try $0.json(["park": "", "contactPhone": "021-5000 0001"])
                }
            ) { res in
                #expect(res.status == .ok, "\(res.body.string)")
                #expect(res.headers.first(name: .eTag) == "\"2\"")
                let body = try decode(EnterpriseBody.self, from: res)
                #expect(body.park == nil && body.contactPhone == "021-5000 0001" && body.name == Self.valid.name)
            }
            let rows = try await AuditEntryModel.query(on: app.db).filter(\.$action == "enterprise.update").all()
            #expect(rows.count == 1)
            let old = try JSONDecoder().decode(EnterpriseDraft.self, from: Data((rows.first?.before ?? "").utf8))
            let new = try JSONDecoder().decode(EnterpriseDraft.self, from: Data((rows.first?.after ?? "").utf8))
            #expect(old.park == "zhangjiang" && old.contactPhone == nil)
            #expect(new.park == nil && new.contactPhone == "021-5000 0001")
            // the same PATCH again changes nothing and records nothing
            try await app.testing().test(
                .PATCH, "/api/v1/enterprises/\(id)", headers: bearer(token, ifMatch: 2),
                beforeRequest: {
                    try $0.json(["park": "", "contactPhone": "021-5000 0001"])
                }
            ) { res in
                #expect(res.status == .ok)
                #expect(res.headers.first(name: .eTag) == "\"2\"", "nothing changed: the same version")
            }
            #expect(try await AuditEntryModel.query(on: app.db).count() == before + 1)
            // a district officer cannot move an enterprise out of its district
            try await app.testing().test(
                .PATCH, "/api/v1/enterprises/\(id)", headers: bearer(token, ifMatch: 2),
                beforeRequest: {
                    try $0.json(["district": "310104"])
                }
            ) { res in
                #expect(res.status == .forbidden)
                #expect(decoded(ProblemBody.self, from: res)?.errors?.map(\.field) == ["district"])
            }
            #expect(try await EnterpriseModel.find(model.id, on: app.db)?.district == "310115")
        }
    }

    @Test("a list pages with a cursor; a made-up cursor is 400 naming cursor; no token is 401")
    func listing() async throws {
        try await withTongdao { app in
            for draft in DemoData.enterprises {
                _ = try await app.platform.enterprises.create(EnterpriseInput(draft), by: Fixtures.caller)
            }
            try await TestUsers.create("industry", role: .industryOfficer, scope: .city, on: app)
            let token = try await TestUsers.token("industry", on: app)
            var seen: [String] = []
            var cursor: String?
            repeat {
                let path = "/api/v1/enterprises?limit=3" + (cursor.map { "&cursor=\($0)" } ?? "")
                var page: EnterprisePageBody?
                try await app.testing().test(.GET, path, headers: bearer(token)) { res in
                    #expect(res.status == .ok)
                    page = try decode(EnterprisePageBody.self, from: res)
                }
                seen += page?.items.map(\.uscc) ?? []
                cursor = page?.nextCursor
            } while cursor != nil
            #expect(seen.count == DemoData.enterprises.count && Set(seen).count == seen.count)
            try await app.testing().test(.GET, "/api/v1/enterprises?cursor=bm90LWEtY3Vyc29y", headers: bearer(token)) { res in
                #expect(res.status == .badRequest)
                #expect(decoded(ProblemBody.self, from: res)?.errors?.map(\.field) == ["cursor"])
            }
            try await app.testing().test(.GET, "/api/v1/enterprises?limit=500", headers: bearer(token)) { res in
                #expect(res.status == .badRequest)
                #expect(decoded(ProblemBody.self, from: res)?.errors?.map(\.field) == ["limit"])
            }
            try await app.testing().test(.GET, "/api/v1/enterprises?q=%E4%B8%B4%E6%B8%AF", headers: bearer(token)) { res in
                #expect(decoded(EnterprisePageBody.self, from: res)?.items.map(\.name) == ["上海临港示例影像设备有限公司"])
            }
            try await app.testing().test(.GET, "/api/v1/enterprises") { res in
                #expect(res.status == .unauthorized)
            }
        }
    }

    @Test(
        "versions over HTTP: reads and writes carry the ETag; a PATCH without If-Match is 428, on an old version 409 with the ETag now, writing nothing",
        arguments: TestDatabase.enabled)
    func versions(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            try await TestUsers.create("pudong", role: .districtOfficer, scope: .district("310115"), on: app)
            let token = try await TestUsers.token("pudong", on: app)
            var id = ""
            try await app.testing().test(.POST, "/api/v1/enterprises", headers: bearer(token), beforeRequest: { try $0.json(Self.valid) }) { res in
                #expect(res.status == .created && res.headers.first(name: .eTag) == "\"1\"")
                let body = try decode(EnterpriseBody.self, from: res)
                #expect(body.version == 1)
                id = body.id
            }
            try await app.testing().test(.GET, "/api/v1/enterprises/\(id)", headers: bearer(token)) { res in
                #expect(res.headers.first(name: .eTag) == "\"1\"")
            }
            let path = "/api/v1/enterprises/\(id)"
            func patch(_ fields: [String: String], ifMatch: String?) async throws -> (HTTPStatus, ProblemBody?, String?, Int?) {
                var headers = bearer(token)
                if let ifMatch { headers.add(name: .ifMatch, value: ifMatch) }
                var outcome: (HTTPStatus, ProblemBody?, String?, Int?) = (.internalServerError, nil, nil, nil)
                try await app.testing().test(.PATCH, path, headers: headers, beforeRequest: { try $0.json(fields) }) { res in
                    outcome = (
                        res.status, decoded(ProblemBody.self, from: res), res.headers.first(name: .eTag),
                        decoded(EnterpriseBody.self, from: res)?.version
                    )
                }
                return outcome
            }
            let rows = try await AuditEntryModel.query(on: app.db).count()
            // No If-Match: 428 naming it; a list, a weak tag, * or a text: 400 naming it.
            let missing = try await patch(["contactName": "甲"], ifMatch: nil)
            #expect(missing.0 == .preconditionRequired && missing.1?.errors?.map(\.field) == ["If-Match"])
            for tag in [#""1", "2""#, #"W/"1""#, "*", #""one""#] {
                let bad = try await patch(["contactName": "甲"], ifMatch: tag)
                #expect(bad.0 == .badRequest && bad.1?.errors?.map(\.field) == ["If-Match"], "If-Match: \(tag)")
            }
            #expect(try await AuditEntryModel.query(on: app.db).count() == rows)
            // Two people change different fields on version 1: the first is saved, the second is told.
            let first = try await patch(["contactName": "甲"], ifMatch: #""1""#)
            #expect(first.0 == .ok && first.2 == "\"2\"" && first.3 == 2)
            let second = try await patch(["contactPhone": "021-5000 0002"], ifMatch: #""1""#)
            #expect(second.0 == .conflict && second.2 == "\"2\"" && second.1?.errors?.map(\.field) == ["If-Match"])
            #expect(second.1?.type.hasSuffix("stale") == true)
            // Made again on the version now, both changes are kept (quotes may be left off).
            let again = try await patch(["contactPhone": "021-5000 0002"], ifMatch: "2")
            #expect(again.0 == .ok && again.3 == 3)
            let stored = try #require(try await EnterpriseModel.find(UUID(uuidString: id), on: app.db))
            #expect(stored.contactName == "甲" && stored.contactPhone == "021-5000 0002" && stored.version == 3)
            #expect(try await AuditEntryModel.query(on: app.db).count() == rows + 2)
        }
    }
}

@Suite("A write the database is too busy for")
struct BusyAPITests {
    @Test("is a 503 problem with Retry-After, and nothing is written (SQLite held by another writer past every attempt)")
    func busyWrite() async throws {
        try await TestDatabase.sqlite.withFreshLocation { location in
            try await withConfiguredApp(location: location) { app in
                try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
                let token = try await TestUsers.token("regulator", on: app)
                let audited = try await AuditEntryModel.query(on: app.db).count()
                try await withPlainApplication(location: location) { holder in
                    try await holder.db.withConnection { connection in
                        let sql = try #require(connection as? any SQLDatabase)
                        try await sql.raw("BEGIN IMMEDIATE").run()
                        try await app.testing().test(
                            .POST, "/api/v1/enterprises", headers: bearer(token), beforeRequest: { try $0.json(EnterpriseAPITests.valid) }
                        ) { res in
                            #expect(res.status == .serviceUnavailable)
                            #expect(res.headers.first(name: "Retry-After") == "2")
                            #expect(decoded(ProblemBody.self, from: res)?.type == "/problems/busy")
                        }
                        try await sql.raw("COMMIT").run()
                    }
                }
                #expect(try await AuditEntryModel.query(on: app.db).count() == audited)
                #expect(try await EnterpriseModel.query(on: app.db).count() == 0)
            }
        }
    }
}
