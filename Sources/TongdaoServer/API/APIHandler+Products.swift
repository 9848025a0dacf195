import Fluent
import Foundation
import TongdaoAPI
import TongdaoCore
import TongdaoStore
import Vapor

extension APIHandler {
    /// `GET /api/v1/products`
    func listProducts(_ input: Operations.ListProducts.Input) async throws -> Operations.ListProducts.Output {
        let req = try RequestContext.require()
        let user = try req.requireUser(allowedTo: .readProducts)
        let query = input.query
        let after = try Self.idCursor(query.cursor)
        var filter = ProductStore.ListFilter(district: query.district, park: query.park, text: query.q)
        if let enterprise = query.enterprise {
            // An id that is not a UUID names no enterprise: an empty list, like any other unknown id.
            filter.enterpriseID = UUID(uuidString: enterprise) ?? Self.noSuchID
        }
        filter.managementClass = query._class.flatMap { ManagementClass(rawValue: $0.rawValue) }
        filter.keyArea = query.keyArea.flatMap { KeyArea(rawValue: $0.rawValue) }
        filter.stage = query.stage.flatMap { DevelopmentStage(rawValue: $0.rawValue) }
        filter.channel = query.channel.flatMap { FilingChannel(rawValue: $0.rawValue) }
        let page = try await ProductStore.list(filter, scope: user.scopeFilter, limit: query.limit ?? 50, after: after, on: req.db)
        return .ok(
            .init(
                body: .json(
                    .init(
                        items: try page.items.map(Components.Schemas.Product.init), nextCursor: page.next.map { PageCursor(id: $0).token }))))
    }

    /// `POST /api/v1/products`
    func createProduct(_ input: Operations.CreateProduct.Input) async throws -> Operations.CreateProduct.Output {
        let req = try RequestContext.require()
        let user = try req.requireUser(allowedTo: .writeProducts)
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        var draft = ProductDraft(name: body.name, managementClass: ManagementClass(rawValue: body.managementClass.rawValue) ?? .two)
        var errors: [ProblemDetails.FieldError] = []
        Self.apply(body, to: &draft, errors: &errors)
        guard errors.isEmpty else { throw ProblemDetails.unprocessable(errors) }
        let enterpriseID = UUID(uuidString: body.enterpriseId) ?? Self.noSuchID
        let model = try await ProductStore.create(draft, enterpriseID: enterpriseID, scope: user.scopeFilter, by: req.auditActor, on: req.db)
        return .created(.init(body: .json(try .init(model))))
    }

    /// `GET /api/v1/products/{id}`
    func getProduct(_ input: Operations.GetProduct.Input) async throws -> Operations.GetProduct.Output {
        let req = try RequestContext.require()
        let user = try req.requireUser(allowedTo: .readProducts)
        return .ok(.init(body: .json(try .init(try await Self.product(input.path.id, in: user.scopeFilter, on: req.db)))))
    }

    /// `PATCH /api/v1/products/{id}`
    func updateProduct(_ input: Operations.UpdateProduct.Input) async throws -> Operations.UpdateProduct.Output {
        let req = try RequestContext.require()
        let user = try req.requireUser()
        let model = try await Self.product(input.path.id, in: user.scopeFilter, on: req.db)
        try user.ensureAllowed(.writeProducts)
        guard case .json(let patch) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        var draft = model.draft
        if let name = patch.name { draft.name = name }
        if let value = patch.managementClass { draft.managementClass = ManagementClass(rawValue: value.rawValue) ?? draft.managementClass }
        var errors: [ProblemDetails.FieldError] = []
        Self.apply(patch, to: &draft, errors: &errors)
        guard errors.isEmpty else { throw ProblemDetails.unprocessable(errors) }
        try await ProductStore.update(model, to: draft, by: req.auditActor, on: req.db)
        return .ok(.init(body: .json(try .init(model))))
    }

    /// Stands for an id that is not a UUID: it names no record, so a lookup finds nothing, as for any unknown id.
    static let noSuchID = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))

    /// Applies the fields that are present; an empty string clears an optional text field.
    static func apply(_ fields: some ProductFieldSource, to draft: inout ProductDraft, errors: inout [ProblemDetails.FieldError]) {
        if let model = fields.model { draft.model = model }
        if let value = fields.category { draft.category = ProductCategory(rawValue: value.rawValue) ?? draft.category }
        if let code = fields.classificationCode { draft.classificationCode = code.isEmpty ? nil : code }
        if let areas = fields.keyAreas { draft.keyAreas = areas.compactMap { KeyArea(rawValue: $0.rawValue) } }
        if let value = fields.stage { draft.stage = DevelopmentStage(rawValue: value.rawValue) ?? draft.stage }
        if let text = fields.expectedFiling {
            if text.isEmpty {
                draft.expectedFiling = nil
            } else if let month = YearMonth(text) {
                draft.expectedFiling = month
            } else {
                errors.append(.init(field: "expectedFiling", message: "must be a month YYYY-MM"))
            }
        }
        if let channels = fields.channels { draft.channels = channels.compactMap { FilingChannel(rawValue: $0.rawValue) } }
        if let text = fields.corePatents { draft.corePatents = text.isEmpty ? nil : text }
        if let text = fields.technicalFeatures { draft.technicalFeatures = text.isEmpty ? nil : text }
        if let text = fields.clinicalAdvantage { draft.clinicalAdvantage = text.isEmpty ? nil : text }
        if let text = fields.udiDI { draft.udiDI = text.isEmpty ? nil : text }
    }

    static func product(_ id: String, in scope: ScopeFilter, on db: any Database) async throws -> ProductModel {
        guard let uuid = UUID(uuidString: id), let model = try await ProductStore.find(id: uuid, scope: scope, on: db) else {
            throw ProblemDetails.status(.notFound, detail: "No product has this id.")
        }
        return model
    }
}

/// The optional fields that a new product and a patch share, as the contract types them.
protocol ProductFieldSource {
    var model: String? { get }
    var category: Components.Schemas.ProductCategory? { get }
    var classificationCode: String? { get }
    var keyAreas: [Components.Schemas.KeyArea]? { get }
    var stage: Components.Schemas.DevelopmentStage? { get }
    var expectedFiling: String? { get }
    var channels: [Components.Schemas.Channel]? { get }
    var corePatents: String? { get }
    var technicalFeatures: String? { get }
    var clinicalAdvantage: String? { get }
    var udiDI: String? { get }
}

extension Components.Schemas.ProductInput: ProductFieldSource {}
extension Components.Schemas.ProductPatch: ProductFieldSource {}

extension ProductStore.Problem: ProblemDetailsConvertible {
    var problemDetails: ProblemDetails {
        switch self {
        case .invalid(let problems):
            .unprocessable(problems)
        case .duplicate:
            .conflict(field: "name", "the enterprise already has a product with this name and model", detail: description)
        }
    }
}

extension Components.Schemas.Product {
    init(_ model: ProductModel) throws {
        let draft = model.draft
        self.init(
            id: try model.requireID().uuidString, enterpriseId: model.$enterprise.id.uuidString, uscc: model.uscc, district: model.district,
            park: model.park, name: model.name, model: model.model,
            category: Components.Schemas.ProductCategory(rawValue: draft.category.rawValue) ?? .device,
            managementClass: Components.Schemas.ManagementClass(rawValue: draft.managementClass.rawValue) ?? .ii,
            classificationCode: draft.classificationCode,
            keyAreas: draft.keyAreas.compactMap { Components.Schemas.KeyArea(rawValue: $0.rawValue) },
            stage: Components.Schemas.DevelopmentStage(rawValue: draft.stage.rawValue) ?? .intention,
            expectedFiling: draft.expectedFiling?.description,
            channels: draft.channels.compactMap { Components.Schemas.Channel(rawValue: $0.rawValue) },
            corePatents: draft.corePatents, technicalFeatures: draft.technicalFeatures, clinicalAdvantage: draft.clinicalAdvantage,
            udiDI: draft.udiDI, createdAt: model.createdAt, updatedAt: model.updatedAt)
    }
}
