import Foundation
import TongdaoAPI
import TongdaoCore
import TongdaoUseCases
import Vapor

extension APIHandler {
    /// `GET /api/v1/supervision/trial-warnings`
    func listTrialWarnings(_ input: Operations.ListTrialWarnings.Input) async throws -> Operations.ListTrialWarnings.Output {
        let req = try RequestContext.require()
        let page = try await req.platform.trials.warnings(
            kind: input.query.kind?.rawValue, status: input.query.status?.rawValue, live: input.query.live, limit: input.query.limit ?? 50,
            cursor: input.query.cursor, by: try req.requireCaller())
        return .ok(.init(body: .json(.init(items: try page.items.map(Components.Schemas.TrialWarning.init), nextCursor: page.next))))
    }

    /// `GET /api/v1/supervision/trial-warnings/{id}`
    func getTrialWarning(_ input: Operations.GetTrialWarning.Input) async throws -> Operations.GetTrialWarning.Output {
        let req = try RequestContext.require()
        let warning = try await req.platform.trials.warning(id: try Self.id(input.path.id, .warning), by: try req.requireCaller())
        req.entityTag = warning.version
        return .ok(.init(body: .json(try .init(warning))))
    }

    /// `PUT /api/v1/supervision/trial-warnings/{id}/assessment`
    func assessTrialWarning(_ input: Operations.AssessTrialWarning.Input) async throws -> Operations.AssessTrialWarning.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let warning = try await req.platform.trials.assess(
            warning: try Self.id(input.path.id, .warning), outcome: body.outcome.rawValue, reason: body.reason,
            expecting: try EntityTag.version(ifMatch: input.headers.ifMatch), by: try req.requireCaller())
        req.entityTag = warning.version
        return .ok(.init(body: .json(try .init(warning))))
    }
}

extension Components.Schemas.TrialWarning {
    init(_ record: TrialWarningRecord) throws {
        self.init(
            id: record.id.uuidString, version: record.version, kind: try APIEnum.convert(record.kind), subjectId: record.subjectID.uuidString,
            subjectName: record.subjectName, subjectDetail: record.subjectDetail, institutionId: record.institutionID?.uuidString,
            institutionName: record.institutionName, level: try APIEnum.convert(record.level), load: record.load, threshold: record.threshold,
            phase: try record.phase.map { try APIEnum.convert($0) }, dueOn: record.dueOn, raisedOn: record.raisedOn, endedOn: record.endedOn,
            live: record.live, message: record.message,
            assessment: try record.assessment.map {
                .init(status: try APIEnum.convert($0.status), reason: $0.reason, assessedBy: $0.assessedBy, assessedAt: $0.assessedAt)
            })
    }
}
