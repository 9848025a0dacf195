import Fluent
import Foundation
import TongdaoAPI
import TongdaoCore
import TongdaoStore
import Vapor

extension APIHandler {
    /// `GET /api/v1/enterprises`
    func listEnterprises(_ input: Operations.ListEnterprises.Input) async throws -> Operations.ListEnterprises.Output {
        let req = try RequestContext.require()
        let user = try req.requireUser(allowedTo: .readEnterprises)
        let cursor = try Self.cursor(input.query.cursor, parts: 2)
        let filter = EnterpriseStore.ListFilter(district: input.query.district, park: input.query.park, text: input.query.q)
        let page = try await EnterpriseStore.list(filter, scope: user.scopeFilter, limit: input.query.limit ?? 50, after: cursor, on: req.db)
        return .ok(.init(body: .json(.init(items: page.items.map(Components.Schemas.Enterprise.init), nextCursor: page.next?.token))))
    }

    /// `POST /api/v1/enterprises`
    func createEnterprise(_ input: Operations.CreateEnterprise.Input) async throws -> Operations.CreateEnterprise.Output {
        let req = try RequestContext.require()
        let user = try req.requireUser(allowedTo: .writeEnterprises)
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let draft = EnterpriseDraft(
            uscc: body.uscc, name: body.name, district: body.district, park: body.park.nonEmpty,
            kind: EnterpriseKind(body.kind), isStartup: body.isStartup ?? false,
            contactName: body.contactName.nonEmpty, contactPhone: body.contactPhone.nonEmpty)
        let model = try await EnterpriseStore.create(draft, scope: user.scopeFilter, by: req.auditActor, on: req.db)
        return .created(.init(body: .json(.init(model))))
    }

    /// `GET /api/v1/enterprises/{id}`
    func getEnterprise(_ input: Operations.GetEnterprise.Input) async throws -> Operations.GetEnterprise.Output {
        let req = try RequestContext.require()
        let user = try req.requireUser(allowedTo: .readEnterprises)
        let model = try await Self.enterprise(input.path.id, in: user.scopeFilter, on: req.db)
        return .ok(.init(body: .json(.init(model))))
    }

    /// `PATCH /api/v1/enterprises/{id}`
    func updateEnterprise(_ input: Operations.UpdateEnterprise.Input) async throws -> Operations.UpdateEnterprise.Output {
        let req = try RequestContext.require()
        let user = try req.requireUser()
        // Existence is checked before the role, so a read-only role learns nothing it could not read.
        let model = try await Self.enterprise(input.path.id, in: user.scopeFilter, on: req.db)
        try user.ensureAllowed(.writeEnterprises)
        guard case .json(let patch) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        var draft = model.draft
        if let name = patch.name { draft.name = name }
        if let district = patch.district { draft.district = district }
        if let park = patch.park { draft.park = park.isEmpty ? nil : park }
        if let kind = patch.kind { draft.kind = EnterpriseKind(kind) }
        if let isStartup = patch.isStartup { draft.isStartup = isStartup }
        if let contactName = patch.contactName { draft.contactName = contactName.isEmpty ? nil : contactName }
        if let contactPhone = patch.contactPhone { draft.contactPhone = contactPhone.isEmpty ? nil : contactPhone }
        try await EnterpriseStore.update(model, to: draft, scope: user.scopeFilter, by: req.auditActor, on: req.db)
        return .ok(.init(body: .json(.init(model))))
    }

    /// The enterprise with this id in the scope, or the same 404 for a missing one and a hidden one.
    static func enterprise(_ id: String, in scope: ScopeFilter, on db: any Database) async throws -> EnterpriseModel {
        guard let uuid = UUID(uuidString: id), let model = try await EnterpriseStore.find(id: uuid, scope: scope, on: db) else {
            throw ProblemDetails.status(.notFound, detail: "No enterprise has this id.")
        }
        return model
    }

    /// Decodes a `cursor` query parameter, or answers 400 naming it.
    static func cursor(_ token: String?, parts: Int) throws -> PageCursor? {
        guard let token else { return nil }
        guard let cursor = PageCursor(token: token, count: parts) else { throw badCursor }
        return cursor
    }

    /// Decodes the `cursor` of a list paged by id, or answers 400 naming it.
    static func idCursor(_ token: String?) throws -> UUID? {
        guard let token else { return nil }
        guard let id = PageCursor.id(fromToken: token) else { throw badCursor }
        return id
    }

    static var badCursor: ProblemDetails { .badRequest(field: "cursor", "is not a cursor this list returned") }
}

extension ProblemDetails {
    /// 422 naming each field of a draft that is at fault.
    static func unprocessable(_ problems: [FieldProblem]) -> ProblemDetails {
        unprocessable(problems.map { FieldError(field: $0.field, message: $0.message) })
    }
}

extension EnterpriseStore.Problem: ProblemDetailsConvertible {
    var problemDetails: ProblemDetails {
        switch self {
        case .invalid(let problems):
            return .unprocessable(problems)
        case .duplicateUSCC:
            return .conflict(field: "uscc", "is registered already", detail: description)
        case .outsideScope(let field):
            var forbidden = ProblemDetails.forbidden(description)
            forbidden.errors = [.init(field: field, message: "is outside your scope")]
            return forbidden
        }
    }
}

extension AuthenticatedUser {
    /// The user's scope, resolved for filtering queries.
    var scopeFilter: ScopeFilter { ReferenceData.filter(for: scope) }
}

extension EnterpriseKind {
    init(_ kind: Components.Schemas.EnterpriseKind) {
        self = EnterpriseKind(rawValue: kind.rawValue) ?? .registrant
    }
}

extension Optional where Wrapped == String {
    /// nil for an absent or empty string: optional form fields and JSON strings alike.
    var nonEmpty: String? {
        guard let self, !self.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        return self
    }
}

extension Components.Schemas.Enterprise {
    init(_ model: EnterpriseModel) {
        self.init(
            id: model.id?.uuidString ?? "", uscc: model.uscc, name: model.name, district: model.district, park: model.park,
            kind: Components.Schemas.EnterpriseKind(rawValue: model.kind.rawValue) ?? .registrant, isStartup: model.isStartup,
            contactName: model.contactName, contactPhone: model.contactPhone, createdAt: model.createdAt, updatedAt: model.updatedAt)
    }
}
