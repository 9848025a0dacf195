import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

/// Every page the platform serves, rendered from one fixed city (written through the use cases on
/// the test clock's day) and held to its HTML snapshot. What differs from run to run is replaced
/// before comparing: record ids (numbered in order of appearance), CSRF tokens, times of day.
@Suite("Every page matches its HTML snapshot")
struct PageSnapshotTests {
    /// The fixed city: the demo enterprises with a product each, three applications (one refused a
    /// decision, one waiting for a supplement), a census sheet of one district, the daily digest.
    static func city(_ app: Application) async throws -> (enterprise: UUID, product: UUID, application: UUID) {
        let platform = app.platform
        let (enterprises, products) = try await Fixtures.enterprisesAndProducts(on: platform)
        try await TestUsers.create("admin", role: .cityAdmin, scope: .city, on: app)
        try await TestUsers.create("li.ming", role: .reviewer, scope: .city, on: app)
        let red = try await Fixtures.application(
            "SH-RED", product: products[0].id, acceptedOn: CivilDate("2026-01-05")!, reviewer: "admin", responsibleOfficer: "li.ming", on: platform)
        try await Fixtures.record(
            ApplicationEvent(.supplementRequested, on: CivilDate("2026-02-02")!), note: "审评意见：资料不足", on: red.application.id, platform: platform)
        try await Fixtures.record(ApplicationEvent(.supplementReceived, on: CivilDate("2026-03-02")!), on: red.application.id, platform: platform)
        try await Fixtures.application("SH-GREEN", product: products[1].id, acceptedOn: CivilDate("2026-11-02")!, reviewer: "admin", on: platform)
        let waiting = try await Fixtures.application("SH-WAIT", product: products[3].id, acceptedOn: CivilDate("2026-06-01")!, on: platform)
        try await Fixtures.record(
            ApplicationEvent(.supplementRequested, on: CivilDate("2026-07-01")!), on: waiting.application.id, platform: platform)
        _ = try await platform.census.importFile(
            CensusFixture.csv(CensusFixture.rows(count: 12, districts: [("310115", "浦东新区", ["张江", ""])])), year: 2026, dryRun: false,
            by: Fixtures.caller)
        _ = try await platform.digest.run(day: Fixtures.today, by: .commandLine("digest"))
        return (enterprises[0].id, products[0].id, red.application.id)
    }

    /// The page with what changes from run to run replaced.
    static func normalized(_ html: String) -> String {
        var ids: [String: String] = [:]
        var text = html
        let uuid = /[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}/
        for match in text.matches(of: uuid) {
            let found = String(match.output).uppercased()
            if ids[found] == nil { ids[found] = "<id-\(ids.count + 1)>" }
        }
        text = text.replacing(uuid) { ids[String($0.output).uppercased()] ?? "<id>" }
        text = text.replacing(/name="_csrf" value="[^"]*"/) { _ in #"name="_csrf" value="<csrf>""# }
        text = text.replacing(/\b\d{2}:\d{2}:\d{2}(\.\d+)?\b/) { _ in "<time>" }
        return text
    }

    static func assertPage(_ browser: Browser, _ path: String, named name: String, status: HTTPStatus = .ok) async throws {
        let page = try await browser.get(path)
        #expect(page.status == status, "\(path): \(page.status)")
        try HTMLSnapshot.assertMatches(normalized(page.html), named: "page-\(name)")
    }

    @Test("the signed-in pages of the city administrator, the forms with their errors, the sign-in and error pages")
    func everyPage() async throws {
        try await withTongdao { app in
            let (enterprise, product, application) = try await Self.city(app)
            let anonymous = Browser(app)
            try await Self.assertPage(anonymous, "/login", named: "login")
            let browser = Browser(app)
            #expect(try await browser.signIn("admin") == .seeOther)
            let pages: [(String, String)] = [
                ("/", "home"), ("/calendar?year=2026", "calendar"),
                ("/enterprises", "enterprises"), ("/enterprises/\(enterprise)", "enterprise"), ("/enterprises/new", "enterprise-new"),
                ("/enterprises/\(enterprise)/edit", "enterprise-edit"),
                ("/products", "products"), ("/products/\(product)", "product"), ("/products/new?enterprise=\(enterprise)", "product-new"),
                ("/products/\(product)/edit", "product-edit"),
                ("/applications", "applications"), ("/applications/\(application)", "application"), ("/inbox", "inbox"),
                ("/census?year=2026", "census"),
                ("/admin/users", "users"), ("/admin/users/new", "user-new"), ("/admin/users/li.ming/password", "user-password"),
                ("/audit?entity=enterprise", "audit"),
                ("/dashboard", "dashboard"), ("/screen", "screen"), ("/screen/panels", "screen-panels"),
            ]
            for (path, name) in pages { try await Self.assertPage(browser, path, named: name) }
            try await Self.assertPage(browser, "/products/\(UUID())", named: "not-found", status: .notFound)

            // The inspector pool: one inspector with an employment, a declared tie and a training.
            let inspector = try await app.platform.inspectors.create(
                InspectorInput(
                    name: "陈刚", categories: ["device"], specialties: ["device_qms", "device_gcp"], fullTime: true, rank: "lead", capacityDays: "200",
                    employments: [EmploymentInput(employer: "上海市药品监督管理局", from: "2024-07-01")],
                    relationships: [RelationshipInput(party: "上海张江示例医疗科技有限公司", kind: "family", declaredOn: "2025-05-06", note: "配偶任职")],
                    trainings: [TrainingInput(on: "2026-03-10", course: "医疗器械生产质量管理规范培训", hours: "16")]), by: Fixtures.caller)
            for (path, name) in [
                ("/inspectors", "inspectors"), ("/inspectors/\(inspector.id)", "inspector"), ("/inspectors/\(inspector.id)/edit", "inspector-edit"),
                ("/inspections/plan", "inspection-plan"),
            ] {
                try await Self.assertPage(browser, path, named: name)
            }

            // Forms sent back with their errors next to the fields and what was typed kept.
            let form = try await browser.get("/enterprises/new")
            let token = try #require(Browser.csrf(in: form.html))
            let refused = try await browser.post(
                "/enterprises", ["_csrf": token, "uscc": "91310115MA1K00001X", "name": "  空格 ", "district": "310115", "park": "lingang-x"])
            #expect(refused.status == .unprocessableEntity)
            try HTMLSnapshot.assertMatches(Self.normalized(refused.html), named: "page-enterprise-new-refused")
            let event = try await browser.post(
                "/applications/\(application)/events", ["_csrf": token, "type": "decision_made", "on": "2026-11-20", "decision": "approve"])
            #expect(event.status == .unprocessableEntity)
            try HTMLSnapshot.assertMatches(Self.normalized(event.html), named: "page-application-refused")
            // The census upload's dry-run report.
            let rows = CensusFixture.rows(count: 3, districts: [("310104", "徐汇区", [""])])
            let report = try await browser.upload(
                "/census/uploads", fields: ["year": "2026", "_csrf": token], file: CensusFixture.csv(rows), filename: "xuhui.csv")
            #expect(report.status == .ok)
            try HTMLSnapshot.assertMatches(Self.normalized(report.html), named: "page-census-report")
        }
    }

    @Test(
        "the post-market pages: reports (the list, one with its deadline and timeline, the form, the import), obligations (the list, one, the form)")
    func adverseEventPages() async throws {
        try await withTongdao { app in
            let (_, products) = try await Fixtures.enterprisesAndProducts(on: app.platform)
            try await Fixtures.market([products[0]], on: app.platform)
            try await TestUsers.create("admin", role: .cityAdmin, scope: .city, on: app)
            let report = try await app.platform.adverseEvents.file(
                AdverseEventInput(
                    udiDI: Fixtures.gtin, eventOn: "2026-11-18", awareOn: "2026-11-20", seriousness: "serious_injury", outcome: "hospitalisation",
                    terms: ["DP001", "PE002"], narrative: "术中导管断裂，患者出血。"), by: Fixtures.caller)
            let obligation = try await app.platform.obligations.create(
                ObligationInput(
                    product: products[0].id.uuidString, kind: "post_market_study", title: "开展上市后研究", dueOn: "2026-12-10", officer: "admin"),
                by: Fixtures.caller)
            let browser = Browser(app)
            #expect(try await browser.signIn("admin") == .seeOther)
            for (path, name) in [
                ("/adverse-events", "adverse-events"), ("/adverse-events/\(report.id)", "adverse-event"),
                ("/adverse-events/new", "adverse-event-new"), ("/adverse-events/import", "adverse-event-import"),
                ("/obligations", "obligations"), ("/obligations/\(obligation.id)", "obligation"), ("/obligations/new", "obligation-new"),
                ("/risk-checklist", "risk-checklist"), ("/products/\(products[0].id)/risk", "product-risk"),
                ("/products/\(products[0].id)/udi", "product-udi"),
            ] {
                try await Self.assertPage(browser, path, named: name)
            }
        }
    }

    @Test(
        "the service pages: the consultation queue, one consultation with its clock and the steps offered, the question form, the appointment board and a slot"
    )
    func servicePages() async throws {
        try await withTongdao { app in
            let (enterprises, products) = try await Fixtures.enterprisesAndProducts(on: app.platform)
            try await TestUsers.create("admin", role: .cityAdmin, scope: .city, on: app)
            let consultation = try await app.platform.consultations.ask(
                ConsultationInput(
                    enterprise: enterprises[0].id.uuidString, product: products[0].id.uuidString, topic: "clinical-trial", title: "多中心临床试验的机构数量",
                    question: "牵头单位之外至少需要几家参与机构？"), by: Fixtures.caller)
            let slot = try await app.platform.appointments.publish(
                SlotInput(desk: "zhangjiang", day: "2026-11-27", startsAt: "13:00", endsAt: "16:00", seats: "4", topic: "dossier"),
                by: Fixtures.caller
            ).slots[0]
            _ = try await app.platform.appointments.book(
                slot: slot.id, BookingInput(enterprise: enterprises[0].id.uuidString, topic: "dossier", question: "申报资料目录如何编排？"),
                by: Fixtures.caller)
            let session = try await app.platform.guidance.record(
                GuidanceInput(
                    enterprise: enterprises[0].id.uuidString, product: products[0].id.uuidString, desk: "zhangjiang", heldOn: "2026-11-20",
                    mode: "video",
                    attendees: "企业注册专员；工作站", topics: ["core-patent", "dossier"], questions: "专利能否支撑创新申请？", advice: "补充专利检索报告。",
                    followUps: [FollowUpInput(item: "补充专利检索报告", owner: "企业", days: "5")]), by: Fixtures.caller)
            let variety = try await app.platform.keyVarieties.propose(
                KeyVarietyProposal(product: products[0].id.uuidString, reason: "first_in_country", justification: "国内首个术中光学导航系统。"),
                by: Fixtures.caller)
            let entry = try await app.platform.library.draft(
                LibraryEntryInput(
                    kind: "faq", title: "多中心临床试验需要几家机构？", question: "牵头单位之外至少需要几家参与机构？", answer: "一般不少于两家。", topic: "clinical-trial"),
                by: Fixtures.caller)
            let policy = try await app.platform.handbook.create(
                HandbookPolicyInput(
                    level: "district", district: "310115", title: "浦东新区创新药械首次注册奖励办法", issuer: "浦东新区人民政府", responsibleBody: "浦东新区科技和经济委员会",
                    contact: "王敏", phone: "021-12345678 转 801", summary: "首次获批创新医疗器械注册证的，给予一次性奖励。", topics: ["funding", "review"],
                    categories: ["device"], effectiveOn: "2025-01-01", sourceURL: "https://www.pudong.gov.cn/"), by: Fixtures.caller)
            let browser = Browser(app)
            #expect(try await browser.signIn("admin") == .seeOther)
            for (path, name) in [
                ("/policies/\(policy.id)", "policy"), ("/policies/new", "policy-new"),
                ("/library/\(entry.id)", "library-entry"), ("/library/new", "library-new"),
                ("/consultations/classification/new", "classification-new"),
                ("/key-varieties", "key-varieties"), ("/key-varieties/\(variety.id)", "key-variety"),
                ("/guidance", "guidance"), ("/guidance/\(session.id)", "guidance-record"),
                ("/guidance/new?enterprise=\(enterprises[0].id)", "guidance-new"),
                ("/consultations?desk=all", "consultations"), ("/consultations/\(consultation.id)", "consultation"),
                ("/consultations/new", "consultation-new"), ("/appointments", "appointments"), ("/appointments/slots/\(slot.id)", "appointment-slot"),
            ] {
                try await Self.assertPage(browser, path, named: name)
            }
        }
    }

    @Test(
        "the Delta's pages: the entrustment links, one segmented link with its stages and timeline, the new link's form, the shares, a joint inspection and a partner's result"
    )
    func deltaPages() async throws {
        try await withTongdao { app in
            let world = try await DeltaFixture.parties(on: app.platform)
            try await TestUsers.create("admin", role: .cityAdmin, scope: .city, on: app)
            let link = try await app.platform.deltaLinks.create(
                DeltaLinkInput(
                    kind: "segmented", productName: "示例单抗注射液", productCategory: "drug", registrant: world.partners[2].uscc,
                    sites: [
                        DeltaSiteInput(uscc: world.enterprises[0].uscc, stage: "原液生产"), DeltaSiteInput(uscc: world.partners[1].uscc, stage: "制剂灌装"),
                    ],
                    startsOn: "2026-03-01", endsOn: "2029-02-28", agreementSignedOn: "2026-02-20", agreementEndsOn: "2028-02-29"),
                by: Fixtures.caller)
            let browser = Browser(app)
            #expect(try await browser.signIn("admin") == .seeOther)
            let closed = try await DeltaFixture.inspection(of: world.enterprises[1], closed: true, on: app.db)
            let shared = try await app.platform.deltaShares.share(
                DeltaShareInput(inspection: closed.uuidString, province: "ZJ", fields: ["conclusion", "findings"]), by: Fixtures.caller)
            let open = try await DeltaFixture.inspection(of: world.enterprises[0], status: .planned, on: app.db)
            let joint = try await app.platform.deltaJoint.plan(
                DeltaJointInput(
                    inspection: open.uuidString, province: "ZJ", link: link.id.uuidString, note: "串联检查",
                    members: [DeltaJointMemberInput(name: "钱立群", title: "高级检查员")]), by: Fixtures.caller)
            let result = try await app.platform.deltaResults.record(
                DeltaResultInput(
                    province: "AH", creditCode: world.enterprises[0].uscc, types: ["manufacturer"], completedOn: "2026-11-02",
                    conclusion: "compliant", reference: "皖药监检〔2026〕8号", summary: "延伸检查原液生产阶段"), by: Fixtures.caller)
            let notice = try await app.platform.deltaNotices.send(
                DeltaNoticeInput(
                    kind: "assistance", province: "AH", subject: "请协助核查批记录", body: "请协助核查受托生产企业相关批次的原始记录。",
                    creditCode: world.partners[2].uscc, link: link.id.uuidString, sentOn: "2026-11-16", workingDays: "10"), by: Fixtures.caller)
            for (path, name) in [
                ("/delta/notices", "delta-notices"), ("/delta/notices/\(notice.id)", "delta-notice"), ("/delta", "delta-links"),
                ("/delta/links/\(link.id)", "delta-link"), ("/delta/links/new", "delta-link-new"),
                ("/delta/shares", "delta-shares"), ("/delta/shares/\(shared.id)", "delta-share"), ("/delta/inspections", "delta-inspections"),
                ("/delta/joint/\(joint.id)", "delta-joint"), ("/delta/results/\(result.id)", "delta-result"),
            ] {
                try await Self.assertPage(browser, path, named: name)
            }
        }
    }
}
