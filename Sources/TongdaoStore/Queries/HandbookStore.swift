import FluentKit
import Foundation
import SQLKit
import TongdaoCore

/// Reads and writes of the policy handbook (政策手册) and its search keys.
public enum HandbookStore {
    /// What a search or a list is narrowed to.
    public struct Filter: Sendable, Equatable {
        public var level: PolicyLevel?
        /// Policies that apply in this district: the nation's, the city's and the district's own.
        public var district: String?
        public var topic: PolicyTopic?
        /// Policies covering any of these product types (those naming none cover every type).
        public var categories: [ProductCategory]
        /// Only policies in force on this day; nil: whatever their status.
        public var inForceOn: CivilDate?

        public init(
            level: PolicyLevel? = nil, district: String? = nil, topic: PolicyTopic? = nil, categories: [ProductCategory] = [],
            inForceOn: CivilDate? = nil
        ) {
            self.level = level
            self.district = district
            self.topic = topic
            self.categories = categories
            self.inForceOn = inForceOn
        }
    }

    /// The policies the filter keeps: with `keys`, those holding most of them by weight (rare keys
    /// weigh more; those scoring under a third of the best left out), best first; without, the
    /// nation's, then the city's, then the districts', the newest first in each.
    public static func search(keys: [String], filter: Filter, limit: Int, offset: Int, on database: any Database) async throws
        -> [HandbookPolicyModel]
    {
        guard let sql = database as? any SQLDatabase else { return [] }
        let words = Array(Set(keys.filter { !$0.hasPrefix("#") }))
        let ids: [UUID]
        if words.isEmpty {
            var query: SQLQueryString = "SELECT p.id AS id FROM policies p WHERE \(conditions(filter))"
            query.appendInterpolation(
                raw: " ORDER BY CASE p.level WHEN 'national' THEN 0 WHEN 'city' THEN 1 ELSE 2 END, p.district_code, p.effective_on DESC, p.id")
            query.appendInterpolation(raw: " LIMIT \(max(1, limit)) OFFSET \(max(0, offset))")
            ids = try await sql.raw(query).rows().map { try $0.uuid("id") }
        } else {
            var holding: [String: Int] = [:]
            let counted: SQLQueryString = "SELECT key, COUNT(*) AS n FROM policy_keys WHERE key IN \(KeyRanking.list(words)) GROUP BY key"
            for row in try await sql.raw(counted).rows() { holding[try row.text("key")] = try row.int("n") }
            guard !holding.isEmpty else { return [] }
            let total = try await HandbookPolicyModel.query(on: database).count()
            let weights = holding.sorted { $0.key < $1.key }.map { (key: $0.key, weight: KeyRanking.weight(total: total, holding: $0.value)) }
            var query: SQLQueryString = "SELECT k.policy_id AS id, \(KeyRanking.score(of: "k.key", weights)) AS score"
            query.appendInterpolation(raw: " FROM policy_keys k JOIN policies p ON p.id = k.policy_id WHERE k.key IN ")
            query.appendInterpolation(KeyRanking.list(weights.map(\.key)))
            query.appendInterpolation(raw: " AND ")
            query.appendInterpolation(conditions(filter))
            query.appendInterpolation(raw: " GROUP BY k.policy_id ORDER BY score DESC, k.policy_id LIMIT \(max(1, limit)) OFFSET \(max(0, offset))")
            let hits = try await sql.raw(query).rows().map { (id: try $0.uuid("id"), score: try $0.int("score")) }
            let best = hits.first?.score ?? 0
            ids = hits.filter { $0.score * 3 >= best }.map(\.id)
        }
        guard !ids.isEmpty else { return [] }
        let models = Dictionary(
            uniqueKeysWithValues: try await HandbookPolicyModel.query(on: database).filter(\.$id ~~ ids).all().map { ($0.id ?? UUID(), $0) })
        return ids.compactMap { models[$0] }
    }

    /// How many policies the filter keeps (text aside).
    public static func count(_ filter: Filter, on database: any Database) async throws -> Int {
        guard let sql = database as? any SQLDatabase else { return 0 }
        let query: SQLQueryString = "SELECT COUNT(*) AS n FROM policies p WHERE \(conditions(filter))"
        return try await sql.raw(query).rows().first.map { try $0.int("n") } ?? 0
    }

    /// The filter as a condition on `policies p`, its values bound.
    static func conditions(_ filter: Filter) -> SQLQueryString {
        var where_: SQLQueryString = "1 = 1"
        if let level = filter.level {
            where_.appendInterpolation(raw: " AND p.level = ")
            where_.appendInterpolation(bind: level.rawValue)
        }
        if let district = filter.district {
            where_.appendInterpolation(raw: " AND (p.level <> 'district' OR p.district_code = ")
            where_.appendInterpolation(bind: district)
            where_.appendInterpolation(raw: ")")
        }
        if let day = filter.inForceOn?.description {
            where_.appendInterpolation(raw: " AND p.effective_on <= ")
            where_.appendInterpolation(bind: day)
            where_.appendInterpolation(raw: " AND (p.expires_on IS NULL OR p.expires_on >= ")
            where_.appendInterpolation(bind: day)
            where_.appendInterpolation(raw: ") AND (p.repealed_on IS NULL OR p.repealed_on > ")
            where_.appendInterpolation(bind: day)
            where_.appendInterpolation(raw: ")")
        }
        var tagged: [[String]] = []
        if let topic = filter.topic { tagged.append([PolicyKeys.topic(topic)]) }
        if !filter.categories.isEmpty { tagged.append(filter.categories.map(PolicyKeys.category)) }
        for keys in tagged {
            where_.appendInterpolation(raw: " AND EXISTS (SELECT 1 FROM policy_keys t WHERE t.policy_id = p.id AND t.key IN ")
            where_.appendInterpolation(KeyRanking.list(keys))
            where_.appendInterpolation(raw: ")")
        }
        return where_
    }

    /// The search keys of a policy: its words (title, number, bodies, points), topics and product types.
    public static func keys(of model: HandbookPolicyModel) -> [String] {
        PolicyKeys.keys(
            title: model.title,
            body: [model.documentNumber ?? "", model.issuer, model.responsibleBody, model.summary].joined(separator: "\n"),
            topics: codes(model.topics), categories: codes(model.categories))
    }

    /// Codes joined by commas, read back (unknown ones skipped).
    public static func codes<T: LabelledCode>(_ joined: String) -> [T] {
        joined.split(separator: ",").compactMap { T(rawValue: String($0)) }
    }

    /// Replaces a policy's search keys (in the write that records or changes it).
    public static func reindex(policy id: UUID, keys: [String], on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.delete(from: "policy_keys").where("policy_id", .equal, SQLBind(id)).run()
        let distinct = Array(Set(keys)).sorted()
        for start in stride(from: 0, to: distinct.count, by: 400) {
            let insert = sql.insert(into: "policy_keys").columns("key", "policy_id")
            for key in distinct[start..<min(start + 400, distinct.count)] { insert.values(SQLBind(key), SQLBind(id)) }
            try await insert.run()
        }
    }
}
