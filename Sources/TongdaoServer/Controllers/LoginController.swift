import Fluent
import TongdaoStore
import Vapor

/// Web sign-in and sign-out.
enum LoginController {
    struct LoginForm: Content {
        var username: String?
        var password: String?
        var next: String?
    }

    /// `GET /login`
    @Sendable static func show(req: Request) async throws -> Response {
        let next = req.query[String.self, at: "next"].flatMap { SiteURL.isLocalPath($0) ? $0 : nil }
        if req.viewer != nil { return req.redirect(to: next ?? SiteURL.home.path, redirectType: .normal) }
        return HTMLResponse.ok(LoginPage.render(.init(next: next, csrfToken: CSRF.token(for: req))))
    }

    /// `POST /login`
    @Sendable static func signIn(req: Request) async throws -> Response {
        try CSRF.verify(req)
        let form = try req.content.decode(LoginForm.self)
        let username = form.username ?? "", next = form.next.flatMap { SiteURL.isLocalPath($0) ? $0 : nil }
        func again(_ status: HTTPResponseStatus, _ message: String) -> Response {
            HTMLResponse.page(
                LoginPage.render(.init(username: username, next: next, error: message, csrfToken: CSRF.token(for: req))), status: status)
        }
        guard !username.isEmpty, let password = form.password, !password.isEmpty else {
            return again(.unprocessableEntity, "请输入用户名和密码。")
        }
        let user: UserModel
        do {
            user = try await SignIn.verify(username: username, password: password, on: req)
        } catch let problem as ProblemDetails where problem.status == 429 {
            let response = again(.tooManyRequests, "登录失败次数过多，请 \(problem.headers["Retry-After"] ?? "900") 秒后再试。")
            response.headers.replaceOrAdd(name: "Retry-After", value: problem.headers["Retry-After"] ?? "900")
            return response
        } catch let problem as ProblemDetails where problem.status == 401 {
            return again(.unauthorized, "用户名或密码错误，或账号已停用。")
        }
        let response = req.redirect(to: next ?? SiteURL.home.path, redirectType: .normal)
        try await WebSession.start(for: user, on: req, response: response)
        return response
    }

    /// `POST /logout`
    @Sendable static func signOut(req: Request) async throws -> Response {
        // Without a live session there is nothing to end (and no session token to check against).
        guard req.webSession != nil else { return req.redirect(to: SiteURL.login(next: nil).path, redirectType: .normal) }
        try CSRF.verify(req)
        let response = req.redirect(to: SiteURL.login(next: nil).path, redirectType: .normal)
        try await WebSession.end(on: req, response: response)
        return response
    }
}
