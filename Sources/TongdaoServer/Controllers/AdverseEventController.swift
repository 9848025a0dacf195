import Foundation
import TongdaoCore
import TongdaoUseCases
import Vapor

/// The pages of adverse-event reports: thin adapters over `platform.adverseEvents`.
enum AdverseEventController {
    /// `GET /adverse-events?seriousness=&status=&late=&cursor=`
    @Sendable static func list(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readAdverseEvents)
        let filter = AdverseEventPages.Filter(
            product: req.query[String.self, at: "product"].flatMap { $0.isEmpty ? nil : $0 },
            seriousness: req.query[String.self, at: "seriousness"].flatMap { $0.isEmpty ? nil : $0 },
            status: req.query[String.self, at: "status"].flatMap { $0.isEmpty ? nil : $0 }, late: req.query[String.self, at: "late"] == "true")
        let page = try await req.platform.adverseEvents.list(
            product: filter.product, seriousness: filter.seriousness, status: filter.status, lateOnly: filter.late,
            cursor: req.query[String.self, at: "cursor"], by: caller)
        return HTMLResponse.ok(AdverseEventPages.list(page, filter: filter, viewer: viewer))
    }

    /// `GET /adverse-events/export?format=&seriousness=&status=&late=&product=`: the list's reports as a sheet.
    @Sendable static func export(req: Request) async throws -> Response {
        let (_, caller) = try req.requireViewer(allowedTo: .readAdverseEvents)
        let format = try FileDownload.format(req, default: .xlsx)
        func query(_ name: String) -> String? { req.query[String.self, at: name].flatMap { $0.isEmpty ? nil : $0 } }
        let data = try await req.platform.adverseEvents.export(
            product: query("product"), seriousness: query("seriousness"), status: query("status"), lateOnly: query("late") == "true",
            format: format, by: caller)
        return FileDownload.response(data, format: format, name: "adverse-events-\(req.platform.clock.today())")
    }

    /// `GET /event-terms/export?format=`: the term list as a sheet.
    @Sendable static func exportTerms(req: Request) async throws -> Response {
        let (_, caller) = try req.requireViewer(allowedTo: .readAdverseEvents)
        let format = try FileDownload.format(req, default: .xlsx)
        return FileDownload.response(
            try await req.platform.adverseEvents.exportTerms(format: format, by: caller), format: format, name: "event-terms")
    }

    /// `GET /adverse-events/import`: the national export's columns and the upload form (vigilance managers).
    @Sendable static func importPage(req: Request) async throws -> Response {
        let (viewer, _) = try req.requireViewer(allowedTo: .manageVigilance)
        return HTMLResponse.ok(AdverseEventImportPages.page(error: nil, viewer: viewer))
    }

    struct SheetUploadForm: Content {
        var file: File?
    }

    /// `POST /adverse-events/import/uploads`: keep the file, dry-run it, show the report.
    @Sendable static func uploadSheet(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .manageVigilance)
        try CSRF.verify(req)
        let form = try req.content.decode(SheetUploadForm.self)
        func again(_ error: String) -> Response {
            HTMLResponse.page(AdverseEventImportPages.page(error: error, viewer: viewer), status: .unprocessableEntity)
        }
        guard let file = form.file, file.data.readableBytes > 0 else { return again("请选择要上传的文件") }
        do {
            let (report, upload) = try await req.platform.adverseEvents.stageUpload(
                Data(file.data.readableBytesView), filename: file.filename, by: caller)
            return HTMLResponse.page(
                AdverseEventImportPages.report(report, uploadID: upload, filename: file.filename, viewer: viewer),
                status: report.rejected.isEmpty ? .ok : .unprocessableEntity)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty {
            return again(refusal.chinese)
        }
    }

    /// `POST /adverse-events/import/uploads/:id/commit`: import the confirmed file, all rows or none.
    @Sendable static func commitSheet(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .manageVigilance)
        try CSRF.verify(req)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw UseCaseError.notFound(.upload) }
        let (report, filename, kept) = try await req.platform.adverseEvents.commitUpload(id: id, by: caller)
        return HTMLResponse.page(
            AdverseEventImportPages.report(report, uploadID: kept, filename: filename, viewer: viewer),
            status: report.committed ? .ok : .unprocessableEntity)
    }

    /// `GET /products/:id/adverse-event-trend?months=`: the printable trend report.
    @Sendable static func trend(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readAdverseEvents)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw UseCaseError.notFound(.product) }
        let months = req.query[Int.self, at: "months"] ?? 24
        return HTMLResponse.ok(
            TrendReportPage.render(try await req.platform.adverseEvents.trend(product: id, months: months, by: caller), viewer: viewer))
    }

    /// `GET /adverse-events/new?label=`: the form (a scanned label given in the query fills it).
    @Sendable static func new(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .reportAdverseEvents)
        var typed = AdverseEventPages.Typed()
        if let label = req.query[String.self, at: "label"], !label.isEmpty { typed.values["label"] = label }
        return HTMLResponse.ok(try await formPage(req, typed: typed, viewer: viewer, caller: caller))
    }

    private static func formPage(_ req: Request, typed: AdverseEventPages.Typed, viewer: Viewer, caller: Caller) async throws -> String {
        let products = try await req.platform.adverseEvents.reportableProducts(by: caller)
        let terms = try await req.platform.adverseEvents.terms()
        return AdverseEventPages.form(.init(products: products, terms: terms, typed: typed), viewer: viewer)
    }

    struct ReportForm: Content {
        var product: String?
        var label: String?
        var udiDI: String?
        var certificate: String?
        var lot: String?
        var serial: String?
        var eventOn: String?
        var awareOn: String?
        var awareTime: String?
        var seriousness: String?
        var outcome: String?
        var terms: [String]?
        var narrative: String?
    }

    /// `POST /adverse-events`
    @Sendable static func create(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let form = try req.content.decode(ReportForm.self)
        let input = AdverseEventInput(
            product: form.product, udiDI: form.udiDI, certificate: form.certificate, label: form.label, lot: form.lot, serial: form.serial,
            eventOn: form.eventOn, awareOn: form.awareOn, awareTime: form.awareTime, seriousness: form.seriousness, outcome: form.outcome,
            terms: form.terms ?? [], narrative: form.narrative)
        do {
            let report = try await req.platform.adverseEvents.file(
                input, source: (form.label ?? "").isEmpty ? .platform : .scan, by: caller)
            return req.redirect(to: SiteURL.adverseEvent(id: report.id.uuidString).path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty {
            let values = [
                "product": form.product, "label": form.label, "udiDI": form.udiDI, "certificate": form.certificate, "lot": form.lot,
                "serial": form.serial, "eventOn": form.eventOn, "awareOn": form.awareOn, "awareTime": form.awareTime,
                "seriousness": form.seriousness, "outcome": form.outcome, "narrative": form.narrative,
            ].compactMapValues { $0 }
            let typed = AdverseEventPages.Typed(
                values: values, selected: Set(form.terms ?? []), errors: Self.byField(refusal.fieldMessages))
            return HTMLResponse.page(try await formPage(req, typed: typed, viewer: viewer, caller: caller), status: .unprocessableEntity)
        }
    }

    /// The messages by field, a list's entries (`terms[1]`) under the list's name.
    static func byField(_ messages: [String: String]) -> [String: String] {
        var merged: [String: String] = [:]
        for (field, message) in messages.sorted(by: { $0.key < $1.key }) {
            let name = field.split(separator: "[").first.map(String.init) ?? field
            merged[name] = merged[name].map { $0 + "；" + message } ?? message
        }
        return merged
    }

    /// `GET /adverse-events/:id`
    @Sendable static func show(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readAdverseEvents)
        let report = try await req.platform.adverseEvents.detail(id: try id(req), by: caller)
        return HTMLResponse.ok(AdverseEventPages.show(report, typed: nil, step: nil, viewer: viewer))
    }

    struct StepForm: Content {
        var text: String?
        var outcome: String?
        var causality: String?
        var note: String?
        var version: String?
    }

    /// `POST /adverse-events/:id/follow-ups`
    @Sendable static func followUp(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let id = try id(req)
        let form = try req.content.decode(StepForm.self)
        do {
            _ = try await req.platform.adverseEvents.followUp(
                id: id, text: form.text, outcome: form.outcome.flatMap { $0.isEmpty ? nil : $0 }, by: caller)
            return req.redirect(to: SiteURL.adverseEvent(id: id.uuidString).path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty {
            let typed = AdverseEventPages.Typed(
                values: ["text": form.text ?? "", "outcome": form.outcome ?? ""], errors: refusal.fieldMessages)
            let report = try await req.platform.adverseEvents.detail(id: id, by: caller)
            return HTMLResponse.page(AdverseEventPages.show(report, typed: typed, step: "follow-up", viewer: viewer), status: .unprocessableEntity)
        }
    }

    /// `POST /adverse-events/:id/assessment`
    @Sendable static func assess(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let id = try id(req)
        let form = try req.content.decode(StepForm.self)
        do {
            _ = try await req.platform.adverseEvents.assess(
                id: id, causality: form.causality, note: form.note, expecting: form.version.flatMap { Int($0) }, by: caller)
            return req.redirect(to: SiteURL.adverseEvent(id: id.uuidString).path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty || refusal.isStale {
            var typed = AdverseEventPages.Typed(
                values: ["causality": form.causality ?? "", "note": form.note ?? ""], errors: refusal.fieldMessages)
            if refusal.isStale { typed.message = "该报告已被他人评价或补充，请核对当前情况后再保存。" }
            let report = try await req.platform.adverseEvents.detail(id: id, by: caller)
            return HTMLResponse.page(
                AdverseEventPages.show(report, typed: typed, step: "assess", viewer: viewer),
                status: refusal.isStale ? .conflict : .unprocessableEntity)
        }
    }

    private static func id(_ req: Request) throws -> UUID {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw UseCaseError.notFound(.adverseEvent) }
        return id
    }
}
