import FluentKit
import Foundation
import SQLKit
import TongdaoCore

/// Reads and writes of appointment slots and bookings. A slot is public to the signed-in; a
/// booking is in the caller's scope (the enterprise's).
public enum AppointmentStore {
    public static func slot(id: UUID, on database: any Database) async throws -> AppointmentSlotModel? {
        try await AppointmentSlotModel.find(id, on: database)
    }

    /// Slots from `day` on (of one desk, if named), by day and time.
    public static func slots(from day: CivilDate, through last: CivilDate? = nil, desk: String?, limit: Int = 500, on database: any Database)
        async throws -> [AppointmentSlotModel]
    {
        let query = AppointmentSlotModel.query(on: database).filter(\.$day >= day.description)
        if let last { query.filter(\.$day <= last.description) }
        if let desk { query.filter(\.$desk == desk) }
        return try await query.sort(\.$day).sort(\.$startsAt).sort(\.$desk).limit(limit).all()
    }

    /// Whether a desk has a slot starting then on that day already.
    public static func slotExists(desk: String, day: CivilDate, startsAt: String, on database: any Database) async throws -> Bool {
        try await AppointmentSlotModel.query(on: database).filter(\.$desk == desk).filter(\.$day == day.description).filter(\.$startsAt == startsAt)
            .first() != nil
    }

    /// Takes a seat of a slot if one is free, in one statement: of any number of bookings at once,
    /// only as many as there are free seats find one (the others change nothing and answer false).
    public static func takeSeat(of slot: UUID, on database: any Database) async throws -> Bool {
        guard let sql = database as? any SQLDatabase else { return false }
        let taken = try await sql.update(AppointmentSlotModel.schema)
            .set(SQLIdentifier("booked"), to: SQLBinaryExpression(SQLIdentifier("booked"), .add, SQLLiteral.numeric("1")))
            .where(SQLIdentifier("id"), .equal, SQLBind(slot))
            .where(SQLIdentifier("booked"), .lessThan, SQLIdentifier("seats"))
            .returning(SQLIdentifier("id"))
            .first()
        return taken != nil
    }

    /// Gives a seat back (a cancellation).
    public static func releaseSeat(of slot: UUID, on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.update(AppointmentSlotModel.schema)
            .set(SQLIdentifier("booked"), to: SQLBinaryExpression(SQLIdentifier("booked"), .subtract, SQLLiteral.numeric("1")))
            .where(SQLIdentifier("id"), .equal, SQLBind(slot))
            .where(SQLIdentifier("booked"), .greaterThan, SQLLiteral.numeric("0"))
            .run()
    }

    public static func find(id: UUID, scope: ScopeFilter, on database: any Database) async throws -> AppointmentModel? {
        try await AppointmentModel.query(on: database).filter(\.$id == id).scoped(to: scope).first()
    }

    /// An enterprise's live booking of a slot, if it has one.
    public static func booking(of enterprise: UUID, in slot: UUID, on database: any Database) async throws -> AppointmentModel? {
        try await AppointmentModel.query(on: database).filter(\.$slotID == slot).filter(\.$enterpriseID == enterprise)
            .filter(\.$status == AppointmentStatus.booked.rawValue).first()
    }

    /// Bookings in scope of the given slots (every status), oldest first.
    public static func bookings(ofSlots slots: [UUID], scope: ScopeFilter, on database: any Database) async throws -> [AppointmentModel] {
        guard !slots.isEmpty else { return [] }
        return try await AppointmentModel.query(on: database).filter(\.$slotID ~~ slots).scoped(to: scope).sort(\.$id).all()
    }

    /// Bookings in scope (the latest first), at most `limit`.
    public static func bookings(scope: ScopeFilter, status: AppointmentStatus? = nil, limit: Int = 500, on database: any Database) async throws
        -> [AppointmentModel]
    {
        let query = AppointmentModel.query(on: database).scoped(to: scope)
        if let status { query.filter(\.$status == status.rawValue) }
        return try await query.sort(\.$id, .descending).limit(limit).all()
    }

    /// A new slot's or booking's id, made from its moment.
    public static func newID(now: Date) -> UUID { TimeOrderedID.make(now: now) }
}
