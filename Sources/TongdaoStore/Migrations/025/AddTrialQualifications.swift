import FluentKit
import FluentSQL
import SQLKit

/// 025: what the qualification rules read of a trial — a device trial's class, whether the product
/// is innovative, whether the trial needs approval (rather than filing) — and an exemption an
/// officer records on a site whose PI or institution the rules would refuse (its reason and who).
struct AddTrialQualifications: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("trials").field("innovative", .bool, .required, .sql(.default(false))).update()
        try await database.schema("trials").field("needs_approval", .bool, .required, .sql(.default(false))).update()
        try await database.schema("trials").field("device_class", .string).update()
        try await database.schema("trial_sites").field("exemption", .string).update()
        try await database.schema("trial_sites").field("exempted_by", .string).update()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for (table, column) in [
            ("trial_sites", "exempted_by"), ("trial_sites", "exemption"), ("trials", "device_class"), ("trials", "needs_approval"),
            ("trials", "innovative"),
        ] {
            try await sql.raw("ALTER TABLE \(ident: table) DROP COLUMN \(ident: column)").run()
        }
    }
}
