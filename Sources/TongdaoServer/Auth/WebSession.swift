import Foundation
import TongdaoCore
import TongdaoUseCases
import Vapor

/// Web sign-in: a random cookie value whose SHA-256 digest names a row of `sessions`, so every
/// instance shares the sessions. Pages read only the cookie; `/api` reads only bearer tokens.
enum WebSession {
    static let cookieName = "tongdao_session"

    /// Sets the cookie of a session just started.
    static func setCookie(of session: SignInUseCases.Issued, on response: Response, for req: Request) {
        let lifetime = Int(session.expiresAt.timeIntervalSince(req.application.platform.clock.now()).rounded())
        response.cookies[cookieName] = cookie(session.secret, maxAge: max(lifetime, 0), on: req)
    }

    /// Ends the request's session, if any, and clears the cookie.
    static func end(on req: Request, response: Response) async throws {
        if let session = req.webSession {
            try await req.platform.signIn.endSession(id: session.id, by: session.caller)
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
    private struct SessionKey: StorageKey { typealias Value = SignInUseCases.Session }
    private struct PendingCSRFKey: StorageKey { typealias Value = String }

    /// The web session behind this request, when it came with a live session cookie.
    var webSession: SignInUseCases.Session? {
        get { storage[SessionKey.self] }
        set { storage[SessionKey.self] = newValue }
    }

    /// An anonymous CSRF token issued by this request, to be set as a cookie on its response.
    var pendingCSRFCookie: String? {
        get { storage[PendingCSRFKey.self] }
        set { storage[PendingCSRFKey.self] = newValue }
    }

    /// Whether the request came over TLS: to this server, or to a trusted reverse proxy that says
    /// so in `X-Forwarded-Proto` (from any other client the header is not believed).
    var arrivedOverTLS: Bool {
        if url.scheme == "https" { return true }
        guard let peer = remoteAddress?.ipAddress, application.tongdaoConfiguration.trustedProxies.contains(peer) else { return false }
        return headers.first(name: "X-Forwarded-Proto")?.lowercased() == "https"
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
            let session = try await request.platform.signIn.session(
                forCookie: value, requestID: request.effectiveRequestID, clientAddress: request.clientAddress)
        {
            request.caller = session.caller
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
        let fresh = BcryptCredentials.randomToken()
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

/// Who is looking at a page: what the frame shows in its header, and what the page offers them.
struct Viewer: Sendable {
    var username: String
    /// How the page names the viewer: 姓名, or the username when the account has none.
    var displayName: String
    var role: Role
    var csrfToken: String

    /// Whether the viewer's role may do `action` (what a page offers; the use case decides).
    func may(_ action: Action) -> Bool { AccessPolicy.allows(role, action) }
}

extension Request {
    /// The signed-in viewer of a page (sessions only), or nil.
    var viewer: Viewer? {
        guard let session = webSession, let username = session.caller.username, let role = session.caller.role else { return nil }
        return Viewer(username: username, displayName: session.caller.displayName ?? username, role: role, csrfToken: session.csrfToken)
    }

    /// The page's signed-in viewer and caller; otherwise a redirect to sign in (thrown). With
    /// `action`, a role that may not do it is refused (403, in Chinese) before a form is shown.
    func requireViewer(allowedTo action: Action? = nil) throws -> (Viewer, Caller) {
        guard let viewer, let caller else {
            let next = url.path + (url.query.map { "?\($0)" } ?? "")
            throw PageRedirect(location: SiteURL.login(next: method == .GET ? next : nil).path)
        }
        if let action, !caller.may(action) { throw UseCaseError.forbidden(action, role: caller.role) }
        return (viewer, caller)
    }
}

/// Thrown by a page handler to send the browser elsewhere (303), e.g. to sign in.
struct PageRedirect: Error, AbortError {
    var location: String
    var status: HTTPResponseStatus { .seeOther }
    var reason: String { "See \(location)" }
    var headers: HTTPHeaders { ["Location": location] }
}
