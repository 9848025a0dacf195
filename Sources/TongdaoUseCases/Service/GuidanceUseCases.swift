import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

/// A guidance record as a page or the API shows it.
public struct GuidanceRecord: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var version: Int
    public var enterpriseID: UUID
    public var enterprise: String
    public var productID: UUID?
    public var productName: String?
    public var desk: String
    public var deskName: String
    public var heldOn: CivilDate
    public var mode: GuidanceMode
    public var attendees: String
    public var topics: [ServiceTopic]
    public var questions: String
    public var advice: String
    public var followUps: [GuidanceFollowUp]
    /// The appointment it came from, if any.
    public var appointmentID: UUID?
    /// Who recorded it, by name.
    public var recordedBy: String
}

/// A follow-up item as typed.
public struct FollowUpInput: Sendable, Equatable {
    public var item: String?
    public var owner: String?
    /// Working days after the session.
    public var days: String?

    public init(item: String? = nil, owner: String? = nil, days: String? = nil) {
        self.item = item
        self.owner = owner
        self.days = days
    }
}

/// A guidance session as typed.
public struct GuidanceInput: Sendable, Equatable {
    public var enterprise: String?
    public var product: String?
    /// A station's code, `review-centre` or `city`; a station officer's own when absent, else `city`.
    public var desk: String?
    public var heldOn: String?
    public var mode: String?
    public var attendees: String?
    public var topics: [String]
    public var questions: String?
    public var advice: String?
    public var followUps: [FollowUpInput]

    public init(
        enterprise: String? = nil, product: String? = nil, desk: String? = nil, heldOn: String? = nil, mode: String? = nil,
        attendees: String? = nil, topics: [String] = [], questions: String? = nil, advice: String? = nil, followUps: [FollowUpInput] = []
    ) {
        self.enterprise = enterprise
        self.product = product
        self.desk = desk
        self.heldOn = heldOn
        self.mode = mode
        self.attendees = attendees
        self.topics = topics
        self.questions = questions
        self.advice = advice
        self.followUps = followUps
    }
}

/// Guidance records (一对一服务, issue 20 item 2): a station records each session with an
/// enterprise of its districts — date, mode, attendees, topics from the list held as data, the
/// questions raised and the advice given, follow-up items with an owner and a due date in working
/// days — and marks the items done; an attended appointment becomes one. They appear on the
/// product's journey; an enterprise reads its own, the industry department counts.
public struct GuidanceUseCases: Sendable {
    let platform: Platform

    /// The regulator's desk code in a guidance record.
    public static let cityDesk = "city"

    // MARK: Reads

    public func list(product: UUID? = nil, desk: String? = nil, openOnly: Bool = false, by caller: Caller) async throws -> [GuidanceRecord] {
        try caller.require(.readGuidance)
        let models = try await GuidanceStore.list(
            product: product, desk: desk.flatMap { $0.isEmpty ? nil : $0 }, openOnly: openOnly, scope: caller.filter, on: platform.database)
        return try await records(models)
    }

    /// The same, the product as typed (a text that is no id is refused at `product`).
    public func list(productText: String?, desk: String? = nil, openOnly: Bool = false, by caller: Caller) async throws -> [GuidanceRecord] {
        try caller.require(.readGuidance)
        var reader = FieldReader()
        let product = reader.id("product", productText, label: "产品", required: false)
        guard reader.problems.isEmpty else { throw UseCaseError.malformed(reader.problems) }
        return try await list(product: product, desk: desk, openOnly: openOnly, by: caller)
    }

    public func detail(id: UUID, by caller: Caller) async throws -> GuidanceRecord {
        try caller.require(.readGuidance)
        guard let model = try await GuidanceStore.find(id: id, scope: caller.filter, on: platform.database) else {
            throw UseCaseError.notFound(.guidance)
        }
        return try await records([model])[0]
    }

    /// Sessions, enterprises and products served by desk and month in a year, in scope.
    public func counts(year: Int, by caller: Caller) async throws -> [GuidanceCount] {
        try caller.require(.countGuidance)
        return try await GuidanceStore.counts(year: year, scope: caller.filter, on: platform.database).map {
            GuidanceCount(desk: $0.desk, month: $0.month, sessions: $0.sessions, enterprises: $0.enterprises, products: $0.products)
        }
    }

    /// The enterprises the caller may record a session with (in its scope), by name.
    public func enterprises(by caller: Caller) async throws -> [(id: UUID, name: String)] {
        try caller.require(.recordGuidance)
        let models = try await EnterpriseModel.query(on: platform.database).scoped(to: caller.filter).sort(\.$name).limit(2_000).all()
        return try models.map { (try $0.requireID(), $0.name) }
    }

    /// An enterprise's products in the caller's scope (none for a text that is no id).
    public func products(ofEnterprise enterprise: String?, by caller: Caller) async throws -> [(id: UUID, name: String)] {
        try caller.require(.recordGuidance)
        guard let id = enterprise.flatMap(UUID.init(uuidString:)) else { return [] }
        let models = try await ProductModel.query(on: platform.database).scoped(to: caller.filter).filter(\.$enterprise.$id == id).sort(\.$name)
            .limit(500).all()
        return try models.map { (try $0.requireID(), $0.name) }
    }

    // MARK: Writes

    /// Records a session (on a day up to today) with its follow-ups, each due so many working days after it.
    public func record(_ input: GuidanceInput, by caller: Caller) async throws -> GuidanceRecord {
        try caller.require(.recordGuidance)
        var reader = FieldReader()
        let today = platform.clock.today()
        let enterpriseID = reader.id("enterprise", input.enterprise, label: "企业")
        let productID = reader.id("product", input.product, label: "产品", required: false)
        let heldOn = reader.day("heldOn", input.heldOn, label: "服务日期", today: today, required: true)
        let mode = reader.code("mode", input.mode, label: "服务方式", as: GuidanceMode.self)
        let attendees = reader.text("attendees", input.attendees, label: "参加人员", maximum: 500)
        let questions = reader.text("questions", input.questions, label: "企业提出的问题", maximum: 5_000, multiline: true)
        let advice = reader.text("advice", input.advice, label: "指导意见", maximum: 5_000, multiline: true)
        let desk = input.desk.flatMap { $0.isEmpty ? nil : $0 } ?? AppointmentUseCases.ownDesk(of: caller) ?? Self.cityDesk
        if desk != Self.cityDesk, !(try AppointmentUseCases.deskCodes().contains(desk)) {
            reader.problems.append(FieldProblem("desk", "names no desk", chinese: "服务单位应为服务工作站、市审评核查中心或市药监局"))
        } else if let own = AppointmentUseCases.ownDesk(of: caller), own != desk {
            reader.problems.append(FieldProblem("desk", "is not your station", chinese: "只能记录本工作站的服务"))
        }
        let db = platform.database
        let known = Set(try await ConsultationStore.topics(on: db).compactMap(\.id))
        let topics = input.topics.map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        if topics.isEmpty {
            reader.problems.append(FieldProblem("topics", "is required", chinese: "请选择服务主题"))
        } else if let unknown = topics.first(where: { !known.contains($0) }) {
            reader.problems.append(FieldProblem("topics", "names no topic: \(unknown)", chinese: "没有该服务主题：\(unknown)"))
        }
        let calendar = try await platform.calendar()
        var followUps: [GuidanceFollowUp] = []
        for (index, followUp) in input.followUps.enumerated() {
            let item = reader.text("followUps[\(index)].item", followUp.item, label: "跟进事项", maximum: 500)
            let owner = reader.text("followUps[\(index)].owner", followUp.owner, label: "责任人", maximum: 64)
            let days = reader.wholeNumber("followUps[\(index)].days", followUp.days, label: "完成时限（工作日）")
            if let days, !(1...120).contains(days) {
                reader.problems.append(
                    FieldProblem("followUps[\(index)].days", "must be 1 to 120 working days", chinese: "完成时限应为 1 至 120 个工作日"))
            } else if let item, let owner, let days, let heldOn,
                let due = try? calendar.addingWorkingDays(days, to: heldOn, provisional: true).value
            {
                followUps.append(GuidanceFollowUp(item: item, owner: owner, dueInWorkingDays: days, dueOn: due))
            }
        }
        var enterprise: EnterpriseModel?
        if let enterpriseID {
            enterprise = try await EnterpriseStore.find(id: enterpriseID, scope: caller.filter, on: db)
            if enterprise == nil {
                reader.problems.append(FieldProblem("enterprise", "names no enterprise in your scope", chinese: "没有该企业，或不在您的服务范围内"))
            }
        }
        var product: ProductModel?
        if let productID, let enterprise {
            product = try await ProductStore.find(id: productID, scope: caller.filter, on: db)
            if product?.$enterprise.id != enterprise.id {
                product = nil
                reader.problems.append(FieldProblem("product", "is not a product of the enterprise", chinese: "该产品不属于所选企业"))
            }
        }
        let problems = reader.problems
        return try await platform.write(by: caller) { [enterprise, product, followUps] write in
            guard problems.isEmpty, let enterprise, let heldOn, let mode, let attendees, let questions, let advice else {
                throw UseCaseError.invalid(problems)
            }
            let model = try Self.model(
                enterprise: enterprise, product: product, desk: desk, heldOn: heldOn, mode: mode, attendees: attendees, topics: topics,
                questions: questions, advice: advice, followUps: followUps, appointment: nil, by: caller, now: write.now)
            try await model.create(on: write.db)
            try await write.audit(
                "guidance.record", entityType: "guidance", entityID: try model.requireID().uuidString, before: nil,
                after: try Audit.json([
                    "enterprise": enterprise.uscc, "product": product?.name ?? "", "desk": desk, "heldOn": heldOn.description, "mode": mode.rawValue,
                    "followUps": String(followUps.count),
                ]))
            return try await records([model], on: write.db)[0]
        }
    }

    /// Marks a follow-up item done today, on the version read.
    public func completeFollowUp(id: UUID, item index: Int, expecting version: Int?, by caller: Caller) async throws -> GuidanceRecord {
        try caller.require(.recordGuidance)
        return try await platform.write(by: caller) { write in
            guard let model = try await GuidanceStore.find(id: id, scope: caller.filter, on: write.db) else { throw UseCaseError.notFound(.guidance) }
            try model.check(basedOn: version, .guidance)
            if let own = AppointmentUseCases.ownDesk(of: caller), own != model.desk {
                throw UseCaseError.conflict(FieldProblem("desk", "is another desk's record", chinese: "该记录由其他服务单位填写，您不能修改"))
            }
            var items = GuidanceFollowUp.items(storedText: model.followUps)
            guard items.indices.contains(index) else {
                throw UseCaseError.invalid([FieldProblem("item", "names no follow-up item", chinese: "没有该跟进事项")])
            }
            guard items[index].doneOn == nil else {
                throw UseCaseError.conflict(FieldProblem("item", "is done already", chinese: "该跟进事项已完成"))
            }
            items[index].doneOn = ShanghaiTime.day(of: write.now)
            model.followUps = GuidanceFollowUp.storedText(of: items)
            model.openFollowUps = items.count { $0.doneOn == nil }
            try await model.updateVersioned(on: write.db)
            try await write.audit(
                "guidance.follow_up", entityType: "guidance", entityID: id.uuidString, before: nil,
                after: try Audit.json(["item": items[index].item, "doneOn": items[index].doneOn?.description ?? ""]))
            return try await records([model], on: write.db)[0]
        }
    }

    // MARK: Parts

    /// A new record's row (not yet stored).
    static func model(
        enterprise: EnterpriseModel, product: ProductModel?, desk: String, heldOn: CivilDate, mode: GuidanceMode, attendees: String, topics: [String],
        questions: String, advice: String, followUps: [GuidanceFollowUp], appointment: UUID?, by caller: Caller, now: Date
    ) throws -> GuidanceRecordModel {
        let model = GuidanceRecordModel()
        model.id = GuidanceStore.newID(now: now)
        model.enterpriseID = try enterprise.requireID()
        model.uscc = enterprise.uscc
        model.district = enterprise.district
        model.park = enterprise.park
        model.productID = try product?.requireID()
        model.productName = product?.name
        model.desk = desk
        model.heldOn = heldOn.description
        model.mode = mode.rawValue
        model.attendees = attendees
        model.topics = topics.joined(separator: ",")
        model.questions = questions
        model.advice = advice
        model.followUps = GuidanceFollowUp.storedText(of: followUps)
        model.openFollowUps = followUps.count { $0.doneOn == nil }
        model.appointmentID = appointment
        model.recordedBy = caller.audit.name
        model.version = 1
        return model
    }

    /// A desk's name: a station's, the review centre's, or the regulator's.
    public static func deskName(_ code: String, stations: [String: String]) -> String {
        code == cityDesk ? ConsultationUseCases.regulatorDesk : AppointmentUseCases.deskName(code, stations: stations)
    }

    func records(_ models: [GuidanceRecordModel], on db: (any Database)? = nil) async throws -> [GuidanceRecord] {
        let db = db ?? platform.database
        let stations = try ReferenceData.stationNames()
        let topics = try await ConsultationStore.topics(activeOnly: false, on: db)
        let labels = Dictionary(topics.map { ($0.id ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        let enterprises = try await EnterpriseStore.names(of: Set(models.map(\.enterpriseID)), on: db)
        let names = try await People.labels(usernames: [], actors: models.map(\.recordedBy), on: db)
        let today = platform.clock.today()
        return try models.map { model in
            GuidanceRecord(
                id: try model.requireID(), version: model.version, enterpriseID: model.enterpriseID,
                enterprise: enterprises[model.enterpriseID] ?? model.uscc, productID: model.productID, productName: model.productName,
                desk: model.desk,
                deskName: Self.deskName(model.desk, stations: stations), heldOn: CivilDate(model.heldOn) ?? today,
                mode: GuidanceMode(rawValue: model.mode) ?? .onSite, attendees: model.attendees,
                topics: model.topics.split(separator: ",").map { code in
                    let topic = labels[String(code)]
                    return ServiceTopic(code: String(code), label: topic?.label ?? String(code), cityLevel: topic?.cityLevel ?? false)
                }, questions: model.questions, advice: model.advice, followUps: GuidanceFollowUp.items(storedText: model.followUps),
                appointmentID: model.appointmentID, recordedBy: names[model.recordedBy] ?? model.recordedBy)
        }
    }
}

extension Platform {
    public var guidance: GuidanceUseCases { GuidanceUseCases(platform: self) }
}
