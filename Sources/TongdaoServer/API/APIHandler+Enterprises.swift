import Foundation
import TongdaoAPI
import TongdaoCore
import TongdaoUseCases
import Vapor

extension APIHandler {
    /// `GET /api/v1/enterprises`
    func listEnterprises(_ input: Operations.ListEnterprises.Input) async throws -> Operations.ListEnterprises.Output {
        let req = try RequestContext.require()
        let query = input.query
        let page = try await req.platform.enterprises.list(
            .init(district: query.district, park: query.park, text: query.q), limit: query.limit ?? 50, cursor: query.cursor,
            by: try req.requireCaller())
        return .ok(.init(body: .json(.init(items: try page.items.map(Components.Schemas.Enterprise.init), nextCursor: page.next))))
    }

    /// `POST /api/v1/enterprises`
    func createEnterprise(_ input: Operations.CreateEnterprise.Input) async throws -> Operations.CreateEnterprise.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let created = try await req.platform.enterprises.create(
            EnterpriseInput(
                uscc: body.uscc, name: body.name, district: body.district, park: body.park, kind: body.kind.rawValue,
                isStartup: body.isStartup ?? false, contactName: body.contactName, contactPhone: body.contactPhone),
            by: try req.requireCaller())
        req.entityTag = created.version
        return .created(.init(body: .json(try .init(created))))
    }

    /// `GET /api/v1/enterprises/{id}`
    func getEnterprise(_ input: Operations.GetEnterprise.Input) async throws -> Operations.GetEnterprise.Output {
        let req = try RequestContext.require()
        let found = try await req.platform.enterprises.find(id: try Self.id(input.path.id, .enterprise), by: try req.requireCaller())
        req.entityTag = found.version
        return .ok(.init(body: .json(try .init(found))))
    }

    /// `PATCH /api/v1/enterprises/{id}`
    func updateEnterprise(_ input: Operations.UpdateEnterprise.Input) async throws -> Operations.UpdateEnterprise.Output {
        let req = try RequestContext.require()
        let caller = try req.requireCaller()
        let id = try Self.id(input.path.id, .enterprise)
        guard case .json(let patch) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let updated = try await req.platform.enterprises.update(
            id: id,
            EnterpriseInput(
                name: patch.name, district: patch.district, park: patch.park, kind: patch.kind?.rawValue, isStartup: patch.isStartup,
                contactName: patch.contactName, contactPhone: patch.contactPhone),
            expecting: try EntityTag.version(ifMatch: input.headers.ifMatch), by: caller)
        req.entityTag = updated.version
        return .ok(.init(body: .json(try .init(updated))))
    }

    /// A record's id from a path: a text that is no id names no record (the same 404 as a missing one).
    static func id(_ text: String, _ kind: UseCaseError.RecordKind) throws -> UUID {
        guard let id = UUID(uuidString: text) else { throw UseCaseError.notFound(kind) }
        return id
    }
}

extension Components.Schemas.Enterprise {
    init(_ record: EnterpriseRecord) throws {
        self.init(
            id: record.id.uuidString, version: Int64(record.version), uscc: record.uscc, name: record.name, district: record.district,
            park: record.park,
            kind: try APIEnum.convert(record.kind), isStartup: record.isStartup, contactName: record.contactName,
            contactPhone: record.contactPhone, createdAt: record.createdAt, updatedAt: record.updatedAt)
    }
}
