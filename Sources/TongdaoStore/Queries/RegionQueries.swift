import FluentKit
import TongdaoCore

/// Reads of the administrative tree. Regions are public reference data: no scope applies.
public enum RegionQueries {
    /// Regions, optionally of one level and/or directly under one parent, ordered by level then code.
    public static func list(level: RegionLevel? = nil, parent: String? = nil, on database: any Database) async throws -> [Region] {
        let query = RegionModel.query(on: database)
        if let level { query.filter(\.$level == level) }
        if let parent { query.filter(\.$parentCode == parent) }
        let regions = try await query.sort(\.$id).all().map(\.region)
        // Three levels only; a stable sort on the small result keeps the SQL portable.
        return regions.sorted { ($0.level, $0.code) < ($1.level, $1.code) }
    }

    /// Every region's name by its code (how pages and sheets name a district, a park or a city).
    public static func names(on database: any Database) async throws -> [String: String] {
        Dictionary(try await list(on: database).map { ($0.code, $0.name) }, uniquingKeysWith: { first, _ in first })
    }
}
