import FluentKit
import Foundation
import TongdaoCore

/// A row of `users`.
public final class UserModel: Model, @unchecked Sendable {
    public static let schema = "users"

    @ID(key: .id) public var id: UUID?
    @Field(key: "username") public var username: String
    /// bcrypt; the password itself is never stored.
    @Field(key: "password_hash") public var passwordHash: String
    @Field(key: "role") public var role: Role
    @Field(key: "scope") public var scope: Scope
    @Field(key: "disabled") public var disabled: Bool
    /// 姓名, as pages show the person (migration 023); empty when none was given.
    @Field(key: "display_name") public var displayName: String
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(username: String, passwordHash: String, role: Role, scope: Scope, displayName: String = "") {
        self.username = username
        self.passwordHash = passwordHash
        self.role = role
        self.scope = scope
        self.disabled = false
        self.displayName = displayName
    }

    /// How pages name the person: the display name, or the username when it has none.
    public var shownName: String { displayName.isEmpty ? username : displayName }
}

/// A row of `api_tokens`.
public final class APITokenModel: Model, @unchecked Sendable {
    public static let schema = "api_tokens"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "user_id") public var user: UserModel
    /// SHA-256 of the token, hex; the token itself is shown once and never stored.
    @Field(key: "digest") public var digest: String
    @Field(key: "expires_at") public var expiresAt: Date
    @OptionalField(key: "revoked_at") public var revokedAt: Date?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(userID: UUID, digest: String, expiresAt: Date) {
        self.$user.id = userID
        self.digest = digest
        self.expiresAt = expiresAt
    }
}

/// A row of `audit_log`. Append-only: nothing in the code updates or deletes it.
public final class AuditEntryModel: Model, @unchecked Sendable {
    public static let schema = "audit_log"

    @ID(key: .id) public var id: UUID?
    @Field(key: "at") public var at: Date
    /// `user:<username>` for people and API clients, `cli:<command>` for the command line.
    @Field(key: "actor") public var actor: String
    @OptionalField(key: "role") public var role: String?
    @Field(key: "action") public var action: String
    @Field(key: "entity_type") public var entityType: String
    @Field(key: "entity_id") public var entityID: String
    @OptionalField(key: "before") public var before: String?
    @OptionalField(key: "after") public var after: String?
    @OptionalField(key: "request_id") public var requestID: String?
    @OptionalField(key: "client_address") public var clientAddress: String?

    public init() {}
}
