import FluentKit
import Foundation
import SQLKit
import TongdaoCore

/// Reads of guidance records, each in the caller's scope (the enterprise's).
public enum GuidanceStore {
    public static func find(id: UUID, scope: ScopeFilter, on database: any Database) async throws -> GuidanceRecordModel? {
        try await GuidanceRecordModel.query(on: database).filter(\.$id == id).scoped(to: scope).first()
    }

    /// Records in scope, the latest session first: of a product, a desk, or those with open follow-ups.
    public static func list(
        product: UUID? = nil, desk: String? = nil, openOnly: Bool = false, scope: ScopeFilter, limit: Int = 200, on database: any Database
    ) async throws -> [GuidanceRecordModel] {
        let query = GuidanceRecordModel.query(on: database).scoped(to: scope)
        if let product { query.filter(\.$productID == product) }
        if let desk { query.filter(\.$desk == desk) }
        if openOnly { query.filter(\.$openFollowUps > 0) }
        return try await query.sort(\.$heldOn, .descending).sort(\.$id, .descending).limit(limit).all()
    }

    /// Sessions by desk and month (`YYYY-MM`) in a year, in scope: the counts the industry
    /// department reads, and the assessments.
    public struct Count: Sendable, Equatable {
        public var desk: String
        public var month: String
        public var sessions: Int
        public var enterprises: Int
        public var products: Int
    }

    public static func counts(year: Int, scope: ScopeFilter, on database: any Database) async throws -> [Count] {
        let rows = try await GuidanceRecordModel.query(on: database).scoped(to: scope)
            .filter(\.$heldOn >= "\(year)-01-01").filter(\.$heldOn <= "\(year)-12-31").all()
        var grouped: [String: (sessions: Int, enterprises: Set<UUID>, products: Set<UUID>)] = [:]
        for row in rows {
            let key = "\(row.desk)|\(row.heldOn.prefix(7))"
            var entry = grouped[key] ?? (0, [], [])
            entry.sessions += 1
            entry.enterprises.insert(row.enterpriseID)
            if let product = row.productID { entry.products.insert(product) }
            grouped[key] = entry
        }
        return grouped.map { key, value in
            let parts = key.split(separator: "|").map(String.init)
            return Count(
                desk: parts[0], month: parts[1], sessions: value.sessions, enterprises: value.enterprises.count, products: value.products.count)
        }.sorted { ($0.desk, $0.month) < ($1.desk, $1.month) }
    }

    /// A new record's id, made from its moment.
    public static func newID(now: Date) -> UUID { TimeOrderedID.make(now: now) }
}
