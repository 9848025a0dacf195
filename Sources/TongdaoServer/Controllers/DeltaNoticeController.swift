import Foundation
import TongdaoCore
import TongdaoUseCases
import Vapor

/// The pages of risk notices and requests for assistance: thin adapters over `platform.deltaNotices`.
enum DeltaNoticeController {
    struct Form: Content {
        var kind: String?
        var province: String?
        var subject: String?
        var body: String?
        var creditCode: String?
        var link: String?
        var sentOn: String?
        var workingDays: String?
        var answer: String?
        var version: String?

        func typed(_ refusal: UseCaseError) -> TypedForm {
            var form = TypedForm(
                values: [
                    "kind": kind, "province": province, "subject": subject, "body": body, "creditCode": creditCode, "link": link, "sentOn": sentOn,
                    "workingDays": workingDays, "answer": answer,
                ].compactMapValues { $0 }, errors: refusal.fieldMessages)
            if refusal.isStale { form.message = "该记录已被他人更新，请核对当前内容后再提交。" }
            return form
        }
    }

    /// `GET /delta/notices?link=&province=`: the form filled in for a link and a partner when the link's
    /// page sends them.
    @Sendable static func list(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readDelta)
        let prefilled = TypedForm(prefilling: ["link", "province"]) { req.query[String.self, at: $0] }
        return HTMLResponse.ok(DeltaNoticePages.list(try await req.platform.deltaNotices.list(by: caller), typed: prefilled, viewer: viewer))
    }

    /// `GET /delta/notices/export?format=&status=`
    @Sendable static func export(req: Request) async throws -> Response {
        let (_, caller) = try req.requireViewer(allowedTo: .readDelta)
        let format = try FileDownload.format(req)
        let status = req.query[String.self, at: "status"].flatMap { $0.isEmpty ? nil : $0 }
        let data = try await req.platform.deltaNotices.export(status: status, format: format, by: caller)
        return FileDownload.response(data, format: format, name: "delta-notices-\(req.platform.clock.today())")
    }

    /// `POST /delta/notices`
    @Sendable static func send(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let form = try req.content.decode(Form.self)
        let notices = req.platform.deltaNotices
        do {
            let record = try await notices.send(
                DeltaNoticeInput(
                    kind: form.kind, province: form.province, subject: form.subject, body: form.body, creditCode: form.creditCode, link: form.link,
                    sentOn: form.sentOn, workingDays: form.workingDays), by: caller)
            return req.redirect(to: SiteURL.deltaNotice(id: record.id.uuidString).path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty {
            return HTMLResponse.page(
                DeltaNoticePages.list(try await notices.list(by: caller), typed: form.typed(refusal), viewer: viewer), status: refusal.formStatus)
        }
    }

    /// `GET /delta/notices/:id`
    @Sendable static func show(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readDelta)
        return HTMLResponse.ok(
            DeltaNoticePages.show(try await req.platform.deltaNotices.detail(id: try id(req), by: caller), typed: nil, viewer: viewer))
    }

    /// `POST /delta/notices/:id/answer`
    @Sendable static func answer(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let id = try id(req)
        let form = try req.content.decode(Form.self)
        let notices = req.platform.deltaNotices
        do {
            _ = try await notices.answer(id: id, answer: form.answer, expecting: form.version.flatMap { Int($0) }, by: caller)
            return req.redirect(to: SiteURL.deltaNotice(id: id.uuidString).path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty || refusal.isStale {
            let record = try await notices.detail(id: id, by: caller)
            return HTMLResponse.page(DeltaNoticePages.show(record, typed: form.typed(refusal), viewer: viewer), status: refusal.formStatus)
        }
    }

    private static func id(_ req: Request) throws -> UUID {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw UseCaseError.notFound(.deltaNotice) }
        return id
    }
}
