import Foundation
import TongdaoCore
import TongdaoUseCases
import Vapor

/// The pages of conditional-approval obligations: thin adapters over `platform.obligations`.
enum ObligationController {
    /// `GET /obligations?status=&alert=&product=&mine=`
    @Sendable static func list(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readObligations)
        func query(_ name: String) -> String? { req.query[String.self, at: name].flatMap { $0.isEmpty ? nil : $0 } }
        let filter = ObligationPages.Filter(product: query("product"), status: query("status"), alert: query("alert"), mine: query("mine") == "true")
        let records = try await req.platform.obligations.list(
            product: filter.product, status: filter.status, alert: filter.alert, officer: filter.mine ? caller.username : nil, by: caller)
        return HTMLResponse.ok(ObligationPages.list(records, filter: filter, viewer: viewer))
    }

    /// `GET /obligations/new?product=`
    @Sendable static func new(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .manageObligations)
        var typed = TypedForm()
        typed.values["product"] = req.query[String.self, at: "product"]
        typed.values["officer"] = caller.username
        return HTMLResponse.ok(try await formPage(req, typed: typed, viewer: viewer, caller: caller))
    }

    private static func formPage(_ req: Request, typed: TypedForm, viewer: Viewer, caller: Caller) async throws -> String {
        let products = try await req.platform.adverseEvents.reportableProducts(by: caller)
        let officers = try await req.platform.obligations.officers(by: caller)
        return ObligationPages.form(products: products, officers: officers, typed: typed, viewer: viewer)
    }

    struct Form: Content {
        var product: String?
        var kind: String?
        var title: String?
        var dueOn: String?
        var officer: String?
        var evidence: String?
        var decision: String?
        var note: String?
        var version: String?
    }

    /// `POST /obligations`
    @Sendable static func create(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let form = try req.content.decode(Form.self)
        do {
            let record = try await req.platform.obligations.create(
                ObligationInput(product: form.product, kind: form.kind, title: form.title, dueOn: form.dueOn, officer: form.officer), by: caller)
            return req.redirect(to: SiteURL.obligation(id: record.id.uuidString).path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty {
            let values = ["product": form.product, "kind": form.kind, "title": form.title, "dueOn": form.dueOn, "officer": form.officer]
            let typed = TypedForm(values: values.compactMapValues { $0 }, errors: refusal.fieldMessages)
            return HTMLResponse.page(try await formPage(req, typed: typed, viewer: viewer, caller: caller), status: .unprocessableEntity)
        }
    }

    /// `GET /obligations/:id`
    @Sendable static func show(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readObligations)
        return HTMLResponse.ok(
            ObligationPages.show(try await req.platform.obligations.detail(id: try id(req), by: caller), typed: nil, step: nil, viewer: viewer))
    }

    /// `POST /obligations/:id/evidence`
    @Sendable static func evidence(req: Request) async throws -> Response {
        try await step(req, "evidence") { form, id, caller in
            try await req.platform.obligations.submitEvidence(id: id, text: form.evidence, expecting: form.version.flatMap { Int($0) }, by: caller)
        }
    }

    /// `POST /obligations/:id/review`
    @Sendable static func review(req: Request) async throws -> Response {
        try await step(req, "review") { form, id, caller in
            try await req.platform.obligations.review(
                id: id, decision: form.decision, note: form.note, expecting: form.version.flatMap { Int($0) }, by: caller)
        }
    }

    /// A step on the obligation's page: done, back to the page; refused, the page again with what
    /// was typed and the message by its field (a stale version: 409 and what it is now).
    private static func step(
        _ req: Request, _ name: String, _ act: (Form, UUID, Caller) async throws -> ObligationRecord
    ) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let id = try id(req)
        let form = try req.content.decode(Form.self)
        do {
            _ = try await act(form, id, caller)
            return req.redirect(to: SiteURL.obligation(id: id.uuidString).path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty || refusal.isStale {
            var typed = TypedForm(
                values: ["evidence": form.evidence, "decision": form.decision, "note": form.note].compactMapValues { $0 },
                errors: refusal.fieldMessages)
            if refusal.isStale { typed.message = "该义务已被他人更新，请核对当前情况后再提交。" }
            if typed.errors["status"] != nil { typed.message = typed.errors["status"] }
            let record = try await req.platform.obligations.detail(id: id, by: caller)
            return HTMLResponse.page(
                ObligationPages.show(record, typed: typed, step: name, viewer: viewer), status: refusal.formStatus)
        }
    }

    private static func id(_ req: Request) throws -> UUID {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw UseCaseError.notFound(.obligation) }
        return id
    }
}
