import Foundation
import TongdaoAPI
import TongdaoCore
import TongdaoUseCases
import Vapor

// The key-supervision list (issue 18 item 4): thin adapters over `platform.keySupervision`.
extension APIHandler {
    /// `GET /api/v1/key-supervision`
    func listKeySupervision(_ input: Operations.ListKeySupervision.Input) async throws -> Operations.ListKeySupervision.Output {
        let req = try RequestContext.require()
        let caller = try req.requireCaller()
        let query = input.query
        let page = try await req.platform.keySupervision.list(
            status: query.status?.rawValue, all: query.all ?? false, target: query.target, limit: query.limit ?? 50, cursor: query.cursor, by: caller)
        return .ok(.init(body: .json(.init(items: try page.items.map(Components.Schemas.KeySupervisionEntry.init), nextCursor: page.next))))
    }

    /// `POST /api/v1/key-supervision`
    func proposeKeySupervision(_ input: Operations.ProposeKeySupervision.Input) async throws -> Operations.ProposeKeySupervision.Output {
        let req = try RequestContext.require()
        let caller = try req.requireCaller()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let entry = try await req.platform.keySupervision.propose(
            targetKind: body.targetKind.rawValue, targetID: body.targetId, reason: body.reason, by: caller)
        req.entityTag = entry.version
        return .created(.init(body: .json(try .init(entry))))
    }

    /// `POST /api/v1/key-supervision/{id}/decision`
    func decideKeySupervision(_ input: Operations.DecideKeySupervision.Input) async throws -> Operations.DecideKeySupervision.Output {
        let req = try RequestContext.require()
        let caller = try req.requireCaller()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let entry = try await req.platform.keySupervision.decide(
            id: try Self.id(input.path.id, .keySupervision), confirm: body.confirm, reason: body.reason,
            expecting: try EntityTag.version(ifMatch: input.headers.ifMatch), by: caller)
        req.entityTag = entry.version
        return .ok(.init(body: .json(try .init(entry))))
    }
}

extension Components.Schemas.KeySupervisionEntry {
    init(_ entry: KeySupervisionRecord) throws {
        self.init(
            id: entry.id.uuidString, version: entry.version, targetKind: try APIEnum.convert(entry.targetKind), targetId: entry.targetID.uuidString,
            targetName: entry.targetName, district: entry.district, status: try APIEnum.convert(entry.status), statusLabel: entry.status.label,
            reason: entry.reason, inspectionId: entry.inspectionID?.uuidString, proposedOn: entry.proposedOn.description,
            proposedBy: entry.proposedBy,
            decidedOn: entry.decidedOn?.description, decidedBy: entry.decidedBy, decisionReason: entry.decisionReason,
            listedOn: entry.listedOn?.description, removalReason: entry.removalReason, removalProposedOn: entry.removalProposedOn?.description,
            removedOn: entry.removedOn?.description)
    }
}
