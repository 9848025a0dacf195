import Foundation
import TongdaoCore
import TongdaoUseCases
import Vapor

/// The pages of consultations: thin adapters over `platform.consultations`.
enum ConsultationController {
    /// `GET /consultations?status=&desk=&level=&escalated=&cursor=`
    @Sendable static func list(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readConsultations)
        func query(_ name: String) -> String? { req.query[String.self, at: name].flatMap { $0.isEmpty ? nil : $0 } }
        let consultations = req.platform.consultations
        let page = try await consultations.list(
            status: query("status"), desk: query("desk"), level: query("level"), escalated: query("escalated") == "true", kind: query("kind"),
            cursor: query("cursor"), by: caller)
        let filter = ConsultationPages.Filter(
            status: ConsultationStatus(rawValue: query("status") ?? "") ?? .open, desk: query("desk"), level: query("level"),
            escalated: query("escalated") == "true", kind: query("kind"))
        let queue = ConsultationPages.Queue(
            page: page, counts: try await consultations.counts(desk: query("desk"), by: caller), filter: filter,
            stations: try consultations.stations(), policy: try await consultations.policies().inForce)
        return HTMLResponse.ok(ConsultationPages.list(queue, viewer: viewer))
    }

    /// `GET /consultations/export?format=csv|xlsx&status=&desk=&level=&escalated=&kind=` — the list as a
    /// file, its filters applied.
    @Sendable static func export(req: Request) async throws -> Response {
        let (_, caller) = try req.requireViewer(allowedTo: .readConsultations)
        func query(_ name: String) -> String? { req.query[String.self, at: name].flatMap { $0.isEmpty ? nil : $0 } }
        let format = try FileDownload.format(req)
        let data = try await req.platform.consultations.export(
            status: query("status"), desk: query("desk"), level: query("level"), escalated: query("escalated") == "true", kind: query("kind"),
            format: format, by: caller)
        return FileDownload.response(data, format: format, name: "consultations-\(req.platform.clock.today())")
    }

    /// `GET /consultations/new`
    @Sendable static func new(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .askConsultations)
        var typed = TypedForm()
        typed.values["product"] = req.query[String.self, at: "product"]
        return HTMLResponse.ok(try await formPage(req, typed: typed, viewer: viewer, caller: caller))
    }

    private static func formPage(_ req: Request, typed: TypedForm, viewer: Viewer, caller: Caller) async throws -> String {
        let options = try await req.platform.consultations.askOptions(by: caller)
        return ConsultationPages.form(
            enterprises: options.enterprises, products: options.products, topics: try await req.platform.consultations.topics(), typed: typed,
            viewer: viewer)
    }

    /// `GET /consultations/classification/new`
    @Sendable static func newClassification(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .askConsultations)
        var typed = TypedForm()
        typed.values["product"] = req.query[String.self, at: "product"]
        return HTMLResponse.ok(
            ConsultationPages.classificationForm(
                products: try await req.platform.consultations.classificationOptions(by: caller), typed: typed, viewer: viewer))
    }

    /// `POST /consultations/classification`
    @Sendable static func requestClassification(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let form = try req.content.decode(Form.self)
        do {
            let record = try await req.platform.consultations.requestClassification(
                ClassificationInput(
                    product: form.product, intendedUse: form.intendedUse, structure: form.structure, principle: form.principle,
                    proposedClass: form.proposedClass), by: caller)
            return req.redirect(to: SiteURL.consultation(id: record.id.uuidString).path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty {
            let typed = TypedForm(values: form.typed, errors: refusal.fieldMessages)
            return HTMLResponse.page(
                ConsultationPages.classificationForm(
                    products: try await req.platform.consultations.classificationOptions(by: caller), typed: typed, viewer: viewer),
                status: .unprocessableEntity)
        }
    }

    struct Form: Content {
        var intendedUse: String?
        var structure: String?
        var principle: String?
        var proposedClass: String?
        var outcome: String?
        var classificationCode: String?
        var enterprise: String?
        var product: String?
        var topic: String?
        var title: String?
        var question: String?
        var response: String?
        var text: String?
        var to: String?
        var reason: String?
        var rating: String?
        var comment: String?
        var version: String?

        var typed: [String: String] {
            [
                "enterprise": enterprise, "product": product, "topic": topic, "title": title, "question": question, "response": response,
                "text": text, "to": to, "reason": reason, "rating": rating, "comment": comment, "intendedUse": intendedUse,
                "structure": structure, "principle": principle, "proposedClass": proposedClass, "outcome": outcome,
                "classificationCode": classificationCode,
            ].compactMapValues { $0 }
        }
    }

    /// `POST /consultations`
    @Sendable static func ask(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let form = try req.content.decode(Form.self)
        do {
            let record = try await req.platform.consultations.ask(
                ConsultationInput(enterprise: form.enterprise, product: form.product, topic: form.topic, title: form.title, question: form.question),
                by: caller)
            return req.redirect(to: SiteURL.consultation(id: record.id.uuidString).path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty {
            let typed = TypedForm(values: form.typed, errors: refusal.fieldMessages)
            return HTMLResponse.page(try await formPage(req, typed: typed, viewer: viewer, caller: caller), status: .unprocessableEntity)
        }
    }

    /// `GET /consultations/:id`
    @Sendable static func show(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readConsultations)
        let record = try await req.platform.consultations.detail(id: try id(req), by: caller)
        return HTMLResponse.ok(
            ConsultationPages.show(record, stations: try req.platform.consultations.stations(), typed: nil, step: nil, viewer: viewer))
    }

    /// `POST /consultations/:id/(responses|replies|transfer|rating|withdrawal)`: done, back to the
    /// consultation; refused, its page again with what was typed and the message by its field (a
    /// stale version or a step that no longer fits: 409 and what it is now).
    @Sendable static func step(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let id = try id(req)
        let step = req.parameters.get("step") ?? ""
        let form = try req.content.decode(Form.self)
        let version = form.version.flatMap { Int($0) }
        let consultations = req.platform.consultations
        do {
            switch step {
            case "responses":
                _ = try await consultations.respond(id: id, response: form.response, text: form.text, expecting: version, by: caller)
            case "replies":
                _ = try await consultations.reply(id: id, text: form.text, expecting: version, by: caller)
            case "transfer":
                _ = try await consultations.transfer(id: id, to: form.to, reason: form.reason, expecting: version, by: caller)
            case "rating":
                let rating = form.rating.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
                if form.rating?.isEmpty == false, rating == nil {
                    throw UseCaseError.invalid([FieldProblem("rating", "must be a whole number from 1 to 5", chinese: "满意度评分应为 1 至 5 分")])
                }
                _ = try await consultations.rate(id: id, rating: rating, comment: form.comment, expecting: version, by: caller)
            case "classification":
                _ = try await consultations.decideClassification(
                    id: id, outcome: form.outcome, classificationCode: form.classificationCode, text: form.text, expecting: version, by: caller)
            case "withdrawal":
                _ = try await consultations.withdraw(id: id, reason: form.reason, expecting: version, by: caller)
            default:
                throw Abort(.notFound)
            }
            return req.redirect(to: SiteURL.consultation(id: id.uuidString).path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty || refusal.isStale {
            var typed = TypedForm(values: form.typed, errors: refusal.fieldMessages)
            if refusal.isStale { typed.message = "该咨询已被他人更新，请核对当前情况后再提交。" }
            if case .conflict(let problem) = refusal { typed.message = problem.chinese }
            let record = try await consultations.detail(id: id, by: caller)
            return HTMLResponse.page(
                ConsultationPages.show(record, stations: try consultations.stations(), typed: typed, step: step, viewer: viewer),
                status: refusal.formStatus)
        }
    }

    private static func id(_ req: Request) throws -> UUID {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw UseCaseError.notFound(.consultation) }
        return id
    }
}
