import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

/// Demo mode (`serve --demo`, `seed --demo`): a generated city in an empty database, written as the
/// platform's other writes are (audit rows included), in one transaction.
public struct DemoUseCases: Sendable {
    let platform: Platform

    /// Seeds the demo data unless the database holds demo data already or data of its own. Call it
    /// after the schema is migrated and the reference data loaded.
    public func seedIfEmpty(by caller: Caller) async throws -> DemoData.Outcome {
        try caller.require(.manageUsers)
        if let state = try await DemoData.state(on: platform.database) { return state }
        let hash = try await platform.credentials.hashPassword(DemoData.password)
        let today = platform.clock.today()
        let outcome = try await platform.write(by: caller) { write in
            if let state = try await DemoData.state(on: write.db) { return state }
            for draft in DemoData.enterprises {
                let model = try await EnterpriseStore.insert(draft, on: write.db)
                try await write.audit(
                    "enterprise.create", entityType: "enterprise", entityID: try model.requireID().uuidString, before: nil,
                    after: try Audit.json(draft))
            }
            // Trials first: the institution office's account names its institution.
            _ = try await DemoTrials.generate(today: today, now: write.now, by: caller.audit, on: write.db)
            var accounts: [String: UUID] = [:]
            for user in DemoData.users {
                let model = try await UserStore.insert(
                    username: user.username, displayName: user.displayName, passwordHash: hash, role: user.role, scope: user.scope, on: write.db)
                accounts[user.username] = model.id
                try await write.audit(
                    "user.create", entityType: "user", entityID: user.username, before: nil,
                    after: try Audit.json(
                        UserAudit(displayName: user.displayName, role: user.role.rawValue, scope: user.scope.description, disabled: false)))
            }
            // The inspector corps at its real size, the demo inspector the first of them.
            let inspectors = try await DemoInspectors.generate(today: today, now: write.now, linking: accounts["inspector"], on: write.db)
            try await write.audit(
                "demo.inspectors", entityType: "inspector", entityID: "*", before: nil, after: try Audit.json(["inspectors": String(inspectors)]))
            // The city's census, year by year, through the same bulk import districts use.
            for (year, records) in DemoCity.census(currentYear: today.year) {
                let plan = try await CensusStore.plan(
                    records, sheetProblems: [], rowsRead: records.count, year: year, scope: .everything, updatesProducts: true, dryRun: false,
                    submittedBy: caller.audit.name, now: write.now, on: write.db)
                try await CensusStore.apply(plan, on: write.db)
                if plan.writes {
                    try await write.audit("census.import", entityType: "census", entityID: String(year), before: nil, after: try plan.auditSummary)
                }
            }
            // A few hundred applications in every state, on the census's device products.
            _ = try await DemoApplications.generate(count: DemoData.applicationCount, today: today, now: write.now, by: caller.audit, on: write.db)
            // The inspections of the years before and of this year, for the plan to stand on.
            let inspections = try await DemoInspections.generate(today: today, now: write.now, on: write.db)
            try await write.audit(
                "demo.inspections", entityType: "inspection", entityID: "*", before: nil, after: try Audit.json(["inspections": String(inspections)]))
            try await DemoData.markSeeded(now: write.now, on: write.db)
            return DemoData.Outcome.seeded
        }
        if outcome == .seeded { try await seedWarnings(today: today, by: caller) }
        return outcome
    }

    /// The next version of the PI-load policy, in force from the first of next month (today's figures
    /// stay the standard policy's): 肿瘤科 allowed 6, and at most 3 active I期 sites. Then today's
    /// trial warnings, as the nightly sweep raises them, and two of them assessed: one put among the
    /// inspection's priorities, one dismissed with its reason; the rest wait in the regulator's inbox.
    private func seedWarnings(today: CivilDate, by caller: Caller) async throws {
        let trials = platform.trials
        let next = CivilDate(year: today.month == 12 ? today.year + 1 : today.year, month: today.month % 12 + 1, day: 1) ?? today
        _ = try await trials.setPolicy(
            PILoadPolicy(threshold: 5, bySpecialty: ["肿瘤科": 6], byPhase: [.phase1: 3], effectiveFrom: next.description), by: caller)
        _ = try await trials.sweepWarnings(day: today, by: caller)
        let open = try await trials.warnings(live: true, limit: 200, by: caller).items
        if let overloaded = open.first(where: { $0.kind == .piOverload }) {
            _ = try await trials.assess(
                warning: overloaded.id, outcome: TrialWarningOutcome.focus.rawValue, reason: "同期承担项目明显超出阈值，且含 I 期试验，纳入本年度机构检查重点",
                expecting: overloaded.version, by: caller)
        }
        if let late = open.first(where: { $0.kind == .lateStart }) {
            _ = try await trials.assess(
                warning: late.id, outcome: TrialWarningOutcome.dismissed.rawValue, reason: "申办者已报告：方案修订后重新伦理审查，首例入组推迟，材料已核实",
                expecting: late.version, by: caller)
        }
    }
}

extension Platform {
    public var demo: DemoUseCases { DemoUseCases(platform: self) }
}
