import Foundation
import TongdaoCore
import TongdaoStore

/// Who calls a use case: a signed-in user with its role and scope, or the platform itself (a
/// command the operator runs on the server, a scheduled job), which may do everything in the whole
/// city. Every use case checks its permission and scope against the caller, and its audit row names it.
public struct Caller: Sendable, Equatable {
    public enum Identity: Sendable, Equatable {
        case user(id: UUID, username: String, role: Role)
        /// The operator's command line or one of the platform's jobs.
        case platform
        /// Nobody signed in (a sign-in attempt): may do nothing.
        case anonymous
    }

    public let identity: Identity
    public let scope: Scope
    /// The scope resolved for queries (a station becomes the districts it covers).
    public let filter: ScopeFilter
    /// How the audit trail names the caller.
    public let audit: AuditActor
    /// How pages name a signed-in user (姓名, or the username when it has none).
    public private(set) var displayName: String?

    public init(identity: Identity, scope: Scope, audit: AuditActor) {
        self.identity = identity
        self.scope = scope
        self.filter = ReferenceData.filter(for: scope)
        self.audit = audit
    }

    /// A signed-in user, as a request carries it.
    public static func user(
        id: UUID, username: String, displayName: String? = nil, role: Role, scope: Scope, requestID: String? = nil, clientAddress: String? = nil
    ) -> Caller {
        var caller = Caller(
            identity: .user(id: id, username: username, role: role), scope: scope,
            audit: AuditActor(name: "user:\(username)", role: role.rawValue, requestID: requestID, clientAddress: clientAddress))
        caller.displayName = displayName ?? username
        return caller
    }

    /// A command run by the operator on the server: `cli:<command>` in the audit trail.
    public static func commandLine(_ command: String) -> Caller {
        Caller(identity: .platform, scope: .city, audit: .commandLine(command))
    }

    /// One of the platform's own jobs: `system:<name>` in the audit trail.
    public static func system(_ name: String) -> Caller {
        Caller(identity: .platform, scope: .city, audit: AuditActor(name: "system:\(name)", role: "system"))
    }

    /// Nobody signed in, as the audit trail names an attempt to sign in.
    public static func anonymous(requestID: String?, clientAddress: String?) -> Caller {
        Caller(identity: .anonymous, scope: .city, audit: AuditActor(name: "anonymous", requestID: requestID, clientAddress: clientAddress))
    }

    public var username: String? {
        if case .user(_, let username, _) = identity { username } else { nil }
    }

    public var role: Role? {
        if case .user(_, _, let role) = identity { role } else { nil }
    }

    public var userID: UUID? {
        if case .user(let id, _, _) = identity { id } else { nil }
    }

    /// Whether the caller's role may perform `action` at all (the platform may do everything).
    public func may(_ action: Action) -> Bool {
        switch identity {
        case .user(_, _, let role): AccessPolicy.allows(role, action)
        case .platform: true
        case .anonymous: false
        }
    }

    /// Refuses with `.forbidden` unless the caller may perform `action`.
    func require(_ action: Action) throws(UseCaseError) {
        guard may(action) else { throw .forbidden(action, role: role) }
    }

    /// Whether a record at `location` lies in the caller's scope.
    func admits(_ location: RecordLocation) -> Bool {
        filter.admits(location)
    }
}
