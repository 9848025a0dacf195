import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import Vapor

@Suite("Landing projects: an approved product's site in scope, moved forward only, its problems raised and resolved at a meeting")
struct LandingUseCaseTests {
    static func fields(_ error: (any Error)?) -> [String] { (error as? UseCaseError)?.problems.map(\.field) ?? [] }

    @Test(
        "recorded by the district for a marketed product only, in its own district; seen in scope; forward only on the version read; problems raised, resolved at a meeting that took the project up, once; every write audited",
        arguments: TestDatabase.enabled)
    func lifecycle(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let world = try await ConsultationUseCaseTests.world(app)
            try await Fixtures.market([world.products[0]], on: world.platform)
            let landing = world.platform.landing
            let industryUser = try await Fixtures.user("industry", role: .industryOfficer, scope: .city, on: world.platform)
            let industry = Caller.user(id: industryUser.id, username: industryUser.username, role: .industryOfficer, scope: .city)
            let site = LandingProjectInput(
                product: world.products[0].id.uuidString, district: "310115", park: "zhangjiang", site: "张江路 1 号标准厂房", status: "planned",
                plannedOn: "2027-06-30", investment: "5000")
            let audits = try await AuditEntryModel.query(on: app.db).count()

            // Not yet approved; another district's site; a park not in the district; a bad figure: refused at the field, nothing written.
            var unapproved = site
            unapproved.product = world.products[1].id.uuidString
            #expect(
                Self.fields(await #expect(throws: UseCaseError.self) { try await landing.create(unapproved, by: world.regulator) }) == ["product"])
            var elsewhere = site
            elsewhere.district = "310104"
            elsewhere.park = nil
            #expect(Self.fields(await #expect(throws: UseCaseError.self) { try await landing.create(elsewhere, by: world.district) }) == ["district"])
            var wrongPark = site
            wrongPark.park = "caohejing"
            wrongPark.investment = "很多"
            let refused = Self.fields(await #expect(throws: UseCaseError.self) { try await landing.create(wrongPark, by: world.regulator) })
            #expect(Set(refused) == ["park", "investment"], "\(refused)")
            #expect(try await LandingProjectModel.query(on: app.db).count() == 0)
            #expect(try await AuditEntryModel.query(on: app.db).count() == audits)

            let project = try await landing.create(site, by: world.district)
            #expect(project.status == .planned && project.districtName == "浦东新区" && project.investment == 5_000 && project.certificate != nil)
            // In scope: the enterprise its own, the city's side; not another enterprise, not a station.
            #expect(try await landing.list(by: world.maker).map(\.id) == [project.id])
            #expect(try await landing.list(by: world.rival).isEmpty)
            await #expect(throws: UseCaseError.notFound(.landingProject)) { try await landing.detail(id: project.id, by: world.rival) }
            await #expect(throws: UseCaseError.forbidden(.readLanding, role: .stationOfficer)) { try await landing.list(by: world.zhangjiang) }

            // Forward only; on the version read; producing dates itself.
            var building = site
            building.status = "building"
            let moved = try await landing.update(id: project.id, building, expecting: project.version, by: world.maker)
            #expect(moved.status == .building && moved.version == 2)
            await #expect(throws: UseCaseError.stale(.landingProject, current: 2)) {
                try await landing.update(id: project.id, building, expecting: project.version, by: world.district)
            }
            var back = site
            back.status = "planned"
            #expect(
                Self.fields(await #expect(throws: UseCaseError.self) { try await landing.update(id: project.id, back, expecting: 2, by: industry) })
                    == ["status"])
            var producing = site
            producing.status = "producing"
            #expect(try await landing.update(id: project.id, producing, expecting: 2, by: industry).producingOn == Fixtures.today)

            // A problem: due before today refused; raised by the district; the district may not resolve it.
            let late = LandingProblemInput(title: "洁净厂房验收滞后", detail: "第三方检测排期较晚。", owner: "区生态环境局", dueOn: "2026-11-01")
            #expect(
                Self.fields(
                    await #expect(throws: UseCaseError.self) { try await landing.raiseProblem(project: project.id, late, by: world.district) }) == [
                        "dueOn"
                    ])
            var problem = late
            problem.dueOn = "2026-12-15"
            let raised = try await landing.raiseProblem(project: project.id, problem, by: world.district)
            let open = try #require(raised.problems.first)
            #expect(raised.openProblems == 1 && open.raisedBy == "pudong" && !open.overdue)
            await #expect(throws: UseCaseError.forbidden(.manageLanding, role: .districtOfficer)) {
                try await landing.resolveProblem(
                    project: project.id, problem: open.id, resolution: "已验收", meeting: nil, expecting: 1, by: world.district)
            }

            // A meeting: none of its projects named is refused; held today on this project; resolves the problem, once.
            #expect(
                Self.fields(
                    await #expect(throws: UseCaseError.self) {
                        try await landing.recordMeeting(
                            LandingMeetingInput(heldOn: "2026-11-20", subject: "会商", attendees: "市经信委", decisions: "决定"), by: industry)
                    }) == ["projects"])
            let meeting = try await landing.recordMeeting(
                LandingMeetingInput(
                    heldOn: "2026-11-20", subject: "第一次落地会商", attendees: "市经信委、市药监局", decisions: "区生态环境局两周内完成检测。", projects: [project.id.uuidString]),
                by: industry)
            #expect(meeting.projects.map(\.id) == [project.id] && meeting.projects.first?.productName == "示例产品 0")
            let resolved = try await landing.resolveProblem(
                project: project.id, problem: open.id, resolution: "已完成检测和验收。", meeting: meeting.id.uuidString, expecting: open.version, by: industry)
            #expect(resolved.openProblems == 0 && resolved.problems.first?.meetingSubject == "第一次落地会商" && resolved.meetings.map(\.id) == [meeting.id])
            await #expect(throws: UseCaseError.self) {
                try await landing.resolveProblem(project: project.id, problem: open.id, resolution: "再次", meeting: nil, expecting: 2, by: industry)
            }
            #expect(try await landing.meetings(by: world.maker).map(\.id) == [meeting.id])
            #expect(try await landing.meetings(by: world.rival).isEmpty)

            let actions = try await AuditEntryModel.query(on: app.db).filter(
                \.$action ~~ ["landing.create", "landing.update", "landing.problem", "landing.resolve", "landing.meeting"]
            ).all().map(\.action)
            #expect(
                actions.sorted() == ["landing.create", "landing.meeting", "landing.problem", "landing.resolve", "landing.update", "landing.update"])
        }
    }
}
