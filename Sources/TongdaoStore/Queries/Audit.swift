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
        by actor: AuditActor, on database: any Database, at time: Date
    ) async throws {
        let entry = AuditEntryModel()
        entry.id = TimeOrderedID.make(now: time)
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

extension Audit {
    /// The JSON an audit row records as before or after: keys sorted, so equal states read equal.
    public static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// What `GET /api/v1/audit` may filter on. `to` is exclusive.
    public struct Filter: Sendable, Equatable {
        public var entityType: String?
        public var entityID: String?
        public var actor: String?
        public var from: Date?
        public var to: Date?

        public init(entityType: String? = nil, entityID: String? = nil, actor: String? = nil, from: Date? = nil, to: Date? = nil) {
            self.entityType = entityType
            self.entityID = entityID
            self.actor = actor
            self.from = from
            self.to = to
        }
    }

    /// Audit rows, newest first, `limit` at a time; `after` is the last id of the previous page.
    public static func list(
        _ filter: Filter, limit: Int, after: UUID? = nil, on database: any Database
    ) async throws -> (entries: [AuditEntryModel], next: UUID?) {
        let query = AuditEntryModel.query(on: database)
        if let type = filter.entityType { query.filter(\.$entityType == type) }
        if let id = filter.entityID { query.filter(\.$entityID == id) }
        if let actor = filter.actor { query.filter(\.$actor == actor) }
        if let from = filter.from { query.filter(\.$at >= from) }
        if let to = filter.to { query.filter(\.$at < to) }
        if let after { query.filter(\.$id < after) }
        let page = try await query.sort(\.$id, .descending).page(limit: limit)
        return (page.rows, page.more ? page.rows.last?.id : nil)
    }
}
