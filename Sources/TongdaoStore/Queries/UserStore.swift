import FluentKit
import Foundation
import TongdaoCore

/// Users, their API tokens and failed sign-ins. Hashing happens in the caller (bcrypt for passwords,
/// SHA-256 for tokens): the store only ever sees hashes.
public enum UserStore {
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case invalidUsername(String)
        case duplicateUsername(String)
        case scopeDoesNotFitRole(role: Role, scope: Scope)
        case unknownRegion(Scope)
        case noSuchUser(String)

        public var description: String {
            switch self {
            case .invalidUsername(let name): "username `\(name)` must be 3–64 characters of a–z, 0–9, . _ -"
            case .duplicateUsername(let name): "the username \(name) is taken"
            case .scopeDoesNotFitRole(let role, let scope): "a \(role.rawValue) needs a \(role.scopeKind.rawValue) scope, not \(scope)"
            case .unknownRegion(let scope): "\(scope) names no known region"
            case .noSuchUser(let name): "no user is called \(name)"
            }
        }
    }

    public static func isValidUsername(_ name: String) -> Bool {
        (3...64).contains(name.count)
            && name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0) }
    }

    /// Creates a user (and its audit row) after checking the name, the role's scope kind and that the
    /// region exists.
    @discardableResult
    public static func create(
        username: String, passwordHash: String, role: Role, scope: Scope, by actor: AuditActor, on database: any Database
    ) async throws -> UserModel {
        guard isValidUsername(username) else { throw Problem.invalidUsername(username) }
        guard role.scopeKind == scope.kind else { throw Problem.scopeDoesNotFitRole(role: role, scope: scope) }
        switch scope {
        case .district(let code), .park(let code):
            guard try await RegionModel.find(code, on: database) != nil else { throw Problem.unknownRegion(scope) }
        case .station(let code):
            guard try ReferenceData.stations().contains(where: { $0.code == code }) else { throw Problem.unknownRegion(scope) }
        case .city, .enterprise:
            break
        }
        return try await database.transaction { db in
            guard try await UserModel.query(on: db).filter(\.$username == username).first() == nil else {
                throw Problem.duplicateUsername(username)
            }
            let user = UserModel(username: username, passwordHash: passwordHash, role: role, scope: scope)
            try await user.create(on: db)
            try await Audit.record(
                "user.create", entityType: "user", entityID: username, before: nil,
                after: #"{"role":"\#(role.rawValue)","scope":"\#(scope)","disabled":false}"#, by: actor, on: db)
            return user
        }
    }

    /// Disables a user and revokes all its tokens at once, with an audit row.
    public static func disable(username: String, by actor: AuditActor, on database: any Database, now: Date = Date()) async throws {
        try await database.transaction { db in
            guard let user = try await UserModel.query(on: db).filter(\.$username == username).first(), let id = user.id else {
                throw Problem.noSuchUser(username)
            }
            let wasDisabled = user.disabled
            user.disabled = true
            try await user.update(on: db)
            try await revokeCredentials(of: id, now: now, on: db)
            try await Audit.record(
                "user.disable", entityType: "user", entityID: username,
                before: #"{"disabled":\#(wasDisabled)}"#, after: #"{"disabled":true}"#, by: actor, on: db, at: now)
        }
    }

    /// Ends every session and token of a user at once.
    private static func revokeCredentials(of userID: UUID, now: Date, on db: any Database) async throws {
        try await APITokenModel.query(on: db).filter(\.$user.$id == userID).filter(\.$revokedAt == nil).set(\.$revokedAt, to: now).update()
        try await SessionModel.query(on: db).filter(\.$user.$id == userID).filter(\.$revokedAt == nil).set(\.$revokedAt, to: now).update()
    }

    /// Sets a new password hash, ends the user's sessions and tokens, and records it (without hashes).
    public static func resetPassword(username: String, passwordHash: String, by actor: AuditActor, on database: any Database, now: Date = Date())
        async throws
    {
        try await database.transaction { db in
            guard let user = try await UserModel.query(on: db).filter(\.$username == username).first(), let id = user.id else {
                throw Problem.noSuchUser(username)
            }
            user.passwordHash = passwordHash
            try await user.update(on: db)
            try await revokeCredentials(of: id, now: now, on: db)
            try await Audit.record(
                "user.password.reset", entityType: "user", entityID: username,
                before: nil, after: #"{"passwordChanged":true,"credentialsRevoked":true}"#, by: actor, on: db, at: now)
        }
    }

    /// Every user, by username.
    public static func list(on database: any Database) async throws -> [UserModel] {
        try await UserModel.query(on: database).sort(\.$username).all()
    }

    public static func find(username: String, on database: any Database) async throws -> UserModel? {
        try await UserModel.query(on: database).filter(\.$username == username).first()
    }

    // MARK: Tokens and sessions

    /// Stores a new API token or web session (its digest only), with an audit row, in one transaction.
    public static func store<C: UserCredential>(_ credential: C, for user: UserModel, by actor: AuditActor, on database: any Database) async throws {
        try await database.transaction { db in
            try await credential.create(on: db)
            try await Audit.record(
                "\(C.auditAction).create", entityType: C.auditEntityType, entityID: try credential.requireID().uuidString, before: nil,
                after: #"{"user":"\#(user.username)","expiresAt":"\#(credential.expiresAt.formatted(.iso8601))"}"#, by: actor, on: db)
        }
    }

    /// The live token with this digest and its enabled user, if any.
    public static func token(digest: String, now: Date = Date(), on database: any Database) async throws -> (APITokenModel, UserModel)? {
        guard let token = try await APITokenModel.query(on: database).filter(\.$digest == digest).with(\.$user).first(),
            token.revokedAt == nil, token.expiresAt > now, !token.user.disabled
        else { return nil }
        return (token, token.user)
    }

    /// Ends an API token or a web session (sign-out), with an audit row, in one transaction.
    public static func revoke<C: UserCredential>(_ credential: C, by actor: AuditActor, now: Date = Date(), on database: any Database) async throws {
        try await database.transaction { db in
            credential.revokedAt = now
            try await credential.update(on: db)
            try await Audit.record(
                "\(C.auditAction).revoke", entityType: C.auditEntityType, entityID: try credential.requireID().uuidString,
                before: #"{"revoked":false}"#, after: #"{"revoked":true}"#, by: actor, on: db, at: now)
        }
    }

    /// The live session with this digest and its enabled user, if any.
    public static func session(digest: String, now: Date = Date(), on database: any Database) async throws -> (SessionModel, UserModel)? {
        guard let session = try await SessionModel.query(on: database).filter(\.$digest == digest).with(\.$user).first(),
            session.revokedAt == nil, session.expiresAt > now, !session.user.disabled
        else { return nil }
        return (session, session.user)
    }

    // MARK: Throttling

    /// Failed sign-ins for this username or from this address since `since`, oldest first.
    public static func failures(username: String, address: String, since: Date, on database: any Database) async throws -> [Date] {
        try await LoginFailureModel.query(on: database)
            .filter(\.$at >= since)
            .group(.or) { $0.filter(\.$username == username).filter(\.$address == address) }
            .sort(\.$at)
            .all()
            .map(\.at)
    }

    public static func recordFailure(username: String, address: String, at time: Date = Date(), on database: any Database) async throws {
        let failure = LoginFailureModel()
        failure.username = username
        failure.address = address
        failure.at = time
        try await failure.create(on: database)
    }
}

/// A row of `login_failures`.
public final class LoginFailureModel: Model, @unchecked Sendable {
    public static let schema = "login_failures"

    @ID(key: .id) public var id: UUID?
    @Field(key: "username") public var username: String
    @Field(key: "address") public var address: String
    @Field(key: "at") public var at: Date

    public init() {}
}

/// What API tokens and web sessions share: a user, a lifetime and a revocation, and how the audit
/// trail names them.
public protocol UserCredential: Model where IDValue == UUID {
    /// `auth.token` or `auth.session`: the audit actions are `….create` and `….revoke`.
    static var auditAction: String { get }
    static var auditEntityType: String { get }
    var expiresAt: Date { get }
    var revokedAt: Date? { get set }
}

extension APITokenModel: UserCredential {
    public static let auditAction = "auth.token"
    public static let auditEntityType = "api_token"
}

extension SessionModel: UserCredential {
    public static let auditAction = "auth.session"
    public static let auditEntityType = "session"
}
