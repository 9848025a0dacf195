import Fluent
import Foundation
import TongdaoCore
import TongdaoUseCases
import Vapor

extension Application {
    private struct PlatformKey: StorageKey { typealias Value = Platform }

    /// The services the use cases run on; `configure` sets them up.
    public var platform: Platform {
        get {
            guard let platform = storage[PlatformKey.self] else { fatalError("configure(_:configuration:) sets up the platform") }
            return platform
        }
        set { storage[PlatformKey.self] = newValue }
    }

    /// The platform when the application is configured as a server, else nil.
    public var configuredPlatform: Platform? { storage[PlatformKey.self] }
}

extension Request {
    private struct CallerKey: StorageKey { typealias Value = Caller }
    private struct TokenKey: StorageKey { typealias Value = UUID }

    /// The platform on this request's database handle (its logger carries the request ID).
    var platform: Platform { application.platform.on(db) }

    /// Who is signed in behind this request (a bearer token on `/api` and `/live`, a session cookie
    /// on pages), if anyone.
    var caller: Caller? {
        get { storage[CallerKey.self] }
        set { storage[CallerKey.self] = newValue }
    }

    /// The bearer token the request was made with, for `DELETE /api/v1/auth/tokens/current`.
    var tokenID: UUID? {
        get { storage[TokenKey.self] }
        set { storage[TokenKey.self] = newValue }
    }

    /// The signed-in caller, or a 401 problem.
    func requireCaller() throws -> Caller {
        guard let caller else { throw ProblemDetails.unauthorized() }
        return caller
    }

    /// The client's address: the connection's peer, or behind a trusted reverse proxy the address
    /// it forwarded (`TONGDAO_TRUSTED_PROXIES`). The sign-in throttle counts by it; audit rows keep it.
    var clientAddress: String {
        application.tongdaoConfiguration.trustedProxies.client(peer: remoteAddress?.ipAddress, forwardedFor: headers[.xForwardedFor]) ?? "unknown"
    }

    /// Where a sign-in made by this request comes from.
    var signInOrigin: SignInUseCases.Origin {
        SignInUseCases.Origin(address: clientAddress, requestID: effectiveRequestID)
    }
}
