import FluentKit
import Foundation
import SQLKit
import TongdaoCore

/// Users, their API tokens, web sessions and failed sign-ins. Hashing happens in the caller (bcrypt
/// for passwords, SHA-256 for tokens): the store only ever sees hashes. Writes are made inside a
/// use case's transaction, which checks the rules and appends the audit row.
public enum UserStore {
    public static func isValidUsername(_ name: String) -> Bool {
        (3...64).contains(name.count)
            && name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0) }
    }

    /// Whether the region or station a scope names exists (the city and enterprises always do).
    public static func scopeExists(_ scope: Scope, on database: any Database) async throws -> Bool {
        switch scope {
        case .district(let code), .park(let code):
            try await RegionModel.find(code, on: database) != nil
        case .station(let code):
            try ReferenceData.stations().contains { $0.code == code }
        case .institution(let id):
            if let id = UUID(uuidString: id) { try await TrialInstitutionModel.find(id, on: database) != nil } else { false }
        case .city, .enterprise, .province:
            true
        }
    }

    public static func insert(
        username: String, displayName: String = "", passwordHash: String, role: Role, scope: Scope, on database: any Database
    ) async throws -> UserModel {
        let user = UserModel(username: username, passwordHash: passwordHash, role: role, scope: scope, displayName: displayName)
        try await user.create(on: database)
        return user
    }

    /// How pages name these users: each username's display name (its username when it has none, or
    /// when no such user exists).
    public static func shownNames(of usernames: some Collection<String>, on database: any Database) async throws -> [String: String] {
        var names = Dictionary(usernames.map { ($0, $0) }, uniquingKeysWith: { first, _ in first })
        guard !names.isEmpty else { return names }
        for user in try await UserModel.query(on: database).filter(\.$username ~~ Array(names.keys)).all() {
            names[user.username] = user.shownName
        }
        return names
    }

    /// Ends every session and token of a user at once.
    public static func revokeCredentials(of userID: UUID, now: Date, on db: any Database) async throws {
        try await APITokenModel.query(on: db).filter(\.$user.$id == userID).filter(\.$revokedAt == nil).set(\.$revokedAt, to: now).update()
        try await SessionModel.query(on: db).filter(\.$user.$id == userID).filter(\.$revokedAt == nil).set(\.$revokedAt, to: now).update()
    }

    /// How many enabled users have a role.
    public static func activeCount(of role: Role, on database: any Database) async throws -> Int {
        try await UserModel.query(on: database).filter(\.$role == role).filter(\.$disabled == false).count()
    }

    /// Every user, by username.
    public static func list(on database: any Database) async throws -> [UserModel] {
        try await UserModel.query(on: database).sort(\.$username).all()
    }

    public static func find(username: String, on database: any Database) async throws -> UserModel? {
        try await UserModel.query(on: database).filter(\.$username == username).first()
    }

    // MARK: Tokens and sessions

    /// Who holds a live credential (a token or a session): read on every request, by one join,
    /// straight from its row.
    public struct Holder: Sendable, Equatable {
        public var credentialID: UUID
        public var userID: UUID
        public var username: String
        public var displayName: String
        public var role: Role
        public var scope: Scope
        /// A session's CSRF token (empty for an API token).
        public var csrfToken: String

        /// How pages name the person: the display name, or the username when it has none.
        public var shownName: String { displayName.isEmpty ? username : displayName }
    }

    /// The live token with this digest and its enabled user, if any.
    public static func token(digest: String, now: Date, on database: any Database) async throws -> Holder? {
        try await holder(of: APITokenModel.schema, digest: digest, now: now, on: database)
    }

    /// The live session with this digest and its enabled user, if any.
    public static func session(digest: String, now: Date, on database: any Database) async throws -> Holder? {
        try await holder(of: SessionModel.schema, digest: digest, now: now, on: database)
    }

    private static func holder(of table: String, digest: String, now: Date, on database: any Database) async throws -> Holder? {
        guard let sql = database as? any SQLDatabase else { throw BulkInsertError.notSQL }
        let users = UserModel.schema
        let query = sql.select()
            .column(SQLColumn("id", table: table), as: "credential_id").column(SQLColumn("id", table: users), as: "user_id")
            .columns(SQLColumn("username", table: users), SQLColumn("display_name", table: users))
            .columns(SQLColumn("role", table: users), SQLColumn("scope", table: users))
            .from(table)
            .join(users, on: SQLColumn("user_id", table: table), .equal, SQLColumn("id", table: users))
            .where(SQLColumn("digest", table: table), .equal, SQLBind(digest))
            .where(SQLColumn("revoked_at", table: table), .is, SQLLiteral.null)
            .where(SQLColumn("expires_at", table: table), .greaterThan, SQLBind(now))
            .where(SQLColumn("disabled", table: users), .equal, SQLBind(false))
        if table == SessionModel.schema { query.column(SQLColumn("csrf_token", table: table)) }
        guard let row = try await query.limit(1).rows().first else { return nil }
        guard let role = Role(rawValue: try row.text("role")), let scope = Scope(try row.text("scope")) else { return nil }
        return Holder(
            credentialID: try row.uuid("credential_id"), userID: try row.uuid("user_id"), username: try row.text("username"),
            displayName: try row.text("display_name"), role: role, scope: scope,
            csrfToken: table == SessionModel.schema ? try row.text("csrf_token") : "")
    }

    /// Ends a live token or session of a user (found by id): false when the user has none with the
    /// id, or it has ended already.
    public static func revoke<C: UserCredential>(_: C.Type, id: UUID, of userID: UUID, now: Date, on database: any Database) async throws -> Bool {
        guard let credential = try await C.find(id, on: database), credential.userID == userID, credential.revokedAt == nil else { return false }
        credential.revokedAt = now
        try await credential.update(on: database)
        return true
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

    public static func recordFailure(username: String, address: String, at time: Date, on database: any Database) async throws {
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
    var userID: UUID { get }
    var expiresAt: Date { get }
    var revokedAt: Date? { get set }
}

extension APITokenModel: UserCredential {
    public static let auditAction = "auth.token"
    public static let auditEntityType = "api_token"
    public var userID: UUID { $user.id }
}

extension SessionModel: UserCredential {
    public static let auditAction = "auth.session"
    public static let auditEntityType = "session"
    public var userID: UUID { $user.id }
}
