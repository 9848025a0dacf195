import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import Vapor

@Suite("The inspection plan: the year's dues from the registry and the history, planned once, under a policy held as data")
struct InspectionPlanUseCaseTests {
    static let today = Fixtures.today

    /// Two institutions and the fixtures' three manufacturers (Class II products): 中山 inspected on
    /// 14 May 2025 for both its filings, with a specialty filed on 17 August 2026 since; 浦东 inspected
    /// on 2 April 2026.
    static func world(_ app: Application) async throws -> (platform: Platform, zhongshan: UUID, pudong: UUID) {
        try await ReferenceData.load(on: app.db)
        let platform = app.testPlatform(clock: .starting(on: today))
        _ = try await Fixtures.enterprisesAndProducts(on: platform)
        let zhongshan = try await platform.trials.createInstitution(
            InstitutionInput(
                name: "复旦大学附属中山医院", code: "12310000425005166U", district: "310104", grade: "3a", drugFilingNumber: "药物临床机构备字2019001",
                drugFiledOn: "2019-12-20", deviceFilingNumber: "械临机构备201900013", deviceFiledOn: "2021-03-01",
                specialties: [SpecialtyInput(name: "肿瘤科", filedOn: "2019-12-20"), SpecialtyInput(name: "心血管内科", filedOn: "2026-08-17")]),
            by: Fixtures.caller)
        let pudong = try await platform.trials.createInstitution(
            InstitutionInput(
                name: "上海市浦东新区人民医院", code: "12310115425034091X", district: "310115", grade: "2a", drugFilingNumber: "药物临床机构备字2020017",
                drugFiledOn: "2020-06-01"), by: Fixtures.caller)
        let targets = try await InspectionStore.targets(on: app.db)
        func facts(_ id: UUID) throws -> InspectionStore.TargetFacts { try #require(targets.first { $0.target.id == id }) }
        try await InspectionStore.insertInBulk(
            [
                .init(
                    target: try facts(zhongshan.id), types: [.drugTrialInstitution, .deviceTrialInstitution], source: .plan, status: .completed,
                    plannedMonth: YearMonth("2025-05"), dueBy: CivilDate("2025-12-31"), completedOn: CivilDate("2025-05-14")),
                .init(
                    target: try facts(pudong.id), types: [.drugTrialInstitution], source: .plan, status: .completed,
                    plannedMonth: YearMonth("2026-04"),
                    dueBy: CivilDate("2026-12-31"), completedOn: CivilDate("2026-04-02")),
            ], now: platform.clock.now(), on: app.db)
        return (platform, zhongshan.id, pudong.id)
    }

    @Test("a year's plan is read once and shared until the next write, which the next reader sees", arguments: TestDatabase.enabled)
    func sharedPlan(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let (platform, _, _) = try await Self.world(app)
            let first = try await platform.inspectionPlan.plan(by: Fixtures.caller)
            let again = try await platform.inspectionPlan.plan(by: Fixtures.caller)
            #expect(platform.plans.loads == 1 && again.targets.count == first.targets.count)
            _ = try await platform.inspectionPlan.plan(year: 2027, by: Fixtures.caller)
            #expect(platform.plans.loads == 2, "another year is another plan")
            let outcome = try await platform.inspectionPlan.schedule(by: Fixtures.caller)
            let after = try await platform.inspectionPlan.plan(by: Fixtures.caller)
            #expect(platform.plans.loads == 3)
            #expect(after.targets.reduce(0) { $0 + $1.inspections.count } == first.targets.reduce(0) { $0 + $1.inspections.count } + outcome.planned)
        }
    }

    @Test(
        "the benchmark's scale (small here): the targets brought to a size, institutions to theirs, history for the new ones only, then planned",
        arguments: TestDatabase.enabled)
    func scale(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let (platform, zhongshan, _) = try await Self.world(app)
            let before = try await InspectionModel.query(on: app.db).count()
            let summary = try await InspectionScale.generate(
                .init(targets: 40, institutions: 6), today: Self.today, now: platform.clock.now(), by: .commandLine("test"), on: app.db)
            #expect(summary.institutions == 4 && summary.manufacturers == 31 && summary.inspections > 40)
            let targets = try await InspectionStore.targets(on: app.db)
            #expect(targets.count == 40 && targets.count { $0.target.kind == .trialInstitution } == 6)
            #expect(try await InspectionModel.query(on: app.db).count() == before + summary.inspections)
            #expect(try await InspectionModel.query(on: app.db).filter(\.$targetID == zhongshan).count() == 1, "the old targets' history as it was")
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "seed.inspections").count() == 1)
            let outcome = try await platform.inspectionPlan.schedule(by: Fixtures.caller)
            #expect(outcome.planned > 0)
        }
    }

    @Test("the year's dues, combined visits and coverage; planned once, each visit in the month of its earliest due", arguments: TestDatabase.enabled)
    func planAndSchedule(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let (platform, zhongshan, pudong) = try await Self.world(app)
            let plan = try await platform.inspectionPlan.plan(by: Fixtures.caller)
            #expect(plan.year == 2026 && plan.targets.count == 5)
            let dues = Dictionary(uniqueKeysWithValues: plan.targets.map { ($0.facts.target.id, $0.dues) })
            // 中山: its new specialty within 60 working days of 17 August (13 November, overdue), its
            // drug filing by the year's end; the device filing not until the end of 2027.
            #expect(dues[zhongshan]?.map(\.type) == [.newFiling, .drugTrialInstitution])
            #expect(dues[zhongshan]?.map(\.dueBy) == [CivilDate("2026-11-13")!, CivilDate("2026-12-31")!])
            #expect(dues[pudong] == [], "inspected this year")
            let manufacturers = plan.targets.filter { $0.facts.target.kind == .enterprise }
            #expect(manufacturers.count == 3 && manufacturers.allSatisfy { $0.dues.map(\.dueBy) == [CivilDate("2026-12-31")!] })
            #expect(plan.combined.count == 1 && plan.combined[0].map(\.type) == [.newFiling, .drugTrialInstitution])
            let totals = plan.totals
            #expect(totals.targets == 5 && totals.due == 5 && totals.overdue == 1 && totals.planned == 0 && totals.done == 1)
            #expect(plan.coverage[3].done == 1 && plan.coverage[10].overdue == 1 && plan.coverage[11].required == 4)

            let outcome = try await platform.inspectionPlan.schedule(by: Fixtures.caller)
            #expect(outcome == ScheduleOutcome(planned: 4, combined: 1))
            #expect(try await platform.inspectionPlan.schedule(by: Fixtures.caller) == ScheduleOutcome(planned: 0, combined: 0), "once only")
            let after = try await platform.inspectionPlan.plan(by: Fixtures.caller)
            let visit = try #require(after.targets.first { $0.facts.target.id == zhongshan }?.inspections.first { $0.status == .planned })
            #expect(visit.types == [.drugTrialInstitution, .newFiling] && visit.plannedMonth == YearMonth("2026-11"), "overdue: this month")
            #expect(after.totals.planned == 4 && after.coverage[10].planned == 1 && after.coverage[11].planned == 3)
            let audit = try await AuditEntryModel.query(on: app.db).filter(\.$action == "inspection.plan.schedule").all()
            #expect(audit.count == 1 && audit.first?.entityID == "2026" && audit.first?.after?.contains("\"planned\":\"4\"") == true)
            // The next year: the device filing and the rest, planned in their months.
            let next = try await platform.inspectionPlan.plan(year: 2027, by: Fixtures.caller)
            #expect(next.targets.first { $0.facts.target.id == zhongshan }?.dues.map(\.type).contains(.deviceTrialInstitution) == true)
        }
    }

    @Test(
        "who may: inspectors read the plan, the regulator plans, a district does neither; a year gone by is not planned",
        arguments: TestDatabase.enabled)
    func access(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let (platform, _, _) = try await Self.world(app)
            let regulator = try await Fixtures.user("regulator", role: .cityRegulator, scope: .city, on: platform)
            let inspector = try await Fixtures.user("inspector", role: .inspector, scope: .city, on: platform)
            let district = try await Fixtures.user("pudong", role: .districtOfficer, scope: .district("310115"), on: platform)
            func caller(_ user: UserRecord) -> Caller { .user(id: user.id, username: user.username, role: user.role, scope: user.scope) }
            #expect(try await platform.inspectionPlan.plan(by: caller(inspector)).targets.count == 5)
            await #expect(throws: UseCaseError.forbidden(.planInspections, role: .inspector)) {
                _ = try await platform.inspectionPlan.schedule(by: caller(inspector))
            }
            await #expect(throws: UseCaseError.forbidden(.readInspectors, role: .districtOfficer)) {
                _ = try await platform.inspectionPlan.plan(by: caller(district))
            }
            do {
                _ = try await platform.inspectionPlan.schedule(year: 2025, by: caller(regulator))
                Issue.record("planned a year gone by")
            } catch let error as UseCaseError {
                #expect(error.problems.map(\.field) == ["year"])
            }
            #expect(try await platform.inspectionPlan.schedule(by: caller(regulator)).planned == 4)
        }
    }

    @Test("the policy is data: a version from a day, city_admin only, audited; the plan follows it", arguments: TestDatabase.enabled)
    func policy(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let (platform, zhongshan, _) = try await Self.world(app)
            let regulator = try await Fixtures.user("regulator", role: .cityRegulator, scope: .city, on: platform)
            var faster = InspectionPolicy.standard
            faster.effectiveFrom = Self.today.description
            faster.deviceTrialInstitutionYears = 1
            faster.manufacturerYears = ["1": 4, "2": 3, "3": 1]
            await #expect(throws: UseCaseError.forbidden(.writeProcedure, role: .cityRegulator)) {
                _ = try await platform.inspectionPlan.setPolicy(
                    faster, by: .user(id: regulator.id, username: regulator.username, role: .cityRegulator, scope: .city))
            }
            var bad = faster
            bad.combineWithinDays = 400
            await #expect(throws: UseCaseError.self) { _ = try await platform.inspectionPlan.setPolicy(bad, by: Fixtures.caller) }
            #expect(try await platform.inspectionPlan.setPolicy(faster, by: Fixtures.caller).count == 1)
            let plan = try await platform.inspectionPlan.plan(by: Fixtures.caller)
            // Every year for device institutions now: 中山's device filing is due by the end of 2026 too.
            #expect(plan.targets.first { $0.facts.target.id == zhongshan }?.dues.map(\.type).contains(.deviceTrialInstitution) == true)
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "settings.inspection_policy").count() == 1)
        }
    }

    @Test("planning at once from several places plans each due once, never a fault", arguments: TestDatabase.enabled)
    func race(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let (platform, _, _) = try await Self.world(app)
            let outcomes = try await withThrowingTaskGroup(of: ScheduleOutcome.self) { group in
                for _ in 0..<6 { group.addTask { try await platform.inspectionPlan.schedule(by: Fixtures.caller) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.map(\.planned).reduce(0, +) == 4 && outcomes.filter { $0.planned > 0 }.count == 1)
            #expect(try await InspectionModel.query(on: app.db).filter(\.$status == InspectionStatus.planned.rawValue).count() == 4)
        }
    }
}
