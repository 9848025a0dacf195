import Foundation
import FluentKit
import FluentSQL
import SQLKit

/// What a user types in a search box is matched as text: `%` and `_` are not wildcards, and a
/// backslash is a backslash. (Fluent's `.contains` passes them to `LIKE` as they are.)
enum TextSearch {
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }

    /// `column LIKE '%text%' ESCAPE '\'` (or `'text%'` for a prefix), the same on SQLite and PostgreSQL.
    static func contains(_ column: FieldKey, _ text: String, prefix: Bool = false) -> DatabaseQuery.Filter {
        let pattern = (prefix ? "" : "%") + escaped(text) + "%"
        return .sql(
            SQLKit.SQLList(
                [SQLColumn(column.description), SQLBinaryOperator.like, SQLBind(pattern), SQLRaw("ESCAPE '\\'")], separator: SQLRaw(" ")))
    }
}

/// Ranking by shared search keys (`SearchGrams`), for the library and the policy handbook: a record
/// scores the summed weights of the query's keys it holds, and a key held by few records weighs
/// more than one held by many, `100 × ln((N + 1) / n)`.
enum KeyRanking {
    /// The weight of a key held by `holding` of `total` records.
    static func weight(total: Int, holding: Int) -> Int {
        max(1, Int((100 * log(Double(total + 1) / Double(max(1, holding)))).rounded()))
    }

    /// `SUM(CASE column WHEN key THEN weight … ELSE 0 END)`, the keys bound.
    static func score(of column: String, _ weights: [(key: String, weight: Int)]) -> SQLQueryString {
        var sum = SQLQueryString("SUM(CASE \(unsafeRaw: column)")
        for (key, value) in weights {
            sum.appendInterpolation(raw: " WHEN ")
            sum.appendInterpolation(bind: key)
            sum.appendInterpolation(raw: " THEN \(value)")
        }
        sum.appendInterpolation(raw: " ELSE 0 END)")
        return sum
    }

    /// `(?, ?, …)`: the keys bound, for `IN`.
    static func list(_ keys: [String]) -> SQLQueryString {
        var list = SQLQueryString("(")
        for (index, key) in keys.enumerated() {
            if index > 0 { list.appendInterpolation(raw: ", ") }
            list.appendInterpolation(bind: key)
        }
        list.appendInterpolation(raw: ")")
        return list
    }
}
