import Foundation
import TongdaoCore
import TongdaoUseCases
import Vapor

/// The pages of landing projects: thin adapters over `platform.landing`.
enum LandingController {
    struct Form: Content {
        var product: String?
        var district: String?
        var park: String?
        var site: String?
        var status: String?
        var plannedOn: String?
        var investment: String?
        var note: String?
        var title: String?
        var detail: String?
        var owner: String?
        var dueOn: String?
        var resolution: String?
        var meeting: String?
        var heldOn: String?
        var subject: String?
        var attendees: String?
        var decisions: String?
        var projects: [String]?
        var version: String?

        var project: LandingProjectInput {
            LandingProjectInput(
                product: product, district: district, park: park, site: site, status: status, plannedOn: plannedOn, investment: investment, note: note
            )
        }

        func typed(_ refusal: UseCaseError) -> TypedForm {
            var form = TypedForm(
                values: [
                    "product": product, "district": district, "park": park, "site": site, "status": status, "plannedOn": plannedOn,
                    "investment": investment, "note": note, "title": title, "detail": detail, "owner": owner, "dueOn": dueOn,
                    "resolution": resolution,
                    "meeting": meeting, "heldOn": heldOn, "subject": subject, "attendees": attendees, "decisions": decisions,
                ].compactMapValues { $0 }, errors: refusal.fieldMessages)
            form.selected = Set(projects ?? [])
            if refusal.isStale { form.message = "该记录已被他人更新，请核对当前内容后再提交。" }
            return form
        }
    }

    private static func query(_ req: Request, _ name: String) -> String { req.query[String.self, at: name] ?? "" }

    /// `GET /landing?status=&district=`
    @Sendable static func list(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readLanding)
        return HTMLResponse.ok(try await listPage(req, viewer: viewer, caller: caller, typed: nil))
    }

    private static func listPage(_ req: Request, viewer: Viewer, caller: Caller, typed: TypedForm?) async throws -> String {
        let status = query(req, "status")
        let district = query(req, "district")
        let landing = req.platform.landing
        let records = try await landing.list(status: status.isEmpty ? nil : status, district: district, by: caller)
        let candidates = caller.may(.writeLanding) ? try await landing.candidates(by: caller) : []
        return LandingPages.list(
            records, status: status, district: district, districts: try await districts(req), typed: typed, candidates: candidates, viewer: viewer)
    }

    /// `GET /landing/export?format=&status=&district=`
    @Sendable static func export(req: Request) async throws -> Response {
        let (_, caller) = try req.requireViewer(allowedTo: .readLanding)
        let format = try FileDownload.format(req)
        let status = query(req, "status")
        let data = try await req.platform.landing.export(
            status: status.isEmpty ? nil : status, district: query(req, "district"), format: format, by: caller)
        return FileDownload.response(data, format: format, name: "landing-\(req.platform.clock.today())")
    }

    /// `POST /landing`
    @Sendable static func create(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let form = try req.content.decode(Form.self)
        do {
            let record = try await req.platform.landing.create(form.project, by: caller)
            return req.redirect(to: SiteURL.landingProject(id: record.id.uuidString).path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty {
            return HTMLResponse.page(try await listPage(req, viewer: viewer, caller: caller, typed: form.typed(refusal)), status: refusal.formStatus)
        }
    }

    /// `GET /landing/:id`
    @Sendable static func show(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readLanding)
        let record = try await req.platform.landing.detail(id: try id(req), by: caller)
        return HTMLResponse.ok(LandingPages.show(record, districts: try await districts(req), typed: nil, step: nil, viewer: viewer))
    }

    /// `POST /landing/:id/update`
    @Sendable static func step(req: Request) async throws -> Response {
        try await perform(req, step: req.parameters.get("step") ?? "")
    }

    /// `POST /landing/:id/problems` (its own route: the router does not fall back from the constant
    /// `problems` of the resolution's path to `:step`).
    @Sendable static func raise(req: Request) async throws -> Response {
        try await perform(req, step: "problems")
    }

    private static func perform(_ req: Request, step: String) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let id = try id(req)
        let form = try req.content.decode(Form.self)
        let landing = req.platform.landing
        do {
            switch step {
            case "update": _ = try await landing.update(id: id, form.project, expecting: form.version.flatMap { Int($0) }, by: caller)
            case "problems":
                _ = try await landing.raiseProblem(
                    project: id, LandingProblemInput(title: form.title, detail: form.detail, owner: form.owner, dueOn: form.dueOn), by: caller)
            default: throw Abort(.notFound)
            }
            return req.redirect(to: SiteURL.landingProject(id: id.uuidString).path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty || refusal.isStale {
            let record = try await landing.detail(id: id, by: caller)
            return HTMLResponse.page(
                LandingPages.show(record, districts: try await districts(req), typed: form.typed(refusal), step: step, viewer: viewer),
                status: refusal.formStatus)
        }
    }

    /// `POST /landing/:id/problems/:problem/resolve`
    @Sendable static func resolve(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let id = try id(req)
        guard let problem = req.parameters.get("problem").flatMap(UUID.init(uuidString:)) else { throw UseCaseError.notFound(.landingProblem) }
        let form = try req.content.decode(Form.self)
        let landing = req.platform.landing
        do {
            _ = try await landing.resolveProblem(
                project: id, problem: problem, resolution: form.resolution, meeting: form.meeting, expecting: form.version.flatMap { Int($0) },
                by: caller)
            return req.redirect(to: SiteURL.landingProject(id: id.uuidString).path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty || refusal.isStale {
            let record = try await landing.detail(id: id, by: caller)
            return HTMLResponse.page(
                LandingPages.show(
                    record, districts: try await districts(req), typed: form.typed(refusal), step: "resolve-\(problem)", viewer: viewer),
                status: refusal.formStatus)
        }
    }

    /// `GET /landing/meetings`
    @Sendable static func meetings(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readLanding)
        return HTMLResponse.ok(try await meetingsPage(req, viewer: viewer, caller: caller, typed: nil))
    }

    private static func meetingsPage(_ req: Request, viewer: Viewer, caller: Caller, typed: TypedForm?) async throws -> String {
        let landing = req.platform.landing
        let projects = caller.may(.manageLanding) ? try await landing.list(by: caller) : []
        return LandingPages.meetings(try await landing.meetings(by: caller), projects: projects, typed: typed, viewer: viewer)
    }

    /// `POST /landing/meetings`
    @Sendable static func recordMeeting(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let form = try req.content.decode(Form.self)
        do {
            _ = try await req.platform.landing.recordMeeting(
                LandingMeetingInput(
                    heldOn: form.heldOn, subject: form.subject, attendees: form.attendees, decisions: form.decisions, projects: form.projects ?? []),
                by: caller)
            return req.redirect(to: SiteURL.landingMeetings.path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty {
            return HTMLResponse.page(
                try await meetingsPage(req, viewer: viewer, caller: caller, typed: form.typed(refusal)), status: refusal.formStatus)
        }
    }

    private static func districts(_ req: Request) async throws -> [Region] {
        try await req.platform.reference.regions(level: RegionLevel.district.rawValue)
    }

    private static func id(_ req: Request) throws -> UUID {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw UseCaseError.notFound(.landingProject) }
        return id
    }
}
