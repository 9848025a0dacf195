import Foundation
import TongdaoCore
import TongdaoUseCases
import Vapor

/// The pages of signal detection and the signal list: thin adapters over `platform.signals`.
enum SignalController {
    /// `GET /signals?level=&from=&to=&all=`
    @Sendable static func detection(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readSignals)
        return HTMLResponse.ok(try await page(req, level: nil, from: nil, to: nil, message: nil, viewer: viewer, caller: caller))
    }

    private static func page(
        _ req: Request, level: String?, from: String?, to: String?, message: String?, viewer: Viewer, caller: Caller
    ) async throws -> String {
        func query(_ name: String) -> String? { req.query[String.self, at: name].flatMap { $0.isEmpty ? nil : $0 } }
        let all = query("all") == "true"
        let run = try await req.platform.signals.detect(
            level: level ?? query("level"), from: from ?? query("from"), to: to ?? query("to"), onlySignals: !all, by: caller)
        let list = try await req.platform.signals.list(by: caller)
        return SignalPages.detection(run, all: all, list: list, message: message, viewer: viewer)
    }

    struct AddForm: Content {
        var level: String?
        var subject: String?
        var term: String?
        var from: String?
        var to: String?
    }

    /// `POST /signals`: a pair of the run put on the list.
    @Sendable static func add(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let form = try req.content.decode(AddForm.self)
        do {
            let signal = try await req.platform.signals.add(
                level: form.level, subject: form.subject, term: form.term, from: form.from, to: form.to, note: nil, by: caller)
            return req.redirect(to: SiteURL.signal(id: signal.id.uuidString).path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty {
            let message = refusal.problems.map(\.chinese).joined(separator: "；")
            return HTMLResponse.page(
                try await page(req, level: form.level, from: form.from, to: form.to, message: message, viewer: viewer, caller: caller),
                status: .unprocessableEntity)
        }
    }

    /// `GET /signals/:id`
    @Sendable static func show(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readSignals)
        return HTMLResponse.ok(SignalPages.show(try await req.platform.signals.detail(id: try id(req), by: caller), typed: nil, viewer: viewer))
    }

    struct StatusForm: Content {
        var status: String?
        var note: String?
        var version: String?
    }

    /// `POST /signals/:id/status`
    @Sendable static func changeStatus(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let id = try id(req)
        let form = try req.content.decode(StatusForm.self)
        do {
            _ = try await req.platform.signals.changeStatus(
                id: id, status: form.status, note: form.note, expecting: form.version.flatMap { Int($0) }, by: caller)
            return req.redirect(to: SiteURL.signal(id: id.uuidString).path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty || refusal.isStale {
            var typed = AdverseEventPages.Typed(values: ["status": form.status ?? "", "note": form.note ?? ""], errors: refusal.fieldMessages)
            if refusal.isStale { typed.message = "该信号已被他人更新，请核对当前状态后再保存。" }
            let signal = try await req.platform.signals.detail(id: id, by: caller)
            return HTMLResponse.page(
                SignalPages.show(signal, typed: typed, viewer: viewer), status: refusal.isStale ? .conflict : .unprocessableEntity)
        }
    }

    /// `GET /signals/policy`
    @Sendable static func policy(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readSignals)
        let (inForce, versions) = try await req.platform.signals.policies(by: caller)
        return HTMLResponse.ok(SignalPages.policy(inForce: inForce, versions: versions, form: nil, today: req.platform.clock.today(), viewer: viewer))
    }

    /// `POST /signals/policy`: a version from the form; refused, the page again with each message at
    /// its field and what was typed kept.
    @Sendable static func setPolicy(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let typed = try req.content.decode([String: String].self).filter { $0.key != "_csrf" }
        let input = SignalPolicyInput(
            effectiveFrom: typed["effectiveFrom"], minimumCases: typed["minimumCases"], prrAtLeast: typed["prrAtLeast"],
            chiSquareAtLeast: typed["chiSquareAtLeast"], rorLowerAbove: typed["rorLowerAbove"], ic025Above: typed["ic025Above"])
        do {
            _ = try await req.platform.signals.setPolicy(input, by: caller)
            return req.redirect(to: SiteURL.signalPolicy.path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty {
            let (inForce, versions) = try await req.platform.signals.policies(by: caller)
            let form = TypedForm(values: typed, errors: refusal.fieldMessages)
            return HTMLResponse.page(
                SignalPages.policy(inForce: inForce, versions: versions, form: form, today: req.platform.clock.today(), viewer: viewer),
                status: .unprocessableEntity)
        }
    }

    private static func id(_ req: Request) throws -> UUID {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw UseCaseError.notFound(.signal) }
        return id
    }
}
