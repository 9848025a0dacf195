import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

struct ProductBody: Decodable, Equatable {
    var id: String
    var enterpriseId: String
    var uscc: String
    var district: String
    var park: String?
    var name: String
    var model: String
    var category: String
    var managementClass: String
    var classificationCode: String?
    var keyAreas: [String]
    var stage: String
    var expectedFiling: String?
    var channels: [String]
    var udiDI: String?
}

struct ProductPageBody: Decodable {
    var items: [ProductBody]
    var nextCursor: String?
}

@Suite("Products under development: API and scope")
struct ProductAPITests {
    @Test("an enterprise user submits its own product; it cannot submit for, see or change another's (404)", arguments: TestDatabase.enabled)
    func enterpriseUser(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let (enterprises, products) = try await Fixtures.enterprisesAndProducts(on: app.platform)
            try await TestUsers.create("firm", role: .enterpriseUser, scope: .enterprise(enterprises[0].uscc), on: app)
            let token = try await TestUsers.token("firm", on: app)
            struct Input: Encodable {
                var enterpriseId: String
                var name: String
                var managementClass = "III"
                var keyAreas = ["surgical_robot", "ai_device"]
                var stage = "clinical"
                var expectedFiling = "2027-06"
                var channels = ["national_innovative"]
                var classificationCode = "01-03"
                var udiDI = "00614141000029"
            }
            let mine = Input(enterpriseId: enterprises[0].id.uuidString, name: "腔镜手术机器人")
            var created: ProductBody?
            try await app.testing().test(.POST, "/api/v1/products", headers: bearer(token), beforeRequest: { try $0.json(mine) }) { res in
                #expect(res.status == .created, "\(res.body.string)")
                created = decoded(ProductBody.self, from: res)
            }
            let product = try #require(created)
            #expect(product.uscc == enterprises[0].uscc && product.district == "310115" && product.park == "zhangjiang")
            #expect(product.keyAreas == ["surgical_robot", "ai_device"] && product.expectedFiling == "2027-06")
            // another enterprise's id in the body: not in scope, named
            let theirs = Input(enterpriseId: enterprises[1].id.uuidString, name: "别人的产品")
            try await app.testing().test(.POST, "/api/v1/products", headers: bearer(token), beforeRequest: { try $0.json(theirs) }) { res in
                #expect(res.status == .unprocessableEntity)
                #expect(decoded(ProblemBody.self, from: res)?.errors?.map(\.field) == ["enterpriseId"])
            }
            // the same name and model again: 409
            try await app.testing().test(.POST, "/api/v1/products", headers: bearer(token), beforeRequest: { try $0.json(mine) }) { res in
                #expect(res.status == .conflict)
            }
            // listing: its own two products only
            try await app.testing().test(.GET, "/api/v1/products", headers: bearer(token)) { res in
                #expect(decoded(ProductPageBody.self, from: res)?.items.map(\.uscc) == [enterprises[0].uscc, enterprises[0].uscc])
            }
            for other in products.dropFirst() {
                let id = other.id.uuidString
                try await app.testing().test(.GET, "/api/v1/products/\(id)", headers: bearer(token)) { res in #expect(res.status == .notFound) }
                try await app.testing().test(
                    .PATCH, "/api/v1/products/\(id)", headers: bearer(token, ifMatch: 1), beforeRequest: { try $0.json(["stage": "approval"]) }
                ) { res in
                    #expect(res.status == .notFound)
                }
            }
            #expect(try await ProductModel.query(on: app.db).filter(\.$stage == .approval).count() == 0)
            // its own: a PATCH with a bad month and a bad UDI names both
            try await app.testing().test(
                .PATCH, "/api/v1/products/\(product.id)", headers: bearer(token, ifMatch: 1),
                beforeRequest: {
                    try $0.json(["expectedFiling": "June", "udiDI": "00614141000028"])
                }
            ) { res in
                #expect(res.status == .unprocessableEntity)
            }
            try await app.testing().test(
                .PATCH, "/api/v1/products/\(product.id)", headers: bearer(token, ifMatch: 1),
                beforeRequest: { try $0.json(["stage": "accepted", "udiDI": ""]) }
            ) { res in
                #expect(res.status == .ok)
                #expect(decoded(ProductBody.self, from: res)?.stage == "accepted")
                #expect(decoded(ProductBody.self, from: res)?.udiDI == nil)
            }
            let audit = try await AuditEntryModel.query(on: app.db).filter(\.$entityType == "product").filter(\.$actor == "user:firm").all()
            #expect(audit.map(\.action).sorted() == ["product.create", "product.update"])
        }
    }

    @Test(
        "officers list their scope with filters; the industry department reads all but writes none; bad filters are 400",
        arguments: TestDatabase.enabled)
    func officers(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let (enterprises, products) = try await Fixtures.enterprisesAndProducts(on: app.platform)
            try await TestUsers.create("pudong", role: .districtOfficer, scope: .district("310115"), on: app)
            try await TestUsers.create("industry", role: .industryOfficer, scope: .city, on: app)
            let pudong = try await TestUsers.token("pudong", on: app)
            let industry = try await TestUsers.token("industry", on: app)
            try await app.testing().test(.GET, "/api/v1/products?limit=200", headers: bearer(pudong)) { res in
                #expect(decoded(ProductPageBody.self, from: res)?.items.count == 3)
            }
            try await app.testing().test(.GET, "/api/v1/products?keyArea=ai_device&limit=200", headers: bearer(industry)) { res in
                #expect(decoded(ProductPageBody.self, from: res)?.items.count == 4)
            }
            try await app.testing().test(.GET, "/api/v1/products?park=zhangjiang", headers: bearer(industry)) { res in
                #expect(decoded(ProductPageBody.self, from: res)?.items.map(\.name) == ["示例产品 0"])
            }
            try await app.testing().test(.GET, "/api/v1/products?enterprise=\(enterprises[3].id.uuidString)", headers: bearer(pudong)) {
                res in
                #expect(decoded(ProductPageBody.self, from: res)?.items.isEmpty == true, "another district's enterprise: nothing")
            }
            try await app.testing().test(.GET, "/api/v1/products?keyArea=robots&class=IV", headers: bearer(industry)) { res in
                #expect(res.status == .badRequest)
                #expect(decoded(ProblemBody.self, from: res)?.errors?.map(\.field).sorted() == ["class", "keyArea"])
            }
            let id = products[0].id.uuidString
            try await app.testing().test(
                .PATCH, "/api/v1/products/\(id)", headers: bearer(industry, ifMatch: 1), beforeRequest: { try $0.json(["stage": "clinical"]) }
            ) { res in
                #expect(res.status == .forbidden)
            }
            // paging: every product once
            var seen: [String] = []
            var cursor: String?
            repeat {
                var page: ProductPageBody?
                try await app.testing().test(.GET, "/api/v1/products?limit=3" + (cursor.map { "&cursor=\($0)" } ?? ""), headers: bearer(industry)) {
                    res in
                    page = decoded(ProductPageBody.self, from: res)
                }
                seen += page?.items.map(\.id) ?? []
                cursor = page?.nextCursor
            } while cursor != nil
            #expect(seen == (try products.map { try $0.id.uuidString }))
        }
    }

    @Test("moving an enterprise to another district moves its products' and declarations' scope with it", arguments: TestDatabase.enabled)
    func productsFollowEnterprise(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let (enterprises, products) = try await Fixtures.enterprisesAndProducts(on: app.platform)
            _ = try await app.platform.census.declare(
                .init(stage: products[2].stage.rawValue, expectedFiling: nil, channels: [], guidanceNeeds: nil), year: 2026,
                productID: products[2].id, by: Fixtures.caller)
            _ = try await app.platform.enterprises.update(
                id: enterprises[2].id, EnterpriseInput(district: "310104"), expecting: enterprises[2].version, by: Fixtures.caller)
            let moved = try #require(try await ProductModel.find(products[2].id, on: app.db))
            #expect(moved.district == "310104")
            #expect(try await ProductStore.find(id: try moved.requireID(), scope: ReferenceData.filter(for: .district("310115")), on: app.db) == nil)
            #expect(try await ProductStore.find(id: try moved.requireID(), scope: ReferenceData.filter(for: .station("xuhui")), on: app.db) != nil)
            #expect(
                try await CensusStore.export(year: 2026, scope: ReferenceData.filter(for: .district("310104")), on: app.db).count == 1,
                "its census declarations move too")
            #expect(try await CensusStore.export(year: 2026, scope: ReferenceData.filter(for: .district("310115")), on: app.db).isEmpty)
        }
    }
}
