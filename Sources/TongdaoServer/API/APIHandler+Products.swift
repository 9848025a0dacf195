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
            filter.enterpriseID = UUID(uuidString: enterprise) ?? UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        }
        filter.managementClass = query._class.flatMap { ManagementClass(rawValue: $0.rawValue) }
        filter.keyArea = query.keyArea.flatMap { KeyArea(rawValue: $0.rawValue) }
        filter.stage = query.stage.flatMap { DevelopmentStage(rawValue: $0.rawValue) }
        filter.channel = query.channel.flatMap { FilingChannel(rawValue: $0.rawValue) }
        let page = try await ProductStore.list(filter, scope: user.scopeFilter, limit: query.limit ?? 50, after: after, on: req.db)
        return .ok(.init(body: .json(.init(
            items: try page.items.map(Components.Schemas.Product.init), nextCursor: page.next.map { PageCursor(id: $0).token }))))
    }

    /// `POST /api/v1/products`
    func createProduct(_ input: Operations.CreateProduct.Input) async throws -> Operations.CreateProduct.Output {
        let req = try RequestContext.require()
        let user = try req.requireUser(allowedTo: .writeProducts)
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        var draft = ProductDraft(name: body.name, managementClass: ManagementClass(rawValue: body.managementClass.rawValue) ?? .two)
        var errors: [ProblemDetails.FieldError] = []
        Self.apply(
            ProductFields(model: body.model, category: body.category, classificationCode: body.classificationCode, keyAreas: body.keyAreas,
                          stage: body.stage, expectedFiling: body.expectedFiling, channels: body.channels, corePatents: body.corePatents,
                          technicalFeatures: body.technicalFeatures, clinicalAdvantage: body.clinicalAdvantage, udiDI: body.udiDI),
            to: &draft, errors: &errors)
        guard errors.isEmpty else { throw ProblemDetails.unprocessable(errors) }
        let enterpriseID = UUID(uuidString: body.enterpriseId) ?? UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        let model = try await Self.mappingProducts {
            try await ProductStore.create(draft, enterpriseID: enterpriseID, scope: user.scopeFilter, by: req.auditActor, on: req.db)
        }
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
        guard AccessPolicy.allows(user.role, .writeProducts) else {
            throw ProblemDetails.forbidden("The role \(user.role.rawValue) may not perform \(Action.writeProducts.rawValue).")
        }
        guard case .json(let patch) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        var draft = model.draft
        if let name = patch.name { draft.name = name }
        if let value = patch.managementClass { draft.managementClass = ManagementClass(rawValue: value.rawValue) ?? draft.managementClass }
        var errors: [ProblemDetails.FieldError] = []
        Self.apply(
            ProductFields(model: patch.model, category: patch.category, classificationCode: patch.classificationCode, keyAreas: patch.keyAreas,
                          stage: patch.stage, expectedFiling: patch.expectedFiling, channels: patch.channels, corePatents: patch.corePatents,
                          technicalFeatures: patch.technicalFeatures, clinicalAdvantage: patch.clinicalAdvantage, udiDI: patch.udiDI),
            to: &draft, errors: &errors)
        guard errors.isEmpty else { throw ProblemDetails.unprocessable(errors) }
        try await Self.mappingProducts {
            try await ProductStore.update(model, to: draft, by: req.auditActor, on: req.db)
        }
        return .ok(.init(body: .json(try .init(model))))
    }

    /// The optional fields input and patch share, as the contract types them.
    struct ProductFields {
        var model: String?
        var category: Components.Schemas.ProductCategory?
        var classificationCode: String?
        var keyAreas: [Components.Schemas.KeyArea]?
        var stage: Components.Schemas.DevelopmentStage?
        var expectedFiling: String?
        var channels: [Components.Schemas.Channel]?
        var corePatents: String?
        var technicalFeatures: String?
        var clinicalAdvantage: String?
        var udiDI: String?
    }

    /// Applies the fields that are present; an empty string clears an optional text field.
    static func apply(_ fields: ProductFields, to draft: inout ProductDraft, errors: inout [ProblemDetails.FieldError]) {
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

    @discardableResult
    static func mappingProducts<T>(_ write: () async throws -> T) async throws -> T {
        do {
            return try await write()
        } catch let problem as ProductStore.Problem {
            switch problem {
            case .invalid(let problems):
                throw ProblemDetails.unprocessable(problems.map { .init(field: $0.field, message: $0.message) })
            case .duplicate:
                throw ProblemDetails(
                    type: ProblemDetails.typeURI("conflict"), title: "Conflict", status: .conflict, detail: problem.description,
                    errors: [.init(field: "name", message: "the enterprise already has a product with this name and model")])
            }
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
