import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

@Suite("Product pages")
struct ProductPageTests {
    @Test(
        "an enterprise user submits its product through the Chinese form: errors next to fields, typed values and ticks kept; then it is listed",
        arguments: TestDatabase.enabled)
    func enterpriseSubmits(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let own = try await app.platform.enterprises.create(EnterpriseInput(DemoData.enterprises[0]), by: Fixtures.caller)
            let other = try await app.platform.enterprises.create(EnterpriseInput(DemoData.enterprises[3]), by: Fixtures.caller)
            try await TestUsers.create("firm", role: .enterpriseUser, scope: .enterprise(DemoData.enterprises[0].uscc), on: app)
            let browser = Browser(app)
            #expect(try await browser.signIn("firm") == .seeOther)
            let list = try await browser.get("/products")
            #expect(list.html.contains("提交产品"))
            let form = try await browser.get("/products/new")
            #expect(form.status == .ok && form.html.contains(DemoData.enterprises[0].name))
            let token = try #require(Browser.csrf(in: form.html))
            let ownID = own.id.uuidString
            var pairs: [(String, String)] = [
                ("_csrf", token), ("enterpriseId", ownID), ("name", "腔镜手术机器人"), ("model", "SR-100"), ("category", "device"),
                ("managementClass", "III"), ("classificationCode", "99"), ("keyAreas[]", "surgical_robot"), ("keyAreas[]", "ai_device"),
                ("stage", "clinical"), ("expectedFiling", "2027-06"), ("channels[]", "shanghai_priority"), ("udiDI", "00614141000028"),
            ]
            let bad = try await browser.post("/products", pairs: pairs)
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.html.contains(#"id="field-classificationCode-error""#))
            #expect(bad.html.contains(#"id="field-channels-error">上海二类创新、优先程序仅适用于第二类产品"#))
            #expect(bad.html.contains(#"id="field-udiDI-error""#))
            #expect(
                bad.html.contains(#"value="腔镜手术机器人""#)
                    && bad.html.contains(#"value="surgical_robot" id="field-keyAreas-surgical_robot" checked="checked""#))
            #expect(try await ProductModel.query(on: app.db).count() == 0)
            pairs = pairs.map { name, value in
                switch name {
                case "classificationCode": (name, "01-07")
                case "channels[]": (name, "national_innovative")
                case "udiDI": (name, "00614141000029")
                default: (name, value)
                }
            }
            let good = try await browser.post("/products", pairs: pairs)
            #expect(good.status == .seeOther)
            let stored = try #require(try await ProductModel.query(on: app.db).first())
            #expect(stored.draft.keyAreas == [.surgicalRobot, .ai] && stored.draft.channels == [.nationalInnovative] && stored.uscc == own.uscc)
            #expect(try await browser.get("/products").html.contains("腔镜手术机器人"))
            // another enterprise's id in the hidden field: not found, nothing written
            let forged = try await browser.post(
                "/products", pairs: pairs.map { $0.0 == "enterpriseId" ? ($0.0, other.id.uuidString) : $0 })
            #expect(forged.status == .notFound)
            #expect(try await ProductModel.query(on: app.db).count() == 1)
        }
    }

    @Test("officers see their scope's products; another scope's product page is 404")
    func officers() async throws {
        try await withTongdao { app in
            let (_, products) = try await Fixtures.enterprisesAndProducts(on: app.platform)
            try await TestUsers.create("xuhui", role: .districtOfficer, scope: .district("310104"), on: app)
            let browser = Browser(app)
            #expect(try await browser.signIn("xuhui") == .seeOther)
            let list = try await browser.get("/products").html
            #expect(list.contains("示例产品 3") && !list.contains("示例产品 0"))
            #expect(try await browser.get("/products/\(products[0].id.uuidString)").status == .notFound)
            #expect(try await browser.get("/products/\(products[3].id.uuidString)").status == .ok)
            #expect(try await browser.get("/products/\(products[0].id.uuidString)/edit").status == .notFound)
        }
    }

    @Test("a product form saved on a version changed since comes back (409) with the saved stage and key areas by their labels; ticks typed kept")
    func staleForm() async throws {
        try await withTongdao { app in
            let (_, products) = try await Fixtures.enterprisesAndProducts(on: app.platform)
            let product = products[0]
            try await TestUsers.create("admin", role: .cityAdmin, scope: .city, on: app)
            let browser = Browser(app)
            #expect(try await browser.signIn("admin") == .seeOther)
            let token = try #require(Browser.csrf(in: try await browser.get("/products/\(product.id)/edit").html))
            // Someone else moves it to clinical evaluation and adds a key area.
            _ = try await app.platform.products.update(
                id: product.id, ProductInput(keyAreas: ["ai_device", "rehabilitation"], stage: "clinical"), expecting: 1, by: Fixtures.caller)
            let stale = try await browser.post(
                "/products/\(product.id)",
                pairs: [
                    ("_csrf", token), ("enterpriseId", product.enterpriseID.uuidString), ("name", product.name), ("model", "改型号"),
                    ("category", "device"), ("managementClass", "II"), ("keyAreas[]", "ai_device"), ("stage", "intention"), ("version", "1"),
                ])
            #expect(stale.status == .conflict)
            #expect(stale.html.contains(#"id="field-stage-saved">现已保存为：临床评价"#))
            #expect(stale.html.contains(#"id="field-keyAreas-saved">现已保存为：人工智能医疗器械、康复器械"#))
            #expect(stale.html.contains(#"id="field-model-saved">现已保存为：M0"#) && stale.html.contains(#"value="改型号""#))
            #expect(stale.html.contains(#"<input type="hidden" name="version" value="2"/>"#))
            let stored = try #require(try await ProductModel.find(product.id, on: app.db))
            #expect(stored.model == "M0" && stored.stage == .clinical && stored.version == 2)
        }
    }
}
