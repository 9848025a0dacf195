import FluentKit
import Foundation
import SQLKit
import TongdaoCore

/// Applications and their timelines: registering one at acceptance, appending events, lists.
public enum ApplicationStore {
    public enum Problem: Error, Equatable, CustomStringConvertible {
        /// Field problems: 422.
        case invalid([FieldProblem])
        /// Another application has this number: 409.
        case duplicateNumber(String)
        /// The event cannot happen now (the lifecycle or the review clock refuses it): 422.
        case impossible(event: String, reason: String)
        /// Someone recorded another event at the same moment: 409, try again.
        case concurrentChange

        public var description: String {
            switch self {
            case .invalid(let problems): problems.map { "\($0.field): \($0.message)" }.joined(separator: "; ")
            case .duplicateNumber(let number): "another application has the number \(number)"
            case .impossible(let event, let reason): "\(event) \(reason)"
            case .concurrentChange: "another event was recorded on this application at the same time; reload and try again"
            }
        }
    }

    public struct NewApplication: Sendable, Equatable, Encodable {
        public var productID: UUID
        public var procedure: String
        public var authority: ApplicationAuthority
        public var applicationNumber: String
        public var channel: ReviewChannel
        public var reviewer: String?
        public var responsibleOfficer: String?
        public var acceptedOn: CivilDate

        public init(
            productID: UUID, procedure: String, authority: ApplicationAuthority, applicationNumber: String, channel: ReviewChannel,
            reviewer: String?, responsibleOfficer: String?, acceptedOn: CivilDate
        ) {
            self.productID = productID
            self.procedure = procedure
            self.authority = authority
            self.applicationNumber = applicationNumber
            self.channel = channel
            self.reviewer = reviewer
            self.responsibleOfficer = responsibleOfficer
            self.acceptedOn = acceptedOn
        }

        private enum CodingKeys: String, CodingKey {
            case productID = "productId", procedure, authority, applicationNumber, channel, reviewer, responsibleOfficer, acceptedOn
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(productID, forKey: .productID)
            try container.encode(procedure, forKey: .procedure)
            try container.encode(authority, forKey: .authority)
            try container.encode(applicationNumber, forKey: .applicationNumber)
            try container.encode(channel, forKey: .channel)
            try container.encodeIfPresent(reviewer, forKey: .reviewer)
            try container.encodeIfPresent(responsibleOfficer, forKey: .responsibleOfficer)
            try container.encode(acceptedOn.description, forKey: .acceptedOn)
        }
    }

    /// The new event as recorded, with the note only the regulator's roles read.
    public struct NewEvent: Sendable, Equatable {
        public var event: ApplicationEvent
        public var note: String?

        public init(_ event: ApplicationEvent, note: String? = nil) {
            self.event = event
            self.note = note
        }
    }

    /// Registers an accepted application: its row and its `accepted` event, with one audit row; and
    /// the live notice of the event (sent with the transaction on PostgreSQL, see `LiveNotices`).
    @discardableResult
    public static func create(
        _ new: NewApplication, scope: ScopeFilter, calendar: WorkCalendar, today: CivilDate, by actor: AuditActor, on database: any Database
    ) async throws -> (application: ApplicationModel, notice: LiveNotice) {
        var problems: [FieldProblem] = []
        let product = try await ProductStore.find(id: new.productID, scope: scope, on: database)
        if product == nil { problems.append(.init("productId", "no product with this id is in your scope", chinese: "您的权限范围内没有该产品")) }
        let number = new.applicationNumber.trimmingCharacters(in: .whitespaces)
        if number.isEmpty || number.count > 64 {
            problems.append(.init("applicationNumber", "must be 1–64 characters", chinese: "受理号须为 1–64 个字符"))
        }
        let procedure = try await ProcedureStore.procedure(code: new.procedure, on: database)
        var version: ProcedureVersion?
        if let procedure {
            version = procedure.version(inForceOn: new.acceptedOn)
            if version == nil {
                problems.append(.init("acceptedOn", "no version of \(procedure.code) was in force on \(new.acceptedOn)", chinese: "受理日期时该程序尚未施行"))
            }
        } else {
            problems.append(.init("procedure", "no procedure has this code; see /api/v1/procedures", chinese: "没有该审评程序"))
        }
        for (field, username) in [("reviewer", new.reviewer), ("responsibleOfficer", new.responsibleOfficer)] {
            guard let username else { continue }
            if try await UserStore.find(username: username, on: database) == nil {
                problems.append(.init(field, "no user is called \(username)", chinese: "没有该用户"))
            }
        }
        guard problems.isEmpty, let product, let version else { throw Problem.invalid(problems) }
        if try await ApplicationModel.query(on: database).filter(\.$applicationNumber == number).count() > 0 {
            throw Problem.duplicateNumber(number)
        }
        let policy = try await DigestStore.warningPolicy(on: database)
        let snapshot: ClockSnapshot
        do {
            snapshot = try ApplicationLifecycle.stored(
                [ApplicationEvent(.accepted, on: new.acceptedOn)], version: version, asOf: max(today, new.acceptedOn), calendar: calendar,
                amberFraction: policy.amberFraction
            ).snapshot
        } catch {
            throw Problem.impossible(event: error.event, reason: error.reason)
        }
        return try await database.transaction { db in
            let model = ApplicationModel()
            model.id = TimeOrderedID.make()
            model.$product.id = try product.requireID()
            model.$enterprise.id = product.$enterprise.id
            model.uscc = product.uscc
            model.district = product.district
            model.park = product.park
            model.procedureCode = new.procedure
            model.procedureVersion = version.version
            model.authority = new.authority
            model.applicationNumber = number
            model.channel = new.channel
            model.reviewer = new.reviewer
            model.responsibleOfficer = new.responsibleOfficer
            model.acceptedOn = new.acceptedOn.description
            model.status = .inReview
            model.apply(snapshot)
            try await model.create(on: db)
            let accepted = ApplicationEventModel()
            accepted.id = TimeOrderedID.make()
            accepted.$application.id = try model.requireID()
            accepted.sequence = 1
            accepted.kind = .accepted
            accepted.occurredOn = new.acceptedOn.description
            accepted.recordedBy = actor.name
            accepted.recordedAt = Date()
            try await accepted.create(on: db)
            try await Audit.record(
                "application.create", entityType: "application", entityID: try model.requireID().uuidString,
                before: nil, after: try Audit.json(new), by: actor, on: db)
            let notice = try LiveNotice(event: accepted, of: model, productName: product.name)
            try await LiveNotices.send(notice, on: db)
            return (model, notice)
        }
    }

    /// The application with this id if the scope admits it; nil for a missing one and a hidden one alike.
    public static func find(id: UUID, scope: ScopeFilter, on database: any Database) async throws -> ApplicationModel? {
        try await ApplicationModel.query(on: database).filter(\.$id == id).scoped(to: scope).first()
    }

    /// The events of several applications in one query per thousand, each timeline in recorded order.
    public static func events(of ids: [UUID], on database: any Database) async throws -> [UUID: [ApplicationEventModel]] {
        var timelines: [UUID: [ApplicationEventModel]] = [:]
        for start in stride(from: 0, to: ids.count, by: 1_000) {
            let part = Array(ids[start..<min(start + 1_000, ids.count)])
            for event in try await ApplicationEventModel.query(on: database).filter(\.$application.$id ~~ part).sort(\.$sequence).all() {
                timelines[event.$application.id, default: []].append(event)
            }
        }
        return timelines
    }

    /// The timelines of several applications as the lifecycle and the clock read them, in one query
    /// per thousand, decoded straight from SQL rows (no Fluent models): what lists, inboxes and the
    /// digest compute clocks from.
    public static func timelines(of ids: [UUID], on database: any Database) async throws -> [UUID: [ApplicationEvent]] {
        guard let sql = database as? any SQLDatabase else { return try await events(of: ids, on: database).mapValues { $0.map(\.event) } }
        struct Row: Decodable {
            var id: UUID
            var application_id: UUID
            var kind: String
            var occurred_on: String
            var days: Int?
            var decision: String?
            var certificate: String?
            var supersedes: UUID?
            var reason: String?
        }
        var timelines: [UUID: [ApplicationEvent]] = [:]
        for start in stride(from: 0, to: ids.count, by: 1_000) {
            let part = Array(ids[start..<min(start + 1_000, ids.count)])
            let rows = try await sql.select()
                .columns("id", "application_id", "kind", "occurred_on", "days", "decision", "certificate", "supersedes", "reason")
                .from(ApplicationEventModel.schema)
                .where("application_id", .in, SQLBind.group(part))
                .orderBy("application_id").orderBy("sequence")
                .all(decoding: Row.self)
            for row in rows {
                guard let kind = ApplicationEventKind(rawValue: row.kind), let on = CivilDate(row.occurred_on) else { continue }
                timelines[row.application_id, default: []].append(
                    ApplicationEvent(
                        id: row.id, kind, on: on, days: row.days, decision: row.decision.flatMap(ApprovalDecision.init(rawValue:)),
                        certificate: row.certificate, supersedes: row.supersedes, reason: row.reason))
            }
        }
        return timelines
    }

    /// Appends an event after checking it against the lifecycle and the review clock as of `today`
    /// (or the event's day, if later); stores the status it leads to; one audit row; and the event's
    /// live notice (sent with the transaction on PostgreSQL, see `LiveNotices`).
    @discardableResult
    public static func record(
        _ new: NewEvent, on application: ApplicationModel, version: ProcedureVersion, calendar: WorkCalendar, today: CivilDate,
        by actor: AuditActor, on database: any Database
    ) async throws -> (application: ApplicationModel, notice: LiveNotice) {
        let id = try application.requireID()
        let stored = try await events(of: [id], on: database)[id] ?? []
        if let superseded = new.event.supersedes {
            guard stored.contains(where: { $0.id == superseded }) else {
                throw Problem.invalid([.init("supersedes", "is not an event of this application", chinese: "不是本申报事项的事件")])
            }
            guard let reason = new.event.reason, !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw Problem.invalid([.init("reason", "a correction needs a reason", chinese: "更正须说明理由")])
            }
        }
        let timeline = stored.map(\.event) + [new.event]
        let policy = try await DigestStore.warningPolicy(on: database)
        let asOf = max(today, new.event.on)
        let state: ApplicationLifecycle.State
        let snapshot: ClockSnapshot
        do {
            (state, snapshot) = try ApplicationLifecycle.stored(
                timeline, version: version, asOf: asOf, calendar: calendar, amberFraction: policy.amberFraction)
        } catch {
            throw Problem.impossible(event: error.event, reason: error.reason)
        }
        let sequence = (stored.last?.sequence ?? 0) + 1
        let productName = try await ProductModel.find(application.$product.id, on: database)?.name ?? ""
        do {
            return try await database.transaction { db in
                let row = ApplicationEventModel()
                row.id = TimeOrderedID.make()
                row.$application.id = id
                row.sequence = sequence
                row.kind = new.event.kind
                row.occurredOn = new.event.on.description
                row.days = new.event.days
                row.decision = new.event.decision
                row.certificate = new.event.certificate
                row.supersedes = new.event.supersedes
                row.reason = new.event.reason
                row.note = new.note
                row.recordedBy = actor.name
                row.recordedAt = Date()
                try await row.create(on: db)
                let before = application.status
                application.status = state.status
                application.certificate = state.certificate
                application.apply(snapshot)
                try await application.update(on: db)
                try await Audit.record(
                    "application.event", entityType: "application", entityID: id.uuidString,
                    before: try Audit.json(["status": before.rawValue]),
                    after: try Audit.json([
                        "event": new.event.kind.rawValue, "on": new.event.on.description, "sequence": String(sequence),
                        "status": state.status.rawValue,
                    ]),
                    by: actor, on: db)
                let notice = try LiveNotice(event: row, of: application, productName: productName)
                try await LiveNotices.send(notice, on: db)
                return (application, notice)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw Problem.concurrentChange
        }
    }

    public struct ListFilter: Sendable, Equatable {
        public var district: String?
        public var park: String?
        public var productID: UUID?
        public var procedure: String?
        public var channel: ReviewChannel?
        public var status: ApplicationStatus?
        public var reviewer: String?
        public var responsibleOfficer: String?
        /// Open applications whose clock is at this level on `today`, from the stored snapshot.
        public var level: ReviewClock.Level?
        /// Past the deadline (open and red) or not (every application whose clock is not red).
        public var overdue: Bool?
        public var today: CivilDate?
        /// `remaining`: only running clocks, fewest remaining working days first (the earliest day
        /// on which each turns red), then by id.
        public var byRemaining = false

        public init(
            district: String? = nil, park: String? = nil, productID: UUID? = nil, procedure: String? = nil, channel: ReviewChannel? = nil,
            status: ApplicationStatus? = nil, reviewer: String? = nil, responsibleOfficer: String? = nil
        ) {
            self.district = district
            self.park = park
            self.productID = productID
            self.procedure = procedure
            self.channel = channel
            self.status = status
            self.reviewer = reviewer
            self.responsibleOfficer = responsibleOfficer
        }
    }

    /// Keeps the open applications whose clock is at `level` on `today`, from the stored snapshot: a
    /// running clock by its dates, a stopped one by the level it kept.
    static func openAt(_ level: ReviewClock.Level, today: String, _ query: QueryBuilder<ApplicationModel>) {
        query.filter(\.$isOpen == true)
        query.group(.or) { either in
            either.group(.and) { running in
                running.filter(\.$clockRunning == true)
                switch level {
                case .red: running.filter(\.$redFrom <= today)
                case .amber: running.filter(\.$amberFrom <= today).filter(\.$redFrom > today)
                case .green: running.filter(\.$amberFrom > today)
                }
            }
            either.group(.and) { $0.filter(\.$clockRunning == false).filter(\.$frozenLevel == level.rawValue) }
        }
    }

    /// A page of applications in the scope, by id, with their timelines: every filter in SQL, the
    /// clock's level too (from the snapshot dates), so a page is one query and one timeline load.
    public static func list(
        _ filter: ListFilter, scope: ScopeFilter, limit: Int, after: PageCursor? = nil, on database: any Database
    ) async throws -> (items: [(application: ApplicationModel, events: [ApplicationEvent])], next: PageCursor?) {
        let query = ApplicationModel.query(on: database).scoped(to: scope)
        if let value = filter.district { query.filter(\.$district == value) }
        if let value = filter.park { query.filter(\.$park == value) }
        if let value = filter.productID { query.filter(\.$product.$id == value) }
        if let value = filter.procedure { query.filter(\.$procedureCode == value) }
        if let value = filter.channel { query.filter(\.$channel == value) }
        if let value = filter.status { query.filter(\.$status == value) }
        if let value = filter.reviewer { query.filter(\.$reviewer == value) }
        if let value = filter.responsibleOfficer { query.filter(\.$responsibleOfficer == value) }
        let today = (filter.today ?? CivilDate(dayNumber: 0)).description
        if let level = filter.level { Self.openAt(level, today: today, query) }
        switch filter.overdue {
        case true?:
            Self.openAt(.red, today: today, query)
        case false?:
            // Not red, open or not: a running clock not yet red, or a stopped one that did not stop red.
            query.group(.or) { either in
                either.group(.and) { $0.filter(\.$clockRunning == true).filter(\.$redFrom > today) }
                either.group(.and) { stopped in
                    stopped.filter(\.$clockRunning == false)
                    stopped.group(.or) { $0.filter(\.$frozenLevel == nil).filter(\.$frozenLevel != ReviewClock.Level.red.rawValue) }
                }
            }
        case nil:
            break
        }
        let page: (rows: [ApplicationModel], more: Bool)
        if filter.byRemaining {
            query.filter(\.$isOpen == true).filter(\.$clockRunning == true)
            if let after, after.parts.count == 2, let id = UUID(uuidString: after.parts[1]) {
                let redFrom = after.parts[0]
                query.group(.or) { later in
                    later.filter(\.$redFrom > redFrom)
                    later.group(.and) { same in same.filter(\.$redFrom == redFrom).filter(\.$id > id) }
                }
            }
            page = try await query.sort(\.$redFrom).sort(\.$id).page(limit: limit)
        } else {
            if let after, let id = after.parts.first.flatMap(UUID.init(uuidString:)) { query.filter(\.$id > id) }
            page = try await query.sort(\.$id).page(limit: limit)
        }
        let timelines = try await timelines(of: page.rows.compactMap(\.id), on: database)
        let next =
            page.more
            ? page.rows.last.map { row in
                filter.byRemaining ? PageCursor([row.redFrom ?? "", row.id?.uuidString ?? ""]) : PageCursor(id: row.id ?? UUID())
            } : nil
        return (page.rows.map { ($0, timelines[$0.id ?? UUID()] ?? []) }, next)
    }
}
