import FluentKit
import Foundation
import TongdaoCore

/// The versions of a policy held as data, as JSON in one `platform_settings` row by key: read by day,
/// kept in the caller's transaction. No audit or permission here: those are the use case's.
public enum PolicyStore {
    /// Every version, by the day each is in force from (none stored: none).
    public static func versions<Policy: VersionedPolicy>(_: Policy.Type, key: String, on database: any Database) async throws -> [Policy] {
        guard let row = try await PlatformSetting.find(key, on: database),
            let versions = try? JSONDecoder().decode([Policy].self, from: Data(row.value.utf8))
        else { return [] }
        return versions.sorted { $0.effectiveFrom < $1.effectiveFrom }
    }

    /// The version in force on a day (the standard one before the first).
    public static func inForce<Policy: VersionedPolicy>(_: Policy.Type, key: String, on day: CivilDate, on database: any Database) async throws
        -> Policy
    {
        Policy.inForce(on: day, among: try await versions(Policy.self, key: key, on: database))
    }

    /// Keeps a version (one in force from the same day replaced); returns every version after.
    public static func store<Policy: VersionedPolicy>(_ policy: Policy, key: String, on db: any Database) async throws -> [Policy] {
        let versions = Policy.keeping(policy, among: try await versions(Policy.self, key: key, on: db))
        let value = try Audit.json(versions)
        if let row = try await PlatformSetting.find(key, on: db) {
            row.value = value
            try await row.update(on: db)
        } else {
            try await PlatformSetting(key: key, value: value).create(on: db)
        }
        return versions
    }
}
