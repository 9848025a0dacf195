import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import Vapor

@Suite("Classification questions: to the regulator on the ten-working-day target, answered with an outcome that becomes the product's class")
struct ClassificationUseCaseTests {
    static func fields(_ error: (any Error)?) -> [String] { (error as? UseCaseError)?.problems.map(\.field) ?? [] }

    @Test(
        "asked about its own product, routed to the regulator, clarified, answered with class III: the product's class changed with its audit row",
        arguments: TestDatabase.enabled)
    func lifecycle(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let world = try await ConsultationUseCaseTests.world(app)
            let consultations = world.platform.consultations
            let product = world.products[0]
            #expect(product.managementClass == .two)
            let input = ClassificationInput(
                product: product.id.uuidString, intendedUse: "术中辅助定位", structure: "主机、探头、软件", principle: "光学追踪", proposedClass: "III")

            // Refused at the field, nothing written: no product, another enterprise's product, a missing description.
            let before = try await ConsultationModel.query(on: app.db).count()
            #expect(
                Self.fields(
                    await #expect(throws: UseCaseError.self) {
                        try await consultations.requestClassification(
                            ClassificationInput(intendedUse: "用途", structure: "", principle: "原理"), by: world.maker)
                    }) == ["product", "structure"])
            var foreign = input
            foreign.product = world.products[3].id.uuidString
            #expect(
                Self.fields(await #expect(throws: UseCaseError.self) { try await consultations.requestClassification(foreign, by: world.maker) }) == [
                    "product"
                ])
            #expect(try await ConsultationModel.query(on: app.db).count() == before)

            // Asked on Monday 23 November 2026: first response in 2 working days, the answer in 10 (7 December).
            let asked = try await consultations.requestClassification(input, by: world.maker)
            #expect(asked.kind == .classification && asked.station == nil && asked.desk == "市药监局" && asked.proposedClass == .three)
            #expect(asked.title == "分类界定：示例产品 0" && asked.topic == "classification" && asked.targets.resolution == 10)
            #expect(asked.clock.firstResponse.deadline == CivilDate("2026-11-25") && asked.clock.resolution.deadline == CivilDate("2026-12-07"))
            #expect(asked.messages.first?.body.contains("预期用途：术中辅助定位") == true)
            #expect(try await consultations.list(kind: "classification", by: world.regulator).items.map(\.id) == [asked.id])
            #expect(try await consultations.list(kind: "question", by: world.regulator).items.isEmpty)

            // A plain answer is refused (the outcome is needed); a station may not answer the regulator's desk.
            await #expect(throws: UseCaseError.self) {
                try await consultations.respond(id: asked.id, response: "answer", text: "第三类", expecting: asked.version, by: world.regulator)
            }
            await #expect(throws: UseCaseError.self) {
                try await consultations.decideClassification(
                    id: asked.id, outcome: "III", classificationCode: nil, text: "理由", expecting: asked.version, by: world.zhangjiang)
            }
            let waiting = try await consultations.respond(
                id: asked.id, response: "request_info", text: "请说明软件是否给出诊断结论。", expecting: asked.version, by: world.regulator)
            #expect(waiting.status == .awaitingEnterprise && !waiting.clock.running)
            let replied = try await consultations.reply(id: asked.id, text: "仅给出提示。", expecting: waiting.version, by: world.maker)

            // Bad outcome fields named; then the answer: class III, code 21-04.
            #expect(
                Self.fields(
                    await #expect(throws: UseCaseError.self) {
                        try await consultations.decideClassification(
                            id: asked.id, outcome: "IV", classificationCode: "99-01", text: "", expecting: replied.version, by: world.regulator)
                    }) == ["outcome", "classificationCode", "text"])
            #expect(
                Self.fields(
                    await #expect(throws: UseCaseError.self) {
                        try await consultations.decideClassification(
                            id: asked.id, outcome: "not_device", classificationCode: "21-04", text: "理由", expecting: replied.version,
                            by: world.regulator)
                    }) == ["classificationCode"])
            let productVersion = try await ProductModel.find(product.id, on: app.db)?.version
            let answered = try await consultations.decideClassification(
                id: asked.id, outcome: "III", classificationCode: "21-04", text: "软件对病灶给出提示，按第三类管理。", expecting: replied.version,
                by: world.regulator)
            #expect(answered.status == .answered && answered.outcome == .classThree && answered.decidedCode == "21-04")
            #expect(answered.previousClass == .two && answered.messages.last?.body.hasPrefix("界定结论：第三类医疗器械（分类编码 21-04）") == true)
            let changed = try #require(try await ProductModel.find(product.id, on: app.db))
            #expect(changed.managementClass == .three && changed.classificationCode == "21-04" && changed.version == (productVersion ?? 0) + 1)
            let audit = try #require(try await AuditEntryModel.query(on: app.db).filter(\.$action == "product.classification").first())
            #expect(audit.entityID == product.id.uuidString && (audit.before ?? "").contains("\"II\"") && (audit.after ?? "").contains("\"III\""))

            // The outcome only for a classification question.
            let plain = try await consultations.ask(ConsultationUseCaseTests.question(product: product.id), by: world.maker)
            #expect(
                Self.fields(
                    await #expect(throws: UseCaseError.self) {
                        try await consultations.decideClassification(
                            id: plain.id, outcome: "II", classificationCode: nil, text: "理由", expecting: plain.version, by: world.regulator)
                    }) == ["kind"])
            // The enterprise sees its own; another does not.
            await #expect(throws: UseCaseError.notFound(.consultation)) { try await consultations.detail(id: asked.id, by: world.rival) }
        }
    }
}
