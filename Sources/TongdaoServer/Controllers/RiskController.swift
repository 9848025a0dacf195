import Foundation
import TongdaoCore
import TongdaoUseCases
import Vapor

/// The risk checklist's pages: thin adapters over `platform.risk`. A refused form comes back on
/// the product's risk page with what was typed and the message by its field.
enum RiskController {
    /// `GET /risk-checklist`
    @Sendable static func checklist(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readRiskChecklist)
        return HTMLResponse.ok(RiskPages.checklist(try await req.platform.risk.checklist(by: caller), viewer: viewer))
    }

    /// `GET /products/:id/risk`
    @Sendable static func file(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        return HTMLResponse.ok(RiskPages.file(try await req.platform.risk.file(product: try id(req), by: caller), typed: nil, viewer: viewer))
    }

    struct Form: Content {
        var source: String?
        var description: String?
        var control: String?
        var owner: String?
        var dueOn: String?
        var status: String?
        var note: String?
        var version: String?
        var heldOn: String?
        var attendees: String?
        var decisions: String?
        var title: String?
        var content: String?
        var from: String?
        var to: String?
        var summary: String?
        /// A meeting's decided status of each item: `change-<item id>`.
        var changes: [String: String]?
    }

    /// `POST /products/:id/risk/items`
    @Sendable static func addItem(req: Request) async throws -> Response {
        try await step(req, "item") { form, id, caller in
            _ = try await req.platform.risk.addItem(
                product: id,
                RiskItemInput(source: form.source, description: form.description, control: form.control, owner: form.owner, dueOn: form.dueOn),
                by: caller)
        }
    }

    /// `POST /products/:id/risk/items/:item/status`
    @Sendable static func changeItem(req: Request) async throws -> Response {
        let item = req.parameters.get("item").flatMap(UUID.init(uuidString:))
        return try await step(req, "status-\(item?.uuidString ?? "")") { form, id, caller in
            guard let item else { throw UseCaseError.notFound(.riskItem) }
            _ = try await req.platform.risk.changeItem(
                product: id, item: item, status: form.status, note: form.note, expecting: form.version.flatMap { Int($0) }, by: caller)
        }
    }

    /// `POST /products/:id/risk/meetings`
    @Sendable static func holdMeeting(req: Request) async throws -> Response {
        try await step(req, "meeting") { form, id, caller in
            _ = try await req.platform.risk.holdMeeting(
                product: id,
                RiskMeetingInput(heldOn: form.heldOn, attendees: form.attendees, decisions: form.decisions, changes: form.changes ?? [:]),
                by: caller)
        }
    }

    /// `POST /products/:id/risk/plans`
    @Sendable static func attachPlan(req: Request) async throws -> Response {
        try await step(req, "plan") { form, id, caller in
            _ = try await req.platform.risk.attachPlan(
                product: id, SpecialPlanInput(title: form.title, content: form.content, from: form.from, to: form.to), by: caller)
        }
    }

    /// `POST /products/:id/risk/periodic-reports/:year`
    @Sendable static func submitPeriodicReport(req: Request) async throws -> Response {
        let year = req.parameters.get("year").flatMap { Int($0) } ?? 0
        return try await step(req, "report-\(year)") { form, id, caller in
            _ = try await req.platform.risk.submitPeriodicReport(product: id, year: year, summary: form.summary, by: caller)
        }
    }

    /// A form of the risk page: done, back to the page; refused, the page again with what was typed
    /// and the message by its field (a stale version or a report already in: 409).
    private static func step(_ req: Request, _ name: String, _ act: (Form, UUID, Caller) async throws -> Void) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let id = try id(req)
        let form = try req.content.decode(Form.self)
        do {
            try await act(form, id, caller)
            return req.redirect(to: SiteURL.productRisk(id: id.uuidString).path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty || refusal.isStale {
            let values: [String: String?] = [
                "source": form.source, "description": form.description, "control": form.control, "owner": form.owner, "dueOn": form.dueOn,
                "status": form.status, "note": form.note, "heldOn": form.heldOn, "attendees": form.attendees, "decisions": form.decisions,
                "title": form.title, "content": form.content, "from": form.from, "to": form.to, "summary": form.summary,
            ]
            var typed = TypedForm(values: values.compactMapValues { $0 }, errors: refusal.fieldMessages)
            typed.values["step"] = name
            var conflict = refusal.isStale
            if case .conflict(let problem) = refusal {
                conflict = true
                typed.message = problem.chinese
            }
            if refusal.isStale { typed.message = "该风险项已被他人更新，请核对当前状态后再提交。" }
            let file = try await req.platform.risk.file(product: id, by: caller)
            return HTMLResponse.page(RiskPages.file(file, typed: typed, viewer: viewer), status: conflict ? .conflict : .unprocessableEntity)
        }
    }

    private static func id(_ req: Request) throws -> UUID {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw UseCaseError.notFound(.product) }
        return id
    }
}
