import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore
import TongdaoXLSX

/// One manufacturer of a link as a page or the API shows it.
public struct DeltaLinkSiteRecord: Sendable, Equatable {
    public var enterpriseID: UUID
    public var enterprise: String
    public var uscc: String
    public var province: DeltaProvince
    /// The city (or district) the manufacturer is registered in.
    public var placeName: String
    public var stage: String?
    /// The authority supervising this side (监管部门).
    public var authority: String
}

/// A filing on a link's timeline.
public struct DeltaLinkEventRecord: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var kind: LinkEventKind
    public var occurredOn: CivilDate
    public var summary: String
    /// Who filed it, by name.
    public var recordedBy: String
}

/// An entrustment link as a page or the API shows it.
public struct DeltaLinkRecord: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var version: Int
    public var kind: EntrustmentKind
    public var productName: String
    public var productCategory: ProductCategory
    public var productID: UUID?
    public var registrantID: UUID
    public var registrant: String
    public var registrantUSCC: String
    public var registrantProvince: DeltaProvince
    public var registrantPlaceName: String
    public var registrantAuthority: String
    public var sites: [DeltaLinkSiteRecord]
    public var startsOn: CivilDate
    public var endsOn: CivilDate
    public var agreementSignedOn: CivilDate
    public var agreementEndsOn: CivilDate
    public var endedOn: CivilDate?
    public var status: LinkStatus
    /// Every province involved, Shanghai first.
    public var provinces: [DeltaProvince]
    public var recordedBy: String
    public var recordedOn: CivilDate
    /// Its timeline (a link's own page; empty in a list).
    public var events: [DeltaLinkEventRecord] = []
}

/// One site as typed: the manufacturer's credit code and the stage it makes.
public struct DeltaSiteInput: Sendable, Equatable {
    public var uscc: String?
    public var stage: String?

    public init(uscc: String? = nil, stage: String? = nil) {
        self.uscc = uscc
        self.stage = stage
    }
}

/// A link as typed.
public struct DeltaLinkInput: Sendable, Equatable {
    public var kind: String?
    public var productName: String?
    public var productCategory: String?
    /// The census product's id, when the platform holds the product.
    public var product: String?
    /// The registrant's credit code.
    public var registrant: String?
    public var sites: [DeltaSiteInput]
    public var startsOn: String?
    public var endsOn: String?
    public var agreementSignedOn: String?
    public var agreementEndsOn: String?

    public init(
        kind: String? = nil, productName: String? = nil, productCategory: String? = nil, product: String? = nil, registrant: String? = nil,
        sites: [DeltaSiteInput] = [], startsOn: String? = nil, endsOn: String? = nil, agreementSignedOn: String? = nil,
        agreementEndsOn: String? = nil
    ) {
        self.kind = kind
        self.productName = productName
        self.productCategory = productCategory
        self.product = product
        self.registrant = registrant
        self.sites = sites
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.agreementSignedOn = agreementSignedOn
        self.agreementEndsOn = agreementEndsOn
    }
}

/// A filing as typed.
public struct DeltaLinkEventInput: Sendable, Equatable {
    public var kind: String?
    public var on: String?
    public var summary: String?
    /// A renewed quality agreement's new last day.
    public var agreementEndsOn: String?

    public init(kind: String? = nil, on: String? = nil, summary: String? = nil, agreementEndsOn: String? = nil) {
        self.kind = kind
        self.on = on
        self.summary = summary
        self.agreementEndsOn = agreementEndsOn
    }
}

/// The Delta's entrustment links (跨省委托生产, issue 21): the city's regulator records a registrant
/// entrusting a product to manufacturers in other provinces — one (委托生产) or several stages
/// (分段生产) —, with the periods of the entrustment and of the quality agreement; every filing on it
/// (the entrustment's, a post-approval change's, a renewal, an ending) is a timeline event both sides
/// read. A partner province's regulator reads the links that involve its province; a registrant or a
/// manufacturer the links it is a party to, and files the changes of its linked product once.
public struct DeltaLinkUseCases: Sendable {
    let platform: Platform

    // MARK: Reads

    /// Links in reach, by kind and by a province involved; the newest recorded first.
    public func list(kind: String? = nil, province: String? = nil, by caller: Caller) async throws -> [DeltaLinkRecord] {
        try caller.require(.readDelta)
        var reader = FieldReader()
        let kind = reader.code("kind", kind, label: "委托方式", as: EntrustmentKind.self, required: false)
        let province = reader.code("province", province, label: "省份", as: DeltaProvince.self, required: false)
        try reader.check()
        let models = try await DeltaStore.links(scope: caller.filter, kind: kind, province: province, on: platform.database)
        return try await records(models, detailed: false, on: platform.database)
    }

    /// One link in reach, with its timeline; a link out of reach is as missing (404).
    public func detail(id: UUID, by caller: Caller) async throws -> DeltaLinkRecord {
        try caller.require(.readDelta)
        guard let model = try await DeltaStore.link(id, scope: caller.filter, on: platform.database) else {
            throw UseCaseError.notFound(.deltaLink)
        }
        return try await records([model], detailed: true, on: platform.database)[0]
    }

    /// The list as a file (its filters), in reach: CSV or XLSX.
    public func export(kind: String? = nil, province: String? = nil, format: CensusUseCases.Format, by caller: Caller) async throws -> Data {
        let links = try await list(kind: kind, province: province, by: caller)
        var rows: [[String]] = [
            ["委托方式", "产品", "产品类别", "注册人", "注册人所在地", "受托生产企业（生产阶段）", "涉及省份", "委托期限", "质量协议期限", "状态", "登记日期"]
        ]
        for link in links {
            rows.append([
                link.kind.label, link.productName, link.productCategory.label, link.registrant,
                "\(link.registrantProvince.name) \(link.registrantPlaceName)",
                link.sites.map { site in "\(site.enterprise)（\(site.province.name)\(site.stage.map { "，\($0)" } ?? "")）" }.joined(separator: "；"),
                link.provinces.map(\.shortName).joined(separator: "、"), "\(link.startsOn) 至 \(link.endsOn)",
                "\(link.agreementSignedOn) 至 \(link.agreementEndsOn)", link.status.label, link.recordedOn.description,
            ])
        }
        return try CensusSheets.file(rows, sheetName: "跨省委托生产", format: format)
    }

    // MARK: Writes

    /// Records a link: the registrant and every manufacturer registered on the platform, in the
    /// Delta, at least one in another province; the periods in order; the census product, when
    /// named, the registrant's own. The entrustment's filing opens its timeline.
    public func create(_ input: DeltaLinkInput, by caller: Caller) async throws -> DeltaLinkRecord {
        try caller.require(.writeDelta)
        let db = platform.database
        var reader = FieldReader()
        let kind = reader.code("kind", input.kind, label: "委托方式", as: EntrustmentKind.self)
        let productName = reader.text("productName", input.productName, label: "产品名称", maximum: 200)
        let category = reader.code("productCategory", input.productCategory, label: "产品类别", as: ProductCategory.self)
        let product = reader.id("product", input.product.nonBlank, label: "在研产品", required: false)
        let registrantCode = reader.uscc("registrant", input.registrant, label: "注册人统一社会信用代码")
        if registrantCode == nil, !reader.problems.contains(where: { $0.field == "registrant" }) {
            reader.problems.append(FieldProblem("registrant", "is required", chinese: "请填写注册人统一社会信用代码"))
        }
        let startsOn = reader.anyDay("startsOn", input.startsOn, label: "委托起始日期", required: true)
        let endsOn = reader.anyDay("endsOn", input.endsOn, label: "委托截止日期", required: true)
        let signedOn = reader.anyDay("agreementSignedOn", input.agreementSignedOn, label: "质量协议签订日期", required: true)
        let agreementEndsOn = reader.anyDay("agreementEndsOn", input.agreementEndsOn, label: "质量协议到期日期", required: true)
        // The sites: the rows with a code, each a registered enterprise of the Delta.
        let typed = input.sites.filter { !($0.uscc ?? "").trimmingWhitespace().isEmpty || !($0.stage ?? "").trimmingWhitespace().isEmpty }
        if typed.isEmpty { reader.problems.append(FieldProblem("sites", "is required", chinese: "请填写受托生产企业")) }
        var siteCodes: [(uscc: String, stage: String?)] = []
        for (index, site) in typed.enumerated() {
            guard let code = reader.uscc("sites", site.uscc, label: "第 \(index + 1) 家受托生产企业的统一社会信用代码") else { continue }
            let stage = reader.text("sites", site.stage, label: "生产阶段", maximum: 100, required: false)
            siteCodes.append((code, stage))
        }
        let registered = try await EnterpriseStore.find(usccs: siteCodes.map(\.uscc) + (registrantCode.map { [$0] } ?? []), on: db)
        func province(of uscc: String, field: String, label: String) -> DeltaProvince? {
            guard let enterprise = registered[uscc] else {
                reader.problems.append(FieldProblem(field, "names no registered enterprise", chinese: "\(label)尚未在平台登记：请先登记该企业"))
                return nil
            }
            guard let province = DeltaProvince(regionCode: enterprise.district) else {
                reader.problems.append(FieldProblem(field, "is not in the Delta", chinese: "\(label)不在长三角"))
                return nil
            }
            return province
        }
        let registrantProvince = registrantCode.flatMap { province(of: $0, field: "registrant", label: "注册人") }
        var sites: [(enterprise: EnterpriseModel, province: DeltaProvince, stage: String?)] = []
        for (index, site) in siteCodes.enumerated() {
            if siteCodes[..<index].contains(where: { $0.uscc == site.uscc }) || site.uscc == registrantCode {
                reader.problems.append(FieldProblem("sites", "names a party twice", chinese: "同一企业不能重复填写"))
                continue
            }
            if let where_ = province(of: site.uscc, field: "sites", label: "受托生产企业"), let enterprise = registered[site.uscc] {
                sites.append((enterprise, where_, site.stage))
            }
        }
        if let kind, let registrantProvince, let startsOn, let endsOn, let signedOn, let agreementEndsOn,
            !reader.problems.contains(where: { $0.field == "sites" })
        {
            reader.problems += EntrustmentRules.problems(
                kind: kind, registrant: registrantProvince, sites: sites.map { .init(province: $0.province, stage: $0.stage) }, startsOn: startsOn,
                endsOn: endsOn, agreementSignedOn: signedOn, agreementEndsOn: agreementEndsOn)
        }
        if let product, let registrantCode {
            let owned = try await ProductStore.find(id: product, scope: .enterprise(registrantCode), on: db)
            if owned == nil {
                reader.problems.append(FieldProblem("product", "is not the registrant's product", chinese: "该在研产品不属于所填注册人"))
            }
        }
        let problems = reader.problems
        return try await platform.write(by: caller) { [sites] write in
            guard problems.isEmpty, let kind, let productName, let category, let registrantCode, let registrant = registered[registrantCode],
                let registrantProvince, let startsOn, let endsOn, let signedOn, let agreementEndsOn
            else { throw UseCaseError.invalid(problems) }
            let today = ShanghaiTime.day(of: write.now)
            let model = DeltaLinkModel()
            model.id = GuidanceStore.newID(now: write.now)
            model.kind = kind.rawValue
            model.productName = productName
            model.productCategory = category.rawValue
            model.productID = product
            model.registrantID = try registrant.requireID()
            model.registrantUSCC = registrantCode
            model.registrantProvince = registrantProvince.rawValue
            model.startsOn = startsOn.description
            model.endsOn = endsOn.description
            model.agreementSignedOn = signedOn.description
            model.agreementEndsOn = agreementEndsOn.description
            model.provinces = DeltaStore.list([registrantProvince.rawValue] + sites.map(\.province.rawValue))
            model.parties = DeltaStore.list([registrantCode] + sites.map(\.enterprise.uscc))
            model.recordedBy = caller.audit.name
            model.recordedOn = today.description
            model.version = 1
            try await model.create(on: write.db)
            let id = try model.requireID()
            for (position, site) in sites.enumerated() {
                let row = DeltaLinkSiteModel()
                row.id = GuidanceStore.newID(now: write.now)
                row.linkID = id
                row.position = position + 1
                row.enterpriseID = try site.enterprise.requireID()
                row.uscc = site.enterprise.uscc
                row.province = site.province.rawValue
                row.stage = site.stage
                try await row.create(on: write.db)
            }
            let summary =
                "\(registrant.name)（\(registrantProvince.name)）\(kind.label)：\(productName)，由"
                + sites.map { "\($0.enterprise.name)（\($0.province.name)\($0.stage.map { "，\($0)" } ?? "")）" }.joined(separator: "、")
                + "生产；委托期限 \(startsOn) 至 \(endsOn)"
            try await Self.event(.filed, on: startsOn > today ? today : startsOn, summary: summary, link: id, by: caller, write: write)
            try await write.audit(
                "delta.link.create", entityType: "delta_link", entityID: id.uuidString, before: nil, after: try Self.audited(model))
            return try await records([model], detailed: true, on: write.db)[0]
        }
    }

    /// Files on a link in reach, on the version read: a post-approval change (the registrant or a
    /// manufacturer of the link, or the regulator), a renewed quality agreement with its new last day,
    /// or an ending (the regulator). Each is one timeline event both sides read.
    public func file(link id: UUID, _ input: DeltaLinkEventInput, expecting version: Int?, by caller: Caller) async throws -> DeltaLinkRecord {
        try caller.require(.fileDelta)
        var reader = FieldReader()
        let kind = reader.code("kind", input.kind, label: "备案事项", as: LinkEventKind.self)
        let today = platform.clock.today()
        let day = reader.day("on", input.on, label: "备案日期", today: today, required: true)
        let summary = reader.text("summary", input.summary, label: "备案内容", maximum: 2_000, multiline: true)
        let renewedTo = reader.anyDay(
            "agreementEndsOn", input.agreementEndsOn.nonBlank, label: "续签后的到期日期", required: kind == .agreementRenewed)
        if let kind, kind == .filed {
            reader.problems.append(FieldProblem("kind", "the entrustment's filing opens the link", chinese: "委托生产备案在登记时已记录"))
        }
        if let kind, kind != .change, !caller.may(.writeDelta) {
            reader.problems.append(
                FieldProblem("kind", "an enterprise files post-approval changes only", chinese: "企业只能提交上市后变更备案；续签和终止由监管部门登记"))
        }
        let problems = reader.problems
        return try await platform.write(by: caller) { write in
            guard let model = try await DeltaStore.link(id, scope: caller.filter, on: write.db) else { throw UseCaseError.notFound(.deltaLink) }
            try model.check(basedOn: version, .deltaLink)
            var problems = problems
            if model.endedOn != nil {
                throw UseCaseError.conflict(FieldProblem("kind", "the link has ended", chinese: "该委托已终止，不能再备案"))
            }
            if let day, let starts = CivilDate(model.startsOn), day < starts {
                problems.append(FieldProblem("on", "is before the entrustment starts", chinese: "备案日期早于委托起始日期"))
            }
            if kind == .agreementRenewed, let renewedTo, let current = CivilDate(model.agreementEndsOn), renewedTo <= current {
                problems.append(
                    FieldProblem("agreementEndsOn", "must be after the agreement's last day", chinese: "续签后的到期日期应晚于原到期日期 \(current)"))
            }
            guard problems.isEmpty, let kind, let day, let summary else { throw UseCaseError.invalid(problems) }
            let before = try Self.audited(model)
            switch kind {
            case .agreementRenewed: model.agreementEndsOn = renewedTo?.description ?? model.agreementEndsOn
            case .ended: model.endedOn = day.description
            case .change, .filed: break
            }
            // Every filing changes the link's version: a filing made on an older read is a conflict.
            try await model.updateVersioned(on: write.db, always: true)
            try await Self.event(kind, on: day, summary: summary, link: id, by: caller, write: write)
            try await write.audit(
                "delta.link.file", entityType: "delta_link", entityID: id.uuidString, before: before,
                after: try Audit.json(["kind": kind.rawValue, "on": day.description, "summary": summary]))
            return try await records([model], detailed: true, on: write.db)[0]
        }
    }

    // MARK: Parts

    private static func event(
        _ kind: LinkEventKind, on day: CivilDate, summary: String, link: UUID, by caller: Caller, write: Write
    ) async throws {
        let event = DeltaLinkEventModel()
        event.id = GuidanceStore.newID(now: write.now)
        event.linkID = link
        event.kind = kind.rawValue
        event.occurredOn = day.description
        event.summary = summary
        event.recordedBy = caller.audit.name
        try await event.create(on: write.db)
    }

    static func audited(_ model: DeltaLinkModel) throws -> String {
        try Audit.json([
            "kind": model.kind, "product": model.productName, "registrant": model.registrantUSCC, "parties": model.parties,
            "startsOn": model.startsOn, "endsOn": model.endsOn, "agreementSignedOn": model.agreementSignedOn,
            "agreementEndsOn": model.agreementEndsOn, "endedOn": model.endedOn ?? "",
        ])
    }

    func records(_ models: [DeltaLinkModel], detailed: Bool, on db: any Database) async throws -> [DeltaLinkRecord] {
        let ids = try models.map { try $0.requireID() }
        let sites = Dictionary(grouping: try await DeltaStore.sites(of: ids, on: db), by: \.linkID)
        let enterprises = try await EnterpriseModel.query(on: db)
            .filter(\.$id ~~ Set(models.map(\.registrantID) + sites.values.flatMap { $0.map(\.enterpriseID) })).all()
        let byID = Dictionary(enterprises.compactMap { model in model.id.map { ($0, model) } }, uniquingKeysWith: { a, _ in a })
        let places = try await RegionQueries.names(on: db)
        let today = platform.clock.today()
        var events: [UUID: [DeltaLinkEventModel]] = [:]
        if detailed { for id in ids { events[id] = try await DeltaStore.events(of: id, on: db) } }
        let people = try await People.labels(
            usernames: [], actors: models.map(\.recordedBy) + events.values.flatMap { $0.map(\.recordedBy) }, on: db)
        var records: [DeltaLinkRecord] = []
        for model in models {
            let id = try model.requireID()
            let registrant = byID[model.registrantID]
            let registrantProvince = DeltaProvince(rawValue: model.registrantProvince) ?? .shanghai
            let linkSites = (sites[id] ?? []).map { site in
                let province = DeltaProvince(rawValue: site.province) ?? .shanghai
                let enterprise = byID[site.enterpriseID]
                return DeltaLinkSiteRecord(
                    enterpriseID: site.enterpriseID, enterprise: enterprise?.name ?? site.uscc, uscc: site.uscc, province: province,
                    placeName: enterprise.map { places[$0.district] ?? $0.district } ?? "", stage: site.stage, authority: province.regulator)
            }
            let endsOn = CivilDate(model.endsOn) ?? today
            let endedOn = model.endedOn.flatMap(CivilDate.init)
            var record = DeltaLinkRecord(
                id: id, version: model.version, kind: EntrustmentKind(rawValue: model.kind) ?? .entrusted, productName: model.productName,
                productCategory: ProductCategory(rawValue: model.productCategory) ?? .device, productID: model.productID,
                registrantID: model.registrantID, registrant: registrant?.name ?? model.registrantUSCC, registrantUSCC: model.registrantUSCC,
                registrantProvince: registrantProvince, registrantPlaceName: registrant.map { places[$0.district] ?? $0.district } ?? "",
                registrantAuthority: registrantProvince.regulator, sites: linkSites, startsOn: CivilDate(model.startsOn) ?? today, endsOn: endsOn,
                agreementSignedOn: CivilDate(model.agreementSignedOn) ?? today, agreementEndsOn: CivilDate(model.agreementEndsOn) ?? today,
                endedOn: endedOn, status: LinkStatus.of(endsOn: endsOn, endedOn: endedOn, today: today),
                provinces: Set([registrantProvince] + linkSites.map(\.province)).sorted(), recordedBy: people[model.recordedBy] ?? model.recordedBy,
                recordedOn: CivilDate(model.recordedOn) ?? today)
            record.events = try (events[id] ?? []).map { event in
                DeltaLinkEventRecord(
                    id: try event.requireID(), kind: LinkEventKind(rawValue: event.kind) ?? .change,
                    occurredOn: CivilDate(event.occurredOn) ?? today, summary: event.summary, recordedBy: people[event.recordedBy] ?? event.recordedBy
                )
            }
            records.append(record)
        }
        return records
    }
}

extension Platform {
    public var deltaLinks: DeltaLinkUseCases { DeltaLinkUseCases(platform: self) }
}
