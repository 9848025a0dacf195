import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import Vapor

@Suite("The policy handbook: three levels, found in other words, by district, topic and product type; an enterprise's own list; bad input named")
struct HandbookUseCaseTests {
    static func fields(_ error: (any Error)?) -> [String] { (error as? UseCaseError)?.problems.map(\.field) ?? [] }

    static func policy(
        _ title: String, level: PolicyLevel = .city, district: String? = nil, topics: [PolicyTopic] = [.funding], categories: [ProductCategory] = [],
        from: String = "2025-01-01", until: String? = nil, summary: String = "支持内容和申请方式。"
    ) -> HandbookPolicyInput {
        HandbookPolicyInput(
            level: level.rawValue, district: district, title: title, issuer: "发布机关", responsibleBody: "责任处室", contact: "王敏",
            phone: "021-12345678 转 801", summary: summary, topics: topics.map(\.rawValue), categories: categories.map(\.rawValue), effectiveOn: from,
            expiresOn: until)
    }

    @Test(
        "the nation's, the city's and a district's: a question in other words finds the policy; a district sees its own and the city's, not another's; in force today unless every status is asked",
        arguments: TestDatabase.enabled)
    func search(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let world = try await ConsultationUseCaseTests.world(app)
            let handbook = world.platform.handbook
            let special = try await handbook.create(
                Self.policy(
                    "创新医疗器械特别审查程序", level: .national, topics: [.review], categories: [.device, .ivd],
                    summary: "具有核心技术发明专利的医疗器械可申请创新特别审查，优先办理注册检验和技术审评。"), by: world.regulator)
            let drugs = try await handbook.create(
                Self.policy("药品附条件批准上市程序", level: .national, topics: [.review], categories: [.drug], summary: "严重危及生命疾病的药品可附条件批准。"),
                by: world.regulator)
            let pudong = try await handbook.create(
                Self.policy("浦东新区生物医药产业扶持办法", level: .district, district: "310115", summary: "对临床试验和产业化项目给予资金补贴。"), by: world.district)
            let xuhui = try await handbook.create(
                Self.policy("徐汇区生物医药产业扶持办法", level: .district, district: "310104", summary: "对研发投入给予资金补贴。"), by: world.regulator)
            let expired = try await handbook.create(Self.policy("已到期的市级资金政策", until: "2025-12-31"), by: world.regulator)
            let pending = try await handbook.create(Self.policy("明年施行的市级资金政策", from: "2027-01-01"), by: world.regulator)
            #expect(expired.status == .expired && pending.status == .pending && special.status == .inForce)
            #expect(pudong.issuedBy == "浦东新区" && special.issuedBy == "国家" && drugs.categoriesLabel == "药品" && xuhui.categoriesLabel == "不限")

            // In other words than the title's: 申请/创新/审查 and 器械 are shared.
            let found = try await handbook.search(text: "创新器械审查怎么申请", by: world.maker)
            #expect(found.first?.id == special.id, "\(found.map(\.title))")
            #expect(try await handbook.search(text: "临床试验补贴", district: "310115", by: world.maker).first?.id == pudong.id)

            // A district: the nation's, the city's and its own, never another district's.
            let inPudong = Set(try await handbook.search(district: "310115", by: world.maker).map(\.id))
            #expect(inPudong == [special.id, drugs.id, pudong.id])
            // A topic, a product type (a policy naming none covers every type), a level.
            #expect(Set(try await handbook.search(topic: "funding", by: world.maker).map(\.id)) == [pudong.id, xuhui.id])
            #expect(Set(try await handbook.search(productCategory: "drug", by: world.maker).map(\.id)) == [drugs.id, pudong.id, xuhui.id])
            #expect(try await handbook.search(level: "national", by: world.maker).map(\.id) == [special.id, drugs.id])
            // Every status: the expired and the pending too, labelled.
            let all = try await handbook.search(level: "city", everyStatus: true, by: world.maker)
            #expect(Set(all.map(\.status)) == [.expired, .pending])
            // A filter naming nothing known: refused at the field.
            #expect(
                Self.fields(await #expect(throws: UseCaseError.self) { try await handbook.search(district: "999999", by: world.maker) }) == [
                    "district"
                ])

            // An enterprise's list: in force, its district (浦东), its products' type (devices).
            let applicable = try await handbook.applicable(toEnterprise: world.enterprises[0].id, by: world.maker)
            #expect(Set(applicable.policies.map(\.id)) == [special.id, pudong.id] && applicable.districtName == "浦东新区")
            #expect(applicable.categories == [.device])
            // Another enterprise's: not in the caller's scope.
            await #expect(throws: UseCaseError.self) { try await handbook.applicable(toEnterprise: world.enterprises[0].id, by: world.rival) }

            // Repealed from a day: out of the list from that day, its status says so.
            let repealed = try await handbook.repeal(
                id: pudong.id, on: "2026-11-01", reason: "被新办法替代", expecting: pudong.version, by: world.district)
            #expect(repealed.status == .repealed && repealed.repealReason == "被新办法替代")
            #expect(!(try await handbook.search(district: "310115", by: world.maker).map(\.id).contains(pudong.id)))
        }
    }

    @Test(
        "bad fields refused at the field with nothing written; a district records and changes only its own district's; a stale change is a 409; every write audited and re-indexed",
        arguments: TestDatabase.enabled)
    func rules(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let world = try await ConsultationUseCaseTests.world(app)
            let handbook = world.platform.handbook
            let rows = try await HandbookPolicyModel.query(on: app.db).count()
            let audits = try await AuditEntryModel.query(on: app.db).count()
            var bad = Self.policy("有误的政策", from: "2026-01-01", until: "2025-12-31")
            bad.phone = "请致电办公室"
            bad.sourceURL = "javascript:alert(1)"
            bad.topics = []
            let refused = Self.fields(await #expect(throws: UseCaseError.self) { try await handbook.create(bad, by: world.regulator) })
            #expect(Set(refused) == ["expiresOn", "phone", "sourceURL", "topics"], "\(refused)")
            #expect(
                Self.fields(
                    await #expect(throws: UseCaseError.self) { try await handbook.create(Self.policy("区级无区", level: .district), by: world.regulator) }
                )
                    == ["district"])
            #expect(
                Self.fields(
                    await #expect(throws: UseCaseError.self) {
                        try await handbook.create(Self.policy("国家级带区", level: .national, district: "310115"), by: world.regulator)
                    }) == ["district"])
            #expect(try await HandbookPolicyModel.query(on: app.db).count() == rows)
            #expect(try await AuditEntryModel.query(on: app.db).count() == audits)

            // A district: its own district's only.
            #expect(
                Self.fields(await #expect(throws: UseCaseError.self) { try await handbook.create(Self.policy("市级"), by: world.district) }) == [
                    "level"
                ])
            #expect(
                Self.fields(
                    await #expect(throws: UseCaseError.self) {
                        try await handbook.create(Self.policy("徐汇的", level: .district, district: "310104"), by: world.district)
                    }) == ["level"])
            let own = try await handbook.create(Self.policy("浦东载体政策", level: .district, district: "310115", topics: [.space]), by: world.district)
            let city = try await handbook.create(Self.policy("市级资金政策"), by: world.regulator)
            await #expect(throws: UseCaseError.self) {
                try await handbook.revise(id: city.id, Self.policy("改市级"), expecting: city.version, by: world.district)
            }
            // Enterprises and stations read, never write.
            await #expect(throws: UseCaseError.forbidden(.writePolicies, role: .enterpriseUser)) {
                try await handbook.create(Self.policy("企业写的"), by: world.maker)
            }
            await #expect(throws: UseCaseError.forbidden(.writePolicies, role: .stationOfficer)) {
                try await handbook.create(Self.policy("工作站写的"), by: world.zhangjiang)
            }

            // Changed on the version read: its keys follow the new text; the old version is a 409.
            var changed = Self.policy("浦东园区租金补贴", level: .district, district: "310115", topics: [.space], summary: "入驻园区的企业可获得租金补贴。")
            changed.sourceURL = "https://www.pudong.gov.cn/policy/1"
            let revised = try await handbook.revise(id: own.id, changed, expecting: own.version, by: world.district)
            #expect(revised.version == own.version + 1 && revised.sourceURL == "https://www.pudong.gov.cn/policy/1")
            #expect(try await handbook.search(text: "租金补贴", by: world.maker).map(\.id) == [own.id])
            #expect(try await handbook.search(text: "载体", by: world.maker).isEmpty)
            await #expect(throws: UseCaseError.stale(.handbookPolicy, current: revised.version)) {
                try await handbook.revise(id: own.id, changed, expecting: own.version, by: world.district)
            }

            // Repealed: not before it took effect; not twice.
            #expect(
                Self.fields(
                    await #expect(throws: UseCaseError.self) {
                        try await handbook.repeal(id: city.id, on: "2024-12-31", reason: "替代", expecting: city.version, by: world.regulator)
                    }) == ["repealedOn"])
            let repealed = try await handbook.repeal(id: city.id, on: "2026-06-30", reason: "被新政策替代", expecting: city.version, by: world.regulator)
            await #expect(throws: UseCaseError.self) {
                try await handbook.repeal(id: city.id, on: "2026-07-01", reason: "再次", expecting: repealed.version, by: world.regulator)
            }
            let actions = try await AuditEntryModel.query(on: app.db).filter(\.$entityType == "handbook_policy").all().map(\.action)
            #expect(actions.sorted() == ["handbook.create", "handbook.create", "handbook.repeal", "handbook.revise"])
        }
    }
}
