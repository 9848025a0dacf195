import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

/// Products under development: submit, change, read and list them, each where its enterprise is
/// in the caller's scope.
public struct ProductUseCases: Sendable {
    let platform: Platform

    /// Submits a product for an enterprise in the caller's scope: `product.create` in the audit trail.
    public func create(_ input: ProductInput, enterpriseID: String?, by caller: Caller) async throws -> ProductRecord {
        try caller.require(.writeProducts)
        var draft = ProductDraft(name: "", managementClass: .two)
        let fieldProblems = input.apply(to: &draft) + draft.problems()
        let checked = draft
        let duplicate = FieldProblem(
            "name", "the enterprise already has a product \(checked.name) \(checked.model)", chinese: "该企业已有同名、同型号的产品")
        return try await platform.write(by: caller, conflict: duplicate) { write in
            let enterprise =
                try await RecordID.filter(enterpriseID).asyncMap {
                    try await EnterpriseStore.find(id: $0, scope: caller.filter, on: write.db)
                } ?? nil
            var problems = fieldProblems
            if enterprise == nil {
                problems.insert(.init("enterpriseId", "no enterprise with this id is in your scope", chinese: "您的权限范围内没有该企业"), at: 0)
            }
            guard problems.isEmpty, let enterprise else { throw UseCaseError.invalid(problems) }
            guard try await !ProductStore.isTaken(checked, enterpriseID: try enterprise.requireID(), except: nil, on: write.db) else {
                throw UseCaseError.conflict(duplicate)
            }
            let model = try await ProductStore.insert(checked, of: enterprise, now: write.now, on: write.db)
            let record = try ProductRecord(model)
            try await write.audit(
                "product.create", entityType: "product", entityID: record.id.uuidString, before: nil, after: try Audit.json(checked))
            return record
        }
    }

    /// Changes the fields `input` sends of a product in the caller's scope: `product.update` with
    /// before and after. `version` is the version the change is based on (`stale` once another write
    /// changed the product since, `versionRequired` without one). An unchanged product writes nothing.
    public func update(id: UUID, _ input: ProductInput, expecting version: Int?, by caller: Caller) async throws -> ProductRecord {
        try await platform.write(by: caller) { write in
            guard let model = try await ProductStore.find(id: id, scope: caller.filter, on: write.db) else {
                throw UseCaseError.notFound(.product)
            }
            try caller.require(.writeProducts)
            try model.check(basedOn: version, .product)
            let before = model.draft
            var draft = before
            let problems = input.apply(to: &draft) + draft.problems()
            guard problems.isEmpty else { throw UseCaseError.invalid(problems) }
            guard draft != before else { return try ProductRecord(model) }
            guard try await !ProductStore.isTaken(draft, enterpriseID: model.$enterprise.id, except: id, on: write.db) else {
                throw UseCaseError.conflict(
                    FieldProblem("name", "the enterprise already has a product \(draft.name) \(draft.model)", chinese: "该企业已有同名、同型号的产品"))
            }
            try await ProductStore.update(model, to: draft, on: write.db)
            try await write.audit(
                "product.update", entityType: "product", entityID: id.uuidString, before: try Audit.json(before), after: try Audit.json(draft))
            return try ProductRecord(model)
        }
    }

    /// A product in the caller's scope; `notFound` for a missing one and a hidden one alike.
    public func find(id: UUID, by caller: Caller) async throws -> ProductRecord {
        try caller.require(.readProducts)
        return try ProductRecord(try await model(id: id, by: caller, on: platform.database))
    }

    func model(id: UUID, by caller: Caller, on db: any Database) async throws -> ProductModel {
        guard let model = try await ProductStore.find(id: id, scope: caller.filter, on: db) else { throw UseCaseError.notFound(.product) }
        return model
    }

    /// What a list may be narrowed to, on top of the caller's scope: codes as the API and the pages
    /// send them (a code that is no code narrows to nothing, as an unknown id does).
    public struct Filter: Sendable, Equatable {
        public var district: String?
        public var park: String?
        /// An enterprise id (a text that is no id lists nothing).
        public var enterprise: String?
        public var managementClass: ManagementClass?
        public var keyArea: KeyArea?
        public var stage: DevelopmentStage?
        public var channel: FilingChannel?
        /// Part of the name or model.
        public var text: String?

        public init(
            district: String? = nil, park: String? = nil, enterprise: String? = nil, managementClass: ManagementClass? = nil,
            keyArea: KeyArea? = nil, stage: DevelopmentStage? = nil, channel: FilingChannel? = nil, text: String? = nil
        ) {
            self.district = district
            self.park = park
            self.enterprise = enterprise
            self.managementClass = managementClass
            self.keyArea = keyArea
            self.stage = stage
            self.channel = channel
            self.text = text
        }
    }

    /// Products in the caller's scope, oldest first (ids are time-ordered), `limit` at a time.
    public func list(_ filter: Filter, limit: Int = 50, cursor: String? = nil, by caller: Caller) async throws -> Page<ProductRecord> {
        try caller.require(.readProducts)
        let after = try Cursor.id(cursor)
        let page = try await ProductStore.list(
            .init(
                district: filter.district.nonBlank.map(TextRules.cleaned), park: filter.park.nonBlank.map(TextRules.cleaned),
                enterpriseID: RecordID.filter(filter.enterprise),
                managementClass: filter.managementClass, keyArea: filter.keyArea, stage: filter.stage, channel: filter.channel,
                text: filter.text.map(TextRules.cleaned)),
            scope: caller.filter, limit: limit, after: after, on: platform.database)
        return Page(items: try page.items.map(ProductRecord.init), next: page.next.map { PageCursor(id: $0).token })
    }

    /// The names of the enterprises of products the caller has read (for lists that show them).
    public func enterpriseNames(of products: [ProductRecord], by caller: Caller) async throws -> [UUID: String] {
        try caller.require(.readProducts)
        return try await EnterpriseStore.names(of: products.filter { caller.admits($0.location) }.map(\.enterpriseID), on: platform.database)
    }
}

extension Platform {
    public var products: ProductUseCases { ProductUseCases(platform: self) }
}
