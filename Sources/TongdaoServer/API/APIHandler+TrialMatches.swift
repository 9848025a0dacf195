import Foundation
import TongdaoAPI
import TongdaoCore
import TongdaoUseCases
import Vapor

extension APIHandler {
    /// `GET /api/v1/products/{id}/trial-matches`
    func getProductTrialMatches(_ input: Operations.GetProductTrialMatches.Input) async throws -> Operations.GetProductTrialMatches.Output {
        let req = try RequestContext.require()
        let id = try Self.id(input.path.id, .product)
        let outcome = try await req.platform.trials.matches(product: id, by: try req.requireCaller())
        return .ok(
            .init(
                body: .json(
                    .init(
                        productId: id.uuidString, kind: try APIEnum.convert(outcome.need.trial.kind), specialties: outcome.need.specialties,
                        basis: outcome.need.basis, notApplicable: outcome.need.notApplicable,
                        matches: try outcome.matches.map { match in
                            .init(
                                rank: match.rank, institutionId: match.institutionID.uuidString, name: match.name,
                                grade: try APIEnum.convert(match.grade),
                                specialties: match.specialties.map { .init(name: $0.name, filedOn: $0.filedOn) }, investigators: match.investigators,
                                available: match.available, qualified: match.qualified, times: .init(match.times), overallTimes: match.overallTimes,
                                lastInspection: try match.lastInspection.map {
                                    .init(
                                        closedOn: $0.closedOn.description, types: try APIEnum.convert($0.types),
                                        conclusion: try APIEnum.convert($0.conclusion))
                                }, explanation: match.explanation)
                        }, full: outcome.full))))
    }
}
