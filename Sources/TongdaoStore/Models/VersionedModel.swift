import FluentKit
import Foundation
import SQLKit

/// A row a person edits: its `version` is 1 when it is made and one more with every change.
public protocol VersionedModel: Model where IDValue == UUID {
    var version: Int { get set }
}

/// Another write changed the row since it was read, so writing it now would undo that change. A
/// competing writer like any other (`TransientFailure`): the write starts again, reads the row anew
/// and decides again (a use case whose caller named the version it read then answers `stale`).
public struct RecordChanged: Error, Sendable, CustomStringConvertible {
    public let table: String
    public let id: UUID

    public var description: String { "the \(table) row \(id) changed since it was read" }
}

extension VersionedModel {
    /// Holds the row for the rest of the write, as its first statement: a write that will change
    /// the row whatever another write makes of it meanwhile (a declaration sets a product's stage)
    /// then waits for that other write and reads what it left, instead of reading first and
    /// finding at the end that it lost the race (on SQLite a write lock taken after a read of an
    /// older snapshot is refused outright). Holds nothing when there is no such row.
    public static func hold(id: UUID, on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.update(schema).set(SQLIdentifier("version"), to: SQLIdentifier("version")).where(SQLIdentifier("id"), .equal, SQLBind(id))
            .run()
    }

    /// Writes the fields changed since the row was read as its next version, if it still has the
    /// version it was read at; otherwise throws `RecordChanged` and writes nothing. The version is
    /// moved first, in one statement, which on PostgreSQL also holds the row until the commit: of
    /// two writers that read the same version exactly one moves it. `always` moves it even when no
    /// field of the row changed (the record's rows in other tables did).
    public func updateVersioned(on database: any Database, always: Bool = false) async throws {
        guard hasChanges || always else { return }
        let read = version
        let id = try requireID()
        guard let sql = database as? any SQLDatabase else { throw RecordChanged(table: Self.schema, id: id) }
        let claimed = try await sql.update(Self.schema)
            .set(SQLIdentifier("version"), to: SQLBinaryExpression(SQLIdentifier("version"), .add, SQLLiteral.numeric("1")))
            .where(SQLIdentifier("id"), .equal, SQLBind(id))
            .where(SQLIdentifier("version"), .equal, SQLBind(read))
            .returning(SQLIdentifier("id"))
            .first()
        guard claimed != nil else { throw RecordChanged(table: Self.schema, id: id) }
        version = read + 1
        try await update(on: database)
    }
}
