import FluentKit
import Foundation
import SQLKit
import TongdaoCore

/// Reads and writes of consultations, each in the caller's scope (the enterprise's, as its products are).
public enum ConsultationStore {
    public static func topics(activeOnly: Bool = true, on database: any Database) async throws -> [ServiceTopicModel] {
        let query = ServiceTopicModel.query(on: database)
        if activeOnly { query.filter(\.$active == true) }
        return try await query.sort(\.$sortOrder).all()
    }

    public static func find(id: UUID, scope: ScopeFilter, on database: any Database) async throws -> ConsultationModel? {
        try await ConsultationModel.query(on: database).filter(\.$id == id).scoped(to: scope).first()
    }

    /// Whose queue a list reads.
    public enum Desk: Sendable, Equatable {
        /// Every consultation in scope.
        case all
        /// A station's (by code).
        case station(String)
        /// The regulator's: those no station answers.
        case regulator
    }

    /// What a list of consultations is narrowed to.
    public struct Filter: Sendable, Equatable {
        public var desk: Desk
        public var status: ConsultationStatus
        public var topic: String?
        /// Only those of one kind (questions, classification questions).
        public var kind: ConsultationKind?
        /// Only those whose running clock is at least this level (amber: amber or red), as of `today`.
        public var level: ReviewClock.Level?
        /// Only those escalated by `today`.
        public var escalated: Bool
        public var today: CivilDate

        public init(
            desk: Desk = .all, status: ConsultationStatus = .open, topic: String? = nil, level: ReviewClock.Level? = nil, escalated: Bool = false,
            kind: ConsultationKind? = nil, today: CivilDate
        ) {
            self.kind = kind
            self.desk = desk
            self.status = status
            self.topic = topic
            self.level = level
            self.escalated = escalated
            self.today = today
        }
    }

    /// A page of consultations in scope: open ones by deadline (the least time left first), those
    /// waiting on the enterprise or for its rating oldest first, closed and withdrawn ones newest
    /// first; after the cursor of the page before.
    public static func list(_ filter: Filter, scope: ScopeFilter, limit: Int, after cursor: PageCursor?, on database: any Database) async throws -> (
        rows: [ConsultationModel], next: PageCursor?
    ) {
        let query = ConsultationModel.query(on: database).scoped(to: scope).filter(\.$status == filter.status.rawValue)
        switch filter.desk {
        case .all: break
        case .station(let code): query.filter(\.$station == code)
        case .regulator: query.filter(\.$station == nil)
        }
        if let topic = filter.topic { query.filter(\.$topic == topic) }
        if let kind = filter.kind { query.filter(\.$kind == kind.rawValue) }
        let today = filter.today.description
        switch filter.level {
        case .red?: query.filter(\.$redOn <= today)
        case .amber?: query.filter(\.$amberOn <= today)
        case .green?: query.filter(\.$amberOn > today)
        case nil: break
        }
        if filter.escalated { query.filter(\.$escalateOn <= today) }
        switch filter.status {
        case .open:
            if let cursor, cursor.parts.count == 2, let id = UUID(uuidString: cursor.parts[1]) {
                let due = cursor.parts[0]
                query.group(.or) { later in
                    later.filter(\.$dueOn > due)
                    later.group(.and) { $0.filter(\.$dueOn == due).filter(\.$id > id) }
                }
            }
            let page = try await query.sort(\.$dueOn).sort(\.$id).page(limit: limit)
            return (page.rows, page.more ? page.rows.last.map { PageCursor([$0.dueOn ?? "", $0.id?.uuidString ?? ""]) } : nil)
        case .awaitingEnterprise, .answered:
            if let cursor, let id = UUID(uuidString: cursor.parts[cursor.parts.count - 1]) { query.filter(\.$id > id) }
            let page = try await query.sort(\.$id).page(limit: limit)
            return (page.rows, page.more ? page.rows.last?.id.map { PageCursor(["", $0.uuidString]) } : nil)
        case .closed, .withdrawn:
            if let cursor, let id = UUID(uuidString: cursor.parts[cursor.parts.count - 1]) { query.filter(\.$id < id) }
            let page = try await query.sort(\.$id, .descending).page(limit: limit)
            return (page.rows, page.more ? page.rows.last?.id.map { PageCursor(["", $0.uuidString]) } : nil)
        }
    }

    /// How many consultations of each status a desk holds in scope, and how many open ones are
    /// amber, red and escalated today.
    public struct Counts: Sendable, Equatable {
        public var byStatus: [ConsultationStatus: Int]
        public var amber: Int
        public var red: Int
        public var escalated: Int
    }

    public static func counts(desk: Desk, scope: ScopeFilter, today: CivilDate, on database: any Database) async throws -> Counts {
        func base() -> QueryBuilder<ConsultationModel> {
            let query = ConsultationModel.query(on: database).scoped(to: scope)
            switch desk {
            case .all: break
            case .station(let code): query.filter(\.$station == code)
            case .regulator: query.filter(\.$station == nil)
            }
            return query
        }
        var byStatus: [ConsultationStatus: Int] = [:]
        for status in ConsultationStatus.allCases {
            byStatus[status] = try await base().filter(\.$status == status.rawValue).count()
        }
        let day = today.description
        let open = ConsultationStatus.open.rawValue
        return Counts(
            byStatus: byStatus,
            amber: try await base().filter(\.$status == open).filter(\.$amberOn <= day).filter(\.$redOn > day).count(),
            red: try await base().filter(\.$status == open).filter(\.$redOn <= day).count(),
            escalated: try await base().filter(\.$status == open).filter(\.$escalateOn <= day).count())
    }

    /// A consultation's history, oldest first.
    public static func messages(of consultation: UUID, on database: any Database) async throws -> [ConsultationMessageModel] {
        try await ConsultationMessageModel.query(on: database).filter(\.$consultationID == consultation).sort(\.$occurredAt).sort(\.$id).all()
    }

    /// Adds a step to a consultation's history.
    public static func addMessage(
        _ kind: ConsultationEventKind, to consultation: UUID, body: String, on day: CivilDate, by actor: String, at instant: Date,
        station: String? = nil, rating: Int? = nil, on database: any Database
    ) async throws {
        let row = ConsultationMessageModel()
        row.id = TimeOrderedID.make(now: instant)
        row.consultationID = consultation
        row.kind = kind.rawValue
        row.onDay = day.description
        row.occurredAt = instant
        row.actor = actor
        row.body = body
        row.station = station
        row.rating = rating
        try await row.create(on: database)
    }

    /// Keeps a consultation's clock: its events, status, the days of its first response and answer
    /// and the snapshot a queue orders and filters by.
    public static func keep(_ reading: ServiceClock.Reading, events: [ServiceClock.Event], calendar: WorkCalendar, on model: ConsultationModel) {
        model.clockEvents = ServiceClock.Event.storedText(of: events)
        model.status = reading.status.rawValue
        model.firstResponseOn = reading.firstResponse.metOn?.description
        model.answeredOn = reading.resolution.metOn?.description
        let snapshot = ServiceClock.snapshot(of: reading, targets: model.targets, calendar: calendar)
        model.dueOn = snapshot?.dueOn.description
        model.amberOn = snapshot?.amberOn.description
        model.redOn = snapshot?.redOn.description
        model.escalateOn = snapshot?.escalateOn.description
    }

    /// A new consultation's id, made from its moment.
    public static func newID(now: Date) -> UUID { TimeOrderedID.make(now: now) }
}
