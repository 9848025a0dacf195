import FluentKit
import TongdaoCore

/// The data `--demo` fills an empty database with. It grows as features land; today it is the
/// reference data (the Shanghai tree), which every installation has anyway.
public enum DemoData {
    public enum Outcome: Sendable, Equatable {
        /// The database was empty and now holds the demo data.
        case seeded
        /// The database already held data, which demo mode never touches.
        case alreadyPopulated
    }

    /// Seeds the demo data if the database holds no data of its own yet.
    public static func seedIfEmpty(on database: any Database) async throws -> Outcome {
        let load = try await ReferenceData.load(on: database)
        return load.inserted > 0 ? .seeded : .alreadyPopulated
    }
}
