/// The four regulators of the Yangtze River Delta (长三角): Shanghai and its three partner provinces.
/// A province is read from the first two digits of a GB/T 2260 code, so from a unified social
/// credit code's region code too (its characters 3–8).
public enum DeltaProvince: String, LabelledCode, Comparable {
    /// 上海市 — the platform's own city.
    case shanghai = "SH"
    /// 江苏省
    case jiangsu = "JS"
    /// 浙江省
    case zhejiang = "ZJ"
    /// 安徽省
    case anhui = "AH"

    /// The three provinces whose regulators are partners on the platform.
    public static let partners: [DeltaProvince] = [.jiangsu, .zhejiang, .anhui]

    /// The first two digits of every GB/T 2260 code in the province.
    public var prefix: String {
        switch self {
        case .shanghai: "31"
        case .jiangsu: "32"
        case .zhejiang: "33"
        case .anhui: "34"
        }
    }

    /// The province's own GB/T 2260 code (Shanghai's is its city's).
    public var code: String { prefix + "0000" }

    public var name: String {
        switch self {
        case .shanghai: "上海市"
        case .jiangsu: "江苏省"
        case .zhejiang: "浙江省"
        case .anhui: "安徽省"
        }
    }

    public var label: String { name }

    /// The one-character name (沪、苏、浙、皖) used on the map and in narrow columns.
    public var shortName: String {
        switch self {
        case .shanghai: "沪"
        case .jiangsu: "苏"
        case .zhejiang: "浙"
        case .anhui: "皖"
        }
    }

    /// The provincial regulator's name.
    public var regulator: String {
        switch self {
        case .shanghai: "上海市药品监督管理局"
        case .jiangsu: "江苏省药品监督管理局"
        case .zhejiang: "浙江省药品监督管理局"
        case .anhui: "安徽省药品监督管理局"
        }
    }

    public var isPartner: Bool { self != .shanghai }

    /// The province of a six-digit region code, if it is one of the four.
    public init?(regionCode: some StringProtocol) {
        guard regionCode.count == 6, regionCode.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        guard let province = Self.allCases.first(where: { regionCode.hasPrefix($0.prefix) }) else { return nil }
        self = province
    }

    /// The province a unified social credit code was issued in, read from its region code (characters
    /// 3–8); nil for a code of elsewhere or one too short to hold a region.
    public init?(uscc: String) {
        let characters = Array(uscc)
        guard characters.count == 18 else { return nil }
        self.init(regionCode: String(characters[2..<8]))
    }

    /// Whether a region code lies in the province.
    public func contains(regionCode: String) -> Bool { DeltaProvince(regionCode: regionCode) == self }

    public static func < (lhs: DeltaProvince, rhs: DeltaProvince) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
