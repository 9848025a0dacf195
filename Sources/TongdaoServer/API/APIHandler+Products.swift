import Foundation
import TongdaoAPI
import TongdaoCore
import TongdaoUseCases
import Vapor

extension APIHandler {
    /// `GET /api/v1/products`
    func listProducts(_ input: Operations.ListProducts.Input) async throws -> Operations.ListProducts.Output {
        let req = try RequestContext.require()
        let query = input.query
        let filter = ProductUseCases.Filter(
            district: query.district, park: query.park, enterprise: query.enterprise,
            managementClass: try query._class.map { try APIEnum.convert($0) }, keyArea: try query.keyArea.map { try APIEnum.convert($0) },
            stage: try query.stage.map { try APIEnum.convert($0) }, channel: try query.channel.map { try APIEnum.convert($0) }, text: query.q)
        let page = try await req.platform.products.list(filter, limit: query.limit ?? 50, cursor: query.cursor, by: try req.requireCaller())
        return .ok(.init(body: .json(.init(items: try page.items.map(Components.Schemas.Product.init), nextCursor: page.next))))
    }

    /// `POST /api/v1/products`
    func createProduct(_ input: Operations.CreateProduct.Input) async throws -> Operations.CreateProduct.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        var fields = ProductInput(body)
        fields.name = body.name
        fields.managementClass = body.managementClass.rawValue
        let created = try await req.platform.products.create(fields, enterpriseID: body.enterpriseId, by: try req.requireCaller())
        req.entityTag = created.version
        return .created(.init(body: .json(try .init(created))))
    }

    /// `GET /api/v1/products/{id}`
    func getProduct(_ input: Operations.GetProduct.Input) async throws -> Operations.GetProduct.Output {
        let req = try RequestContext.require()
        let found = try await req.platform.products.find(id: try Self.id(input.path.id, .product), by: try req.requireCaller())
        req.entityTag = found.version
        return .ok(.init(body: .json(try .init(found))))
    }

    /// `PATCH /api/v1/products/{id}`
    func updateProduct(_ input: Operations.UpdateProduct.Input) async throws -> Operations.UpdateProduct.Output {
        let req = try RequestContext.require()
        let caller = try req.requireCaller()
        let id = try Self.id(input.path.id, .product)
        guard case .json(let patch) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        var fields = ProductInput(patch)
        fields.name = patch.name
        fields.managementClass = patch.managementClass?.rawValue
        let updated = try await req.platform.products.update(
            id: id, fields, expecting: try EntityTag.version(ifMatch: input.headers.ifMatch), by: caller)
        req.entityTag = updated.version
        return .ok(.init(body: .json(try .init(updated))))
    }

    /// `GET /api/v1/products/{id}/timeline`
    func getProductTimeline(_ input: Operations.GetProductTimeline.Input) async throws -> Operations.GetProductTimeline.Output {
        let req = try RequestContext.require()
        let journey = try await req.platform.products.journey(id: try Self.id(input.path.id, .product), by: try req.requireCaller())
        return .ok(
            .init(
                body: .json(
                    .init(
                        product: try .init(journey.product), census: try journey.declarations.map(Components.Schemas.CensusDeclaration.init),
                        applications: try journey.applications.map { try Components.Schemas.Application($0.item, events: $0.events) }))))
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

extension ProductInput {
    /// The fields a request sends, as codes and text: the use case reads and checks them.
    init(_ fields: some ProductFieldSource) {
        self.init(
            model: fields.model, category: fields.category?.rawValue, classificationCode: fields.classificationCode,
            keyAreas: fields.keyAreas?.map(\.rawValue), stage: fields.stage?.rawValue, expectedFiling: fields.expectedFiling,
            channels: fields.channels?.map(\.rawValue), corePatents: fields.corePatents, technicalFeatures: fields.technicalFeatures,
            clinicalAdvantage: fields.clinicalAdvantage, udiDI: fields.udiDI)
    }
}

extension Components.Schemas.Product {
    init(_ record: ProductRecord) throws {
        let draft = record.draft
        self.init(
            id: record.id.uuidString, version: Int64(record.version), enterpriseId: record.enterpriseID.uuidString, uscc: record.uscc,
            district: record.district,
            park: record.park, name: draft.name, model: draft.model, category: try APIEnum.convert(draft.category),
            managementClass: try APIEnum.convert(draft.managementClass), classificationCode: draft.classificationCode,
            keyAreas: try APIEnum.convert(draft.keyAreas), stage: try APIEnum.convert(draft.stage),
            expectedFiling: draft.expectedFiling?.description, channels: try APIEnum.convert(draft.channels),
            corePatents: draft.corePatents, technicalFeatures: draft.technicalFeatures, clinicalAdvantage: draft.clinicalAdvantage,
            udiDI: draft.udiDI, createdAt: record.createdAt, updatedAt: record.updatedAt)
    }
}
