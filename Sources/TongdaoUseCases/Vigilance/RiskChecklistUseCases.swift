import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

/// One year's periodic risk evaluation report of a product, as shown.
public struct PeriodicReportRecord: Sendable, Equatable {
    public var year: Int
    public var from: CivilDate
    public var to: CivilDate
    public var dueOn: CivilDate
    public var state: PeriodicRiskReport.State
    public var submittedOn: CivilDate?
    public var summary: String?
    public var submittedBy: String?
}

/// A product's line on the risk checklist.
public struct RiskChecklistRow: Sendable, Equatable {
    public var productID: UUID
    public var productName: String
    public var registrant: String
    public var certificate: String
    /// The first approval: the first registration cycle's start.
    public var approvedOn: CivilDate
    public var channel: ReviewChannel
    /// Approved with conditions (it has obligations).
    public var conditional: Bool
    public var openItems: Int
    public var controllingItems: Int
    /// Items not closed past their due date.
    public var overdueItems: Int
    public var lastMeeting: CivilDate?
    /// The special plan in force today, by its title.
    public var plan: String?
    public var periodic: [PeriodicReportRecord]
}

public struct RiskItemEventEntry: Sendable, Equatable {
    public var kind: RiskItemEventKind
    public var at: Date
    public var by: String
    public var detail: String
}

public struct RiskItemRecord: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var version: Int
    public var source: RiskSource
    public var description: String
    public var control: String
    public var owner: String
    public var dueOn: CivilDate
    public var status: RiskItemStatus
    /// Not closed and past its due date.
    public var overdue: Bool
    public var createdBy: String
    public var events: [RiskItemEventEntry]
}

public struct RiskMeetingRecord: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var heldOn: CivilDate
    public var attendees: [String]
    public var decisions: String
    public var createdBy: String
}

public struct SpecialPlanRecord: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var title: String
    public var content: String
    public var from: CivilDate
    public var to: CivilDate
    public var inForce: Bool
    public var createdBy: String
}

/// A product's risk file: its checklist line, items, meetings, plans and periodic reports. A
/// registrant reads only its line and its periodic reports (`limited`).
public struct ProductRiskFile: Sendable, Equatable {
    public var row: RiskChecklistRow
    public var limited: Bool
    public var items: [RiskItemRecord]
    public var meetings: [RiskMeetingRecord]
    public var plans: [SpecialPlanRecord]
}

/// A risk item as typed.
public struct RiskItemInput: Sendable, Equatable {
    public var source: String?
    public var description: String?
    public var control: String?
    public var owner: String?
    public var dueOn: String?

    public init(source: String? = nil, description: String? = nil, control: String? = nil, owner: String? = nil, dueOn: String? = nil) {
        self.source = source
        self.description = description
        self.control = control
        self.owner = owner
        self.dueOn = dueOn
    }
}

/// A risk-consultation meeting as typed: attendees one a line, and the items whose status it changes.
public struct RiskMeetingInput: Sendable, Equatable {
    public var heldOn: String?
    public var attendees: String?
    public var decisions: String?
    /// Item id → the status the meeting decided.
    public var changes: [String: String]

    public init(heldOn: String? = nil, attendees: String? = nil, decisions: String? = nil, changes: [String: String] = [:]) {
        self.heldOn = heldOn
        self.attendees = attendees
        self.decisions = decisions
        self.changes = changes
    }
}

/// A special plan as typed.
public struct SpecialPlanInput: Sendable, Equatable {
    public var title: String?
    public var content: String?
    public var from: String?
    public var to: String?

    public init(title: String? = nil, content: String? = nil, from: String? = nil, to: String? = nil) {
        self.title = title
        self.content = content
        self.from = from
        self.to = to
    }
}

/// The risk checklist of innovative products (issue 19 item 5): every innovative or conditionally
/// approved product on the market with its risk items, risk-consultation meetings, special plans
/// and the periodic risk evaluation reports of its first registration cycle.
public struct RiskChecklistUseCases: Sendable {
    let platform: Platform

    // MARK: Reads

    /// Every product the checklist covers, in the caller's scope, with its figures.
    public func checklist(by caller: Caller) async throws -> [RiskChecklistRow] {
        try caller.require(.readRiskChecklist)
        let subjects = try await RiskStore.subjects(scope: caller.filter, on: platform.database)
        return try await rows(subjects, on: platform.database)
    }

    /// A product's risk file: the regulator's side all of it, the registrant its periodic reports.
    public func file(product id: UUID, by caller: Caller) async throws -> ProductRiskFile {
        let full = caller.may(.readRiskChecklist)
        guard full || caller.may(.reportPeriodicRisk) else { throw UseCaseError.forbidden(.readRiskChecklist, role: caller.role) }
        let db = platform.database
        guard let subject = try await RiskStore.subjects(scope: caller.filter, product: id, on: db).first else {
            throw UseCaseError.notFound(.product)
        }
        let reads = try await Reads.of([id], on: db)
        let row = try await rows([subject], reads: reads, on: db)[0]
        guard full else { return ProductRiskFile(row: row, limited: true, items: [], meetings: [], plans: []) }
        let today = platform.clock.today()
        let (items, meetings, plans) = (reads.items, reads.meetings, reads.plans)
        let events = try await RiskStore.events(of: items.compactMap(\.id), on: db)
        let names = try await People.labels(
            usernames: [], actors: items.map(\.createdBy) + events.map(\.actor) + meetings.map(\.createdBy) + plans.map(\.createdBy), on: db)
        let byItem = Dictionary(grouping: events, by: \.itemID)
        return ProductRiskFile(
            row: row, limited: false,
            items: try items.map { item in
                try Self.record(item, events: byItem[try item.requireID()] ?? [], names: names, today: today)
            },
            meetings: try meetings.map { meeting in
                RiskMeetingRecord(
                    id: try meeting.requireID(), heldOn: CivilDate(meeting.heldOn) ?? today,
                    attendees: meeting.attendees.split(whereSeparator: \.isNewline).map(String.init), decisions: meeting.decisions,
                    createdBy: names[meeting.createdBy] ?? meeting.createdBy)
            },
            plans: try plans.map { plan in
                let from = CivilDate(plan.fromOn) ?? today, to = CivilDate(plan.toOn) ?? today
                return SpecialPlanRecord(
                    id: try plan.requireID(), title: plan.title, content: plan.content, from: from, to: to, inForce: from <= today && today <= to,
                    createdBy: names[plan.createdBy] ?? plan.createdBy)
            })
    }

    // MARK: Writes

    /// Records a risk item on a product of the checklist.
    public func addItem(product id: UUID, _ input: RiskItemInput, by caller: Caller) async throws -> ProductRiskFile {
        try caller.require(.manageRiskChecklist)
        var reader = FieldReader()
        let source = reader.code("source", input.source, label: "风险来源", as: RiskSource.self)
        let description = reader.text("description", input.description, label: "风险描述", maximum: 2_000)
        let control = reader.text("control", input.control, label: "建议的控制措施", maximum: 2_000)
        let owner = reader.text("owner", input.owner, label: "责任单位或责任人", maximum: 100)
        let dueOn = reader.anyDay("dueOn", input.dueOn, label: "完成时限", required: true)
        let problems = reader.problems
        try await write(product: id, by: caller) { write, _ in
            guard problems.isEmpty, let source, let description, let control, let owner, let dueOn else { throw UseCaseError.invalid(problems) }
            let item = RiskItemModel()
            item.id = RiskStore.newID(now: write.now)
            item.productID = id
            item.source = source.rawValue
            item.itemDescription = description
            item.control = control
            item.owner = owner
            item.dueOn = dueOn.description
            item.status = RiskItemStatus.open.rawValue
            item.createdBy = caller.audit.name
            item.version = 1
            try await item.create(on: write.db)
            let itemID = try item.requireID()
            try await RiskStore.addEvent(
                .recorded, to: itemID, detail: "\(source.label)：\(description)", by: caller.audit.name, at: write.now, on: write.db)
            try await write.audit(
                "risk.item.create", entityType: "risk_item", entityID: itemID.uuidString, before: nil,
                after: try Audit.json([
                    "product": id.uuidString, "source": source.rawValue, "description": description, "owner": owner, "dueOn": dueOn.description,
                ]))
        }
        return try await file(product: id, by: caller)
    }

    /// Changes an item's status (with a note), on the version read.
    public func changeItem(
        product id: UUID, item itemID: UUID, status: String?, note: String?, expecting version: Int?, by caller: Caller
    ) async throws -> ProductRiskFile {
        try caller.require(.manageRiskChecklist)
        var reader = FieldReader()
        let status = reader.code("status", status, label: "状态", as: RiskItemStatus.self)
        let note = reader.text("note", note, label: "说明", maximum: 2_000)
        let problems = reader.problems
        try await write(product: id, by: caller) { write, _ in
            guard let item = try await RiskStore.item(id: itemID, on: write.db), item.productID == id else { throw UseCaseError.notFound(.riskItem) }
            try item.check(basedOn: version, .riskItem)
            guard problems.isEmpty, let status, let note else { throw UseCaseError.invalid(problems) }
            let before = item.status
            item.status = status.rawValue
            try await item.updateVersioned(on: write.db, always: true)
            try await RiskStore.addEvent(.status, to: itemID, detail: "\(status.label)：\(note)", by: caller.audit.name, at: write.now, on: write.db)
            try await write.audit(
                "risk.item.status", entityType: "risk_item", entityID: itemID.uuidString, before: try Audit.json(["status": before]),
                after: try Audit.json(["status": status.rawValue, "note": note]))
        }
        return try await file(product: id, by: caller)
    }

    /// Records a risk-consultation meeting and applies the status it decided for each item named.
    public func holdMeeting(product id: UUID, _ input: RiskMeetingInput, by caller: Caller) async throws -> ProductRiskFile {
        try caller.require(.manageRiskChecklist)
        var reader = FieldReader()
        let heldOn = reader.anyDay("heldOn", input.heldOn, label: "会商日期", required: true)
        let attendees = reader.text("attendees", input.attendees, label: "参会人员", maximum: 2_000)
        let decisions = reader.text("decisions", input.decisions, label: "会商结论", maximum: 5_000)
        var problems = reader.problems
        if let heldOn, heldOn > platform.clock.today() {
            problems.append(FieldProblem("heldOn", "cannot be in the future", chinese: "会商日期不能晚于今天"))
        }
        var changes: [(item: UUID, status: RiskItemStatus)] = []
        for (key, value) in input.changes.sorted(by: { $0.key < $1.key }) where !value.isEmpty {
            guard let item = UUID(uuidString: key), let status = RiskItemStatus(codeOrLabel: value) else {
                problems.append(FieldProblem("changes[\(key)]", "must name an item and a status", chinese: "会商决定的风险项或状态无效"))
                continue
            }
            changes.append((item, status))
        }
        try await write(product: id, by: caller) { [problems, changes] write, _ in
            guard problems.isEmpty, let heldOn, let attendees, let decisions else { throw UseCaseError.invalid(problems) }
            let meeting = RiskMeetingModel()
            meeting.id = RiskStore.newID(now: write.now)
            meeting.productID = id
            meeting.heldOn = heldOn.description
            meeting.attendees = attendees
            meeting.decisions = decisions
            meeting.createdBy = caller.audit.name
            try await meeting.create(on: write.db)
            for change in changes {
                guard let item = try await RiskStore.item(id: change.item, on: write.db), item.productID == id else {
                    throw UseCaseError.invalid([
                        FieldProblem("changes[\(change.item.uuidString)]", "is not an item of this product", chinese: "会商决定的风险项不属于该产品")
                    ])
                }
                guard item.status != change.status.rawValue else { continue }
                item.status = change.status.rawValue
                try await item.updateVersioned(on: write.db, always: true)
                try await RiskStore.addEvent(
                    .meeting, to: change.item, detail: "\(heldOn) 风险会商：\(change.status.label)", by: caller.audit.name, at: write.now, on: write.db)
            }
            try await write.audit(
                "risk.meeting", entityType: "risk_meeting", entityID: try meeting.requireID().uuidString, before: nil,
                after: try Audit.json([
                    "product": id.uuidString, "heldOn": heldOn.description,
                    "changes": changes.map { "\($0.item.uuidString)=\($0.status.rawValue)" }.joined(separator: ","),
                ]))
        }
        return try await file(product: id, by: caller)
    }

    /// Attaches a special supervision plan to a product.
    public func attachPlan(product id: UUID, _ input: SpecialPlanInput, by caller: Caller) async throws -> ProductRiskFile {
        try caller.require(.manageRiskChecklist)
        var reader = FieldReader()
        let title = reader.text("title", input.title, label: "方案名称", maximum: 200)
        let content = reader.text("content", input.content, label: "方案内容", maximum: 10_000)
        let from = reader.anyDay("from", input.from, label: "起始日期", required: true)
        let to = reader.anyDay("to", input.to, label: "结束日期", required: true)
        var problems = reader.problems
        if let from, let to, to < from { problems.append(FieldProblem("to", "cannot be before from", chinese: "结束日期不能早于起始日期")) }
        try await write(product: id, by: caller) { [problems] write, _ in
            guard problems.isEmpty, let title, let content, let from, let to else { throw UseCaseError.invalid(problems) }
            let plan = SpecialPlanModel()
            plan.id = RiskStore.newID(now: write.now)
            plan.productID = id
            plan.title = title
            plan.content = content
            plan.fromOn = from.description
            plan.toOn = to.description
            plan.createdBy = caller.audit.name
            try await plan.create(on: write.db)
            try await write.audit(
                "risk.plan", entityType: "special_plan", entityID: try plan.requireID().uuidString, before: nil,
                after: try Audit.json(["product": id.uuidString, "title": title, "from": from.description, "to": to.description]))
        }
        return try await file(product: id, by: caller)
    }

    /// The registrant's periodic risk evaluation report of one year of the first registration cycle
    /// (once the year has ended; once a year).
    public func submitPeriodicReport(product id: UUID, year: Int, summary: String?, by caller: Caller) async throws -> ProductRiskFile {
        try caller.require(.reportPeriodicRisk)
        var reader = FieldReader()
        let summary = reader.text("summary", summary, label: "报告摘要", maximum: 10_000)
        let problems = reader.problems
        let today = platform.clock.today()
        try await write(product: id, by: caller) { write, subject in
            guard let due = PeriodicRiskReport.schedule(approvedOn: subject.approvedOn).first(where: { $0.year == year }) else {
                throw UseCaseError.invalid([
                    FieldProblem("year", "is not a year of the first registration cycle", chinese: "不是首个注册周期内的年度（第 1 至 5 年）")
                ])
            }
            guard today > due.to else {
                throw UseCaseError.invalid([FieldProblem("year", "has not ended", chinese: "该年度尚未结束，不能提交定期风险评价报告")])
            }
            if try await RiskStore.periodicReports(of: [id], on: write.db).contains(where: { $0.year == year }) {
                throw UseCaseError.conflict(FieldProblem("year", "has its report already", chinese: "该年度的定期风险评价报告已提交"))
            }
            guard problems.isEmpty, let summary else { throw UseCaseError.invalid(problems) }
            let report = PeriodicRiskReportModel()
            report.id = RiskStore.newID(now: write.now)
            report.productID = id
            report.year = year
            report.submittedOn = today.description
            report.summary = summary
            report.submittedBy = caller.audit.name
            try await report.create(on: write.db)
            try await write.audit(
                "risk.periodic_report", entityType: "periodic_risk_report", entityID: try report.requireID().uuidString, before: nil,
                after: try Audit.json(["product": id.uuidString, "year": String(year), "dueOn": due.dueOn.description]))
        }
        return try await file(product: id, by: caller)
    }

    // MARK: Parts

    /// A write on a product of the checklist in the caller's scope (any other is not found), given
    /// the product as the checklist found it.
    private func write(
        product id: UUID, by caller: Caller, _ body: @escaping @Sendable (Write, RiskStore.Subject) async throws -> Void
    ) async throws {
        try await platform.write(by: caller) { write in
            guard let subject = try await RiskStore.subjects(scope: caller.filter, product: id, on: write.db).first else {
                throw UseCaseError.notFound(.product)
            }
            try await body(write, subject)
        }
    }

    /// The rows of the checklist's products, read together.
    struct Reads {
        var items: [RiskItemModel]
        var meetings: [RiskMeetingModel]
        var plans: [SpecialPlanModel]
        var reports: [PeriodicRiskReportModel]

        static func of(_ ids: [UUID], on db: any Database) async throws -> Reads {
            Reads(
                items: try await RiskStore.items(of: ids, on: db), meetings: try await RiskStore.meetings(of: ids, on: db),
                plans: try await RiskStore.plans(of: ids, on: db), reports: try await RiskStore.periodicReports(of: ids, on: db))
        }
    }

    func rows(_ subjects: [RiskStore.Subject], on db: any Database) async throws -> [RiskChecklistRow] {
        try await rows(subjects, reads: try await Reads.of(subjects.compactMap(\.product.id), on: db), on: db)
    }

    func rows(_ subjects: [RiskStore.Subject], reads: Reads, on db: any Database) async throws -> [RiskChecklistRow] {
        let today = platform.clock.today()
        let items = Dictionary(grouping: reads.items, by: \.productID)
        let meetings = Dictionary(grouping: reads.meetings, by: \.productID)
        let plans = Dictionary(grouping: reads.plans, by: \.productID)
        let reports = Dictionary(grouping: reads.reports, by: \.productID)
        let enterprises = try await EnterpriseModel.query(on: db).filter(\.$id ~~ Set(subjects.map { $0.product.$enterprise.id })).all()
        let registrants = Dictionary(enterprises.compactMap { model in model.id.map { ($0, model.name) } }, uniquingKeysWith: { a, _ in a })
        let names = try await People.labels(usernames: [], actors: reports.values.flatMap { $0.map(\.submittedBy) }, on: db)
        return try subjects.map { subject in
            let id = try subject.product.requireID()
            let mine = items[id] ?? []
            let submitted = Dictionary((reports[id] ?? []).map { ($0.year, $0) }, uniquingKeysWith: { first, _ in first })
            return RiskChecklistRow(
                productID: id, productName: subject.product.name, registrant: registrants[subject.product.$enterprise.id] ?? subject.product.uscc,
                certificate: subject.certificate, approvedOn: subject.approvedOn, channel: subject.channel, conditional: subject.conditional,
                openItems: mine.count { $0.status == RiskItemStatus.open.rawValue },
                controllingItems: mine.count { $0.status == RiskItemStatus.controlling.rawValue },
                overdueItems: mine.count { item in
                    item.status != RiskItemStatus.closed.rawValue && (CivilDate(item.dueOn).map { $0 < today } ?? false)
                },
                lastMeeting: meetings[id]?.compactMap { CivilDate($0.heldOn) }.max(),
                plan: plans[id]?.first { plan in
                    guard let from = CivilDate(plan.fromOn), let to = CivilDate(plan.toOn) else { return false }
                    return from <= today && today <= to
                }?.title,
                periodic: PeriodicRiskReport.schedule(approvedOn: subject.approvedOn).map { due in
                    let report = submitted[due.year]
                    let submittedOn = report.flatMap { CivilDate($0.submittedOn) }
                    return PeriodicReportRecord(
                        year: due.year, from: due.from, to: due.to, dueOn: due.dueOn,
                        state: PeriodicRiskReport.state(of: due, submittedOn: submittedOn, today: today), submittedOn: submittedOn,
                        summary: report?.summary, submittedBy: report.map { names[$0.submittedBy] ?? $0.submittedBy })
                })
        }
    }

    static func record(_ item: RiskItemModel, events: [RiskItemEventModel], names: [String: String], today: CivilDate) throws -> RiskItemRecord {
        let status = RiskItemStatus(rawValue: item.status) ?? .open
        let due = CivilDate(item.dueOn) ?? today
        return RiskItemRecord(
            id: try item.requireID(), version: item.version, source: RiskSource(rawValue: item.source) ?? .other, description: item.itemDescription,
            control: item.control, owner: item.owner, dueOn: due, status: status, overdue: status != .closed && due < today,
            createdBy: names[item.createdBy] ?? item.createdBy,
            events: events.map { event in
                RiskItemEventEntry(
                    kind: RiskItemEventKind(rawValue: event.kind) ?? .status, at: event.occurredAt, by: names[event.actor] ?? event.actor,
                    detail: event.detail)
            })
    }
}

extension Platform {
    public var risk: RiskChecklistUseCases { RiskChecklistUseCases(platform: self) }
}
