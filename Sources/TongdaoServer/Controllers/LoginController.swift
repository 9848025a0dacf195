import TongdaoUseCases
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
        do {
            let session = try await req.platform.signIn.startSession(username: username, password: form.password ?? "", from: req.signInOrigin)
            let response = req.redirect(to: next ?? SiteURL.home.path, redirectType: .normal)
            WebSession.setCookie(of: session, on: response, for: req)
            return response
        } catch UseCaseError.throttled(let seconds) {
            let response = again(.tooManyRequests, UseCaseError.throttled(retryAfterSeconds: seconds).chinese)
            response.headers.replaceOrAdd(name: "Retry-After", value: String(seconds))
            return response
        } catch let refusal as UseCaseError {
            return again(refusal.status, refusal.fieldMessages.values.first ?? refusal.chinese)
        }
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
