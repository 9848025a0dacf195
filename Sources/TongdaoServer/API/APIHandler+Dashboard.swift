import Foundation
import TongdaoAPI
import TongdaoCore
import TongdaoUseCases
import Vapor

extension APIHandler {
    /// `GET /api/v1/dashboard/summary`
    func getDashboardSummary(_ input: Operations.GetDashboardSummary.Input) async throws -> Operations.GetDashboardSummary.Output {
        let req = try RequestContext.require()
        let summary = try await req.platform.dashboard.summary(district: input.query.district, strict: true, by: try req.requireCaller())
        return .ok(.init(body: .json(try .init(summary))))
    }
}

extension Components.Schemas.DashboardSummary {
    init(_ summary: DashboardSummary) throws {
        let figures = summary.figures
        func change(_ value: DashboardFigures.Change) -> Components.Schemas.DashboardChange {
            .init(current: value.current, previous: value.previous)
        }
        self.init(
            year: figures.year, asOf: figures.asOf.description, scope: summary.scopeLabel,
            censusEnterprises: change(figures.censusEnterprises), censusProducts: change(figures.censusProducts),
            applicationsInReview: figures.applicationsInReview, approvals: change(figures.approvals),
            nationalInnovativeServed: change(figures.nationalInnovativeServed),
            nationalInnovativeApproved: change(figures.nationalInnovativeApproved),
            consultationsAnswered: change(figures.consultationsAnswered),
            pipeline: try DevelopmentStage.allCases.map {
                .init(stage: try APIEnum.convert($0), label: $0.label, count: figures.productsByStage[$0] ?? 0)
            },
            acceptedByMonth: figures.acceptedByMonth.map { .init(month: $0.month.description, count: $0.count) },
            authorities: ApplicationAuthority.allCases.map {
                .init(
                    authority: $0.rawValue, label: $0.label, open: figures.openByAuthority[$0] ?? 0,
                    acceptedThisYear: figures.acceptedThisYearByAuthority[$0] ?? 0)
            },
            class2Reviews: summary.class2Reviews.map {
                .init(quarter: $0.label, completed: $0.completed, averageWorkingDays: $0.averageWorkingDays, limit: $0.limit)
            },
            levels: .init(amber: figures.amber, red: figures.red),
            keyAreas: try KeyArea.allCases.map {
                .init(keyArea: try APIEnum.convert($0), label: $0.label, count: figures.productsByKeyArea[$0] ?? 0)
            },
            districts: summary.districts.sorted { $0.code < $1.code }.compactMap { region in
                figures.districts[region.code].map {
                    .init(code: region.code, name: region.name, pipeline: $0.pipeline, approvals: $0.approvals, overdue: $0.overdue)
                }
            }, trials: try .init(summary.trials, districts: summary.districts))
    }
}

extension Components.Schemas.DashboardTrials {
    init(_ panel: TrialPanel, districts: [Region]) throws {
        self.init(
            total: panel.trials,
            byPhase: try TrialPhase.allCases.map { .init(phase: try APIEnum.convert($0), label: $0.label, count: panel.byPhase[$0] ?? 0) },
            byStatus: try TrialStatus.allCases.map { .init(status: try APIEnum.convert($0), label: $0.label, count: panel.byStatus[$0] ?? 0) },
            institutions: districts.sorted { $0.code < $1.code }.compactMap { region in
                panel.institutionsByDistrict[region.code].map { .init(code: region.code, name: region.name, count: $0) }
            }, institutionsElsewhere: panel.institutionsElsewhere, overloadedInvestigators: panel.overloadedInvestigators,
            lateStarts: panel.lateCount,
            late: panel.late.map {
                .init(
                    id: $0.id.uuidString, registrationNumber: $0.registrationNumber, title: $0.title, approvedOn: $0.approvedOn.description,
                    daysOver: $0.daysOver)
            })
    }
}
