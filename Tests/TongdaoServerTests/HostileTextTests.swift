import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Text written to purpose against the pages: quotes, `<`, `>`, `&`, `</script>`, line and paragraph
/// separators, right-to-left marks, entities typed as text. Written into every text field through
/// the API, it must come back as the same text on every page and in every export, never as markup;
/// an unchanged form save keeps it as it is. Control characters are refused, naming the field.
@Suite("Hostile text: stored as typed, shown as text, never as markup")
struct HostileTextTests {
    static let name = #"测试"引号<b>公司 x"><img src=x onerror=alert(2)> &amp; </script>"#
    static let model = "型号\u{2028}\u{202E}lanigiro\u{202C} 'single' <i>"
    static let text = "核心专利 \"一\" & <script>alert(1)</script>\n第二行 &lt;b&gt;"

    /// A page as a strict XML parser reads it: a well-formed page is one nothing broke out of.
    static func parse(_ html: String, _ path: String) throws -> XMLDocument {
        // A fragment (the screen's panels) is read inside an element of its own.
        let document = html.hasPrefix("<!DOCTYPE") ? html : "<fragment>\(html)</fragment>"
        #expect(XMLParser(data: Data(document.utf8)).parse(), "\(path) is well-formed")
        do {
            return try XMLDocument(xmlString: document, options: [])
        } catch {
            Issue.record("\(path) is not well-formed: \(error)")
            throw error
        }
    }

    /// Elements a hostile value would add if it escaped its attribute or its text.
    static func injected(_ document: XMLDocument) throws -> [String] {
        let nodes = try document.nodes(forXPath: "//img | //b | //i | //script[not(@src)] | //*[@onerror]")
        return nodes.compactMap(\.name)
    }

    @Test("through the API into every page, chart and export that shows it, and back through an unchanged form", arguments: TestDatabase.enabled)
    func corpus(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            try await TestUsers.create("admin", role: .cityAdmin, scope: .city, on: app)
            let token = try await TestUsers.token("admin", on: app)
            let uscc = DemoData.enterprises[0].uscc
            var enterpriseID = ""
            try await app.testing().test(
                .POST, "/api/v1/enterprises", headers: bearer(token),
                beforeRequest: {
                    try $0.content.encode(
                        ["uscc": uscc, "name": Self.name, "district": "310115", "kind": "registrant", "contactName": "联系人\"<x>"], as: .json)
                }
            ) { res in
                #expect(res.status == .created, "\(res.body.string)")
                enterpriseID = try decode(EnterpriseBody.self, from: res).id
            }
            var productID = ""
            try await app.testing().test(
                .POST, "/api/v1/products", headers: bearer(token),
                beforeRequest: {
                    try $0.content.encode(
                        [
                            "enterpriseId": enterpriseID, "name": Self.name, "model": Self.model, "managementClass": "II",
                            "corePatents": Self.text, "technicalFeatures": Self.text,
                        ], as: .json)
                }
            ) { res in
                #expect(res.status == .created, "\(res.body.string)")
                productID =
                    try #require(try JSONSerialization.jsonObject(with: Data(res.body.readableBytesView)) as? [String: Any])["id"] as? String ?? ""
            }
            let application = try await Fixtures.application(
                "SH-\"<b>1", product: try #require(UUID(uuidString: productID)), acceptedOn: CivilDate("2026-11-02")!, on: app.platform)
            try await Fixtures.record(
                ApplicationEvent(.extensionGranted, on: CivilDate("2026-11-03")!, days: 5, reason: Self.name), note: Self.text,
                on: application.application.id, platform: app.platform)

            let browser = Browser(app)
            #expect(try await browser.signIn("admin") == .seeOther)
            let pages = [
                "/enterprises", "/enterprises?q=\(SiteQuery.encode(Self.name))", "/enterprises/\(enterpriseID)", "/enterprises/\(enterpriseID)/edit",
                "/products", "/products?q=\(SiteQuery.encode("\"<b>"))", "/products/\(productID)", "/products/\(productID)/edit",
                "/applications", "/applications/\(application.application.id)", "/dashboard", "/screen", "/screen/panels", "/audit",
                "/audit?entity=\(SiteQuery.encode(Self.name))&actor=\(SiteQuery.encode("\"><b>"))", "/census",
            ]
            for path in pages {
                let page = try await browser.get(path)
                #expect(page.status == .ok, "\(path): \(page.status)")
                let document = try Self.parse(page.html, path)
                #expect(try Self.injected(document) == [], "\(path) holds markup that was typed as text")
            }
            // Signed out, the sign-in page reflects `next` into its form, as text.
            let login = try await Browser(app).get("/login?next=\(SiteQuery.encode("/x\"><b>"))")
            #expect(try Self.injected(try Self.parse(login.html, "/login")) == [])

            // The texts read back as typed.
            let product = try Self.parse(try await browser.get("/products/\(productID)").html, "product")
            let shown = try #require(product.rootElement()?.stringValue)
            #expect(shown.contains(Self.name) && shown.contains(Self.model) && shown.contains(Self.text))
            let detail = try Self.parse(try await browser.get("/applications/\(application.application.id)").html, "application")
            #expect(try #require(detail.rootElement()?.stringValue).contains(Self.text), "the note reads as typed")

            // An unchanged form save keeps every value as it is.
            for (form, path) in [
                ("/enterprises/\(enterpriseID)/edit", "/enterprises/\(enterpriseID)"), ("/products/\(productID)/edit", "/products/\(productID)"),
            ] {
                let page = try Self.parse(try await browser.get(form).html, form)
                let fields = try Self.fields(page)
                let saved = try await browser.post(path, pairs: fields)
                #expect(saved.status == .seeOther, "\(form) saved unchanged: \(saved.status) \(saved.html.prefix(300))")
            }
            let stored = try #require(try await EnterpriseModel.find(UUID(uuidString: enterpriseID), on: app.db))
            #expect(stored.name == Self.name && stored.contactName == "联系人\"<x>")
            let storedProduct = try #require(try await ProductModel.find(UUID(uuidString: productID), on: app.db))
            #expect(storedProduct.name == Self.name && storedProduct.model == Self.model && storedProduct.corePatents == Self.text)

            // The inspector pool: the name, an employer, a declared tie and a course, through the API,
            // on the list, the inspector's page and the form, and through an unchanged save.
            let inspector: [String: Any] = [
                "name": Self.model, "categories": ["device"], "specialties": ["device_qms"], "fullTime": true, "rank": "lead", "capacityDays": 200,
                "employments": [["employer": Self.name, "from": "2020-01-06"]],
                "relationships": [["party": Self.name, "kind": "other", "declaredOn": "2025-01-06", "note": Self.name]],
                "trainings": [["on": "2026-03-10", "course": Self.name, "hours": 3.5]],
            ]
            var inspectorID = ""
            try await app.testing().test(
                .POST, "/api/v1/inspectors", headers: bearer(token),
                beforeRequest: { $0.body = ByteBuffer(bytes: Array(try JSONSerialization.data(withJSONObject: inspector))) }
            ) { res in
                #expect(res.status == .created, "\(res.body.string)")
                inspectorID = (try? JSONSerialization.jsonObject(with: Data(res.body.readableBytesView)) as? [String: Any])?["id"] as? String ?? ""
            }
            for path in [
                "/inspectors", "/inspectors?q=\(SiteQuery.encode("\"<b>"))", "/inspectors/\(inspectorID)", "/inspectors/\(inspectorID)/edit",
            ] {
                let page = try await browser.get(path)
                #expect(page.status == .ok, "\(path): \(page.status)")
                #expect(try Self.injected(try Self.parse(page.html, path)) == [], "\(path) holds markup that was typed as text")
            }
            let inspectorForm = try Self.parse(try await browser.get("/inspectors/\(inspectorID)/edit").html, "inspector form")
            let resaved = try await browser.post("/inspectors/\(inspectorID)", pairs: try Self.fields(inspectorForm))
            #expect(resaved.status == .seeOther, "the inspector saved unchanged: \(resaved.status) \(resaved.html.prefix(300))")
            let storedInspector = try await app.platform.inspectors.find(id: try #require(UUID(uuidString: inspectorID)), by: Fixtures.caller)
            #expect(storedInspector.version == 1, "an unchanged save changes nothing")
            #expect(storedInspector.profile.name == Self.model && storedInspector.profile.employments.first?.employer.name == Self.name)
            #expect(storedInspector.profile.relationships.first?.note == Self.name && storedInspector.profile.trainings.first?.course == Self.name)

            // The exports: the census sheet holds the names as typed.
            _ = try await app.platform.census.declare(
                .init(stage: "clinical", expectedFiling: nil, channels: [], guidanceNeeds: Self.text), year: nil,
                productID: storedProduct.requireID(), by: Fixtures.caller)
            let csv = try await browser.get("/census/export?year=2026&format=csv")
            let rows = try CSV.parse(try CSV.decode(Data(csv.html.utf8)).text)
            #expect(rows.contains { $0.contains(Self.name) && $0.contains(Self.model) && $0.contains(Self.text) }, "the CSV holds the texts as typed")
        }
    }

    /// The fields a browser would send for a form as shown: inputs (ticked boxes only), selects'
    /// selected options, textareas.
    static func fields(_ page: XMLDocument) throws -> [(String, String)] {
        let form = try #require(try page.nodes(forXPath: "//main//form[@method='post']").first as? XMLElement)
        var pairs: [(String, String)] = []
        for case let input as XMLElement in try form.nodes(forXPath: ".//input | .//select | .//textarea") {
            guard let name = input.attribute(forName: "name")?.stringValue else { continue }
            switch input.name {
            case "input":
                let type = input.attribute(forName: "type")?.stringValue ?? "text"
                if type == "checkbox", input.attribute(forName: "checked") == nil { continue }
                pairs.append((name, input.attribute(forName: "value")?.stringValue ?? ""))
            case "select":
                let selected = try input.nodes(forXPath: "option[@selected]").first as? XMLElement
                pairs.append((name, selected?.attribute(forName: "value")?.stringValue ?? ""))
            default:
                pairs.append((name, input.stringValue ?? ""))
            }
        }
        return pairs
    }

    @Test("control characters are refused, naming the field, on SQLite and PostgreSQL alike (never a fault)", arguments: TestDatabase.enabled)
    func controlCharacters(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            try await TestUsers.create("admin", role: .cityAdmin, scope: .city, on: app)
            let token = try await TestUsers.token("admin", on: app)
            try await app.testing().test(
                .POST, "/api/v1/enterprises", headers: bearer(token),
                beforeRequest: {
                    try $0.content.encode(
                        ["uscc": DemoData.enterprises[0].uscc, "name": "空\u{0}字符公司", "district": "310115", "kind": "registrant"], as: .json)
                }
            ) { res in
                #expect(res.status == .unprocessableEntity)
                #expect(decoded(ProblemBody.self, from: res)?.errors?.map(\.field) == ["name"])
            }
            for path in [
                "/api/v1/enterprises?q=a%00b", "/api/v1/products?district=31%000115", "/api/v1/applications?reviewer=a%00",
                "/api/v1/audit?actor=x%00",
            ] {
                try await app.testing().test(.GET, path, headers: bearer(token)) { res in
                    #expect(res.status.code < 500, "\(path): \(res.status)")
                }
            }
            try await app.testing().test(
                .POST, "/api/v1/auth/tokens", beforeRequest: { try $0.content.encode(["username": "ad\u{0}min", "password": "x"], as: .json) }
            ) { res in
                #expect(res.status == .unauthorized)
            }
        }
    }
}

/// Query values as a browser sends them.
enum SiteQuery {
    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(
            withAllowedCharacters: CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"))
            ?? ""
    }
}
