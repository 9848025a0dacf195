import FluentKit
import Foundation
import TongdaoCore

/// The data `--demo` fills an empty database with. It grows as features land; today it adds
/// nothing beyond the reference data (the Shanghai tree) that every installation loads, and only
/// records that demo mode seeded the database, so that a restart in demo mode adds nothing.
public enum DemoData {
    public enum Outcome: Sendable, Equatable {
        /// The database held no data of its own and now holds the demo data.
        case seeded
        /// Demo data was seeded before, or the database holds real data; nothing was touched.
        case alreadyPopulated
    }

    /// Seeds the demo data, in one transaction, unless the database already has data of its own.
    /// Call it after the schema is migrated and the reference data loaded (`prepareDatabase`).
    public static func seedIfEmpty(on database: any Database) async throws -> Outcome {
        try await database.transaction { db in
            guard try await PlatformSetting.find(PlatformSetting.Key.demoSeededAt, on: db) == nil else {
                return .alreadyPopulated
            }
            let now = Date().formatted(.iso8601)
            try await PlatformSetting(key: PlatformSetting.Key.demoSeededAt, value: now).create(on: db)
            return .seeded
        }
    }
}
