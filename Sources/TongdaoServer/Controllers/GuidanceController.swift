import Foundation
import TongdaoCore
import TongdaoUseCases
import Vapor

/// The pages of guidance records: thin adapters over `platform.guidance`.
enum GuidanceController {
    /// `GET /guidance?open=&year=`: the records for the roles that read them, the counts for all
    /// who may count (the industry department reads only those).
    @Sendable static func list(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .countGuidance)
        let today = req.platform.clock.today()
        let year = req.query[Int.self, at: "year"] ?? today.year
        let openOnly = req.query[String.self, at: "open"] == "true"
        let records = caller.may(.readGuidance) ? try await req.platform.guidance.list(openOnly: openOnly, by: caller) : nil
        let stations = try req.platform.consultations.stationNames()
        return HTMLResponse.ok(
            GuidancePages.list(
                .init(
                    records: records, counts: try await req.platform.guidance.counts(year: year, by: caller), year: year, openOnly: openOnly,
                    today: today, stations: stations), viewer: viewer))
    }

    /// `GET /guidance/new?enterprise=`
    @Sendable static func new(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .recordGuidance)
        var typed = TypedForm()
        typed.values["enterprise"] = req.query[String.self, at: "enterprise"]
        typed.values["heldOn"] = req.platform.clock.today().description
        return HTMLResponse.ok(try await formPage(req, typed: typed, viewer: viewer, caller: caller))
    }

    private static func formPage(_ req: Request, typed: TypedForm, viewer: Viewer, caller: Caller) async throws -> String {
        let enterprises = try await req.platform.guidance.enterprises(by: caller)
        let products = try await req.platform.guidance.products(ofEnterprise: typed.values["enterprise"], by: caller)
        return GuidancePages.form(
            .init(enterprises: enterprises, products: products, topics: try await req.platform.consultations.topics()), typed: typed, viewer: viewer)
    }

    struct Form: Content {
        var enterprise: String?
        var product: String?
        var heldOn: String?
        var mode: String?
        var attendees: String?
        var topics: [String]?
        var questions: String?
        var advice: String?
        var followUpItem0: String?
        var followUpOwner0: String?
        var followUpDays0: String?
        var followUpItem1: String?
        var followUpOwner1: String?
        var followUpDays1: String?
        var followUpItem2: String?
        var followUpOwner2: String?
        var followUpDays2: String?
        var version: String?

        /// The rows typed: a row left wholly blank is no follow-up.
        var followUps: [FollowUpInput] {
            [
                (followUpItem0, followUpOwner0, followUpDays0), (followUpItem1, followUpOwner1, followUpDays1),
                (followUpItem2, followUpOwner2, followUpDays2),
            ]
            .filter { [$0.0, $0.1, $0.2].contains { ($0 ?? "").trimmingWhitespace().isEmpty == false } }
            .map { FollowUpInput(item: $0.0, owner: $0.1, days: $0.2) }
        }
    }

    /// `POST /guidance`
    @Sendable static func record(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let form = try req.content.decode(Form.self)
        do {
            let record = try await req.platform.guidance.record(
                GuidanceInput(
                    enterprise: form.enterprise, product: form.product.flatMap { $0.isEmpty ? nil : $0 }, heldOn: form.heldOn, mode: form.mode,
                    attendees: form.attendees, topics: form.topics ?? [], questions: form.questions, advice: form.advice, followUps: form.followUps),
                by: caller)
            return req.redirect(to: SiteURL.guidanceRecord(id: record.id.uuidString).path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty {
            let values: [String: String?] = [
                "enterprise": form.enterprise, "product": form.product, "heldOn": form.heldOn, "mode": form.mode, "attendees": form.attendees,
                "questions": form.questions, "advice": form.advice, "followUpItem0": form.followUpItem0, "followUpOwner0": form.followUpOwner0,
                "followUpDays0": form.followUpDays0, "followUpItem1": form.followUpItem1, "followUpOwner1": form.followUpOwner1,
                "followUpDays1": form.followUpDays1, "followUpItem2": form.followUpItem2, "followUpOwner2": form.followUpOwner2,
                "followUpDays2": form.followUpDays2,
            ]
            var typed = TypedForm(values: values.compactMapValues { $0 }, errors: refusal.fieldMessages)
            typed.selected = Set(form.topics ?? [])
            return HTMLResponse.page(try await formPage(req, typed: typed, viewer: viewer, caller: caller), status: .unprocessableEntity)
        }
    }

    /// `GET /guidance/:id`
    @Sendable static func show(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readGuidance)
        let record = try await req.platform.guidance.detail(id: try id(req), by: caller)
        return HTMLResponse.ok(GuidancePages.show(record, today: req.platform.clock.today(), message: nil, viewer: viewer))
    }

    /// `POST /guidance/:id/follow-ups/:item/done`
    @Sendable static func done(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let id = try id(req)
        let form = try req.content.decode(Form.self)
        do {
            _ = try await req.platform.guidance.completeFollowUp(
                id: id, item: req.parameters.get("item").flatMap { Int($0) } ?? -1, expecting: form.version.flatMap { Int($0) }, by: caller)
            return req.redirect(to: SiteURL.guidanceRecord(id: id.uuidString).path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty || refusal.isStale {
            let record = try await req.platform.guidance.detail(id: id, by: caller)
            let message = refusal.isStale ? "该记录已被他人更新，请核对当前情况后再提交。" : refusal.problems.first?.chinese
            return HTMLResponse.page(
                GuidancePages.show(record, today: req.platform.clock.today(), message: message, viewer: viewer), status: .conflict)
        }
    }

    private static func id(_ req: Request) throws -> UUID {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw UseCaseError.notFound(.guidance) }
        return id
    }
}
