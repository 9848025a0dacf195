import Foundation

/// A policy held as data in versions, each in force from a day (`YYYY-MM-DD`) until the next one:
/// the PI-load thresholds, the inspection plan's figures, the credit points. Before the first
/// version, the standard one is in force.
public protocol VersionedPolicy: Codable, Sendable, Equatable {
    var effectiveFrom: String { get }
    static var standard: Self { get }
    /// What is wrong with the version, put in force on `today` or later: each figure named.
    func problems(today: CivilDate) -> [FieldProblem]
}

extension VersionedPolicy {
    /// The version in force on a day: the latest one from that day or before (the standard one if none).
    public static func inForce(on day: CivilDate, among versions: [Self]) -> Self {
        versions.filter { CivilDate($0.effectiveFrom).map { $0 <= day } ?? false }.max { $0.effectiveFrom < $1.effectiveFrom } ?? .standard
    }

    /// The versions with `version` put in force from its day (one from the same day replaced), by day.
    public static func keeping(_ version: Self, among versions: [Self]) -> [Self] {
        (versions.filter { $0.effectiveFrom != version.effectiveFrom } + [version]).sorted { $0.effectiveFrom < $1.effectiveFrom }
    }
}
