import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

/// Signing in and out: API tokens and web sessions from a username and password (the same throttle,
/// the same generic failure, the same time whichever part was wrong), and who a token or a session
/// cookie belongs to.
public struct SignInUseCases: Sendable {
    let platform: Platform

    /// Failed sign-ins allowed per username or address within `window`.
    public static let limit = 5
    public static let window: TimeInterval = 15 * 60

    /// Where a sign-in comes from, for the throttle and the audit row.
    public struct Origin: Sendable, Equatable {
        public var address: String
        public var requestID: String?

        public init(address: String, requestID: String?) {
            self.address = address
            self.requestID = requestID
        }
    }

    /// A token or session just issued: the secret is shown once and only its digest is kept.
    public struct Issued: Sendable, Equatable {
        public var id: UUID
        /// The bearer token, or the session cookie's value.
        public var secret: String
        /// The session's CSRF token (nil for an API token).
        public var csrfToken: String?
        public var expiresAt: Date
        public var user: UserRecord
    }

    /// The user behind a name and password, or `throttled` or `unauthenticated` (a name or password
    /// left empty is `malformed`, and counts as no failed attempt).
    func verify(username: String, password: String, from origin: Origin) async throws -> UserModel {
        var missing: [FieldProblem] = []
        if username.isEmpty { missing.append(.required("username", chinese: "请输入用户名和密码。")) }
        if password.isEmpty { missing.append(.required("password", chinese: "请输入用户名和密码。")) }
        guard missing.isEmpty else { throw UseCaseError.malformed(missing) }
        // A name no account can have (control characters) is checked, counted and refused like any wrong one.
        let lookup = TextRules.problem("username", username) == nil ? username : nil
        let username = TextRules.cleaned(username)
        let db = platform.database
        let now = platform.clock.now()
        let failures = try await UserStore.failures(username: username, address: origin.address, since: now - Self.window, on: db)
        if failures.count >= Self.limit {
            // Wait until enough failures have left the window to fall under the limit again.
            let oldestCounted = failures[failures.count - Self.limit]
            let retryAfter = Int((oldestCounted.timeIntervalSince(now) + Self.window).rounded(.up))
            throw UseCaseError.throttled(retryAfterSeconds: max(retryAfter, 1))
        }
        let user = try await lookup.asyncMap { try await UserStore.find(username: $0, on: db) } ?? nil
        let matches = try await platform.credentials.verifyPassword(password, against: user?.passwordHash ?? platform.credentials.decoyHash)
        guard let user, matches, !user.disabled else {
            // The throttle's count, and the audit trail's record of the attempt (never the password).
            try await platform.write(by: .anonymous(requestID: origin.requestID, clientAddress: origin.address)) { write in
                try await UserStore.recordFailure(username: username, address: origin.address, at: write.now, on: write.db)
                try await write.audit(
                    "auth.signin.failure", entityType: "user", entityID: username, before: nil, after: try Audit.json(["address": origin.address]))
            }
            throw UseCaseError.unauthenticated
        }
        return user
    }

    /// Checks a name and password and issues an API token: `auth.token.create`.
    public func issueToken(username: String, password: String, from origin: Origin) async throws -> Issued {
        let user = try await verify(username: username, password: password, from: origin)
        return try await issue(APITokenModel.self, for: user, from: origin) { userID, digest, expiresAt in
            APITokenModel(userID: userID, digest: digest, expiresAt: expiresAt)
        }
    }

    /// Checks a name and password and starts a web session: `auth.session.create`.
    public func startSession(username: String, password: String, from origin: Origin) async throws -> Issued {
        let user = try await verify(username: username, password: password, from: origin)
        let csrf = platform.credentials.makeToken()
        var issued = try await issue(SessionModel.self, for: user, from: origin) { userID, digest, expiresAt in
            SessionModel(userID: userID, digest: digest, csrfToken: csrf, expiresAt: expiresAt)
        }
        issued.csrfToken = csrf
        return issued
    }

    private func issue<C: UserCredential>(
        _: C.Type, for user: UserModel, from origin: Origin, make: @escaping @Sendable (UUID, String, Date) -> C
    ) async throws -> Issued {
        // The request is still anonymous: the row names the user who just proved who they are.
        let record = try UserRecord(user)
        let caller = Caller.user(
            id: try user.requireID(), username: user.username, displayName: user.shownName, role: user.role, scope: user.scope,
            requestID: origin.requestID, clientAddress: origin.address)
        let secret = platform.credentials.makeToken()
        let digest = platform.credentials.digest(ofToken: secret)
        let lifetime = TimeInterval(platform.signInLifetime.components.seconds)
        return try await platform.write(by: caller) { write in
            let expiresAt = write.now.addingTimeInterval(lifetime)
            let credential = make(record.id, digest, expiresAt)
            try await credential.create(on: write.db)
            let id = try credential.requireID()
            try await write.audit(
                "\(C.auditAction).create", entityType: C.auditEntityType, entityID: id.uuidString, before: nil,
                after: #"{"user":"\#(record.username)","expiresAt":"\#(expiresAt.formatted(.iso8601))"}"#)
            return Issued(id: id, secret: secret, csrfToken: nil, expiresAt: expiresAt, user: record)
        }
    }

    /// Ends the caller's own API token: `auth.token.revoke`. Nothing happens for a token that has ended.
    public func revokeToken(id: UUID, by caller: Caller) async throws {
        try await revoke(APITokenModel.self, id: id, by: caller)
    }

    /// Ends the caller's own web session (signing out): `auth.session.revoke`.
    public func endSession(id: UUID, by caller: Caller) async throws {
        try await revoke(SessionModel.self, id: id, by: caller)
    }

    private func revoke<C: UserCredential>(_ type: C.Type, id: UUID, by caller: Caller) async throws {
        guard let userID = caller.userID else { return }
        try await platform.write(by: caller) { write in
            // Only one's own: the id comes from the credential the request was made with.
            guard try await UserStore.revoke(type, id: id, of: userID, now: write.now, on: write.db) else { return }
            try await write.notify(CredentialRevocation(user: userID, credential: id))
            try await write.audit(
                "\(C.auditAction).revoke", entityType: C.auditEntityType, entityID: id.uuidString, before: #"{"revoked":false}"#,
                after: #"{"revoked":true}"#)
        }
    }

    /// The caller a bearer token stands for, while it lives and its user is enabled.
    public func caller(forToken token: String, requestID: String?, clientAddress: String?) async throws -> (caller: Caller, tokenID: UUID)? {
        guard
            let holder = try await UserStore.token(
                digest: platform.credentials.digest(ofToken: token), now: platform.clock.now(), on: platform.database)
        else { return nil }
        return (Self.caller(holder, requestID: requestID, clientAddress: clientAddress), holder.credentialID)
    }

    /// A live web session: its id, its CSRF token and its caller.
    public struct Session: Sendable, Equatable {
        public var id: UUID
        public var csrfToken: String
        public var caller: Caller
    }

    /// The session a cookie's value stands for, while it lives and its user is enabled.
    public func session(forCookie value: String, requestID: String?, clientAddress: String?) async throws -> Session? {
        guard
            let holder = try await UserStore.session(
                digest: platform.credentials.digest(ofToken: value), now: platform.clock.now(), on: platform.database)
        else { return nil }
        return Session(
            id: holder.credentialID, csrfToken: holder.csrfToken, caller: Self.caller(holder, requestID: requestID, clientAddress: clientAddress))
    }

    /// The caller a command acts as when the operator names a user (`--as`): the user's role and
    /// scope, and `cli:<command> as <user>` in the audit trail. Refused for an unknown or disabled user.
    public func caller(actingAs username: String, command: String) async throws -> Caller {
        guard let user = try await UserStore.find(username: username, on: platform.database), !user.disabled else {
            throw UseCaseError.notFound(.user)
        }
        return Caller(
            identity: .user(id: try user.requireID(), username: user.username, role: user.role), scope: user.scope,
            audit: AuditActor(name: "cli:\(command) as \(user.username)", role: user.role.rawValue))
    }

    private static func caller(_ holder: UserStore.Holder, requestID: String?, clientAddress: String?) -> Caller {
        Caller.user(
            id: holder.userID, username: holder.username, displayName: holder.shownName, role: holder.role, scope: holder.scope,
            requestID: requestID, clientAddress: clientAddress)
    }
}

extension Platform {
    public var signIn: SignInUseCases { SignInUseCases(platform: self) }
}
