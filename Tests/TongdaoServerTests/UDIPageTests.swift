import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

@Suite("A marketed product's UDI-DIs on its page: listed, recorded with the field's message on a refusal, removed")
struct UDIPageTests {
    @Test("the registrant records a DI (a bad check digit refused next to the field, what was typed kept) and removes it; a reviewer only reads")
    func page() async throws {
        try await withTongdao { app in
            let (marketed, _) = try await AdverseEventHTTPTests.scene(app)
            let maker = Browser(app)
            #expect(try await maker.signIn("maker") == .seeOther)
            let product = try await maker.get("/products/\(marketed.id)")
            #expect(product.html.contains(#"href="/products/\#(marketed.id)/udi""#) && product.html.contains("风险档案"))
            let page = try await maker.get("/products/\(marketed.id)/udi")
            #expect(page.status == .ok && page.html.contains(Fixtures.gtin) && page.html.contains("登记产品标识"))
            let token = try #require(Browser.csrf(in: page.html))
            let bad = try await maker.post(
                "/products/\(marketed.id)/udi", ["_csrf": token, "di": "16901234567890", "agency": "gs1", "packaging": "package", "quantity": "10"])
            #expect(bad.status == .unprocessableEntity && bad.html.contains(#"value="16901234567890""#) && bad.html.contains("校验位"))
            let taken = try await maker.post(
                "/products/\(marketed.id)/udi", ["_csrf": token, "di": Fixtures.gtin, "agency": "gs1", "packaging": "unit", "quantity": "1"])
            #expect(taken.status == .conflict && taken.html.contains("该产品标识已登记"))
            let added = try await maker.post(
                "/products/\(marketed.id)/udi", ["_csrf": token, "di": "16901234567899", "agency": "gs1", "packaging": "package", "quantity": "10"])
            #expect(added.status == .seeOther)
            let row = try #require(try await UDIDeviceIdentifierModel.query(on: app.db).filter(\.$di == "16901234567899").first())
            #expect(row.quantity == 10)
            let removed = try await maker.post("/products/\(marketed.id)/udi/\(try row.requireID())/remove", ["_csrf": token])
            #expect(removed.status == .seeOther)
            #expect(try await UDIDeviceIdentifierModel.query(on: app.db).filter(\.$di == "16901234567899").count() == 0)
            let reviewer = Browser(app)
            #expect(try await reviewer.signIn("reviewer") == .seeOther)
            let read = try await reviewer.get("/products/\(marketed.id)/udi")
            #expect(read.status == .ok && read.html.contains(Fixtures.gtin) && !read.html.contains("登记产品标识"))
        }
    }
}
