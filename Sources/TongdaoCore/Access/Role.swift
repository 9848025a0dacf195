import Foundation

/// What a user does on the platform. One role per user (DOMAIN.md §1).
public enum Role: String, Sendable, Codable, CaseIterable {
    /// 平台管理员（市药监局）
    case cityAdmin = "city_admin"
    /// 市药监局
    case cityRegulator = "city_regulator"
    /// 审评员
    case reviewer
    /// 检查员
    case inspector
    /// 市经信委
    case industryOfficer = "industry_officer"
    /// 区政府
    case districtOfficer = "district_officer"
    /// 园区
    case parkOfficer = "park_officer"
    /// 注册指导服务工作站
    case stationOfficer = "station_officer"
    /// 企业
    case enterpriseUser = "enterprise_user"
    /// 临床试验机构办公室（机构办）
    case trialInstitutionOfficer = "trial_institution_officer"
    /// 市卫生健康委 / 申康医院发展中心: reads the trial institutions' inspection results, nothing else.
    case healthOfficer = "health_officer"
    /// 长三角省级药监局 (江苏、浙江、安徽): the entrusted-manufacturing links involving its province and
    /// what Shanghai shares with it; nothing else of the platform.
    case partnerRegulator = "partner_regulator"

    public var label: String {
        switch self {
        case .cityAdmin: "平台管理员"
        case .cityRegulator: "市药监局"
        case .reviewer: "审评员"
        case .inspector: "检查员"
        case .industryOfficer: "市经信委"
        case .districtOfficer: "区政府"
        case .parkOfficer: "园区"
        case .stationOfficer: "服务工作站"
        case .enterpriseUser: "企业"
        case .trialInstitutionOfficer: "临床试验机构"
        case .healthOfficer: "市卫生健康委"
        case .partnerRegulator: "长三角省级药监局"
        }
    }

    /// Whether the role registers enterprises: officers do; an enterprise's own account edits its
    /// record but registers no other.
    public var registersEnterprises: Bool { AccessPolicy.allows(self, .writeEnterprises) && scopeKind != .enterprise }

    /// The kind of scope a user of this role must hold.
    public var scopeKind: Scope.Kind {
        switch self {
        case .cityAdmin, .cityRegulator, .reviewer, .inspector, .industryOfficer, .healthOfficer: .city
        case .districtOfficer: .district
        case .parkOfficer: .park
        case .stationOfficer: .station
        case .enterpriseUser: .enterprise
        case .trialInstitutionOfficer: .institution
        case .partnerRegulator: .province
        }
    }
}

/// Where in the administrative tree a user's data ends: city ⊃ district ⊃ park ⊃ enterprise, or a
/// service station covering a set of districts; a partner province of the Delta beside the city.
public enum Scope: Sendable, Hashable, Codable, CustomStringConvertible, LosslessStringConvertible {
    case city
    case district(String)
    case park(String)
    case station(String)
    case enterprise(String)
    /// A clinical-trial institution, by its id on the platform.
    case institution(String)
    /// A partner province of the Delta (江苏、浙江、安徽): its regulator's scope.
    case province(DeltaProvince)

    public enum Kind: String, Sendable, CaseIterable {
        case city, district, park, station, enterprise, institution, province
    }

    public var kind: Kind {
        switch self {
        case .city: .city
        case .district: .district
        case .park: .park
        case .station: .station
        case .enterprise: .enterprise
        case .institution: .institution
        case .province: .province
        }
    }

    /// `city`, `district:310115`, `park:zhangjiang`, `station:pudong-1`, `enterprise:<USCC>`,
    /// `institution:<id>`, `province:JS`.
    public var description: String {
        switch self {
        case .city: "city"
        case .district(let code): "district:\(code)"
        case .park(let code): "park:\(code)"
        case .station(let code): "station:\(code)"
        case .enterprise(let uscc): "enterprise:\(uscc)"
        case .institution(let id): "institution:\(id)"
        case .province(let province): "province:\(province.rawValue)"
        }
    }

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case malformed(String)
        case invalidCode(kind: Kind, code: String, reason: String)

        public var description: String {
            switch self {
            case .malformed(let text):
                "`\(text)` is not a scope: use city, district:CODE, park:CODE, station:CODE, enterprise:USCC, institution:ID or province:JS|ZJ|AH"
            case .invalidCode(let kind, let code, let reason): "\(kind.rawValue) code `\(code)` \(reason)"
            }
        }
    }

    public init?(_ description: String) {
        guard let scope = try? Scope.parse(description) else { return nil }
        self = scope
    }

    /// Parses and checks the shape of a scope (whether the region exists is the store's question).
    public static func parse(_ text: String) throws(Problem) -> Scope {
        if text == "city" { return .city }
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let kind = Kind(rawValue: parts[0]), kind != .city, !parts[1].isEmpty else { throw .malformed(text) }
        let code = parts[1]
        switch kind {
        case .district:
            guard code.count == 6, code.hasPrefix("31"), code.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw .invalidCode(kind: kind, code: code, reason: "must be a six-digit Shanghai GB/T 2260 code (31xxxx)")
            }
            return .district(code)
        case .park, .station:
            guard RegionTree.isValidCode(code, level: .park) else {
                throw .invalidCode(kind: kind, code: code, reason: "must be a lower-case slug (a–z, 0–9, -)")
            }
            return kind == .park ? .park(code) : .station(code)
        case .enterprise:
            if case .failure(let problem) = USCC.validate(code) {
                throw .invalidCode(kind: kind, code: code, reason: "is not a valid unified social credit code: \(problem)")
            }
            return .enterprise(code)
        case .institution:
            guard let id = UUID(uuidString: code) else {
                throw .invalidCode(kind: kind, code: code, reason: "must be the institution's id (a UUID)")
            }
            return .institution(id.uuidString)
        case .province:
            guard let province = DeltaProvince(rawValue: code), province.isPartner else {
                throw .invalidCode(kind: kind, code: code, reason: "must be a partner province of the Delta: JS, ZJ or AH")
            }
            return .province(province)
        case .city:
            throw .malformed(text)
        }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            self = try Scope.parse(text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
