import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

@Suite("The assessments page, its export and the API: for the regulator every row, refused to an enterprise")
struct AssessmentHTTPTests {
    @Test(
        "the regulator's page shows the stations, the districts and their charts; the workbook downloads; an enterprise is refused",
        arguments: TestDatabase.enabled)
    func page(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            _ = try await ConsultationHTTPTests.scene(app)
            let regulator = Browser(app)
            #expect(try await regulator.signIn("regulator") == .seeOther)
            let year = app.platform.clock.today().year
            let page = try await regulator.get("/assessments")
            #expect(page.status == .ok && page.html.contains("\(year) 年定期考核") && page.html.contains("张江工作站") && page.html.contains("浦东新区"))
            #expect(page.html.contains("<svg") && page.html.contains("按时答复率") && page.html.contains("审评用时中位数（工作日）"))
            let sheet = try await regulator.get("/assessments/export?year=\(year)&format=xlsx")
            #expect(sheet.status == .ok && sheet.headers.first(name: .contentType)?.contains("spreadsheetml") == true)
            #expect(try await regulator.get("/assessments?year=abc").status == .badRequest)
            let firm = Browser(app)
            #expect(try await firm.signIn("maker") == .seeOther)
            #expect(try await firm.get("/assessments").status == .forbidden)
            let token = try await TestUsers.token("regulator", on: app)
            try await app.testing().test(.GET, "/api/v1/assessments?year=\(year)", headers: bearer(token)) { res in
                #expect(res.status == .ok && res.body.string.contains("\"name\":\"张江工作站\"") && res.body.string.contains("\"code\":\"310115\""))
            }
            let maker = try await TestUsers.token("maker", on: app)
            try await app.testing().test(.GET, "/api/v1/assessments", headers: bearer(maker)) { res in #expect(res.status == .forbidden) }
        }
    }
}
