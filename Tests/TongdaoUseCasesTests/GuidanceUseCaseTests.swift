import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import Vapor

@Suite("Guidance records: a station's sessions with follow-ups due in working days, on the product's journey; an attended appointment becomes one")
struct GuidanceUseCaseTests {
    static func fields(_ error: (any Error)?) -> [String] { (error as? UseCaseError)?.problems.map(\.field) ?? [] }

    @Test(
        "recorded with follow-ups counted over 国庆 (one due on the worked Saturday); read in scope; counted for the industry department",
        arguments: TestDatabase.enabled)
    func sessions(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let world = try await ConsultationUseCaseTests.world(app)
            let september = app.testPlatform(clock: .starting(on: CivilDate("2026-09-28")!))
            let guidance = september.guidance
            func input(
                enterprise: UUID? = nil, product: UUID? = nil, heldOn: String = "2026-09-28",
                topics: [String] = ["core-patent", "clinical-advantage"], days: String = "5"
            )
                -> GuidanceInput
            {
                GuidanceInput(
                    enterprise: (enterprise ?? world.enterprises[0].id).uuidString, product: product?.uuidString, heldOn: heldOn, mode: "video",
                    attendees: "企业注册负责人；张江工作站冯晨", topics: topics, questions: "核心专利能否支撑创新特别审查申请？", advice: "补充专利检索报告，突出与已上市产品的差异。",
                    followUps: [
                        FollowUpInput(item: "补充专利检索报告", owner: "企业", days: days), FollowUpInput(item: "反馈检验方案意见", owner: "冯晨", days: "2"),
                    ])
            }
            let record = try await guidance.record(input(product: world.products[0].id), by: world.zhangjiang)
            #expect(record.followUps.map(\.dueOn) == [CivilDate("2026-10-10")!, CivilDate("2026-09-30")!], "5 and 2 working days over 国庆")
            #expect(record.desk == "zhangjiang" && record.deskName == "张江工作站" && record.topics.map(\.label) == ["核心专利", "临床优势与临床评价"])

            // Refusals name the field and write nothing.
            let before = try await GuidanceRecordModel.query(on: app.db).count()
            #expect(Self.fields(await #expect(throws: UseCaseError.self) { try await guidance.record(input(), by: world.xuhui) }) == ["enterprise"])
            #expect(
                Self.fields(
                    await #expect(throws: UseCaseError.self) { try await guidance.record(input(topics: [], days: "0"), by: world.zhangjiang) })
                    == ["topics", "followUps[0].days"])
            #expect(
                Self.fields(await #expect(throws: UseCaseError.self) { try await guidance.record(input(heldOn: "2026-10-09"), by: world.zhangjiang) })
                    == ["heldOn"])
            #expect(
                Self.fields(
                    await #expect(throws: UseCaseError.self) {
                        try await guidance.record(input(product: world.products[3].id), by: world.zhangjiang)
                    }) == ["product"])
            await #expect(throws: UseCaseError.forbidden(.recordGuidance, role: .enterpriseUser)) {
                try await guidance.record(input(), by: world.maker)
            }
            #expect(try await GuidanceRecordModel.query(on: app.db).count() == before)

            // Read: the enterprise its own, the district its district's; another enterprise nothing; the industry department counts only.
            #expect(try await guidance.detail(id: record.id, by: world.maker).advice.contains("专利检索报告"))
            #expect(try await guidance.list(by: world.district).map(\.id) == [record.id])
            await #expect(throws: UseCaseError.notFound(.guidance)) { try await guidance.detail(id: record.id, by: world.rival) }
            let industry = try await Fixtures.user("industry", role: .industryOfficer, scope: .city, on: world.platform)
            let officer = Caller.user(id: industry.id, username: "industry", role: .industryOfficer, scope: .city)
            await #expect(throws: UseCaseError.forbidden(.readGuidance, role: .industryOfficer)) { try await guidance.list(by: officer) }
            let counts = try await guidance.counts(year: 2026, by: officer)
            #expect(
                counts.map(\.desk) == ["zhangjiang"] && counts.map(\.month) == ["2026-09"] && counts.map(\.sessions) == [1] && counts[0].products == 1
            )

            // On the product's journey.
            #expect(try await september.products.journey(id: world.products[0].id, by: world.maker).guidance.map(\.id) == [record.id])

            // A follow-up done on 9 October; the other overdue on 12 October.
            let done = try await app.testPlatform(clock: .starting(on: CivilDate("2026-10-09")!)).guidance.completeFollowUp(
                id: record.id, item: 1, expecting: record.version, by: world.zhangjiang)
            #expect(done.followUps[1].doneOn == CivilDate("2026-10-09") && done.followUps[0].overdue(today: CivilDate("2026-10-12")!))
            #expect(try await guidance.list(openOnly: true, by: world.zhangjiang).map(\.id) == [record.id])
            await #expect(throws: UseCaseError.stale(.guidance, current: done.version)) {
                try await guidance.completeFollowUp(id: record.id, item: 0, expecting: record.version, by: world.zhangjiang)
            }
            #expect(
                Self.fields(
                    await #expect(throws: UseCaseError.self) {
                        try await guidance.completeFollowUp(id: record.id, item: 1, expecting: done.version, by: world.zhangjiang)
                    }) == ["item"])
        }
    }

    @Test("an attended appointment becomes a guidance record of its desk, once", arguments: TestDatabase.enabled)
    func fromAttendance(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let world = try await ConsultationUseCaseTests.world(app)
            let appointments = world.platform.appointments
            let slot = try await appointments.publish(
                SlotInput(day: "2026-11-23", startsAt: "16:00", endsAt: "17:00", seats: "2"), by: world.zhangjiang
            )
            .slots[0]
            // Today is the slot's day: booked by the regulator for the enterprise the day before is not possible; the cutoff is 0 here.
            _ = try await world.platform.consultations.setPolicy(
                ServicePolicyInput(
                    effectiveFrom: "2026-11-23", firstResponseDays: "2", resolutionDays: "10", amberFraction: "0.8", escalateAfterDays: "3",
                    classificationDays: "10", appointmentCutoffDays: "0"), by: world.admin)
            let booked = try await appointments.book(
                slot: slot.id, BookingInput(topic: "registration-testing", question: "检验样品怎么选？"), by: world.maker)
            let absent = try await appointments.recordAttendance(
                id: booked.id, status: "absent", note: nil, expecting: booked.version, by: world.zhangjiang)
            #expect(try await GuidanceRecordModel.query(on: app.db).count() == 0, "no session without the enterprise")
            let attended = try await appointments.recordAttendance(
                id: booked.id, status: "attended", note: "建议按典型型号送检。", expecting: absent.version, by: world.zhangjiang)
            _ = try await appointments.recordAttendance(
                id: booked.id, status: "attended", note: "建议按典型型号送检。", expecting: attended.version, by: world.zhangjiang)
            let records = try await world.platform.guidance.list(by: world.maker)
            #expect(records.count == 1 && records[0].appointmentID == booked.id && records[0].advice == "建议按典型型号送检。")
            #expect(
                records[0].heldOn == Fixtures.today && records[0].desk == "zhangjiang" && records[0].topics.map(\.code) == ["registration-testing"])
        }
    }
}
