import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

/// A user account as the administration shows it (never its password hash).
public struct UserRecord: Sendable, Equatable {
    public var id: UUID
    public var username: String
    /// 姓名; empty when none was given.
    public var displayName: String
    public var role: Role
    public var scope: Scope
    public var disabled: Bool
    public var createdAt: Date?
    /// How a page names the scope: 浦东新区, 张江, 徐汇服务工作站, an enterprise's name.
    public var scopeLabel: String = ""

    public init(id: UUID, username: String, displayName: String = "", role: Role, scope: Scope, disabled: Bool, createdAt: Date?) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.role = role
        self.scope = scope
        self.disabled = disabled
        self.createdAt = createdAt
    }

    init(_ model: UserModel) throws {
        self.init(
            id: try model.requireID(), username: model.username, displayName: model.displayName, role: model.role, scope: model.scope,
            disabled: model.disabled, createdAt: model.createdAt)
    }
}

/// What the audit trail keeps of an account when it is made.
struct UserAudit: Encodable {
    var displayName: String
    var role: String
    var scope: String
    var disabled: Bool
}

/// A new account as the administration form, `POST /api/v1/users` or `tongdao user create` submits it.
public struct NewUserInput: Sendable, Equatable {
    public var username: String
    /// 姓名, as typed; may be empty.
    public var displayName: String
    /// A `Role` code.
    public var role: String
    /// `city`, `district:CODE`, `park:CODE`, `station:CODE`, `enterprise:USCC`, `institution:ID` or `province:JS|ZJ|AH`.
    public var scope: String
    public var password: String

    /// The longest display name.
    public static let displayNameLength = 40

    public init(username: String, displayName: String = "", role: String, scope: String, password: String) {
        self.username = username
        self.displayName = displayName
        self.role = role
        self.scope = scope
        self.password = password
    }
}
