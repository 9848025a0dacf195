import Fluent
import Foundation
import TongdaoCore
import TongdaoStore
import Vapor

/// The enterprise registry's pages. The same store calls as the API, so the same scope rules.
enum EnterpriseController {
    static let pageSize = 50

    /// The form as posted: every field a string, so whatever was typed can be shown again.
    struct EnterpriseForm: Content {
        var uscc: String?
        var name: String?
        var district: String?
        var park: String?
        var kind: String?
        var isStartup: String?
        var contactName: String?
        var contactPhone: String?
    }

    /// `GET /enterprises`
    @Sendable static func list(req: Request) async throws -> Response {
        let (viewer, user) = try req.requireViewer(allowedTo: .readEnterprises)
        let q = req.query[String.self, at: "q"] ?? "", district = req.query[String.self, at: "district"] ?? ""
        let park = req.query[String.self, at: "park"] ?? ""
        let cursor = req.query[String.self, at: "cursor"].flatMap { PageCursor(token: $0, count: 2) }
        let filter = EnterpriseStore.ListFilter(district: district.isEmpty ? nil : district, park: park.isEmpty ? nil : park, text: q)
        let page = try await EnterpriseStore.list(filter, scope: user.scopeFilter, limit: pageSize, after: cursor, on: req.db)
        let nextQuery = page.next.flatMap { SiteURL.query([("q", q), ("district", district), ("park", park), ("cursor", $0.token)]) }
        let model = EnterprisePages.ListModel(
            items: page.items, regions: try await regions(req), q: q, district: district, park: park, nextQuery: nextQuery,
            canWrite: viewer.may(.writeEnterprises))
        return HTMLResponse.ok(EnterprisePages.list(model, viewer: viewer))
    }

    /// `GET /enterprises/:id`
    @Sendable static func show(req: Request) async throws -> Response {
        let (viewer, user) = try req.requireViewer(allowedTo: .readEnterprises)
        let item = try await find(req, scope: user.scopeFilter)
        let products = try await ProductStore.list(
            .init(enterpriseID: try item.requireID()), scope: user.scopeFilter, limit: 500, on: req.db
        ).items
        return HTMLResponse.ok(
            EnterprisePages.show(
                item, products: products, regions: try await regions(req), canWrite: viewer.may(.writeEnterprises), viewer: viewer))
    }

    /// `GET /enterprises/new`
    @Sendable static func new(req: Request) async throws -> Response {
        let (viewer, _) = try req.requireViewer(allowedTo: .writeEnterprises)
        return HTMLResponse.ok(EnterprisePages.form(.init(), regions: try await regions(req), viewer: viewer))
    }

    /// `POST /enterprises`
    @Sendable static func create(req: Request) async throws -> Response {
        let (viewer, user) = try req.requireViewer(allowedTo: .writeEnterprises)
        try CSRF.verify(req)
        let form = try req.content.decode(EnterpriseForm.self)
        var model = formModel(form, id: nil)
        do {
            let created = try await EnterpriseStore.create(draft(form), scope: user.scopeFilter, by: req.auditActor, on: req.db)
            return req.redirect(to: SiteURL.enterprise(id: created.id?.uuidString ?? "").path, redirectType: .normal)
        } catch let problem as EnterpriseStore.Problem {
            let status = attach(problem, to: &model)
            return try await again(model, status: status, viewer: viewer, req: req)
        }
    }

    /// `GET /enterprises/:id/edit`
    @Sendable static func edit(req: Request) async throws -> Response {
        let (viewer, user) = try req.requireViewer()
        let item = try await find(req, scope: user.scopeFilter)
        try viewer.ensure(.writeEnterprises, "编辑企业信息")
        return HTMLResponse.ok(EnterprisePages.form(.init(item), regions: try await regions(req), viewer: viewer))
    }

    /// `POST /enterprises/:id`
    @Sendable static func update(req: Request) async throws -> Response {
        let (viewer, user) = try req.requireViewer()
        try CSRF.verify(req)
        let item = try await find(req, scope: user.scopeFilter)
        try viewer.ensure(.writeEnterprises, "编辑企业信息")
        var form = try req.content.decode(EnterpriseForm.self)
        form.uscc = item.uscc
        var model = formModel(form, id: item.id?.uuidString)
        do {
            try await EnterpriseStore.update(item, to: draft(form), scope: user.scopeFilter, by: req.auditActor, on: req.db)
            return req.redirect(to: SiteURL.enterprise(id: item.id?.uuidString ?? "").path, redirectType: .normal)
        } catch let problem as EnterpriseStore.Problem {
            let status = attach(problem, to: &model)
            return try await again(model, status: status, viewer: viewer, req: req)
        }
    }

    // MARK: Helpers

    private static func find(_ req: Request, scope: ScopeFilter) async throws -> EnterpriseModel {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
            let item = try await EnterpriseStore.find(id: id, scope: scope, on: req.db)
        else {
            throw Abort(.notFound)
        }
        return item
    }

    private static func regions(_ req: Request) async throws -> EnterprisePages.Regions {
        EnterprisePages.Regions(try await RegionQueries.list(on: req.db))
    }

    private static func draft(_ form: EnterpriseForm) -> EnterpriseDraft {
        EnterpriseDraft(
            uscc: (form.uscc ?? "").trimmingCharacters(in: .whitespaces).uppercased(), name: form.name ?? "",
            district: form.district ?? "", park: form.park.nonEmpty,
            kind: form.kind.flatMap(EnterpriseKind.init(rawValue:)) ?? .registrant, isStartup: form.isStartup == "true",
            contactName: form.contactName.nonEmpty, contactPhone: form.contactPhone.nonEmpty)
    }

    private static func formModel(_ form: EnterpriseForm, id: String?) -> EnterprisePages.FormModel {
        var model = EnterprisePages.FormModel(id: id)
        model.uscc.value = form.uscc ?? ""
        model.name.value = form.name ?? ""
        model.district.value = form.district ?? ""
        model.park.value = form.park ?? ""
        model.kind.value = form.kind ?? EnterpriseKind.registrant.rawValue
        model.isStartup.value = form.isStartup == "true" ? "true" : ""
        model.contactName.value = form.contactName ?? ""
        model.contactPhone.value = form.contactPhone ?? ""
        return model
    }

    private static func attach(_ problem: EnterpriseStore.Problem, to model: inout EnterprisePages.FormModel) -> HTTPResponseStatus {
        switch problem {
        case .invalid(let problems):
            model.attach(problems)
            return .unprocessableEntity
        case .duplicateUSCC:
            model.attach("该统一社会信用代码已登记", to: "uscc")
            return .conflict
        case .outsideScope(let field):
            model.attach("超出您的权限范围", to: field)
            return .forbidden
        }
    }

    private static func again(_ model: EnterprisePages.FormModel, status: HTTPResponseStatus, viewer: Viewer, req: Request) async throws -> Response {
        HTMLResponse.page(EnterprisePages.form(model, regions: try await regions(req), viewer: viewer), status: status)
    }
}
