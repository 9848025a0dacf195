import Fluent
import TongdaoAPI
import TongdaoCore
import TongdaoStore
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
        let req = try RequestContext.require()
        var errors: [ProblemDetails.FieldError] = []
        var level: RegionLevel?
        if let raw = input.query.level {
            level = RegionLevel(rawValue: raw)
            if level == nil {
                errors.append(.init(field: "level", message: "must be one of \(RegionLevel.allCases.map(\.rawValue).joined(separator: ", "))"))
            }
        }
        if let parent = input.query.parent {
            if parent.isEmpty || parent.count > 64 {
                errors.append(.init(field: "parent", message: "must be a region code of 1 to 64 characters"))
            } else if try await RegionModel.find(parent, on: req.db) == nil {
                errors.append(.init(field: "parent", message: "no region has the code \(parent)"))
            }
        }
        guard errors.isEmpty else { throw ProblemDetails.badRequest(errors) }
        let regions = try await RegionQueries.list(level: level, parent: input.query.parent, on: req.db)
        return .ok(.init(body: .json(.init(items: regions.map(Components.Schemas.Region.init)))))
    }
}

extension Components.Schemas.Region {
    init(_ region: Region) {
        let level: Components.Schemas.RegionLevel =
            switch region.level {
            case .city: .city
            case .district: .district
            case .park: .park
            }
        self.init(code: region.code, name: region.name, level: level, parentCode: region.parentCode)
    }
}
