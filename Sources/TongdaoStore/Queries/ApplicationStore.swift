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
        try await keepClockEvents(of: snapshot, on: model.requireID(), on: database)
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
        row.site = event.site
        row.qmsOutcome = event.qmsOutcome?.rawValue
        row.note = note
        row.recordedBy = recordedBy
        row.recordedAt = now
        try await row.create(on: database)
        application.status = state.status
        application.certificate = state.certificate
        application.apply(snapshot)
        try await application.update(on: database)
        try await keepClockEvents(of: snapshot, on: application.requireID(), on: database)
        return row
    }

    /// Keeps the clock events of an application's snapshot on its row, in the write's transaction
    /// (beside the model's fields: `ApplicationModel.clockEventsColumn`).
    static func keepClockEvents(of snapshot: ClockSnapshot, on id: UUID, on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { throw BulkInsertError.notSQL }
        try await sql.update(ApplicationModel.schema).set(ApplicationModel.clockEventsColumn, to: ClockEvent.storedText(of: snapshot.clockEvents))
            .where("id", .equal, id).run()
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
        var timelines: [UUID: [ApplicationEvent]] = [:]
        for start in stride(from: 0, to: ids.count, by: 1_000) {
            let part = Array(ids[start..<min(start + 1_000, ids.count)])
            let rows = try await sql.select()
                .columns(
                    "id", "application_id", "kind", "occurred_on", "days", "decision", "certificate", "supersedes", "reason", "site", "qms_outcome"
                )
                .from(ApplicationEventModel.schema)
                .where("application_id", .in, SQLBind.group(part))
                .orderBy("application_id").orderBy("sequence")
                .rows()
            // The rows come by application: its id is read once for all of its events.
            var application: UUID?
            var events: [ApplicationEvent] = []
            for row in rows {
                guard let kind = ApplicationEventKind(rawValue: try row.text("kind")), let on = CivilDate(try row.text("occurred_on")) else {
                    continue
                }
                let id = try row.uuid("application_id")
                if id != application {
                    if let application { timelines[application] = events }
                    (application, events) = (id, [])
                }
                events.append(
                    ApplicationEvent(
                        id: try row.uuid("id"), kind, on: on, days: try row.optionalInt("days"),
                        decision: try row.optionalText("decision").flatMap(ApprovalDecision.init(rawValue:)),
                        certificate: try row.optionalText("certificate"), supersedes: try row.optionalUUID("supersedes"),
                        reason: try row.optionalText("reason"), site: try row.optionalText("site"),
                        qmsOutcome: try row.optionalText("qms_outcome").flatMap(QMSOutcome.init)))
            }
            if let application { timelines[application] = events }
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

    /// The open applications whose clock is at `level` on `today`, from the stored snapshot: a
    /// running clock by its dates, a stopped one by the level it kept.
    static func openAt(_ level: ReviewClock.Level, today: String) -> any SQLExpression {
        let running: [any SQLExpression] =
            switch level {
            case .red: [SQLBinaryExpression(SQLColumn("red_from"), .lessThanOrEqual, SQLBind(today))]
            case .amber:
                [
                    SQLBinaryExpression(SQLColumn("amber_from"), .lessThanOrEqual, SQLBind(today)),
                    SQLBinaryExpression(SQLColumn("red_from"), .greaterThan, SQLBind(today)),
                ]
            case .green: [SQLBinaryExpression(SQLColumn("amber_from"), .greaterThan, SQLBind(today))]
            }
        return all(
            equals("is_open", true),
            any(
                all([equals("clock_running", true)] + running),
                all(equals("clock_running", false), equals("frozen_level", level.rawValue))))
    }

    private static func equals(_ column: String, _ value: some Encodable & Sendable) -> any SQLExpression {
        SQLBinaryExpression(SQLColumn(column), .equal, SQLBind(value))
    }

    private static func all(_ parts: any SQLExpression...) -> any SQLExpression { all(parts) }

    private static func all(_ parts: [any SQLExpression]) -> any SQLExpression {
        SQLGroupExpression(SQLList(parts, separator: SQLRaw(" AND ")))
    }

    private static func any(_ parts: any SQLExpression...) -> any SQLExpression {
        SQLGroupExpression(SQLList(parts, separator: SQLRaw(" OR ")))
    }

    /// Rows after the cursor's (`column`, id), in that order.
    private static func after(_ column: String, _ value: String, id: UUID) -> any SQLExpression {
        any(
            SQLBinaryExpression(SQLColumn(column), .greaterThan, SQLBind(value)),
            all(equals(column, value), SQLBinaryExpression(SQLColumn("id"), .greaterThan, SQLBind(id))))
    }

    /// A page of applications in the scope, in order of acceptance (or of the day each turns red),
    /// with their timelines: every filter in SQL, the clock's level too (from the snapshot dates), so
    /// a page is one query and one timeline load, read straight from the rows (no Fluent models).
    public static func list(
        _ filter: ListFilter, scope: ScopeFilter, limit: Int, after cursor: PageCursor? = nil, on database: any Database
    ) async throws -> (items: [(application: ApplicationRow, clockEvents: [ClockEvent])], next: PageCursor?) {
        guard let sql = database as? any SQLDatabase else { throw BulkInsertError.notSQL }
        let query = sql.select().columns(ApplicationRow.columns.map { SQLColumn($0) }).from(ApplicationModel.schema).where(scope.sql)
        if let value = filter.district { query.where(equals("district_code", value)) }
        if let value = filter.park { query.where(equals("park_code", value)) }
        if let value = filter.productID { query.where(equals("product_id", value)) }
        if let value = filter.procedure { query.where(equals("procedure_code", value)) }
        if let value = filter.channel { query.where(equals("channel", value.rawValue)) }
        if let value = filter.status { query.where(equals("status", value.rawValue)) }
        if let value = filter.open { query.where(equals("is_open", value)) }
        if let value = filter.reviewer { query.where(equals("reviewer", value)) }
        if let value = filter.responsibleOfficer { query.where(equals("responsible_officer", value)) }
        let today = (filter.today ?? CivilDate(dayNumber: 0)).description
        if let level = filter.level { query.where(openAt(level, today: today)) }
        switch filter.overdue {
        case true?:
            query.where(openAt(.red, today: today))
        case false?:
            // Not red, open or not: a running clock not yet red, or a stopped one that did not stop red.
            query.where(
                any(
                    all(equals("clock_running", true), SQLBinaryExpression(SQLColumn("red_from"), .greaterThan, SQLBind(today))),
                    all(
                        equals("clock_running", false),
                        any(
                            SQLBinaryExpression(SQLColumn("frozen_level"), .is, SQLLiteral.null),
                            SQLBinaryExpression(SQLColumn("frozen_level"), .notEqual, SQLBind(ReviewClock.Level.red.rawValue))))))
        case nil:
            break
        }
        // In the order of acceptance (受理先后), then of registration within a day; or by the day
        // each running clock turns red.
        let order = filter.byRemaining ? "red_from" : "accepted_on"
        if filter.byRemaining { query.where(equals("is_open", true)).where(equals("clock_running", true)) }
        if let cursor, cursor.parts.count == 2, let id = UUID(uuidString: cursor.parts[1]) {
            query.where(after(order, cursor.parts[0], id: id))
        }
        let rows = try await query.orderBy(order).orderBy("id").limit(limit + 1).rows()
        let applications = try rows.prefix(limit).map(ApplicationRow.init)
        // Each row keeps the events its clock counts; the timeline of a row that does not (one no
        // write has touched since migration 031) is read instead.
        let kept = applications.map { $0.clockEvents.flatMap(ClockEvent.events(storedText:)) }
        let missing = zip(applications, kept).filter { $1 == nil }.map(\.0.id)
        let timelines = missing.isEmpty ? [:] : try await timelines(of: missing, on: database)
        let next =
            rows.count > limit
            ? applications.last.map { row in PageCursor([filter.byRemaining ? row.redFrom ?? "" : row.acceptedOn, row.id.uuidString]) } : nil
        return (zip(applications, kept).map { row, kept in (row, kept ?? ApplicationLifecycle.clockEvents(ofStored: timelines[row.id] ?? [])) }, next)
    }
}

/// An application as lists read it: the columns a list shows and its clock needs.
public struct ApplicationRow: Sendable, Equatable {
    public var id: UUID
    public var productID: UUID
    public var enterpriseID: UUID
    public var uscc: String
    public var district: String
    public var park: String?
    public var procedureCode: String
    public var procedureVersion: String
    public var authority: ApplicationAuthority
    public var applicationNumber: String
    public var channel: ReviewChannel
    public var reviewer: String?
    public var responsibleOfficer: String?
    public var acceptedOn: String
    public var status: ApplicationStatus
    public var certificate: String?
    /// The day the running clock turns red (the snapshot's).
    public var redFrom: String?
    /// The events the clock counts, as the row keeps them (`ClockEvent.storedText(of:)`); nil when
    /// it does not (a model read through Fluent, a row no write has touched since they are kept).
    public var clockEvents: String?

    static let columns = [
        "id", "product_id", "enterprise_id", "uscc", "district_code", "park_code", "procedure_code", "procedure_version", "authority",
        "application_number", "channel", "reviewer", "responsible_officer", "accepted_on", "status", "certificate", "red_from",
        ApplicationModel.clockEventsColumn,
    ]
}

extension ApplicationRow {
    init(_ row: RowReader) throws {
        id = try row.uuid("id")
        productID = try row.uuid("product_id")
        enterpriseID = try row.uuid("enterprise_id")
        uscc = try row.text("uscc")
        district = try row.text("district_code")
        park = try row.optionalText("park_code")
        procedureCode = try row.text("procedure_code")
        procedureVersion = try row.text("procedure_version")
        authority = try row.value("authority", as: ApplicationAuthority.self)
        applicationNumber = try row.text("application_number")
        channel = try row.value("channel", as: ReviewChannel.self)
        reviewer = try row.optionalText("reviewer")
        responsibleOfficer = try row.optionalText("responsible_officer")
        acceptedOn = try row.text("accepted_on")
        status = try row.value("status", as: ApplicationStatus.self)
        certificate = try row.optionalText("certificate")
        redFrom = try row.optionalText("red_from")
        clockEvents = try row.optionalText(ApplicationModel.clockEventsColumn)
    }
}

extension ApplicationModel {
    /// The same values as a list reads them.
    public var row: ApplicationRow {
        get throws {
            ApplicationRow(
                id: try requireID(), productID: $product.id, enterpriseID: $enterprise.id, uscc: uscc, district: district, park: park,
                procedureCode: procedureCode, procedureVersion: procedureVersion, authority: authority, applicationNumber: applicationNumber,
                channel: channel, reviewer: reviewer, responsibleOfficer: responsibleOfficer, acceptedOn: acceptedOn, status: status,
                certificate: certificate, redFrom: redFrom, clockEvents: nil)
        }
    }
}
