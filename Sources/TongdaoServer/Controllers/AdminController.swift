import Fluent
import Foundation
import TongdaoCore
import TongdaoStore
import Vapor

/// `/admin/users`: the same `UserAdministration` as the API, with field errors in Chinese.
enum UserAdminController {
    struct NewUserForm: Content {
        var username: String?
        var role: String?
        var scope: String?
        var password: String?
    }

    struct PasswordForm: Content {
        var password: String?
    }

    /// `GET /admin/users`
    @Sendable static func list(req: Request) async throws -> Response {
        let (viewer, _) = try req.requireViewer(allowedTo: .manageUsers)
        let notice = req.query[String.self, at: "done"].flatMap { done -> String? in
            switch done {
            case "created": "用户已创建。"
            case "disabled": "用户已停用，其所有会话和令牌已失效。"
            case "password": "密码已重置，该用户的所有会话和令牌已失效。"
            default: nil
            }
        }
        return HTMLResponse.ok(AdminPages.users(try await UserStore.list(on: req.db), notice: notice, viewer: viewer))
    }

    /// `GET /admin/users/new`
    @Sendable static func new(req: Request) async throws -> Response {
        let (viewer, _) = try req.requireViewer(allowedTo: .manageUsers)
        return HTMLResponse.ok(AdminPages.newUser(.init(), viewer: viewer))
    }

    /// `POST /admin/users`
    @Sendable static func create(req: Request) async throws -> Response {
        let (viewer, _) = try req.requireViewer(allowedTo: .manageUsers)
        try CSRF.verify(req)
        let form = try req.content.decode(NewUserForm.self)
        var model = AdminPages.UserFormModel()
        model.username.value = form.username ?? ""
        model.role.value = form.role ?? ""
        model.scope.value = form.scope ?? ""
        do {
            _ = try await UserAdministration.create(
                .init(username: form.username ?? "", role: form.role ?? "", scope: form.scope ?? "", password: form.password ?? ""), on: req)
            return req.redirect(to: SiteURL.users.path + "?done=created", redirectType: .normal)
        } catch let problem as ProblemDetails where problem.status < 500 {
            for error in problem.errors ?? [] {
                let message = chineseMessage(field: error.field, conflict: problem.status == 409)
                switch error.field {
                case "username": model.username.error = message
                case "role": model.role.error = message
                case "scope": model.scope.error = message
                default: model.password.error = message
                }
            }
            return HTMLResponse.page(AdminPages.newUser(model, viewer: viewer), status: HTTPResponseStatus(statusCode: problem.status))
        }
    }

    /// `POST /admin/users/:username/disable`
    @Sendable static func disable(req: Request) async throws -> Response {
        _ = try req.requireViewer(allowedTo: .manageUsers)
        try CSRF.verify(req)
        _ = try await UserAdministration.disable(req.parameters.get("username") ?? "", on: req)
        return req.redirect(to: SiteURL.users.path + "?done=disabled", redirectType: .normal)
    }

    /// `GET /admin/users/:username/password`
    @Sendable static func passwordForm(req: Request) async throws -> Response {
        let (viewer, _) = try req.requireViewer(allowedTo: .manageUsers)
        let username = try await existingUsername(req)
        return HTMLResponse.ok(AdminPages.resetPassword(username: username, field: passwordField(), viewer: viewer))
    }

    /// `POST /admin/users/:username/password`
    @Sendable static func resetPassword(req: Request) async throws -> Response {
        let (viewer, _) = try req.requireViewer(allowedTo: .manageUsers)
        try CSRF.verify(req)
        let username = try await existingUsername(req)
        let form = try req.content.decode(PasswordForm.self)
        do {
            try await UserAdministration.resetPassword(username, to: form.password ?? "", on: req)
            return req.redirect(to: SiteURL.users.path + "?done=password", redirectType: .normal)
        } catch let problem as ProblemDetails where problem.status == 422 {
            var field = passwordField()
            field.error = chineseMessage(field: "password", conflict: false)
            return HTMLResponse.page(AdminPages.resetPassword(username: username, field: field, viewer: viewer), status: .unprocessableEntity)
        }
    }

    private static func passwordField() -> Forms.Field {
        Forms.Field(name: "password", label: "新密码", hint: "至少 10 个字符", required: true)
    }

    private static func existingUsername(_ req: Request) async throws -> String {
        guard let username = req.parameters.get("username"), try await UserStore.find(username: username, on: req.db) != nil else {
            throw Abort(.notFound)
        }
        return username
    }

    static func chineseMessage(field: String, conflict: Bool) -> String {
        switch field {
        case "username": conflict ? "该用户名已被使用" : "用户名应为 3–64 位小写字母、数字或 . _ -"
        case "role": "请选择角色"
        case "scope": "数据范围无效或与角色不符：区、园区须为已登记的代码，企业须为有效的统一社会信用代码"
        default: "密码应为 10–72 个字符"
        }
    }
}

/// `/audit`: the audit trail, newest first.
enum AuditController {
    static let pageSize = 100

    /// `GET /audit`
    @Sendable static func list(req: Request) async throws -> Response {
        let (viewer, _) = try req.requireViewer(allowedTo: .readAudit)
        let entity = req.query[String.self, at: "entity"] ?? "", actor = req.query[String.self, at: "actor"] ?? ""
        let from = req.query[String.self, at: "from"] ?? "", to = req.query[String.self, at: "to"] ?? ""
        var errors: [String: String] = [:]
        var entries: [AuditEntryModel] = []
        var nextQuery: String?
        do {
            let filter = try AuditView.filter(entity: entity, actor: actor, from: from, to: to)
            let after = req.query[String.self, at: "cursor"].flatMap(PageCursor.id(fromToken:))
            let page = try await Audit.list(filter, limit: pageSize, after: after, on: req.db)
            entries = page.entries
            nextQuery = page.next.flatMap {
                SiteURL.query([("entity", entity), ("actor", actor), ("from", from), ("to", to), ("cursor", PageCursor(id: $0).token)])
            }
        } catch let problem as ProblemDetails {
            for error in problem.errors ?? [] { errors[error.field] = "请输入 YYYY-MM-DD 格式的日期" }
        }
        let model = AdminPages.AuditModel(entries: entries, entity: entity, actor: actor, from: from, to: to, errors: errors, nextQuery: nextQuery)
        return HTMLResponse.page(AdminPages.audit(model, viewer: viewer), status: errors.isEmpty ? .ok : .badRequest)
    }
}
