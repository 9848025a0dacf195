import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

/// An entry of the key-varieties service list as a page or the API shows it.
public struct KeyVarietyRecord: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var version: Int
    public var productID: UUID
    public var productName: String
    public var enterpriseID: UUID
    public var enterprise: String
    public var reason: KeyVarietyReason
    public var justification: String
    public var status: KeyVarietyStatus
    /// Who proposed it, by name, and when.
    public var proposedBy: String
    public var proposedOn: CivilDate
    public var station: String?
    public var stationName: String?
    /// The responsible officer: username and name.
    public var officer: String?
    public var officerName: String?
    public var counsellor: String?
    public var taskForce: String?
    public var decidedBy: String?
    public var decidedOn: CivilDate?
    public var decisionNote: String?
    public var milestones: [ServiceMilestone]
    /// The next milestone not done, and whether any is overdue today.
    public var next: ServiceMilestone? { milestones.sorted { $0.step < $1.step }.first { $0.doneOn == nil } }
    public var overdue: Bool
}

/// A proposal as typed.
public struct KeyVarietyProposal: Sendable, Equatable {
    public var product: String?
    public var reason: String?
    public var justification: String?

    public init(product: String? = nil, reason: String? = nil, justification: String? = nil) {
        self.product = product
        self.reason = reason
        self.justification = justification
    }
}

/// The regulator's decision as typed.
public struct KeyVarietyDecision: Sendable, Equatable {
    /// `confirm` or `decline`.
    public var decision: String?
    public var station: String?
    public var officer: String?
    public var counsellor: String?
    public var taskForce: String?
    public var note: String?

    public init(
        decision: String? = nil, station: String? = nil, officer: String? = nil, counsellor: String? = nil, taskForce: String? = nil,
        note: String? = nil
    ) {
        self.decision = decision
        self.station = station
        self.officer = officer
        self.counsellor = counsellor
        self.taskForce = taskForce
        self.note = note
    }
}

/// A milestone as typed.
public struct MilestoneInput: Sendable, Equatable {
    public var step: String?
    public var title: String?
    public var dueOn: String?

    public init(step: String? = nil, title: String? = nil, dueOn: String? = nil) {
        self.step = step
        self.title = title
        self.dueOn = dueOn
    }
}

/// The key-varieties service list (在研重点品种服务清单, issue 20 item 1): a district, a park or a
/// station proposes a product in its scope with its reason; the regulator confirms it (naming the
/// station, the responsible officer, the sub-centre's counsellor and, for a major project, the task
/// force) or declines it; the station keeps its service plan — milestones for the steps ahead, each
/// due no earlier than the step before it — and marks them done. An enterprise follows its own.
public struct KeyVarietyUseCases: Sendable {
    let platform: Platform

    // MARK: Reads

    public func list(status: String? = nil, by caller: Caller) async throws -> [KeyVarietyRecord] {
        try caller.require(.readProducts)
        var reader = FieldReader()
        let status = reader.code("status", status, label: "状态", as: KeyVarietyStatus.self, required: false)
        guard reader.problems.isEmpty else { throw UseCaseError.malformed(reader.problems) }
        let query = KeyVarietyModel.query(on: platform.database).scoped(to: caller.filter)
        if let status { query.filter(\.$status == status.rawValue) }
        return try await records(try await query.sort(\.$proposedOn, .descending).sort(\.$id).limit(2_000).all())
    }

    public func detail(id: UUID, by caller: Caller) async throws -> KeyVarietyRecord {
        try caller.require(.readProducts)
        guard let model = try await KeyVarietyModel.query(on: platform.database).filter(\.$id == id).scoped(to: caller.filter).first() else {
            throw UseCaseError.notFound(.keyVariety)
        }
        return try await records([model])[0]
    }

    /// The officers an entry may name: active station officers and the regulator's side.
    public func officers(by caller: Caller) async throws -> [(username: String, name: String)] {
        try caller.require(.decideKeyVarieties)
        return try await UserModel.query(on: platform.database).filter(\.$disabled == false).sort(\.$username).all()
            .filter { AccessPolicy.allows($0.role, .planKeyVarieties) && $0.role != .cityAdmin }
            .map { ($0.username, $0.displayName.isEmpty ? $0.username : $0.displayName) }
    }

    // MARK: Writes

    public func propose(_ input: KeyVarietyProposal, by caller: Caller) async throws -> KeyVarietyRecord {
        try caller.require(.proposeKeyVarieties)
        var reader = FieldReader()
        let productID = reader.id("product", input.product, label: "产品")
        let reason = reader.code("reason", input.reason, label: "列入理由", as: KeyVarietyReason.self)
        let justification = reader.text("justification", input.justification, label: "推荐说明", maximum: 2_000)
        let db = platform.database
        var product: ProductModel?
        if let productID {
            product = try await ProductStore.find(id: productID, scope: caller.filter, on: db)
            if product == nil { reader.problems.append(FieldProblem("product", "names no product in your scope", chinese: "没有该产品，或不在您的权限范围内")) }
        }
        let problems = reader.problems
        return try await platform.write(by: caller, conflict: FieldProblem("product", "is on the list already", chinese: "该产品已在重点品种服务清单中")) {
            [product] write in
            guard problems.isEmpty, let product, let reason, let justification else { throw UseCaseError.invalid(problems) }
            let productID = try product.requireID()
            guard try await KeyVarietyModel.query(on: write.db).filter(\.$productID == productID).first() == nil else {
                throw UseCaseError.conflict(FieldProblem("product", "is on the list already", chinese: "该产品已在重点品种服务清单中"))
            }
            let model = KeyVarietyModel()
            model.id = GuidanceStore.newID(now: write.now)
            model.productID = productID
            model.productName = product.name
            model.enterpriseID = product.$enterprise.id
            model.uscc = product.uscc
            model.district = product.district
            model.park = product.park
            model.reason = reason.rawValue
            model.justification = justification
            model.status = KeyVarietyStatus.proposed.rawValue
            model.proposedBy = caller.audit.name
            model.proposedOn = ShanghaiTime.day(of: write.now).description
            if case .station(let code) = caller.scope { model.station = code }
            model.milestones = "[]"
            model.version = 1
            try await model.create(on: write.db)
            try await write.audit(
                "key_variety.propose", entityType: "key_variety", entityID: try model.requireID().uuidString, before: nil,
                after: try Audit.json(["product": product.name, "reason": reason.rawValue]))
            return try await records([model], on: write.db)[0]
        }
    }

    /// The regulator confirms (naming the station and the officer; the counsellor and the task force
    /// optional) or declines with a note, on the version read.
    public func decide(id: UUID, _ input: KeyVarietyDecision, expecting version: Int?, by caller: Caller) async throws -> KeyVarietyRecord {
        try caller.require(.decideKeyVarieties)
        var reader = FieldReader()
        let decision = input.decision?.trimmingWhitespace()
        if decision != "confirm", decision != "decline" {
            reader.problems.append(FieldProblem("decision", "must be confirm or decline", chinese: "请选择列入或不列入"))
        }
        let confirming = decision == "confirm"
        let station = reader.text("station", input.station, label: "服务工作站", maximum: 64, required: confirming)
        if let station, !(try ReferenceData.stations().contains { $0.code == station }) {
            reader.problems.append(FieldProblem("station", "names no station", chinese: "没有该服务工作站"))
        }
        let officer = reader.text("officer", input.officer, label: "责任人", maximum: 64, required: confirming)
        if let officer {
            let user = try await UserModel.query(on: platform.database).filter(\.$username == officer).first()
            if user == nil || user?.disabled == true || !AccessPolicy.allows(user?.role ?? .parkOfficer, .planKeyVarieties) {
                reader.problems.append(FieldProblem("officer", "must be an active station or regulator officer", chinese: "责任人应为在岗的工作站或市局工作人员"))
            }
        }
        let counsellor = reader.text("counsellor", input.counsellor, label: "辅导员", maximum: 64, required: false)
        let taskForce = reader.text("taskForce", input.taskForce, label: "工作专班", maximum: 500, required: false)
        let note = reader.text("note", input.note, label: "意见", maximum: 1_000, required: !confirming)
        let problems = reader.problems
        return try await platform.write(by: caller) { write in
            guard let model = try await KeyVarietyModel.query(on: write.db).filter(\.$id == id).scoped(to: caller.filter).first() else {
                throw UseCaseError.notFound(.keyVariety)
            }
            try model.check(basedOn: version, .keyVariety)
            guard problems.isEmpty else { throw UseCaseError.invalid(problems) }
            let before = try Audit.json(["status": model.status])
            model.status = (confirming ? KeyVarietyStatus.confirmed : .declined).rawValue
            if confirming {
                model.station = station
                model.officer = officer
                model.counsellor = counsellor
                model.taskForce = taskForce
            }
            model.decidedBy = caller.audit.name
            model.decidedOn = ShanghaiTime.day(of: write.now).description
            model.decisionNote = note
            try await model.updateVersioned(on: write.db)
            try await write.audit(
                "key_variety.decide", entityType: "key_variety", entityID: id.uuidString, before: before,
                after: try Audit.json(["status": model.status, "station": model.station ?? "", "officer": model.officer ?? ""]))
            return try await records([model], on: write.db)[0]
        }
    }

    /// Sets a confirmed entry's service plan, on the version read: its serving station or the regulator.
    public func setPlan(id: UUID, milestones input: [MilestoneInput], expecting version: Int?, by caller: Caller) async throws -> KeyVarietyRecord {
        try caller.require(.planKeyVarieties)
        var reader = FieldReader()
        var plan: [ServiceMilestone] = []
        for (index, milestone) in input.enumerated() {
            let step = reader.code("milestones[\(index)].step", milestone.step, label: "环节", as: ServiceStep.self)
            let title = reader.text("milestones[\(index)].title", milestone.title, label: "节点内容", maximum: 200)
            let due = reader.anyDay("milestones[\(index)].dueOn", milestone.dueOn, label: "完成期限", required: true)
            if let step, let title, let due { plan.append(ServiceMilestone(step: step, title: title, dueOn: due)) }
        }
        if input.isEmpty { reader.problems.append(FieldProblem("milestones", "is required", chinese: "请至少填写一个服务节点")) }
        let problems = reader.problems.isEmpty ? ServiceMilestone.problems(plan) : reader.problems
        return try await platform.write(by: caller) { [plan] write in
            let model = try await serving(id: id, by: caller, on: write.db)
            try model.check(basedOn: version, .keyVariety)
            guard model.status == KeyVarietyStatus.confirmed.rawValue else {
                throw UseCaseError.conflict(FieldProblem("status", "is not confirmed", chinese: "该产品尚未列入清单，不能制定服务计划"))
            }
            guard problems.isEmpty else { throw UseCaseError.invalid(problems) }
            // Milestones kept from the plan before keep the day they were done.
            let done = Dictionary(ServiceMilestone.plan(storedText: model.milestones).map { ($0.step, $0.doneOn) }, uniquingKeysWith: { a, _ in a })
            let kept = plan.map { milestone in
                var milestone = milestone
                milestone.doneOn = done[milestone.step] ?? nil
                return milestone
            }.sorted { $0.step < $1.step }
            model.milestones = ServiceMilestone.storedText(of: kept)
            try await model.updateVersioned(on: write.db)
            try await write.audit(
                "key_variety.plan", entityType: "key_variety", entityID: id.uuidString, before: nil,
                after: try Audit.json(kept.map { ["step": $0.step.rawValue, "dueOn": $0.dueOn.description] }))
            return try await records([model], on: write.db)[0]
        }
    }

    /// Marks a milestone of the plan done today, on the version read.
    public func completeMilestone(id: UUID, step: String?, expecting version: Int?, by caller: Caller) async throws -> KeyVarietyRecord {
        try caller.require(.planKeyVarieties)
        var reader = FieldReader()
        let step = reader.code("step", step, label: "环节", as: ServiceStep.self)
        let problems = reader.problems
        return try await platform.write(by: caller) { write in
            let model = try await serving(id: id, by: caller, on: write.db)
            try model.check(basedOn: version, .keyVariety)
            guard problems.isEmpty, let step else { throw UseCaseError.invalid(problems) }
            var plan = ServiceMilestone.plan(storedText: model.milestones)
            guard let index = plan.firstIndex(where: { $0.step == step }), plan[index].doneOn == nil else {
                throw UseCaseError.conflict(FieldProblem("step", "is not an open milestone", chinese: "服务计划中没有该未完成节点"))
            }
            plan[index].doneOn = ShanghaiTime.day(of: write.now)
            model.milestones = ServiceMilestone.storedText(of: plan)
            try await model.updateVersioned(on: write.db)
            try await write.audit(
                "key_variety.milestone", entityType: "key_variety", entityID: id.uuidString, before: nil,
                after: try Audit.json(["step": step.rawValue, "doneOn": plan[index].doneOn?.description ?? ""]))
            return try await records([model], on: write.db)[0]
        }
    }

    // MARK: Parts

    /// An entry the caller serves: in scope, and a station's own.
    private func serving(id: UUID, by caller: Caller, on db: any Database) async throws -> KeyVarietyModel {
        guard let model = try await KeyVarietyModel.query(on: db).filter(\.$id == id).scoped(to: caller.filter).first() else {
            throw UseCaseError.notFound(.keyVariety)
        }
        if case .station(let code) = caller.scope, model.station != code {
            throw UseCaseError.conflict(FieldProblem("station", "is served by another station", chinese: "该品种由其他工作站服务，您不能修改其服务计划"))
        }
        return model
    }

    func records(_ models: [KeyVarietyModel], on db: (any Database)? = nil) async throws -> [KeyVarietyRecord] {
        let db = db ?? platform.database
        let today = platform.clock.today()
        let stations = try ReferenceData.stationNames()
        let enterprises = try await EnterpriseStore.names(of: Set(models.map(\.enterpriseID)), on: db)
        let names = try await People.labels(
            usernames: models.compactMap(\.officer), actors: models.map(\.proposedBy) + models.compactMap(\.decidedBy), on: db)
        return try models.map { model in
            let milestones = ServiceMilestone.plan(storedText: model.milestones)
            return KeyVarietyRecord(
                id: try model.requireID(), version: model.version, productID: model.productID, productName: model.productName,
                enterpriseID: model.enterpriseID, enterprise: enterprises[model.enterpriseID] ?? model.uscc,
                reason: KeyVarietyReason(rawValue: model.reason) ?? .other, justification: model.justification,
                status: KeyVarietyStatus(rawValue: model.status) ?? .proposed, proposedBy: names[model.proposedBy] ?? model.proposedBy,
                proposedOn: CivilDate(model.proposedOn) ?? today, station: model.station, stationName: model.station.map { stations[$0] ?? $0 },
                officer: model.officer, officerName: model.officer.map { names[$0] ?? $0 }, counsellor: model.counsellor, taskForce: model.taskForce,
                decidedBy: model.decidedBy.map { names[$0] ?? $0 }, decidedOn: model.decidedOn.flatMap(CivilDate.init),
                decisionNote: model.decisionNote,
                milestones: milestones, overdue: milestones.contains { $0.overdue(today: today) })
        }
    }
}

extension Platform {
    public var keyVarieties: KeyVarietyUseCases { KeyVarietyUseCases(platform: self) }
}
