import Foundation
import TongdaoCore
import TongdaoStore
import TongdaoUseCases
import Vapor

/// Reads `Authorization: Bearer …` on `/api` requests (and `/live`) and, when the token is live,
/// attaches its caller. A missing or dead token leaves the request anonymous; the endpoints that
/// need a user answer 401.
struct BearerAuthenticationMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.acceptsBearerToken, let bearer = request.headers.bearerAuthorization,
            let (caller, tokenID) = try await request.platform.signIn.caller(
                forToken: bearer.token, requestID: request.effectiveRequestID, clientAddress: request.clientAddress)
        {
            request.caller = caller
            request.tokenID = tokenID
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
