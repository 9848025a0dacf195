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
    "Conditional-approval obligations: set by the regulator, answered by the registrant, decided on the version read; overdue ones on the credit file"
)
struct ObligationUseCaseTests {
    static func input(_ product: UUID, due: String, title: String = "完成上市后确证性临床试验并提交总结报告", officer: String = "regulator") -> ObligationInput {
        ObligationInput(product: product.uuidString, kind: "confirmatory_trial", title: title, dueOn: due, officer: officer)
    }

    static func fields(_ error: (any Error)?) -> [String] { (error as? UseCaseError)?.problems.map(\.field) ?? [] }

    @Test(
        "amber, red and on track today; evidence returned and accepted; one fulfilled late is overdue on the credit file",
        arguments: TestDatabase.enabled)
    func lifecycle(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let world = try await AdverseEventTests.world(app)
            let obligations = world.platform.obligations
            let product = world.marketed.id
            // Today is 2026-11-23.
            let later = try await obligations.create(Self.input(product, due: "2027-06-30"), by: world.regulator)
            let soon = try await obligations.create(Self.input(product, due: "2026-12-10", title: "提交风险管理计划"), by: world.regulator)
            let past = try await obligations.create(Self.input(product, due: "2026-11-01", title: "补充提交长期随访数据"), by: world.regulator)
            #expect(later.alert == .none && soon.alert == .amber && soon.daysLeft == 17 && past.alert == .red)
            #expect(past.overdueSince == CivilDate("2026-11-02") && later.officerName == "regulator" && later.certificate == "沪械注准20262210001")
            #expect(try await obligations.list(by: world.regulator).map(\.title) == ["补充提交长期随访数据", "提交风险管理计划", "完成上市后确证性临床试验并提交总结报告"])

            // The registrant answers; the officer returns, then accepts.
            let submitted = try await obligations.submitEvidence(
                id: soon.id, text: "风险管理计划已报送，文号沪械风〔2026〕12号。", expecting: soon.version, by: world.registrant)
            #expect(submitted.status == .submitted && submitted.submittedOn == Fixtures.today && submitted.alert == .none)
            await #expect(throws: UseCaseError.stale(.obligation, current: submitted.version)) {
                try await obligations.review(id: soon.id, decision: "accept", note: nil, expecting: soon.version, by: world.regulator)
            }
            let noNote = await #expect(throws: UseCaseError.self) {
                try await obligations.review(id: soon.id, decision: "return", note: nil, expecting: submitted.version, by: world.regulator)
            }
            #expect(Self.fields(noNote) == ["note"])
            let returned = try await obligations.review(
                id: soon.id, decision: "return", note: "请补充风险控制措施的落实情况。", expecting: submitted.version, by: world.regulator)
            #expect(returned.status == .open && returned.alert == .amber)
            let again = try await obligations.submitEvidence(id: soon.id, text: "已补充落实情况。", expecting: returned.version, by: world.registrant)
            let accepted = try await obligations.review(id: soon.id, decision: "accept", note: nil, expecting: again.version, by: world.regulator)
            #expect(
                accepted.status == .fulfilled && accepted.alert == .done && accepted.overdueSince == nil && accepted.satisfiedOn == Fixtures.today)
            #expect(accepted.events.map(\.kind) == [.set, .evidence, .returned, .evidence, .accepted])
            await #expect(throws: UseCaseError.self) {
                try await obligations.submitEvidence(id: soon.id, text: "再交一次", expecting: accepted.version, by: world.registrant)
            }

            // Evidence of the past-due one, accepted: fulfilled, but late — a credit event from the day after the due date.
            let latePast = try await obligations.submitEvidence(id: past.id, text: "随访数据已提交。", expecting: past.version, by: world.registrant)
            #expect(latePast.alert == .red)
            let done = try await obligations.review(id: past.id, decision: "accept", note: nil, expecting: latePast.version, by: world.regulator)
            #expect(done.alert == .done && done.overdueSince == CivilDate("2026-11-02"))
            let file = try await world.platform.credit.file(kind: "enterprise", id: world.marketed.enterpriseID, by: world.regulator)
            #expect(file.assessment.lines.map(\.event.kind) == [.overdueObligation])
            #expect(file.assessment.lines.first?.event.on == CivilDate("2026-11-02"))
            let audited = try await AuditEntryModel.query(on: app.db).filter(
                \.$action ~~ ["obligation.create", "obligation.evidence", "obligation.review"]
            ).count()
            #expect(audited == 3 + 3 + 3)
        }
    }

    @Test(
        "each reader its own; evidence only for the registrant and the regulator; the inbox and the dashboard's count",
        arguments: TestDatabase.enabled)
    func readers(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let world = try await AdverseEventTests.world(app)
            let obligations = world.platform.obligations
            let red = try await obligations.create(Self.input(world.marketed.id, due: "2026-10-31"), by: world.regulator)
            _ = try await obligations.create(Self.input(world.other.id, due: "2027-10-31"), by: world.regulator)
            _ = try await obligations.submitEvidence(id: red.id, text: "保密的证据", expecting: red.version, by: world.registrant)
            #expect(try await obligations.list(by: world.registrant).map(\.productID) == [world.marketed.id])
            #expect(try await obligations.list(by: world.rival).map(\.productID) == [world.other.id])
            await #expect(throws: UseCaseError.notFound(.obligation)) { try await obligations.detail(id: red.id, by: world.rival) }
            #expect(try await obligations.detail(id: red.id, by: world.registrant).evidence == "保密的证据")
            let seenByReviewer = try await obligations.detail(id: red.id, by: world.reviewer)
            #expect(seenByReviewer.evidence == nil && seenByReviewer.events.first { $0.kind == .evidence }?.detail == "")
            await #expect(throws: UseCaseError.forbidden(.readObligations, role: .districtOfficer)) { try await obligations.list(by: world.district) }
            await #expect(throws: UseCaseError.forbidden(.answerObligations, role: .reviewer)) {
                try await obligations.submitEvidence(id: red.id, text: "x", expecting: 2, by: world.reviewer)
            }
            // The officer's inbox: the red one (its late evidence waits for a decision); the registrant's: its red one.
            #expect(try await obligations.attention(by: world.regulator).map(\.id) == [red.id])
            #expect(try await obligations.attention(by: world.registrant).map(\.id) == [red.id])
            #expect(try await obligations.attention(by: world.rival).isEmpty)
            // The dashboard counts the overdue ones in the scope, for a district too.
            #expect(try await world.platform.adverseEvents.panel(by: world.regulator).overdueObligations == 1)
            #expect(try await world.platform.adverseEvents.panel(by: world.district).overdueObligations == 1)
        }
    }

    @Test("bad input is refused with the field named and writes nothing", arguments: TestDatabase.enabled)
    func refusals(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let world = try await AdverseEventTests.world(app)
            let obligations = world.platform.obligations
            func refused(_ input: ObligationInput, by caller: Caller? = nil) async -> [String] {
                Self.fields(await #expect(throws: UseCaseError.self) { try await obligations.create(input, by: caller ?? world.regulator) })
            }
            #expect(await refused(ObligationInput()) == ["product", "kind", "title", "dueOn", "officer"])
            #expect(await refused(Self.input(world.marketed.id, due: "2026-13-01")) == ["dueOn"])
            #expect(await refused(Self.input(world.marketed.id, due: "2040-01-01")) == ["dueOn"])
            #expect(
                await refused(Self.input(world.marketed.id, due: "2027-01-01", officer: "reviewer")) == ["officer"],
                "a reviewer does not follow obligations")
            #expect(await refused(Self.input(world.marketed.id, due: "2027-01-01", officer: "nobody")) == ["officer"])
            let unmarketed = try #require(
                try await ProductModel.query(on: app.db).filter(\.$id != world.marketed.id).filter(\.$id != world.other.id).first()?.id)
            #expect(await refused(Self.input(unmarketed, due: "2027-01-01")) == ["product"], "not on the market")
            await #expect(throws: UseCaseError.forbidden(.manageObligations, role: .enterpriseUser)) {
                try await obligations.create(Self.input(world.marketed.id, due: "2027-01-01"), by: world.registrant)
            }
            #expect(try await ObligationModel.query(on: app.db).count() == 0)
        }
    }
}
