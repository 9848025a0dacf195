import Foundation

/// What an enterprise is to the regulator (an enterprise may be several; the registry records the
/// main one).
public enum EnterpriseKind: String, Sendable, Codable, CaseIterable {
    /// 注册人 — holds (or will hold) the registration certificate.
    case registrant
    /// 生产企业
    case manufacturer
    /// 受托生产企业 (contract development and manufacturing)
    case cdmo
    /// 合同研究组织 (contract research)
    case cro
    /// 经营企业
    case distributor

    public var label: String {
        switch self {
        case .registrant: "注册人"
        case .manufacturer: "生产企业"
        case .cdmo: "受托生产企业（CDMO）"
        case .cro: "合同研究组织（CRO）"
        case .distributor: "经营企业"
        }
    }
}

/// The fields of an enterprise record as a person or a client submits them, before storage: every
/// rule that needs no database lives here, so the API and the pages report the same problems.
public struct EnterpriseDraft: Sendable, Equatable, Codable {
    public var uscc: String
    public var name: String
    public var district: String
    public var park: String?
    public var kind: EnterpriseKind
    public var isStartup: Bool
    public var contactName: String?
    public var contactPhone: String?

    public init(
        uscc: String, name: String, district: String, park: String? = nil, kind: EnterpriseKind, isStartup: Bool = false,
        contactName: String? = nil, contactPhone: String? = nil
    ) {
        self.uscc = uscc
        self.name = name
        self.district = district
        self.park = park
        self.kind = kind
        self.isStartup = isStartup
        self.contactName = contactName
        self.contactPhone = contactPhone
    }

    public var location: RecordLocation { RecordLocation(district: district, park: park, enterprise: uscc) }

    public static let nameLengths = 2...100
    public static let contactLengths = 0...50

    /// Everything wrong with the draft that can be seen without the database (whether the district and
    /// park exist, and whether the USCC is taken, are the store's questions).
    public func problems() -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if case .failure(let problem) = USCC.validate(uscc) {
            problems.append(
                .init("uscc", "is not a valid unified social credit code: \(problem)", chinese: "统一社会信用代码无效：\(problem.chineseDescription)"))
        }
        let trimmedName = name.trimmingWhitespace()
        if !Self.nameLengths.contains(trimmedName.count) || trimmedName != name {
            problems.append(
                .init(
                    "name", "must be \(Self.nameLengths.lowerBound)–\(Self.nameLengths.upperBound) characters, without leading or trailing spaces",
                    chinese: "企业名称应为 \(Self.nameLengths.lowerBound)–\(Self.nameLengths.upperBound) 个字符，首尾不含空格"))
        }
        let registered = DeltaProvince(uscc: uscc).flatMap { $0.isPartner ? $0 : nil }
        switch DeltaProvince(regionCode: district) {
        case nil:
            problems.append(
                .init(
                    "district", "must be a Shanghai district code (31xxxx), or a city of a Delta partner province (32, 33, 34)",
                    chinese: "请选择上海市的区，或外省企业登记地所在的城市"))
        case .shanghai? where registered != nil:
            let province = registered!
            problems.append(
                .init(
                    "district", "the credit code was issued in \(province.rawValue): the enterprise's place must be a city there",
                    chinese: "统一社会信用代码显示企业登记于\(province.name)，所在地应为\(province.name)的城市"))
        case let province? where province.isPartner && registered != province:
            problems.append(
                .init(
                    "district", "a place in \(province.rawValue) needs a credit code issued there",
                    chinese: "所在地在\(province.name)，统一社会信用代码应为\(province.name)登记的代码"))
        default:
            break
        }
        if let park, !RegionTree.isValidCode(park, level: .park) {
            problems.append(.init("park", "must be a park code (a–z, 0–9, -)", chinese: "园区代码无效"))
        } else if park != nil, registered != nil {
            problems.append(.init("park", "an enterprise of another province is in none of Shanghai's parks", chinese: "外省企业不属于本市园区"))
        }
        for (field, text) in [("name", name), ("contactName", contactName)] {
            if let problem = TextRules.problem(field, text), !problems.contains(where: { $0.field == field }) { problems.append(problem) }
        }
        if let contactName, !Self.contactLengths.contains(contactName.count) {
            problems.append(
                .init(
                    "contactName", "must be at most \(Self.contactLengths.upperBound) characters",
                    chinese: "联系人不超过 \(Self.contactLengths.upperBound) 个字符"))
        }
        if let contactPhone, !contactPhone.isEmpty, !Self.isPlausiblePhone(contactPhone) {
            problems.append(
                .init(
                    "contactPhone", "must be a telephone number: 7–20 digits, optionally with +, spaces or -", chinese: "联系电话应为 7–20 位数字，可含 +、空格或 -"))
        }
        return problems
    }

    static func isPlausiblePhone(_ text: String) -> Bool {
        var digits = 0
        for byte in text.utf8 {
            if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                digits += 1
            } else if byte != UInt8(ascii: " "), byte != UInt8(ascii: "+"), byte != UInt8(ascii: "-"), byte != UInt8(ascii: "("),
                byte != UInt8(ascii: ")")
            {
                return false
            }
        }
        return (7...20).contains(digits)
    }
}
