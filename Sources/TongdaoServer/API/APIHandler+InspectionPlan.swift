import Foundation
import TongdaoAPI
import TongdaoCore
import TongdaoStore
import TongdaoUseCases
import Vapor

extension APIHandler {
    /// `GET /api/v1/inspection-plan`
    func getInspectionPlan(_ input: Operations.GetInspectionPlan.Input) async throws -> Operations.GetInspectionPlan.Output {
        let req = try RequestContext.require()
        let report = try await req.platform.inspectionPlan.plan(year: input.query.year, by: try req.requireCaller())
        return .ok(.init(body: .json(try .init(report))))
    }

    /// `POST /api/v1/inspection-plan/{year}/schedule`
    func scheduleInspectionPlan(_ input: Operations.ScheduleInspectionPlan.Input) async throws -> Operations.ScheduleInspectionPlan.Output {
        let req = try RequestContext.require()
        let outcome = try await req.platform.inspectionPlan.schedule(year: input.path.year, by: try req.requireCaller())
        return .ok(.init(body: .json(.init(planned: outcome.planned, combined: outcome.combined))))
    }

    /// `GET /api/v1/settings/inspection-policy`
    func getInspectionPolicy(_ input: Operations.GetInspectionPolicy.Input) async throws -> Operations.GetInspectionPolicy.Output {
        let req = try RequestContext.require()
        let versions = try await req.platform.inspectionPlan.policies(by: try req.requireCaller())
        return .ok(.init(body: .json(Self.policies(versions, today: req.platform.clock.today()))))
    }

    /// `PUT /api/v1/settings/inspection-policy`
    func putInspectionPolicy(_ input: Operations.PutInspectionPolicy.Input) async throws -> Operations.PutInspectionPolicy.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let policy = InspectionPolicy(
            effectiveFrom: body.effectiveFrom, drugTrialInstitutionYears: body.drugTrialInstitutionYears,
            deviceTrialInstitutionYears: body.deviceTrialInstitutionYears, newFilingWorkingDays: body.newFilingWorkingDays,
            keySupervisionMonths: body.keySupervisionMonths,
            manufacturerYears: ["1": body.manufacturerYears._1, "2": body.manufacturerYears._2, "3": body.manufacturerYears._3],
            combineWithinDays: body.combineWithinDays, pastEmployerYears: body.pastEmployerYears,
            task: body.task.map(InspectionTaskPolicy.init) ?? .standard,
            keySupervisionExitCompliant: body.keySupervisionExitCompliant ?? 2)
        let versions = try await req.platform.inspectionPlan.setPolicy(policy, by: try req.requireCaller())
        return .ok(.init(body: .json(Self.policies(versions, today: req.platform.clock.today()))))
    }

    private static func policies(_ versions: [InspectionPolicy], today: CivilDate) -> Components.Schemas.InspectionPolicies {
        .init(inForce: .init(InspectionPolicy.inForce(on: today, among: versions)), versions: versions.map(Components.Schemas.InspectionPolicy.init))
    }
}

extension Components.Schemas.InspectionPolicy {
    init(_ policy: InspectionPolicy) {
        self.init(
            effectiveFrom: policy.effectiveFrom, drugTrialInstitutionYears: policy.drugTrialInstitutionYears,
            deviceTrialInstitutionYears: policy.deviceTrialInstitutionYears, newFilingWorkingDays: policy.newFilingWorkingDays,
            keySupervisionMonths: policy.keySupervisionMonths,
            manufacturerYears: .init(
                _1: policy.manufacturerYears["1"] ?? 0, _2: policy.manufacturerYears["2"] ?? 0, _3: policy.manufacturerYears["3"] ?? 0),
            combineWithinDays: policy.combineWithinDays, pastEmployerYears: policy.pastEmployerYears, task: .init(policy.task),
            keySupervisionExitCompliant: policy.keySupervisionExitCompliant)
    }
}

extension Components.Schemas.InspectionTaskPolicy {
    init(_ task: InspectionTaskPolicy) {
        let rule = task.conclusionRule
        self.init(
            teamSize: task.teamSize, daysPerInspection: task.daysPerInspection, acceptWorkingDays: task.acceptWorkingDays,
            reportWorkingDays: task.reportWorkingDays, rectificationWorkingDays: task.rectificationWorkingDays,
            verifyWorkingDays: task.verifyWorkingDays,
            amberWorkingDays: task.amberWorkingDays,
            conclusionRule: .init(
                compliantMaxSevere: rule.compliantMaxSevere, compliantMaxMajor: rule.compliantMaxMajor, compliantMaxGeneral: rule.compliantMaxGeneral,
                nonCompliantSevere: rule.nonCompliantSevere, nonCompliantMajor: rule.nonCompliantMajor))
    }
}

extension InspectionTaskPolicy {
    init(_ body: Components.Schemas.InspectionTaskPolicy) {
        let rule = body.conclusionRule
        self.init(
            teamSize: body.teamSize, daysPerInspection: body.daysPerInspection, acceptWorkingDays: body.acceptWorkingDays,
            reportWorkingDays: body.reportWorkingDays, rectificationWorkingDays: body.rectificationWorkingDays,
            verifyWorkingDays: body.verifyWorkingDays,
            amberWorkingDays: body.amberWorkingDays,
            conclusionRule: ConclusionRule(
                compliantMaxSevere: rule.compliantMaxSevere, compliantMaxMajor: rule.compliantMaxMajor, compliantMaxGeneral: rule.compliantMaxGeneral,
                nonCompliantSevere: rule.nonCompliantSevere, nonCompliantMajor: rule.nonCompliantMajor))
    }
}

extension Components.Schemas.InspectionPlan {
    init(_ report: InspectionPlanReport) throws {
        let totals = report.totals
        let names = Dictionary(report.targets.map { ($0.facts.target.id, $0.facts.target.name) }, uniquingKeysWith: { first, _ in first })
        self.init(
            year: report.year, asOf: report.today.description,
            totals: .init(targets: totals.targets, due: totals.due, overdue: totals.overdue, planned: totals.planned, done: totals.done),
            coverage: report.coverage.map {
                .init(month: $0.month.description, required: $0.required, planned: $0.planned, done: $0.done, overdue: $0.overdue)
            },
            targets: try report.targets.map { target in
                let facts = target.facts.target
                return .init(
                    id: facts.id.uuidString, kind: try APIEnum.convert(facts.kind), name: facts.name, district: facts.district,
                    dues: try target.dues.map {
                        .init(_type: try APIEnum.convert($0.type), dueBy: $0.dueBy.description, reason: $0.reason, overdue: $0.dueBy < report.today)
                    },
                    inspections: try target.inspections.map {
                        .init(
                            id: $0.id.uuidString, types: try APIEnum.convert($0.types), source: try APIEnum.convert($0.source),
                            status: try APIEnum.convert($0.status), plannedMonth: $0.plannedMonth?.description,
                            completedOn: $0.completedOn?.description)
                    })
            },
            combined: try report.combined.map { visit in
                .init(
                    target: visit[0].target.uuidString, targetName: names[visit[0].target] ?? "", types: try APIEnum.convert(visit.map(\.type)),
                    dueBy: visit[0].dueBy.description)
            },
            licence: try report.licence.map { item in
                .init(
                    inspection: item.inspection.uuidString, targetName: item.targetName, address: item.address,
                    plannedMonth: item.plannedMonth?.description, status: try APIEnum.convert(item.status), waiver: .init(item.waiver))
            })
    }
}

extension Components.Schemas.LicenceWaiver {
    init(_ waiver: LicenceWaiver.Assessment) {
        self.init(
            eligible: waiver.eligible, conditions: waiver.conditions.map { .init(label: $0.label, met: $0.met, detail: $0.detail) },
            basis: waiver.basis?.summary)
    }
}
