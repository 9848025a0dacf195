import FluentKit
import SQLKit
import TongdaoCore

extension CensusStore {
    /// How many products were declared in a year in the scope.
    public static func declarationCount(year: Int, scope: ScopeFilter, on database: any Database) async throws -> Int {
        try await CensusIntentionModel.query(on: database).scoped(to: scope).filter(\.$year == year).count()
    }

    /// Whether a year holds any declaration in the scope.
    public static func hasDeclarations(year: Int, scope: ScopeFilter, on database: any Database) async throws -> Bool {
        try await CensusIntentionModel.query(on: database).scoped(to: scope).filter(\.$year == year).first() != nil
    }

    /// The census page's figures for a year and a scope, by district or park: `CensusQuality.summaries`
    /// over the year's and the year before's declarations, computed by the database in three grouped
    /// statements run at once, instead of over two exports of the scope in memory (a million rows at
    /// national scale). A product is the same product both years by its id. Enterprises declaring are
    /// read from the `census_cells` rollup (a distinct count over the declarations sorted a million
    /// rows on disk), except in one enterprise's scope, which the rollup's cells do not describe.
    public static func summaries(
        year: Int, scope: ScopeFilter, by grouping: CensusQuality.Grouping, on database: any Database
    ) async throws -> [CensusQuality.Summary] {
        guard let sql = database as? any SQLDatabase else { throw BulkInsertError.notSQL }
        let key =
            switch grouping {
            case .district: "district_code"
            case .park: "park_code"
            }
        let asked = CensusQuality.scoredColumns.count
        // The categories' raw values are fixed identifiers of ours, so they are written into the SQL.
        let exempt = "(" + CensusQuality.categoriesWithoutClassificationCode.map { "'\($0.rawValue)'" }.sorted().joined(separator: ", ") + ")"
        let missing = CensusQuality.scoredColumns.map { column in
            "(CASE WHEN \(missingCondition(column, exempt: exempt)) THEN 1 ELSE 0 END)"
        }.joined(separator: " + ")
        let askedExpression = "(CASE WHEN p.category IN \(exempt) THEN \(asked - 1) ELSE \(asked) END)"

        struct Current: Decodable {
            var region: String?
            var products: Int
            var completeness: Double
            var new: Int
            var advanced: Int
        }
        async let current = sql.raw(
            """
            SELECT ci.\(unsafeRaw: key) AS region, COUNT(*) AS products,
              SUM(CAST(\(unsafeRaw: askedExpression) - (\(unsafeRaw: missing)) AS DOUBLE PRECISION) / \(unsafeRaw: askedExpression)) AS completeness,
              SUM(CASE WHEN prev.id IS NULL THEN 1 ELSE 0 END) AS new,
              SUM(CASE WHEN prev.id IS NOT NULL AND \(unsafeRaw: stageOrder("prev")) < \(unsafeRaw: stageOrder("ci")) THEN 1 ELSE 0 END) AS advanced
            FROM census_intentions ci
            JOIN products p ON p.id = ci.product_id
            JOIN enterprises e ON e.id = ci.enterprise_id
            LEFT JOIN census_intentions prev ON prev.product_id = ci.product_id AND prev.year = \(bind: year - 1) AND \(scope.sql(table: "prev"))
            WHERE ci.year = \(bind: year) AND \(scope.sql(table: "ci"))
            GROUP BY ci.\(unsafeRaw: key)
            """
        ).all(decoding: Current.self)

        struct Dropped: Decodable {
            var region: String?
            var dropped: Int
        }
        async let dropped = sql.raw(
            """
            SELECT prev.\(unsafeRaw: key) AS region, COUNT(*) AS dropped
            FROM census_intentions prev
            WHERE prev.year = \(bind: year - 1) AND \(scope.sql(table: "prev"))
              AND NOT EXISTS (
                SELECT 1 FROM census_intentions ci
                WHERE ci.product_id = prev.product_id AND ci.year = \(bind: year) AND \(scope.sql(table: "ci")))
            GROUP BY prev.\(unsafeRaw: key)
            """
        ).all(decoding: Dropped.self)

        struct Enterprises: Decodable {
            var region: String?
            var enterprises: Int
        }
        let declaring: SQLQueryString =
            if case .enterprise = scope {
                """
                SELECT \(unsafeRaw: key) AS region, COUNT(DISTINCT uscc) AS enterprises FROM census_intentions
                WHERE year = \(bind: year) AND \(scope.sql) GROUP BY \(unsafeRaw: key)
                """
            } else {
                // The rollup writes "not in a park" as ''.
                """
                SELECT NULLIF(\(unsafeRaw: key), '') AS region, CAST(SUM(n) AS BIGINT) AS enterprises FROM census_cells
                WHERE year = \(bind: year) AND declaring AND \(scope.sql) GROUP BY \(unsafeRaw: key)
                """
            }
        async let enterprises = sql.raw(declaring).all(decoding: Enterprises.self)

        let counted = Dictionary(try await enterprises.map { ($0.region, $0.enterprises) }, uniquingKeysWith: +)
        var summaries: [String?: CensusQuality.Summary] = [:]
        for row in try await current {
            summaries[row.region] = CensusQuality.Summary(
                region: row.region, enterprises: counted[row.region] ?? 0, products: row.products,
                completeness: row.products == 0 ? 0 : row.completeness / Double(row.products), new: row.new, dropped: 0, advanced: row.advanced)
        }
        for row in try await dropped {
            summaries[
                row.region,
                default: CensusQuality.Summary(region: row.region, enterprises: 0, products: 0, completeness: 0, new: 0, dropped: 0, advanced: 0)
            ]
            .dropped = row.dropped
        }
        return CensusQuality.ordered(Array(summaries.values))
    }

    /// When a declaration (`ci`) leaves a scored cell empty, as `CensusQuality.missing` decides it:
    /// the product's cells from `p`, the declared expected filing from `ci`, the contact from `e`.
    private static func missingCondition(_ column: CensusSheet.Column, exempt: String) -> String {
        switch column {
        case .model: "p.model = ''"
        case .classificationCode: "p.category NOT IN \(exempt) AND p.classification_code IS NULL"
        case .keyAreas: "p.key_areas = ''"
        case .expectedFiling: "ci.expected_filing IS NULL"
        case .contactName: "COALESCE(e.contact_name, '') = ''"
        case .contactPhone: "COALESCE(e.contact_phone, '') = ''"
        default: preconditionFailure("\(column) is not a scored column the census summary knows how to read")
        }
    }

    /// A declaration's stage as its place in `DevelopmentStage.allCases`, the order stages compare in.
    private static func stageOrder(_ table: String) -> String {
        "(CASE \(table).stage "
            + DevelopmentStage.allCases.enumerated().map { "WHEN '\($1.rawValue)' THEN \($0)" }.joined(separator: " ")
            + " END)"
    }
}
