import FluentKit
import Foundation
import TongdaoCore

/// Reference data shipped as resource files and loaded idempotently: running it twice changes nothing.
public enum ReferenceData {
    /// What one load did.
    public struct Outcome: Sendable, Equatable {
        public var inserted = 0
        public var updated = 0
        public var unchanged = 0

        public init(inserted: Int = 0, updated: Int = 0, unchanged: Int = 0) {
            self.inserted = inserted
            self.updated = updated
            self.unchanged = unchanged
        }
    }

    private struct RegionsFile: Decodable {
        var regions: [Region]
        var stations: [ServiceStation]
    }

    private static func regionsFile() throws -> RegionsFile {
        guard let url = Bundle.module.url(forResource: "regions", withExtension: "json") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try JSONDecoder().decode(RegionsFile.self, from: Data(contentsOf: url))
    }

    public enum StationProblem: Error, CustomStringConvertible {
        case duplicateCode(String)
        case unknownDistrict(station: String, district: String)

        public var description: String {
            switch self {
            case .duplicateCode(let code): "station code \(code) appears more than once"
            case .unknownDistrict(let station, let district): "station \(station) covers \(district), which is not a district"
            }
        }
    }

    private static let bundledStations: Result<[ServiceStation], any Error> = Result {
        let file = try regionsFile()
        let tree = try RegionTree(file.regions)
        let districts = Set(tree.regions.filter { $0.level == .district }.map(\.code))
        var seen: Set<String> = []
        for station in file.stations {
            guard seen.insert(station.code).inserted else { throw StationProblem.duplicateCode(station.code) }
            for district in station.districts where !districts.contains(district) {
                throw StationProblem.unknownDistrict(station: station.code, district: district)
            }
        }
        return file.stations.sorted { $0.code < $1.code }
    }

    /// The registration guidance service stations and the districts each covers, validated against
    /// the region tree.
    public static func stations() throws -> [ServiceStation] {
        try bundledStations.get()
    }

    /// Each station's name by its code.
    public static func stationNames() throws -> [String: String] {
        Dictionary(try stations().map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
    }

    /// How a page names a scope: 全市, a district's or a park's name, a station's, a province's; nil for an
    /// enterprise's (its name is in the register) or a code the reference data does not know.
    public static func label(of scope: Scope) -> String? {
        switch scope {
        case .city: return "全市"
        case .district(let code), .park(let code):
            return (try? regionTree())?.regions.first { $0.code == code }?.name
        case .station(let code):
            return (try? stations())?.first { $0.code == code }?.name
        case .province(let province): return province.name
        case .enterprise, .institution: return nil
        }
    }

    private static let bundledTree: Result<RegionTree, any Error> = Result { try RegionTree(regionsFile().regions) }

    /// The Shanghai tree from `Seed/Resources/regions.json`, validated (read once).
    public static func regionTree() throws -> RegionTree {
        try bundledTree.get()
    }

    /// Loads all reference data: the regions (corrected when changed) and any bundled procedure
    /// version not stored yet. The outcome counts regions.
    @discardableResult
    public static func load(on database: any Database) async throws -> Outcome {
        let outcome = try await loadRegions(on: database)
        try await ProcedureStore.seedMissing(on: database)
        return outcome
    }

    /// Inserts missing regions and corrects changed ones, in one transaction.
    @discardableResult
    public static func loadRegions(on database: any Database) async throws -> Outcome {
        let tree = try regionTree()
        return try await database.transaction { db in
            let existing = try await RegionModel.query(on: db).all()
            let byCode = Dictionary(uniqueKeysWithValues: existing.compactMap { model in model.id.map { ($0, model) } })
            var outcome = Outcome()
            // Parents first: the tree is ordered by level, so a park's district already exists.
            for region in tree.regions {
                if let model = byCode[region.code] {
                    if model.region == region {
                        outcome.unchanged += 1
                    } else {
                        model.name = region.name
                        model.level = region.level
                        model.parentCode = region.parentCode
                        try await model.update(on: db)
                        outcome.updated += 1
                    }
                } else {
                    try await RegionModel(region).create(on: db)
                    outcome.inserted += 1
                }
            }
            return outcome
        }
    }
}
