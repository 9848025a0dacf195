import Foundation
import TongdaoCore
import TongdaoUseCases
import Vapor

/// Application pages: the list with clock badges, one application with its timeline and clock, the
/// event form, the inbox. Thin adapters over the same use cases as the API.
enum ApplicationController {
    static let pageSize = 50

    struct EventForm: Content {
        var type: String?
        var on: String?
        var days: String?
        var decision: String?
        var certificate: String?
        var supersedes: String?
        var reason: String?
        var note: String?

        var input: EventInput {
            EventInput(
                type: type, on: on, days: days, decision: decision, certificate: certificate, supersedes: supersedes, reason: reason, note: note)
        }

        /// What was typed, to show again.
        var values: [String: String] {
            [
                "type": type ?? "", "on": on ?? "", "days": days ?? "", "decision": decision ?? "", "certificate": certificate ?? "",
                "supersedes": supersedes ?? "", "reason": reason ?? "", "note": note ?? "",
            ]
        }
    }

    /// `GET /applications?status=&level=&sort=&cursor=`
    @Sendable static func list(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readProducts)
        let status = req.query[String.self, at: "status"] ?? "", level = req.query[String.self, at: "level"] ?? ""
        let sort = req.query[String.self, at: "sort"] == "remaining" ? "remaining" : ""
        let filter = ApplicationUseCases.Filter(
            status: ApplicationStatus(rawValue: status), level: ReviewClock.Level(rawValue: level), byRemaining: !sort.isEmpty,
            open: status == ApplicationPages.openStatus ? true : nil)
        let page = try await req.platform.applications.list(filter, limit: pageSize, cursor: req.query[String.self, at: "cursor"], by: caller)
        let names = try await req.platform.applications.productNames(of: page.items, by: caller)
        let people = try await req.platform.applications.peopleNames(of: page.items, by: caller)
        let nextQuery = page.next.flatMap { SiteURL.query([("status", status), ("level", level), ("sort", sort), ("cursor", $0)]) }
        let model = ApplicationPages.ListModel(
            items: page.items, productNames: names, people: people, status: status, level: level, sort: sort, nextQuery: nextQuery)
        return HTMLResponse.ok(ApplicationPages.list(model, viewer: viewer))
    }

    /// `GET /applications/:id`
    @Sendable static func show(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readProducts)
        let detail = try await req.platform.applications.detail(id: try id(req), by: caller)
        return HTMLResponse.ok(ApplicationPages.detail(.init(detail: detail, form: .init()), viewer: viewer))
    }

    /// `POST /applications/:id/events` — record an event; errors next to their fields, values kept.
    @Sendable static func record(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let id = try id(req)
        let form = try req.content.decode(EventForm.self)
        do {
            _ = try await req.platform.applications.record(form.input, on: id, by: caller)
            return req.redirect(to: SiteURL.application(id: id.uuidString).path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty {
            let detail = try await req.platform.applications.detail(id: id, by: caller)
            var model = ApplicationPages.EventFormModel(values: form.values, errors: refusal.fieldMessages)
            if case .conflict(let problem) = refusal {
                model.errors = [:]
                model.message = problem.chinese
            }
            return HTMLResponse.page(ApplicationPages.detail(.init(detail: detail, form: model), viewer: viewer), status: .unprocessableEntity)
        }
    }

    /// `GET /inbox`
    @Sendable static func inbox(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        let items = try await req.platform.applications.inbox(by: caller)
        let digests = try await req.platform.digest.mine(limit: 7, by: caller)
        return HTMLResponse.ok(ApplicationPages.inbox(items: items, digests: digests, viewer: viewer))
    }

    /// The `:id` of the path; a text that is no id names no application.
    private static func id(_ req: Request) throws -> UUID {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw UseCaseError.notFound(.application) }
        return id
    }
}
