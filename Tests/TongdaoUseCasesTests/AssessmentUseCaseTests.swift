import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import Vapor

@Suite("The periodic assessments: a station's and a district's year, worked by hand; each reader sees its own rows")
struct AssessmentUseCaseTests {
    @Test("the median: odd and even counts, none")
    func median() {
        #expect(AssessmentMath.median([5, 1, 3]) == 3)
        #expect(AssessmentMath.median([4, 1, 3, 10]) == 3.5)
        #expect(AssessmentMath.median([]) == nil)
        #expect(AssessmentMath.share(1, of: 2) == 0.5 && AssessmentMath.share(0, of: 0) == nil)
    }

    @Test(
        "张江: two sessions for one enterprise and one product, two answers of which one on time, one appointment held, one rating of 4; 浦东: one certificate after 48 working days (清明 and 劳动节 off, 9 May worked), one landing project with one open problem",
        arguments: TestDatabase.enabled)
    func year(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let world = try await ConsultationUseCaseTests.world(app)
            let consultations = world.platform.consultations
            // Asked on 9 October (the early clock), answered on 23 November: 32 working days, past its target.
            let early = app.testPlatform(clock: PlatformClock.starting(on: CivilDate("2026-10-09")!))
            let late = try await early.consultations.ask(ConsultationUseCaseTests.question(product: world.products[0].id), by: world.maker)
            _ = try await consultations.respond(id: late.id, response: "answer", text: "不少于两家。", expecting: late.version, by: world.zhangjiang)
            // Asked and answered today: on time, then rated 4 by the enterprise.
            let prompt = try await consultations.ask(ConsultationUseCaseTests.question(title: "伦理审查"), by: world.maker)
            let answered = try await consultations.respond(
                id: prompt.id, response: "answer", text: "可以。", expecting: prompt.version, by: world.zhangjiang)
            _ = try await consultations.rate(id: prompt.id, rating: 4, comment: nil, expecting: answered.version, by: world.maker)
            // A session about the product, and an appointment attended today (which records a session without a product).
            _ = try await world.platform.guidance.record(
                GuidanceInput(
                    enterprise: world.enterprises[0].id.uuidString, product: world.products[0].id.uuidString, desk: "zhangjiang",
                    heldOn: "2026-11-20",
                    mode: "video", attendees: "注册专员", topics: ["dossier"], questions: "资料目录？", advice: "按指导原则编排。"), by: world.zhangjiang)
            _ = try await consultations.setPolicy(
                ServicePolicyInput(
                    effectiveFrom: "2026-11-23", firstResponseDays: "2", resolutionDays: "10", amberFraction: "0.8", escalateAfterDays: "3",
                    classificationDays: "10", appointmentCutoffDays: "0"), by: world.admin)
            let slot = try await world.platform.appointments.publish(
                SlotInput(day: "2026-11-23", startsAt: "16:00", endsAt: "17:00", seats: "2"), by: world.zhangjiang
            ).slots[0]
            let booked = try await world.platform.appointments.book(
                slot: slot.id, BookingInput(topic: "registration-testing", question: "检验样品怎么选？"), by: world.maker)
            _ = try await world.platform.appointments.recordAttendance(
                id: booked.id, status: "attended", note: "建议按典型型号送检。", expecting: booked.version, by: world.zhangjiang)
            // 浦东: accepted 2 March, approved 12 May; a landing project at 张江 with one problem.
            try await Fixtures.market([world.products[0]], on: world.platform)
            let project = try await world.platform.landing.create(
                LandingProjectInput(product: world.products[0].id.uuidString, district: "310115", site: "张江路 1 号", status: "planned"),
                by: world.regulator)
            _ = try await world.platform.landing.raiseProblem(
                project: project.id, LandingProblemInput(title: "用地", detail: "需新增用地。", owner: "区规划资源局"), by: world.district)

            let report = try await world.platform.assessments.report(year: 2026, by: world.regulator)
            let zhangjiang = try #require(report.stations.first { $0.code == "zhangjiang" })
            #expect(zhangjiang.sessions == 2 && zhangjiang.enterprises == 1 && zhangjiang.products == 1, "\(zhangjiang)")
            #expect(zhangjiang.answered == 2 && zhangjiang.withinTarget == 1 && zhangjiang.shareWithinTarget == 0.5)
            #expect(zhangjiang.appointmentsHeld == 1 && zhangjiang.ratings == 1 && zhangjiang.meanRating == 4)
            #expect(
                report.stations.count == 12 && report.stations.filter { $0.code != "zhangjiang" }.allSatisfy { $0.answered == 0 && $0.sessions == 0 })
            let pudong = try #require(report.districts.first { $0.code == "310115" })
            #expect(pudong.registrations == 1 && pudong.medianReviewDays == 48, "\(pudong)")
            #expect(pudong.landingProjects == 1 && pudong.producing == 0 && pudong.openProblems == 1)
            #expect(report.districts.count == 16)

            // A station sees its own row, a district its own; an enterprise none; a year to come is refused.
            let own = try await world.platform.assessments.report(year: 2026, by: world.zhangjiang)
            #expect(own.stations.map(\.code) == ["zhangjiang"] && own.districts.isEmpty)
            let district = try await world.platform.assessments.report(year: 2026, by: world.district)
            #expect(district.districts.map(\.code) == ["310115"] && district.stations.isEmpty)
            await #expect(throws: UseCaseError.forbidden(.readAssessments, role: .enterpriseUser)) {
                try await world.platform.assessments.report(year: 2026, by: world.maker)
            }
            await #expect(throws: UseCaseError.self) { try await world.platform.assessments.report(year: 2027, by: world.regulator) }
            // The export holds the same figures.
            let sheet = String(decoding: try await world.platform.assessments.export(year: 2026, format: .csv, by: world.regulator), as: UTF8.self)
            #expect(sheet.contains("张江工作站,2,1,1,2,1,50.0%,1,1,4.0") && sheet.contains("浦东新区,0,0,0.0%,1,48.0,1,0,1"), "\(sheet)")
        }
    }
}
