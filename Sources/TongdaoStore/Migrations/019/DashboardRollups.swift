import FluentKit
import SQLKit

/// A table of counts kept by triggers in the transaction of every write to its source table, whatever
/// the path (a form, the API, a census import's bulk rows): the rows of `source` counted by `keys`
/// (in `n`), and the `sums` of some of their values.
///
/// SQLite has row triggers only: one upsert per row written. PostgreSQL's statement triggers see a
/// statement's rows as transition tables: one grouped upsert per statement, `COPY` included.
struct Rollup {
    var table: String
    var source: String
    /// Each key column, its type (`ID`: a row id, UUID on PostgreSQL and as Fluent stores it on
    /// SQLite) and the expression over a source row it holds (`$` stands for the row).
    var keys: [(column: String, type: String, expression: String)]
    /// The source columns whose change moves a row from one cell to another (SQLite's `UPDATE OF`).
    var watched: [String]
    /// Each summed column and the expression over a source row it adds up.
    var sums: [(column: String, expression: String)] = []

    private func expressions(_ row: String) -> String {
        keys.map { $0.expression.replacingOccurrences(of: "$", with: row) }.joined(separator: ", ")
    }

    /// The count and the sums of one row, for SQLite's row triggers (negated to remove it).
    private func values(_ row: String, negated: Bool) -> String {
        ([negated ? "-1" : "1"] + sums.map { (negated ? "-" : "") + "(" + $0.expression.replacingOccurrences(of: "$", with: row) + ")" })
            .joined(separator: ", ")
    }

    /// The count and the sums of a group of rows, for PostgreSQL's statement triggers and the first fill.
    private func aggregates(_ row: String, negated: Bool) -> String {
        let sign = negated ? "-" : ""
        return ([sign + "COUNT(*)"] + sums.map { sign + "SUM(" + $0.expression.replacingOccurrences(of: "$", with: row) + ")" }).joined(
            separator: ", ")
    }

    private var columns: String { keys.map(\.column).joined(separator: ", ") }
    private var counted: String { (["n"] + sums.map(\.column)).joined(separator: ", ") }

    func create(on sql: any SQLDatabase) async throws {
        let postgres = sql.dialect.name == "postgresql"
        let definitions = keys.map { key in
            "\(key.column) \(key.type == "ID" ? (postgres ? "UUID" : "BLOB") : key.type) NOT NULL"
        }.joined(separator: ", ")
        // SQLite: rows stored in key order (WITHOUT ROWID), so a read is one pass with no lookups.
        let totals = (["n INTEGER NOT NULL"] + sums.map { "\($0.column) BIGINT NOT NULL" }).joined(separator: ", ")
        try await sql.raw(
            """
            CREATE TABLE \(unsafeRaw: table) (\(unsafeRaw: definitions), \(unsafeRaw: totals), PRIMARY KEY (\(unsafeRaw: columns)))\(unsafeRaw: postgres ? "" : " WITHOUT ROWID")
            """
        ).run()
        let conflict =
            "ON CONFLICT (\(columns)) DO UPDATE SET "
            + (["n"] + sums.map(\.column)).map { "\($0) = \(table).\($0) + EXCLUDED.\($0)" }.joined(separator: ", ")
        if postgres {
            let grouped = (1...keys.count).map(String.init).joined(separator: ", ")
            func apply(_ rows: String, negated: Bool) -> String {
                "INSERT INTO \(table) (\(columns), \(counted)) SELECT \(expressions(rows)), \(aggregates(rows, negated: negated)) FROM \(rows) GROUP BY \(grouped) \(conflict);"
            }
            try await sql.raw(
                """
                CREATE FUNCTION \(unsafeRaw: table)_apply() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP IN ('UPDATE', 'DELETE') THEN \(unsafeRaw: apply("old_rows", negated: true)) END IF;
                    IF TG_OP IN ('UPDATE', 'INSERT') THEN \(unsafeRaw: apply("new_rows", negated: false)) END IF;
                    RETURN NULL;
                END $$
                """
            ).run()
            for (operation, transition) in [
                ("INSERT", "NEW TABLE AS new_rows"), ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"), ("DELETE", "OLD TABLE AS old_rows"),
            ] {
                try await sql.raw(
                    """
                    CREATE TRIGGER \(unsafeRaw: table)_\(unsafeRaw: operation.lowercased()) AFTER \(unsafeRaw: operation) ON \(unsafeRaw: source)
                    REFERENCING \(unsafeRaw: transition) FOR EACH STATEMENT EXECUTE FUNCTION \(unsafeRaw: table)_apply()
                    """
                ).run()
            }
        } else {
            let add = "INSERT INTO \(table) (\(columns), \(counted)) VALUES (\(expressions("NEW")), \(values("NEW", negated: false))) \(conflict);"
            let remove = "INSERT INTO \(table) (\(columns), \(counted)) VALUES (\(expressions("OLD")), \(values("OLD", negated: true))) \(conflict);"
            try await sql.raw("CREATE TRIGGER \(unsafeRaw: table)_insert AFTER INSERT ON \(unsafeRaw: source) BEGIN \(unsafeRaw: add) END").run()
            try await sql.raw(
                """
                CREATE TRIGGER \(unsafeRaw: table)_update AFTER UPDATE OF \(unsafeRaw: watched.joined(separator: ", ")) ON \(unsafeRaw: source)
                BEGIN \(unsafeRaw: remove) \(unsafeRaw: add) END
                """
            ).run()
            try await sql.raw("CREATE TRIGGER \(unsafeRaw: table)_delete AFTER DELETE ON \(unsafeRaw: source) BEGIN \(unsafeRaw: remove) END").run()
        }
        // The rows already there.
        let grouped = (1...keys.count).map(String.init).joined(separator: ", ")
        try await sql.raw(
            """
            INSERT INTO \(unsafeRaw: table) (\(unsafeRaw: columns), \(unsafeRaw: counted))
            SELECT \(unsafeRaw: expressions(source)), \(unsafeRaw: aggregates(source, negated: false)) FROM \(unsafeRaw: source) GROUP BY \(unsafeRaw: grouped)
            """
        ).run()
    }

    func drop(on sql: any SQLDatabase) async throws {
        let postgres = sql.dialect.name == "postgresql"
        for operation in ["insert", "update", "delete"] {
            try await sql.raw("DROP TRIGGER \(unsafeRaw: table)_\(unsafeRaw: operation)\(unsafeRaw: postgres ? " ON \(source)" : "")").run()
        }
        if postgres { try await sql.raw("DROP FUNCTION \(unsafeRaw: table)_apply()").run() }
        try await sql.raw("DROP TABLE \(unsafeRaw: table)").run()
    }
}

/// 019: rollups for the dashboard, so that it sums a few hundred or thousand rows instead of
/// scanning every product and declaration. Both are kept in the cells a scope is made of (district
/// and park; no park is ''):
/// * `product_rollup`: products by stage and key areas. `key_areas` is the stored list as it is
///   (",ai_device,surgical_robot,"): the combinations are few, and the reader splits them;
/// * `census_rollup`: declarations by year and enterprise, so the enterprises declaring are the
///   rows with a count, however many products each declared (an enterprise's rows all sit in its
///   own cell: `EnterpriseStore.update` moves them with it);
/// * `census_cells`: the rows of `census_rollup` counted by (year, cell, whether the enterprise
///   declared anything), with their declarations summed: enterprises declaring and declarations
///   per cell, however many enterprises (a rollup of a rollup; its triggers fire from the first's);
/// * `application_rollup`: applications by authority, channel, month accepted and whether open;
/// * `review_rollup`: completed technical reviews by procedure and month, their working days summed;
/// * `approval_rollup`: approvals by channel and month (the part of a month up to a day is read
///   from `applications` itself, through its index).
struct DashboardRollups: AsyncMigration {
    static let rollups = [
        Rollup(
            table: "product_rollup", source: "products",
            keys: [
                ("district_code", "TEXT", "$.district_code"), ("park_code", "TEXT", "COALESCE($.park_code, '')"),
                ("stage", "TEXT", "$.stage"), ("key_areas", "TEXT", "$.key_areas"),
            ],
            watched: ["district_code", "park_code", "stage", "key_areas"]),
        Rollup(
            table: "census_rollup", source: "census_intentions",
            keys: [
                ("year", "INTEGER", "$.year"), ("district_code", "TEXT", "$.district_code"), ("park_code", "TEXT", "COALESCE($.park_code, '')"),
                ("enterprise_id", "ID", "$.enterprise_id"),
            ],
            watched: ["year", "district_code", "park_code", "enterprise_id"]),
        Rollup(
            table: "census_cells", source: "census_rollup",
            keys: [
                ("year", "INTEGER", "$.year"), ("district_code", "TEXT", "$.district_code"), ("park_code", "TEXT", "$.park_code"),
                ("declaring", "BOOLEAN", "($.n > 0)"),
            ],
            watched: ["n"], sums: [("declarations", "$.n")]),
        Rollup(
            table: "application_rollup", source: "applications",
            keys: [
                ("district_code", "TEXT", "$.district_code"), ("park_code", "TEXT", "COALESCE($.park_code, '')"),
                ("authority", "TEXT", "$.authority"), ("channel", "TEXT", "$.channel"),
                ("accepted_month", "TEXT", "SUBSTR($.accepted_on, 1, 7)"), ("is_open", "BOOLEAN", "$.is_open"),
            ],
            watched: ["district_code", "park_code", "authority", "channel", "accepted_on", "is_open"]),
        Rollup(
            table: "review_rollup", source: "applications",
            keys: [
                ("district_code", "TEXT", "$.district_code"), ("park_code", "TEXT", "COALESCE($.park_code, '')"),
                ("procedure_code", "TEXT", "$.procedure_code"), ("review_month", "TEXT", "COALESCE(SUBSTR($.review_completed_on, 1, 7), '')"),
            ],
            watched: ["district_code", "park_code", "procedure_code", "review_completed_on", "review_working_days"],
            sums: [("working_days", "COALESCE($.review_working_days, 0)")]),
        Rollup(
            table: "approval_rollup", source: "applications",
            keys: [
                ("district_code", "TEXT", "$.district_code"), ("park_code", "TEXT", "COALESCE($.park_code, '')"),
                ("channel", "TEXT", "$.channel"), ("approved_month", "TEXT", "COALESCE(SUBSTR($.approved_on, 1, 7), '')"),
            ],
            watched: ["district_code", "park_code", "channel", "approved_on"]),
    ]

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for rollup in Self.rollups { try await rollup.create(on: sql) }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for rollup in Self.rollups.reversed() { try await rollup.drop(on: sql) }
    }
}
