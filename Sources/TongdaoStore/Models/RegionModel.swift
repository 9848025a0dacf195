import FluentKit
import TongdaoCore

/// A row of `regions`: the city, its districts and its parks.
public final class RegionModel: Model, @unchecked Sendable {
    public static let schema = "regions"

    /// GB/T 2260 code (city, district) or stable slug (park).
    @ID(custom: "code", generatedBy: .user) public var id: String?
    @Field(key: "name") public var name: String
    @Field(key: "level") public var level: RegionLevel
    @OptionalField(key: "parent_code") public var parentCode: String?

    public init() {}

    public init(_ region: Region) {
        self.id = region.code
        self.name = region.name
        self.level = region.level
        self.parentCode = region.parentCode
    }

    public var region: Region {
        Region(code: id ?? "", name: name, level: level, parentCode: parentCode)
    }
}
