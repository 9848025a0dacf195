import FluentKit
import SQLKit
import TongdaoCore

/// A table whose rows sit in the administrative tree: each row names its district, its park (or
/// none) and its enterprise. Every list and lookup of such a table goes through `scoped(to:)`.
public protocol ScopedModel: Model {
    static var districtKey: FieldKey { get }
    static var parkKey: FieldKey { get }
    static var enterpriseKey: FieldKey { get }
}

extension QueryBuilder where Model: ScopedModel {
    /// Keeps only the rows the scope admits, in the SQL itself: the one place scope becomes a query.
    /// The same rule, in memory, is `ScopeFilter.admits`.
    @discardableResult
    public func scoped(to scope: ScopeFilter) -> Self {
        scoped(to: scope, by: Model.self)
    }
}

extension QueryBuilder {
    /// The same, by the columns of a scoped table joined to this query (events by their application).
    @discardableResult
    public func scoped<Scoped: ScopedModel>(to scope: ScopeFilter, by _: Scoped.Type) -> Self {
        func column(_ key: FieldKey) -> DatabaseQuery.Field { .path([key], schema: Scoped.schemaOrAlias) }
        return switch scope {
        case .everything:
            self
        case .districts(let codes):
            // An empty set (an unknown station) becomes a false condition, so the query returns nothing.
            filter(column(Scoped.districtKey), .subset(inverse: false), .array(codes.sorted().map { .bind($0) }))
        case .park(let code):
            filter(column(Scoped.parkKey), .equal, .bind(code))
        case .enterprise(let uscc):
            filter(column(Scoped.enterpriseKey), .equal, .bind(uscc))
        case .institution:
            // An institution's office sees nothing of the enterprise and product registry (the
            // trial queries read its scope themselves): an empty set, a false condition.
            filter(column(Scoped.districtKey), .subset(inverse: false), .array([]))
        case .province(let province):
            // The record's region (an enterprise's district, or the city it is registered in outside
            // Shanghai) starts with the province's two digits.
            filter(column(Scoped.districtKey), .custom("LIKE"), .bind(province.prefix + "%"))
        }
    }
}

extension ReferenceData {
    /// The scope filter for a user's scope, with stations resolved from the bundled station list.
    public static func filter(for scope: Scope) -> ScopeFilter {
        ScopeFilter.resolve(scope) { code in
            (try? stations())?.first { $0.code == code }.map { Set($0.districts) }
        }
    }
}

extension ScopeFilter {
    /// The scope as an SQL condition on a table with `district_code`, `park_code` and `uscc` columns
    /// (the same rule as `QueryBuilder.scoped(to:)` and `ScopeFilter.admits`).
    var sql: any SQLExpression { sql(table: nil) }

    func sql(table: String?) -> any SQLExpression {
        func column(_ name: String) -> SQLColumn { table.map { SQLColumn(name, table: $0) } ?? SQLColumn(name) }
        switch self {
        case .everything:
            return SQLBinaryExpression(SQLLiteral.numeric("1"), .equal, SQLLiteral.numeric("1"))
        case .districts(let codes):
            guard !codes.isEmpty else { return SQLBinaryExpression(SQLLiteral.numeric("1"), .equal, SQLLiteral.numeric("0")) }
            return SQLBinaryExpression(column("district_code"), .in, SQLGroupExpression(codes.sorted().map { SQLBind($0) }))
        case .park(let code):
            return SQLBinaryExpression(column("park_code"), .equal, SQLBind(code))
        case .enterprise(let uscc):
            return SQLBinaryExpression(column("uscc"), .equal, SQLBind(uscc))
        case .institution:
            return SQLBinaryExpression(SQLLiteral.numeric("1"), .equal, SQLLiteral.numeric("0"))
        case .province(let province):
            return SQLBinaryExpression(column("district_code"), .like, SQLBind(province.prefix + "%"))
        }
    }
}
