import FluentKit
import Foundation
import TongdaoCore

/// Products under development. Scope comes from the owning enterprise: a product is visible and
/// writable exactly where its enterprise is.
public enum ProductStore {
    public enum Problem: Error, Equatable, CustomStringConvertible {
        /// Field problems: 422.
        case invalid([FieldProblem])
        /// The enterprise already has a product with this name and model: 409.
        case duplicate(name: String, model: String)

        public var description: String {
            switch self {
            case .invalid(let problems): problems.map { "\($0.field): \($0.message)" }.joined(separator: "; ")
            case .duplicate(let name, let model): "the enterprise already has a product \(name) \(model)"
            }
        }
    }

    public static func create(
        _ draft: ProductDraft, enterpriseID: UUID, scope: ScopeFilter, by actor: AuditActor, on database: any Database
    ) async throws -> ProductModel {
        var problems = draft.problems()
        let enterprise = try await EnterpriseStore.find(id: enterpriseID, scope: scope, on: database)
        if enterprise == nil {
            problems.insert(.init("enterpriseId", "no enterprise with this id is in your scope", chinese: "您的权限范围内没有该企业"), at: 0)
        }
        guard problems.isEmpty, let enterprise else { throw Problem.invalid(problems) }
        return try await database.transaction { db in
            try await ensureUnique(draft, enterpriseID: enterpriseID, except: nil, on: db)
            let model = try ProductModel(draft, enterprise: enterprise)
            try await model.create(on: db)
            try await Audit.record(
                "product.create", entityType: "product", entityID: try model.requireID().uuidString,
                before: nil, after: try Audit.json(draft), by: actor, on: db)
            return model
        }
    }

    /// The product with this id if the scope admits it; nil for a missing one and a hidden one alike.
    public static func find(id: UUID, scope: ScopeFilter, on database: any Database) async throws -> ProductModel? {
        try await ProductModel.query(on: database).filter(\.$id == id).scoped(to: scope).first()
    }

    public static func update(_ model: ProductModel, to draft: ProductDraft, by actor: AuditActor, on database: any Database) async throws {
        let problems = draft.problems()
        guard problems.isEmpty else { throw Problem.invalid(problems) }
        let before = model.draft
        guard before != draft else { return }
        try await database.transaction { db in
            try await ensureUnique(draft, enterpriseID: model.$enterprise.id, except: model.id, on: db)
            model.apply(draft)
            try await model.update(on: db)
            try await Audit.record(
                "product.update", entityType: "product", entityID: try model.requireID().uuidString,
                before: try Audit.json(before), after: try Audit.json(draft), by: actor, on: db)
        }
    }

    private static func ensureUnique(_ draft: ProductDraft, enterpriseID: UUID, except id: UUID?, on db: any Database) async throws {
        let query = ProductModel.query(on: db).filter(\.$enterprise.$id == enterpriseID).filter(\.$name == draft.name).filter(\.$model == draft.model)
        if let id { query.filter(\.$id != id) }
        if try await query.first() != nil { throw Problem.duplicate(name: draft.name, model: draft.model) }
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
