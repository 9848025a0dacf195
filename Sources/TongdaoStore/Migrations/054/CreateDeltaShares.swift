import FluentKit
import SQLKit

/// 054: what Shanghai shares with a partner province (issue 21).
///
/// * `delta_commitments`: a confidentiality commitment (保密承诺) with a partner province's regulator —
///   the province, the day signed and the last day in force (none: until revoked), its reference;
///   who recorded it.
/// * `delta_shares`: a closed inspection's result shared with a partner province — the fields shared
///   (`,conclusion,findings,evidence,`), a note, who shared it and when; who withdrew it, when and
///   why (a withdrawn share is no longer the partner's to read). Versioned.
struct CreateDeltaShares: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("delta_commitments")
            .id()
            .field("province", .string, .required)
            .field("signed_on", .string, .required)
            .field("ends_on", .string)
            .field("reference", .string, .required)
            .field("recorded_by", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await database.schema("delta_shares")
            .id()
            .field("inspection_id", .uuid, .required, .references("inspections", "id"))
            .field("province", .string, .required)
            .field("fields", .string, .required)
            .field("note", .string)
            .field("shared_on", .string, .required)
            .field("shared_by", .string, .required)
            .field("withdrawn_on", .string)
            .field("withdrawn_by", .string)
            .field("withdraw_reason", .string)
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "delta_shares_province").on("delta_shares").column("province").column("withdrawn_on").run()
        try await sql.create(index: "delta_shares_inspection").on("delta_shares").column("inspection_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("delta_shares").delete()
        try await database.schema("delta_commitments").delete()
    }
}
