import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import Vapor

@Suite(
    "Consultations: routed to the enterprise's station or the regulator, answered on the version read, the clock stopped while the enterprise is asked, rated"
)
struct ConsultationUseCaseTests {
    struct World {
        var platform: Platform
        var enterprises: [EnterpriseRecord]
        var products: [ProductRecord]
        /// 张江 (enterprises[0], park zhangjiang in 浦东).
        var maker: Caller
        /// 徐汇 (enterprises[3]).
        var rival: Caller
        var zhangjiang: Caller
        var lingang: Caller
        var xuhui: Caller
        var district: Caller
        var regulator: Caller
        var admin: Caller
    }

    static func world(_ app: Application) async throws -> World {
        try await ReferenceData.load(on: app.db)
        let platform = app.testPlatform(clock: Fixtures.clock)
        let (enterprises, products) = try await Fixtures.enterprisesAndProducts(on: platform)
        func user(_ name: String, _ role: Role, _ scope: Scope) async throws -> Caller {
            let user = try await Fixtures.user(name, role: role, scope: scope, on: platform)
            return .user(id: user.id, username: user.username, displayName: name, role: role, scope: scope)
        }
        return World(
            platform: platform, enterprises: enterprises, products: products,
            maker: try await user("maker", .enterpriseUser, .enterprise(enterprises[0].uscc)),
            rival: try await user("rival", .enterpriseUser, .enterprise(enterprises[3].uscc)),
            zhangjiang: try await user("zj-station", .stationOfficer, .station("zhangjiang")),
            lingang: try await user("lg-station", .stationOfficer, .station("lingang")),
            xuhui: try await user("xh-station", .stationOfficer, .station("xuhui")),
            district: try await user("pudong", .districtOfficer, .district("310115")),
            regulator: try await user("regulator", .cityRegulator, .city), admin: try await user("admin", .cityAdmin, .city))
    }

    static func question(_ topic: String = "clinical-trial", product: UUID? = nil, enterprise: UUID? = nil, title: String = "多中心临床试验的机构数量")
        -> ConsultationInput
    {
        ConsultationInput(
            enterprise: enterprise?.uuidString, product: product?.uuidString, topic: topic, title: title,
            question: "我司产品拟开展多中心临床试验，牵头单位之外至少需要几家参与机构？")
    }

    static func fields(_ error: (any Error)?) -> [String] { (error as? UseCaseError)?.problems.map(\.field) ?? [] }

    @Test(
        "asked, routed, asked to clarify, replied, answered and rated; each party sees its own and acts on its desk", arguments: TestDatabase.enabled)
    func lifecycle(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let world = try await Self.world(app)
            let consultations = world.platform.consultations
            // Routed by district and park: 张江's enterprise to 张江, a city-level topic to the regulator,
            // 临港's enterprise (recorded by the regulator for it) to 临港.
            let asked = try await consultations.ask(Self.question(product: world.products[0].id), by: world.maker)
            #expect(asked.station == "zhangjiang" && asked.desk == "张江工作站" && asked.status == .open && asked.productName == "示例产品 0")
            #expect(asked.clock.firstResponse.deadline == CivilDate("2026-11-25") && asked.clock.resolution.deadline == CivilDate("2026-12-07"))
            #expect(asked.topicLabel == "临床试验方案与机构" && asked.askedBy == "maker" && asked.messages.map(\.kind) == [.asked])
            let policy = try await consultations.ask(Self.question("policy", title: "创新产品首台套政策"), by: world.maker)
            #expect(policy.station == nil && policy.desk == "市药监局")
            let phoned = try await consultations.ask(Self.question(enterprise: world.enterprises[1].id), by: world.regulator)
            #expect(phoned.station == "lingang" && phoned.enterprise == world.enterprises[1].name)

            // Bad input: the field named, nothing written.
            let before = try await ConsultationModel.query(on: app.db).count()
            #expect(
                Self.fields(
                    await #expect(throws: UseCaseError.self) {
                        try await consultations.ask(Self.question(product: world.products[3].id), by: world.maker)
                    })
                    == ["product"], "another enterprise's product")
            #expect(
                Self.fields(
                    await #expect(throws: UseCaseError.self) {
                        try await consultations.ask(Self.question("no-such-topic", title: ""), by: world.maker)
                    })
                    == ["title", "topic"])
            #expect(
                Self.fields(await #expect(throws: UseCaseError.self) { try await consultations.ask(Self.question(), by: world.regulator) }) == [
                    "enterprise"
                ])
            await #expect(throws: UseCaseError.forbidden(.askConsultations, role: .stationOfficer)) {
                try await consultations.ask(Self.question(), by: world.zhangjiang)
            }
            #expect(try await ConsultationModel.query(on: app.db).count() == before)

            // Who sees what: the enterprise its own; 徐汇's station nothing of 浦东; the district its district's.
            await #expect(throws: UseCaseError.notFound(.consultation)) { try await consultations.detail(id: asked.id, by: world.rival) }
            await #expect(throws: UseCaseError.notFound(.consultation)) { try await consultations.detail(id: asked.id, by: world.xuhui) }
            #expect(try await consultations.list(desk: "all", by: world.rival).items.isEmpty)
            #expect(try await consultations.list(by: world.maker).items.map(\.id) == [asked.id, policy.id])
            #expect(try await consultations.list(by: world.zhangjiang).items.map(\.id) == [asked.id], "a station's own desk by default")
            #expect(try await consultations.list(desk: "city", by: world.regulator).items.map(\.id) == [policy.id])
            #expect(Set(try await consultations.list(desk: "all", by: world.district).items.map(\.id)) == [asked.id, policy.id, phoned.id])
            await #expect(throws: UseCaseError.forbidden(.answerConsultations, role: .districtOfficer)) {
                try await consultations.respond(id: asked.id, response: "answer", text: "答复", expecting: asked.version, by: world.district)
            }

            // 临港 sees 浦东's questions but answers only its own desk.
            let notMine = await #expect(throws: UseCaseError.self) {
                try await consultations.respond(id: asked.id, response: "answer", text: "答复", expecting: asked.version, by: world.lingang)
            }
            #expect(Self.fields(notMine) == ["station"])

            // Asked to clarify: the first response is met today, the clock stops.
            let waiting = try await consultations.respond(
                id: asked.id, response: "request_info", text: "请说明产品的预期用途和目标人群。", expecting: asked.version, by: world.zhangjiang)
            #expect(waiting.status == .awaitingEnterprise && !waiting.clock.running && waiting.clock.firstResponse.withinTarget == true)
            await #expect(throws: UseCaseError.stale(.consultation, current: waiting.version)) {
                try await consultations.respond(id: asked.id, response: "answer", text: "答复", expecting: asked.version, by: world.zhangjiang)
            }
            let cannot = await #expect(throws: UseCaseError.self) {
                try await consultations.respond(id: asked.id, response: "answer", text: "答复", expecting: waiting.version, by: world.zhangjiang)
            }
            #expect(Self.fields(cannot) == ["status"], "an answer while the enterprise is asked to clarify")
            let replied = try await consultations.reply(
                id: asked.id, text: "预期用途为术中导航，目标人群为成人。", expecting: waiting.version, by: world.maker)
            #expect(replied.status == .open && replied.clock.running)
            let answered = try await consultations.respond(
                id: asked.id, response: "answer", text: "除牵头单位外，一般不少于两家参与机构。", expecting: replied.version, by: world.zhangjiang)
            #expect(answered.status == .answered && answered.clock.resolution.withinTarget == true && answered.clock.pending == nil)
            let badRating = await #expect(throws: UseCaseError.self) {
                try await consultations.rate(id: asked.id, rating: 6, comment: nil, expecting: answered.version, by: world.maker)
            }
            #expect(Self.fields(badRating) == ["rating"])
            let closed = try await consultations.rate(id: asked.id, rating: 5, comment: "答复及时清楚。", expecting: answered.version, by: world.maker)
            #expect(closed.status == .closed && closed.rating == 5)
            #expect(closed.messages.map(\.kind) == [.asked, .requestedInfo, .enterpriseReplied, .answered, .rated])
            #expect(closed.messages.map(\.by) == ["maker", "zj-station", "maker", "zj-station", "maker"])
            await #expect(throws: UseCaseError.self) {
                try await consultations.withdraw(id: asked.id, reason: nil, expecting: closed.version, by: world.maker)
            }

            // Transferred from 临港 to the regulator; withdrawn by the enterprise.
            let moved = try await consultations.transfer(
                id: phoned.id, to: "city", reason: "涉及创新产品认定，由市局答复", expecting: phoned.version, by: world.lingang)
            #expect(moved.station == nil && moved.messages.last?.transferredTo == "市药监局" && moved.status == .open)
            let withdrawn = try await consultations.withdraw(id: policy.id, reason: "已在窗口咨询", expecting: policy.version, by: world.maker)
            #expect(withdrawn.status == .withdrawn && withdrawn.clock.pending == nil)

            let audited = try await AuditEntryModel.query(on: app.db).filter(\.$entityType == "consultation").count()
            #expect(audited == 3 + 4 + 2)
        }
    }

    @Test("a desk's open questions by deadline, filtered by amber, red and escalated; each party's attention", arguments: TestDatabase.enabled)
    func queue(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let world = try await Self.world(app)
            func on(_ day: String) -> ConsultationUseCases { app.testPlatform(clock: .starting(on: CivilDate(day)!)).consultations }
            // Asked on 2 November (first response due 4 November), 19 November (due 23 November) and today.
            let old = try await on("2026-11-02").ask(Self.question(title: "早先的问题"), by: world.maker)
            let recent = try await on("2026-11-19").ask(Self.question(title: "上周的问题"), by: world.maker)
            let today = try await world.platform.consultations.ask(Self.question(title: "今天的问题"), by: world.maker)
            let consultations = world.platform.consultations
            let open = try await consultations.list(by: world.zhangjiang)
            #expect(open.items.map(\.id) == [old.id, recent.id, today.id])
            #expect(open.items.map(\.clock.level) == [.red, .amber, .green] && open.items.map(\.clock.escalated) == [true, false, false])
            #expect(open.items[0].clock.firstResponse.used == 15 && open.items[1].clock.firstResponse.remaining == 0)
            #expect(try await consultations.list(level: "red", by: world.zhangjiang).items.map(\.id) == [old.id])
            #expect(try await consultations.list(level: "amber", by: world.zhangjiang).items.map(\.id) == [old.id, recent.id])
            #expect(try await consultations.list(level: "green", by: world.zhangjiang).items.map(\.id) == [today.id])
            #expect(try await consultations.list(escalated: true, by: world.regulator).items.map(\.id) == [old.id])
            let counts = try await consultations.counts(by: world.zhangjiang)
            #expect(counts.byStatus[.open] == 3 && counts.amber == 1 && counts.red == 1 && counts.escalated == 1)

            // Pages by deadline.
            let first = try await consultations.list(limit: 2, by: world.zhangjiang)
            #expect(first.items.map(\.id) == [old.id, recent.id] && first.next != nil)
            let second = try await consultations.list(limit: 2, cursor: first.next, by: world.zhangjiang)
            #expect(second.items.map(\.id) == [today.id] && second.next == nil)
            let badCursor = await #expect(throws: UseCaseError.self) { try await consultations.list(cursor: "nonsense", by: world.zhangjiang) }
            #expect(Self.fields(badCursor) == ["cursor"])
            let badDesk = await #expect(throws: UseCaseError.self) { try await consultations.list(desk: "nowhere", by: world.regulator) }
            #expect(Self.fields(badDesk) == ["desk"])

            // Attention: the station its amber and red; the regulator the escalated; the enterprise what waits for it.
            #expect(try await consultations.attention(by: world.zhangjiang).map(\.id) == [old.id, recent.id])
            #expect(try await consultations.attention(by: world.regulator).map(\.id) == [old.id])
            #expect(try await consultations.attention(by: world.maker).isEmpty)
            let waiting = try await consultations.respond(
                id: recent.id, response: "request_info", text: "请补充产品技术要求。", expecting: recent.version, by: world.zhangjiang)
            #expect(try await consultations.attention(by: world.maker).map(\.id) == [recent.id])
            #expect(try await consultations.list(status: "awaiting_enterprise", by: world.zhangjiang).items.map(\.id) == [waiting.id])
        }
    }

    @Test(
        "the service targets are policy data: figures refused at their field; a question keeps the targets of its day",
        arguments: TestDatabase.enabled)
    func policy(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let world = try await Self.world(app)
            let consultations = world.platform.consultations
            #expect(try await consultations.policies().inForce == .standard)
            let bad = await #expect(throws: UseCaseError.self) {
                try await consultations.setPolicy(
                    ServicePolicyInput(effectiveFrom: "2026-11-01", firstResponseDays: "两天", resolutionDays: "5", amberFraction: "2"), by: world.admin
                )
            }
            #expect(
                Self.fields(bad) == ["firstResponseDays", "escalateAfterDays", "classificationDays", "appointmentCutoffDays", "effectiveFrom"],
                "blank figures are asked for")
            await #expect(throws: UseCaseError.forbidden(.writeProcedure, role: .cityRegulator)) {
                try await consultations.setPolicy(ServicePolicyInput(effectiveFrom: "2026-11-23"), by: world.regulator)
            }
            let before = try await consultations.ask(Self.question(), by: world.maker)
            let versions = try await consultations.setPolicy(
                ServicePolicyInput(
                    effectiveFrom: "2026-11-23", firstResponseDays: "1", resolutionDays: "5", amberFraction: "0.6", escalateAfterDays: "2",
                    classificationDays: "10", appointmentCutoffDays: "1"), by: world.admin)
            #expect(versions.map(\.resolutionDays) == [5])
            let after = try await consultations.ask(Self.question(), by: world.maker)
            #expect(after.targets.firstResponse == 1 && after.targets.resolution == 5 && after.clock.resolution.deadline == CivilDate("2026-11-30"))
            #expect(try await consultations.detail(id: before.id, by: world.maker).targets.resolution == 10, "kept from the day it was asked")
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "settings.service_policy").count() == 1)
        }
    }
}
