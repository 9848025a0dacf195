import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

/// A user account as the administration shows it (never its password hash).
public struct UserRecord: Sendable, Equatable {
    public var id: UUID
    public var username: String
    public var role: Role
    public var scope: Scope
    public var disabled: Bool
    public var createdAt: Date?

    public init(id: UUID, username: String, role: Role, scope: Scope, disabled: Bool, createdAt: Date?) {
        self.id = id
        self.username = username
        self.role = role
        self.scope = scope
        self.disabled = disabled
        self.createdAt = createdAt
    }

    init(_ model: UserModel) throws {
        self.init(
            id: try model.requireID(), username: model.username, role: model.role, scope: model.scope, disabled: model.disabled,
            createdAt: model.createdAt)
    }
}

/// A new account as the administration form, `POST /api/v1/users` or `tongdao user create` submits it.
public struct NewUserInput: Sendable, Equatable {
    public var username: String
    /// A `Role` code.
    public var role: String
    /// `city`, `district:CODE`, `park:CODE`, `station:CODE` or `enterprise:USCC`.
    public var scope: String
    public var password: String

    public init(username: String, role: String, scope: String, password: String) {
        self.username = username
        self.role = role
        self.scope = scope
        self.password = password
    }
}
