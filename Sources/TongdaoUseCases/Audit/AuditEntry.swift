import FluentKit
import Foundation
import TongdaoStore

/// One row of the audit trail, as the page and `GET /api/v1/audit` show it.
public struct AuditEntry: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var at: Date
    /// `user:<username>`, `cli:<command>`, `system:<job>`.
    public var actor: String
    public var role: String?
    public var action: String
    public var entityType: String
    public var entityID: String
    /// JSON, as the write recorded it.
    public var before: String?
    public var after: String?
    public var requestID: String?
    public var clientAddress: String?
    /// How a page names the actor: the person's 姓名, 命令行, 平台自动任务.
    public var actorLabel: String

    init(_ model: AuditEntryModel, labels: [String: String] = [:]) throws {
        actorLabel = labels[model.actor] ?? model.actor
        id = try model.requireID()
        at = model.at
        actor = model.actor
        role = model.role
        action = model.action
        entityType = model.entityType
        entityID = model.entityID
        before = model.before
        after = model.after
        requestID = model.requestID
        clientAddress = model.clientAddress
    }
}
