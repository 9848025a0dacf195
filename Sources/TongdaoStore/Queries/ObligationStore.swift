import FluentKit
import Foundation
import SQLKit
import TongdaoCore

/// Reads and writes of conditional-approval obligations, each in the caller's scope (the
/// registrant's, as its product is).
public enum ObligationStore {
    public static func find(id: UUID, scope: ScopeFilter, on database: any Database) async throws -> ObligationModel? {
        try await ObligationModel.query(on: database).filter(\.$id == id).scoped(to: scope).first()
    }

    /// What a list of obligations is narrowed to.
    public struct Filter: Sendable, Equatable {
        public var product: UUID?
        public var status: ObligationStatus?
        /// Only those followed by this officer.
        public var officer: String?

        public init(product: UUID? = nil, status: ObligationStatus? = nil, officer: String? = nil) {
            self.product = product
            self.status = status
            self.officer = officer
        }
    }

    /// Obligations in scope by due date (at most `limit`).
    public static func list(_ filter: Filter, scope: ScopeFilter, limit: Int = 2_000, on database: any Database) async throws -> [ObligationModel] {
        let query = ObligationModel.query(on: database).scoped(to: scope)
        if let product = filter.product { query.filter(\.$productID == product) }
        if let status = filter.status { query.filter(\.$status == status.rawValue) }
        if let officer = filter.officer { query.filter(\.$officer == officer) }
        return try await query.sort(\.$dueOn).sort(\.$id).limit(limit).all()
    }

    /// Those not fulfilled whose due date is before `day`, in scope (the candidates for red).
    public static func pastDue(before day: CivilDate, scope: ScopeFilter, on database: any Database) async throws -> [ObligationModel] {
        try await ObligationModel.query(on: database).scoped(to: scope).filter(\.$status != ObligationStatus.fulfilled.rawValue)
            .filter(\.$dueOn < day.description).all()
    }

    /// A registrant's obligations (for its credit file).
    public static func of(enterprise: UUID, on database: any Database) async throws -> [ObligationModel] {
        try await ObligationModel.query(on: database).filter(\.$enterpriseID == enterprise).sort(\.$dueOn).all()
    }

    /// An obligation's history, oldest first.
    public static func events(of obligation: UUID, on database: any Database) async throws -> [ObligationEventModel] {
        try await ObligationEventModel.query(on: database).filter(\.$obligationID == obligation).sort(\.$occurredAt).sort(\.$id).all()
    }

    /// Adds an event to an obligation's history.
    public static func addEvent(
        _ kind: String, to obligation: UUID, detail: String, by actor: String, at instant: Date, on database: any Database
    ) async throws {
        let row = ObligationEventModel()
        row.id = TimeOrderedID.make(now: instant)
        row.obligationID = obligation
        row.kind = kind
        row.occurredAt = instant
        row.actor = actor
        row.detail = detail
        try await row.create(on: database)
    }

    /// A new obligation's id, made from its moment.
    public static func newID(now: Date) -> UUID { TimeOrderedID.make(now: now) }
}
