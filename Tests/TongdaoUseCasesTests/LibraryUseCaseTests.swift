import Fluent
import FluentSQL
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import Vapor

@Suite(
    "The FAQ and case library: drawn from answered consultations without what identifies the enterprise, reviewed by another, found in other words")
struct LibraryUseCaseTests {
    static func fields(_ error: (any Error)?) -> [String] { (error as? UseCaseError)?.problems.map(\.field) ?? [] }

    /// An answered consultation of the maker's (its station 张江), whose question and answer name
    /// the enterprise, its product, a telephone number and an e-mail address.
    static func answered(_ world: ConsultationUseCaseTests.World) async throws -> ConsultationRecord {
        let consultations = world.platform.consultations
        let maker = world.enterprises[0].name
        let asked = try await consultations.ask(
            ConsultationInput(
                product: world.products[0].id.uuidString, topic: "dossier", title: "示例产品 0 申请创新特别审查的资料",
                question: "\(maker)的示例产品 0 拟申请创新医疗器械特别审查，需要准备哪些资料？联系人电话 13912345678，邮箱 rd@example.com。"),
            by: world.maker)
        return try await consultations.respond(
            id: asked.id, response: "answer", text: "请准备专利证明、研发综述和产品创新的证明性文件。如有疑问请致电 021-64001234。",
            expecting: asked.version, by: world.zhangjiang)
    }

    @Test(
        "drawn from a consultation with the enterprise taken out; unreviewed, self-reviewed or still identifying: refused at the field, nothing written; published, found, counted, taken down",
        arguments: TestDatabase.enabled)
    func lifecycle(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let world = try await ConsultationUseCaseTests.world(app)
            let library = world.platform.library
            let source = try await Self.answered(world)

            // What a station starts from: the names, numbers and addresses taken out.
            let prefilled = try await library.draftFrom(consultation: source.id, by: world.zhangjiang)
            let text = [prefilled.title, prefilled.question, prefilled.answer].compactMap { $0 }.joined(separator: "\n")
            #expect(!text.contains(world.enterprises[0].name) && !text.contains("示例产品 0") && !text.contains("13912345678"))
            #expect(!text.contains("rd@example.com") && !text.contains("64001234"))
            #expect(prefilled.question?.contains("某企业的某产品 拟申请创新医疗器械特别审查") == true, "\(prefilled.question ?? "")")
            #expect(prefilled.topic == "dossier" && prefilled.consultation == source.id.uuidString)
            // Another station's officer cannot draw from it (not in its scope); an enterprise may not write.
            #expect(Self.fields(await #expect(throws: UseCaseError.self) { try await library.draft(prefilled, by: world.xuhui) }) == ["consultation"])
            await #expect(throws: UseCaseError.forbidden(.writeLibrary, role: .enterpriseUser)) {
                try await library.draft(prefilled, by: world.maker)
            }

            // Published without review: refused at `status`, nothing written.
            let entries = try await LibraryEntryModel.query(on: app.db).count()
            let audits = try await AuditEntryModel.query(on: app.db).count()
            var published = prefilled
            published.status = "published"
            #expect(Self.fields(await #expect(throws: UseCaseError.self) { try await library.draft(published, by: world.zhangjiang) }) == ["status"])
            #expect(try await LibraryEntryModel.query(on: app.db).count() == entries)
            #expect(try await AuditEntryModel.query(on: app.db).count() == audits)

            // A draft naming the enterprise again (the station typed it back in).
            var careless = prefilled
            careless.answer = "\(world.enterprises[0].name)可先预约工作站辅导。"
            let draft = try await library.draft(careless, by: world.zhangjiang)
            #expect(draft.status == .draft && draft.desk == "张江工作站" && draft.consultationID == source.id)
            // Unseen by those who do not write entries, and by another station.
            await #expect(throws: UseCaseError.notFound(.libraryEntry)) { try await library.detail(id: draft.id, by: world.maker) }
            await #expect(throws: UseCaseError.notFound(.libraryEntry)) { try await library.detail(id: draft.id, by: world.xuhui) }
            #expect(try await library.queue(by: world.xuhui).isEmpty)
            #expect(try await library.queue(by: world.regulator).map(\.id) == [draft.id])
            let seen = try await library.detail(id: draft.id, by: world.regulator)
            #expect(seen.leaks.map(\.what).contains("企业名称"))

            // Review: the station may not publish; unconfirmed, still identifying, or by its author: refused.
            await #expect(throws: UseCaseError.forbidden(.publishLibrary, role: .stationOfficer)) {
                try await library.publish(id: draft.id, reviewed: true, note: nil, expecting: draft.version, by: world.zhangjiang)
            }
            #expect(
                Self.fields(
                    await #expect(throws: UseCaseError.self) {
                        try await library.publish(id: draft.id, reviewed: false, note: nil, expecting: draft.version, by: world.regulator)
                    }) == ["reviewed", "answer"])
            let mended = try await library.revise(id: draft.id, prefilled, expecting: draft.version, by: world.regulator)
            let own = try await library.draft(
                LibraryEntryInput(
                    kind: "case", title: "分类界定在先，少走弯路", question: "企业按第二类申报后被要求按第三类管理。", answer: "类别不确定时先申请分类界定。", topic: "classification"),
                by: world.regulator)
            #expect(
                Self.fields(
                    await #expect(throws: UseCaseError.self) {
                        try await library.publish(id: own.id, reviewed: true, note: nil, expecting: own.version, by: world.regulator)
                    }) == ["reviewer"])
            #expect(try await library.search(text: "创新审查", by: world.maker).isEmpty, "nothing published yet")
            let live = try await library.publish(id: mended.id, reviewed: true, note: "已核对", expecting: mended.version, by: world.admin)
            #expect(live.status == .published && live.reviewer == "admin" && live.publishedOn == Fixtures.today)
            _ = try await library.publish(id: own.id, reviewed: true, note: nil, expecting: own.version, by: world.admin)

            // Found in other words, by any signed-in user; filtered by kind; counted when read.
            let found = try await library.search(text: "想申请创新产品审查，要准备什么材料", by: world.rival)
            #expect(found.first?.id == live.id)
            #expect(found.first?.consultationID == nil, "the source is not shown to an enterprise")
            #expect(try await library.search(text: "产品类别拿不准怎么办？分类", by: world.maker).first?.id == own.id)
            #expect(try await library.search(text: "创新审查", kind: "case", by: world.maker).allSatisfy { $0.kind == .caseStudy })
            #expect(try await library.search(by: world.maker).count == 2)
            _ = try await library.detail(id: live.id, counting: true, by: world.maker)
            let read = try await library.detail(id: live.id, counting: true, by: world.rival)
            #expect(read.views == 2 && read.version == live.version, "a reading is counted, the entry's version stays")

            // A stale change is 409; a change to a published entry sends it back to review, out of the search.
            await #expect(throws: UseCaseError.self) {
                try await library.revise(id: live.id, prefilled, expecting: mended.version, by: world.zhangjiang)
            }
            await #expect(throws: UseCaseError.self) { try await library.revise(id: own.id, prefilled, expecting: nil, by: world.zhangjiang) }
            let back = try await library.revise(id: live.id, prefilled, expecting: live.version, by: world.zhangjiang)
            #expect(back.status == .draft && back.reviewer == nil)
            #expect(try await library.search(text: "创新审查资料", by: world.maker).map(\.id) == [])
            let again = try await library.publish(id: back.id, reviewed: true, note: nil, expecting: back.version, by: world.regulator)
            #expect(try await library.search(text: "创新审查资料", by: world.maker).map(\.id) == [again.id])

            // Taken down: found no more, its keys' counts back to what the other entry holds.
            let down = try await library.withdraw(id: again.id, reason: "规定已修订", expecting: again.version, by: world.regulator)
            #expect(down.status == .withdrawn)
            #expect(try await library.search(text: "创新审查资料", by: world.maker).isEmpty)
            await #expect(throws: UseCaseError.notFound(.libraryEntry)) { try await library.detail(id: again.id, by: world.maker) }
            let counted = try await (app.db as! any SQLDatabase).raw(
                "SELECT CAST(SUM(entries) AS BIGINT) AS n FROM library_gram_counts WHERE gram <> ''"
            ).first()?
            .decode(column: "n", as: Int.self)
            let postings = try await (app.db as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM library_grams").first()?.decode(
                column: "n", as: Int.self)
            #expect(counted == postings && counted == SearchGrams.entryKeys(title: own.title, body: "\(own.question)\n\(own.answer)").count)
            let publishedCount = try await (app.db as! any SQLDatabase).raw("SELECT entries FROM library_gram_counts WHERE gram = ''").first()?
                .decode(column: "entries", as: Int.self)
            #expect(publishedCount == 1, "the count of published entries follows publishing and taking down")

            let actions = try await AuditEntryModel.query(on: app.db).filter(\.$entityType == "library_entry").all().map(\.action)
            #expect(
                actions.sorted() == [
                    "library.draft", "library.draft", "library.publish", "library.publish", "library.publish", "library.revise", "library.revise",
                    "library.withdraw",
                ])
        }
    }
}
