/// How a product is made across the Delta's provinces (跨省委托生产).
public enum EntrustmentKind: String, LabelledCode {
    /// 委托生产: the registrant (持有人/注册人) entrusts one manufacturer (受托生产企业) in another province.
    case entrusted
    /// 分段生产: the product is made in stages at several sites, at least one of them in another province.
    case segmented

    public var label: String {
        switch self {
        case .entrusted: "委托生产"
        case .segmented: "分段生产"
        }
    }
}

/// What happens to a link, on its timeline: each is a filing both sides see.
public enum LinkEventKind: String, LabelledCode {
    /// 备案: the entrustment filed with the authorities (written when the link is recorded).
    case filed
    /// 上市后变更: a post-approval change of the linked product, filed once for both sides.
    case change
    /// 质量协议续签: the quality agreement renewed (its new last day on the link).
    case agreementRenewed = "agreement_renewed"
    /// 终止: the entrustment ended before its period ran out.
    case ended

    public var label: String {
        switch self {
        case .filed: "委托生产备案"
        case .change: "上市后变更备案"
        case .agreementRenewed: "质量协议续签"
        case .ended: "终止委托"
        }
    }
}

/// Where a link stands on a day.
public enum LinkStatus: String, LabelledCode {
    case active, expired, ended

    public var label: String {
        switch self {
        case .active: "有效"
        case .expired: "已到期"
        case .ended: "已终止"
        }
    }

    /// Ended when an ending was filed; expired after the entrustment's last day; active otherwise.
    public static func of(endsOn: CivilDate, endedOn: CivilDate?, today: CivilDate) -> LinkStatus {
        if endedOn != nil { return .ended }
        return today > endsOn ? .expired : .active
    }
}

/// The rules of an entrustment link that need no database: the parties' provinces and the periods.
public enum EntrustmentRules {
    /// One site of a link as the rules see it: the province its manufacturer is registered in.
    public struct Site: Sendable, Equatable {
        public var province: DeltaProvince
        public var stage: String?

        public init(province: DeltaProvince, stage: String? = nil) {
            self.province = province
            self.stage = stage
        }
    }

    /// The most sites a segmented link names.
    public static let maximumSites = 8

    /// Everything wrong with a link, the sites' problems at `sites`: an entrusted link has one
    /// manufacturer, in a province other than the registrant's; a segmented one two or more stages,
    /// each named, at least one in another province; neither period ends before it starts (`endsOn`,
    /// `agreementEndsOn`); the quality agreement is signed no later than the entrustment starts
    /// (`agreementSignedOn`).
    public static func problems(
        kind: EntrustmentKind, registrant: DeltaProvince, sites: [Site], startsOn: CivilDate, endsOn: CivilDate, agreementSignedOn: CivilDate,
        agreementEndsOn: CivilDate
    ) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        switch kind {
        case .entrusted:
            if sites.count != 1 {
                problems.append(FieldProblem("sites", "an entrusted link names exactly one manufacturer", chinese: "委托生产应填写一家受托生产企业"))
            } else if sites[0].province == registrant {
                problems.append(
                    FieldProblem(
                        "sites", "is in the registrant's own province: a cross-province link needs two provinces",
                        chinese: "受托生产企业与注册人在同一省（市），不属于跨省委托生产"))
            }
        case .segmented:
            if !(2...maximumSites).contains(sites.count) {
                problems.append(
                    FieldProblem("sites", "a segmented link names 2–\(maximumSites) stages", chinese: "分段生产应填写 2–\(maximumSites) 个生产阶段"))
            } else if sites.contains(where: { ($0.stage ?? "").isEmpty }) {
                problems.append(FieldProblem("sites", "each stage needs its name", chinese: "请填写每个生产阶段的名称"))
            } else if sites.allSatisfy({ $0.province == registrant }) {
                problems.append(
                    FieldProblem(
                        "sites", "every stage is in the registrant's own province: a cross-province link needs two provinces",
                        chinese: "各生产阶段均与注册人在同一省（市），不属于跨省分段生产"))
            }
        }
        if endsOn < startsOn {
            problems.append(FieldProblem("endsOn", "is before the entrustment starts", chinese: "委托期限的截止日期早于起始日期"))
        }
        if agreementEndsOn < agreementSignedOn {
            problems.append(FieldProblem("agreementEndsOn", "is before the quality agreement was signed", chinese: "质量协议的到期日期早于签订日期"))
        }
        if agreementSignedOn > startsOn {
            problems.append(
                FieldProblem("agreementSignedOn", "is after the entrustment starts", chinese: "质量协议应在委托生产开始前签订"))
        }
        return problems
    }
}
