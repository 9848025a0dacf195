import Foundation
import TongdaoCore
import TongdaoUseCases
import Vapor

/// `/admin/users`: the same use cases as the API, with field errors in Chinese.
enum UserAdminController {
    struct NewUserForm: Content {
        var username: String?
        var displayName: String?
        var role: String?
        var scope: String?
        var password: String?
    }

    struct PasswordForm: Content {
        var password: String?
    }

    /// `GET /admin/users`
    @Sendable static func list(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .manageUsers)
        let notice = req.query[String.self, at: "done"].flatMap { done -> String? in
            switch done {
            case "created": "用户已创建。"
            case "disabled": "用户已停用，其所有会话和令牌已失效。"
            case "password": "密码已重置，该用户的所有会话和令牌已失效。"
            default: nil
            }
        }
        return HTMLResponse.ok(AdminPages.users(try await req.platform.users.list(by: caller), notice: notice, viewer: viewer))
    }

    /// `GET /admin/users/new`
    @Sendable static func new(req: Request) async throws -> Response {
        let (viewer, _) = try req.requireViewer(allowedTo: .manageUsers)
        return HTMLResponse.ok(AdminPages.newUser(.init(), viewer: viewer))
    }

    /// `POST /admin/users`
    @Sendable static func create(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let form = try req.content.decode(NewUserForm.self)
        do {
            _ = try await req.platform.users.create(
                .init(
                    username: form.username ?? "", displayName: form.displayName ?? "", role: form.role ?? "", scope: form.scope ?? "",
                    password: form.password ?? ""), by: caller)
            return req.redirect(to: SiteURL.users.path + "?done=created", redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty {
            var model = AdminPages.UserFormModel()
            model.username.value = form.username ?? ""
            model.displayName.value = form.displayName ?? ""
            model.role.value = form.role ?? ""
            model.scope.value = form.scope ?? ""
            let messages = refusal.fieldMessages
            model.username.error = messages["username"]
            model.displayName.error = messages["displayName"]
            model.role.error = messages["role"]
            model.scope.error = messages["scope"]
            model.password.error = messages["password"]
            return HTMLResponse.page(AdminPages.newUser(model, viewer: viewer), status: refusal.status)
        }
    }

    /// `POST /admin/users/:username/disable`
    @Sendable static func disable(req: Request) async throws -> Response {
        let (_, caller) = try req.requireViewer()
        try CSRF.verify(req)
        try await req.platform.users.disable(username: req.parameters.get("username") ?? "", by: caller)
        return req.redirect(to: SiteURL.users.path + "?done=disabled", redirectType: .normal)
    }

    /// `GET /admin/users/:username/password`
    @Sendable static func passwordForm(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .manageUsers)
        let user = try await req.platform.users.find(username: req.parameters.get("username") ?? "", by: caller)
        return HTMLResponse.ok(AdminPages.resetPassword(username: user.username, field: passwordField(), viewer: viewer))
    }

    /// `POST /admin/users/:username/password`
    @Sendable static func resetPassword(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let username = req.parameters.get("username") ?? ""
        let form = try req.content.decode(PasswordForm.self)
        do {
            try await req.platform.users.resetPassword(username: username, to: form.password ?? "", by: caller)
            return req.redirect(to: SiteURL.users.path + "?done=password", redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty {
            var field = passwordField()
            field.error = refusal.fieldMessages["password"]
            return HTMLResponse.page(AdminPages.resetPassword(username: username, field: field, viewer: viewer), status: refusal.status)
        }
    }

    private static func passwordField() -> Forms.Field {
        Forms.Field(name: "password", label: "新密码", hint: "至少 10 个字符", required: true)
    }
}

/// `/audit`: the audit trail, newest first.
enum AuditController {
    static let pageSize = 100

    /// `GET /audit`
    @Sendable static func list(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readAudit)
        let entity = req.query[String.self, at: "entity"] ?? "", actor = req.query[String.self, at: "actor"] ?? ""
        let from = req.query[String.self, at: "from"] ?? "", to = req.query[String.self, at: "to"] ?? ""
        var errors: [String: String] = [:]
        var entries: [AuditEntry] = []
        var nextQuery: String?
        do {
            let page = try await req.platform.audit.list(
                .init(
                    entity: AuditVocabulary.entityFilter(entity), actor: actor.isEmpty || actor.contains(":") ? actor : "user:" + actor, from: from,
                    to: to), limit: pageSize, cursor: req.query[String.self, at: "cursor"], by: caller)
            entries = page.items
            nextQuery = page.next.flatMap {
                SiteURL.query([("entity", entity), ("actor", actor), ("from", from), ("to", to), ("cursor", $0)])
            }
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty {
            errors = refusal.fieldMessages
        }
        let model = AdminPages.AuditModel(entries: entries, entity: entity, actor: actor, from: from, to: to, errors: errors, nextQuery: nextQuery)
        return HTMLResponse.page(AdminPages.audit(model, viewer: viewer), status: errors.isEmpty ? .ok : .badRequest)
    }
}
