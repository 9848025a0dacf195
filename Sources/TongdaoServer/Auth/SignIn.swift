import Fluent
import TongdaoCore
import Foundation
import TongdaoStore
import Vapor

/// Checking a username and password, for API tokens and web sessions alike: the same throttle, the
/// same generic failure, the same time taken whichever part was wrong.
enum SignIn {
    /// Failed sign-ins allowed per username or address within `window`.
    static let limit = 5
    static let window: TimeInterval = 15 * 60

    /// The user, or a 429 problem (with `Retry-After`) or a 401 problem.
    static func verify(username: String, password: String, on req: Request, now: Date = Date()) async throws -> UserModel {
        let address = req.clientAddress
        let failures = try await UserStore.failures(username: username, address: address, since: now - window, on: req.db)
        if failures.count >= limit {
            // Wait until enough failures have left the window to fall under the limit again.
            let oldestCounted = failures[failures.count - limit]
            let retryAfter = Int((oldestCounted.timeIntervalSince(now) + window).rounded(.up))
            var problem = ProblemDetails(
                type: ProblemDetails.typeURI("too-many-requests"), title: "Too Many Requests", status: .tooManyRequests,
                detail: "Too many failed sign-ins for this user or from this address. Try again in \(retryAfter) seconds.")
            problem.headers["Retry-After"] = String(max(retryAfter, 1))
            throw problem
        }
        let user = try await UserStore.find(username: username, on: req.db)
        let hash = user?.passwordHash ?? Credentials.decoyHash
        let matches = try await req.application.threadPool.runIfActive { Credentials.verifyPassword(password, hash: hash) }
        guard let user, matches, !user.disabled else {
            try await UserStore.recordFailure(username: username, address: address, at: now, on: req.db)
            throw ProblemDetails.unauthorized("The username or password is wrong, or the account is disabled.")
        }
        return user
    }

    /// The audit actor for a write made while signing in: the request is still anonymous, so the row
    /// names the user who just proved who they are.
    static func actor(for user: UserModel, on req: Request) -> AuditActor {
        AuditActor(name: "user:\(user.username)", role: user.role.rawValue, requestID: req.effectiveRequestID, clientAddress: req.clientAddress)
    }
}
