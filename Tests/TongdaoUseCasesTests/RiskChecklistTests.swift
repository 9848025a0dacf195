import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import Vapor

@Suite("The risk checklist of innovative products: items, meetings that change them, special plans, periodic reports on their dates")
struct RiskChecklistTests {
    struct Scene {
        var world: AdverseEventTests.World
        var innovative: UUID
        var maker: Caller
    }

    /// The adverse-event world; its first marketed product approved with a condition; a third product
    /// approved by the Shanghai innovative procedure on 2024-03-01 with its registrant's account.
    static func scene(_ app: Application) async throws -> Scene {
        let world = try await AdverseEventTests.world(app)
        let platform = world.platform
        _ = try await platform.obligations.create(
            ObligationInput(product: world.marketed.id.uuidString, kind: "other", title: "补充资料", dueOn: "2027-01-31", officer: "regulator"),
            by: world.regulator)
        let products = try await ProductModel.query(on: app.db).sort(\.$name).all()
        let third = try #require(products.first { $0.name == "示例产品 2" })
        let made = try await Fixtures.application(
            "INNO-1", product: try third.requireID(), acceptedOn: CivilDate("2023-09-01")!, channel: .shanghaiInnovative, on: platform)
        _ = try await platform.applications.record(
            EventInput(type: "review_completed", on: "2024-02-01"), on: made.application.id, by: Fixtures.caller)
        _ = try await platform.applications.record(
            EventInput(type: "decision_made", on: "2024-03-01", decision: "approve", certificate: "沪械注准20242210099"), on: made.application.id,
            by: Fixtures.caller)
        let user = try await Fixtures.user("third-maker", role: .enterpriseUser, scope: .enterprise(third.uscc), on: platform)
        let innovative = try third.requireID()
        return Scene(
            world: world, innovative: innovative,
            maker: .user(id: user.id, username: user.username, displayName: "third", role: .enterpriseUser, scope: .enterprise(third.uscc)))
    }

    @Test(
        "the checklist covers the innovative and the conditionally approved products; items, a meeting and a plan change the file",
        arguments: TestDatabase.enabled)
    func checklist(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let scene = try await Self.scene(app)
            let risk = scene.world.platform.risk
            let regulator = scene.world.regulator
            let rows = try await risk.checklist(by: regulator)
            #expect(Set(rows.map(\.productID)) == [scene.world.marketed.id, scene.innovative])
            let inno = try #require(rows.first { $0.productID == scene.innovative })
            #expect(inno.channel == .shanghaiInnovative && !inno.conditional && inno.approvedOn == CivilDate("2024-03-01"))
            #expect(inno.periodic.map(\.state) == [.overdue, .overdue, .upcoming, .upcoming, .upcoming])
            #expect(rows.first { $0.productID == scene.world.marketed.id }?.conditional == true)

            let id = scene.innovative
            var file = try await risk.addItem(
                product: id,
                RiskItemInput(source: "adverse_events", description: "算法输出错误致延误诊断", control: "限期提交算法变更验证", owner: "注册人", dueOn: "2026-11-01"),
                by: regulator)
            file = try await risk.addItem(
                product: id, RiskItemInput(source: "sampling", description: "抽检不合格", control: "召回并整改", owner: "注册人", dueOn: "2027-03-01"),
                by: regulator)
            #expect(file.items.count == 2 && file.row.openItems == 2 && file.row.overdueItems == 1)
            let overdue = try #require(file.items.first { $0.overdue })
            await #expect(throws: UseCaseError.stale(.riskItem, current: 1)) {
                try await risk.changeItem(product: id, item: overdue.id, status: "controlling", note: "已约谈", expecting: 0, by: regulator)
            }
            file = try await risk.changeItem(product: id, item: overdue.id, status: "controlling", note: "已约谈注册人", expecting: 1, by: regulator)
            #expect(file.row.controllingItems == 1)
            // A meeting closes the sampling item; its decision is an event of the item.
            let sampling = try #require(file.items.first { $0.source == .sampling })
            file = try await risk.holdMeeting(
                product: id,
                RiskMeetingInput(
                    heldOn: "2026-11-20", attendees: "市药监局 李静\n注册人 郑婷", decisions: "抽检问题已整改，消除该风险。", changes: [sampling.id.uuidString: "closed"]),
                by: regulator)
            #expect(file.meetings.first?.attendees == ["市药监局 李静", "注册人 郑婷"] && file.row.lastMeeting == CivilDate("2026-11-20"))
            #expect(file.items.first { $0.id == sampling.id }?.status == .closed)
            #expect(file.items.first { $0.id == sampling.id }?.events.map(\.kind) == [.recorded, .meeting])
            let refused = await #expect(throws: UseCaseError.self) {
                try await risk.attachPlan(
                    product: id, SpecialPlanInput(title: "专项", content: "内容", from: "2026-12-01", to: "2026-11-01"), by: regulator)
            }
            #expect((refused as? UseCaseError)?.problems.map(\.field) == ["to"])
            file = try await risk.attachPlan(
                product: id, SpecialPlanInput(title: "算法变更专项监管方案", content: "每季度核查算法版本", from: "2026-11-01", to: "2027-10-31"), by: regulator)
            #expect(file.row.plan == "算法变更专项监管方案" && file.plans.first?.inForce == true)
            let audited = try await AuditEntryModel.query(on: app.db).filter(
                \.$action ~~ ["risk.item.create", "risk.item.status", "risk.meeting", "risk.plan"]
            )
            .count()
            #expect(audited == 2 + 1 + 1 + 1)
            // A product outside the checklist is not found.
            await #expect(throws: UseCaseError.notFound(.product)) { try await risk.file(product: scene.world.other.id, by: regulator) }
        }
    }

    @Test(
        "the registrant sees its periodic reports only and submits a year once it has ended, once; others do not find them",
        arguments: TestDatabase.enabled)
    func periodicReports(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let scene = try await Self.scene(app)
            let risk = scene.world.platform.risk
            let id = scene.innovative
            _ = try await risk.addItem(
                product: id, RiskItemInput(source: "inspection", description: "保密的风险", control: "整改", owner: "注册人", dueOn: "2027-01-01"),
                by: scene.world.regulator)
            let mine = try await risk.file(product: id, by: scene.maker)
            #expect(mine.limited && mine.items.isEmpty && mine.meetings.isEmpty && mine.row.periodic.count == 5)
            await #expect(throws: UseCaseError.forbidden(.readRiskChecklist, role: .enterpriseUser)) { try await risk.checklist(by: scene.maker) }
            await #expect(throws: UseCaseError.notFound(.product)) { try await risk.file(product: id, by: scene.world.registrant) }
            await #expect(throws: UseCaseError.forbidden(.readRiskChecklist, role: .districtOfficer)) {
                try await risk.file(product: id, by: scene.world.district)
            }
            let early = await #expect(throws: UseCaseError.self) {
                try await risk.submitPeriodicReport(product: id, year: 3, summary: "第三年", by: scene.maker)
            }
            #expect((early as? UseCaseError)?.problems.first?.chinese == "该年度尚未结束，不能提交定期风险评价报告")
            let file = try await risk.submitPeriodicReport(product: id, year: 2, summary: "第二年度风险评价：未发现新的风险信号。", by: scene.maker)
            #expect(file.row.periodic[1].state == .submittedLate && file.row.periodic[1].submittedOn == Fixtures.today)
            await #expect(throws: UseCaseError.conflict(FieldProblem("year", "has its report already", chinese: "该年度的定期风险评价报告已提交"))) {
                try await risk.submitPeriodicReport(product: id, year: 2, summary: "再交", by: scene.maker)
            }
            await #expect(throws: UseCaseError.self) { try await risk.submitPeriodicReport(product: id, year: 6, summary: "x", by: scene.maker) }
            #expect(try await risk.checklist(by: scene.world.reviewer).first { $0.productID == id }?.periodic[1].summary == "第二年度风险评价：未发现新的风险信号。")
        }
    }
}
