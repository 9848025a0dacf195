import Fluent
import TongdaoCore
import TongdaoStore
import Vapor

/// The signed-in user behind a request.
struct AuthenticatedUser: Sendable {
    var id: UUID
    var username: String
    var role: Role
    var scope: Scope
    /// The bearer token used, for `DELETE /api/v1/auth/tokens/current`.
    var tokenID: UUID?

    /// Throws a 403 problem unless the role may perform `action`.
    func ensureAllowed(_ action: Action) throws {
        guard AccessPolicy.allows(role, action) else {
            throw ProblemDetails.forbidden("The role \(role.rawValue) may not perform \(action.rawValue).")
        }
    }
}

extension Request {
    private struct UserKey: StorageKey { typealias Value = AuthenticatedUser }

    var user: AuthenticatedUser? {
        get { storage[UserKey.self] }
        set { storage[UserKey.self] = newValue }
    }

    /// The signed-in user, or a 401 problem.
    func requireUser() throws -> AuthenticatedUser {
        guard let user else { throw ProblemDetails.unauthorized() }
        return user
    }

    /// The signed-in user if the role may perform `action`; 401 or 403 otherwise.
    func requireUser(allowedTo action: Action) throws -> AuthenticatedUser {
        let user = try requireUser()
        try user.ensureAllowed(action)
        return user
    }

    /// The client's address: the connection's peer, or behind a trusted reverse proxy the address
    /// it forwarded (`TONGDAO_TRUSTED_PROXIES`). The sign-in throttle counts by it; audit rows keep it.
    var clientAddress: String {
        application.tongdaoConfiguration.trustedProxies.client(peer: remoteAddress?.ipAddress, forwardedFor: headers[.xForwardedFor]) ?? "unknown"
    }

    /// Who the audit trail names for a write made by this request.
    var auditActor: AuditActor {
        AuditActor(
            name: user.map { "user:\($0.username)" } ?? "anonymous", role: user?.role.rawValue,
            requestID: effectiveRequestID, clientAddress: clientAddress)
    }
}

/// Reads `Authorization: Bearer …` on `/api` requests (and `/live`) and, when the token is live, attaches its user. A missing or dead
/// token leaves the request anonymous; the endpoints that need a user answer 401.
struct BearerAuthenticationMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.acceptsBearerToken, let bearer = request.headers.bearerAuthorization,
            let (token, user) = try await UserStore.token(digest: Credentials.digest(ofToken: bearer.token), on: request.db),
            let id = user.id
        {
            request.user = AuthenticatedUser(id: id, username: user.username, role: user.role, scope: user.scope, tokenID: token.id)
        }
        return try await next.respond(to: request)
    }
}

extension Application {
    private struct ConfigurationKey: StorageKey { typealias Value = AppConfiguration }

    /// The configuration `configure` was called with.
    var tongdaoConfiguration: AppConfiguration {
        get { storage[ConfigurationKey.self] ?? AppConfiguration(database: .sqliteMemory) }
        set { storage[ConfigurationKey.self] = newValue }
    }
}
