import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

/// Applications under review: registering one at acceptance, recording the events of its review
/// (checked by the lifecycle and the review clock), and reading them with their clocks, each within
/// the caller's scope.
public struct ApplicationUseCases: Sendable {
    let platform: Platform

    /// Registers an application accepted on a day not after today, for a product in the caller's
    /// scope: its row, its `accepted` event, `application.create` in the audit trail, and the live notice.
    public func create(_ input: AcceptanceInput, by caller: Caller) async throws -> ApplicationDetail {
        try caller.require(.writeApplications)
        let today = platform.clock.today()
        guard let acceptedOn = CivilDate(input.acceptedOn) else {
            throw UseCaseError.malformed([FieldProblem("acceptedOn", "must be a date YYYY-MM-DD", chinese: "请填写受理日期（YYYY-MM-DD）")])
        }
        guard acceptedOn <= today else {
            throw UseCaseError.invalid([FieldProblem("acceptedOn", "cannot be after today", chinese: "受理日期不能晚于今天")])
        }
        let calendar = try await platform.calendar()
        let number = input.applicationNumber.trimmingWhitespace()
        let taken = FieldProblem("applicationNumber", "another application has the number \(number)", chinese: "已有申报事项使用该受理号")
        let created = try await platform.write(by: caller, conflict: taken) { write in
            var problems: [FieldProblem] = []
            let product =
                try await RecordID.filter(input.productID).asyncMap {
                    try await ProductStore.find(id: $0, scope: caller.filter, on: write.db)
                } ?? nil
            if product == nil { problems.append(.init("productId", "no product with this id is in your scope", chinese: "您的权限范围内没有该产品")) }
            if number.isEmpty || number.count > 64 {
                problems.append(.init("applicationNumber", "must be 1–64 characters", chinese: "受理号须为 1–64 个字符"))
            } else if let problem = TextRules.problem("applicationNumber", number) {
                problems.append(problem)
            }
            let authority = ApplicationAuthority(rawValue: input.authority)
            if authority == nil {
                problems.append(
                    .init(
                        "authority", "must be one of \(ApplicationAuthority.allCases.map(\.rawValue).joined(separator: ", "))", chinese: "请选择审批部门"))
            }
            let channel = ReviewChannel(rawValue: input.channel)
            if channel == nil {
                problems.append(
                    .init("channel", "must be one of \(ReviewChannel.allCases.map(\.rawValue).joined(separator: ", "))", chinese: "请选择审评通道"))
            }
            var version: ProcedureVersion?
            if let procedure = try await ProcedureStore.procedure(code: input.procedure, on: write.db) {
                version = procedure.version(inForceOn: acceptedOn)
                if version == nil {
                    problems.append(
                        .init("acceptedOn", "no version of \(procedure.code) was in force on \(acceptedOn)", chinese: "受理日期时该程序尚未施行"))
                }
            } else {
                problems.append(.init("procedure", "no procedure has this code; see /api/v1/procedures", chinese: "没有该审评程序"))
            }
            for (field, username) in [("reviewer", input.reviewer), ("responsibleOfficer", input.responsibleOfficer)] {
                guard let username else { continue }
                if !UserStore.isValidUsername(username) {
                    problems.append(.init(field, "no user is called \(username)", chinese: "没有该用户"))
                } else if try await UserStore.find(username: username, on: write.db) == nil {
                    problems.append(.init(field, "no user is called \(username)", chinese: "没有该用户"))
                }
            }
            guard problems.isEmpty, let product, let version, let authority, let channel else { throw UseCaseError.invalid(problems) }
            guard try await !ApplicationStore.isNumberTaken(number, on: write.db) else { throw UseCaseError.conflict(taken) }
            let policy = try await DigestStore.warningPolicy(on: write.db)
            let snapshot: ClockSnapshot
            do {
                snapshot = try ApplicationLifecycle.stored(
                    [ApplicationEvent(.accepted, on: acceptedOn)], version: version, asOf: max(today, acceptedOn), calendar: calendar,
                    amberFraction: policy.amberFraction
                ).snapshot
            } catch let error as ApplicationLifecycle.Rejection {
                throw UseCaseError.impossibleEvent(event: error.event, FieldProblem(error.field, error.reason, chinese: error.chinese))
            }
            let acceptance = ApplicationStore.Acceptance(
                procedure: input.procedure, version: version.version, authority: authority, applicationNumber: number, channel: channel,
                reviewer: input.reviewer, responsibleOfficer: input.responsibleOfficer, acceptedOn: acceptedOn)
            let (model, accepted) = try await ApplicationStore.insert(
                acceptance, of: product, snapshot: snapshot, recordedBy: caller.audit.name, now: write.now, on: write.db)
            let id = try model.requireID()
            try await write.audit(
                "application.create", entityType: "application", entityID: id.uuidString, before: nil,
                after: try Audit.json(AcceptanceAudit(acceptance, productID: try product.requireID())))
            try await write.notify(try LiveNotice(event: accepted, of: model, productName: product.name))
            return id
        }
        return try await detail(id: created, by: caller)
    }

    /// Records an event of an application in the caller's scope, dated no later than today, after
    /// the lifecycle and the review clock accept it where it would stand; stores the status it leads
    /// to, `application.event` in the audit trail, and the live notice. A correction names the event
    /// it supersedes and gives a reason.
    public func record(_ input: EventInput, on id: UUID, by caller: Caller) async throws -> ApplicationDetail {
        let today = platform.clock.today()
        let calendar = try await platform.calendar()
        let versions = try await ProcedureStore.versionIndex(on: platform.database)
        let busy = FieldProblem(
            "type", "another event was recorded on this application at the same time; reload and try again",
            chinese: "同时有其他人记录了事件，请刷新后重试")
        try await platform.write(by: caller, conflict: busy) { write in
            // Scope first (404), then the role (403), then the event itself (422).
            guard let application = try await ApplicationStore.find(id: id, scope: caller.filter, on: write.db) else {
                throw UseCaseError.notFound(.application)
            }
            try caller.require(input.kind?.requiredAction ?? .writeApplications)
            let event = try input.event(today: today)
            let stored = try await ApplicationStore.events(of: [id], on: write.db)[id] ?? []
            if let superseded = event.supersedes {
                guard stored.contains(where: { $0.id == superseded }) else {
                    throw UseCaseError.invalid([.init("supersedes", "is not an event of this application", chinese: "不是本申报事项的事件")])
                }
                guard event.reason != nil else {
                    throw UseCaseError.invalid([.init("reason", "a correction needs a reason", chinese: "更正须说明理由")])
                }
            }
            guard let version = versions.version(of: application) else {
                throw UseCaseError.conflict(
                    FieldProblem(
                        "type", "the procedure version \(application.procedureVersion) of \(application.procedureCode) is no longer in the catalogue",
                        chinese: "该申报事项的审评程序版本已不在目录中"))
            }
            let policy = try await DigestStore.warningPolicy(on: write.db)
            let state: ApplicationLifecycle.State
            let snapshot: ClockSnapshot
            do {
                (state, snapshot) = try ApplicationLifecycle.stored(
                    stored.map(\.event) + [event], version: version, asOf: max(today, event.on), calendar: calendar,
                    amberFraction: policy.amberFraction)
            } catch let error as ApplicationLifecycle.Rejection {
                throw UseCaseError.impossibleEvent(event: error.event, FieldProblem(error.field, error.reason, chinese: error.chinese))
            }
            let before = application.status
            let sequence = (stored.last?.sequence ?? 0) + 1
            let row = try await ApplicationStore.append(
                event, note: input.note.nonBlank, sequence: sequence, to: application, state: state, snapshot: snapshot,
                recordedBy: caller.audit.name, now: write.now, on: write.db)
            try await write.audit(
                "application.event", entityType: "application", entityID: id.uuidString, before: try Audit.json(["status": before.rawValue]),
                after: try Audit.json([
                    "event": event.kind.rawValue, "on": event.on.description, "sequence": String(sequence), "status": state.status.rawValue,
                ]))
            let productName = try await ProductStore.names(of: [application.$product.id], on: write.db)[application.$product.id] ?? ""
            try await write.notify(try LiveNotice(event: row, of: application, productName: productName))
        }
        return try await detail(id: id, by: caller)
    }

    /// An application in the caller's scope with its timeline, clock and warnings today; notes only
    /// for the roles that may read them.
    public func detail(id: UUID, by caller: Caller) async throws -> ApplicationDetail {
        try caller.require(.readProducts)
        let db = platform.database
        guard let application = try await ApplicationStore.find(id: id, scope: caller.filter, on: db) else {
            throw UseCaseError.notFound(.application)
        }
        let clocks = try await platform.clocks()
        let models = try await ApplicationStore.events(of: [id], on: db)[id] ?? []
        let events = models.map(\.event)
        let confidential = caller.may(.readConfidentialReview)
        let productName = try await ProductStore.names(of: [application.$product.id], on: db)[application.$product.id] ?? ""
        let enterpriseName = try await EnterpriseStore.names(of: [application.$enterprise.id], on: db)[application.$enterprise.id] ?? ""
        let recordable = ApplicationEventKind.allCases.filter { $0 != .accepted && caller.may($0.requiredAction) }
        let people =
            confidential
            ? try await People.labels(
                usernames: [application.reviewer, application.responsibleOfficer].compactMap { $0 }, actors: models.map(\.recordedBy), on: db)
            : [:]
        return ApplicationDetail(
            item: try clocks.item(application, events, for: caller), productName: productName,
            events: try ApplicationEventRecord.timeline(models, confidential: confidential), warnings: clocks.warnings(application, events),
            confidential: confidential, recordable: recordable, people: people, enterpriseName: enterpriseName)
    }

    /// What a list may be narrowed to, on top of the caller's scope.
    public struct Filter: Sendable, Equatable {
        public var district: String?
        public var park: String?
        /// A product id (a text that is no id lists nothing).
        public var product: String?
        public var procedure: String?
        public var channel: ReviewChannel?
        public var status: ApplicationStatus?
        public var reviewer: String?
        public var responsibleOfficer: String?
        /// Open applications whose clock is at this level today.
        public var level: ReviewClock.Level?
        /// Past the deadline (open and red) or not.
        public var overdue: Bool?
        /// Only running clocks, fewest remaining working days first.
        public var byRemaining: Bool
        /// Open (what the dashboard counts as 在审事项) or closed.
        public var open: Bool?

        public init(
            district: String? = nil, park: String? = nil, product: String? = nil, procedure: String? = nil, channel: ReviewChannel? = nil,
            status: ApplicationStatus? = nil, reviewer: String? = nil, responsibleOfficer: String? = nil, level: ReviewClock.Level? = nil,
            overdue: Bool? = nil, byRemaining: Bool = false, open: Bool? = nil
        ) {
            self.open = open
            self.district = district
            self.park = park
            self.product = product
            self.procedure = procedure
            self.channel = channel
            self.status = status
            self.reviewer = reviewer
            self.responsibleOfficer = responsibleOfficer
            self.level = level
            self.overdue = overdue
            self.byRemaining = byRemaining
        }
    }

    /// A page of applications in the caller's scope with their clocks today: every filter in SQL,
    /// the clock's level too (from the stored snapshot dates).
    public func list(_ filter: Filter, limit: Int = 50, cursor: String? = nil, by caller: Caller) async throws -> Page<ApplicationItem> {
        try caller.require(.readProducts)
        // Who reviews or follows an application is for the roles that may read it; a filter by it
        // would tell the others as well.
        for (field, value) in [("reviewer", filter.reviewer), ("responsible", filter.responsibleOfficer)] where value.nonBlank != nil {
            guard caller.may(.readConfidentialReview) else {
                throw UseCaseError.fieldForbidden(
                    FieldProblem(field, "your role may not list applications by who reviews or follows them", chinese: "您的角色无权按审评员或跟踪责任人筛选"))
            }
        }
        let after = try Cursor.parse(cursor, parts: 2)
        let clocks = try await platform.clocks()
        var query = ApplicationStore.ListFilter(
            district: filter.district.nonBlank.map(TextRules.cleaned), park: filter.park.nonBlank.map(TextRules.cleaned),
            productID: RecordID.filter(filter.product), procedure: filter.procedure.map(TextRules.cleaned), channel: filter.channel,
            status: filter.status, reviewer: filter.reviewer.map(TextRules.cleaned),
            responsibleOfficer: filter.responsibleOfficer.map(TextRules.cleaned))
        query.level = filter.level
        query.overdue = filter.overdue
        query.open = filter.open
        query.today = clocks.today
        query.byRemaining = filter.byRemaining
        let page = try await ApplicationStore.list(query, scope: caller.filter, limit: limit, after: after, on: platform.database)
        return Page(items: page.items.map { clocks.item($0.application, clockEvents: $0.clockEvents, for: caller) }, next: page.next?.token)
    }

    /// How a list names the reviewers and responsible officers of applications the caller has read:
    /// username → 姓名 (nothing for the roles that may not read who they are).
    public func peopleNames(of items: [ApplicationItem], by caller: Caller) async throws -> [String: String] {
        guard caller.may(.readConfidentialReview) else { return [:] }
        let usernames = items.flatMap { [$0.application.reviewer, $0.application.responsibleOfficer].compactMap { $0 } }
        return try await UserStore.shownNames(of: Set(usernames), on: platform.database)
    }

    /// The names of the enterprises of applications the caller has read.
    public func enterpriseNames(of items: [ApplicationItem], by caller: Caller) async throws -> [UUID: String] {
        try caller.require(.readProducts)
        return try await EnterpriseStore.names(
            of: items.map(\.application).filter { caller.admits($0.location) }.map(\.enterpriseID), on: platform.database)
    }

    /// The names of the products of applications the caller has read.
    public func productNames(of items: [ApplicationItem], by caller: Caller) async throws -> [UUID: String] {
        try caller.require(.readProducts)
        return try await ProductStore.names(
            of: items.map(\.application).filter { caller.admits($0.location) }.map(\.productID), on: platform.database)
    }

    /// The caller's open applications (as reviewer or responsible officer) that need attention
    /// today, red first, then by fewest remaining working days.
    public func inbox(by caller: Caller) async throws -> [InboxItem] {
        guard let username = caller.username else { return [] }
        let db = platform.database
        let clocks = try await platform.clocks()
        let applications = try await ApplicationStore.openAssigned(to: username, scope: caller.filter, on: db)
        let timelines = try await ApplicationStore.timelines(of: applications.compactMap(\.id), on: db)
        let names = try await ProductStore.names(of: applications.map(\.$product.id), on: db)
        var items: [InboxItem] = []
        for application in applications {
            let events = timelines[try application.requireID()] ?? []
            let warnings = clocks.warnings(application, events)
            guard !warnings.isEmpty else { continue }
            var roles: [InboxRole] = []
            if application.reviewer == username { roles.append(.reviewer) }
            if application.responsibleOfficer == username { roles.append(.responsible) }
            items.append(
                InboxItem(
                    item: try clocks.item(application, events, for: caller), productName: names[application.$product.id] ?? "", warnings: warnings,
                    roles: roles))
        }
        return items.sorted { a, b in
            let (redA, redB) = (a.warnings.contains(where: \.isRed), b.warnings.contains(where: \.isRed))
            if redA != redB { return redA }
            return (a.item.clock?.remaining ?? .max) < (b.item.clock?.remaining ?? .max)
        }
    }
}

/// What the audit row of an accepted application records.
private struct AcceptanceAudit: Encodable {
    var productId: String
    var procedure: String
    var authority: String
    var applicationNumber: String
    var channel: String
    var reviewer: String?
    var responsibleOfficer: String?
    var acceptedOn: String

    init(_ acceptance: ApplicationStore.Acceptance, productID: UUID) {
        productId = productID.uuidString
        procedure = acceptance.procedure
        authority = acceptance.authority.rawValue
        applicationNumber = acceptance.applicationNumber
        channel = acceptance.channel.rawValue
        reviewer = acceptance.reviewer
        responsibleOfficer = acceptance.responsibleOfficer
        acceptedOn = acceptance.acceptedOn.description
    }
}

extension Platform {
    public var applications: ApplicationUseCases { ApplicationUseCases(platform: self) }
}
