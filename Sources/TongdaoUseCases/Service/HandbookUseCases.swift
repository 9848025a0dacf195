import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore
import TongdaoXLSX

/// A policy of the handbook as a page or the API shows it.
public struct HandbookPolicyRecord: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var version: Int
    public var level: PolicyLevel
    /// A district's policy: the district's code and name.
    public var district: String?
    public var districtName: String?
    public var title: String
    public var documentNumber: String?
    public var issuer: String
    public var responsibleBody: String
    public var contact: String
    public var phone: String
    public var summary: String
    public var topics: [PolicyTopic]
    /// The product types it covers; empty: every type.
    public var categories: [ProductCategory]
    public var effectiveOn: CivilDate
    public var expiresOn: CivilDate?
    public var repealedOn: CivilDate?
    public var repealReason: String?
    public var sourceURL: String?
    /// Where it stands today.
    public var status: PolicyStatus
    /// Who recorded it, by name.
    public var author: String

    /// 国家 / 市级 / 浦东新区: whose policy it is, in words.
    public var issuedBy: String { level == .district ? (districtName ?? district ?? level.label) : level.label }
    /// The product types it covers, in words.
    public var categoriesLabel: String { categories.isEmpty ? "不限" : categories.map(\.label).joined(separator: "、") }
}

/// A policy as typed.
public struct HandbookPolicyInput: Sendable, Equatable {
    public var level: String?
    public var district: String?
    public var title: String?
    public var documentNumber: String?
    public var issuer: String?
    public var responsibleBody: String?
    public var contact: String?
    public var phone: String?
    public var summary: String?
    public var topics: [String]
    public var categories: [String]
    public var effectiveOn: String?
    public var expiresOn: String?
    public var sourceURL: String?

    public init(
        level: String? = nil, district: String? = nil, title: String? = nil, documentNumber: String? = nil, issuer: String? = nil,
        responsibleBody: String? = nil, contact: String? = nil, phone: String? = nil, summary: String? = nil, topics: [String] = [],
        categories: [String] = [], effectiveOn: String? = nil, expiresOn: String? = nil, sourceURL: String? = nil
    ) {
        self.level = level
        self.district = district
        self.title = title
        self.documentNumber = documentNumber
        self.issuer = issuer
        self.responsibleBody = responsibleBody
        self.contact = contact
        self.phone = phone
        self.summary = summary
        self.topics = topics
        self.categories = categories
        self.effectiveOn = effectiveOn
        self.expiresOn = expiresOn
        self.sourceURL = sourceURL
    }
}

/// The policies that apply to one enterprise, by level.
public struct ApplicablePolicies: Sendable, Equatable {
    public var enterprise: String
    public var districtName: String
    /// The product types of its products (empty: it has none yet, so every type counts).
    public var categories: [ProductCategory]
    public var policies: [HandbookPolicyRecord]
}

/// The policy handbook (政策手册, issue 20 item 7): the policies of the nation, the city and each
/// district that help an innovative product to market, each with its responsible body and a
/// contact. Every signed-in user searches it — in Chinese words (`SearchGrams`, as the FAQ library),
/// by topic, by district (the nation's, the city's and that district's) and by product type — and an
/// enterprise's page lists those in force that apply to it. The city's side (the regulator, the
/// industry department) records policies of any level; a district officer its own district's.
public struct HandbookUseCases: Sendable {
    let platform: Platform

    /// The most policies one export holds.
    public static let exportLimit = 5_000

    // MARK: Reads

    /// Policies matching `text` best first (without text: the nation's, the city's, then the
    /// districts'), narrowed by level, district, topic and product type; those in force today
    /// unless `everyStatus`.
    public func search(
        text: String? = nil, level: String? = nil, district: String? = nil, topic: String? = nil, productCategory: String? = nil,
        everyStatus: Bool = false, limit: Int = 50, offset: Int = 0, by caller: Caller
    ) async throws -> [HandbookPolicyRecord] {
        try caller.require(.readPolicies)
        var reader = FieldReader()
        let text = reader.text("q", text, label: "检索", maximum: 200, required: false, multiline: false)
        let filter = try await self.filter(
            level: level, district: district, topic: topic, productCategory: productCategory, everyStatus: everyStatus, reader: &reader)
        try reader.check()
        let models = try await HandbookStore.search(
            keys: text.map(SearchGrams.queryKeys) ?? [], filter: filter, limit: min(max(limit, 1), 200), offset: max(0, offset),
            on: platform.database)
        return try await records(models)
    }

    /// One policy (every signed-in user: the handbook is the public's).
    public func detail(id: UUID, by caller: Caller) async throws -> HandbookPolicyRecord {
        try caller.require(.readPolicies)
        guard let model = try await HandbookPolicyModel.find(id, on: platform.database) else { throw UseCaseError.notFound(.handbookPolicy) }
        return try await records([model])[0]
    }

    /// The policies in force today that apply to an enterprise in the caller's scope: the nation's,
    /// the city's and its district's, covering the types of its products.
    public func applicable(toEnterprise id: UUID, by caller: Caller) async throws -> ApplicablePolicies {
        try caller.require(.readPolicies)
        let enterprise = try await platform.enterprises.find(id: id, by: caller)
        let categories = Set(
            try await ProductModel.query(on: platform.database).filter(\.$enterprise.$id == id).all().map(\.category))
        let ordered = ProductCategory.allCases.filter(categories.contains)
        let filter = HandbookStore.Filter(district: enterprise.draft.district, categories: ordered, inForceOn: platform.clock.today())
        let models = try await HandbookStore.search(keys: [], filter: filter, limit: 500, offset: 0, on: platform.database)
        let names = try await platform.dashboard.regionNames()
        return ApplicablePolicies(
            enterprise: enterprise.draft.name, districtName: names[enterprise.draft.district] ?? enterprise.draft.district, categories: ordered,
            policies: try await records(models))
    }

    /// The handbook as a file (the search's filters, every status unless narrowed): CSV or XLSX.
    public func export(
        text: String? = nil, level: String? = nil, district: String? = nil, topic: String? = nil, productCategory: String? = nil,
        everyStatus: Bool = false, format: CensusUseCases.Format, by caller: Caller
    ) async throws -> Data {
        var found: [HandbookPolicyRecord] = []
        while found.count < Self.exportLimit {
            let page = try await search(
                text: text, level: level, district: district, topic: topic, productCategory: productCategory, everyStatus: everyStatus, limit: 200,
                offset: found.count, by: caller)
            found += page
            if page.count < 200 || text?.trimmingWhitespace().isEmpty == false { break }
        }
        var rows: [[String]] = [
            ["政策名称", "层级", "文号", "发布机关", "责任单位", "联系人", "联系电话", "主题", "适用产品", "施行日期", "截止日期", "状态", "政策要点", "原文链接"]
        ]
        for record in found {
            rows.append([
                record.title, record.issuedBy, record.documentNumber ?? "", record.issuer, record.responsibleBody, record.contact, record.phone,
                record.topics.map(\.label).joined(separator: "、"), record.categoriesLabel, record.effectiveOn.description,
                record.expiresOn?.description ?? "", record.status.label, record.summary, record.sourceURL ?? "",
            ])
        }
        return try CensusSheets.file(rows, sheetName: "政策手册", format: format)
    }

    // MARK: Writes

    /// Records a policy: the city's side at any level, a district officer its own district's.
    public func create(_ input: HandbookPolicyInput, by caller: Caller) async throws -> HandbookPolicyRecord {
        try caller.require(.writePolicies)
        var reader = FieldReader()
        let fields = try await read(input, reader: &reader, by: caller)
        let problems = reader.problems
        return try await platform.write(by: caller) { write in
            guard problems.isEmpty, let fields else { throw UseCaseError.invalid(problems) }
            let model = HandbookPolicyModel()
            model.id = GuidanceStore.newID(now: write.now)
            fields.apply(to: model)
            model.author = caller.audit.name
            model.version = 1
            try await model.create(on: write.db)
            let id = try model.requireID()
            try await HandbookStore.reindex(policy: id, keys: HandbookStore.keys(of: model), on: write.db)
            try await write.audit(
                "handbook.create", entityType: "handbook_policy", entityID: id.uuidString, before: nil, after: try Self.audited(model))
            return try await records([model], on: write.db)[0]
        }
    }

    /// Changes a policy, on the version read.
    public func revise(id: UUID, _ input: HandbookPolicyInput, expecting version: Int?, by caller: Caller) async throws -> HandbookPolicyRecord {
        try caller.require(.writePolicies)
        var reader = FieldReader()
        let fields = try await read(input, reader: &reader, by: caller)
        let problems = reader.problems
        return try await platform.write(by: caller) { write in
            let model = try await writable(id: id, by: caller, on: write.db)
            try model.check(basedOn: version, .handbookPolicy)
            guard problems.isEmpty, let fields else { throw UseCaseError.invalid(problems) }
            let before = try Self.audited(model)
            fields.apply(to: model)
            try await model.updateVersioned(on: write.db)
            try await HandbookStore.reindex(policy: id, keys: HandbookStore.keys(of: model), on: write.db)
            try await write.audit(
                "handbook.revise", entityType: "handbook_policy", entityID: id.uuidString, before: before, after: try Self.audited(model))
            return try await records([model], on: write.db)[0]
        }
    }

    /// Marks a policy repealed (or replaced) from a day, with the reason, on the version read.
    public func repeal(id: UUID, on day: String?, reason: String?, expecting version: Int?, by caller: Caller) async throws -> HandbookPolicyRecord {
        try caller.require(.writePolicies)
        var reader = FieldReader()
        let day = reader.anyDay("repealedOn", day, label: "废止日期", required: true)
        let reason = reader.text("reason", reason, label: "废止原因", maximum: 500)
        let problems = reader.problems
        return try await platform.write(by: caller) { write in
            let model = try await writable(id: id, by: caller, on: write.db)
            try model.check(basedOn: version, .handbookPolicy)
            guard model.repealedOn == nil else {
                throw UseCaseError.conflict(FieldProblem("repealedOn", "is already repealed", chinese: "该政策已标记废止"))
            }
            var problems = problems
            if let day, let effective = CivilDate(model.effectiveOn), day < effective {
                problems.append(FieldProblem("repealedOn", "cannot be before the policy takes effect", chinese: "废止日期不能早于施行日期（\(effective)）"))
            }
            guard problems.isEmpty, let day, let reason else { throw UseCaseError.invalid(problems) }
            model.repealedOn = day.description
            model.repealReason = reason
            try await model.updateVersioned(on: write.db)
            try await write.audit(
                "handbook.repeal", entityType: "handbook_policy", entityID: id.uuidString, before: nil,
                after: try Audit.json(["repealedOn": day.description, "reason": reason]))
            return try await records([model], on: write.db)[0]
        }
    }

    // MARK: Parts

    static func audited(_ model: HandbookPolicyModel) throws -> String {
        try Audit.json([
            "level": model.level, "district": model.district ?? "", "title": model.title, "responsibleBody": model.responsibleBody,
            "contact": model.contact, "phone": model.phone, "topics": model.topics, "categories": model.categories, "effectiveOn": model.effectiveOn,
            "expiresOn": model.expiresOn ?? "",
        ])
    }

    /// The filter of a search, its codes checked.
    private func filter(
        level: String?, district: String?, topic: String?, productCategory: String?, everyStatus: Bool, reader: inout FieldReader
    ) async throws -> HandbookStore.Filter {
        let level = reader.code("level", level, label: "层级", as: PolicyLevel.self, required: false)
        let topic = reader.code("topic", topic, label: "主题", as: PolicyTopic.self, required: false)
        let category = reader.code("productCategory", productCategory, label: "产品类别", as: ProductCategory.self, required: false)
        var districtCode: String?
        if let text = district?.trimmingWhitespace(), !text.isEmpty {
            if try await districts()[text] == nil {
                reader.problems.append(FieldProblem("district", "names no district", chinese: "没有该区"))
            } else {
                districtCode = text
            }
        }
        return HandbookStore.Filter(
            level: level, district: districtCode, topic: topic, categories: category.map { [$0] } ?? [],
            inForceOn: everyStatus ? nil : platform.clock.today())
    }

    /// The city's districts, by code.
    private func districts() async throws -> [String: String] {
        Dictionary(
            try await RegionQueries.list(level: .district, on: platform.database).map { ($0.code, $0.name) },
            uniquingKeysWith: { first, _ in first })
    }

    /// The typed fields, checked.
    private struct Fields {
        var level: PolicyLevel
        var district: String?
        var title: String
        var documentNumber: String?
        var issuer: String
        var responsibleBody: String
        var contact: String
        var phone: String
        var summary: String
        var topics: [PolicyTopic]
        var categories: [ProductCategory]
        var effectiveOn: CivilDate
        var expiresOn: CivilDate?
        var sourceURL: String?

        func apply(to model: HandbookPolicyModel) {
            model.level = level.rawValue
            model.district = district
            model.title = title
            model.documentNumber = documentNumber
            model.issuer = issuer
            model.responsibleBody = responsibleBody
            model.contact = contact
            model.phone = phone
            model.summary = summary
            model.topics = topics.map(\.rawValue).joined(separator: ",")
            model.categories = categories.map(\.rawValue).joined(separator: ",")
            model.effectiveOn = effectiveOn.description
            model.expiresOn = expiresOn?.description
            model.sourceURL = sourceURL
        }
    }

    /// What a telephone field may hold: digits, spaces, `-`, `+`, brackets and 转 (an extension).
    static func isTelephone(_ text: String) -> Bool {
        text.contains(where: \.isNumber) && text.allSatisfy { ($0.isASCII && ($0.isNumber || " -+()".contains($0))) || $0 == "转" }
    }

    private func read(_ input: HandbookPolicyInput, reader: inout FieldReader, by caller: Caller) async throws -> Fields? {
        let level = reader.code("level", input.level, label: "层级", as: PolicyLevel.self)
        var district: String?
        let typedDistrict = input.district?.trimmingWhitespace() ?? ""
        if level == .district {
            if typedDistrict.isEmpty {
                reader.problems.append(FieldProblem("district", "is required for a district's policy", chinese: "区级政策请选择所属区"))
            } else if try await districts()[typedDistrict] == nil {
                reader.problems.append(FieldProblem("district", "names no district", chinese: "没有该区"))
            } else {
                district = typedDistrict
            }
        } else if level != nil, !typedDistrict.isEmpty {
            reader.problems.append(FieldProblem("district", "is only for a district's policy", chinese: "国家和市级政策不属于某个区，请不要选择区"))
        }
        if case .district(let own) = caller.scope, level != nil, level != .district || (district != nil && district != own) {
            reader.problems.append(FieldProblem("level", "a district records its own district's policies", chinese: "区政府只能维护本区的区级政策"))
        }
        let title = reader.text("title", input.title, label: "政策名称", maximum: 200)
        let number = reader.text("documentNumber", input.documentNumber, label: "文号", maximum: 100, required: false)
        let issuer = reader.text("issuer", input.issuer, label: "发布机关", maximum: 100)
        let body = reader.text("responsibleBody", input.responsibleBody, label: "责任单位", maximum: 100)
        let contact = reader.text("contact", input.contact, label: "联系人", maximum: 50)
        var phone = reader.text("phone", input.phone, label: "联系电话", maximum: 40)
        if let typed = phone, !Self.isTelephone(typed) {
            reader.problems.append(FieldProblem("phone", "must be a telephone number", chinese: "联系电话只能包含数字、空格、“-”“+”、括号和“转”"))
            phone = nil
        }
        let summary = reader.text("summary", input.summary, label: "政策要点", maximum: 4_000, multiline: true)
        let topics = reader.codes("topics", input.topics, label: "主题", as: PolicyTopic.self)
        if topics.isEmpty, !reader.problems.contains(where: { $0.field == "topics" }) {
            reader.problems.append(FieldProblem("topics", "needs at least one topic", chinese: "请至少选择一个主题"))
        }
        let categories = reader.codes("categories", input.categories, label: "适用产品", as: ProductCategory.self)
        let effective = reader.anyDay("effectiveOn", input.effectiveOn, label: "施行日期", required: true)
        let expires = reader.anyDay("expiresOn", input.expiresOn, label: "截止日期")
        if let effective, let expires, expires < effective {
            reader.problems.append(FieldProblem("expiresOn", "cannot be before the policy takes effect", chinese: "截止日期不能早于施行日期"))
        }
        var source = reader.text("sourceURL", input.sourceURL, label: "原文链接", maximum: 500, required: false, multiline: false)
        if let link = source, !(link.lowercased().hasPrefix("https://") || link.lowercased().hasPrefix("http://")) || link.contains(" ") {
            reader.problems.append(FieldProblem("sourceURL", "must be an http or https address", chinese: "原文链接应以 http:// 或 https:// 开头"))
            source = nil
        }
        guard let level, let title, let issuer, let body, let contact, let phone, let summary, !topics.isEmpty, let effective else { return nil }
        return Fields(
            level: level, district: district, title: title, documentNumber: number, issuer: issuer, responsibleBody: body, contact: contact,
            phone: phone, summary: summary, topics: topics, categories: categories, effectiveOn: effective, expiresOn: expires, sourceURL: source)
    }

    /// A policy the caller may change: any for the city's side; a district officer its own district's.
    private func writable(id: UUID, by caller: Caller, on db: any Database) async throws -> HandbookPolicyModel {
        guard let model = try await HandbookPolicyModel.find(id, on: db) else { throw UseCaseError.notFound(.handbookPolicy) }
        if case .district(let own) = caller.scope, model.level != PolicyLevel.district.rawValue || model.district != own {
            throw UseCaseError.conflict(FieldProblem("district", "is another body's policy", chinese: "该政策由市级部门或其他区维护，您不能修改"))
        }
        return model
    }

    func records(_ models: [HandbookPolicyModel], on db: (any Database)? = nil) async throws -> [HandbookPolicyRecord] {
        let db = db ?? platform.database
        let today = platform.clock.today()
        let regions = try await RegionQueries.names(on: db)
        let names = try await People.labels(usernames: [], actors: models.map(\.author), on: db)
        return try models.map { model in
            let effective = CivilDate(model.effectiveOn) ?? today
            let expires = model.expiresOn.flatMap(CivilDate.init)
            let repealed = model.repealedOn.flatMap(CivilDate.init)
            return HandbookPolicyRecord(
                id: try model.requireID(), version: model.version, level: PolicyLevel(rawValue: model.level) ?? .city, district: model.district,
                districtName: model.district.map { regions[$0] ?? $0 }, title: model.title, documentNumber: model.documentNumber,
                issuer: model.issuer,
                responsibleBody: model.responsibleBody, contact: model.contact, phone: model.phone, summary: model.summary,
                topics: HandbookStore.codes(model.topics),
                categories: HandbookStore.codes(model.categories), effectiveOn: effective, expiresOn: expires, repealedOn: repealed,
                repealReason: model.repealReason, sourceURL: model.sourceURL,
                status: PolicyStatus.of(effectiveOn: effective, expiresOn: expires, repealedOn: repealed, on: today),
                author: names[model.author] ?? model.author)
        }
    }
}

extension Platform {
    public var handbook: HandbookUseCases { HandbookUseCases(platform: self) }
}
