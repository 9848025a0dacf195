import Foundation

/// A credential that has just ended: one API token or web session of a user, or every one of them
/// (the user disabled, its password reset). Open live streams signed in with it end at once.
public struct CredentialRevocation: Codable, Sendable, Equatable {
    public var revokedUser: UUID
    /// The token or session, or nil for every credential of the user.
    public var credential: UUID?

    public init(user: UUID, credential: UUID? = nil) {
        revokedUser = user
        self.credential = credential
    }

    /// Whether a stream opened by `user` with `credential` is ended by this revocation.
    public func ends(user: UUID, credential: UUID?) -> Bool {
        user == revokedUser && (self.credential == nil || self.credential == credential)
    }
}
