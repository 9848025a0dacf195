// The policy handbook (政策手册, issue 20 item 7): the policies of the nation, the city and each
// district that help an innovative product to market, each with the body responsible for it and a
// contact, found by topic, district, product type and in Chinese words; an enterprise's page lists
// those that apply to it.

/// Whose policy it is.
public enum PolicyLevel: String, LabelledCode, Comparable {
    /// 国家: issued by the State Council, the NMPA or another national body.
    case national
    /// 市级: the city's.
    case city
    /// 区级: one district's (the district named with it).
    case district

    public var label: String {
        switch self {
        case .national: "国家"
        case .city: "市级"
        case .district: "区级"
        }
    }

    private var rank: Int {
        switch self {
        case .national: 0
        case .city: 1
        case .district: 2
        }
    }

    public static func < (lhs: PolicyLevel, rhs: PolicyLevel) -> Bool { lhs.rank < rhs.rank }
}

/// What a policy is about; a policy may be about several.
public enum PolicyTopic: String, LabelledCode {
    /// 审评审批: priority and special review, conditional approval, registration.
    case review
    /// 临床试验: trial institutions, ethics, start-up times.
    case clinicalTrial = "clinical_trial"
    /// 资金支持: grants, awards and subsidies.
    case funding
    /// 生产与产业化: entrusted manufacturing, production licences, landing.
    case manufacturing
    /// 采购与医保: hospital procurement, pricing, insurance listing of new products.
    case marketAccess = "market_access"
    /// 载体与用地: parks, incubators, space and land.
    case space
    /// 人才: talent programmes, housing, residence.
    case talent
    /// 投融资: funds, loans, listing.
    case finance
    /// 知识产权: patents, standards.
    case intellectualProperty = "intellectual_property"

    public var label: String {
        switch self {
        case .review: "审评审批"
        case .clinicalTrial: "临床试验"
        case .funding: "资金支持"
        case .manufacturing: "生产与产业化"
        case .marketAccess: "采购与医保"
        case .space: "载体与用地"
        case .talent: "人才"
        case .finance: "投融资"
        case .intellectualProperty: "知识产权"
        }
    }
}

/// Where a policy stands on a day: from its dates and whether it was repealed.
public enum PolicyStatus: String, LabelledCode {
    /// 尚未施行: published, in force from a later day.
    case pending
    /// 现行有效
    case inForce = "in_force"
    /// 已到期: its period ended.
    case expired
    /// 已废止: repealed or replaced.
    case repealed

    public var label: String {
        switch self {
        case .pending: "尚未施行"
        case .inForce: "现行有效"
        case .expired: "已到期"
        case .repealed: "已废止"
        }
    }

    /// A policy's status on `day`: repealed on or before it; else pending before its first day,
    /// expired after its last, in force between (its last day included).
    public static func of(effectiveOn: CivilDate, expiresOn: CivilDate?, repealedOn: CivilDate?, on day: CivilDate) -> PolicyStatus {
        if let repealedOn, repealedOn <= day { return .repealed }
        if day < effectiveOn { return .pending }
        if let expiresOn, expiresOn < day { return .expired }
        return .inForce
    }
}

/// The search keys of a policy beyond its words: one for each of its topics and of the product
/// types it covers (every type when it names none), so a filter by topic or type reads the same
/// postings as the text. No word key starts with `#`.
public enum PolicyKeys {
    public static func topic(_ topic: PolicyTopic) -> String { "#topic:" + topic.rawValue }
    public static func category(_ category: ProductCategory) -> String { "#category:" + category.rawValue }

    /// Every key of a policy: its words (title keys marked as `SearchGrams` marks them), its topics
    /// and its product types.
    public static func keys(title: String, body: String, topics: [PolicyTopic], categories: [ProductCategory]) -> [String] {
        SearchGrams.entryKeys(title: title, body: body) + topics.map(topic)
            + (categories.isEmpty ? ProductCategory.allCases : categories).map(category)
    }
}
