import Fluent
import TongdaoAPI
import TongdaoCore
import TongdaoUseCases
import Vapor

/// Implements the generated `/api/v1` server. Handlers decode nothing themselves: the generated
/// code hands them typed input; bad input is answered by throwing `ProblemDetails`.
struct APIHandler: APIProtocol {
    let readiness: Readiness

    /// `GET /healthz`
    func getHealth(_ input: Operations.GetHealth.Input) async throws -> Operations.GetHealth.Output {
        .ok(.init(body: .json(.init(status: "ok"))))
    }

    /// `GET /readyz`
    func getReadiness(_ input: Operations.GetReadiness.Input) async throws -> Operations.GetReadiness.Output {
        let req = try RequestContext.require()
        guard await readiness.check(req.db, logger: req.logger) else {
            throw ProblemDetails(
                type: ProblemDetails.typeURI("database-unavailable"), title: "Database unavailable",
                status: .serviceUnavailable, detail: "The database does not answer; the instance is not ready.")
        }
        return .ok(.init(body: .json(.init(status: "ok"))))
    }

    /// `GET /api/v1/regions`
    func listRegions(_ input: Operations.ListRegions.Input) async throws -> Operations.ListRegions.Output {
        let regions = try await RequestContext.require().platform.reference.regions(level: input.query.level, parent: input.query.parent)
        return .ok(.init(body: .json(.init(items: try regions.map(Components.Schemas.Region.init)))))
    }
}

extension Components.Schemas.Region {
    init(_ region: Region) throws {
        self.init(code: region.code, name: region.name, level: try APIEnum.convert(region.level), parentCode: region.parentCode)
    }
}
