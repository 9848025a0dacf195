import Foundation
import TongdaoCore
import TongdaoUseCases
import Vapor

/// The pages of the Delta's entrustment links: thin adapters over `platform.deltaLinks`.
enum DeltaController {
    /// The most site rows the new link's form offers.
    static let siteRows = 4

    struct Form: Content {
        var kind: String?
        var productName: String?
        var productCategory: String?
        var product: String?
        var registrant: String?
        var site1Uscc: String?
        var site1Stage: String?
        var site2Uscc: String?
        var site2Stage: String?
        var site3Uscc: String?
        var site3Stage: String?
        var site4Uscc: String?
        var site4Stage: String?
        var startsOn: String?
        var endsOn: String?
        var agreementSignedOn: String?
        var agreementEndsOn: String?
        var on: String?
        var summary: String?
        var version: String?
        var inspection: String?
        var province: String?
        var fields: [String]?
        var note: String?
        var reason: String?
        var signedOn: String?
        var reference: String?

        var sites: [DeltaSiteInput] {
            [(site1Uscc, site1Stage), (site2Uscc, site2Stage), (site3Uscc, site3Stage), (site4Uscc, site4Stage)].map {
                DeltaSiteInput(uscc: $0.0, stage: $0.1)
            }
        }

        var link: DeltaLinkInput {
            DeltaLinkInput(
                kind: kind, productName: productName, productCategory: productCategory, product: product, registrant: registrant, sites: sites,
                startsOn: startsOn, endsOn: endsOn, agreementSignedOn: agreementSignedOn, agreementEndsOn: agreementEndsOn)
        }

        func typed(_ refusal: UseCaseError) -> TypedForm {
            var form = TypedForm(
                values: [
                    "kind": kind, "productName": productName, "productCategory": productCategory, "product": product, "registrant": registrant,
                    "site1Uscc": site1Uscc, "site1Stage": site1Stage, "site2Uscc": site2Uscc, "site2Stage": site2Stage, "site3Uscc": site3Uscc,
                    "site3Stage": site3Stage, "site4Uscc": site4Uscc, "site4Stage": site4Stage, "startsOn": startsOn, "endsOn": endsOn,
                    "agreementSignedOn": agreementSignedOn, "agreementEndsOn": agreementEndsOn, "on": on, "summary": summary,
                    "inspection": inspection, "province": province, "note": note, "reason": reason, "signedOn": signedOn, "reference": reference,
                ].compactMapValues { $0 }, errors: refusal.fieldMessages)
            form.selected = Set(fields ?? [])
            if refusal.isStale { form.message = "该记录已被他人更新，请核对当前内容后再提交。" }
            return form
        }
    }

    private static func query(_ req: Request, _ name: String) -> String { req.query[String.self, at: name] ?? "" }

    /// `GET /delta?kind=&province=`
    @Sendable static func list(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readDelta)
        let kind = query(req, "kind"), province = query(req, "province")
        let records = try await req.platform.deltaLinks.list(
            kind: kind.isEmpty ? nil : kind, province: province.isEmpty ? nil : province, by: caller)
        let figures = try await req.platform.deltaMap.figures(by: caller)
        return HTMLResponse.ok(DeltaPages.list(records, kind: kind, province: province, map: figures, viewer: viewer))
    }

    /// `GET /delta/export?format=&kind=&province=`
    @Sendable static func export(req: Request) async throws -> Response {
        let (_, caller) = try req.requireViewer(allowedTo: .readDelta)
        let format = try FileDownload.format(req)
        let kind = query(req, "kind"), province = query(req, "province")
        let data = try await req.platform.deltaLinks.export(
            kind: kind.isEmpty ? nil : kind, province: province.isEmpty ? nil : province, format: format, by: caller)
        return FileDownload.response(data, format: format, name: "delta-links-\(req.platform.clock.today())")
    }

    /// `GET /delta/links/new`
    @Sendable static func new(req: Request) async throws -> Response {
        let (viewer, _) = try req.requireViewer(allowedTo: .writeDelta)
        return HTMLResponse.ok(DeltaPages.new(typed: TypedForm(values: ["kind": "entrusted"]), viewer: viewer))
    }

    /// `POST /delta/links`
    @Sendable static func create(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let form = try req.content.decode(Form.self)
        do {
            let record = try await req.platform.deltaLinks.create(form.link, by: caller)
            return req.redirect(to: SiteURL.deltaLink(id: record.id.uuidString).path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty {
            return HTMLResponse.page(DeltaPages.new(typed: form.typed(refusal), viewer: viewer), status: refusal.formStatus)
        }
    }

    /// `GET /delta/links/:id`
    @Sendable static func show(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readDelta)
        let record = try await req.platform.deltaLinks.detail(id: try id(req), by: caller)
        return HTMLResponse.ok(DeltaPages.show(record, typed: nil, viewer: viewer))
    }

    /// `POST /delta/links/:id/events`
    @Sendable static func file(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let id = try id(req)
        let form = try req.content.decode(Form.self)
        let links = req.platform.deltaLinks
        do {
            _ = try await links.file(
                link: id, DeltaLinkEventInput(kind: form.kind, on: form.on, summary: form.summary, agreementEndsOn: form.agreementEndsOn),
                expecting: form.version.flatMap { Int($0) }, by: caller)
            return req.redirect(to: SiteURL.deltaLink(id: id.uuidString).path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty || refusal.isStale {
            let record = try await links.detail(id: id, by: caller)
            return HTMLResponse.page(DeltaPages.show(record, typed: form.typed(refusal), viewer: viewer), status: refusal.formStatus)
        }
    }

    private static func id(_ req: Request) throws -> UUID {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw UseCaseError.notFound(.deltaLink) }
        return id
    }

    // MARK: Shares

    /// `GET /delta/shares`
    @Sendable static func shares(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readDelta)
        return HTMLResponse.ok(try await sharesPage(req, viewer: viewer, caller: caller, typed: nil, form: nil))
    }

    private static func sharesPage(_ req: Request, viewer: Viewer, caller: Caller, typed: TypedForm?, form: String?) async throws -> String {
        let shares = req.platform.deltaShares
        return DeltaPages.shares(
            try await shares.list(by: caller), commitments: try await shares.commitments(by: caller),
            shareable: caller.may(.writeDelta) ? try await shares.shareable(by: caller) : [], typed: typed, form: form, viewer: viewer)
    }

    /// `POST /delta/shares`
    @Sendable static func share(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let form = try req.content.decode(Form.self)
        do {
            let record = try await req.platform.deltaShares.share(
                DeltaShareInput(inspection: form.inspection, province: form.province, fields: form.fields ?? [], note: form.note), by: caller)
            return req.redirect(to: SiteURL.deltaShare(id: record.id.uuidString).path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty {
            return HTMLResponse.page(
                try await sharesPage(req, viewer: viewer, caller: caller, typed: form.typed(refusal), form: "share"), status: refusal.formStatus)
        }
    }

    /// `POST /delta/commitments`
    @Sendable static func recordCommitment(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let form = try req.content.decode(Form.self)
        do {
            _ = try await req.platform.deltaShares.recordCommitment(
                DeltaCommitmentInput(province: form.province, signedOn: form.signedOn, endsOn: form.endsOn, reference: form.reference), by: caller)
            return req.redirect(to: SiteURL.deltaShares.path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty {
            return HTMLResponse.page(
                try await sharesPage(req, viewer: viewer, caller: caller, typed: form.typed(refusal), form: "commitment"), status: refusal.formStatus)
        }
    }

    /// `GET /delta/shares/:id`
    @Sendable static func showShare(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readDelta)
        let record = try await req.platform.deltaShares.detail(id: try shareID(req), by: caller)
        return HTMLResponse.ok(DeltaPages.share(record, typed: nil, viewer: viewer))
    }

    /// `POST /delta/shares/:id/withdrawal`
    @Sendable static func withdraw(req: Request) async throws -> Response {
        try await shareStep(req) { shares, id, form, caller in
            try await shares.withdraw(id: id, reason: form.reason, expecting: form.version.flatMap { Int($0) }, by: caller)
        }
    }

    /// `POST /delta/shares/:id/recognition` (the partner)
    @Sendable static func recogniseShare(req: Request) async throws -> Response {
        try await shareStep(req) { shares, id, form, caller in
            try await shares.recognise(id: id, reference: form.reference, expecting: form.version.flatMap { Int($0) }, by: caller)
        }
    }

    /// A step on a share: done, back to its page; refused, its page again with why and what was typed.
    private static func shareStep(
        _ req: Request, _ step: (DeltaShareUseCases, UUID, Form, Caller) async throws -> DeltaShareRecord
    ) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let id = try shareID(req)
        let form = try req.content.decode(Form.self)
        let shares = req.platform.deltaShares
        do {
            _ = try await step(shares, id, form, caller)
            return req.redirect(to: SiteURL.deltaShare(id: id.uuidString).path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty || refusal.isStale {
            let record = try await shares.detail(id: id, by: caller)
            return HTMLResponse.page(DeltaPages.share(record, typed: form.typed(refusal), viewer: viewer), status: refusal.formStatus)
        }
    }

    private static func shareID(_ req: Request) throws -> UUID {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw UseCaseError.notFound(.deltaShare) }
        return id
    }
}
