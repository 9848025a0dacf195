import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

/// A year's plan as its page and the API show it.
public struct InspectionPlanReport: Sendable {
    public struct Target: Sendable {
        public var facts: PlanTargetFacts
        /// Its inspections due by the end of the year (overdue ones included), earliest first.
        public var dues: [DueInspection]
        /// Its inspections of the year's plan (planned, done, cancelled).
        public var inspections: [InspectionListing]
    }

    public var year: Int
    public var today: CivilDate
    public var policy: InspectionPolicy
    public var targets: [Target]
    /// Dues of one target within the policy's window of each other, proposed as one visit.
    public var combined: [[DueInspection]]
    public var coverage: [MonthCoverage]
    /// Licence inspections not yet carried out, each with whether its visit may be waived.
    public var licence: [LicenceCase] = []

    /// A new manufacturer's licence inspection before its visit, and the waiver's conditions.
    public struct LicenceCase: Sendable {
        public var inspection: UUID
        public var targetName: String
        public var address: String
        public var plannedMonth: YearMonth?
        public var status: InspectionStatus
        public var waiver: LicenceWaiver.Assessment
    }

    /// Targets with something due, overdue ones and the earliest first.
    public var due: [Target] {
        targets.filter { !$0.dues.isEmpty }.sorted { ($0.dues[0].dueBy, $0.facts.target.name) < ($1.dues[0].dueBy, $1.facts.target.name) }
    }

    public var totals: (targets: Int, due: Int, overdue: Int, planned: Int, done: Int) {
        (
            targets.count, coverage.reduce(0) { $0 + $1.required - $1.done }, coverage.reduce(0) { $0 + $1.overdue },
            coverage.reduce(0) { $0 + $1.planned }, coverage.reduce(0) { $0 + $1.done }
        )
    }
}

/// What scheduling a year wrote.
public struct ScheduleOutcome: Sendable, Equatable {
    /// Inspections planned.
    public var planned: Int
    /// Of them, visits that combine several types (应并尽并).
    public var combined: Int

    public init(planned: Int, combined: Int) {
        self.planned = planned
        self.combined = combined
    }
}

/// The full-coverage plan (issue 18 item 2): due days from the policy, coverage by month, combined
/// visits, and the year's inspections planned from it.
public struct InspectionPlanUseCases: Sendable {
    let platform: Platform

    /// Every version of the plan's policy.
    public func policies(by caller: Caller) async throws -> [InspectionPolicy] {
        try caller.require(.readInspectors)
        return try await InspectionStore.policies(on: platform.database)
    }

    /// Puts a version of the policy in force from a day (today or later; one from the same day is
    /// replaced): `city_admin` only, audited.
    public func setPolicy(_ policy: InspectionPolicy, by caller: Caller) async throws -> [InspectionPolicy] {
        try await platform.putPolicy(policy, key: PlatformSetting.Key.inspectionPolicy, audit: "settings.inspection_policy", by: caller)
    }

    /// What a plan is read for: its year, as of a day (whoever reads it: the plan has no scope).
    public struct PlanKey: Hashable, Sendable {
        var year: Int
        var today: CivilDate
    }

    /// The plan of a year (this year unless told), as of today: read once and shared by the readers
    /// that follow until the next write (`Platform.plans`).
    public func plan(year: Int? = nil, by caller: Caller) async throws -> InspectionPlanReport {
        try caller.require(.readInspectors)
        let today = platform.clock.today()
        let year = try Self.year(year, today: today)
        let platform = platform
        return try await platform.plans.value(for: PlanKey(year: year, today: today), of: platform.summaries) {
            var report = try await platform.inspectionPlan.report(
                year: year, today: today, calendar: try await platform.calendar(), on: platform.database)
            report.licence = try await platform.inspectionPlan.licenceCases(on: platform.database)
            return report
        }
    }

    /// The licence inspections not yet carried out (the waiver can still spare their visit), the
    /// eligible ones first.
    private func licenceCases(on db: any Database) async throws -> [InspectionPlanReport.LicenceCase] {
        let open: [InspectionStatus] = [.planned, .staffing, .staffed]
        let models = try await InspectionModel.query(on: db).filter(\.$types == InspectorProfile.stored([InspectionType.licence]))
            .filter(\.$status ~~ open.map(\.rawValue)).sort(\.$plannedMonth).sort(\.$id).all()
        var cases: [InspectionPlanReport.LicenceCase] = []
        for model in models {
            guard let facts = try await InspectionTaskUseCases.waiverFacts(model, on: db) else { continue }
            cases.append(
                InspectionPlanReport.LicenceCase(
                    inspection: try model.requireID(), targetName: model.targetName, address: facts.address,
                    plannedMonth: model.plannedMonth.flatMap(YearMonth.init), status: InspectionStatus(rawValue: model.status) ?? .planned,
                    waiver: LicenceWaiver.assess(facts)))
        }
        return cases.sorted { ($0.waiver.eligible ? 0 : 1) < ($1.waiver.eligible ? 0 : 1) }
    }

    /// The plan as read on `db` (a write's transaction, when planning: read nothing else meanwhile).
    private func report(year: Int, today: CivilDate, calendar: WorkCalendar, on db: any Database) async throws -> InspectionPlanReport {
        let policy = try await InspectionStore.policy(inForceOn: today, on: db)
        let targets = try await InspectionStore.targets(on: db)
        let inspections = try await InspectionStore.inspections(ofYear: year, on: db)
        let byTarget = Dictionary(grouping: inspections, by: \.targetID)
        var all: [DueInspection] = []
        let rows = targets.map { facts in
            let dues = InspectionPlan.dues(facts.target, policy: policy, today: today, calendar: calendar).filter { $0.dueBy.year <= year }
            all += dues
            return InspectionPlanReport.Target(facts: facts, dues: dues, inspections: byTarget[facts.target.id] ?? [])
        }
        return InspectionPlanReport(
            year: year, today: today, policy: policy, targets: rows,
            combined: InspectionPlan.combined(all, withinDays: policy.combineWithinDays, today: today),
            coverage: InspectionPlan.coverage(year: year, dues: all, inspections: inspections.map(\.planned), today: today))
    }

    /// Plans the year: every inspection due by its end that no open planned inspection of the
    /// target covers, one visit for the dues of a target within the policy's window (应并尽并), in
    /// the month of its earliest due (an overdue one this month); one audit row with the counts.
    public func schedule(year: Int? = nil, by caller: Caller) async throws -> ScheduleOutcome {
        try caller.require(.planInspections)
        let today = platform.clock.today()
        let year = try Self.year(year, today: today)
        guard year >= today.year else {
            throw UseCaseError.invalid([FieldProblem("year", "cannot be a year gone by", chinese: "不能为已过去的年份制定检查计划")])
        }
        let calendar = try await platform.calendar()
        // Planning twice at once plans each due once: the second waits for the first, then finds its plan.
        return try await platform.write(by: caller, upsert: true) { write in
            try await InspectionStore.holdPlan(on: write.db)
            let report = try await report(year: year, today: today, calendar: calendar, on: write.db)
            var new: [InspectionStore.NewInspection] = []
            let thisMonth = YearMonth(year: today.year, month: today.month)
            for target in report.targets {
                let covered = Set(target.inspections.filter { $0.status.isBeforeVisit || $0.status == .onSite }.flatMap(\.types))
                let open = target.dues.filter { !covered.contains($0.type) }
                for visit in InspectionPlan.visits(open, withinDays: report.policy.combineWithinDays, today: today) {
                    let first = visit[0]
                    let dueMonth = YearMonth(year: first.dueBy.year, month: first.dueBy.month)
                    let month = [dueMonth, thisMonth].compactMap { $0 }.max().flatMap { $0.year == year ? $0 : YearMonth(year: year, month: 1) }
                    new.append(
                        InspectionStore.NewInspection(
                            target: target.facts, types: visit.map(\.type), source: .plan, status: .planned, plannedMonth: month, dueBy: first.dueBy))
                }
            }
            try await InspectionStore.insertInBulk(new, now: write.now, on: write.db)
            let outcome = ScheduleOutcome(planned: new.count, combined: new.count { $0.types.count > 1 })
            if outcome.planned > 0 {
                try await write.audit(
                    "inspection.plan.schedule", entityType: "inspection_plan", entityID: String(year), before: nil,
                    after: try Audit.json(["planned": String(outcome.planned), "combined": String(outcome.combined)]))
            }
            return outcome
        }
    }

    /// The year asked for, within the calendar's years; this year when none is.
    static func year(_ year: Int?, today: CivilDate) throws -> Int {
        guard let year else { return today.year }
        guard (2000...2100).contains(year) else {
            throw UseCaseError.malformed([FieldProblem("year", "must be between 2000 and 2100", chinese: "年份应在 2000 至 2100 之间")])
        }
        return year
    }
}

extension Platform {
    public var inspectionPlan: InspectionPlanUseCases { InspectionPlanUseCases(platform: self) }
}
