import FluentKit
import SQLKit

/// 044: the monthly counts signal detection reads (issue 19, speed). Counting a three-year window
/// of 5,000,000 reports row by row took the databases half a minute; a window is now read from
/// these counts for its whole months and from the rows only for the days at its two ends.
///
/// * `adverse_event_pair_months`: reports of a product naming a term, by the month they were
///   reported (`YYYY-MM`), keyed product, term, month, so the pairs of a window are summed in the
///   key's order without sorting.
/// * `adverse_event_product_months`: reports of a product by month.
/// * an index of the reports by day and product (in place of 039's by day), so the end days'
///   reports are counted from it.
///
/// Both are kept in the transaction that writes a report (`AdverseEventStore.insert`, `insertMany`)
/// and filled here from the reports already written. Reports never change product, day or terms
/// once written, and are never deleted. A window is read from the key alone: on SQLite the tables
/// are `WITHOUT ROWID` (the key is the table), on PostgreSQL the key includes the count (an
/// index-only scan, where reading each count from the table took most of the time).
struct AddSignalRollups: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        // The key holds the count: SQLite's table is its key, PostgreSQL's key includes the column.
        let sqlite = sql.dialect.name == "sqlite"
        let (including, clustered) = sqlite ? ("", " WITHOUT ROWID") : (" INCLUDE (reports)", "")
        try await sql.raw(
            """
            CREATE TABLE adverse_event_pair_months (product_id UUID NOT NULL, term_code TEXT NOT NULL, month TEXT NOT NULL,
              reports BIGINT NOT NULL, PRIMARY KEY (product_id, term_code, month)\(unsafeRaw: including))\(unsafeRaw: clustered)
            """
        ).run()
        try await sql.raw(
            """
            CREATE TABLE adverse_event_product_months (product_id UUID NOT NULL, month TEXT NOT NULL, reports BIGINT NOT NULL,
              PRIMARY KEY (product_id, month)\(unsafeRaw: including))\(unsafeRaw: clustered)
            """
        ).run()
        // The end days' reports by product, read from the index alone (the report rows are wide).
        // (It serves every read by day the index of migration 039 served, which it replaces.)
        try await sql.create(index: "adverse_event_reports_reported_product").on("adverse_event_reports").column("reported_on").column("product_id")
            .run()
        try await sql.drop(index: "adverse_event_reports_reported").run()
        try await sql.raw(
            """
            INSERT INTO adverse_event_pair_months (product_id, term_code, month, reports)
            SELECT product_id, term_code, SUBSTR(reported_on, 1, 7), COUNT(*) FROM adverse_event_report_terms
            GROUP BY product_id, term_code, SUBSTR(reported_on, 1, 7)
            """
        ).run()
        try await sql.raw(
            """
            INSERT INTO adverse_event_product_months (product_id, month, reports)
            SELECT product_id, SUBSTR(reported_on, 1, 7), COUNT(*) FROM adverse_event_reports GROUP BY product_id, SUBSTR(reported_on, 1, 7)
            """
        ).run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "adverse_event_reports_reported").on("adverse_event_reports").column("reported_on").run()
        try await sql.drop(index: "adverse_event_reports_reported_product").run()
        try await sql.drop(table: "adverse_event_product_months").run()
        try await sql.drop(table: "adverse_event_pair_months").run()
    }
}
