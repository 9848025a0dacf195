import FluentKit
import Foundation
import SQLKit
import TongdaoCore

/// Reads and writes of the FAQ and case library and its search keys.
public enum LibraryStore {
    /// What a search or a browse is narrowed to.
    public struct Filter: Sendable, Equatable {
        public var kind: LibraryKind?
        public var topic: String?
        public var productCategory: ProductCategory?

        public init(kind: LibraryKind? = nil, topic: String? = nil, productCategory: ProductCategory? = nil) {
            self.kind = kind
            self.topic = topic
            self.productCategory = productCategory
        }

        var isEmpty: Bool { kind == nil && topic == nil && productCategory == nil }
    }

    /// An entry found, with its score (the summed weights of the query's keys it holds).
    public struct Hit: Sendable, Equatable {
        public var id: UUID
        public var score: Int
    }

    /// At most this many postings are read for one search: the query's rarest keys first, the
    /// commonest (which say least) left out once the sum would pass it.
    public static let postingBudget = 40_000

    /// The row of `library_gram_counts` that holds how many entries are published (no key is empty).
    static let publishedKey = ""

    /// The published entries holding the most of `keys` (weighted: a key held by few entries counts
    /// for more, `100 × ln((N + 1) / n)`), best first; those scoring under a third of the best left
    /// out.
    public static func search(keys: [String], filter: Filter, limit: Int, on database: any Database) async throws -> [Hit] {
        guard let sql = database as? any SQLDatabase, !keys.isEmpty else { return [] }
        var counts = try await entryCounts(of: keys + [publishedKey], on: sql)
        let total = counts.removeValue(forKey: publishedKey) ?? 0
        var chosen: [(key: String, weight: Int)] = []
        var read = 0
        for (key, entries) in counts.sorted(by: { ($0.value, $0.key) < ($1.value, $1.key) }) where entries > 0 {
            if !chosen.isEmpty, read + entries > postingBudget || chosen.count == 32 { break }
            read += entries
            chosen.append((key, KeyRanking.weight(total: total, holding: entries)))
        }
        guard !chosen.isEmpty else { return [] }
        var hits: [Hit]
        if filter.isEmpty {
            hits = try await scored(chosen, filter: filter, limit: limit, on: sql)
        } else {
            // The best candidates of every entry, then those the filter keeps (a lookup of a thousand
            // ids rather than a join for every posting); when fewer than asked survive a full
            // candidate list, the filter is narrow: the exact join, over the same postings.
            let candidates = try await scored(chosen, filter: LibraryStore.Filter(), limit: candidateLimit, on: sql)
            let kept = try await matching(candidates.map(\.id), filter, on: sql)
            hits = Array(candidates.filter { kept.contains($0.id) }.prefix(limit))
            if hits.count < limit, candidates.count == candidateLimit {
                hits = try await scored(chosen, filter: filter, limit: limit, on: sql)
            }
        }
        guard let best = hits.first?.score else { return [] }
        return hits.filter { $0.score * 3 >= best }
    }

    /// How many unfiltered candidates a filtered search ranks before it filters.
    static let candidateLimit = 1_000

    /// The entries holding the most of the chosen keys by their weights, best first, joined to the
    /// entries only when filtered.
    private static func scored(_ chosen: [(key: String, weight: Int)], filter: Filter, limit: Int, on sql: any SQLDatabase) async throws -> [Hit] {
        var query: SQLQueryString = "SELECT g.entry_id AS id, \(KeyRanking.score(of: "g.gram", chosen)) AS score FROM library_grams g"
        if !filter.isEmpty {
            query.appendInterpolation(raw: " JOIN library_entries e ON e.id = g.entry_id")
        }
        query.appendInterpolation(raw: " WHERE g.gram IN ")
        query.appendInterpolation(KeyRanking.list(chosen.map(\.key)))
        if let kind = filter.kind {
            query.appendInterpolation(raw: " AND e.kind = ")
            query.appendInterpolation(bind: kind.rawValue)
        }
        if let topic = filter.topic {
            query.appendInterpolation(raw: " AND e.topic = ")
            query.appendInterpolation(bind: topic)
        }
        if let category = filter.productCategory {
            query.appendInterpolation(raw: " AND e.product_category = ")
            query.appendInterpolation(bind: category.rawValue)
        }
        query.appendInterpolation(raw: " GROUP BY g.entry_id ORDER BY score DESC, g.entry_id LIMIT \(max(1, min(limit, candidateLimit)))")
        return try await sql.raw(query).rows().map { Hit(id: try $0.uuid("id"), score: try $0.int("score")) }
    }

    /// Which of `ids` the filter keeps.
    private static func matching(_ ids: [UUID], _ filter: Filter, on sql: any SQLDatabase) async throws -> Set<UUID> {
        guard !ids.isEmpty else { return [] }
        let query = sql.select().column("id").from("library_entries").where(SQLIdentifier("id"), .in, SQLBind.group(ids))
        if let kind = filter.kind { query.where("kind", .equal, SQLBind(kind.rawValue)) }
        if let topic = filter.topic { query.where("topic", .equal, SQLBind(topic)) }
        if let category = filter.productCategory { query.where("product_category", .equal, SQLBind(category.rawValue)) }
        return Set(try await query.rows().map { try $0.uuid("id") })
    }

    /// How many published entries hold each of `keys` (those none holds left out).
    static func entryCounts(of keys: [String], on sql: any SQLDatabase) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for start in stride(from: 0, to: keys.count, by: 500) {
            let rows = try await sql.select().column("gram").column("entries").from("library_gram_counts")
                .where(SQLIdentifier("gram"), .in, SQLBind.group(Array(keys[start..<min(start + 500, keys.count)]))).rows()
            for row in rows { counts[try row.text("gram")] = try row.int("entries") }
        }
        return counts
    }

    /// Adds a published entry's keys to the search (in the write that publishes it), and counts it
    /// among the published (the empty key's row).
    public static func index(entry id: UUID, keys: [String], on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for start in stride(from: 0, to: keys.count, by: 400) {
            let chunk = keys[start..<min(start + 400, keys.count)]
            let postings = sql.insert(into: "library_grams").columns("gram", "entry_id")
            let counts = sql.insert(into: "library_gram_counts").columns("gram", "entries")
            for key in chunk {
                postings.values(SQLBind(key), SQLBind(id))
                counts.values(SQLBind(key), SQLBind(1))
            }
            try await postings.run()
            if start == 0 { counts.values(SQLBind(publishedKey), SQLBind(1)) }
            try await counts.onConflict(with: ["gram"]) {
                $0.set(SQLColumn("entries"), to: SQLRaw("library_gram_counts.entries + 1"))
            }.run()
        }
    }

    /// Takes a published entry's keys out of the search (in the write that takes it down or
    /// sends it back for review).
    public static func unindex(entry id: UUID, keys: [String], on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for start in stride(from: 0, to: keys.count, by: 400) {
            let chunk = Array(keys[start..<min(start + 400, keys.count)])
            try await sql.delete(from: "library_grams").where("entry_id", .equal, SQLBind(id)).where(SQLIdentifier("gram"), .in, SQLBind.group(chunk))
                .run()
            try await sql.update("library_gram_counts").set(SQLIdentifier("entries"), to: SQLRaw("entries - 1"))
                .where(SQLIdentifier("gram"), .in, SQLBind.group(chunk + (start == 0 ? [publishedKey] : []))).run()
        }
        try await sql.delete(from: "library_gram_counts").where("entries", .lessThanOrEqual, SQLBind(0)).run()
    }

    /// How many published entries hold each key, as kept.
    static func keyCounts(on database: any Database) async throws -> [String: Int] {
        guard let sql = database as? any SQLDatabase else { return [:] }
        var counts: [String: Int] = [:]
        for row in try await sql.select().column("gram").column("entries").from("library_gram_counts").rows() {
            counts[try row.text("gram")] = try row.int("entries")
        }
        return counts
    }

    /// Replaces the keys' counts (a bulk load's, counted as it wrote the postings).
    static func replaceKeyCounts(_ counts: [String: Int], on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.delete(from: "library_gram_counts").run()
        try await BulkInsert.run(
            "library_gram_counts", columns: ["gram", "entries"], rows: counts.sorted { $0.key < $1.key }.map { [.text($0.key), .integer($0.value)] },
            on: database)
    }

    /// One more reading of a published entry (not a change of the entry: its version stays).
    public static func countView(of id: UUID, on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.update("library_entries").set(SQLIdentifier("views"), to: SQLRaw("views + 1"))
            .where("id", .equal, SQLBind(id)).where("status", .equal, SQLBind(LibraryStatus.published.rawValue)).run()
    }

    /// Published entries, newest or most read first, `offset` rows in.
    public static func browse(
        _ filter: Filter, mostRead: Bool, limit: Int, offset: Int, on database: any Database
    ) async throws -> [LibraryEntryModel] {
        let query = LibraryEntryModel.query(on: database).filter(\.$status == LibraryStatus.published.rawValue)
        if let kind = filter.kind { query.filter(\.$kind == kind.rawValue) }
        if let topic = filter.topic { query.filter(\.$topic == topic) }
        if let category = filter.productCategory { query.filter(\.$productCategory == category.rawValue) }
        if mostRead { query.sort(\.$views, .descending) }
        return try await query.sort(\.$publishedOn, .descending).sort(\.$id, .descending).range(offset..<(offset + limit)).all()
    }

    /// Entries with a status on a desk (nil: every desk), newest first.
    public static func queue(status: LibraryStatus, desk: String??, limit: Int, on database: any Database) async throws -> [LibraryEntryModel] {
        let query = LibraryEntryModel.query(on: database).filter(\.$status == status.rawValue)
        if case .some(let desk) = desk { query.filter(\.$station == desk) }
        return try await query.sort(\.$draftedOn, .descending).sort(\.$id, .descending).limit(limit).all()
    }
}
