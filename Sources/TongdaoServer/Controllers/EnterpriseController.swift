import Foundation
import TongdaoCore
import TongdaoUseCases
import Vapor

/// The enterprise registry's pages: thin adapters over the same use cases as the API.
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
        /// The version of the enterprise the edit form was opened on.
        var version: Int?

        /// The fields as the use case reads them; a form sends every field, so an empty one clears it.
        func input(settingUSCC: Bool) -> EnterpriseInput {
            EnterpriseInput(
                uscc: settingUSCC ? uscc ?? "" : nil, name: name ?? "", district: district ?? "", park: park ?? "",
                kind: kind ?? EnterpriseKind.registrant.rawValue, isStartup: isStartup == "true", contactName: contactName ?? "",
                contactPhone: contactPhone ?? "")
        }
    }

    /// `GET /enterprises`
    @Sendable static func list(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readEnterprises)
        let q = req.query[String.self, at: "q"] ?? "", district = req.query[String.self, at: "district"] ?? ""
        let park = req.query[String.self, at: "park"] ?? ""
        let page = try await req.platform.enterprises.list(
            .init(district: district, park: park, text: q), limit: pageSize, cursor: req.query[String.self, at: "cursor"], by: caller)
        let nextQuery = page.next.flatMap { SiteURL.query([("q", q), ("district", district), ("park", park), ("cursor", $0)]) }
        let model = EnterprisePages.ListModel(
            items: page.items, regions: try await regions(req), q: q, district: district, park: park, nextQuery: nextQuery,
            canWrite: viewer.role.registersEnterprises)
        return HTMLResponse.ok(EnterprisePages.list(model, viewer: viewer))
    }

    /// `GET /enterprises/:id`
    @Sendable static func show(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readEnterprises)
        let item = try await req.platform.enterprises.find(id: try id(req), by: caller)
        let products = try await req.platform.products.list(.init(enterprise: item.id.uuidString), limit: 500, by: caller).items
        let credit = req.platform.credit.reads(kind: .enterprise, id: item.id, uscc: item.uscc, by: caller)
        let policies = try await req.platform.handbook.applicable(toEnterprise: item.id, by: caller)
        return HTMLResponse.ok(
            EnterprisePages.show(
                item, products: products, regions: try await regions(req), canWrite: viewer.may(.writeEnterprises), creditLink: credit,
                policies: policies, viewer: viewer))
    }

    /// `GET /enterprises/new`
    @Sendable static func new(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .writeEnterprises)
        guard viewer.role.registersEnterprises else { throw UseCaseError.forbidden(.writeEnterprises, role: caller.role) }
        return HTMLResponse.ok(EnterprisePages.form(.init(), regions: try await regions(req), viewer: viewer))
    }

    /// `POST /enterprises`
    @Sendable static func create(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let form = try req.content.decode(EnterpriseForm.self)
        do {
            let created = try await req.platform.enterprises.create(form.input(settingUSCC: true), by: caller)
            return req.redirect(to: SiteURL.enterprise(id: created.id.uuidString).path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty {
            var model = formModel(form, id: nil)
            model.attach(refusal.fieldMessages)
            return try await again(model, status: refusal.status, viewer: viewer, req: req)
        }
    }

    /// `GET /enterprises/:id/edit`
    @Sendable static func edit(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        let item = try await req.platform.enterprises.find(id: try id(req), by: caller)
        guard caller.may(.writeEnterprises) else { throw UseCaseError.forbidden(.writeEnterprises, role: caller.role) }
        return HTMLResponse.ok(EnterprisePages.form(.init(item), regions: try await regions(req), viewer: viewer))
    }

    /// `POST /enterprises/:id`
    @Sendable static func update(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let id = try id(req)
        let form = try req.content.decode(EnterpriseForm.self)
        do {
            let updated = try await req.platform.enterprises.update(id: id, form.input(settingUSCC: false), expecting: form.version, by: caller)
            return req.redirect(to: SiteURL.enterprise(id: updated.id.uuidString).path, redirectType: .normal)
        } catch let refusal as UseCaseError where refusal.isStale {
            let stored = try await req.platform.enterprises.find(id: id, by: caller)
            var model = formModel(form, id: id.uuidString)
            model.uscc.value = stored.uscc
            model.rebase(on: .init(stored), message: refusal.staleMessage)
            return try await again(model, status: refusal.status, viewer: viewer, req: req)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty {
            // The USCC never changes: the form shows the stored one.
            var model = formModel(form, id: id.uuidString)
            model.uscc.value = try await req.platform.enterprises.find(id: id, by: caller).uscc
            model.version = form.version
            model.attach(refusal.fieldMessages)
            return try await again(model, status: refusal.status, viewer: viewer, req: req)
        }
    }

    // MARK: Helpers

    /// The `:id` of the path; a text that is no id names no enterprise.
    private static func id(_ req: Request) throws -> UUID {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw UseCaseError.notFound(.enterprise) }
        return id
    }

    private static func regions(_ req: Request) async throws -> EnterprisePages.Regions {
        EnterprisePages.Regions(try await req.platform.reference.regions())
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

    private static func again(_ model: EnterprisePages.FormModel, status: HTTPResponseStatus, viewer: Viewer, req: Request) async throws -> Response {
        HTMLResponse.page(EnterprisePages.form(model, regions: try await regions(req), viewer: viewer), status: status)
    }
}
