import FluentKit
import Foundation

/// A row of `sessions`.
public final class SessionModel: Model, @unchecked Sendable {
    public static let schema = "sessions"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "user_id") public var user: UserModel
    /// SHA-256 of the cookie's value.
    @Field(key: "digest") public var digest: String
    @Field(key: "csrf_token") public var csrfToken: String
    @Field(key: "expires_at") public var expiresAt: Date
    @OptionalField(key: "revoked_at") public var revokedAt: Date?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(userID: UUID, digest: String, csrfToken: String, expiresAt: Date) {
        self.$user.id = userID
        self.digest = digest
        self.csrfToken = csrfToken
        self.expiresAt = expiresAt
    }
}
