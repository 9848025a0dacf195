import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

/// Consultations (咨询, issue 20 item 3): an enterprise asks about a topic (and a product of its
/// own, if it wants); the question goes to the station covering its district, or to the regulator
/// for a city-level topic; the officer answers or asks the enterprise to clarify, which stops the
/// clock until the enterprise replies; after an answer the enterprise rates it or asks again. The
/// first response and the resolution are held to the working-day targets of the policy in force on
/// the day of the question (`ServiceClock`); the queue orders open questions by their deadline.
public struct ConsultationUseCases: Sendable {
    let platform: Platform

    /// The regulator's desk: the name shown where no station answers.
    public static let regulatorDesk = "市药监局"

    // MARK: Reference

    /// The topics, in their order (public reference data).
    public func topics() async throws -> [ServiceTopic] {
        try await ConsultationStore.topics(on: platform.database).map {
            ServiceTopic(code: $0.id ?? "", label: $0.label, cityLevel: $0.cityLevel)
        }
    }

    /// The stations (public reference data).
    public func stations() throws -> [ServiceStation] {
        try ReferenceData.stations()
    }

    /// Each station's name by its code (public reference data).
    public func stationNames() throws -> [String: String] {
        try ReferenceData.stationNames()
    }

    // MARK: Reads

    /// A page of consultations in the caller's scope with one status, on a desk: `all`, `city` (the
    /// regulator's) or a station's code; a station officer's own station when none is named.
    public func list(
        status: String? = nil, desk: String? = nil, topic: String? = nil, level: String? = nil, escalated: Bool = false, kind: String? = nil,
        limit: Int = 50, cursor: String? = nil, by caller: Caller
    ) async throws -> Page<ConsultationRecord> {
        try caller.require(.readConsultations)
        var reader = FieldReader()
        let kind = reader.code("kind", kind, label: "类型", as: ConsultationKind.self, required: false)
        let status = reader.code("status", status, label: "状态", as: ConsultationStatus.self, required: false) ?? .open
        let level = reader.code("level", level, label: "预警", as: ReviewClock.Level.self, required: false)
        let desk = try parseDesk(desk, reader: &reader, by: caller)
        guard reader.problems.isEmpty else { throw UseCaseError.malformed(reader.problems) }
        let after = try Cursor.parse(cursor, parts: 2)
        let today = platform.clock.today()
        let page = try await ConsultationStore.list(
            .init(
                desk: desk, status: status, topic: topic.flatMap { $0.isEmpty ? nil : $0 }, level: level, escalated: escalated, kind: kind,
                today: today),
            scope: caller.filter, limit: max(1, min(limit, 200)), after: after, on: platform.database)
        return Page(items: try await records(page.rows, withMessages: false), next: page.next?.token)
    }

    /// How many consultations of each status a desk holds, and the open ones amber, red and escalated.
    public func counts(desk: String? = nil, by caller: Caller) async throws -> ConsultationCounts {
        try caller.require(.readConsultations)
        var reader = FieldReader()
        let desk = try parseDesk(desk, reader: &reader, by: caller)
        guard reader.problems.isEmpty else { throw UseCaseError.malformed(reader.problems) }
        let counts = try await ConsultationStore.counts(desk: desk, scope: caller.filter, today: platform.clock.today(), on: platform.database)
        return ConsultationCounts(byStatus: counts.byStatus, amber: counts.amber, red: counts.red, escalated: counts.escalated)
    }

    /// One consultation in the caller's scope, with its history.
    public func detail(id: UUID, by caller: Caller) async throws -> ConsultationRecord {
        try caller.require(.readConsultations)
        guard let model = try await ConsultationStore.find(id: id, scope: caller.filter, on: platform.database) else {
            throw UseCaseError.notFound(.consultation)
        }
        return try await records([model], withMessages: true)[0]
    }

    /// What waits for the caller: a station officer's open questions that are amber or red; the
    /// regulator's own open ones amber or red and every escalated one; an enterprise's questions
    /// waiting for its reply or its rating.
    public func attention(by caller: Caller) async throws -> [ConsultationRecord] {
        guard caller.may(.readConsultations), caller.username != nil else { return [] }
        let today = platform.clock.today()
        var rows: [ConsultationModel] = []
        func page(_ filter: ConsultationStore.Filter) async throws -> [ConsultationModel] {
            try await ConsultationStore.list(filter, scope: caller.filter, limit: 50, after: nil, on: platform.database).rows
        }
        if case .station(let code) = caller.scope {
            rows = try await page(.init(desk: .station(code), status: .open, level: .amber, today: today))
        } else if caller.may(.answerConsultations) {
            rows = try await page(.init(desk: .regulator, status: .open, level: .amber, today: today))
            let escalated = try await page(.init(desk: .all, status: .open, escalated: true, today: today))
            rows += escalated.filter { row in !rows.contains { $0.id == row.id } }
        } else if caller.may(.askConsultations), case .enterprise = caller.scope {
            rows = try await page(.init(status: .awaitingEnterprise, today: today)) + page(.init(status: .answered, today: today))
        }
        return try await records(rows, withMessages: false)
    }

    /// What the question form offers the caller: the enterprises it may ask for (none for an
    /// enterprise's account: it asks for itself) and the products it may name (an enterprise's own).
    public func askOptions(by caller: Caller) async throws -> (enterprises: [(id: UUID, name: String)], products: [(id: UUID, name: String)]) {
        try caller.require(.askConsultations)
        let db = platform.database
        if case .enterprise = caller.scope {
            let products = try await ProductModel.query(on: db).scoped(to: caller.filter).sort(\.$name).limit(500).all()
            return ([], try products.map { (try $0.requireID(), $0.name) })
        }
        let enterprises = try await EnterpriseModel.query(on: db).scoped(to: caller.filter).sort(\.$name).limit(2_000).all()
        return (try enterprises.map { (try $0.requireID(), $0.name) }, [])
    }

    /// The products a classification question may be about: an enterprise's own, or those in the
    /// caller's scope with their enterprise's name.
    public func classificationOptions(by caller: Caller) async throws -> [(id: UUID, name: String)] {
        try caller.require(.askConsultations)
        let db = platform.database
        let products = try await ProductModel.query(on: db).scoped(to: caller.filter).filter(\.$category != .drug).sort(\.$name).limit(2_000).all()
        if case .enterprise = caller.scope { return try products.map { (try $0.requireID(), $0.name) } }
        let enterprises = try await EnterpriseStore.names(of: Set(products.map { $0.$enterprise.id }), on: db)
        return try products.map { (try $0.requireID(), "\($0.name)（\(enterprises[$0.$enterprise.id] ?? $0.uscc)）") }
    }

    // MARK: Writes

    /// An enterprise's question (or one the regulator records for it): routed to its station or,
    /// for a city-level topic, to the regulator; the targets of the policy in force kept with it.
    public func ask(_ input: ConsultationInput, by caller: Caller) async throws -> ConsultationRecord {
        try await ask(input, kind: .question, proposedClass: nil, problems: [], by: caller)
    }

    /// A classification question (分类界定) about a product of the enterprise's: its intended use,
    /// structure and working principle and the class it proposes, to the regulator, on the
    /// classification target of the policy in force.
    public func requestClassification(_ input: ClassificationInput, by caller: Caller) async throws -> ConsultationRecord {
        try caller.require(.askConsultations)
        var reader = FieldReader()
        if (input.product ?? "").trimmingWhitespace().isEmpty {
            reader.problems.append(FieldProblem("product", "is required", chinese: "请选择需要界定的产品"))
        }
        let use = reader.text("intendedUse", input.intendedUse, label: "预期用途", maximum: 2_000, multiline: true)
        let structure = reader.text("structure", input.structure, label: "结构组成", maximum: 2_000, multiline: true)
        let principle = reader.text("principle", input.principle, label: "工作原理", maximum: 2_000, multiline: true)
        let proposed = reader.code("proposedClass", input.proposedClass, label: "建议类别", as: ManagementClass.self, required: false)
        // The regulator recording a question names the product; its enterprise is the product's.
        var enterprise = input.enterprise
        if !isEnterprise(caller), (enterprise ?? "").trimmingWhitespace().isEmpty, let id = input.product.flatMap(UUID.init(uuidString:)),
            let product = try await ProductStore.find(id: id, scope: caller.filter, on: platform.database)
        {
            enterprise = product.$enterprise.id.uuidString
        }
        let question = [
            "预期用途：\(use ?? "")", "结构组成：\(structure ?? "")", "工作原理：\(principle ?? "")",
            "申请人建议类别：\(proposed?.label ?? "未提出")",
        ].joined(separator: "\n")
        return try await ask(
            ConsultationInput(enterprise: enterprise, product: input.product, topic: "classification", title: "分类界定", question: question),
            kind: .classification, proposedClass: proposed, problems: reader.problems, by: caller)
    }

    private func ask(
        _ input: ConsultationInput, kind: ConsultationKind, proposedClass: ManagementClass?, problems earlier: [FieldProblem], by caller: Caller
    ) async throws -> ConsultationRecord {
        try caller.require(.askConsultations)
        var reader = FieldReader()
        reader.problems = earlier
        let enterpriseID = reader.id("enterprise", input.enterprise, label: "企业", required: !isEnterprise(caller))
        let productID = reader.id("product", input.product, label: "产品", required: false)
        let topicCode = reader.text("topic", input.topic, label: "咨询主题", maximum: 64)
        let title = reader.text("title", input.title, label: "问题概要", maximum: 100)
        let question = reader.text("question", input.question, label: "问题内容", maximum: 5_000, multiline: true)
        var problems = reader.problems
        let db = platform.database
        let topics = try await ConsultationStore.topics(on: db)
        let topic = topicCode.flatMap { code in topics.first { $0.id == code || $0.label == code } }
        if topicCode != nil, topic == nil {
            problems.append(FieldProblem("topic", "names no topic", chinese: "咨询主题应为：\(topics.map(\.label).joined(separator: "、"))"))
        }
        var enterprise: EnterpriseModel?
        if case .enterprise(let uscc) = caller.scope {
            enterprise = try await EnterpriseStore.find(uscc: uscc, on: db)
            if enterprise == nil {
                problems.append(FieldProblem("enterprise", "your enterprise is not registered", chinese: "您的企业尚未登记，请联系所在区或园区"))
            }
        } else if let enterpriseID {
            enterprise = try await EnterpriseStore.find(id: enterpriseID, scope: caller.filter, on: db)
            if enterprise == nil {
                problems.append(FieldProblem("enterprise", "names no enterprise in your scope", chinese: "没有该企业，或不在您的权限范围内"))
            }
        }
        var product: ProductModel?
        if let productID, let enterprise {
            product = try await ProductStore.find(id: productID, scope: caller.filter, on: db)
            if product?.$enterprise.id != enterprise.id {
                product = nil
                problems.append(FieldProblem("product", "is not a product of the enterprise asking", chinese: "该产品不属于提问的企业"))
            }
        }
        let stations = try ReferenceData.stations()
        let policy = try await policies().inForce
        let calendar = try await platform.calendar()
        return try await platform.write(by: caller) { [problems, product, enterprise] write in
            guard problems.isEmpty, let enterprise, let topic, let title, let question else { throw UseCaseError.invalid(problems) }
            let today = ShanghaiTime.day(of: write.now)
            let model = ConsultationModel()
            model.id = ConsultationStore.newID(now: write.now)
            model.enterpriseID = try enterprise.requireID()
            model.uscc = enterprise.uscc
            model.district = enterprise.district
            model.park = enterprise.park
            model.productID = try product?.requireID()
            model.productName = product?.name
            model.topic = topic.id ?? ""
            model.title = kind == .classification ? "分类界定：\(product?.name ?? "")" : title
            model.kind = kind.rawValue
            model.proposedClass = proposedClass?.rawValue
            // A classification question goes to the regulator, as city-level topics do.
            model.station =
                topic.cityLevel || kind == .classification
                ? nil : ServiceRouting.station(district: enterprise.district, park: enterprise.park, among: stations)?.code
            let targets = kind == .classification ? policy.classificationTargets : policy.targets
            model.firstResponseDays = targets.firstResponse
            model.resolutionDays = targets.resolution
            model.amberFraction = targets.amberFraction
            model.escalateAfterDays = targets.escalateAfter
            model.askedOn = today.description
            model.askedBy = caller.audit.name
            model.version = 1
            let events = [ServiceClock.Event(.asked, on: today)]
            let reading = try Self.reading(events, targets: targets, today: today, calendar: calendar)
            ConsultationStore.keep(reading, events: events, calendar: calendar, on: model)
            try await model.create(on: write.db)
            let id = try model.requireID()
            try await ConsultationStore.addMessage(.asked, to: id, body: question, on: today, by: caller.audit.name, at: write.now, on: write.db)
            try await write.audit(
                "consultation.ask", entityType: "consultation", entityID: id.uuidString, before: nil,
                after: try Audit.json([
                    "enterprise": enterprise.uscc, "product": product?.name ?? "", "topic": model.topic, "title": title,
                    "desk": model.station ?? "city",
                ]))
            return try await records([model], withMessages: true, calendar: calendar, on: write.db)[0]
        }
    }

    /// The officer's response on the version read: an answer, or a request to clarify (the clock
    /// stops until the enterprise replies). A station answers those sent to it; the regulator any.
    public func respond(id: UUID, response: String?, text: String?, expecting version: Int?, by caller: Caller) async throws -> ConsultationRecord {
        try caller.require(.answerConsultations)
        var reader = FieldReader()
        let response = reader.code("response", response, label: "答复方式", as: ConsultationResponse.self)
        let text = reader.text("text", text, label: response == .requestInfo ? "需补充说明的内容" : "答复内容", maximum: 5_000, multiline: true)
        let problems = reader.problems
        return try await step(id: id, expecting: version, by: caller) { model, write in
            try Self.requireDesk(model, of: caller)
            if response == .answer, model.kind == ConsultationKind.classification.rawValue {
                throw UseCaseError.conflict(
                    FieldProblem("response", "a classification question is answered with its outcome", chinese: "分类界定请填写界定结论后答复"))
            }
            guard problems.isEmpty, let response, let text else { throw UseCaseError.invalid(problems) }
            return (response.event, text, nil, nil)
        }
    }

    /// The regulator's answer to a classification question, on the version read: the outcome (a
    /// class, or not a medical device), the classification code if it gives one, and its reasons.
    /// A class becomes the product's in the same write, with its own audit row.
    public func decideClassification(
        id: UUID, outcome: String?, classificationCode: String?, text: String?, expecting version: Int?, by caller: Caller
    ) async throws -> ConsultationRecord {
        try caller.require(.answerConsultations)
        var reader = FieldReader()
        let outcome = reader.code("outcome", outcome, label: "界定结论", as: ClassificationOutcome.self)
        let code = reader.text("classificationCode", classificationCode, label: "分类编码", maximum: 5, required: false)
        if let code, !ClassificationCode.isValid(code) {
            reader.problems.append(
                FieldProblem(
                    "classificationCode", "must be a sub-catalogue 01–22, optionally with a second level", chinese: "分类编码应为子目录 01–22，可带二级类别（如 21-04）")
            )
        }
        if code != nil, outcome == .notDevice {
            reader.problems.append(FieldProblem("classificationCode", "applies to devices only", chinese: "不作为医疗器械管理的，不填写分类编码"))
        }
        let text = reader.text("text", text, label: "界定意见", maximum: 5_000, multiline: true)
        let problems = reader.problems
        return try await step(id: id, expecting: version, by: caller) { model, write in
            guard model.kind == ConsultationKind.classification.rawValue else {
                throw UseCaseError.conflict(FieldProblem("kind", "is not a classification question", chinese: "该咨询不是分类界定申请"))
            }
            try Self.requireDesk(model, of: caller)
            guard problems.isEmpty, let outcome, let text else { throw UseCaseError.invalid(problems) }
            guard let productID = model.productID, let product = try await ProductModel.find(productID, on: write.db) else {
                throw UseCaseError.notFound(.product)
            }
            let before = try Audit.json(["managementClass": product.managementClass.rawValue, "classificationCode": product.classificationCode ?? ""])
            model.previousClass = product.managementClass.rawValue
            model.decidedClass = outcome.rawValue
            model.decidedCode = code
            if let decided = outcome.managementClass {
                product.managementClass = decided
                if let code { product.classificationCode = code }
                try await product.updateVersioned(on: write.db)
                try await write.audit(
                    "product.classification", entityType: "product", entityID: productID.uuidString, before: before,
                    after: try Audit.json([
                        "managementClass": decided.rawValue, "classificationCode": product.classificationCode ?? "", "consultation": id.uuidString,
                    ]))
            }
            return (.answered, "界定结论：\(outcome.label)\(code.map { "（分类编码 \($0)）" } ?? "")\n\(text)", nil, nil)
        }
    }

    /// The enterprise's reply to a request, or a further question after an answer: the clock runs again.
    public func reply(id: UUID, text: String?, expecting version: Int?, by caller: Caller) async throws -> ConsultationRecord {
        try caller.require(.askConsultations)
        var reader = FieldReader()
        let text = reader.text("text", text, label: "补充说明或追问", maximum: 5_000, multiline: true)
        let problems = reader.problems
        return try await step(id: id, expecting: version, by: caller) { _, _ in
            guard problems.isEmpty, let text else { throw UseCaseError.invalid(problems) }
            return (.enterpriseReplied, text, nil, nil)
        }
    }

    /// Hands an open question to another station, or to the regulator (`city`), with the reason.
    public func transfer(id: UUID, to desk: String?, reason: String?, expecting version: Int?, by caller: Caller) async throws -> ConsultationRecord {
        try caller.require(.answerConsultations)
        var reader = FieldReader()
        let target = reader.text("to", desk, label: "转办至", maximum: 64)
        let reason = reader.text("reason", reason, label: "转办理由", maximum: 500)
        let stations = try ReferenceData.stations()
        if let target, target != "city", !stations.contains(where: { $0.code == target }) {
            reader.problems.append(FieldProblem("to", "names no station (or city)", chinese: "转办对象应为服务工作站或市药监局"))
        }
        let problems = reader.problems
        return try await step(id: id, expecting: version, by: caller) { model, _ in
            try Self.requireDesk(model, of: caller)
            guard problems.isEmpty, let target, let reason else { throw UseCaseError.invalid(problems) }
            let station: String? = target == "city" ? nil : target
            guard station != model.station else {
                throw UseCaseError.invalid([FieldProblem("to", "is where it is already", chinese: "该咨询已在此办理")])
            }
            model.station = station
            return (.transferred, reason, station, nil)
        }
    }

    /// The enterprise's rating of the answer (1 to 5) with an optional comment: the consultation is closed.
    public func rate(id: UUID, rating: Int?, comment: String?, expecting version: Int?, by caller: Caller) async throws -> ConsultationRecord {
        try caller.require(.askConsultations)
        var reader = FieldReader()
        let rating = reader.count("rating", rating, label: "满意度评分", in: 1...5)
        let comment = reader.text("comment", comment, label: "评价意见", maximum: 1_000, required: false)
        let problems = reader.problems
        return try await step(id: id, expecting: version, by: caller) { model, _ in
            guard problems.isEmpty, let rating else { throw UseCaseError.invalid(problems) }
            model.rating = rating
            return (.rated, comment ?? "", nil, rating)
        }
    }

    /// The enterprise withdraws a question not yet answered.
    public func withdraw(id: UUID, reason: String?, expecting version: Int?, by caller: Caller) async throws -> ConsultationRecord {
        try caller.require(.askConsultations)
        var reader = FieldReader()
        let reason = reader.text("reason", reason, label: "撤回理由", maximum: 500, required: false)
        let problems = reader.problems
        return try await step(id: id, expecting: version, by: caller) { _, _ in
            guard problems.isEmpty else { throw UseCaseError.invalid(problems) }
            return (.withdrawn, reason ?? "", nil, nil)
        }
    }

    // MARK: Policy

    /// The service targets: the version in force and every version (public: an enterprise reads
    /// what it may expect).
    public func policies() async throws -> (inForce: ServicePolicy, versions: [ServicePolicy]) {
        let versions = try await PolicyStore.versions(ServicePolicy.self, key: PlatformSetting.Key.servicePolicy, on: platform.database)
        return (ServicePolicy.inForce(on: platform.clock.today(), among: versions), versions)
    }

    /// Puts a version of the service targets in force from a day, each figure checked at its field.
    public func setPolicy(_ input: ServicePolicyInput, by caller: Caller) async throws -> [ServicePolicy] {
        try caller.require(.writeProcedure)
        var reader = FieldReader()
        let standard = ServicePolicy.standard
        let policy = ServicePolicy(
            effectiveFrom: input.effectiveFrom?.trimmingWhitespace() ?? "",
            firstResponseDays: reader.wholeNumber("firstResponseDays", input.firstResponseDays, label: "首次响应时限") ?? standard.firstResponseDays,
            resolutionDays: reader.wholeNumber("resolutionDays", input.resolutionDays, label: "办结时限") ?? standard.resolutionDays,
            amberFraction: reader.number("amberFraction", input.amberFraction, label: "预警比例") ?? standard.amberFraction,
            escalateAfterDays: reader.wholeNumber("escalateAfterDays", input.escalateAfterDays, label: "超期升级天数") ?? standard.escalateAfterDays,
            classificationDays: reader.wholeNumber("classificationDays", input.classificationDays, label: "分类界定时限") ?? standard.classificationDays,
            appointmentCutoffDays: reader.wholeNumber("appointmentCutoffDays", input.appointmentCutoffDays, label: "预约和取消截止时间")
                ?? standard.appointmentCutoffDays)
        guard reader.problems.isEmpty else {
            let typed = Set(reader.problems.map(\.field))
            throw UseCaseError.invalid(
                reader.problems + policy.problems(today: platform.clock.today()).filter { !typed.contains($0.field) && $0.field == "effectiveFrom" })
        }
        return try await setPolicy(policy, by: caller)
    }

    /// Puts a version of the service targets in force from a day (`city_admin`, audited).
    public func setPolicy(_ policy: ServicePolicy, by caller: Caller) async throws -> [ServicePolicy] {
        try await platform.putPolicy(policy, key: PlatformSetting.Key.servicePolicy, audit: "settings.service_policy", by: caller)
    }

    // MARK: Parts

    private func isEnterprise(_ caller: Caller) -> Bool {
        if case .enterprise = caller.scope { true } else { false }
    }

    /// The desk a list reads: `all`, `city` or a station's code; a station officer's own by default.
    private func parseDesk(_ text: String?, reader: inout FieldReader, by caller: Caller) throws -> ConsultationStore.Desk {
        let text = text?.trimmingWhitespace() ?? ""
        switch text {
        case "":
            if case .station(let code) = caller.scope { return .station(code) }
            return .all
        case "all": return .all
        case "city": return .regulator
        default:
            guard try ReferenceData.stations().contains(where: { $0.code == text }) else {
                reader.problems.append(FieldProblem("desk", "must be all, city or a station's code", chinese: "办理单位应为全部、市药监局或某个服务工作站"))
                return .all
            }
            return .station(text)
        }
    }

    /// A station officer answers only what is on its station's desk.
    private static func requireDesk(_ model: ConsultationModel, of caller: Caller) throws {
        guard case .station(let code) = caller.scope, model.station != code else { return }
        throw UseCaseError.conflict(
            FieldProblem("station", "is not on your station's desk", chinese: "该咨询由\(model.station == nil ? "市药监局" : "其他工作站")办理，您不能处理"))
    }

    static func reading(_ events: [ServiceClock.Event], targets: ServiceClock.Targets, today: CivilDate, calendar: WorkCalendar) throws
        -> ServiceClock.Reading
    {
        do {
            return try ServiceClock.read(events: events, targets: targets, asOf: today, calendar: calendar)
        } catch {
            throw UseCaseError.conflict(FieldProblem("status", error.reason, chinese: error.chinese))
        }
    }

    /// One step of a consultation on the version read: the step's event must follow the ones
    /// before it; the clock, the snapshot and the status are kept; the history and the audit row written.
    private func step(
        id: UUID, expecting version: Int?, by caller: Caller,
        _ make: @Sendable @escaping (ConsultationModel, Write) async throws -> (ConsultationEventKind, String, String?, Int?)
    ) async throws -> ConsultationRecord {
        let calendar = try await platform.calendar()
        return try await platform.write(by: caller) { write in
            guard let model = try await ConsultationStore.find(id: id, scope: caller.filter, on: write.db) else {
                throw UseCaseError.notFound(.consultation)
            }
            try model.check(basedOn: version, .consultation)
            let before = try Audit.json(["status": model.status, "desk": model.station ?? "city"])
            let (kind, body, station, rating) = try await make(model, write)
            let today = ShanghaiTime.day(of: write.now)
            let status = ConsultationStatus(rawValue: model.status)
            guard ServiceClock.next(status, kind) != nil else {
                throw UseCaseError.conflict(
                    FieldProblem(
                        "status", "cannot \(kind.rawValue) when \(model.status)", chinese: "咨询“\(status?.label ?? model.status)”时不能\(kind.label)"))
            }
            let events = model.events + [ServiceClock.Event(kind, on: today)]
            let reading = try Self.reading(events, targets: model.targets, today: today, calendar: calendar)
            ConsultationStore.keep(reading, events: events, calendar: calendar, on: model)
            try await model.updateVersioned(on: write.db)
            try await ConsultationStore.addMessage(
                kind, to: id, body: body, on: today, by: caller.audit.name, at: write.now, station: station, rating: rating, on: write.db)
            try await write.audit(
                "consultation.\(Self.auditAction(kind))", entityType: "consultation", entityID: id.uuidString, before: before,
                after: try Audit.json(["status": model.status, "desk": model.station ?? "city"]))
            return try await records([model], withMessages: true, calendar: calendar, on: write.db)[0]
        }
    }

    private static func auditAction(_ kind: ConsultationEventKind) -> String {
        switch kind {
        case .asked: "ask"
        case .requestedInfo: "request_info"
        case .enterpriseReplied: "reply"
        case .answered: "answer"
        case .transferred: "transfer"
        case .rated: "rate"
        case .withdrawn: "withdraw"
        }
    }

    /// The records of `models`; inside a write, on its `db` with the calendar read before it (the
    /// write holds SQLite's one connection).
    func records(_ models: [ConsultationModel], withMessages: Bool, calendar known: WorkCalendar? = nil, on db: (any Database)? = nil) async throws
        -> [ConsultationRecord]
    {
        let db = db ?? platform.database
        let today = platform.clock.today()
        let calendar: WorkCalendar
        if let known { calendar = known } else { calendar = try await platform.calendar() }
        let stations = try ReferenceData.stationNames()
        let topics = Dictionary(
            try await ConsultationStore.topics(activeOnly: false, on: db).map { ($0.id ?? "", $0.label) }, uniquingKeysWith: { a, _ in a })
        let enterprises = try await EnterpriseStore.names(of: Set(models.map(\.enterpriseID)), on: db)
        var messages: [UUID: [ConsultationMessageModel]] = [:]
        if withMessages {
            for model in models { messages[try model.requireID()] = try await ConsultationStore.messages(of: try model.requireID(), on: db) }
        }
        let names = try await People.labels(usernames: [], actors: models.map(\.askedBy) + messages.values.flatMap { $0.map(\.actor) }, on: db)
        return try models.map { model in
            let id = try model.requireID()
            let clock =
                (try? ServiceClock.read(events: model.events, targets: model.targets, asOf: today, calendar: calendar))
                ?? ServiceClock.unread(status: ConsultationStatus(rawValue: model.status) ?? .open, targets: model.targets)
            return ConsultationRecord(
                id: id, version: model.version, enterpriseID: model.enterpriseID, enterprise: enterprises[model.enterpriseID] ?? model.uscc,
                uscc: model.uscc, productID: model.productID, productName: model.productName, topic: model.topic,
                topicLabel: topics[model.topic] ?? model.topic, title: model.title, station: model.station,
                desk: model.station.map { stations[$0] ?? $0 } ?? Self.regulatorDesk, status: clock.status,
                askedOn: CivilDate(model.askedOn) ?? today, askedBy: names[model.askedBy] ?? model.askedBy, targets: model.targets, clock: clock,
                rating: model.rating, kind: ConsultationKind(rawValue: model.kind) ?? .question,
                proposedClass: model.proposedClass.flatMap(ManagementClass.init(rawValue:)),
                outcome: model.decidedClass.flatMap(ClassificationOutcome.init(rawValue:)), decidedCode: model.decidedCode,
                previousClass: model.previousClass.flatMap(ManagementClass.init(rawValue:)),
                messages: (messages[id] ?? []).map { row in
                    ConsultationMessage(
                        kind: ConsultationEventKind(rawValue: row.kind) ?? .asked, on: CivilDate(row.onDay) ?? today, at: row.occurredAt,
                        by: names[row.actor] ?? row.actor, body: row.body,
                        transferredTo: row.kind == ConsultationEventKind.transferred.rawValue
                            ? row.station.map { stations[$0] ?? $0 } ?? Self.regulatorDesk : nil,
                        rating: row.rating)
                })
        }
    }
}

extension Platform {
    public var consultations: ConsultationUseCases { ConsultationUseCases(platform: self) }
}
