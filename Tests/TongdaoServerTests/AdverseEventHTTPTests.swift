import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

@Suite("Adverse events over HTTP: the API with problem details and versions, the pages keeping what was typed")
struct AdverseEventHTTPTests {
    struct Report: Decodable {
        struct Term: Decodable { var code: String }
        var id: String
        var number: String
        var late: Bool
        var due: String?
        var narrative: String?
        var terms: [Term]
        var status: String
        var version: Int
    }

    struct Identified: Decodable { var id: String }
    struct Terms: Decodable { var items: [Report.Term] }

    struct Problem: Decodable {
        struct Field: Decodable { var field: String }
        var status: Int
        var errors: [Field]?
    }

    /// Two enterprises' first products on the market; a registrant of the first, a reviewer, a district officer, the regulator.
    static func scene(_ app: Application) async throws -> (marketed: ProductRecord, other: ProductRecord) {
        let (enterprises, products) = try await Fixtures.enterprisesAndProducts(on: app.platform)
        try await Fixtures.market([products[0], products[1]], on: app.platform)
        try await TestUsers.create("maker", role: .enterpriseUser, scope: .enterprise(enterprises[0].uscc), on: app)
        try await TestUsers.create("reviewer", role: .reviewer, scope: .city, on: app)
        try await TestUsers.create("district", role: .districtOfficer, scope: .district(enterprises[0].district), on: app)
        try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
        return (products[0], products[1])
    }

    static let body = """
        {"udiDi": "\(Fixtures.gtin)", "eventOn": "2026-11-18", "awareOn": "2026-11-20", "seriousness": "serious_injury",
         "outcome": "hospitalisation", "terms": ["DP001", "PE002"], "narrative": "术中导管断裂，患者出血。"}
        """

    @Test(
        "filed, read with its ETag (the narrative only for whom it is), assessed on If-Match; bad input named field by field",
        arguments: TestDatabase.enabled)
    func api(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let (marketed, _) = try await Self.scene(app)
            let maker = try await TestUsers.token("maker", on: app)
            let reviewer = try await TestUsers.token("reviewer", on: app)
            let district = try await TestUsers.token("district", on: app)
            let regulator = try await TestUsers.token("regulator", on: app)
            var filed: Report?
            try await app.testing().test(
                .POST, "/api/v1/adverse-events", headers: bearer(maker), beforeRequest: { $0.body = ByteBuffer(string: Self.body) }
            ) {
                res in
                #expect(res.status == .created, "\(res.body.string)")
                #expect(res.headers.first(name: .eTag) == "\"1\"")
                filed = try decode(Report.self, from: res)
            }
            let report = try #require(filed)
            #expect(
                report.number == "AE-2026-0000001" && !report.late && report.due == "2026-12-10" && report.terms.map(\.code) == ["DP001", "PE002"])
            try await app.testing().test(.GET, "/api/v1/adverse-events/\(report.id)", headers: bearer(reviewer)) { res in
                #expect(res.status == .ok)
                #expect(decoded(Report.self, from: res).map { $0.narrative == nil } == true, "the narrative is confidential")
            }
            try await app.testing().test(.GET, "/api/v1/adverse-events", headers: bearer(district)) { res in #expect(res.status == .forbidden) }
            try await app.testing().test(.GET, "/api/v1/adverse-events?late=true", headers: bearer(maker)) { res in
                #expect(decoded([String: [Report]].self, from: res)?["items"]?.isEmpty == true)
            }

            // One answer names every field at fault.
            let bad = """
                {"udiDi": "06901234567893", "eventOn": "2026-11-21", "awareOn": "2026-11-20", "seriousness": "group_event",
                 "outcome": "recovered", "terms": ["XX1"], "narrative": "x"}
                """
            try await app.testing().test(
                .POST, "/api/v1/adverse-events", headers: bearer(maker), beforeRequest: { $0.body = ByteBuffer(string: bad) }
            ) {
                res in
                #expect(res.status == .unprocessableEntity)
                let fields = Set(try decode(Problem.self, from: res).errors?.map(\.field) ?? [])
                #expect(fields == ["udiDI", "awareOn", "awareTime", "terms[0]"], "\(res.body.string)")
            }
            #expect(try await AdverseEventReportModel.query(on: app.db).count() == 1)

            let assessment = #"{"causality": "possible", "note": "同批次需关注"}"#
            try await app.testing().test(
                .POST, "/api/v1/adverse-events/\(report.id)/assessment", headers: bearer(regulator),
                beforeRequest: { $0.body = ByteBuffer(string: assessment) }
            ) { res in #expect(res.status == .preconditionRequired) }
            try await app.testing().test(
                .POST, "/api/v1/adverse-events/\(report.id)/assessment", headers: bearer(regulator, ifMatch: 1),
                beforeRequest: { $0.body = ByteBuffer(string: assessment) }
            ) { res in
                #expect(res.status == .ok && res.headers.first(name: .eTag) == "\"2\"")
                #expect(decoded(Report.self, from: res)?.status == "assessed")
            }
            try await app.testing().test(
                .POST, "/api/v1/adverse-events/\(report.id)/assessment", headers: bearer(regulator, ifMatch: 1),
                beforeRequest: { $0.body = ByteBuffer(string: assessment) }
            ) { res in #expect(res.status == .conflict) }

            // UDI: the product's DIs, a label read to the product, one DI added and removed.
            try await app.testing().test(.GET, "/api/v1/udi/lookup?label=%5Dd201\(Fixtures.gtin)10LOT1", headers: bearer(maker)) { res in
                #expect(res.status == .ok, "\(res.body.string)")
                #expect(res.body.string.contains(marketed.id.uuidString) && res.body.string.contains("\"lot\":\"LOT1\""))
            }
            var added = ""
            try await app.testing().test(
                .POST, "/api/v1/products/\(marketed.id)/udi", headers: bearer(maker),
                beforeRequest: { $0.body = ByteBuffer(string: #"{"di": "16901234567899", "agency": "gs1", "packaging": "package", "quantity": 10}"#) }
            ) { res in
                #expect(res.status == .created, "\(res.body.string)")
                added = try decode(Identified.self, from: res).id
            }
            try await app.testing().test(.GET, "/api/v1/products/\(marketed.id)/udi", headers: bearer(maker)) { res in
                #expect(res.body.string.contains("16901234567899") && res.body.string.contains("最小销售单元"))
            }
            try await app.testing().test(.DELETE, "/api/v1/products/\(marketed.id)/udi/\(added)", headers: bearer(maker)) { res in
                #expect(res.status == .noContent)
            }
            try await app.testing().test(.GET, "/api/v1/event-terms") { res in
                #expect(decoded(Terms.self, from: res)?.items.count == 52)
            }
        }
    }

    @Test(
        "the pages: a refused report keeps what was typed with the Chinese message by the field; a filed one shows its deadline",
        arguments: TestDatabase.enabled)
    func pages(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            _ = try await Self.scene(app)
            let browser = Browser(app)
            #expect(try await browser.signIn("maker") == .seeOther)
            let form = try await browser.get("/adverse-events/new")
            #expect(form.status == .ok && form.html.contains("填报不良事件") && form.html.contains("沪械注准20262210001"))
            let token = try #require(Browser.csrf(in: form.html))
            let typed: [(String, String)] = [
                ("_csrf", token), ("udiDI", Fixtures.gtin), ("eventOn", "2026-11-08"), ("awareOn", "2026-11-08"), ("seriousness", "death"),
                ("outcome", "death"), ("terms[]", "DP013"), ("narrative", "患者使用时触电<死亡>"),
            ]
            let refused = try await browser.post("/adverse-events", pairs: typed.filter { $0.0 != "terms[]" })
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.html.contains("请至少选择一个事件术语") && refused.html.contains("患者使用时触电&lt;死亡&gt;"), "the message, and the text kept escaped")
            let filed = try await browser.post("/adverse-events", pairs: typed)
            #expect(filed.status == .seeOther)
            let location = try #require(filed.headers.first(name: .location))
            let page = try await browser.get(location)
            #expect(page.html.contains("AE-2026-0000001") && page.html.contains("迟报") && page.html.contains("应于 2026-11-15 前报告（获知之日起 7 日内）"))
            #expect(try await browser.get("/adverse-events").html.contains("AE-2026-0000001"))

            let officer = Browser(app)
            #expect(try await officer.signIn("district") == .seeOther)
            // The district's dashboard counts the report in its scope, and says nothing of what happened.
            let dashboard = try await officer.get("/dashboard")
            #expect(dashboard.html.contains("上市后监测") && dashboard.html.contains("近 12 个月不良事件报告") && !dashboard.html.contains("触电"))
            #expect(try await browser.get("/dashboard").html.contains("近 12 个月报告"))
            #expect(try await officer.get("/adverse-events").status == .forbidden)
            #expect(try await officer.get(location).status == .forbidden)
        }
    }

    @Test(
        "signals: detected over the API and on the page, put on the list and moved on with If-Match; the registrant may not",
        arguments: TestDatabase.enabled)
    func signals(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let (marketed, other) = try await Self.scene(app)
            for (product, term, times) in [(marketed, "DP038", 6), (marketed, "DP001", 2), (other, "DP001", 12), (other, "DP038", 1)] {
                for _ in 0..<times {
                    _ = try await app.platform.adverseEvents.file(
                        AdverseEventInput(
                            product: product.id.uuidString, eventOn: "2026-11-01", awareOn: "2026-11-02", seriousness: "non_serious",
                            outcome: "recovered",
                            terms: [term], narrative: "x"), by: Fixtures.caller)
                }
            }
            let regulator = try await TestUsers.token("regulator", on: app)
            let maker = try await TestUsers.token("maker", on: app)
            try await app.testing().test(.GET, "/api/v1/signals/detection", headers: bearer(regulator)) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains(#""signals":2"#) && res.body.string.contains(#""subject":"\#(marketed.id.uuidString)""#))
            }
            try await app.testing().test(.GET, "/api/v1/signals/detection", headers: bearer(maker)) { res in #expect(res.status == .forbidden) }
            var id = ""
            try await app.testing().test(
                .POST, "/api/v1/signals", headers: bearer(regulator),
                beforeRequest: { $0.body = ByteBuffer(string: #"{"subject": "\#(marketed.id.uuidString)", "term": "DP038"}"#) }
            ) { res in
                #expect(res.status == .created, "\(res.body.string)")
                id = decoded(Identified.self, from: res)?.id ?? ""
            }
            try await app.testing().test(
                .POST, "/api/v1/signals/\(id)/status", headers: bearer(regulator, ifMatch: 1),
                beforeRequest: { $0.body = ByteBuffer(string: #"{"status": "under_assessment", "note": "要求企业说明"}"#) }
            ) { res in #expect(res.status == .ok && res.headers.first(name: .eTag) == "\"2\"") }

            let browser = Browser(app)
            #expect(try await browser.signIn("regulator") == .seeOther)
            let page = try await browser.get("/signals")
            #expect(page.status == .ok && page.html.contains("信号检测") && page.html.contains("评估中") && page.html.contains("列入信号清单"))
            let signal = try await browser.get("/signals/\(id)")
            #expect(signal.html.contains("要求企业说明") && signal.html.contains("a = 6，b = 2，c = 1，d = 12"))
            // The trend report: the product's month with its 8 reports, printable, and the same over the API; a registrant reads its own product's only.
            let trend = try await browser.get("/products/\(marketed.id)/adverse-event-trend")
            #expect(
                trend.status == .ok && trend.html.contains("不良事件趋势报告") && trend.html.contains("<td>2026-11</td><td>8</td>")
                    && trend.html.contains("<svg"))
            try await app.testing().test(.GET, "/api/v1/products/\(marketed.id)/adverse-event-trend?months=12", headers: bearer(maker)) { res in
                #expect(res.status == .ok && res.body.string.contains(#""total":8"#), "\(res.body.string)")
            }
            try await app.testing().test(.GET, "/api/v1/products/\(other.id)/adverse-event-trend", headers: bearer(maker)) { res in
                #expect(res.status == .notFound)
            }
            let officer = Browser(app)
            #expect(try await officer.signIn("reviewer") == .seeOther)
            #expect(try await officer.get("/signals").status == .ok)
            #expect(try await officer.get("/signals/\(id)").html.contains("更新状态") == false, "a reviewer reads, never moves a signal")
        }
    }

    @Test(
        "the signal thresholds' page: read by the regulator, a version put in force by the administrator, a refused form kept as typed",
        arguments: TestDatabase.enabled)
    func signalPolicyPage(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
            try await TestUsers.create("admin", role: .cityAdmin, scope: .city, on: app)
            let reader = Browser(app)
            #expect(try await reader.signIn("regulator") == .seeOther)
            let read = try await reader.get("/signals/policy").html
            #expect(read.contains("信号阈值") && read.contains("平台初始阈值") && read.contains("PRR ≥ 2.00") && !read.contains("施行新版本"))
            #expect(try await reader.get("/signals").html.contains(#"href="/signals/policy""#))

            let admin = Browser(app)
            #expect(try await admin.signIn("admin") == .seeOther)
            let page = try await admin.get("/signals/policy").html
            let token = try #require(Browser.csrf(in: page))
            var form = [
                "_csrf": token, "effectiveFrom": "2026-12-01", "minimumCases": "2.5", "prrAtLeast": "三", "chiSquareAtLeast": "3.84",
                "rorLowerAbove": "1", "ic025Above": "0",
            ]
            let refused = try await admin.post("/signals/policy", form)
            #expect(refused.status == .unprocessableEntity && refused.html.contains("PRR 阈值应为数字") && refused.html.contains("最少报告数应为整数"))
            #expect(refused.html.contains(#"value="三""#) && refused.html.contains(#"value="3.84""#))
            form["minimumCases"] = "5"
            form["prrAtLeast"] = "3"
            form["effectiveFrom"] = "2020-01-01"
            #expect(try await admin.post("/signals/policy", form).html.contains("生效日期不能早于今天"))
            form["effectiveFrom"] = "2026-12-01"
            #expect(try await admin.post("/signals/policy", form).status == .seeOther)
            let versions = try await app.platform.signals.policies(by: Fixtures.caller).versions
            #expect(versions.map(\.effectiveFrom) == ["2026-12-01"] && versions.first?.minimumCases == 5 && versions.first?.chiSquareAtLeast == 3.84)
            let after = try await reader.get("/signals/policy").html
            #expect(after.contains("<td>2026-12-01</td><td>5</td>") && after.contains("≥ 3.00 / ≥ 3.84"))
            let audited = try await AuditEntryModel.query(on: app.db).filter(\.$action == "settings.signal_policy").count()
            #expect(audited == 1)
        }
    }
}
