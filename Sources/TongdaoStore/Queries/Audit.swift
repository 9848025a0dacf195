import FluentKit
import Foundation

/// Who did a write, as the audit trail records it.
public struct AuditActor: Sendable, Equatable {
    public var name: String
    public var role: String?
    public var requestID: String?
    public var clientAddress: String?

    public init(name: String, role: String? = nil, requestID: String? = nil, clientAddress: String? = nil) {
        self.name = name
        self.role = role
        self.requestID = requestID
        self.clientAddress = clientAddress
    }

    /// A command-line write: `cli:<command>`.
    public static func commandLine(_ command: String) -> AuditActor { AuditActor(name: "cli:\(command)") }
}

/// Appends audit rows. Call it inside the write's own transaction, so that the entity and its audit
/// row commit together or not at all.
public enum Audit {
    public static func record(
        _ action: String, entityType: String, entityID: String, before: String?, after: String?,
        by actor: AuditActor, on database: any Database, at time: Date = Date()
    ) async throws {
        let entry = AuditEntryModel()
        entry.at = time
        entry.actor = actor.name
        entry.role = actor.role
        entry.action = action
        entry.entityType = entityType
        entry.entityID = entityID
        entry.before = before
        entry.after = after
        entry.requestID = actor.requestID
        entry.clientAddress = actor.clientAddress
        try await entry.create(on: database)
    }
}
