import FluentKit
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
        switch scope {
        case .everything:
            self
        case .districts(let codes):
            // An empty set (an unknown station) becomes a false condition, so the query returns nothing.
            filter(.path([Model.districtKey], schema: Model.schemaOrAlias), .subset(inverse: false), .array(codes.sorted().map { .bind($0) }))
        case .park(let code):
            filter(Model.parkKey, .equal, code)
        case .enterprise(let uscc):
            filter(Model.enterpriseKey, .equal, uscc)
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
