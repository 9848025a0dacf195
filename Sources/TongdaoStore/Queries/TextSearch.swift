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
