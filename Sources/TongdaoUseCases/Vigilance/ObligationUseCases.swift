import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

/// A conditional-approval obligation as a page or the API shows it.
public struct ObligationRecord: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var version: Int
    public var productID: UUID
    public var productName: String
    /// The registrant, by name.
    public var registrant: String
    public var certificate: String
    public var kind: ObligationKind
    public var title: String
    public var dueOn: CivilDate
    /// The officer following it: username and name.
    public var officer: String
    public var officerName: String
    public var status: ObligationStatus
    public var alert: ObligationAlert
    /// Days to the due date (negative once passed).
    public var daysLeft: Int
    public var submittedOn: CivilDate?
    public var satisfiedOn: CivilDate?
    /// The day it became overdue (a credit event), if it has.
    public var overdueSince: CivilDate?
    /// The latest evidence, for the roles that read it.
    public var evidence: String?
    public var createdBy: String
    public var events: [ObligationEventEntry]
}

public struct ObligationEventEntry: Sendable, Equatable {
    public var kind: ObligationEventKind
    public var at: Date
    /// Who, by name.
    public var by: String
    /// The event's text ("" for a reader who may not read evidence).
    public var detail: String
}

/// A condition as typed.
public struct ObligationInput: Sendable, Equatable {
    public var product: String?
    public var kind: String?
    public var title: String?
    public var dueOn: String?
    public var officer: String?

    public init(product: String? = nil, kind: String? = nil, title: String? = nil, dueOn: String? = nil, officer: String? = nil) {
        self.product = product
        self.kind = kind
        self.title = title
        self.dueOn = dueOn
        self.officer = officer
    }
}

/// Conditional-approval obligations (issue 19 item 4): the regulator sets each condition of a
/// marketed product's approval with its due date and the officer who follows it; the registrant
/// submits its evidence; the officer accepts or returns it on the version read. Amber within
/// `Obligation.amberDays` of the due date, red past it; overdue ones count on the registrant's
/// credit file (`CreditStore.events`) and in the officer's and the registrant's inbox.
public struct ObligationUseCases: Sendable {
    let platform: Platform

    // MARK: Reads

    /// Obligations in the caller's scope by due date, narrowed by product, status, alert or officer.
    public func list(
        product: String? = nil, status: String? = nil, alert: String? = nil, officer: String? = nil, by caller: Caller
    ) async throws -> [ObligationRecord] {
        try caller.require(.readObligations)
        var reader = FieldReader()
        let product = reader.id("product", product, label: "产品", required: false)
        let status = reader.code("status", status, label: "状态", as: ObligationStatus.self, required: false)
        let alert = reader.code("alert", alert, label: "预警", as: ObligationAlert.self, required: false)
        guard reader.problems.isEmpty else { throw UseCaseError.malformed(reader.problems) }
        let models = try await ObligationStore.list(
            .init(product: product, status: status, officer: officer.flatMap { $0.isEmpty ? nil : $0 }), scope: caller.filter, on: platform.database)
        let records = try await records(models, withEvents: false, by: caller)
        return records.filter { alert == nil || $0.alert == alert }.sorted { ($0.alert, $0.dueOn) < ($1.alert, $1.dueOn) }
    }

    /// One obligation in the caller's scope, with its history.
    public func detail(id: UUID, by caller: Caller) async throws -> ObligationRecord {
        try caller.require(.readObligations)
        guard let model = try await ObligationStore.find(id: id, scope: caller.filter, on: platform.database) else {
            throw UseCaseError.notFound(.obligation)
        }
        return try await records([model], withEvents: true, by: caller)[0]
    }

    /// What needs the caller's attention: the officer's obligations that are amber or red or whose
    /// evidence waits for a decision; a registrant's own that are amber or red.
    public func attention(by caller: Caller) async throws -> [ObligationRecord] {
        guard caller.may(.readObligations), let username = caller.username else { return [] }
        let managing = caller.may(.manageObligations)
        let models = try await ObligationStore.list(
            .init(officer: managing ? username : nil), scope: caller.filter, on: platform.database)
        return try await records(models.filter { $0.status != ObligationStatus.fulfilled.rawValue }, withEvents: false, by: caller)
            .filter { $0.alert == .red || $0.alert == .amber || (managing && $0.status == .submitted) }
            .sorted { ($0.alert, $0.dueOn) < ($1.alert, $1.dueOn) }
    }

    /// How many obligations in a scope are overdue today (a count for the dashboard).
    func overdueCount(scope: ScopeFilter) async throws -> Int {
        let today = platform.clock.today()
        return try await ObligationStore.pastDue(before: today, scope: scope, on: platform.database).count { model in
            model.obligation?.alert(today: today) == .red
        }
    }

    /// The officers a condition may name: the active users who manage obligations.
    public func officers(by caller: Caller) async throws -> [(username: String, name: String)] {
        try caller.require(.manageObligations)
        return try await UserModel.query(on: platform.database).filter(\.$disabled == false).sort(\.$username).all()
            .filter { AccessPolicy.allows($0.role, .manageObligations) }.map { ($0.username, $0.displayName.isEmpty ? $0.username : $0.displayName) }
    }

    // MARK: Writes

    /// Sets a condition of a marketed product's approval: its kind, text, due date and officer.
    public func create(_ input: ObligationInput, by caller: Caller) async throws -> ObligationRecord {
        try caller.require(.manageObligations)
        var reader = FieldReader()
        let productID = reader.id("product", input.product, label: "产品")
        let kind = reader.code("kind", input.kind, label: "义务类别", as: ObligationKind.self)
        let title = reader.text("title", input.title, label: "附带条件", maximum: 500)
        let dueOn = reader.anyDay("dueOn", input.dueOn, label: "履行期限", required: true)
        let officerName = reader.text("officer", input.officer, label: "跟踪责任人", maximum: 64)
        var problems = reader.problems
        let today = platform.clock.today()
        if let dueOn, dueOn > today.adding(days: 3_660) {
            problems.append(FieldProblem("dueOn", "must be within ten years", chinese: "履行期限应在十年以内"))
        }
        if let officerName {
            let user = try await UserModel.query(on: platform.database).filter(\.$username == officerName).first()
            if user == nil || user?.disabled == true || !AccessPolicy.allows(user?.role ?? .parkOfficer, .manageObligations) {
                problems.append(FieldProblem("officer", "must be an active user who manages obligations", chinese: "跟踪责任人应为负责附条件批准义务的在岗人员"))
            }
        }
        var marketed: AdverseEventStore.Marketed?
        if let productID {
            marketed = try await AdverseEventStore.marketed(product: productID, scope: caller.filter, on: platform.database)
            if marketed == nil {
                problems.append(FieldProblem("product", "names no approved product in your scope", chinese: "没有该已取得注册证的产品，或不在您的权限范围内"))
            }
        }
        return try await platform.write(by: caller) { [problems, marketed] write in
            guard problems.isEmpty, let marketed, let kind, let title, let dueOn, let officerName else { throw UseCaseError.invalid(problems) }
            let product = marketed.product
            let model = ObligationModel()
            model.id = ObligationStore.newID(now: write.now)
            model.productID = try product.requireID()
            model.productName = product.name
            model.enterpriseID = product.$enterprise.id
            model.uscc = product.uscc
            model.district = product.district
            model.park = product.park
            model.certificate = marketed.certificate
            model.kind = kind.rawValue
            model.title = title
            model.dueOn = dueOn.description
            model.officer = officerName
            model.status = ObligationStatus.open.rawValue
            model.createdBy = caller.audit.name
            model.version = 1
            try await model.create(on: write.db)
            let id = try model.requireID()
            try await ObligationStore.addEvent(
                ObligationEventKind.set.rawValue, to: id, detail: "\(kind.label)：\(title)（应于 \(dueOn) 前履行）", by: caller.audit.name,
                at: write.now, on: write.db)
            try await write.audit(
                "obligation.create", entityType: "obligation", entityID: id.uuidString, before: nil,
                after: try Audit.json([
                    "product": product.name, "kind": kind.rawValue, "title": title, "dueOn": dueOn.description, "officer": officerName,
                ]))
            return try await records([model], withEvents: true, by: caller, on: write.db)[0]
        }
    }

    /// The registrant's evidence (or the regulator's record of it), on the version read: the
    /// obligation waits for the officer's decision.
    public func submitEvidence(id: UUID, text: String?, expecting version: Int?, by caller: Caller) async throws -> ObligationRecord {
        try caller.require(.answerObligations)
        var reader = FieldReader()
        let text = reader.text("evidence", text, label: "履行证据", maximum: 5_000)
        let problems = reader.problems
        return try await platform.write(by: caller) { write in
            guard let model = try await ObligationStore.find(id: id, scope: caller.filter, on: write.db) else {
                throw UseCaseError.notFound(.obligation)
            }
            try model.check(basedOn: version, .obligation)
            guard model.status != ObligationStatus.fulfilled.rawValue else {
                throw UseCaseError.conflict(FieldProblem("status", "is fulfilled already", chinese: "该义务已确认履行，无需再提交证据"))
            }
            guard problems.isEmpty, let text else { throw UseCaseError.invalid(problems) }
            let before = try Audit.json(["status": model.status, "submittedOn": model.submittedOn ?? ""])
            let today = ShanghaiTime.day(of: write.now)
            model.status = ObligationStatus.submitted.rawValue
            model.submittedOn = today.description
            model.evidence = text
            try await model.updateVersioned(on: write.db)
            try await ObligationStore.addEvent(
                ObligationEventKind.evidence.rawValue, to: id, detail: text, by: caller.audit.name, at: write.now, on: write.db)
            try await write.audit(
                "obligation.evidence", entityType: "obligation", entityID: id.uuidString, before: before,
                after: try Audit.json(["status": model.status, "submittedOn": today.description]))
            return try await records([model], withEvents: true, by: caller, on: write.db)[0]
        }
    }

    /// The officer's decision on the evidence, on the version read: accepted (fulfilled, on the day
    /// the evidence was submitted) or returned with a note (open again).
    public func review(id: UUID, decision: String?, note: String?, expecting version: Int?, by caller: Caller) async throws -> ObligationRecord {
        try caller.require(.manageObligations)
        var reader = FieldReader()
        let decision = reader.code("decision", decision, label: "审核结论", as: ObligationDecision.self)
        let note = reader.text("note", note, label: "审核意见", maximum: 2_000, required: decision == .return)
        let problems = reader.problems
        return try await platform.write(by: caller) { write in
            guard let model = try await ObligationStore.find(id: id, scope: caller.filter, on: write.db) else {
                throw UseCaseError.notFound(.obligation)
            }
            try model.check(basedOn: version, .obligation)
            guard model.status == ObligationStatus.submitted.rawValue else {
                throw UseCaseError.conflict(FieldProblem("status", "has no evidence awaiting a decision", chinese: "该义务没有待审核的履行证据"))
            }
            guard problems.isEmpty, let decision else { throw UseCaseError.invalid(problems) }
            let before = try Audit.json(["status": model.status])
            switch decision {
            case .accept:
                model.status = ObligationStatus.fulfilled.rawValue
                model.satisfiedOn = model.submittedOn
            case .return:
                model.status = ObligationStatus.open.rawValue
            }
            try await model.updateVersioned(on: write.db)
            try await ObligationStore.addEvent(
                (decision == .accept ? ObligationEventKind.accepted : .returned).rawValue, to: id, detail: note ?? decision.label,
                by: caller.audit.name,
                at: write.now, on: write.db)
            try await write.audit(
                "obligation.review", entityType: "obligation", entityID: id.uuidString, before: before,
                after: try Audit.json(["status": model.status, "decision": decision.rawValue]))
            return try await records([model], withEvents: true, by: caller, on: write.db)[0]
        }
    }

    // MARK: Parts

    func records(_ models: [ObligationModel], withEvents: Bool, by caller: Caller, on db: (any Database)? = nil) async throws -> [ObligationRecord] {
        let db = db ?? platform.database
        let today = platform.clock.today()
        let confidential = caller.may(.readObligationEvidence)
        let enterprises = try await EnterpriseModel.query(on: db).filter(\.$id ~~ Set(models.map(\.enterpriseID))).all()
        let registrants = Dictionary(enterprises.compactMap { model in model.id.map { ($0, model.name) } }, uniquingKeysWith: { a, _ in a })
        var events: [UUID: [ObligationEventModel]] = [:]
        if withEvents {
            for model in models { events[try model.requireID()] = try await ObligationStore.events(of: try model.requireID(), on: db) }
        }
        let names = try await People.labels(
            usernames: models.map(\.officer), actors: models.map(\.createdBy) + events.values.flatMap { $0.map(\.actor) }, on: db)
        return try models.map { model in
            let id = try model.requireID()
            let obligation = model.obligation ?? Obligation(dueOn: today, status: .open)
            return ObligationRecord(
                id: id, version: model.version, productID: model.productID, productName: model.productName,
                registrant: registrants[model.enterpriseID] ?? model.uscc, certificate: model.certificate,
                kind: ObligationKind(rawValue: model.kind) ?? .other, title: model.title, dueOn: obligation.dueOn, officer: model.officer,
                officerName: names[model.officer] ?? model.officer, status: obligation.status, alert: obligation.alert(today: today),
                daysLeft: obligation.daysLeft(today: today), submittedOn: obligation.submittedOn, satisfiedOn: obligation.satisfiedOn,
                overdueSince: obligation.overdueSince(today: today), evidence: confidential ? model.evidence : nil,
                createdBy: names[model.createdBy] ?? model.createdBy,
                events: (events[id] ?? []).map { row in
                    let kind = ObligationEventKind(rawValue: row.kind) ?? .set
                    return ObligationEventEntry(
                        kind: kind, at: row.occurredAt, by: names[row.actor] ?? row.actor,
                        detail: kind.isConfidential && !confidential ? "" : row.detail)
                })
        }
    }
}

extension Platform {
    public var obligations: ObligationUseCases { ObligationUseCases(platform: self) }
}
