import FluentKit
import Foundation
import SQLKit
import TongdaoCore

/// Applications and their timelines: the rows of an application accepted and of each event of its
/// review, appended inside a use case's transaction (which checks the lifecycle, the clock, the
/// caller's permission and scope first), and the lists.
public enum ApplicationStore {
    /// What an application row records when it is accepted.
    public struct Acceptance: Sendable, Equatable {
        public var procedure: String
        public var version: String
        public var authority: ApplicationAuthority
        public var applicationNumber: String
        public var channel: ReviewChannel
        public var reviewer: String?
        public var responsibleOfficer: String?
        public var acceptedOn: CivilDate

        public init(
            procedure: String, version: String, authority: ApplicationAuthority, applicationNumber: String, channel: ReviewChannel,
            reviewer: String?, responsibleOfficer: String?, acceptedOn: CivilDate
        ) {
            self.procedure = procedure
            self.version = version
            self.authority = authority
            self.applicationNumber = applicationNumber
            self.channel = channel
            self.reviewer = reviewer
            self.responsibleOfficer = responsibleOfficer
            self.acceptedOn = acceptedOn
        }
    }

    /// Whether an application has this number already.
    public static func isNumberTaken(_ number: String, on database: any Database) async throws -> Bool {
        try await ApplicationModel.query(on: database).filter(\.$applicationNumber == number).count() > 0
    }

    /// Inserts an accepted application where its product is, with its `accepted` event.
    public static func insert(
        _ acceptance: Acceptance, of product: ProductModel, snapshot: ClockSnapshot, recordedBy: String, now: Date, on database: any Database
    ) async throws -> (application: ApplicationModel, event: ApplicationEventModel) {
        let model = ApplicationModel()
        model.id = TimeOrderedID.make(now: now)
        model.$product.id = try product.requireID()
        model.$enterprise.id = product.$enterprise.id
        model.uscc = product.uscc
        model.district = product.district
        model.park = product.park
        model.procedureCode = acceptance.procedure
        model.procedureVersion = acceptance.version
        model.authority = acceptance.authority
        model.applicationNumber = acceptance.applicationNumber
        model.channel = acceptance.channel
        model.reviewer = acceptance.reviewer
        model.responsibleOfficer = acceptance.responsibleOfficer
        model.acceptedOn = acceptance.acceptedOn.description
        model.status = .inReview
        model.apply(snapshot)
        try await model.create(on: database)
        let accepted = ApplicationEventModel()
        accepted.id = TimeOrderedID.make(now: now)
        accepted.$application.id = try model.requireID()
        accepted.sequence = 1
        accepted.kind = .accepted
        accepted.occurredOn = acceptance.acceptedOn.description
        accepted.recordedBy = recordedBy
        accepted.recordedAt = now
        try await accepted.create(on: database)
        return (model, accepted)
    }

    /// Appends a checked event as number `sequence` of the application's timeline, and stores the
    /// status, certificate and clock snapshot it leads to. Two events given the same number at once
    /// meet the unique key: the second write fails (a conflict, not a fault).
    public static func append(
        _ event: ApplicationEvent, note: String?, sequence: Int, to application: ApplicationModel, state: ApplicationLifecycle.State,
        snapshot: ClockSnapshot, recordedBy: String, now: Date, on database: any Database
    ) async throws -> ApplicationEventModel {
        let row = ApplicationEventModel()
        row.id = TimeOrderedID.make(now: now)
        row.$application.id = try application.requireID()
        row.sequence = sequence
        row.kind = event.kind
        row.occurredOn = event.on.description
        row.days = event.days
        row.decision = event.decision
        row.certificate = event.certificate
        row.supersedes = event.supersedes
        row.reason = event.reason
        row.note = note
        row.recordedBy = recordedBy
        row.recordedAt = now
        try await row.create(on: database)
        application.status = state.status
        application.certificate = state.certificate
        application.apply(snapshot)
        try await application.update(on: database)
        return row
    }

    /// The open applications in the scope that `username` reviews or follows, by id.
    public static func openAssigned(to username: String, scope: ScopeFilter, on database: any Database) async throws -> [ApplicationModel] {
        try await ApplicationModel.query(on: database)
            .group(.or) { $0.filter(\.$reviewer == username).filter(\.$responsibleOfficer == username) }
            .filter(\.$isOpen == true).scoped(to: scope).sort(\.$id).all()
    }

    /// A product's applications in the scope, oldest first.
    public static func ofProduct(_ productID: UUID, scope: ScopeFilter, on database: any Database) async throws -> [ApplicationModel] {
        try await ApplicationModel.query(on: database).filter(\.$product.$id == productID).scoped(to: scope).sort(\.$id).all()
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

    public struct ListFilter: Sendable, Equatable {
        public var district: String?
        public var park: String?
        public var productID: UUID?
        public var procedure: String?
        public var channel: ReviewChannel?
        public var status: ApplicationStatus?
        /// Open (in review in any way: the dashboard's 在审事项) or decided and withdrawn.
        public var open: Bool?
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
        if let value = filter.open { query.filter(\.$isOpen == value) }
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
            // In the order of acceptance (受理先后), then of registration within a day.
            if let after, after.parts.count == 2, let id = UUID(uuidString: after.parts[1]) {
                let acceptedOn = after.parts[0]
                query.group(.or) { later in
                    later.filter(\.$acceptedOn > acceptedOn)
                    later.group(.and) { same in same.filter(\.$acceptedOn == acceptedOn).filter(\.$id > id) }
                }
            }
            page = try await query.sort(\.$acceptedOn).sort(\.$id).page(limit: limit)
        }
        let timelines = try await timelines(of: page.rows.compactMap(\.id), on: database)
        let next =
            page.more
            ? page.rows.last.map { row in
                PageCursor([filter.byRemaining ? row.redFrom ?? "" : row.acceptedOn, row.id?.uuidString ?? ""])
            } : nil
        return (page.rows.map { ($0, timelines[$0.id ?? UUID()] ?? []) }, next)
    }
}
