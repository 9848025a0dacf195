import Foundation
import OpenAPIRuntime
import TongdaoAPI
import TongdaoCore
import TongdaoUseCases
import Vapor

extension APIHandler {
    /// `GET /api/v1/assessments`
    func getAssessments(_ input: Operations.GetAssessments.Input) async throws -> Operations.GetAssessments.Output {
        let req = try RequestContext.require()
        let report = try await req.platform.assessments.report(year: input.query.year, by: try req.requireCaller())
        return .ok(
            .init(
                body: .json(
                    .init(
                        year: report.year,
                        stations: report.stations.map { station in
                            .init(
                                code: station.code, name: station.name, sessions: station.sessions, enterprises: station.enterprises,
                                products: station.products, answered: station.answered, withinTarget: station.withinTarget,
                                shareWithinTarget: station.shareWithinTarget, appointmentsHeld: station.appointmentsHeld, ratings: station.ratings,
                                meanRating: station.meanRating)
                        },
                        districts: report.districts.map { district in
                            .init(
                                code: district.code, name: district.name, censusEnterprises: district.censusEnterprises,
                                censusProducts: district.censusProducts, completeness: district.completeness, registrations: district.registrations,
                                medianReviewDays: district.medianReviewDays, landingProjects: district.landingProjects, producing: district.producing,
                                openProblems: district.openProblems)
                        }))))
    }
}
