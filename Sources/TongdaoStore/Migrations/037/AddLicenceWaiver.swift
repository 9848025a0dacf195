import FluentKit
import SQLKit

/// 037: the licence-inspection waiver (issue 18 item 2). A registration QMS inspection's completion
/// on an application's timeline records the production address inspected and what was found
/// (`site`, `qms_outcome`); a licence inspection records the address applied for, whether its
/// product is centrally procured, and — when waived — the registration inspection it rests on
/// (`waiver_basis`, in Chinese, kept as it was when decided).
struct AddLicenceWaiver: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column a statement: SQLite alters a table one column at a time.
        for key in ["site", "qms_outcome"] {
            try await database.schema("application_events").field(.string(key), .string).update()
        }
        try await database.schema("inspections").field("address", .string).update()
        try await database.schema("inspections").field("centrally_procured", .bool).update()
        try await database.schema("inspections").field("waiver_basis", .string).update()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for column in ["site", "qms_outcome"] { try await sql.alter(table: "application_events").dropColumn(column).run() }
        for column in ["address", "centrally_procured", "waiver_basis"] { try await sql.alter(table: "inspections").dropColumn(column).run() }
    }
}
