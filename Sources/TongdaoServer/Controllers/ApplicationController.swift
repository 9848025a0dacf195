import Fluent
import Foundation
import TongdaoCore
import TongdaoStore
import Vapor

/// Application pages: the list with clock badges, one application with its timeline and clock, the
/// event form, the inbox. The same store calls as the API, so the same scope and lifecycle rules.
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
    }

    /// `GET /applications?status=&level=&cursor=`
    @Sendable static func list(req: Request) async throws -> Response {
        let (viewer, user) = try req.requireViewer(allowedTo: .readProducts)
        let status = req.query[String.self, at: "status"] ?? "", level = req.query[String.self, at: "level"] ?? ""
        let sort = req.query[String.self, at: "sort"] == "remaining" ? "remaining" : ""
        let after = req.query[String.self, at: "cursor"].flatMap { PageCursor(token: $0, count: sort.isEmpty ? 1 : 2) }
        let clocks = try await ApplicationClocks.load(on: req)
        var filter = ApplicationStore.ListFilter(status: ApplicationStatus(rawValue: status))
        filter.byRemaining = !sort.isEmpty
        let page = try await ApplicationListing.page(
            filter, level: ReviewClock.Level(rawValue: level), overdue: nil, scope: user.scopeFilter, limit: pageSize, after: after,
            clocks: clocks, on: req.db)
        let names = try await productNames(page.items.map(\.application.$product.id), on: req.db)
        let nextQuery = page.next.flatMap { SiteURL.query([("status", status), ("level", level), ("sort", sort), ("cursor", $0.token)]) }
        let model = ApplicationPages.ListModel(
            items: page.items, productNames: names, status: status, level: level, sort: sort, nextQuery: nextQuery)
        return HTMLResponse.ok(ApplicationPages.list(model, viewer: viewer))
    }

    /// `GET /applications/:id`
    @Sendable static func show(req: Request) async throws -> Response {
        let (viewer, user) = try req.requireViewer(allowedTo: .readProducts)
        let application = try await find(req, scope: user.scopeFilter)
        return HTMLResponse.ok(
            try await page(
                application, form: ApplicationPages.EventFormModel(), viewer: viewer, clocks: ApplicationClocks.load(on: req), on: req))
    }

    /// `POST /applications/:id/events` — record an event; errors next to their fields, values kept.
    @Sendable static func record(req: Request) async throws -> Response {
        let (viewer, user) = try req.requireViewer()
        try CSRF.verify(req)
        let application = try await find(req, scope: user.scopeFilter)
        let form = try req.content.decode(EventForm.self)
        var model = ApplicationPages.EventFormModel(values: [
            "type": form.type ?? "", "on": form.on ?? "", "days": form.days ?? "", "decision": form.decision ?? "",
            "certificate": form.certificate ?? "", "supersedes": form.supersedes ?? "", "reason": form.reason ?? "", "note": form.note ?? "",
        ])
        let kind = ApplicationEventKind(rawValue: form.type ?? "")
        try viewer.ensure(kind?.requiredAction ?? .writeApplications, "记录审评事件")
        let clocks = try await ApplicationClocks.load(on: req)
        if kind == nil || kind == .accepted { model.errors["type"] = "请选择事件" }
        let date = CivilDate(form.on ?? "")
        if date == nil { model.errors["on"] = "请填写日期（YYYY-MM-DD）" } else if let date, date > clocks.today { model.errors["on"] = "不能晚于今天" }
        var days: Int?
        if let text = form.days, !text.isEmpty {
            days = Int(text)
            if days.map({ !(1...10_000).contains($0) }) ?? true { model.errors["days"] = "应为 1–10000 的工作日数" }
        }
        let empty = { (text: String?) in text.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 } }
        var supersedes: UUID?
        if let text = empty(form.supersedes) {
            supersedes = UUID(uuidString: text)
            if supersedes == nil { model.errors["supersedes"] = "请选择要更正的事件" }
        }
        guard model.errors.isEmpty, let kind, let date else {
            return HTMLResponse.page(try await page(application, form: model, viewer: viewer, clocks: clocks, on: req), status: .unprocessableEntity)
        }
        guard let version = clocks.version(of: application) else { throw Abort(.conflict, reason: "该申报事项的审评程序版本已不在目录中") }
        let event = ApplicationEvent(
            kind, on: date, days: days, decision: empty(form.decision).flatMap(ApprovalDecision.init(rawValue:)),
            certificate: empty(form.certificate),
            supersedes: supersedes, reason: empty(form.reason))
        do {
            let (_, notice) = try await ApplicationStore.record(
                .init(event, note: empty(form.note)), on: application, version: version, calendar: clocks.calendar, today: clocks.today,
                by: req.auditActor, on: req.db)
            req.application.liveFeed.announce(notice)
            return req.redirect(to: SiteURL.application(id: try application.requireID().uuidString).path, redirectType: .normal)
        } catch let problem as ApplicationStore.Problem {
            switch problem {
            case .invalid(let problems):
                for issue in problems { model.errors[issue.field] = issue.chinese }
            case .impossible(_, let reason):
                let field =
                    reason.hasPrefix("certificate") ? "certificate" : reason.contains("reason") ? "reason" : reason.contains("days") ? "days" : "type"
                model.errors[field] = "此事件现在不能记录：\(reason)"
            case .duplicateNumber, .concurrentChange:
                model.message = "同时有其他人记录了事件，请刷新后重试"
            }
            return HTMLResponse.page(try await page(application, form: model, viewer: viewer, clocks: clocks, on: req), status: .unprocessableEntity)
        }
    }

    /// `GET /inbox`
    @Sendable static func inbox(req: Request) async throws -> Response {
        let (viewer, user) = try req.requireViewer()
        let clocks = try await ApplicationClocks.load(on: req)
        let items = try await Inbox.items(for: user.username, scope: user.scopeFilter, clocks: clocks, on: req.db)
        let digests = try await DigestStore.digests(for: user.username, limit: 7, on: req.db)
        let names = try await productNames(items.map(\.application.$product.id), on: req.db)
        return HTMLResponse.ok(ApplicationPages.inbox(items: items, digests: digests, productNames: names, viewer: viewer))
    }

    // MARK: Helpers

    static func page(
        _ application: ApplicationModel, form: ApplicationPages.EventFormModel, viewer: Viewer, clocks: ApplicationClocks, on req: Request
    ) async throws -> String {
        let id = try application.requireID()
        let events = try await ApplicationStore.events(of: [id], on: req.db)[id] ?? []
        let product = try await ProductModel.find(application.$product.id, on: req.db)
        let model = ApplicationPages.DetailModel(
            application: application, productName: product?.name ?? "", events: events, clock: clocks.reading(application, events.map(\.event)),
            warnings: clocks.warnings(application, events.map(\.event)), confidential: viewer.may(.readConfidentialReview),
            canRecord: viewer.may(.writeApplications), canInspect: viewer.may(.recordInspections), form: form, today: clocks.today)
        return ApplicationPages.detail(model, viewer: viewer)
    }

    static func productNames(_ ids: [UUID], on db: any Database) async throws -> [UUID: String] {
        let unique = Array(Set(ids))
        guard !unique.isEmpty else { return [:] }
        return Dictionary(
            try await ProductModel.query(on: db).filter(\.$id ~~ unique).all().compactMap { model in model.id.map { ($0, model.name) } },
            uniquingKeysWith: { first, _ in first })
    }

    private static func find(_ req: Request, scope: ScopeFilter) async throws -> ApplicationModel {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
            let item = try await ApplicationStore.find(id: id, scope: scope, on: req.db)
        else { throw Abort(.notFound) }
        return item
    }
}
