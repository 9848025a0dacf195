import Foundation

/// Where a record sits in the administrative tree: every scoped record names its district, its
/// park when it is in one, and its enterprise when it belongs to one.
public struct RecordLocation: Sendable, Hashable {
    public var district: String
    public var park: String?
    /// The owning enterprise's unified social credit code.
    public var enterprise: String?
    /// The trial institutions a record involves (a trial's sites): what an institution's office sees.
    public var institutions: Set<UUID>

    public init(district: String, park: String? = nil, enterprise: String? = nil, institutions: Set<UUID> = []) {
        self.district = district
        self.park = park
        self.enterprise = enterprise
        self.institutions = institutions
    }
}

/// A scope resolved against the reference data, ready to filter with: a station becomes the set of
/// districts it covers. The store turns it into a `WHERE` clause; `admits` is the same rule in memory,
/// and the tests hold the two to each other.
public enum ScopeFilter: Sendable, Hashable {
    /// The city: every record.
    case everything
    /// A district, or a station's districts (empty for an unknown station: it sees nothing).
    case districts(Set<String>)
    /// One park (a park lies in one district, so its records are a subset of that district's).
    case park(String)
    /// One enterprise, by USCC.
    case enterprise(String)
    /// One trial institution: its own record, its investigators, and the trials with a site there;
    /// nothing of the enterprise and product registry.
    case institution(UUID)
    /// A partner province of the Delta: the records located in it (an enterprise registered there);
    /// its regulator reads the registry only through what the Delta's records involve or share.
    case province(DeltaProvince)

    static let noInstitution = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))

    /// Resolves a user's scope. `stationDistricts` answers the districts a station covers, or nil for
    /// an unknown station.
    public static func resolve(_ scope: Scope, stationDistricts: (String) -> Set<String>?) -> ScopeFilter {
        switch scope {
        case .city: .everything
        case .district(let code): .districts([code])
        case .park(let code): .park(code)
        case .station(let code): .districts(stationDistricts(code) ?? [])
        case .enterprise(let uscc): .enterprise(uscc)
        // A malformed id (parsing refuses one) sees nothing.
        case .institution(let id): .institution(UUID(uuidString: id) ?? Self.noInstitution)
        case .province(let province): .province(province)
        }
    }

    /// Whether a record at `location` is inside this scope: city ⊃ district ⊃ park ⊃ enterprise.
    public func admits(_ location: RecordLocation) -> Bool {
        switch self {
        case .everything: true
        case .districts(let codes): codes.contains(location.district)
        case .park(let code): location.park == code
        case .enterprise(let uscc): location.enterprise == uscc
        case .institution(let id): location.institutions.contains(id)
        case .province(let province): province.contains(regionCode: location.district)
        }
    }
}
