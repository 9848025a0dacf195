import Fluent
import Foundation
import TongdaoAPI
import TongdaoCore
import TongdaoStore
import Vapor

extension APIHandler {
    /// `GET /api/v1/users`
    func listUsers(_ input: Operations.ListUsers.Input) async throws -> Operations.ListUsers.Output {
        let req = try RequestContext.require()
        _ = try req.requireUser(allowedTo: .manageUsers)
        let users = try await UserStore.list(on: req.db)
        return .ok(.init(body: .json(.init(items: users.map(Components.Schemas.User.init)))))
    }

    /// `POST /api/v1/users`
    func createUser(_ input: Operations.CreateUser.Input) async throws -> Operations.CreateUser.Output {
        let req = try RequestContext.require()
        _ = try req.requireUser(allowedTo: .manageUsers)
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let request = UserAdministration.NewUser(username: body.username, role: body.role, scope: body.scope, password: body.password)
        let user = try await UserAdministration.create(request, on: req)
        return .created(.init(body: .json(.init(user))))
    }

    /// `POST /api/v1/users/{username}/disable`
    func disableUser(_ input: Operations.DisableUser.Input) async throws -> Operations.DisableUser.Output {
        let req = try RequestContext.require()
        _ = try req.requireUser(allowedTo: .manageUsers)
        let user = try await UserAdministration.disable(input.path.username, on: req)
        return .ok(.init(body: .json(.init(user))))
    }

    /// `PUT /api/v1/users/{username}/password`
    func resetPassword(_ input: Operations.ResetPassword.Input) async throws -> Operations.ResetPassword.Output {
        let req = try RequestContext.require()
        _ = try req.requireUser(allowedTo: .manageUsers)
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        try await UserAdministration.resetPassword(input.path.username, to: body.password, on: req)
        return .noContent(.init())
    }

    /// `GET /api/v1/audit`
    func listAudit(_ input: Operations.ListAudit.Input) async throws -> Operations.ListAudit.Output {
        let req = try RequestContext.require()
        _ = try req.requireUser(allowedTo: .readAudit)
        let query = input.query
        let filter = try AuditView.filter(entity: query.entity, actor: query.actor, from: query.from, to: query.to)
        let after = try Self.idCursor(query.cursor)
        let page = try await Audit.list(filter, limit: query.limit ?? 50, after: after, on: req.db)
        return .ok(
            .init(
                body: .json(
                    .init(
                        items: page.entries.map(Components.Schemas.AuditEntry.init), nextCursor: page.next.map { PageCursor(id: $0).token }))))
    }
}

/// User administration shared by the API and the admin pages: the same checks, the same problems.
enum UserAdministration {
    struct NewUser: Sendable {
        var username: String
        var role: String
        var scope: String
        var password: String
    }

    /// Validates every field (all problems at once), hashes the password and creates the user.
    static func create(_ new: NewUser, on req: Request) async throws -> UserModel {
        var errors: [ProblemDetails.FieldError] = []
        if !UserStore.isValidUsername(new.username) {
            errors.append(.init(field: "username", message: "must be 3–64 characters of a–z, 0–9, . _ -"))
        }
        let role = Role(rawValue: new.role)
        if role == nil {
            errors.append(.init(field: "role", message: "must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))"))
        }
        var scope: Scope?
        do {
            scope = try Scope.parse(new.scope)
        } catch {
            errors.append(.init(field: "scope", message: error.description))
        }
        if let problem = PasswordRules.problem(with: new.password) {
            errors.append(.init(field: "password", message: problem))
        }
        guard errors.isEmpty, let role, let scope else { throw ProblemDetails.unprocessable(errors) }
        let hash = try await req.password(hashing: new.password)
        do {
            return try await UserStore.create(username: new.username, passwordHash: hash, role: role, scope: scope, by: req.auditActor, on: req.db)
        } catch let problem as UserStore.Problem {
            throw ProblemDetails(problem)
        }
    }

    static func disable(_ username: String, on req: Request) async throws -> UserModel {
        do {
            try await UserStore.disable(username: username, by: req.auditActor, on: req.db)
        } catch let problem as UserStore.Problem {
            throw ProblemDetails(problem)
        }
        guard let user = try await UserStore.find(username: username, on: req.db) else { throw ProblemDetails.status(.notFound) }
        return user
    }

    static func resetPassword(_ username: String, to password: String, on req: Request) async throws {
        guard try await UserStore.find(username: username, on: req.db) != nil else {
            throw ProblemDetails(UserStore.Problem.noSuchUser(username))
        }
        if let problem = PasswordRules.problem(with: password) { throw ProblemDetails.unprocessable(field: "password", problem) }
        let hash = try await req.password(hashing: password)
        do {
            try await UserStore.resetPassword(username: username, passwordHash: hash, by: req.auditActor, on: req.db)
        } catch let problem as UserStore.Problem {
            throw ProblemDetails(problem)
        }
    }
}

extension Request {
    /// bcrypt at the configured cost, off the event loop.
    func password(hashing password: String) async throws -> String {
        let cost = application.tongdaoConfiguration.bcryptCost
        return try await application.threadPool.runIfActive { try Credentials.hashPassword(password, cost: cost) }
    }
}

extension ProblemDetails {
    init(_ problem: UserStore.Problem) {
        switch problem {
        case .invalidUsername: self = .unprocessable(field: "username", problem.description)
        case .duplicateUsername: self = .conflict(field: "username", "is taken", detail: problem.description)
        case .scopeDoesNotFitRole, .unknownRegion: self = .unprocessable(field: "scope", problem.description)
        case .noSuchUser: self = .status(.notFound, detail: "No user has this name.")
        }
    }
}

/// Reading the audit trail: the filter both the API and the page take.
enum AuditView {
    /// `entity` is a type (`enterprise`) or a type and id (`enterprise:…`); `from` and `to` are
    /// Shanghai days, both inclusive.
    static func filter(entity: String?, actor: String?, from: String?, to: String?) throws -> Audit.Filter {
        var filter = Audit.Filter(actor: actor.nonEmpty)
        if let entity = entity.nonEmpty {
            let parts = entity.split(separator: ":", maxSplits: 1).map(String.init)
            filter.entityType = parts[0]
            filter.entityID = parts.count == 2 ? parts[1] : nil
        }
        var errors: [ProblemDetails.FieldError] = []
        func start(of text: String?, field: String, dayOffset: Int) -> Date? {
            guard let text = text.nonEmpty else { return nil }
            guard let day = CivilDate(text) else {
                errors.append(.init(field: field, message: "must be a date YYYY-MM-DD"))
                return nil
            }
            return Date(timeIntervalSince1970: TimeInterval((day.dayNumber + dayOffset) * 86_400 - 8 * 3_600))
        }
        filter.from = start(of: from, field: "from", dayOffset: 0)
        filter.to = start(of: to, field: "to", dayOffset: 1)
        guard errors.isEmpty else { throw ProblemDetails.badRequest(errors) }
        return filter
    }
}

extension Components.Schemas.User {
    init(_ model: UserModel) {
        self.init(
            username: model.username, role: model.role.rawValue, scope: model.scope.description, disabled: model.disabled, createdAt: model.createdAt)
    }
}

extension Components.Schemas.AuditEntry {
    init(_ entry: AuditEntryModel) {
        self.init(
            id: entry.id?.uuidString ?? "", at: entry.at, actor: entry.actor, role: entry.role, action: entry.action,
            entityType: entry.entityType, entityId: entry.entityID, before: entry.before, after: entry.after,
            requestId: entry.requestID, clientAddress: entry.clientAddress)
    }
}
