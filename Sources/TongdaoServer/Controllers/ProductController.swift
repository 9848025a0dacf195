import Fluent
import Foundation
import TongdaoCore
import TongdaoStore
import Vapor

/// Product pages. The same store calls as the API, so the same scope rules.
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
    }

    /// `GET /products`
    @Sendable static func list(req: Request) async throws -> Response {
        let (viewer, user) = try req.requireViewer(allowedTo: .readProducts)
        let q = req.query[String.self, at: "q"] ?? "", keyArea = req.query[String.self, at: "keyArea"] ?? ""
        let stage = req.query[String.self, at: "stage"] ?? ""
        let after = req.query[String.self, at: "cursor"].flatMap(PageCursor.id(fromToken:))
        let filter = ProductStore.ListFilter(keyArea: KeyArea(rawValue: keyArea), stage: DevelopmentStage(rawValue: stage), text: q)
        let page = try await ProductStore.list(filter, scope: user.scopeFilter, limit: pageSize, after: after, on: req.db)
        let ids = Array(Set(page.items.map(\.$enterprise.id)))
        let names =
            ids.isEmpty
            ? [:]
            : Dictionary(
                try await EnterpriseModel.query(on: req.db).filter(\.$id ~~ ids).all().compactMap { model in model.id.map { ($0, model.name) } },
                uniquingKeysWith: { first, _ in first })
        let nextQuery = page.next.flatMap { SiteURL.query([("q", q), ("keyArea", keyArea), ("stage", stage), ("cursor", PageCursor(id: $0).token)]) }
        var newPath: String?
        if viewer.may(.writeProducts) {
            // An enterprise user submits for itself; officers start from an enterprise's page.
            if case .enterprise = user.scope { newPath = SiteURL.productNew(enterprise: nil).path }
        }
        let model = ProductPages.ListModel(
            items: page.items, enterpriseNames: names, q: q, keyArea: keyArea, stage: stage, nextQuery: nextQuery, newProductPath: newPath)
        return HTMLResponse.ok(ProductPages.list(model, viewer: viewer))
    }

    /// `GET /products/:id`
    @Sendable static func show(req: Request) async throws -> Response {
        let (viewer, user) = try req.requireViewer(allowedTo: .readProducts)
        let item = try await find(req, scope: user.scopeFilter)
        return try await page(item, req: req, viewer: viewer, user: user, declaration: nil)
    }

    /// The product page: its facts, this year's declaration form for those who may write, and its journey.
    private static func page(
        _ item: ProductModel, req: Request, viewer: Viewer, user: AuthenticatedUser, declaration typed: ProductPages.DeclarationForm?,
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let enterprise = try await EnterpriseModel.find(item.$enterprise.id, on: req.db)
        // The journey: census declarations year by year, then the applications with their clocks.
        let productID = try item.requireID()
        let declarations = try await CensusIntentionModel.query(on: req.db).filter(\.$product.$id == productID).sort(\.$year).all()
        let applications = try await ApplicationModel.query(on: req.db).filter(\.$product.$id == productID).scoped(to: user.scopeFilter).sort(\.$id)
            .all()
        let clocks = try await ApplicationClocks.load(on: req)
        let timelines = try await ApplicationStore.events(of: applications.compactMap(\.id), on: req.db)
        let journey = ProductPages.Journey(
            declarations: declarations,
            applications: applications.map {
                ApplicationListing.Item(application: $0, clock: clocks.reading($0, (timelines[$0.id ?? UUID()] ?? []).map(\.event)))
            },
            events: timelines)
        var form = typed
        if form == nil, viewer.may(.writeProducts) {
            let year = ShanghaiClock.today().year
            let current = declarations.first { $0.year == year }?.declaration
            let draft = item.draft
            form = ProductPages.DeclarationForm(
                year: year, exists: current != nil,
                values: [
                    "stage": (current?.stage ?? draft.stage).rawValue,
                    "expectedFiling": (current.map(\.expectedFiling) ?? draft.expectedFiling)?.description ?? "",
                    "guidanceNeeds": current?.guidanceNeeds ?? "",
                ],
                channels: Set((current?.channels ?? draft.channels).map(\.rawValue)))
        }
        let html = ProductPages.show(
            item, enterpriseName: enterprise?.name ?? item.uscc, canWrite: viewer.may(.writeProducts), declaration: form, journey: journey,
            viewer: viewer)
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
        let (viewer, user) = try req.requireViewer()
        try CSRF.verify(req)
        let item = try await find(req, scope: user.scopeFilter)
        try viewer.ensure(.writeProducts, "申报年度注册意向")
        let input = try req.content.decode(DeclarationFormInput.self)
        let thisYear = ShanghaiClock.today().year
        let year = input.year ?? thisYear
        var form = ProductPages.DeclarationForm(
            year: year, exists: false,
            values: ["stage": input.stage ?? "", "expectedFiling": input.expectedFiling ?? "", "guidanceNeeds": input.guidanceNeeds ?? ""],
            channels: Set(input.channels ?? []))
        let stage = DevelopmentStage(rawValue: input.stage ?? "")
        let channels = (input.channels ?? []).compactMap(FilingChannel.init(rawValue:))
        let month = input.expectedFiling.nonEmpty.map(YearMonth.init)
        if let problem = CensusDeclarations.yearProblem(year, thisYear: thisYear, role: user.role) { form.errors["year"] = problem.chinese }
        if stage == nil { form.errors["stage"] = "请选择研发阶段" }
        if channels.count != (input.channels ?? []).count { form.errors["channels"] = "请从列表中选择" }
        if let month, month == nil { form.errors["expectedFiling"] = "应为 YYYY-MM 格式的年月" }
        if form.errors.isEmpty, let stage {
            let declaration = CensusDeclaration(stage: stage, expectedFiling: month ?? nil, channels: channels, guidanceNeeds: input.guidanceNeeds)
            do {
                _ = try await CensusStore.declare(
                    declaration, year: year, for: item, updatesProduct: year >= thisYear, by: req.auditActor, on: req.db)
                return req.redirect(to: SiteURL.product(id: try item.requireID().uuidString).path + "#declaration", redirectType: .normal)
            } catch ProductStore.Problem.invalid(let problems) {
                for problem in problems { form.errors[problem.field] = problem.chinese }
            }
        }
        return try await page(item, req: req, viewer: viewer, user: user, declaration: form, status: .unprocessableEntity)
    }

    /// `GET /products/new?enterprise=ID` (an enterprise user's own enterprise without the parameter)
    @Sendable static func new(req: Request) async throws -> Response {
        let (viewer, user) = try req.requireViewer(allowedTo: .writeProducts)
        let enterprise = try await enterprise(for: req, user: user)
        var model = ProductPages.FormModel(enterpriseID: try enterprise.requireID().uuidString, enterpriseName: enterprise.name)
        model.values = [
            "category": ProductCategory.device.rawValue, "managementClass": ManagementClass.two.rawValue,
            "stage": DevelopmentStage.intention.rawValue,
        ]
        return HTMLResponse.ok(ProductPages.form(model, viewer: viewer))
    }

    /// `POST /products`
    @Sendable static func create(req: Request) async throws -> Response {
        let (viewer, user) = try req.requireViewer(allowedTo: .writeProducts)
        try CSRF.verify(req)
        let form = try req.content.decode(ProductForm.self)
        let enterpriseID = form.enterpriseId.flatMap(UUID.init(uuidString:))
        let enterprise = try await enterpriseID.asyncFlatMap { try await EnterpriseStore.find(id: $0, scope: user.scopeFilter, on: req.db) }
        guard let enterprise else { throw Abort(.notFound) }
        var model = formModel(form, id: nil, enterprise: enterprise)
        guard let draft = draft(form, into: &model) else { return again(model, viewer: viewer) }
        do {
            let created = try await ProductStore.create(
                draft, enterpriseID: try enterprise.requireID(), scope: user.scopeFilter, by: req.auditActor, on: req.db)
            return req.redirect(to: SiteURL.product(id: try created.requireID().uuidString).path, redirectType: .normal)
        } catch let problem as ProductStore.Problem {
            attach(problem, to: &model)
            return again(model, viewer: viewer, status: problem.isDuplicate ? .conflict : .unprocessableEntity)
        }
    }

    /// `GET /products/:id/edit`
    @Sendable static func edit(req: Request) async throws -> Response {
        let (viewer, user) = try req.requireViewer()
        let item = try await find(req, scope: user.scopeFilter)
        try viewer.ensure(.writeProducts, "编辑产品信息")
        let enterprise = try await EnterpriseModel.find(item.$enterprise.id, on: req.db)
        let draft = item.draft
        var model = ProductPages.FormModel(
            id: item.id?.uuidString, enterpriseID: item.$enterprise.id.uuidString, enterpriseName: enterprise?.name ?? item.uscc)
        model.values = [
            "name": draft.name, "model": draft.model, "category": draft.category.rawValue, "managementClass": draft.managementClass.rawValue,
            "classificationCode": draft.classificationCode ?? "", "stage": draft.stage.rawValue,
            "expectedFiling": draft.expectedFiling?.description ?? "",
            "corePatents": draft.corePatents ?? "", "technicalFeatures": draft.technicalFeatures ?? "",
            "clinicalAdvantage": draft.clinicalAdvantage ?? "",
            "udiDI": draft.udiDI ?? "",
        ]
        model.keyAreas = Set(draft.keyAreas.map(\.rawValue))
        model.channels = Set(draft.channels.map(\.rawValue))
        return HTMLResponse.ok(ProductPages.form(model, viewer: viewer))
    }

    /// `POST /products/:id`
    @Sendable static func update(req: Request) async throws -> Response {
        let (viewer, user) = try req.requireViewer()
        try CSRF.verify(req)
        let item = try await find(req, scope: user.scopeFilter)
        try viewer.ensure(.writeProducts, "编辑产品信息")
        let form = try req.content.decode(ProductForm.self)
        let enterprise = try await EnterpriseModel.find(item.$enterprise.id, on: req.db)
        guard let enterprise else { throw Abort(.notFound) }
        var model = formModel(form, id: item.id?.uuidString, enterprise: enterprise)
        guard let draft = draft(form, into: &model) else { return again(model, viewer: viewer) }
        do {
            try await ProductStore.update(item, to: draft, by: req.auditActor, on: req.db)
            return req.redirect(to: SiteURL.product(id: try item.requireID().uuidString).path, redirectType: .normal)
        } catch let problem as ProductStore.Problem {
            attach(problem, to: &model)
            return again(model, viewer: viewer, status: problem.isDuplicate ? .conflict : .unprocessableEntity)
        }
    }

    // MARK: Helpers

    private static func find(_ req: Request, scope: ScopeFilter) async throws -> ProductModel {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
            let item = try await ProductStore.find(id: id, scope: scope, on: req.db)
        else { throw Abort(.notFound) }
        return item
    }

    /// The enterprise a new product is for: `?enterprise=ID` in scope, or an enterprise user's own.
    private static func enterprise(for req: Request, user: AuthenticatedUser) async throws -> EnterpriseModel {
        if let id = req.query[String.self, at: "enterprise"].flatMap(UUID.init(uuidString:)),
            let enterprise = try await EnterpriseStore.find(id: id, scope: user.scopeFilter, on: req.db)
        {
            return enterprise
        }
        if case .enterprise(let uscc) = user.scope,
            let own = try await EnterpriseModel.query(on: req.db).filter(\.$uscc == uscc).first()
        {
            return own
        }
        throw Abort(.notFound, reason: "请从企业页面进入提交产品；您的企业尚未登记时，请联系所在区或园区。")
    }

    private static func formModel(_ form: ProductForm, id: String?, enterprise: EnterpriseModel) -> ProductPages.FormModel {
        var model = ProductPages.FormModel(id: id, enterpriseID: enterprise.id?.uuidString ?? "", enterpriseName: enterprise.name)
        model.values = [
            "name": form.name ?? "", "model": form.model ?? "", "category": form.category ?? "", "managementClass": form.managementClass ?? "",
            "classificationCode": form.classificationCode ?? "", "stage": form.stage ?? "", "expectedFiling": form.expectedFiling ?? "",
            "corePatents": form.corePatents ?? "", "technicalFeatures": form.technicalFeatures ?? "",
            "clinicalAdvantage": form.clinicalAdvantage ?? "",
            "udiDI": form.udiDI ?? "",
        ]
        model.keyAreas = Set(form.keyAreas ?? [])
        model.channels = Set(form.channels ?? [])
        return model
    }

    /// The draft, or nil with the form's own problems attached (values that are not in the lists).
    private static func draft(_ form: ProductForm, into model: inout ProductPages.FormModel) -> ProductDraft? {
        let category = ProductCategory(rawValue: form.category ?? "")
        let managementClass = ManagementClass(rawValue: form.managementClass ?? "")
        let stage = DevelopmentStage(rawValue: form.stage ?? "")
        let keyAreas = (form.keyAreas ?? []).compactMap(KeyArea.init(rawValue:))
        let channels = (form.channels ?? []).compactMap(FilingChannel.init(rawValue:))
        let month = form.expectedFiling.nonEmpty.map(YearMonth.init)
        if category == nil { model.errors["category"] = "请选择产品类别" }
        if managementClass == nil { model.errors["managementClass"] = "请选择管理类别" }
        if stage == nil { model.errors["stage"] = "请选择研发阶段" }
        if keyAreas.count != (form.keyAreas ?? []).count { model.errors["keyAreas"] = "请从列表中选择" }
        if channels.count != (form.channels ?? []).count { model.errors["channels"] = "请从列表中选择" }
        if let month, month == nil { model.errors["expectedFiling"] = "应为 YYYY-MM 格式的年月" }
        guard model.errors.isEmpty, let category, let managementClass, let stage else { return nil }
        return ProductDraft(
            name: form.name ?? "", model: form.model ?? "", category: category, managementClass: managementClass,
            classificationCode: form.classificationCode.nonEmpty, keyAreas: keyAreas, stage: stage, expectedFiling: month ?? nil,
            channels: channels, corePatents: form.corePatents.nonEmpty, technicalFeatures: form.technicalFeatures.nonEmpty,
            clinicalAdvantage: form.clinicalAdvantage.nonEmpty, udiDI: form.udiDI.nonEmpty)
    }

    private static func attach(_ problem: ProductStore.Problem, to model: inout ProductPages.FormModel) {
        switch problem {
        case .invalid(let problems):
            for problem in problems { model.errors[problem.field] = problem.chinese }
        case .duplicate:
            model.errors["name"] = "该企业已有同名、同型号的产品"
        }
    }

    private static func again(_ model: ProductPages.FormModel, viewer: Viewer, status: HTTPResponseStatus = .unprocessableEntity) -> Response {
        HTMLResponse.page(ProductPages.form(model, viewer: viewer), status: status)
    }
}

extension ProductStore.Problem {
    var isDuplicate: Bool {
        if case .duplicate = self { true } else { false }
    }
}

extension Optional {
    func asyncFlatMap<U>(_ transform: (Wrapped) async throws -> U?) async rethrows -> U? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
