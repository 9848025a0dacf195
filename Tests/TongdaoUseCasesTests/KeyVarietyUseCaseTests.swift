import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import Vapor

@Suite("The key-varieties service list: proposed in scope, confirmed by the regulator with its station and officer, a service plan in step order")
struct KeyVarietyUseCaseTests {
    static func fields(_ error: (any Error)?) -> [String] { (error as? UseCaseError)?.problems.map(\.field) ?? [] }

    @Test(
        "proposed by the district, confirmed, planned (a milestone before its predecessor refused), a milestone done; each sees its own",
        arguments: TestDatabase.enabled)
    func lifecycle(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let world = try await ConsultationUseCaseTests.world(app)
            let list = world.platform.keyVarieties
            let product = world.products[0].id.uuidString
            let proposal = KeyVarietyProposal(product: product, reason: "first_in_country", justification: "国内首个术中光学导航系统。")
            #expect(
                Self.fields(
                    await #expect(throws: UseCaseError.self) {
                        try await list.propose(
                            KeyVarietyProposal(product: world.products[3].id.uuidString, reason: "key_area", justification: "徐汇的产品"),
                            by: world.district)
                    }) == ["product"], "out of the district's scope")
            let proposed = try await list.propose(proposal, by: world.district)
            #expect(proposed.status == .proposed && proposed.proposedBy == "pudong" && proposed.reason == .firstInCountry)
            #expect(Self.fields(await #expect(throws: UseCaseError.self) { try await list.propose(proposal, by: world.zhangjiang) }) == ["product"])
            await #expect(throws: UseCaseError.forbidden(.decideKeyVarieties, role: .stationOfficer)) {
                try await list.decide(id: proposed.id, KeyVarietyDecision(decision: "confirm"), expecting: proposed.version, by: world.zhangjiang)
            }
            #expect(
                Self.fields(
                    await #expect(throws: UseCaseError.self) {
                        try await list.decide(
                            id: proposed.id, KeyVarietyDecision(decision: "confirm", station: "nowhere"), expecting: proposed.version,
                            by: world.regulator)
                    }) == ["station", "officer"])
            let confirmed = try await list.decide(
                id: proposed.id,
                KeyVarietyDecision(decision: "confirm", station: "zhangjiang", officer: "zj-station", counsellor: "国家分中心 王辅导员", taskForce: "市区联合专班"),
                expecting: proposed.version, by: world.regulator)
            #expect(confirmed.status == .confirmed && confirmed.stationName == "张江工作站" && confirmed.officerName == "zj-station")

            // The plan: a milestone due before its predecessor is refused at its field, nothing written.
            let early = [
                MilestoneInput(step: "registration_testing", title: "完成注册检验", dueOn: "2027-03-31"),
                MilestoneInput(step: "clinical_trial", title: "完成临床试验入组", dueOn: "2027-02-28"),
            ]
            #expect(
                Self.fields(
                    await #expect(throws: UseCaseError.self) {
                        try await list.setPlan(id: proposed.id, milestones: early, expecting: confirmed.version, by: world.zhangjiang)
                    }) == ["milestones[1].dueOn"])
            let plan = [
                MilestoneInput(step: "review", title: "提交注册申报", dueOn: "2027-09-30"),
                MilestoneInput(step: "registration_testing", title: "完成注册检验", dueOn: "2026-11-20"),
                MilestoneInput(step: "clinical_trial", title: "完成临床试验", dueOn: "2027-06-30"),
            ]
            await #expect(throws: UseCaseError.self) {
                try await list.setPlan(id: proposed.id, milestones: plan, expecting: confirmed.version, by: world.lingang)
            }
            let planned = try await list.setPlan(id: proposed.id, milestones: plan, expecting: confirmed.version, by: world.zhangjiang)
            #expect(planned.milestones.map(\.step) == [.registrationTesting, .clinicalTrial, .review] && planned.overdue)
            let done = try await list.completeMilestone(
                id: proposed.id, step: "registration_testing", expecting: planned.version, by: world.zhangjiang)
            #expect(done.milestones[0].doneOn == Fixtures.today && !done.overdue && done.next?.step == .clinicalTrial)
            // Replanned: the done milestone keeps its day.
            let replanned = try await list.setPlan(id: proposed.id, milestones: plan, expecting: done.version, by: world.regulator)
            #expect(replanned.milestones[0].doneOn == Fixtures.today)

            // Who sees it: the enterprise its own; another enterprise nothing.
            #expect(try await list.list(by: world.maker).map(\.id) == [proposed.id])
            #expect(try await list.list(by: world.rival).isEmpty)
            await #expect(throws: UseCaseError.notFound(.keyVariety)) { try await list.detail(id: proposed.id, by: world.rival) }
            let audited = try await AuditEntryModel.query(on: app.db).filter(\.$entityType == "key_variety").count()
            #expect(audited == 1 + 1 + 1 + 1 + 1)
        }
    }
}
