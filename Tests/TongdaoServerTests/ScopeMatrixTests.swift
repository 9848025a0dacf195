import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

/// The IDOR matrix: for every role, every enterprise and every product, read, list and change — on
/// SQLite and PostgreSQL.
@Suite("Who may see what: the scope matrix over HTTP")
struct ScopeMatrixTests {
    struct Actor {
        var username: String
        var role: Role
        var scope: Scope
        /// How many of the eight demo enterprises the actor's scope holds (counted by hand from the demo data).
        var visible: Int
    }

    static let actors = [
        Actor(username: "admin", role: .cityAdmin, scope: .city, visible: 8),
        Actor(username: "regulator", role: .cityRegulator, scope: .city, visible: 8),
        Actor(username: "reviewer", role: .reviewer, scope: .city, visible: 8),
        Actor(username: "inspector", role: .inspector, scope: .city, visible: 8),
        Actor(username: "industry", role: .industryOfficer, scope: .city, visible: 8),
        Actor(username: "pudong", role: .districtOfficer, scope: .district("310115"), visible: 3),
        Actor(username: "xuhui", role: .districtOfficer, scope: .district("310104"), visible: 1),
        Actor(username: "zhangjiang", role: .parkOfficer, scope: .park("zhangjiang"), visible: 1),
        Actor(username: "station", role: .stationOfficer, scope: .station("xuhui"), visible: 1),
        Actor(username: "firm", role: .enterpriseUser, scope: .enterprise(DemoData.enterprises[0].uscc), visible: 1),
        Actor(username: "other-firm", role: .enterpriseUser, scope: .enterprise(DemoData.enterprises[3].uscc), visible: 1),
        // Its institution is made by the test (`institution("")` stands for it).
        Actor(username: "institution", role: .trialInstitutionOfficer, scope: .institution(""), visible: 0),
    ]

    /// The actors, the institution's office scoped to the institution the test made.
    static func actors(institution: UUID) -> [Actor] {
        actors.map { actor in
            var actor = actor
            if case .institution = actor.scope { actor.scope = .institution(institution.uuidString) }
            return actor
        }
    }

    @Test("every role sees, reads and changes exactly its scope; everything else is 404 or absent", arguments: TestDatabase.enabled)
    func matrix(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            var enterprises: [EnterpriseRecord] = []
            var products: [ProductRecord] = []
            for draft in DemoData.enterprises {
                let enterprise = try await app.platform.enterprises.create(EnterpriseInput(draft), by: Fixtures.caller)
                enterprises.append(enterprise)
                products.append(
                    try await app.platform.products.create(
                        ProductInput(ProductDraft(name: "\(draft.name)的产品", managementClass: .two)), enterpriseID: enterprise.id.uuidString,
                        by: Fixtures.caller))
            }
            // one application a product, with a reviewer's note on its timeline and its reviewer and
            // responsible officer named
            try await TestUsers.create("assigned", role: .reviewer, scope: .city, on: app)
            var applications: [ApplicationRecord] = []
            for (index, product) in products.enumerated() {
                let made = try await Fixtures.application(
                    "M\(index)", product: product.id, acceptedOn: CivilDate("2026-01-05")!, reviewer: "assigned", responsibleOfficer: "assigned",
                    on: app.platform)
                applications.append(
                    try await Fixtures.record(
                        ApplicationEvent(.supplementRequested, on: CivilDate("2026-02-02")!), note: "审评意见：资料不足", on: made.application.id,
                        platform: app.platform
                    ).application)
            }
            #expect(
                Set(Role.allCases.filter { AccessPolicy.allows($0, .readEnterprises) }) == Set(Self.actors.map(\.role)),
                "the matrix covers every role that reads the registry")
            #expect(Role.allCases.filter { !AccessPolicy.allows($0, .readEnterprises) } == [.healthOfficer, .partnerRegulator])
            let actors = Self.actors(institution: try await Fixtures.trialInstitution(on: app.platform).id)
            try await TestUsers.create("probe", role: .reviewer, scope: .city, on: app)
            let missing = try await Self.problem(app, .GET, "/api/v1/enterprises/\(UUID().uuidString)", token: nil, as: "probe")
            for actor in actors {
                try await TestUsers.create(actor.username, role: actor.role, scope: actor.scope, on: app)
                let token = try await TestUsers.token(actor.username, on: app)
                let filter = ReferenceData.filter(for: actor.scope)

                // list: exactly the scope
                var listed: Set<String> = []
                try await app.testing().test(.GET, "/api/v1/enterprises?limit=200", headers: bearer(token)) { res in
                    #expect(res.status == .ok)
                    listed = Set(try decode(EnterprisePageBody.self, from: res).items.map(\.uscc))
                }
                #expect(listed.count == actor.visible, "\(actor.username) lists \(listed.count)")
                #expect(listed == Set(enterprises.filter { filter.admits($0.location) }.map(\.uscc)), "\(actor.username)")
                // a filter naming another district cannot widen it
                try await app.testing().test(.GET, "/api/v1/enterprises?district=310120", headers: bearer(token)) { res in
                    let items = try decode(EnterprisePageBody.self, from: res).items
                    #expect(items.count == (filter == .everything ? 1 : 0), "\(actor.username)")
                }

                for enterprise in enterprises {
                    let id = enterprise.id.uuidString
                    let inScope = filter.admits(enterprise.location)
                    // read
                    try await app.testing().test(.GET, "/api/v1/enterprises/\(id)", headers: bearer(token)) { res in
                        #expect(res.status == (inScope ? .ok : .notFound), "\(actor.username) GET \(enterprise.name)")
                    }
                    if !inScope {
                        let hidden = try await Self.problem(app, .GET, "/api/v1/enterprises/\(id)", token: token, as: actor.username)
                        #expect(hidden == missing, "a hidden record answers exactly as a missing one")
                    }
                    // change
                    let expected: HTTPStatus = !inScope ? .notFound : (AccessPolicy.allows(actor.role, .writeEnterprises) ? .ok : .forbidden)
                    let version = try #require(try await EnterpriseModel.find(enterprise.id, on: app.db)).version
                    try await app.testing().test(
                        .PATCH, "/api/v1/enterprises/\(id)", headers: bearer(token, ifMatch: version),
                        beforeRequest: {
                            try $0.json(["contactName": actor.username])
                        }
                    ) { res in
                        #expect(res.status == expected, "\(actor.username) PATCH \(enterprise.name): \(res.body.string)")
                    }
                    let stored = try await EnterpriseModel.find(enterprise.id, on: app.db)
                    #expect((stored?.contactName == actor.username) == (expected == .ok), "\(actor.username) changed \(enterprise.name)?")
                }

                // products follow their enterprise's scope
                try await app.testing().test(.GET, "/api/v1/products?limit=200", headers: bearer(token)) { res in
                    #expect(decoded(ProductPageBody.self, from: res)?.items.count == actor.visible, "\(actor.username) lists products")
                }
                for product in products {
                    let id = product.id.uuidString
                    let inScope = filter.admits(product.location)
                    try await app.testing().test(.GET, "/api/v1/products/\(id)", headers: bearer(token)) { res in
                        #expect(res.status == (inScope ? .ok : .notFound), "\(actor.username) GET \(product.name)")
                    }
                    let expected: HTTPStatus = !inScope ? .notFound : (AccessPolicy.allows(actor.role, .writeProducts) ? .ok : .forbidden)
                    let version = try #require(try await ProductModel.find(product.id, on: app.db)).version
                    try await app.testing().test(
                        .PATCH, "/api/v1/products/\(id)", headers: bearer(token, ifMatch: version),
                        beforeRequest: {
                            try $0.json(["model": actor.username])
                        }
                    ) { res in
                        #expect(res.status == expected, "\(actor.username) PATCH \(product.name)")
                    }
                }

                // applications follow their product's scope; notes only for the regulator's roles
                try await app.testing().test(.GET, "/api/v1/applications?limit=200", headers: bearer(token)) { res in
                    #expect(decoded(ApplicationPage.self, from: res)?.items.count == actor.visible, "\(actor.username) lists applications")
                }
                let confidential = AccessPolicy.allows(actor.role, .readConfidentialReview)
                // a list by who reviews or follows: only for the roles that may read it
                for filter in ["reviewer", "responsible"] {
                    try await app.testing().test(.GET, "/api/v1/applications?\(filter)=assigned", headers: bearer(token)) { res in
                        #expect(res.status == (confidential ? .ok : .forbidden), "\(actor.username) lists by \(filter)")
                        if confidential {
                            #expect(decoded(ApplicationPage.self, from: res)?.items.count == actor.visible)
                        } else {
                            #expect(decoded(ProblemBody.self, from: res)?.errors?.first?.field == filter)
                        }
                    }
                }
                for application in applications {
                    let id = application.id.uuidString
                    let inScope = filter.admits(application.location)
                    try await app.testing().test(.GET, "/api/v1/applications/\(id)", headers: bearer(token)) { res in
                        #expect(res.status == (inScope ? .ok : .notFound), "\(actor.username) GET application \(application.applicationNumber)")
                        if inScope {
                            let body = decoded(ApplicationBody.self, from: res)
                            let notes = body?.events?.compactMap(\.note) ?? []
                            #expect(notes == (confidential ? ["审评意见：资料不足"] : []), "\(actor.username) reads notes?")
                            // who reviews and follows it, like who recorded an event, for the same roles
                            #expect(
                                [body?.reviewer, body?.responsibleOfficer] == (confidential ? ["assigned", "assigned"] : [nil, nil])
                                    && (body?.events?.first?.recordedBy != nil) == confidential, "\(actor.username) reads names?")
                        }
                    }
                    // an impossible event: refused by scope (404), by role (403), or by the lifecycle (422), in that order
                    let expected: HTTPStatus =
                        !inScope ? .notFound : (AccessPolicy.allows(actor.role, .writeApplications) ? .unprocessableEntity : .forbidden)
                    try await app.testing().test(
                        .POST, "/api/v1/applications/\(id)/events", headers: bearer(token),
                        beforeRequest: {
                            try $0.json(["type": "accepted", "on": "2026-02-10"])
                        }
                    ) { res in
                        #expect(res.status == expected, "\(actor.username) POST event on \(application.applicationNumber)")
                    }
                }
            }
            // The health commission and a partner province's regulator read none of the registry: every
            // call of theirs is 403, whatever the record.
            try await TestUsers.create("health", role: .healthOfficer, scope: .city, on: app)
            try await TestUsers.create("jiangsu", role: .partnerRegulator, scope: .province(.jiangsu), on: app)
            var calls: [(HTTPMethod, String)] = [(.GET, "/api/v1/enterprises"), (.GET, "/api/v1/products"), (.GET, "/api/v1/applications")]
            calls += enterprises.map { (.GET, "/api/v1/enterprises/\($0.id.uuidString)") }
            calls += products.map { (.GET, "/api/v1/products/\($0.id.uuidString)") }
            calls += applications.map { (.GET, "/api/v1/applications/\($0.id.uuidString)") }
            for outsider in ["health", "jiangsu"] {
                let token = try await TestUsers.token(outsider, on: app)
                for (method, path) in calls {
                    try await app.testing().test(method, path, headers: bearer(token)) { res in
                        #expect(res.status == .forbidden, "\(outsider) \(path)")
                    }
                }
            }
            // create: only inside the scope (after the reads, so the new rows do not change the counts above)
            for actor in actors {
                let token = try await TestUsers.token(actor.username, on: app)
                let filter = ReferenceData.filter(for: actor.scope)
                let chongming = EnterpriseAPITests.Input(uscc: Self.uscc(actor.username), name: "\(actor.username) 崇明示例有限公司", district: "310151")
                let expectedCreate: HTTPStatus =
                    !AccessPolicy.allows(actor.role, .writeEnterprises)
                    ? .forbidden
                    : (filter == .everything ? .created : .forbidden)
                try await app.testing().test(.POST, "/api/v1/enterprises", headers: bearer(token), beforeRequest: { try $0.json(chongming) }) { res in
                    #expect(res.status == expectedCreate, "\(actor.username) POST in 崇明: \(res.body.string)")
                }
            }
        }
    }

    private struct ApplicationPage: Decodable { var items: [ApplicationBody] }

    /// A valid USCC made from a username, so each actor's attempt is distinct.
    static func uscc(_ seed: String) -> String {
        let digits = String(seed.unicodeScalars.map { String($0.value % 10) }.joined().prefix(5)).padding(toLength: 5, withPad: "0", startingAt: 0)
        let first17 = "91310151MA1K" + digits
        return USCC.completing(first17)!
    }

    /// The problem body of a request, without its request id (which always differs).
    static func problem(_ app: Application, _ method: HTTPMethod, _ path: String, token: String?, as username: String) async throws -> ProblemBody {
        var headers: HTTPHeaders = [:]
        if let token {
            headers = bearer(token)
        } else {
            headers = bearer(try await TestUsers.token(username, on: app))
        }
        var body: ProblemBody?
        try await app.testing().test(method, path, headers: headers) { res in
            #expect(res.status == .notFound)
            body = try decode(ProblemBody.self, from: res)
            body?.requestId = nil
        }
        return try #require(body)
    }
}
