import Foundation

/// A regulatory procedure (申报事项类型) and its versions over time. Limits are data: an application
/// uses the version in force on its acceptance date (DOMAIN.md §4).
public struct Procedure: Sendable, Equatable, Codable {
    public var code: String
    public var name: String
    public var category: String
    public var versions: [ProcedureVersion]

    public init(code: String, name: String, category: String, versions: [ProcedureVersion]) {
        self.code = code
        self.name = name
        self.category = category
        self.versions = versions
    }

    /// The version in force on `date`: the latest whose `effectiveFrom` is on or before it.
    public func version(inForceOn date: CivilDate) -> ProcedureVersion? {
        versions.filter { $0.effectiveFrom <= date }.max { $0.effectiveFrom < $1.effectiveFrom }
    }
}

/// One version of a procedure's limits, in working days.
public struct ProcedureVersion: Sendable, Equatable, Codable {
    /// How the review limit continues after the applicant's supplement arrives.
    public enum AfterSupplement: Sendable, Equatable, Codable {
        /// Devices (Order 47): a fresh limit counted from the day after the supplement arrives.
        case fresh(days: Int)
        /// Drugs (药品注册管理办法): the same clock continues, its limit grown by a fraction.
        case extend(numerator: Int, denominator: Int)

        private enum CodingKeys: String, CodingKey { case rule, days, numerator, denominator }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            switch try container.decode(String.self, forKey: .rule) {
            case "fresh": self = .fresh(days: try container.decode(Int.self, forKey: .days))
            case "extend":
                self = .extend(
                    numerator: try container.decode(Int.self, forKey: .numerator), denominator: try container.decode(Int.self, forKey: .denominator))
            case let other:
                throw DecodingError.dataCorruptedError(forKey: .rule, in: container, debugDescription: "unknown rule \(other)")
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            switch self {
            case .fresh(let days):
                try container.encode("fresh", forKey: .rule)
                try container.encode(days, forKey: .days)
            case .extend(let numerator, let denominator):
                try container.encode("extend", forKey: .rule)
                try container.encode(numerator, forKey: .numerator)
                try container.encode(denominator, forKey: .denominator)
            }
        }
    }

    public var version: String
    public var effectiveFrom: CivilDate
    public var basis: String
    /// True when a figure or date awaits an administrator's confirmation against the published rule.
    public var confirm: Bool
    public var acceptance: Int?
    public var handover: Int?
    public var review: Int
    public var afterSupplement: AfterSupplement
    public var qmsInspection: Int?
    public var decision: Int?
    public var certificate: Int?
    /// Silence at the deadline means approval (clinical-trial applications).
    public var impliedApproval: Bool

    /// What is wrong with the limits, field by field (empty when they can be used).
    public var problems: [FieldProblem] {
        var problems: [FieldProblem] = []
        if review <= 0 { problems.append(.init("review", "must be a positive number of working days", chinese: "审评时限须为正的工作日数")) }
        for (field, value) in [
            ("acceptance", acceptance), ("handover", handover), ("qmsInspection", qmsInspection), ("decision", decision),
            ("certificate", certificate),
        ] {
            if let value, value <= 0 {
                problems.append(.init(field, "must be a positive number of working days when given", chinese: "时限如填写须为正的工作日数"))
            }
        }
        switch afterSupplement {
        case .fresh(let days) where days <= 0:
            problems.append(.init("afterSupplement.days", "must be a positive number of working days", chinese: "补正后时限须为正的工作日数"))
        case .extend(let numerator, let denominator) where numerator < 0 || denominator <= 0:
            problems.append(
                .init(
                    "afterSupplement", "numerator must not be negative and denominator must be positive",
                    chinese: "补正后延长比例的分子不能为负，分母须为正"))
        default:
            break
        }
        if version.isEmpty { problems.append(.init("version", "must not be empty", chinese: "版本号不能为空")) }
        return problems
    }

    /// An extension may add at most half of the original limit (Order 47).
    public var maximumExtension: Int { review / 2 }

    private enum CodingKeys: String, CodingKey {
        case version, effectiveFrom, basis, confirm, acceptance, handover, review, afterSupplement, qmsInspection, decision, certificate,
            impliedApproval
    }

    public init(
        version: String, effectiveFrom: CivilDate, basis: String, confirm: Bool = false, acceptance: Int? = nil, handover: Int? = nil,
        review: Int, afterSupplement: AfterSupplement, qmsInspection: Int? = nil, decision: Int? = nil, certificate: Int? = nil,
        impliedApproval: Bool = false
    ) {
        self.version = version
        self.effectiveFrom = effectiveFrom
        self.basis = basis
        self.confirm = confirm
        self.acceptance = acceptance
        self.handover = handover
        self.review = review
        self.afterSupplement = afterSupplement
        self.qmsInspection = qmsInspection
        self.decision = decision
        self.certificate = certificate
        self.impliedApproval = impliedApproval
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decode(String.self, forKey: .version)
        let text = try container.decode(String.self, forKey: .effectiveFrom)
        guard let date = CivilDate(text) else {
            throw DecodingError.dataCorruptedError(forKey: .effectiveFrom, in: container, debugDescription: "\(text) is not YYYY-MM-DD")
        }
        effectiveFrom = date
        basis = try container.decode(String.self, forKey: .basis)
        confirm = try container.decodeIfPresent(Bool.self, forKey: .confirm) ?? false
        acceptance = try container.decodeIfPresent(Int.self, forKey: .acceptance)
        handover = try container.decodeIfPresent(Int.self, forKey: .handover)
        review = try container.decode(Int.self, forKey: .review)
        afterSupplement = try container.decode(AfterSupplement.self, forKey: .afterSupplement)
        qmsInspection = try container.decodeIfPresent(Int.self, forKey: .qmsInspection)
        decision = try container.decodeIfPresent(Int.self, forKey: .decision)
        certificate = try container.decodeIfPresent(Int.self, forKey: .certificate)
        impliedApproval = try container.decodeIfPresent(Bool.self, forKey: .impliedApproval) ?? false
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(version, forKey: .version)
        try container.encode(effectiveFrom.description, forKey: .effectiveFrom)
        try container.encode(basis, forKey: .basis)
        try container.encode(confirm, forKey: .confirm)
        try container.encodeIfPresent(acceptance, forKey: .acceptance)
        try container.encodeIfPresent(handover, forKey: .handover)
        try container.encode(review, forKey: .review)
        try container.encode(afterSupplement, forKey: .afterSupplement)
        try container.encodeIfPresent(qmsInspection, forKey: .qmsInspection)
        try container.encodeIfPresent(decision, forKey: .decision)
        try container.encodeIfPresent(certificate, forKey: .certificate)
        try container.encode(impliedApproval, forKey: .impliedApproval)
    }
}

/// The procedures shipped with Tongdao (`Resources/procedures.json`), seeded into the database.
public enum ProcedureCatalogue {
    private struct File: Decodable {
        var procedures: [Procedure]
    }

    public static func decode(_ data: Data) throws -> [Procedure] {
        try JSONDecoder().decode(File.self, from: data).procedures
    }

    /// The bundled procedures' names by code.
    public static let names: [String: String] = Dictionary(bundled().map { ($0.code, $0.name) }, uniquingKeysWith: { first, _ in first })

    /// How a page names a procedure: its name (第三类医疗器械首次注册), the code only if it has none.
    public static func label(of code: String) -> String { names[code] ?? code }

    public static func bundled() -> [Procedure] {
        guard let url = Bundle.module.url(forResource: "procedures", withExtension: "json"),
            let data = try? Data(contentsOf: url), let procedures = try? decode(data)
        else {
            preconditionFailure("the bundled procedure catalogue is missing or invalid; the tests check it")
        }
        return procedures
    }
}
