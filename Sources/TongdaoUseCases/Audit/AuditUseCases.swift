import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

/// Reading the audit trail (the platform administrator and the city regulator).
public struct AuditUseCases: Sendable {
    let platform: Platform

    /// What the trail may be narrowed to, as typed: `entity` is a type (`enterprise`) or a type and
    /// an id (`enterprise:…`); `from` and `to` are Shanghai days, both inclusive.
    public struct Filter: Sendable, Equatable {
        public var entity: String?
        public var actor: String?
        public var from: String?
        public var to: String?

        public init(entity: String? = nil, actor: String? = nil, from: String? = nil, to: String? = nil) {
            self.entity = entity
            self.actor = actor
            self.from = from
            self.to = to
        }
    }

    /// Audit rows, newest first, `limit` at a time.
    public func list(_ filter: Filter, limit: Int = 100, cursor: String? = nil, by caller: Caller) async throws -> Page<AuditEntry> {
        try caller.require(.readAudit)
        var query = Audit.Filter(actor: filter.actor.nonBlank.map(TextRules.cleaned))
        if let entity = filter.entity.nonBlank.map(TextRules.cleaned) {
            let parts = entity.split(separator: ":", maxSplits: 1).map(String.init)
            query.entityType = parts[0]
            query.entityID = parts.count == 2 ? parts[1] : nil
        }
        var problems: [FieldProblem] = []
        func start(of text: String?, field: String, dayOffset: Int) -> Date? {
            guard let text = text.nonBlank else { return nil }
            guard let day = CivilDate(text) else {
                problems.append(FieldProblem(field, "must be a date YYYY-MM-DD", chinese: "请输入 YYYY-MM-DD 格式的日期"))
                return nil
            }
            return ShanghaiTime.start(of: day.adding(days: dayOffset))
        }
        query.from = start(of: filter.from, field: "from", dayOffset: 0)
        query.to = start(of: filter.to, field: "to", dayOffset: 1)
        guard problems.isEmpty else { throw UseCaseError.malformed(problems) }
        let after = try Cursor.id(cursor)
        let page = try await Audit.list(query, limit: limit, after: after, on: platform.database)
        let labels = try await People.labels(usernames: [], actors: page.entries.map(\.actor), on: platform.database)
        return Page(items: try page.entries.map { try AuditEntry($0, labels: labels) }, next: page.next.map { PageCursor(id: $0).token })
    }
}

extension Platform {
    public var audit: AuditUseCases { AuditUseCases(platform: self) }
}
