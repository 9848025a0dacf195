import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import Vapor

@Suite("Risk notices and requests for assistance to a partner province, due in working days and answered on the platform")
struct DeltaNoticeUseCaseTests {
    static func fields(_ error: (any Error)?) -> [String] { (error as? UseCaseError)?.problems.map(\.field) ?? [] }

    @Test(
        "sent with a time limit counted on the working-day calendar (across National Day: the adjusted Saturday), amber near its day and red past it; the partner answers once on the version read, another partner gets 404",
        arguments: TestDatabase.enabled)
    func notices(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            try await ReferenceData.load(on: app.db)
            let platform = app.testPlatform(clock: Fixtures.clock)
            let world = try await DeltaFixture.parties(on: platform)
            let link = try await platform.deltaLinks.create(
                DeltaFixture.entrusted(world.enterprises[0].uscc, world.partners[0].uscc), by: Fixtures.caller)
            let notices = platform.deltaNotices
            let jiangsu = try await Fixtures.caller("jiangsu", .partnerRegulator, .province(.jiangsu), on: platform)
            let zhejiang = try await Fixtures.caller("zhejiang", .partnerRegulator, .province(.zhejiang), on: platform)
            let audits = try await AuditEntryModel.query(on: app.db).count()

            var input = DeltaNoticeInput(
                kind: "risk", province: "JS", subject: "受托生产企业环境监测超标", body: "请关注并督促整改。", creditCode: world.partners[0].uscc,
                link: link.id.uuidString, sentOn: "2026-09-30", workingDays: "3")
            var bad = input
            bad.workingDays = "61"
            #expect(Self.fields(await #expect(throws: UseCaseError.self) { try await notices.send(bad, by: Fixtures.caller) }) == ["workingDays"])
            bad = input
            bad.province = "ZJ"
            #expect(Self.fields(await #expect(throws: UseCaseError.self) { try await notices.send(bad, by: Fixtures.caller) }) == ["link"])
            bad = input
            bad.sentOn = "2026-11-24"
            #expect(Self.fields(await #expect(throws: UseCaseError.self) { try await notices.send(bad, by: Fixtures.caller) }) == ["sentOn"])
            await #expect(throws: UseCaseError.forbidden(.writeDelta, role: .partnerRegulator)) { try await notices.send(input, by: jiangsu) }
            #expect(try await AuditEntryModel.query(on: app.db).count() == audits)

            // 30 September + 3 working days: 8 and 9 October, then the adjusted Saturday the 10th.
            let overdue = try await notices.send(input, by: Fixtures.caller)
            #expect(overdue.dueOn == CivilDate("2026-10-10") && overdue.level == .red && overdue.enterpriseName == world.partners[0].name)
            // 16 November + 5 working days is today, 23 November: amber; today + 10 is green.
            input.sentOn = "2026-11-16"
            input.workingDays = "5"
            let near = try await notices.send(input, by: Fixtures.caller)
            #expect(near.dueOn == Fixtures.today && near.level == .amber)
            input.sentOn = nil
            input.workingDays = "10"
            input.kind = "assistance"
            let fresh = try await notices.send(input, by: Fixtures.caller)
            #expect(fresh.sentOn == Fixtures.today && fresh.level == .green && fresh.kind == .assistance)

            #expect(try await notices.list(by: zhejiang).isEmpty)
            await #expect(throws: UseCaseError.notFound(.deltaNotice)) { try await notices.detail(id: overdue.id, by: zhejiang) }
            await #expect(throws: UseCaseError.notFound(.deltaNotice)) {
                try await notices.answer(id: overdue.id, answer: "已核查", expecting: overdue.version, by: zhejiang)
            }
            let regulator = try await Fixtures.caller("regulator", .cityRegulator, .city, on: platform)
            await #expect(throws: UseCaseError.forbidden(.respondDelta, role: .cityRegulator)) {
                try await notices.answer(id: overdue.id, answer: "已核查", expecting: overdue.version, by: regulator)
            }
            #expect(try await notices.list(by: jiangsu).count == 3)
            #expect(try await notices.list(status: "open", by: jiangsu).count == 3)

            let answered = try await notices.answer(id: overdue.id, answer: "已开展有因检查，责令整改。", expecting: overdue.version, by: jiangsu)
            #expect(answered.status == .answered && answered.answeredOn == Fixtures.today && answered.answeredLate && answered.level == nil)
            let twice = await #expect(throws: UseCaseError.self) {
                try await notices.answer(id: overdue.id, answer: "再次", expecting: answered.version, by: jiangsu)
            }
            #expect(Self.fields(twice) == ["answer"])
            #expect(try await notices.list(status: "answered", by: Fixtures.caller).map(\.id) == [overdue.id])
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action ~~ ["delta.notice.send", "delta.notice.answer"]).count() == 4)
        }
    }
}
