import Foundation
import TongdaoAPI
import TongdaoCore
import TongdaoUseCases
import Vapor

extension APIHandler {
    /// `GET /api/v1/users`
    func listUsers(_ input: Operations.ListUsers.Input) async throws -> Operations.ListUsers.Output {
        let req = try RequestContext.require()
        let users = try await req.platform.users.list(by: try req.requireCaller())
        return .ok(.init(body: .json(.init(items: users.map(Components.Schemas.User.init)))))
    }

    /// `POST /api/v1/users`
    func createUser(_ input: Operations.CreateUser.Input) async throws -> Operations.CreateUser.Output {
        let req = try RequestContext.require()
        let caller = try req.requireCaller()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let user = try await req.platform.users.create(
            NewUserInput(
                username: body.username, displayName: body.displayName ?? "", role: body.role, scope: body.scope, password: body.password),
            by: caller)
        return .created(.init(body: .json(.init(user))))
    }

    /// `POST /api/v1/users/{username}/disable`
    func disableUser(_ input: Operations.DisableUser.Input) async throws -> Operations.DisableUser.Output {
        let req = try RequestContext.require()
        let user = try await req.platform.users.disable(username: input.path.username, by: try req.requireCaller())
        return .ok(.init(body: .json(.init(user))))
    }

    /// `PUT /api/v1/users/{username}/password`
    func resetPassword(_ input: Operations.ResetPassword.Input) async throws -> Operations.ResetPassword.Output {
        let req = try RequestContext.require()
        let caller = try req.requireCaller()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        try await req.platform.users.resetPassword(username: input.path.username, to: body.password, by: caller)
        return .noContent(.init())
    }

    /// `GET /api/v1/audit`
    func listAudit(_ input: Operations.ListAudit.Input) async throws -> Operations.ListAudit.Output {
        let req = try RequestContext.require()
        let query = input.query
        let page = try await req.platform.audit.list(
            .init(entity: query.entity, actor: query.actor, from: query.from, to: query.to), limit: query.limit ?? 50, cursor: query.cursor,
            by: try req.requireCaller())
        return .ok(.init(body: .json(.init(items: page.items.map(Components.Schemas.AuditEntry.init), nextCursor: page.next))))
    }
}

extension Components.Schemas.User {
    init(_ record: UserRecord) {
        self.init(
            username: record.username, displayName: record.displayName, role: record.role.rawValue, scope: record.scope.description,
            disabled: record.disabled, createdAt: record.createdAt)
    }
}

extension Components.Schemas.AuditEntry {
    init(_ entry: AuditEntry) {
        self.init(
            id: entry.id.uuidString, at: entry.at, actor: entry.actor, role: entry.role, action: entry.action, entityType: entry.entityType,
            entityId: entry.entityID, before: entry.before, after: entry.after, requestId: entry.requestID, clientAddress: entry.clientAddress)
    }
}
