import Fluent
import Foundation
import TongdaoCore
import TongdaoStore
import Vapor

/// Web sign-in: a random cookie value whose SHA-256 digest names a row of `sessions`, so every
/// instance shares the sessions. Pages read only the cookie; `/api` reads only bearer tokens.
enum WebSession {
    static let cookieName = "tongdao_session"

    /// Starts a session for `user`, records it, and sets the cookie on `response`.
    static func start(for user: UserModel, on req: Request, response: Response) async throws {
        let value = Credentials.makeToken()
        let lifetime = req.application.tongdaoConfiguration.tokenLifetime.components.seconds
        let expiresAt = Date().addingTimeInterval(TimeInterval(lifetime))
        let session = SessionModel(
            userID: try user.requireID(), digest: Credentials.digest(ofToken: value), csrfToken: Credentials.makeToken(), expiresAt: expiresAt)
        try await UserStore.store(session, for: user, by: SignIn.actor(for: user, on: req), on: req.db)
        response.cookies[cookieName] = cookie(value, maxAge: Int(lifetime), on: req)
    }

    /// Ends the request's session, if any, and clears the cookie.
    static func end(on req: Request, response: Response) async throws {
        if let session = req.webSession {
            try await UserStore.revoke(session, by: req.auditActor, on: req.db)
        }
        response.cookies[cookieName] = cookie("", maxAge: 0, on: req)
    }

    /// HttpOnly, SameSite=Lax, and Secure whenever the request came over TLS (directly or through a
    /// proxy that says so).
    static func cookie(_ value: String, maxAge: Int, sameSite: HTTPCookies.SameSitePolicy = .lax, on req: Request) -> HTTPCookies.Value {
        HTTPCookies.Value(string: value, maxAge: maxAge, path: "/", isSecure: req.arrivedOverTLS, isHTTPOnly: true, sameSite: sameSite)
    }
}

extension Request {
    private struct SessionKey: StorageKey { typealias Value = SessionModel }
    private struct PendingCSRFKey: StorageKey { typealias Value = String }

    /// The web session behind this request, when it came with a live session cookie.
    var webSession: SessionModel? {
        get { storage[SessionKey.self] }
        set { storage[SessionKey.self] = newValue }
    }

    /// An anonymous CSRF token issued by this request, to be set as a cookie on its response.
    var pendingCSRFCookie: String? {
        get { storage[PendingCSRFKey.self] }
        set { storage[PendingCSRFKey.self] = newValue }
    }

    var arrivedOverTLS: Bool {
        url.scheme == "https" || headers.first(name: "X-Forwarded-Proto")?.lowercased() == "https"
    }

    var isAPIRequest: Bool { url.path.hasPrefix("/api/") }
    /// The API and the live feed (read by other systems as well as by the big screen) take bearer tokens.
    var acceptsBearerToken: Bool { isAPIRequest || url.path == SiteURL.live.path }
}

/// Attaches the user of a live session cookie to page requests, and sets any anonymous CSRF cookie
/// a page issued.
struct SessionAuthenticationMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if !request.isAPIRequest, let value = request.cookies[WebSession.cookieName]?.string, !value.isEmpty,
            let (session, user) = try await UserStore.session(digest: Credentials.digest(ofToken: value), on: request.db),
            let id = user.id
        {
            request.user = AuthenticatedUser(id: id, username: user.username, role: user.role, scope: user.scope, tokenID: nil)
            request.webSession = session
        }
        let response = try await next.respond(to: request)
        if let token = request.pendingCSRFCookie {
            response.cookies[CSRF.cookieName] = WebSession.cookie(token, maxAge: 12 * 3600, sameSite: .strict, on: request)
        }
        return response
    }
}

/// Cross-site request forgery protection for every state-changing form. A signed-in form carries its
/// session's token; the sign-in form (before any session) carries a token that must match a
/// SameSite=Strict cookie (double submit).
enum CSRF {
    static let fieldName = "_csrf"
    static let cookieName = "tongdao_csrf"

    /// The token a form rendered for this request must carry.
    static func token(for req: Request) -> String {
        if let session = req.webSession { return session.csrfToken }
        if let existing = req.cookies[cookieName]?.string, existing.count >= 32 { return existing }
        if let pending = req.pendingCSRFCookie { return pending }
        let fresh = Credentials.makeToken()
        req.pendingCSRFCookie = fresh
        return fresh
    }

    /// Refuses a form whose token is missing or wrong, with a 403.
    static func verify(_ req: Request) throws {
        let submitted = (try? req.content.get(String.self, at: fieldName)) ?? ""
        let expected = req.webSession?.csrfToken ?? req.cookies[cookieName]?.string ?? ""
        guard !expected.isEmpty, constantTimeEqual(submitted, expected) else {
            throw Abort(.forbidden, reason: "表单校验失败（可能已过期或来自其他网站），请刷新页面后重新提交。")
        }
    }

    private static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8), b = Array(rhs.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// Who is looking at a page: what the frame shows in its header.
struct Viewer: Sendable {
    var username: String
    var role: Role
    var csrfToken: String

    func may(_ action: Action) -> Bool { AccessPolicy.allows(role, action) }

    /// Throws a 403 (shown as the error page) unless the role may perform `action`; `what` says what
    /// was refused, in Chinese.
    func ensure(_ action: Action, _ what: String = "执行此操作") throws {
        guard may(action) else { throw Abort(.forbidden, reason: "您的角色（\(role.label)）无权\(what)。") }
    }
}

extension Request {
    /// The signed-in viewer of a page (sessions only), or nil.
    var viewer: Viewer? {
        guard let user, let session = webSession else { return nil }
        return Viewer(username: user.username, role: user.role, csrfToken: session.csrfToken)
    }

    /// The page's signed-in viewer allowed to do `action`; otherwise a redirect to sign in (thrown) or a 403.
    func requireViewer(allowedTo action: Action? = nil) throws -> (Viewer, AuthenticatedUser) {
        guard let viewer, let user else {
            let next = url.path + (url.query.map { "?\($0)" } ?? "")
            throw PageRedirect(location: SiteURL.login(next: method == .GET ? next : nil).path)
        }
        if let action { try viewer.ensure(action) }
        return (viewer, user)
    }
}

/// Thrown by a page handler to send the browser elsewhere (303), e.g. to sign in.
struct PageRedirect: Error, AbortError {
    var location: String
    var status: HTTPResponseStatus { .seeOther }
    var reason: String { "See \(location)" }
    var headers: HTTPHeaders { ["Location": location] }
}
