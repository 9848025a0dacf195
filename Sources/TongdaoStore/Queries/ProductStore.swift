import FluentKit
import Foundation
import TongdaoCore

/// Products under development. Scope comes from the owning enterprise: a product is visible and
/// writable exactly where its enterprise is. Writes are made inside a use case's transaction.
public enum ProductStore {
    /// The product with this id if the scope admits it; nil for a missing one and a hidden one alike.
    public static func find(id: UUID, scope: ScopeFilter, on database: any Database) async throws -> ProductModel? {
        try await ProductModel.query(on: database).filter(\.$id == id).scoped(to: scope).first()
    }

    /// Whether the enterprise has another product of this name and model.
    public static func isTaken(_ draft: ProductDraft, enterpriseID: UUID, except id: UUID?, on database: any Database) async throws -> Bool {
        let query = ProductModel.query(on: database).filter(\.$enterprise.$id == enterpriseID).filter(\.$name == draft.name)
            .filter(\.$model == draft.model)
        if let id { query.filter(\.$id != id) }
        return try await query.first() != nil
    }

    /// Inserts a checked draft for an enterprise, where the enterprise is.
    public static func insert(_ draft: ProductDraft, of enterprise: EnterpriseModel, now: Date, on database: any Database) async throws
        -> ProductModel
    {
        let model = try ProductModel(draft, enterprise: enterprise, id: TimeOrderedID.make(now: now))
        try await model.create(on: database)
        return model
    }

    /// Replaces a product's fields as its next version (`RecordChanged` when another write changed
    /// it since it was read).
    public static func update(_ model: ProductModel, to draft: ProductDraft, on database: any Database) async throws {
        model.apply(draft)
        try await model.updateVersioned(on: database)
    }

    /// The names of products by id.
    public static func names(of ids: some Sequence<UUID>, on database: any Database) async throws -> [UUID: String] {
        let unique = Array(Set(ids))
        guard !unique.isEmpty else { return [:] }
        var names: [UUID: String] = [:]
        for start in stride(from: 0, to: unique.count, by: 1_000) {
            let part = Array(unique[start..<min(start + 1_000, unique.count)])
            for model in try await ProductModel.query(on: database).filter(\.$id ~~ part).all() { names[try model.requireID()] = model.name }
        }
        return names
    }

    /// What a list may be narrowed to, on top of the caller's scope.
    public struct ListFilter: Sendable, Equatable {
        public var district: String?
        public var park: String?
        public var enterpriseID: UUID?
        public var managementClass: ManagementClass?
        public var keyArea: KeyArea?
        public var stage: DevelopmentStage?
        public var channel: FilingChannel?
        /// Part of the name or model.
        public var text: String?

        public init(
            district: String? = nil, park: String? = nil, enterpriseID: UUID? = nil, managementClass: ManagementClass? = nil,
            keyArea: KeyArea? = nil, stage: DevelopmentStage? = nil, channel: FilingChannel? = nil, text: String? = nil
        ) {
            self.district = district
            self.park = park
            self.enterpriseID = enterpriseID
            self.managementClass = managementClass
            self.keyArea = keyArea
            self.stage = stage
            self.channel = channel
            self.text = text
        }
    }

    /// Products in the scope, oldest first (ids are time-ordered), `limit` at a time.
    public static func list(
        _ filter: ListFilter, scope: ScopeFilter, limit: Int, after: UUID? = nil, on database: any Database
    ) async throws -> (items: [ProductModel], next: UUID?) {
        let query = ProductModel.query(on: database).scoped(to: scope)
        if let district = filter.district { query.filter(\.$district == district) }
        if let park = filter.park { query.filter(\.$park == park) }
        if let id = filter.enterpriseID { query.filter(\.$enterprise.$id == id) }
        if let value = filter.managementClass { query.filter(\.$managementClass == value) }
        if let value = filter.stage { query.filter(\.$stage == value) }
        if let value = filter.keyArea { query.filter(\.$keyAreasText, .contains(inverse: false, .anywhere), ",\(value.rawValue),") }
        if let value = filter.channel { query.filter(\.$channelsText, .contains(inverse: false, .anywhere), ",\(value.rawValue),") }
        if let text = filter.text, !text.isEmpty {
            query.group(.or) { $0.filter(TextSearch.contains("name", text)).filter(TextSearch.contains("model", text)) }
        }
        if let after { query.filter(\.$id > after) }
        let page = try await query.sort(\.$id).page(limit: limit)
        return (page.rows, page.more ? page.rows.last?.id : nil)
    }
}
