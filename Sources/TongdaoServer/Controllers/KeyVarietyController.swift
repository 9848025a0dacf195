import Foundation
import TongdaoCore
import TongdaoUseCases
import Vapor

/// The pages of the key-varieties service list: thin adapters over `platform.keyVarieties`.
enum KeyVarietyController {
    /// `GET /key-varieties?status=`
    @Sendable static func list(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readProducts)
        let status = req.query[String.self, at: "status"].flatMap { $0.isEmpty ? nil : $0 }
        return HTMLResponse.ok(
            KeyVarietyPages.list(try await req.platform.keyVarieties.list(status: status, by: caller), status: status, viewer: viewer))
    }

    /// `GET /key-varieties/export?format=csv|xlsx&status=` — the list as a file.
    @Sendable static func export(req: Request) async throws -> Response {
        let (_, caller) = try req.requireViewer(allowedTo: .readProducts)
        let format = try FileDownload.format(req)
        let status = req.query[String.self, at: "status"].flatMap { $0.isEmpty ? nil : $0 }
        let data = try await req.platform.keyVarieties.export(status: status, format: format, by: caller)
        return FileDownload.response(data, format: format, name: "key-varieties-\(req.platform.clock.today())")
    }

    /// `GET /key-varieties/new?product=`
    @Sendable static func new(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .proposeKeyVarieties)
        guard let product = req.query[String.self, at: "product"].flatMap(UUID.init(uuidString:)) else { throw UseCaseError.notFound(.product) }
        let record = try await req.platform.products.find(id: product, by: caller)
        return HTMLResponse.ok(KeyVarietyPages.proposal(productID: product.uuidString, productName: record.name, typed: TypedForm(), viewer: viewer))
    }

    struct Form: Content {
        var product: String?
        var reason: String?
        var justification: String?
        var decision: String?
        var station: String?
        var officer: String?
        var counsellor: String?
        var taskForce: String?
        var note: String?
        var step: String?
        var version: String?
        var title0: String?
        var due0: String?
        var title1: String?
        var due1: String?
        var title2: String?
        var due2: String?
        var title3: String?
        var due3: String?
        var title4: String?
        var due4: String?

        /// The plan's rows typed (a row left blank is a step left out), with the row each came from.
        var milestones: [(row: Int, input: MilestoneInput)] {
            let rows = [(title0, due0), (title1, due1), (title2, due2), (title3, due3), (title4, due4)]
            return zip(ServiceStep.allCases, rows).enumerated().compactMap { index, pair in
                let (step, (title, due)) = pair
                let blank = (title ?? "").trimmingWhitespace().isEmpty && (due ?? "").trimmingWhitespace().isEmpty
                return blank ? nil : (index, MilestoneInput(step: step.rawValue, title: title, dueOn: due))
            }
        }

        var typed: [String: String] {
            [
                "reason": reason, "justification": justification, "decision": decision, "station": station, "officer": officer,
                "counsellor": counsellor, "taskForce": taskForce, "note": note, "title0": title0, "due0": due0, "title1": title1, "due1": due1,
                "title2": title2, "due2": due2, "title3": title3, "due3": due3, "title4": title4, "due4": due4,
            ].compactMapValues { $0 }
        }
    }

    /// `POST /key-varieties`: a proposal.
    @Sendable static func propose(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let form = try req.content.decode(Form.self)
        do {
            let record = try await req.platform.keyVarieties.propose(
                KeyVarietyProposal(product: form.product, reason: form.reason, justification: form.justification), by: caller)
            return req.redirect(to: SiteURL.keyVariety(id: record.id.uuidString).path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty {
            let product = form.product.flatMap(UUID.init(uuidString:))
            var name = ""
            if let product { name = try await req.platform.products.find(id: product, by: caller).name }
            let typed = TypedForm(values: form.typed, errors: refusal.fieldMessages)
            return HTMLResponse.page(
                KeyVarietyPages.proposal(productID: form.product ?? "", productName: name, typed: typed, viewer: viewer),
                status: refusal.formStatus)
        }
    }

    /// `GET /key-varieties/:id`
    @Sendable static func show(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readProducts)
        return HTMLResponse.ok(try await page(req, id: try id(req), typed: nil, step: nil, viewer: viewer, caller: caller))
    }

    private static func page(_ req: Request, id: UUID, typed: TypedForm?, step: String?, viewer: Viewer, caller: Caller) async throws -> String {
        let record = try await req.platform.keyVarieties.detail(id: id, by: caller)
        let officers = caller.may(.decideKeyVarieties) ? try await req.platform.keyVarieties.officers(by: caller) : []
        return KeyVarietyPages.show(
            record, stations: try req.platform.consultations.stations(), officers: officers, today: req.platform.clock.today(), typed: typed,
            step: step, viewer: viewer)
    }

    /// `POST /key-varieties/:id/(decision|plan|milestone)`
    @Sendable static func step(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let id = try id(req)
        let step = req.parameters.get("step") ?? ""
        let form = try req.content.decode(Form.self)
        let version = form.version.flatMap { Int($0) }
        let list = req.platform.keyVarieties
        let rows = form.milestones
        do {
            switch step {
            case "decision":
                _ = try await list.decide(
                    id: id,
                    KeyVarietyDecision(
                        decision: form.decision, station: form.station, officer: form.officer, counsellor: form.counsellor, taskForce: form.taskForce,
                        note: form.note), expecting: version, by: caller)
            case "plan": _ = try await list.setPlan(id: id, milestones: rows.map(\.input), expecting: version, by: caller)
            case "milestone": _ = try await list.completeMilestone(id: id, step: form.step, expecting: version, by: caller)
            default: throw Abort(.notFound)
            }
            return req.redirect(to: SiteURL.keyVariety(id: id.uuidString).path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty || refusal.isStale {
            // A plan's problem names the milestone by its place among the rows typed: back to its row.
            var errors: [String: String] = [:]
            for (field, message) in refusal.fieldMessages {
                var key = field
                for (place, row) in rows.enumerated() where field.hasPrefix("milestones[\(place)].") {
                    key = "milestones[\(row.row)]." + field.dropFirst("milestones[\(place)].".count)
                }
                errors[key] = message
            }
            var typed = TypedForm(values: form.typed, errors: errors)
            typed.message = refusal.isStale ? "该记录已被他人更新，请核对当前情况后再提交。" : refusal.problems.first?.chinese
            return HTMLResponse.page(
                try await page(req, id: id, typed: typed, step: step, viewer: viewer, caller: caller),
                status: refusal.formStatus)
        }
    }

    private static func id(_ req: Request) throws -> UUID {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw UseCaseError.notFound(.keyVariety) }
        return id
    }
}
