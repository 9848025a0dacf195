import FluentKit
import SQLKit

/// 049: the FAQ and case library (常见问题 / 案例, issue 20 item 4).
///
/// * `library_entries`: an entry — kind (faq, case), status (draft, published, withdrawn), title,
///   question (a case's background) and answer (a case's handling and lesson), topic (a
///   `service_topics` code) and product category; the answered consultation it was drawn from, if
///   any; the desk that wrote it (a station's code; null: the regulator), its author and reviewer
///   (usernames) and their days; how many times it was read. Versioned.
/// * `library_grams`: the search keys of each published entry (`SearchGrams`: pairs of Chinese
///   characters, Latin words), one row a key and entry; the key is the table (SQLite `WITHOUT ROWID`),
///   so a search reads the entries of a key from the key alone.
/// * `library_gram_counts`: how many published entries hold each key, so a search weighs rare keys
///   above common ones and reads the rare ones first. Both kept in the transaction that publishes or
///   takes down an entry.
struct CreateLibrary: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("library_entries")
            .id()
            .field("kind", .string, .required)
            .field("status", .string, .required)
            .field("title", .string, .required)
            .field("question", .string, .required)
            .field("answer", .string, .required)
            .field("topic", .string, .required)
            .field("product_category", .string)
            .field("consultation_id", .uuid, .references("consultations", "id"))
            .field("station_code", .string)
            .field("author", .string, .required)
            .field("drafted_on", .string, .required)
            .field("reviewer", .string)
            .field("review_note", .string)
            .field("published_on", .string)
            .field("withdrawn_on", .string)
            .field("views", .int, .required)
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        let clustered = sql.dialect.name == "sqlite" ? " WITHOUT ROWID" : ""
        try await sql.raw(
            """
            CREATE TABLE library_grams (gram TEXT NOT NULL, entry_id UUID NOT NULL, PRIMARY KEY (gram, entry_id))\(unsafeRaw: clustered)
            """
        ).run()
        try await sql.raw(
            """
            CREATE TABLE library_gram_counts (gram TEXT NOT NULL PRIMARY KEY, entries BIGINT NOT NULL)\(unsafeRaw: clustered)
            """
        ).run()
        try await sql.create(index: "library_entries_browse").on("library_entries").column("status").column("kind").column("published_on").run()
        try await sql.create(index: "library_entries_desk").on("library_entries").column("station_code").column("status").run()
        try await sql.create(index: "library_entries_consultation").on("library_entries").column("consultation_id").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(table: "library_gram_counts").run()
        try await sql.drop(table: "library_grams").run()
        try await database.schema("library_entries").delete()
    }
}
