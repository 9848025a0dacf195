import FluentKit
import SQLKit

/// 051: the policy handbook (政策手册, issue 20 item 7).
///
/// * `policies`: a policy — level (national, city, district) and, for a district's, the district;
///   title, document number, issuing body; the body responsible for it and a contact with a
///   telephone; its points (what it offers and how to apply); its topics and the product types it
///   covers (codes joined by commas; none: every type); the day it takes effect and, if any, its
///   last day; when and why it was repealed; a link to the original text. Versioned.
/// * `policy_keys`: the search keys of each policy (`PolicyKeys`: pairs of Chinese characters and
///   Latin words of its text, one key per topic and per product type), one row a key and policy;
///   the key is the table (SQLite `WITHOUT ROWID`), so a search and a filter by topic or type read
///   the policies of a key from the key alone. Kept in the transaction that writes the policy.
struct CreatePolicies: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("policies")
            .id()
            .field("level", .string, .required)
            .field("district_code", .string)
            .field("title", .string, .required)
            .field("document_number", .string)
            .field("issuer", .string, .required)
            .field("responsible_body", .string, .required)
            .field("contact", .string, .required)
            .field("phone", .string, .required)
            .field("summary", .string, .required)
            .field("topics", .string, .required)
            .field("categories", .string, .required)
            .field("effective_on", .string, .required)
            .field("expires_on", .string)
            .field("repealed_on", .string)
            .field("repeal_reason", .string)
            .field("source_url", .string)
            .field("author", .string, .required)
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        let clustered = sql.dialect.name == "sqlite" ? " WITHOUT ROWID" : ""
        try await sql.raw(
            """
            CREATE TABLE policy_keys (key TEXT NOT NULL, policy_id UUID NOT NULL, PRIMARY KEY (key, policy_id))\(unsafeRaw: clustered)
            """
        ).run()
        try await sql.create(index: "policy_keys_policy").on("policy_keys").column("policy_id").run()
        try await sql.create(index: "policies_level").on("policies").column("level").column("district_code").column("effective_on").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(table: "policy_keys").run()
        try await database.schema("policies").delete()
    }
}
