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
        var site: String?
        var outcome: String?

        var input: EventInput {
            EventInput(
                type: type, on: on, days: days, decision: decision, certificate: certificate, supersedes: supersedes, reason: reason, note: note,
                site: site, outcome: outcome)
        }

        /// What was typed, to show again.
        var values: [String: String] {
            [
                "type": type ?? "", "on": on ?? "", "days": days ?? "", "decision": decision ?? "", "certificate": certificate ?? "",
                "supersedes": supersedes ?? "", "reason": reason ?? "", "note": note ?? "", "site": site ?? "", "outcome": outcome ?? "",
            ]
        }
    }

    /// `GET /applications?status=&level=&sort=&cursor=`
    @Sendable static func list(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readProducts)
        let (filter, status, level, sort) = listFilter(req)
        let page = try await req.platform.applications.list(filter, limit: pageSize, cursor: req.query[String.self, at: "cursor"], by: caller)
        let names = try await req.platform.applications.productNames(of: page.items, by: caller)
        let people = try await req.platform.applications.peopleNames(of: page.items, by: caller)
        let enterprises = try await req.platform.applications.enterpriseNames(of: page.items, by: caller)
        let nextQuery = page.next.flatMap { SiteURL.query([("status", status), ("level", level), ("sort", sort), ("cursor", $0)]) }
        let model = ApplicationPages.ListModel(
            items: page.items, productNames: names, enterpriseNames: enterprises, people: people, status: status, level: level, sort: sort,
            nextQuery: nextQuery)
        return HTMLResponse.ok(ApplicationPages.list(model, viewer: viewer))
    }

    /// The list's filters as the page and its export read them from the query.
    private static func listFilter(_ req: Request) -> (filter: ApplicationUseCases.Filter, status: String, level: String, sort: String) {
        let status = req.query[String.self, at: "status"] ?? "", level = req.query[String.self, at: "level"] ?? ""
        let sort = req.query[String.self, at: "sort"] == "remaining" ? "remaining" : ""
        let filter = ApplicationUseCases.Filter(
            status: ApplicationStatus(rawValue: status), level: ReviewClock.Level(rawValue: level), byRemaining: !sort.isEmpty,
            open: status == ApplicationPages.openStatus ? true : nil)
        return (filter, status, level, sort)
    }

    /// `GET /applications/export?format=csv|xlsx&status=&level=&sort=` — the list as a file, its
    /// filters applied.
    @Sendable static func export(req: Request) async throws -> Response {
        let (_, caller) = try req.requireViewer(allowedTo: .readProducts)
        let format = try FileDownload.format(req)
        let data = try await req.platform.applications.export(listFilter(req).filter, format: format, by: caller)
        return FileDownload.response(data, format: format, name: "applications-\(req.platform.clock.today())")
    }

    /// The registration form as typed.
    struct AcceptanceForm: Content {
        var product: String?
        var applicationNumber: String?
        var acceptedOn: String?
        var procedure: String?
        var authority: String?
        var channel: String?
        var reviewer: String?
        var responsibleOfficer: String?

        var values: [String: String] {
            [
                "product": product ?? "", "applicationNumber": applicationNumber ?? "", "acceptedOn": acceptedOn ?? "",
                "procedure": procedure ?? "", "authority": authority ?? "", "channel": channel ?? "", "reviewer": reviewer ?? "",
                "responsibleOfficer": responsibleOfficer ?? "",
            ]
        }
    }

    /// `GET /applications/new?product=` — register an application accepted today (or earlier).
    @Sendable static func new(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .writeApplications)
        let product = req.query[String.self, at: "product"] ?? ""
        var model = ApplicationPages.AcceptanceFormModel(values: ["product": product, "acceptedOn": req.platform.clock.today().description])
        model.productName = try await productName(product, by: caller, on: req)
        return HTMLResponse.ok(ApplicationPages.newApplication(model, viewer: viewer))
    }

    private static func blankless(_ text: String?) -> String? {
        guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        return text
    }

    /// The name of the product a form names, when it names one the caller may read.
    private static func productName(_ text: String, by caller: Caller, on req: Request) async throws -> String? {
        guard let id = UUID(uuidString: text) else { return nil }
        return try? await req.platform.products.find(id: id, by: caller).name
    }

    /// `POST /applications` — the use case checks it all; errors next to their fields, values kept.
    @Sendable static func create(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let form = try req.content.decode(AcceptanceForm.self)
        do {
            let detail = try await req.platform.applications.create(
                AcceptanceInput(
                    productID: form.product ?? "", procedure: form.procedure ?? "", authority: form.authority ?? "",
                    applicationNumber: form.applicationNumber ?? "", channel: form.channel ?? "", reviewer: blankless(form.reviewer),
                    responsibleOfficer: blankless(form.responsibleOfficer), acceptedOn: form.acceptedOn ?? ""), by: caller)
            return req.redirect(to: SiteURL.application(id: detail.application.id.uuidString).path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty {
            var model = ApplicationPages.AcceptanceFormModel(values: form.values, errors: refusal.fieldMessages)
            model.productName = try await productName(form.product ?? "", by: caller, on: req)
            return HTMLResponse.page(ApplicationPages.newApplication(model, viewer: viewer), status: refusal.status)
        }
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
        let warnings = try await req.platform.trials.inboxWarnings(by: caller)
        // Inspection tasks go to the regulator's side, the inspectors and the inspected parties.
        let observer = [Role.industryOfficer, .districtOfficer, .parkOfficer, .stationOfficer, .healthOfficer].contains(viewer.role)
        let inspections = observer ? nil : try await req.platform.inspections.inbox(by: caller)
        let obligations = viewer.may(.readObligations) ? try await req.platform.obligations.attention(by: caller) : nil
        let consultations = viewer.may(.readConsultations) ? try await req.platform.consultations.attention(by: caller) : nil
        let appointments = viewer.may(.readConsultations) ? try await req.platform.appointments.attention(by: caller) : nil
        return HTMLResponse.ok(
            ApplicationPages.inbox(
                items: items, digests: digests, trialWarnings: warnings, inspections: inspections, obligations: obligations,
                consultations: consultations, appointments: appointments, viewer: viewer))
    }

    /// The `:id` of the path; a text that is no id names no application.
    private static func id(_ req: Request) throws -> UUID {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw UseCaseError.notFound(.application) }
        return id
    }
}
