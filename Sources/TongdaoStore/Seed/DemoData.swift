import FluentKit
import Foundation
import TongdaoCore

/// The data `--demo` fills an empty database with. It grows as features land; today it is the
/// reference data (the Shanghai tree). Seeding is recorded, so a restart in demo mode adds nothing.
public enum DemoData {
    public enum Outcome: Sendable, Equatable {
        /// The database held no data of its own and now holds the demo data.
        case seeded
        /// Demo data was seeded before, or the database holds real data; nothing was touched.
        case alreadyPopulated
    }

    /// Seeds the demo data, in one transaction, unless the database already has data of its own.
    public static func seedIfEmpty(on database: any Database) async throws -> Outcome {
        try await ReferenceData.load(on: database)
        return try await database.transaction { db in
            guard try await PlatformSetting.find(PlatformSetting.Key.demoSeededAt, on: db) == nil else {
                return .alreadyPopulated
            }
            let now = Date().formatted(.iso8601)
            try await PlatformSetting(key: PlatformSetting.Key.demoSeededAt, value: now).create(on: db)
            return .seeded
        }
    }
}
