import Foundation
import TongdaoCore
import TongdaoUseCases
import Vapor

/// Product pages: thin adapters over the same use cases as the API.
enum ProductController {
    static let pageSize = 50

    struct ProductForm: Content {
        var enterpriseId: String?
        var name: String?
        var model: String?
        var category: String?
        var managementClass: String?
        var classificationCode: String?
        var keyAreas: [String]?
        var stage: String?
        var expectedFiling: String?
        var channels: [String]?
        var corePatents: String?
        var technicalFeatures: String?
        var clinicalAdvantage: String?
        var udiDI: String?
        /// The version of the product the edit form was opened on.
        var version: Int?

        /// The fields as the use case reads them; a form sends every field (unticked boxes send
        /// nothing, so an absent list is an empty one).
        var input: ProductInput {
            ProductInput(
                name: name ?? "", model: model ?? "", category: category ?? "", managementClass: managementClass ?? "",
                classificationCode: classificationCode ?? "", keyAreas: keyAreas ?? [], stage: stage ?? "", expectedFiling: expectedFiling ?? "",
                channels: channels ?? [], corePatents: corePatents ?? "", technicalFeatures: technicalFeatures ?? "",
                clinicalAdvantage: clinicalAdvantage ?? "", udiDI: udiDI ?? "")
        }
    }

    /// `GET /products`
    @Sendable static func list(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readProducts)
        let q = req.query[String.self, at: "q"] ?? "", keyArea = req.query[String.self, at: "keyArea"] ?? ""
        let stage = req.query[String.self, at: "stage"] ?? ""
        let page = try await req.platform.products.list(
            .init(keyArea: KeyArea(rawValue: keyArea), stage: DevelopmentStage(rawValue: stage), text: q), limit: pageSize,
            cursor: req.query[String.self, at: "cursor"], by: caller)
        let names = try await req.platform.products.enterpriseNames(of: page.items, by: caller)
        let nextQuery = page.next.flatMap { SiteURL.query([("q", q), ("keyArea", keyArea), ("stage", stage), ("cursor", $0)]) }
        // An enterprise user submits for itself; officers start from an enterprise's page.
        var newPath: String?
        if viewer.may(.writeProducts), case .enterprise = caller.scope { newPath = SiteURL.productNew(enterprise: nil).path }
        let model = ProductPages.ListModel(
            items: page.items, enterpriseNames: names, q: q, keyArea: keyArea, stage: stage, nextQuery: nextQuery, newProductPath: newPath)
        return HTMLResponse.ok(ProductPages.list(model, viewer: viewer))
    }

    /// `GET /products/:id/trial-matches`: every institution ranked for the product's clinical trial.
    @Sendable static func trialMatches(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readProducts)
        let id = try id(req)
        let product = try await req.platform.products.find(id: id, by: caller)
        let outcome = try await req.platform.trials.matches(for: product, by: caller)
        return HTMLResponse.ok(TrialMatchPages.page(product, outcome: outcome, viewer: viewer))
    }

    /// `GET /products/:id`
    @Sendable static func show(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readProducts)
        return try await page(try id(req), req: req, viewer: viewer, caller: caller, declaration: nil)
    }

    /// The product page: its facts, this year's declaration form for those who may write, and its journey.
    private static func page(
        _ id: UUID, req: Request, viewer: Viewer, caller: Caller, declaration typed: ProductPages.DeclarationForm?,
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let journey = try await req.platform.products.journey(id: id, by: caller)
        var form = typed
        if form?.year == nil { form?.year = journey.asOf.year }
        if form == nil, viewer.may(.writeProducts) {
            let current = journey.currentDeclaration
            let draft = journey.product.draft
            form = ProductPages.DeclarationForm(
                year: journey.asOf.year, exists: current != nil,
                values: [
                    "stage": (current?.stage ?? draft.stage).rawValue,
                    "expectedFiling": (current.map(\.expectedFiling) ?? draft.expectedFiling)?.description ?? "",
                    "guidanceNeeds": current?.guidanceNeeds ?? "",
                ],
                channels: Set((current?.channels ?? draft.channels).map(\.rawValue)))
        }
        let matches = try await req.platform.trials.matches(for: journey.product, by: caller)
        let html = ProductPages.show(journey, canWrite: viewer.may(.writeProducts), declaration: form, matches: matches, viewer: viewer)
        return HTMLResponse.page(html, status: status)
    }

    struct DeclarationFormInput: Content {
        var year: Int?
        var stage: String?
        var expectedFiling: String?
        var channels: [String]?
        var guidanceNeeds: String?
    }

    /// `POST /products/:id/census`: this year's declaration, by the enterprise or an officer.
    @Sendable static func declare(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let id = try id(req)
        let input = try req.content.decode(DeclarationFormInput.self)
        do {
            _ = try await req.platform.census.declare(
                .init(stage: input.stage, expectedFiling: input.expectedFiling, channels: input.channels ?? [], guidanceNeeds: input.guidanceNeeds),
                year: input.year, productID: id, by: caller)
            return req.redirect(to: SiteURL.product(id: id.uuidString).path + "#declaration", redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty {
            let form = ProductPages.DeclarationForm(
                year: input.year, exists: false,
                values: ["stage": input.stage ?? "", "expectedFiling": input.expectedFiling ?? "", "guidanceNeeds": input.guidanceNeeds ?? ""],
                channels: Set(input.channels ?? []), errors: refusal.fieldMessages)
            return try await page(id, req: req, viewer: viewer, caller: caller, declaration: form, status: refusal.status)
        }
    }

    /// `GET /products/new?enterprise=ID` (an enterprise user's own enterprise without the parameter)
    @Sendable static func new(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .writeProducts)
        let enterprise = try await enterprise(for: req, caller: caller)
        var model = ProductPages.FormModel(enterpriseID: enterprise.id.uuidString, enterpriseName: enterprise.name)
        model.values = [
            "category": ProductCategory.device.rawValue, "managementClass": ManagementClass.two.rawValue,
            "stage": DevelopmentStage.intention.rawValue,
        ]
        return HTMLResponse.ok(ProductPages.form(model, viewer: viewer))
    }

    /// `POST /products`
    @Sendable static func create(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let form = try req.content.decode(ProductForm.self)
        do {
            let created = try await req.platform.products.create(form.input, enterpriseID: form.enterpriseId, by: caller)
            return req.redirect(to: SiteURL.product(id: created.id.uuidString).path, redirectType: .normal)
        } catch let refusal as UseCaseError where refusal.problems.contains(where: { $0.field == "enterpriseId" }) {
            // The hidden field names no enterprise of the viewer's: there is no form to show again.
            throw UseCaseError.notFound(.enterprise)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty {
            // The form names its enterprise; the same one is shown again.
            let enterprise = try await req.platform.enterprises.find(
                id: UUID(uuidString: form.enterpriseId ?? "") ?? UUID(), by: caller)
            return again(formModel(form, id: nil, enterprise: enterprise, errors: refusal.fieldMessages), viewer: viewer, status: refusal.status)
        }
    }

    /// `GET /products/:id/edit`
    @Sendable static func edit(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        let item = try await req.platform.products.find(id: try id(req), by: caller)
        guard caller.may(.writeProducts) else { throw UseCaseError.forbidden(.writeProducts, role: caller.role) }
        let enterprise = try await req.platform.enterprises.find(id: item.enterpriseID, by: caller)
        return HTMLResponse.ok(ProductPages.form(.init(item, enterpriseName: enterprise.name), viewer: viewer))
    }

    /// `POST /products/:id`
    @Sendable static func update(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let id = try id(req)
        let form = try req.content.decode(ProductForm.self)
        do {
            let updated = try await req.platform.products.update(id: id, form.input, expecting: form.version, by: caller)
            return req.redirect(to: SiteURL.product(id: updated.id.uuidString).path, redirectType: .normal)
        } catch let refusal as UseCaseError where refusal.isStale || !refusal.problems.isEmpty {
            let product = try await req.platform.products.find(id: id, by: caller)
            let enterprise = try await req.platform.enterprises.find(id: product.enterpriseID, by: caller)
            var model = formModel(form, id: id.uuidString, enterprise: enterprise, errors: refusal.fieldMessages)
            model.version = form.version
            if refusal.isStale { model.rebase(on: .init(product, enterpriseName: enterprise.name), message: refusal.staleMessage) }
            return again(model, viewer: viewer, status: refusal.status)
        }
    }

    // MARK: Helpers

    /// The `:id` of the path; a text that is no id names no product.
    private static func id(_ req: Request) throws -> UUID {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw UseCaseError.notFound(.product) }
        return id
    }

    /// The enterprise a new product is for: `?enterprise=ID` in scope, or an enterprise user's own.
    private static func enterprise(for req: Request, caller: Caller) async throws -> EnterpriseRecord {
        if let id = req.query[String.self, at: "enterprise"].flatMap(UUID.init(uuidString:)) {
            return try await req.platform.enterprises.find(id: id, by: caller)
        }
        if let own = try await req.platform.enterprises.own(by: caller) { return own }
        throw Abort(.notFound, reason: "请从企业页面进入提交产品；您的企业尚未登记时，请联系所在区或园区。")
    }

    private static func formModel(_ form: ProductForm, id: String?, enterprise: EnterpriseRecord, errors: [String: String]) -> ProductPages.FormModel
    {
        var model = ProductPages.FormModel(id: id, enterpriseID: enterprise.id.uuidString, enterpriseName: enterprise.name)
        model.values = [
            "name": form.name ?? "", "model": form.model ?? "", "category": form.category ?? "", "managementClass": form.managementClass ?? "",
            "classificationCode": form.classificationCode ?? "", "stage": form.stage ?? "", "expectedFiling": form.expectedFiling ?? "",
            "corePatents": form.corePatents ?? "", "technicalFeatures": form.technicalFeatures ?? "",
            "clinicalAdvantage": form.clinicalAdvantage ?? "", "udiDI": form.udiDI ?? "",
        ]
        model.keyAreas = Set(form.keyAreas ?? [])
        model.channels = Set(form.channels ?? [])
        model.errors = errors
        return model
    }

    private static func again(_ model: ProductPages.FormModel, viewer: Viewer, status: HTTPResponseStatus) -> Response {
        HTMLResponse.page(ProductPages.form(model, viewer: viewer), status: status)
    }
}
