import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore
import TongdaoXLSX

/// A problem raised about a landing project, as a page or the API shows it.
public struct LandingProblemRecord: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var version: Int
    public var title: String
    public var detail: String
    /// The body that owns it (责任单位).
    public var owner: String
    public var dueOn: CivilDate?
    public var status: LandingProblemStatus
    public var raisedBy: String
    public var raisedOn: CivilDate
    public var resolution: String?
    public var resolvedBy: String?
    public var resolvedOn: CivilDate?
    /// The meeting that resolved it, if one did.
    public var meetingID: UUID?
    public var meetingSubject: String?
    /// Open past its day.
    public var overdue: Bool
}

/// A meeting (会商) of the industry department and the regulator, with the projects it took up.
public struct LandingMeetingRecord: Sendable, Equatable, Identifiable {
    public struct Project: Sendable, Equatable {
        public var id: UUID
        public var productName: String
    }

    public var id: UUID
    public var heldOn: CivilDate
    public var subject: String
    public var attendees: String
    public var decisions: String
    public var recordedBy: String
    public var projects: [Project]
}

/// A landing project as a page or the API shows it.
public struct LandingProjectRecord: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var version: Int
    public var productID: UUID
    public var productName: String
    public var certificate: String?
    public var enterpriseID: UUID
    public var enterprise: String
    public var district: String
    public var districtName: String
    public var park: String?
    public var parkName: String?
    public var site: String
    public var status: LandingStatus
    public var plannedOn: CivilDate?
    public var producingOn: CivilDate?
    /// 万元
    public var investment: Int?
    public var note: String?
    public var recordedBy: String
    public var recordedOn: CivilDate
    public var openProblems: Int
    public var overdueProblems: Int
    /// Its problems and meetings (a project's own page; empty in a list).
    public var problems: [LandingProblemRecord] = []
    public var meetings: [LandingMeetingRecord] = []
}

/// A landing project as typed.
public struct LandingProjectInput: Sendable, Equatable {
    public var product: String?
    public var district: String?
    public var park: String?
    public var site: String?
    public var status: String?
    public var plannedOn: String?
    public var investment: String?
    public var note: String?

    public init(
        product: String? = nil, district: String? = nil, park: String? = nil, site: String? = nil, status: String? = nil, plannedOn: String? = nil,
        investment: String? = nil, note: String? = nil
    ) {
        self.product = product
        self.district = district
        self.park = park
        self.site = site
        self.status = status
        self.plannedOn = plannedOn
        self.investment = investment
        self.note = note
    }
}

/// A problem as typed.
public struct LandingProblemInput: Sendable, Equatable {
    public var title: String?
    public var detail: String?
    public var owner: String?
    public var dueOn: String?

    public init(title: String? = nil, detail: String? = nil, owner: String? = nil, dueOn: String? = nil) {
        self.title = title
        self.detail = detail
        self.owner = owner
        self.dueOn = dueOn
    }
}

/// A meeting as typed.
public struct LandingMeetingInput: Sendable, Equatable {
    public var heldOn: String?
    public var subject: String?
    public var attendees: String?
    public var decisions: String?
    public var projects: [String]

    public init(heldOn: String? = nil, subject: String? = nil, attendees: String? = nil, decisions: String? = nil, projects: [String] = []) {
        self.heldOn = heldOn
        self.subject = subject
        self.attendees = attendees
        self.decisions = decisions
        self.projects = projects
    }
}

/// Landing projects (产业化落地, issue 20 item 8). A district, a park, the enterprise itself or the
/// city's side records where an approved product (one holding a certificate) is to be made — the
/// site's district and park, which place the project in their scope —, and moves it forward
/// (planned → building → producing, never back). Anyone who follows it raises problems with the body
/// that owns them and a due day; the industry department and the regulator resolve them, at their
/// meetings (会商) or otherwise, and record each meeting with its decisions and the projects it took up.
public struct LandingUseCases: Sendable {
    let platform: Platform

    // MARK: Reads

    /// Projects in scope, by status, site district or product; with their open and overdue problems counted.
    public func list(status: String? = nil, district: String? = nil, product: UUID? = nil, by caller: Caller) async throws
        -> [LandingProjectRecord]
    {
        try caller.require(.readLanding)
        var reader = FieldReader()
        let status = reader.code("status", status, label: "状态", as: LandingStatus.self, required: false)
        try reader.check()
        let district = district?.trimmingWhitespace().isEmpty == false ? district : nil
        let models = try await LandingStore.projects(
            scope: caller.filter, status: status, district: district, product: product, on: platform.database)
        return try await records(models, detailed: false)
    }

    /// One project in scope with its problems and meetings.
    public func detail(id: UUID, by caller: Caller) async throws -> LandingProjectRecord {
        try caller.require(.readLanding)
        guard let model = try await LandingStore.project(id, scope: caller.filter, on: platform.database) else {
            throw UseCaseError.notFound(.landingProject)
        }
        return try await records([model], detailed: true)[0]
    }

    /// The meetings recorded, the latest first (those who manage landing: every one; others: those
    /// that took up a project in their scope).
    public func meetings(by caller: Caller) async throws -> [LandingMeetingRecord] {
        try caller.require(.readLanding)
        let db = platform.database
        let visible: [UUID]? =
            caller.may(.manageLanding) ? nil : try await LandingStore.projects(scope: caller.filter, on: db).compactMap(\.id)
        return try await meetingRecords(try await LandingStore.meetings(of: visible, on: db), on: db)
    }

    /// The products in scope that hold a certificate, which a project may be recorded for: id and "name（certificate）".
    public func candidates(by caller: Caller) async throws -> [(id: UUID, label: String)] {
        try caller.require(.writeLanding)
        return try await AdverseEventStore.marketedProducts(scope: caller.filter, on: platform.database).map {
            ($0.id, "\($0.name)（\($0.certificate)）")
        }
    }

    /// The list as a file (its filters), in scope: CSV or XLSX.
    public func export(status: String? = nil, district: String? = nil, format: CensusUseCases.Format, by caller: Caller) async throws -> Data {
        let projects = try await list(status: status, district: district, by: caller)
        var rows: [[String]] = [["产品", "注册证编号", "企业", "所在区", "园区", "建设地点", "状态", "计划投产日期", "投产日期", "投资（万元）", "待解决问题", "逾期问题", "登记日期"]]
        for project in projects {
            rows.append([
                project.productName, project.certificate ?? "", project.enterprise, project.districtName, project.parkName ?? "", project.site,
                project.status.label, project.plannedOn?.description ?? "", project.producingOn?.description ?? "",
                project.investment.map(String.init) ?? "",
                String(project.openProblems), String(project.overdueProblems), project.recordedOn.description,
            ])
        }
        return try CensusSheets.file(rows, sheetName: "产业化落地", format: format)
    }

    // MARK: Writes

    /// Records a project of a product in scope that holds a certificate, at a site in the caller's
    /// reach (a district officer its own district, a park officer its own park).
    public func create(_ input: LandingProjectInput, by caller: Caller) async throws -> LandingProjectRecord {
        try caller.require(.writeLanding)
        var reader = FieldReader()
        let product = reader.id("product", input.product, label: "产品")
        let fields = try await read(input, reader: &reader, by: caller)
        var marketed: AdverseEventStore.Marketed?
        if let product {
            marketed = try await AdverseEventStore.marketed(product: product, scope: caller.filter, on: platform.database)
            if marketed == nil {
                if try await ProductStore.find(id: product, scope: caller.filter, on: platform.database) == nil {
                    reader.problems.append(FieldProblem("product", "names no product in your scope", chinese: "没有该产品，或不在您的权限范围内"))
                } else {
                    reader.problems.append(FieldProblem("product", "has no certificate", chinese: "该产品尚未取得注册证，不能登记产业化落地项目"))
                }
            }
        }
        let problems = reader.problems
        return try await platform.write(by: caller) { [marketed] write in
            guard problems.isEmpty, let fields, let marketed else { throw UseCaseError.invalid(problems) }
            let model = LandingProjectModel()
            model.id = GuidanceStore.newID(now: write.now)
            model.productID = try marketed.product.requireID()
            model.enterpriseID = marketed.product.$enterprise.id
            model.uscc = marketed.product.uscc
            fields.apply(to: model, today: ShanghaiTime.day(of: write.now))
            model.recordedBy = caller.audit.name
            model.recordedOn = ShanghaiTime.day(of: write.now).description
            model.version = 1
            try await model.create(on: write.db)
            try await write.audit(
                "landing.create", entityType: "landing_project", entityID: try model.requireID().uuidString, before: nil,
                after: try Self.audited(model))
            return try await records([model], detailed: true, on: write.db)[0]
        }
    }

    /// Changes a project's site, status (forward only), days, investment and note, on the version read.
    public func update(id: UUID, _ input: LandingProjectInput, expecting version: Int?, by caller: Caller) async throws -> LandingProjectRecord {
        try caller.require(.writeLanding)
        var reader = FieldReader()
        let fields = try await read(input, reader: &reader, by: caller)
        let typed = input.status.flatMap { LandingStatus(codeOrLabel: $0) }
        let problems = reader.problems
        return try await platform.write(by: caller) { write in
            guard let model = try await LandingStore.project(id, scope: caller.filter, on: write.db) else {
                throw UseCaseError.notFound(.landingProject)
            }
            try model.check(basedOn: version, .landingProject)
            // Forward only, against the status the row holds in this write (with the fields' own problems).
            var problems = problems
            if let typed, let now = LandingStatus(rawValue: model.status), typed < now { problems.append(Self.backwards(now)) }
            guard problems.isEmpty, let fields else { throw UseCaseError.invalid(problems) }
            let before = try Self.audited(model)
            fields.apply(to: model, today: ShanghaiTime.day(of: write.now))
            try await model.updateVersioned(on: write.db)
            try await write.audit(
                "landing.update", entityType: "landing_project", entityID: id.uuidString, before: before, after: try Self.audited(model))
            return try await records([model], detailed: true, on: write.db)[0]
        }
    }

    /// Raises a problem about a project in scope: what, the body that owns it, the day it is due.
    public func raiseProblem(project id: UUID, _ input: LandingProblemInput, by caller: Caller) async throws -> LandingProjectRecord {
        try caller.require(.writeLanding)
        var reader = FieldReader()
        let title = reader.text("title", input.title, label: "问题", maximum: 200)
        let detail = reader.text("detail", input.detail, label: "问题说明", maximum: 2_000, multiline: true)
        let owner = reader.text("owner", input.owner, label: "责任单位", maximum: 100)
        let due = reader.anyDay("dueOn", input.dueOn, label: "期限")
        let today = platform.clock.today()
        if let due, due < today {
            reader.problems.append(FieldProblem("dueOn", "cannot be before today", chinese: "期限不能早于今天"))
        }
        let problems = reader.problems
        return try await platform.write(by: caller) { write in
            guard let project = try await LandingStore.project(id, scope: caller.filter, on: write.db) else {
                throw UseCaseError.notFound(.landingProject)
            }
            guard problems.isEmpty, let title, let detail, let owner else { throw UseCaseError.invalid(problems) }
            let problem = LandingProblemModel()
            problem.id = GuidanceStore.newID(now: write.now)
            problem.projectID = id
            problem.title = title
            problem.detail = detail
            problem.owner = owner
            problem.dueOn = due?.description
            problem.status = LandingProblemStatus.open.rawValue
            problem.raisedBy = caller.audit.name
            problem.raisedOn = ShanghaiTime.day(of: write.now).description
            problem.version = 1
            try await problem.create(on: write.db)
            try await write.audit(
                "landing.problem", entityType: "landing_problem", entityID: try problem.requireID().uuidString, before: nil,
                after: try Audit.json(["project": id.uuidString, "title": title, "owner": owner, "dueOn": due?.description ?? ""]))
            return try await records([project], detailed: true, on: write.db)[0]
        }
    }

    /// Resolves an open problem with how, optionally at a meeting that took up its project, on the
    /// problem's version read.
    public func resolveProblem(
        project id: UUID, problem problemID: UUID, resolution: String?, meeting: String?, expecting version: Int?, by caller: Caller
    ) async throws -> LandingProjectRecord {
        try caller.require(.manageLanding)
        var reader = FieldReader()
        let resolution = reader.text("resolution", resolution, label: "解决情况", maximum: 2_000, multiline: true)
        let meetingID = reader.id("meeting", meeting, label: "会商", required: false)
        let problems = reader.problems
        return try await platform.write(by: caller) { write in
            guard let project = try await LandingStore.project(id, scope: caller.filter, on: write.db) else {
                throw UseCaseError.notFound(.landingProject)
            }
            guard let problem = try await LandingProblemModel.find(problemID, on: write.db), problem.projectID == id else {
                throw UseCaseError.notFound(.landingProblem)
            }
            try problem.check(basedOn: version, .landingProblem)
            guard problem.status == LandingProblemStatus.open.rawValue else {
                throw UseCaseError.conflict(FieldProblem("status", "is resolved already", chinese: "该问题已解决"))
            }
            var problems = problems
            if let meetingID, !(try await LandingStore.meetings(of: [id], on: write.db).contains { $0.meeting.id == meetingID }) {
                problems.append(FieldProblem("meeting", "did not take up this project", chinese: "该会商未涉及此项目"))
            }
            guard problems.isEmpty, let resolution else { throw UseCaseError.invalid(problems) }
            problem.status = LandingProblemStatus.resolved.rawValue
            problem.resolution = resolution
            problem.resolvedBy = caller.audit.name
            problem.resolvedOn = ShanghaiTime.day(of: write.now).description
            problem.meetingID = meetingID
            try await problem.updateVersioned(on: write.db)
            try await write.audit(
                "landing.resolve", entityType: "landing_problem", entityID: problemID.uuidString,
                before: try Audit.json(["status": LandingProblemStatus.open.rawValue]),
                after: try Audit.json(["status": problem.status, "resolution": resolution, "meeting": meetingID?.uuidString ?? ""]))
            return try await records([project], detailed: true, on: write.db)[0]
        }
    }

    /// Records a meeting (会商): its day (not a day to come), subject, attendees and decisions, and
    /// the projects it took up (at least one).
    public func recordMeeting(_ input: LandingMeetingInput, by caller: Caller) async throws -> LandingMeetingRecord {
        try caller.require(.manageLanding)
        var reader = FieldReader()
        let held = reader.day("heldOn", input.heldOn, label: "会商日期", today: platform.clock.today(), required: true)
        let subject = reader.text("subject", input.subject, label: "议题", maximum: 200)
        let attendees = reader.text("attendees", input.attendees, label: "参会单位和人员", maximum: 1_000, multiline: true)
        let decisions = reader.text("decisions", input.decisions, label: "会商决定", maximum: 4_000, multiline: true)
        var projects: [UUID] = []
        for text in input.projects.map({ $0.trimmingWhitespace() }) where !text.isEmpty {
            guard let id = UUID(text: text), try await LandingStore.project(id, scope: caller.filter, on: platform.database) != nil else {
                reader.problems.append(FieldProblem("projects", "names a project not in your scope", chinese: "所选项目不存在或不在您的权限范围内"))
                break
            }
            if !projects.contains(id) { projects.append(id) }
        }
        if projects.isEmpty, !reader.problems.contains(where: { $0.field == "projects" }) {
            reader.problems.append(FieldProblem("projects", "needs at least one project", chinese: "请至少选择一个会商涉及的项目"))
        }
        let problems = reader.problems
        return try await platform.write(by: caller) { [projects] write in
            guard problems.isEmpty, let held, let subject, let attendees, let decisions else { throw UseCaseError.invalid(problems) }
            let meeting = LandingMeetingModel()
            meeting.id = GuidanceStore.newID(now: write.now)
            meeting.heldOn = held.description
            meeting.subject = subject
            meeting.attendees = attendees
            meeting.decisions = decisions
            meeting.recordedBy = caller.audit.name
            meeting.version = 1
            try await meeting.create(on: write.db)
            let id = try meeting.requireID()
            try await LandingStore.link(meeting: id, projects: projects, on: write.db)
            try await write.audit(
                "landing.meeting", entityType: "landing_meeting", entityID: id.uuidString, before: nil,
                after: try Audit.json([
                    "heldOn": held.description, "subject": subject, "projects": projects.map(\.uuidString).joined(separator: ","),
                ]))
            return try await meetingRecords([(meeting, projects)], on: write.db)[0]
        }
    }

    // MARK: Parts

    static func backwards(_ now: LandingStatus) -> FieldProblem {
        FieldProblem("status", "cannot go back", chinese: "项目已处于“\(now.label)”阶段，状态不能倒退")
    }

    static func audited(_ model: LandingProjectModel) throws -> String {
        try Audit.json([
            "product": model.productID.uuidString, "district": model.district, "park": model.park ?? "", "site": model.site, "status": model.status,
            "plannedOn": model.plannedOn ?? "", "investment": model.investment.map(String.init) ?? "",
        ])
    }

    /// The typed fields of a project, checked.
    private struct Fields {
        var district: String
        var park: String?
        var site: String
        var status: LandingStatus
        var plannedOn: CivilDate?
        var investment: Int?
        var note: String?

        func apply(to model: LandingProjectModel, today: CivilDate) {
            model.district = district
            model.park = park
            model.site = site
            model.status = status.rawValue
            model.plannedOn = plannedOn?.description
            if status == .producing, model.producingOn == nil { model.producingOn = today.description }
            model.investment = investment
            model.note = note
        }
    }

    private func read(_ input: LandingProjectInput, reader: inout FieldReader, by caller: Caller) async throws -> Fields? {
        let regions = try await RegionQueries.list(on: platform.database)
        let district = reader.text("district", input.district, label: "所在区", maximum: 32)
        if let district, !regions.contains(where: { $0.code == district && $0.level == .district }) {
            reader.problems.append(FieldProblem("district", "names no district", chinese: "没有该区"))
        }
        var park = input.park?.trimmingWhitespace()
        if park?.isEmpty == true { park = nil }
        if let code = park, !regions.contains(where: { $0.code == code && $0.level == .park && $0.parentCode == district }) {
            reader.problems.append(FieldProblem("park", "is not a park of the district", chinese: "该园区不在所选区内"))
        }
        switch caller.scope {
        case .district(let own) where district != nil && district != own:
            reader.problems.append(FieldProblem("district", "is not your district", chinese: "区政府只能登记本区的落地项目"))
        case .park(let own) where park != own:
            reader.problems.append(FieldProblem("park", "is not your park", chinese: "园区只能登记本园区的落地项目"))
        default: break
        }
        let site = reader.text("site", input.site, label: "建设地点", maximum: 200)
        let status = reader.code("status", input.status, label: "状态", as: LandingStatus.self)
        let planned = reader.anyDay("plannedOn", input.plannedOn, label: "计划投产日期")
        var investment: Int?
        if let text = input.investment?.trimmingWhitespace(), !text.isEmpty {
            investment = reader.wholeNumber("investment", text, label: "投资额（万元）")
            if let value = investment, value < 0 || value > 100_000_000 {
                reader.problems.append(FieldProblem("investment", "must be between 0 and 100000000", chinese: "投资额（万元）应在 0 至 100000000 之间"))
                investment = nil
            }
        }
        let note = reader.text("note", input.note, label: "备注", maximum: 1_000, required: false, multiline: true)
        guard let district, let site, let status else { return nil }
        return Fields(district: district, park: park, site: site, status: status, plannedOn: planned, investment: investment, note: note)
    }

    func records(_ models: [LandingProjectModel], detailed: Bool, on db: (any Database)? = nil) async throws -> [LandingProjectRecord] {
        let db = db ?? platform.database
        let today = platform.clock.today()
        let ids = models.compactMap(\.id)
        let regions = try await RegionQueries.names(on: db)
        let products = Dictionary(
            try await ProductModel.query(on: db).filter(\.$id ~~ models.map(\.productID)).all().map { ($0.id ?? UUID(), $0.name) },
            uniquingKeysWith: { first, _ in first })
        let enterprises = try await EnterpriseStore.names(of: models.map(\.enterpriseID), on: db)
        let problems = try await LandingStore.problems(of: ids, on: db)
        let meetings = detailed ? try await LandingStore.meetings(of: ids, on: db) : []
        let subjects = Dictionary(meetings.map { ($0.meeting.id ?? UUID(), $0.meeting.subject) }, uniquingKeysWith: { first, _ in first })
        let names = try await People.labels(
            usernames: [], actors: models.map(\.recordedBy) + problems.map(\.raisedBy) + problems.compactMap(\.resolvedBy), on: db)
        let meetingRecords = detailed ? try await meetingRecords(meetings, on: db) : []
        var result: [LandingProjectRecord] = []
        for model in models {
            let id = try model.requireID()
            let own = try problems.filter { $0.projectID == id }.map { problem in
                let due = problem.dueOn.flatMap(CivilDate.init)
                let open = problem.status == LandingProblemStatus.open.rawValue
                return LandingProblemRecord(
                    id: try problem.requireID(), version: problem.version, title: problem.title, detail: problem.detail, owner: problem.owner,
                    dueOn: due, status: LandingProblemStatus(rawValue: problem.status) ?? .open,
                    raisedBy: names[problem.raisedBy] ?? problem.raisedBy,
                    raisedOn: CivilDate(problem.raisedOn) ?? today, resolution: problem.resolution,
                    resolvedBy: problem.resolvedBy.map { names[$0] ?? $0 }, resolvedOn: problem.resolvedOn.flatMap(CivilDate.init),
                    meetingID: problem.meetingID, meetingSubject: problem.meetingID.flatMap { subjects[$0] },
                    overdue: open && due.map { $0 < today } == true)
            }
            result.append(
                LandingProjectRecord(
                    id: id, version: model.version, productID: model.productID, productName: products[model.productID] ?? "—",
                    certificate: try await AdverseEventStore.certificate(of: model.productID, on: db), enterpriseID: model.enterpriseID,
                    enterprise: enterprises[model.enterpriseID] ?? model.uscc, district: model.district,
                    districtName: regions[model.district] ?? model.district,
                    park: model.park, parkName: model.park.map { regions[$0] ?? $0 }, site: model.site,
                    status: LandingStatus(rawValue: model.status) ?? .planned,
                    plannedOn: model.plannedOn.flatMap(CivilDate.init), producingOn: model.producingOn.flatMap(CivilDate.init),
                    investment: model.investment,
                    note: model.note, recordedBy: names[model.recordedBy] ?? model.recordedBy, recordedOn: CivilDate(model.recordedOn) ?? today,
                    openProblems: own.filter { $0.status == .open }.count, overdueProblems: own.filter(\.overdue).count,
                    problems: detailed ? own : [], meetings: detailed ? meetingRecords.filter { $0.projects.contains { $0.id == id } } : []))
        }
        return result
    }

    private func meetingRecords(_ meetings: [(meeting: LandingMeetingModel, projects: [UUID])], on db: any Database) async throws
        -> [LandingMeetingRecord]
    {
        let projects = try await LandingProjectModel.query(on: db).filter(\.$id ~~ meetings.flatMap(\.projects)).all()
        let products = Dictionary(
            try await ProductModel.query(on: db).filter(\.$id ~~ projects.map(\.productID)).all().map { ($0.id ?? UUID(), $0.name) },
            uniquingKeysWith: { first, _ in first })
        let productOf = Dictionary(projects.map { ($0.id ?? UUID(), products[$0.productID] ?? "—") }, uniquingKeysWith: { first, _ in first })
        let names = try await People.labels(usernames: [], actors: meetings.map(\.meeting.recordedBy), on: db)
        return try meetings.map { meeting, linked in
            LandingMeetingRecord(
                id: try meeting.requireID(), heldOn: CivilDate(meeting.heldOn) ?? platform.clock.today(), subject: meeting.subject,
                attendees: meeting.attendees, decisions: meeting.decisions, recordedBy: names[meeting.recordedBy] ?? meeting.recordedBy,
                projects: linked.map { LandingMeetingRecord.Project(id: $0, productName: productOf[$0] ?? "—") })
        }
    }
}

extension Platform {
    public var landing: LandingUseCases { LandingUseCases(platform: self) }
}
