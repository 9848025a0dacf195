import Foundation

/// Medical device registration certificate and filing numbers (DOMAIN.md §8):
/// * registration: `{国|province}械注{准|进|许}YYYY{class}{2-digit category}{4-digit serial}`,
///   e.g. `国械注准20243130001` (domestic Class III, sub-catalogue 13) or `沪械注准20242220015`;
/// * Class I filing: `沪X械备YYYYNNNN`, X the filing office (one character, e.g. 浦), or none for the city.
public enum CertificateNumber {
    public enum Kind: String, Sendable, Equatable {
        /// 准: domestic; 进: imported; 许: Hong Kong, Macao and Taiwan.
        case domestic, imported, hongKongMacaoTaiwan, filing
    }

    public struct Parsed: Sendable, Equatable {
        public var issuer: String
        public var kind: Kind
        public var year: Int
        /// 1, 2 or 3; nil for a filing (always Class I).
        public var managementClass: Int?
        public var category: String?
        public var serial: String
    }

    /// The provinces' one-character abbreviations that issue Class II certificates, and 国 for the NMPA.
    static let issuers: Set<Character> = [
        "国", "京", "津", "冀", "晋", "蒙", "辽", "吉", "黑", "沪", "苏", "浙", "皖", "闽", "赣", "鲁", "豫", "鄂", "湘", "粤", "桂", "琼",
        "渝", "川", "蜀", "贵", "黔", "云", "滇", "藏", "陕", "秦", "甘", "陇", "青", "宁", "新",
    ]

    public static func validate(_ text: String) -> Result<Parsed, CertificateProblem> {
        let characters = Array(text)
        guard let issuer = characters.first, issuers.contains(issuer) else {
            return .failure(.issuer)
        }
        // Filing: 沪X械备YYYYNNNN or 沪械备YYYYNNNN.
        if let filing = text.range(of: "械备") {
            let office = text[text.index(after: text.startIndex)..<filing.lowerBound]
            guard issuer != "国", office.count <= 1 else { return .failure(.pattern) }
            let digits = text[filing.upperBound...]
            guard digits.count == 8, digits.allSatisfy(\.isASCIIDigit), let year = Int(digits.prefix(4)), (2000...2100).contains(year) else {
                return .failure(.digits)
            }
            return .success(
                Parsed(
                    issuer: String(text[..<filing.lowerBound]), kind: .filing, year: year, managementClass: nil, category: nil,
                    serial: String(digits.suffix(4))))
        }
        guard characters.count == 15, characters[1] == "械", characters[2] == "注" else { return .failure(.pattern) }
        let kind: Kind
        switch characters[3] {
        case "准": kind = .domestic
        case "进": kind = .imported
        case "许": kind = .hongKongMacaoTaiwan
        default: return .failure(.pattern)
        }
        let digits = String(characters[4...])
        guard digits.allSatisfy(\.isASCIIDigit), let year = Int(digits.prefix(4)), (2000...2100).contains(year) else { return .failure(.digits) }
        let managementClass = Int(String(Array(digits)[4]))!
        let category = String(Array(digits)[5...6])
        guard (2...3).contains(managementClass) else { return .failure(.managementClass) }
        // The NMPA registers Class III and imported products; provinces register domestic Class II.
        if issuer == "国" {
            guard kind != .domestic || managementClass == 3 else { return .failure(.issuerAndClass) }
        } else {
            guard kind == .domestic, managementClass == 2 else { return .failure(.issuerAndClass) }
        }
        guard let number = Int(category), (1...22).contains(number) || number == 40 else { return .failure(.category) }
        return .success(
            Parsed(
                issuer: String(issuer), kind: kind, year: year, managementClass: managementClass, category: category, serial: String(digits.suffix(4))
            ))
    }
}

public enum CertificateProblem: Error, Sendable, Equatable, CustomStringConvertible {
    case issuer, pattern, digits, managementClass, issuerAndClass, category

    public var description: String {
        switch self {
        case .issuer: "must start with 国 or a province's abbreviation (e.g. 沪)"
        case .pattern: "must read {国|省}械注{准|进|许}YYYY + class + category + serial, or 沪X械备YYYYNNNN for a filing"
        case .digits: "must end in the year (4 digits) and the number: 11 digits for a registration, 8 for a filing"
        case .managementClass: "the class digit after the year must be 2 or 3"
        case .issuerAndClass: "国 registers Class III and imported products; a province registers domestic Class II only"
        case .category: "the two digits after the class must be a sub-catalogue 01–22 (or 40 for IVD reagents)"
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
