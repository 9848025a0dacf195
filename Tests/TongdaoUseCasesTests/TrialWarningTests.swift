import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import Vapor

@Suite("Trial warnings: the nightly sweep raises them once, ends them, raises again when worse; the regulator assesses them")
struct TrialWarningTests {
    static let today = TrialTests.today
    static let sweeper = Caller.system("test-sweep")

    /// 王明 at 中山医院 over the threshold (6 active sites, 5 allowed), a pilot trial 60 days past
    /// approval (amber; lead site at 浦东) and one 90 days past (red; lead site at 中山).
    static func scene(_ app: Application) async throws -> (world: TrialTests.World, amber: TrialDetail, red: TrialDetail) {
        let world = try await TrialTests.world(app)
        let trials = world.platform.trials
        for index in 0..<6 { try await activeSite(index, world: world) }
        let amber = try await TrialTests.drugTrial("CTR20263100", sponsor: world.enterprises[0], approvedDaysAgo: 60, pilot: true, on: world.platform)
        _ = try await trials.addSite(
            SiteInput(institutionID: world.pudong.id.uuidString, investigatorID: world.cardiologist.id.uuidString, role: "lead"), to: amber.trial.id,
            by: Fixtures.caller)
        let red = try await TrialTests.drugTrial("CTR20263101", sponsor: world.enterprises[1], approvedDaysAgo: 90, pilot: true, on: world.platform)
        _ = try await trials.addSite(
            SiteInput(institutionID: world.xuhui.id.uuidString, investigatorID: world.oncologist.id.uuidString, role: "lead"), to: red.trial.id,
            by: Fixtures.caller)
        return (world, amber, red)
    }

    static func activeSite(_ index: Int, world: TrialTests.World) async throws {
        let trial = try await TrialTests.drugTrial("CTR2026\(3000 + index)", sponsor: world.enterprises[index % 2], on: world.platform)
        _ = try await world.platform.trials.addSite(
            SiteInput(
                institutionID: world.xuhui.id.uuidString, investigatorID: world.oncologist.id.uuidString, role: "lead",
                ethicsApprovedOn: today.adding(days: -20).description, activatedOn: today.adding(days: -10).description),
            to: trial.trial.id, by: Fixtures.caller)
    }

    static func live(_ platform: Platform) async throws -> [TrialWarningRecord] {
        try await platform.trials.warnings(live: true, limit: 200, by: Fixtures.caller).items
    }

    @Test(
        "raised once a night, ended when the condition is gone, raised again when it grows; the audit trail has each sweep that changed anything",
        arguments: TestDatabase.enabled)
    func sweep(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let (world, amber, red) = try await Self.scene(app)
            let trials = world.platform.trials
            let first = try await trials.sweepWarnings(day: Self.today, by: Self.sweeper)
            #expect(first.overloaded == 1 && first.lateStarts == 2 && first.raised == 3 && first.ended == 0)
            var live = try await Self.live(world.platform)
            let overload = try #require(live.first { $0.kind == .piOverload })
            #expect(overload.subjectID == world.oncologist.id && overload.load == 6 && overload.threshold == 5)
            #expect(overload.subjectName == "王明" && overload.institutionName == "复旦大学附属中山医院")
            #expect(overload.message.contains("6 个在研项目") && overload.assessment?.status == .open)
            let late = try #require(live.first { $0.subjectID == red.trial.id })
            #expect(late.level == .red && late.institutionID == world.xuhui.id && late.dueOn == Self.today.adding(days: -6).description)
            #expect(live.first { $0.subjectID == amber.trial.id }?.level == .amber)
            #expect(
                live.first { $0.subjectID == amber.trial.id }?.institutionID == world.pudong.id, "a late start goes to its lead site's institution")
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "trial.warning.sweep").count() == 1)

            // The next run, on any instance, raises nothing and writes no audit row.
            let again = try await trials.sweepWarnings(day: Self.today, by: Self.sweeper)
            #expect(again.raised == 0 && again.ended == 0)
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "trial.warning.sweep").count() == 1)

            // A seventh site: the PI's warning is superseded by one at 7, to be assessed again.
            try await Self.activeSite(6, world: world)
            let worse = try await trials.sweepWarnings(day: Self.today, by: Self.sweeper)
            #expect(worse.raised == 1 && worse.ended == 1)
            live = try await Self.live(world.platform)
            #expect(live.filter { $0.kind == .piOverload }.map(\.load) == [7])
            #expect(try await trials.warning(id: overload.id, by: Fixtures.caller).endedOn == Self.today.description)

            // The red trial starts: its warning ends. The amber one turns red a month later.
            _ = try await trials.recordStatus("recruiting", on: Self.today.description, trial: red.trial.id, by: Fixtures.caller)
            let started = try await trials.sweepWarnings(day: Self.today, by: Self.sweeper)
            #expect(started.raised == 0 && started.ended == 1 && started.lateStarts == 1)
            let later = try await trials.sweepWarnings(day: Self.today.adding(days: 30), by: Self.sweeper)
            #expect(later.raised == 1 && later.ended == 1)
            live = try await Self.live(world.platform)
            #expect(live.filter { $0.kind == .lateStart }.map(\.level) == [.red])
            #expect(live.count == 2, "one live warning per subject")
            let all = try await trials.warnings(limit: 200, by: Fixtures.caller).items
            #expect(all.count == 5 && all.filter { !$0.live }.count == 3)
            #expect(try await trials.warnings(kind: "late_start", live: false, by: Fixtures.caller).items.count == 2)
        }
    }

    @Test(
        "a phase's limit: a PI over it is on the PI-load list and warned with the phase, though under the threshold over all sites; other phases do not count",
        arguments: TestDatabase.enabled)
    func phaseLimit(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let world = try await TrialTests.world(app)
            let trials = world.platform.trials
            for index in 0..<3 { try await Self.activeSite(index, world: world) }  // three I期 sites
            let later = try await trials.createTrial(
                TrialInput(
                    registrationNumber: "CTR20263200", title: "III 期研究", kind: "drug", phase: "phase_3", sponsor: world.enterprises[0].uscc,
                    approvedOn: Self.today.adding(days: -30).description), by: Fixtures.caller)
            _ = try await trials.addSite(
                SiteInput(
                    institutionID: world.xuhui.id.uuidString, investigatorID: world.oncologist.id.uuidString, role: "lead",
                    ethicsApprovedOn: Self.today.adding(days: -20).description, activatedOn: Self.today.adding(days: -10).description),
                to: later.trial.id, by: Fixtures.caller)
            #expect(try await trials.piLoad(by: Fixtures.caller).overloaded == 0, "4 active sites under the standard 5")

            _ = try await trials.setPolicy(
                PILoadPolicy(threshold: 5, byPhase: [.phase1: 2, .phase3: 1], effectiveFrom: Self.today.description), by: Fixtures.caller)
            let report = try await trials.piLoad(by: Fixtures.caller)
            let listed = try #require(report.investigators.first)
            #expect(report.overloaded == 1 && listed.id == world.oncologist.id && listed.activeSites == 4)
            #expect(listed.excesses == [.init(phase: .phase1, load: 3, limit: 2)], "III期 is at its limit of 1, not over it")
            #expect(listed.phaseLoads.map(\.phase) == [.phase1, .phase3] && listed.phaseLoads.map(\.load) == [3, 1])
            let page = try await trials.investigator(id: world.oncologist.id, by: Fixtures.caller).investigator
            #expect(page.overloaded && page.phaseLoads == listed.phaseLoads)
            let other = try await trials.investigator(id: world.cardiologist.id, by: Fixtures.caller).investigator
            #expect(!other.overloaded && other.phaseLoads.map(\.load) == [0, 0])

            _ = try await trials.sweepWarnings(day: Self.today, by: Self.sweeper)
            let warning = try #require(try await Self.live(world.platform).first { $0.kind == .piOverload })
            #expect(warning.phase == .phase1 && warning.load == 3 && warning.threshold == 2)
            #expect(warning.message.contains("3 个在研I期项目，超过I期预警阈值 2 个"))
        }
    }

    @Test("two sweeps at once raise each warning once and both succeed", arguments: TestDatabase.enabled)
    func concurrent(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let (world, _, _) = try await Self.scene(app)
            let trials = world.platform.trials
            async let a = trials.sweepWarnings(day: Self.today, by: Self.sweeper)
            async let b = trials.sweepWarnings(day: Self.today, by: Self.sweeper)
            let (one, two) = try await (a, b)
            #expect(one.raised + two.raised == 3)
            #expect(try await Self.live(world.platform).count == 3)
        }
    }

    @Test(
        "assessed by the regulator only: dismissed with a reason, or put among the inspection's priorities; refusals name the field; a stale version is refused",
        arguments: TestDatabase.enabled)
    func assessment(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let (world, amber, red) = try await Self.scene(app)
            let trials = world.platform.trials
            _ = try await trials.sweepWarnings(day: Self.today, by: Self.sweeper)
            let regulator = Caller.user(id: UUID(), username: "regulator", role: .cityRegulator, scope: .city)
            let warning = try #require(try await Self.live(world.platform).first { $0.kind == .piOverload })
            func field(_ body: () async throws -> Void) async -> String? {
                do {
                    try await body()
                    return nil
                } catch let error as UseCaseError {
                    return error.problems.first?.field ?? "\(error)"
                } catch {
                    return "\(error)"
                }
            }
            let audited = try await AuditEntryModel.query(on: app.db).count()
            #expect(
                await field {
                    _ = try await trials.assess(warning: warning.id, outcome: "dismissed", reason: " ", expecting: warning.version, by: regulator)
                } == "reason")
            #expect(
                await field {
                    _ = try await trials.assess(warning: warning.id, outcome: "open", reason: "x", expecting: warning.version, by: regulator)
                }
                    == "outcome")
            #expect(
                await field {
                    _ = try await trials.assess(
                        warning: warning.id, outcome: "dismissed", reason: String(repeating: "长", count: 501), expecting: warning.version,
                        by: regulator)
                } == "reason")
            await #expect(throws: UseCaseError.versionRequired(.warning)) {
                try await trials.assess(warning: warning.id, outcome: "focus", reason: nil, expecting: nil, by: regulator)
            }
            let reviewer = Caller.user(id: UUID(), username: "reviewer", role: .reviewer, scope: .city)
            await #expect(throws: UseCaseError.forbidden(.assessTrialWarnings, role: .reviewer)) {
                try await trials.assess(warning: warning.id, outcome: "focus", reason: nil, expecting: warning.version, by: reviewer)
            }
            #expect(try await AuditEntryModel.query(on: app.db).count() == audited, "nothing written")

            let focus = try await trials.assess(warning: warning.id, outcome: "纳入检查重点", reason: nil, expecting: warning.version, by: regulator)
            #expect(focus.assessment?.status == .focus && focus.assessment?.assessedBy != nil && focus.version == warning.version + 1)
            await #expect(throws: UseCaseError.stale(.warning, current: focus.version)) {
                try await trials.assess(warning: warning.id, outcome: "dismissed", reason: "已核实", expecting: warning.version, by: regulator)
            }
            let dismissed = try await trials.assess(
                warning: warning.id, outcome: "dismissed", reason: "已核实：两项为随访期", expecting: focus.version, by: regulator)
            #expect(dismissed.assessment?.status == .dismissed && dismissed.assessment?.reason == "已核实：两项为随访期")
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "trial.warning.assess").count() == 2)
            #expect(try await trials.warnings(status: "dismissed", by: regulator).items.map(\.id) == [warning.id])
            // A dismissed warning stays dismissed while nothing gets worse.
            #expect(try await trials.sweepWarnings(day: Self.today, by: Self.sweeper).raised == 0)

            // The inbox: the regulator's holds what is not assessed yet; the office's its own live ones, without the assessment.
            let inbox = try #require(try await trials.inboxWarnings(by: regulator))
            #expect(inbox.count == 2 && !inbox.contains { $0.id == warning.id })
            let office = Caller.user(
                id: UUID(), username: "xuhui.office", role: .trialInstitutionOfficer, scope: .institution(world.xuhui.id.uuidString))
            let own = try #require(try await trials.inboxWarnings(by: office))
            #expect(Set(own.map(\.subjectID)) == [world.oncologist.id, red.trial.id], "its PI and the trial it leads, not 浦东's")
            #expect(own.allSatisfy { $0.assessment == nil }, "an office is not told whether it is among the inspection's priorities")
            let elsewhere = try #require(try await Self.live(world.platform).first { $0.institutionID == world.pudong.id })
            await #expect(throws: UseCaseError.notFound(.warning)) { try await trials.warning(id: elsewhere.id, by: office) }
            #expect(await field { _ = try await trials.warnings(status: "focus", by: office) } == "status")
            // The industry department counts, it does not read who; a sponsor is told of its own pilot trials late to start, nothing else.
            let industry = Caller.user(id: UUID(), username: "industry", role: .industryOfficer, scope: .city)
            await #expect(throws: UseCaseError.forbidden(.readPILoad, role: .industryOfficer)) { try await trials.warnings(by: industry) }
            let sponsor = Caller.user(id: UUID(), username: "sponsor", role: .enterpriseUser, scope: .enterprise(world.enterprises[0].uscc))
            let sponsored = try #require(try await trials.inboxWarnings(by: sponsor))
            #expect(sponsored.map(\.subjectID) == [amber.trial.id], "its amber trial; not the other sponsor's red one, not a PI")
            #expect(sponsored.allSatisfy { $0.assessment == nil })
            await #expect(throws: UseCaseError.forbidden(.readPILoad, role: .enterpriseUser)) { try await trials.warnings(by: sponsor) }
            let stranger = Caller.user(id: UUID(), username: "stranger", role: .enterpriseUser, scope: .enterprise("91310000000000000X"))
            #expect(try await trials.inboxWarnings(by: stranger)?.isEmpty == true)
            // The sweep is the platform's.
            await #expect(throws: UseCaseError.forbidden(.runDigest, role: .cityRegulator)) {
                try await trials.sweepWarnings(day: Self.today, by: regulator)
            }
        }
    }
}
