import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

@Suite("Classification questions over the pages and the API")
struct ClassificationHTTPTests {
    struct Problem: Decodable {
        struct Field: Decodable { var field: String }
        var errors: [Field]?
    }

    @Test(
        "the enterprise's form keeps what was typed when refused; the regulator answers with the outcome; the product's class follows",
        arguments: TestDatabase.enabled)
    func pages(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let (_, products) = try await ConsultationHTTPTests.scene(app)
            let maker = Browser(app)
            #expect(try await maker.signIn("maker") == .seeOther)
            let form = try await maker.get("/consultations/classification/new")
            #expect(form.status == .ok && form.html.contains("申请分类界定") && form.html.contains("示例产品 0") && !form.html.contains("示例产品 3"))
            let token = try #require(Browser.csrf(in: form.html))
            var typed = [
                "_csrf": token, "product": products[0].id.uuidString, "intendedUse": "术中辅助定位", "structure": "", "principle": "光学追踪",
                "proposedClass": "III",
            ]
            let refused = try await maker.post("/consultations/classification", typed)
            #expect(refused.status == .unprocessableEntity && refused.html.contains("请填写结构组成") && refused.html.contains("术中辅助定位"))
            typed["structure"] = "主机、探头"
            #expect(try await maker.post("/consultations/classification", typed).status == .seeOther)
            let asked = try #require(try await ConsultationModel.query(on: app.db).filter(\.$kind == "classification").first())
            let id = try asked.requireID()

            let regulator = Browser(app)
            #expect(try await regulator.signIn("regulator") == .seeOther)
            let page = try await regulator.get("/consultations/\(id)")
            #expect(page.html.contains("答复界定结论") && page.html.contains("第三类") && page.html.contains("待界定"))
            let regulatorToken = try #require(Browser.csrf(in: page.html))
            let bad = try await regulator.post(
                "/consultations/\(id)/classification",
                ["_csrf": regulatorToken, "version": "1", "outcome": "III", "classificationCode": "9", "text": "理由"])
            #expect(bad.status == .unprocessableEntity && bad.html.contains("分类编码应为子目录") && bad.html.contains("理由"))
            #expect(
                try await regulator.post(
                    "/consultations/\(id)/classification", ["_csrf": regulatorToken, "version": "1", "outcome": "III", "text": "按第三类管理"]
                ).status == .seeOther)
            #expect(try await ProductModel.find(products[0].id, on: app.db)?.managementClass == .three)
            #expect(try await maker.get("/consultations/\(id)").html.contains("第三类医疗器械，原为第二类"))
            #expect(try await regulator.get("/consultations?status=answered&kind=classification&desk=all").html.contains("分类界定：示例产品 0"))
            // The list as a file, filtered as the page is: names and labels; another enterprise's export holds none of it.
            let csv = try await regulator.get("/consultations/export?format=csv&status=answered&kind=classification&desk=all")
            #expect(csv.status == .ok && csv.headers.first(name: .contentDisposition)?.contains(".csv") == true)
            let lines = csv.html.split(separator: "\r\n")
            #expect(lines.count == 2 && lines[0].contains("界定结论") && lines[1].contains("分类界定：示例产品 0") && lines[1].contains("第三类医疗器械"))
            #expect(try await regulator.get("/consultations/export?format=xlsx&desk=all").html.hasPrefix("PK"))
            let rival = Browser(app)
            #expect(try await rival.signIn("rival") == .seeOther)
            #expect(try await rival.get("/consultations/export?format=csv&status=answered").html.split(separator: "\r\n").count == 1)
        }
    }

    @Test("the API: asked (a missing description named), answered on If-Match; another enterprise's product named", arguments: TestDatabase.enabled)
    func api(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let (_, products) = try await ConsultationHTTPTests.scene(app)
            let maker = try await TestUsers.token("maker", on: app)
            let regulator = try await TestUsers.token("regulator", on: app)
            let bad = #"{"productId": "\#(products[3].id)", "intendedUse": "用途", "structure": "", "principle": "原理"}"#
            try await app.testing().test(
                .POST, "/api/v1/classification-requests", headers: bearer(maker), beforeRequest: { $0.body = ByteBuffer(string: bad) }
            ) { res in
                #expect(res.status == .unprocessableEntity && decoded(Problem.self, from: res)?.errors?.map(\.field) == ["structure", "product"])
            }
            let good = #"{"productId": "\#(products[0].id)", "intendedUse": "用途", "structure": "结构", "principle": "原理", "proposedClass": "II"}"#
            var id = ""
            try await app.testing().test(
                .POST, "/api/v1/classification-requests", headers: bearer(maker), beforeRequest: { $0.body = ByteBuffer(string: good) }
            ) { res in
                #expect(res.status == .created && res.body.string.contains("\"kind\":\"classification\""), "\(res.body.string)")
                id = (try? decode([String: AnyDecodable].self, from: res))?["id"]?.text ?? ""
            }
            try await app.testing().test(
                .POST, "/api/v1/consultations/\(id)/classification", headers: bearer(regulator, ifMatch: 1),
                beforeRequest: { $0.body = ByteBuffer(string: #"{"outcome": "not_device", "text": "不作为医疗器械管理"}"#) }
            ) { res in
                #expect(res.status == .ok && res.body.string.contains("\"outcomeLabel\":\"不作为医疗器械管理\""), "\(res.body.string)")
            }
            #expect(try await ProductModel.find(products[0].id, on: app.db)?.managementClass == .two, "not a device: the class stays")
        }
    }
}
