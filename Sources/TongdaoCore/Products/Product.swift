import Foundation

/// A closed list of values with a Chinese label, read from either its code or its label (census
/// spreadsheets carry the labels).
public protocol LabelledCode: RawRepresentable, CaseIterable, Sendable, Codable, Hashable where RawValue == String {
    var label: String { get }
}

extension LabelledCode {
    /// The value whose code or Chinese label is `text` (surrounding spaces ignored).
    public init?(codeOrLabel text: String) {
        let text = text.trimmingWhitespace()
        guard let value = Self.allCases.first(where: { $0.rawValue == text || $0.label == text }) else { return nil }
        self = value
    }

    /// `a, b, c` — the labels, for messages.
    public static var labelList: String { allCases.map(\.label).joined(separator: "、") }
}

/// 产品类别
public enum ProductCategory: String, LabelledCode {
    case device, ivd, drug, combination

    public var label: String {
        switch self {
        case .device: "医疗器械"
        case .ivd: "体外诊断试剂"
        case .drug: "药品"
        case .combination: "药械组合产品"
        }
    }
}

/// 管理类别 (risk class)
public enum ManagementClass: String, LabelledCode {
    case one = "I", two = "II", three = "III"

    public var label: String {
        switch self {
        case .one: "第一类"
        case .two: "第二类"
        case .three: "第三类"
        }
    }
}

/// The key areas the city tracks (DOMAIN.md §9).
public enum KeyArea: String, LabelledCode {
    case ai = "ai_device"
    case surgicalRobot = "surgical_robot"
    case brainComputerInterface = "brain_computer_interface"
    case particleTherapy = "particle_therapy"
    case highEndImaging = "high_end_imaging"
    case cardiovascularImplant = "cardiovascular_implant"
    case tcmDevice = "tcm_device"
    case molecularDiagnostics = "molecular_diagnostics"
    case rehabilitation
    case lifeSupport = "life_support"
    case other

    public var label: String {
        switch self {
        case .ai: "人工智能医疗器械"
        case .surgicalRobot: "手术机器人"
        case .brainComputerInterface: "脑机接口"
        case .particleTherapy: "粒子治疗"
        case .highEndImaging: "高端医学影像"
        case .cardiovascularImplant: "心血管植介入"
        case .tcmDevice: "中医器械"
        case .molecularDiagnostics: "分子诊断与体外诊断"
        case .rehabilitation: "康复器械"
        case .lifeSupport: "生命支持"
        case .other: "其他"
        }
    }
}

/// Where a product is on the road to approval (DOMAIN.md §3, up to the approval decision).
public enum DevelopmentStage: String, LabelledCode, Comparable {
    case intention
    case guidance
    case typeTesting = "type_testing"
    case clinical
    case accepted
    case technicalReview = "technical_review"
    case supplement
    case qmsInspection = "qms_inspection"
    case approval

    public var label: String {
        switch self {
        case .intention: "注册意向"
        case .guidance: "注册前指导"
        case .typeTesting: "注册检验"
        case .clinical: "临床评价"
        case .accepted: "已受理"
        case .technicalReview: "技术审评"
        case .supplement: "补正资料"
        case .qmsInspection: "体系核查"
        case .approval: "审批决定"
        }
    }

    private var order: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.order < rhs.order }
}

/// The special procedures a product may aim for.
public enum FilingChannel: String, LabelledCode {
    case nationalInnovative = "national_innovative"
    case nationalPriority = "national_priority"
    case shanghaiInnovative = "shanghai_innovative"
    case shanghaiPriority = "shanghai_priority"

    public var label: String {
        switch self {
        case .nationalInnovative: "国家创新特别审查"
        case .nationalPriority: "国家优先审批"
        case .shanghaiInnovative: "上海二类创新"
        case .shanghaiPriority: "上海二类优先"
        }
    }
}

extension FilingChannel {
    /// What is wrong with a product's channels (field `channels`): one listed twice, or a Shanghai
    /// procedure for a product that is not Class II.
    public static func problems(_ channels: [FilingChannel], managementClass: ManagementClass) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if Set(channels).count != channels.count {
            problems.append(.init("channels", "lists a channel twice", chinese: "拟申请通道有重复"))
        }
        if channels.contains(where: { $0 == .shanghaiInnovative || $0 == .shanghaiPriority }), managementClass != .two {
            problems.append(.init("channels", "the Shanghai procedures are for Class II products only", chinese: "上海二类创新、优先程序仅适用于第二类产品"))
        }
        return problems
    }
}

/// A month, `YYYY-MM`: when a product is expected to be filed.
public struct YearMonth: Sendable, Hashable, Comparable, Codable, LosslessStringConvertible {
    public var year: Int
    public var month: Int

    public init?(_ text: String) {
        // Exactly four digits, a hyphen and two digits (read byte by byte: imports read a month a row).
        let bytes = Array(text.trimmingWhitespace().utf8)
        func digit(_ index: Int) -> Int? {
            let byte = bytes[index]
            return (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? Int(byte - UInt8(ascii: "0")) : nil
        }
        guard bytes.count == 7, bytes[4] == UInt8(ascii: "-"),
            let y1 = digit(0), let y2 = digit(1), let y3 = digit(2), let y4 = digit(3), let m1 = digit(5), let m2 = digit(6)
        else { return nil }
        let year = y1 * 1000 + y2 * 100 + y3 * 10 + y4, month = m1 * 10 + m2
        guard (2000...2100).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    public var description: String { "\(year)-\(month < 10 ? "0" : "")\(month)" }

    /// A month of the years the platform keeps (2000–2100).
    public init?(year: Int, month: Int) {
        guard (2000...2100).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.year, lhs.month) < (rhs.year, rhs.month) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = YearMonth(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a month YYYY-MM"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// The classification catalogue (医疗器械分类目录, 2017): 22 sub-catalogues, `NN` or `NN-MM`.
public enum ClassificationCode {
    public static let subCatalogues: [String: String] = [
        "01": "有源手术器械", "02": "无源手术器械", "03": "神经和心血管手术器械", "04": "骨科手术器械", "05": "放射治疗器械",
        "06": "医用成像器械", "07": "医用诊察和监护器械", "08": "呼吸、麻醉和急救器械", "09": "物理治疗器械",
        "10": "输血、透析和体外循环器械", "11": "医疗器械消毒灭菌器械", "12": "有源植入器械", "13": "无源植入器械",
        "14": "注输、护理和防护器械", "15": "患者承载器械", "16": "眼科器械", "17": "口腔科器械", "18": "妇产科、辅助生殖和避孕器械",
        "19": "医用康复器械", "20": "中医器械", "21": "医用软件", "22": "临床检验器械",
    ]

    public static func isValid(_ code: String) -> Bool {
        let parts = code.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard (1...2).contains(parts.count), subCatalogues[parts[0]] != nil else { return false }
        if parts.count == 2 {
            return parts[1].count == 2 && parts[1].allSatisfy { $0.isASCII && $0.isNumber } && parts[1] != "00"
        }
        return true
    }
}

/// GS1 GTIN-14, the usual UDI-DI form: 14 digits, the last a mod-10 check digit (weights 3, 1, 3, …
/// from the right, not counting the check digit).
public enum GTIN {
    public static func checkDigit(for first13: some StringProtocol) -> Character? {
        let digits = first13.compactMap(\.wholeNumberValue)
        guard digits.count == first13.count else { return nil }
        let sum = digits.reversed().enumerated().reduce(0) { $0 + $1.element * ($1.offset % 2 == 0 ? 3 : 1) }
        return Character(String((10 - sum % 10) % 10))
    }

    public static func isValid(_ code: String) -> Bool {
        code.count == 14 && code.allSatisfy { $0.isASCII && $0.isNumber } && checkDigit(for: code.prefix(13)) == code.last
    }

    /// Fourteen digits whose check digit is wrong: a GTIN typed or scanned amiss (any other text is
    /// not a GTIN at all, and may be another agency's DI).
    public static func hasWrongCheckDigit(_ code: String) -> Bool {
        code.count == 14 && code.allSatisfy { $0.isASCII && $0.isNumber } && !isValid(code)
    }
}

/// A product under development as submitted, before storage.
public struct ProductDraft: Sendable, Equatable, Codable {
    public var name: String
    public var model: String
    public var category: ProductCategory
    public var managementClass: ManagementClass
    public var classificationCode: String?
    public var keyAreas: [KeyArea]
    public var stage: DevelopmentStage
    public var expectedFiling: YearMonth?
    public var channels: [FilingChannel]
    public var corePatents: String?
    public var technicalFeatures: String?
    public var clinicalAdvantage: String?
    public var udiDI: String?

    public init(
        name: String, model: String = "", category: ProductCategory = .device, managementClass: ManagementClass,
        classificationCode: String? = nil, keyAreas: [KeyArea] = [], stage: DevelopmentStage = .intention,
        expectedFiling: YearMonth? = nil, channels: [FilingChannel] = [], corePatents: String? = nil,
        technicalFeatures: String? = nil, clinicalAdvantage: String? = nil, udiDI: String? = nil
    ) {
        self.name = name
        self.model = model
        self.category = category
        self.managementClass = managementClass
        self.classificationCode = classificationCode
        self.keyAreas = keyAreas
        self.stage = stage
        self.expectedFiling = expectedFiling
        self.channels = channels
        self.corePatents = corePatents
        self.technicalFeatures = technicalFeatures
        self.clinicalAdvantage = clinicalAdvantage
        self.udiDI = udiDI
    }

    public static let nameLengths = 2...100
    public static let modelLength = 100
    public static let textLength = 2_000

    /// Everything wrong that can be seen without the database.
    public func problems() -> [FieldProblem] {
        var problems: [FieldProblem] = []
        let trimmed = name.trimmingWhitespace()
        if !Self.nameLengths.contains(trimmed.count) || trimmed != name {
            problems.append(.init("name", "must be 2–100 characters, without leading or trailing spaces", chinese: "产品名称应为 2–100 个字符，首尾不含空格"))
        }
        if model.count > Self.modelLength {
            problems.append(.init("model", "must be at most 100 characters", chinese: "型号规格不超过 100 个字符"))
        }
        if let code = classificationCode, !ClassificationCode.isValid(code) {
            problems.append(
                .init(
                    "classificationCode", "must be a sub-catalogue 01–22 of the 2017 catalogue, optionally with a second level (e.g. 03-13)",
                    chinese: "分类编码应为 2017 版分类目录的子目录 01–22，可带二级类别（如 03-13）"))
        }
        if category == .drug, classificationCode != nil {
            problems.append(.init("classificationCode", "applies to devices only", chinese: "药品不适用医疗器械分类编码"))
        }
        if Set(keyAreas).count != keyAreas.count {
            problems.append(.init("keyAreas", "lists a key area twice", chinese: "重点领域有重复"))
        }
        problems += FilingChannel.problems(channels, managementClass: managementClass)
        for (field, text, chinese) in [
            ("corePatents", corePatents, "核心专利"), ("technicalFeatures", technicalFeatures, "技术特点"), ("clinicalAdvantage", clinicalAdvantage, "临床优势"),
        ] {
            if let text, text.count > Self.textLength {
                problems.append(.init(field, "must be at most \(Self.textLength) characters", chinese: "\(chinese)不超过 \(Self.textLength) 个字符"))
            }
        }
        for (field, text, multiline) in [
            ("name", name, false), ("model", model, false), ("corePatents", corePatents, true), ("technicalFeatures", technicalFeatures, true),
            ("clinicalAdvantage", clinicalAdvantage, true),
        ] {
            if let problem = TextRules.problem(field, text, multiline: multiline), !problems.contains(where: { $0.field == field }) {
                problems.append(problem)
            }
        }
        if let udi = udiDI, !GTIN.isValid(udi) {
            problems.append(.init("udiDI", "must be a GS1 GTIN-14: 14 digits with a valid check digit", chinese: "UDI-DI 应为 14 位 GS1 GTIN，且校验位正确"))
        }
        return problems
    }
}
