/// A level of the administrative tree that scopes all data: province ⊃ city ⊃ district ⊃ park.
/// Shanghai is a municipality (直辖市): its city stands at the top with no province above it; the
/// Delta provinces (江苏、浙江、安徽) hold the cities their enterprises are registered in.
public enum RegionLevel: String, Sendable, Codable, CaseIterable, Comparable {
    /// 省 — a Delta partner province.
    case province
    /// 市 — Shanghai, or a city of a partner province.
    case city
    /// 区
    case district
    /// 园区 — an industrial park, inside exactly one district.
    case park

    /// The level a region of this level sits directly under, if any (Shanghai, the one city with
    /// no province, is the exception the tree allows).
    public var parentLevel: RegionLevel? {
        switch self {
        case .province: nil
        case .city: .province
        case .district: .city
        case .park: .district
        }
    }

    /// The Chinese label used on pages.
    public var label: String {
        switch self {
        case .province: "省"
        case .city: "市"
        case .district: "区"
        case .park: "园区"
        }
    }

    private var depth: Int {
        switch self {
        case .province: 0
        case .city: 1
        case .district: 2
        case .park: 3
        }
    }

    public static func < (lhs: RegionLevel, rhs: RegionLevel) -> Bool { lhs.depth < rhs.depth }
}

/// One node of the administrative tree: a province, a city, a district (GB/T 2260 codes) or a park
/// (stable slug).
public struct Region: Sendable, Hashable, Codable {
    public var code: String
    public var name: String
    public var level: RegionLevel
    public var parentCode: String?

    public init(code: String, name: String, level: RegionLevel, parentCode: String?) {
        self.code = code
        self.name = name
        self.level = level
        self.parentCode = parentCode
    }
}

/// A whole tree of regions, checked for shape: one home city with no province above it (Shanghai),
/// every other node under a parent of the level directly above it, codes unique.
public struct RegionTree: Sendable {
    public let regions: [Region]

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case duplicateCode(String)
        case invalidCode(String)
        case missingParent(code: String, parent: String?)
        case wrongParentLevel(code: String, parent: String)
        case cityCount(Int)

        public var description: String {
            switch self {
            case .duplicateCode(let code): "region code \(code) appears more than once"
            case .invalidCode(let code): "region code \(code) is not a GB/T 2260 code or a lower-case slug"
            case .missingParent(let code, let parent): "region \(code) names parent \(parent ?? "none"), which is not in the tree"
            case .wrongParentLevel(let code, let parent): "region \(code) sits under \(parent), which is not one level above it"
            case .cityCount(let count): "the tree must have exactly one city outside any province, found \(count)"
            }
        }
    }

    /// Validates the regions and keeps them ordered by level, then code.
    public init(_ regions: [Region]) throws(Problem) {
        var byCode: [String: Region] = [:]
        for region in regions {
            guard byCode[region.code] == nil else { throw .duplicateCode(region.code) }
            guard Self.isValidCode(region.code, level: region.level) else { throw .invalidCode(region.code) }
            byCode[region.code] = region
        }
        let cities = regions.filter { $0.level == .city && $0.parentCode == nil }.count
        guard cities == 1 else { throw .cityCount(cities) }
        for region in regions {
            guard let parentLevel = region.level.parentLevel, region.level != .city || region.parentCode != nil else {
                guard region.parentCode == nil else { throw .wrongParentLevel(code: region.code, parent: region.parentCode!) }
                continue
            }
            guard let parentCode = region.parentCode, let parent = byCode[parentCode] else {
                throw .missingParent(code: region.code, parent: region.parentCode)
            }
            guard parent.level == parentLevel else { throw .wrongParentLevel(code: region.code, parent: parentCode) }
        }
        self.regions = regions.sorted { ($0.level, $0.code) < ($1.level, $1.code) }
    }

    public func children(of code: String) -> [Region] {
        regions.filter { $0.parentCode == code }
    }

    /// The home city: the one city with no province above it.
    public var city: Region { regions.first { $0.level == .city && $0.parentCode == nil }! }

    /// Provinces, cities and districts carry six-digit GB/T 2260 codes; parks a stable lower-case slug.
    static func isValidCode(_ code: String, level: RegionLevel) -> Bool {
        switch level {
        case .province, .city, .district:
            code.count == 6 && code.allSatisfy(\.isASCII) && code.allSatisfy(\.isNumber)
        case .park:
            !code.isEmpty && code.count <= 64
                && code.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
        }
    }
}

/// A registration guidance service station (注册指导服务工作站): its scope is the districts it covers.
public struct ServiceStation: Sendable, Hashable, Codable {
    public var code: String
    public var name: String
    public var districts: [String]

    public init(code: String, name: String, districts: [String]) {
        self.code = code
        self.name = name
        self.districts = districts
    }
}
