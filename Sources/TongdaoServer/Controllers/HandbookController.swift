import Foundation
import TongdaoCore
import TongdaoUseCases
import Vapor

/// The pages of the policy handbook: thin adapters over `platform.handbook`.
enum HandbookController {
    /// The search's filters as the query string holds them.
    private static func query(_ req: Request) -> HandbookPages.Query {
        func value(_ name: String) -> String { req.query[String.self, at: name] ?? "" }
        return HandbookPages.Query(
            text: value("q"), level: value("level"), district: value("district"), topic: value("topic"), productCategory: value("productCategory"),
            status: value("status"))
    }

    private static func blankIsNil(_ text: String) -> String? { text.isEmpty ? nil : text }

    /// `GET /policies?q=&level=&district=&topic=&productCategory=&status=`
    @Sendable static func search(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readPolicies)
        let query = query(req)
        let records = try await req.platform.handbook.search(
            text: query.text, level: blankIsNil(query.level), district: blankIsNil(query.district), topic: blankIsNil(query.topic),
            productCategory: blankIsNil(query.productCategory), everyStatus: query.status == "all", limit: 100, by: caller)
        return HTMLResponse.ok(HandbookPages.search(records, query: query, districts: try await districts(req), viewer: viewer))
    }

    /// `GET /policies/export?format=&…` (the search's filters)
    @Sendable static func export(req: Request) async throws -> Response {
        let (_, caller) = try req.requireViewer(allowedTo: .readPolicies)
        let format = try FileDownload.format(req)
        let query = query(req)
        let data = try await req.platform.handbook.export(
            text: query.text, level: blankIsNil(query.level), district: blankIsNil(query.district), topic: blankIsNil(query.topic),
            productCategory: blankIsNil(query.productCategory), everyStatus: query.status == "all", format: format, by: caller)
        return FileDownload.response(data, format: format, name: "policies-\(req.platform.clock.today())")
    }

    /// `GET /policies/new`
    @Sendable static func new(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .writePolicies)
        var values: [String: String] = [:]
        if case .district(let own) = caller.scope {
            values = ["level": PolicyLevel.district.rawValue, "district": own]
        }
        return HTMLResponse.ok(HandbookPages.form(policy: nil, districts: try await districts(req), typed: TypedForm(values: values), viewer: viewer))
    }

    struct Form: Content {
        var level: String?
        var district: String?
        var title: String?
        var documentNumber: String?
        var issuer: String?
        var responsibleBody: String?
        var contact: String?
        var phone: String?
        var summary: String?
        var topics: [String]?
        var categories: [String]?
        var effectiveOn: String?
        var expiresOn: String?
        var sourceURL: String?
        var repealedOn: String?
        var reason: String?
        var version: String?

        var input: HandbookPolicyInput {
            HandbookPolicyInput(
                level: level, district: district, title: title, documentNumber: documentNumber, issuer: issuer, responsibleBody: responsibleBody,
                contact: contact, phone: phone, summary: summary, topics: topics ?? [], categories: categories ?? [], effectiveOn: effectiveOn,
                expiresOn: expiresOn, sourceURL: sourceURL)
        }

        func typed(errors: [String: String]) -> TypedForm {
            var form = TypedForm(
                values: [
                    "level": level, "district": district, "title": title, "documentNumber": documentNumber, "issuer": issuer,
                    "responsibleBody": responsibleBody, "contact": contact, "phone": phone, "summary": summary, "effectiveOn": effectiveOn,
                    "expiresOn": expiresOn, "sourceURL": sourceURL, "repealedOn": repealedOn, "reason": reason,
                ].compactMapValues { $0 }, errors: errors)
            form.selected = Set((topics ?? []).map { "topics:" + $0 } + (categories ?? []).map { "categories:" + $0 })
            return form
        }
    }

    /// `POST /policies`
    @Sendable static func create(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let form = try req.content.decode(Form.self)
        do {
            let record = try await req.platform.handbook.create(form.input, by: caller)
            return req.redirect(to: SiteURL.policy(id: record.id.uuidString).path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty {
            return HTMLResponse.page(
                HandbookPages.form(
                    policy: nil, districts: try await districts(req), typed: form.typed(errors: refusal.fieldMessages), viewer: viewer),
                status: refusal.formStatus)
        }
    }

    /// `GET /policies/:id`
    @Sendable static func show(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readPolicies)
        return HTMLResponse.ok(HandbookPages.show(try await req.platform.handbook.detail(id: try id(req), by: caller), typed: nil, viewer: viewer))
    }

    /// `GET /policies/:id/edit`
    @Sendable static func edit(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .writePolicies)
        let record = try await req.platform.handbook.detail(id: try id(req), by: caller)
        return HTMLResponse.ok(
            HandbookPages.form(policy: record, districts: try await districts(req), typed: HandbookPages.typed(record), viewer: viewer))
    }

    /// `POST /policies/:id/(edit|repeal)`
    @Sendable static func step(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let id = try id(req)
        let step = req.parameters.get("step") ?? ""
        let form = try req.content.decode(Form.self)
        let version = form.version.flatMap { Int($0) }
        let handbook = req.platform.handbook
        do {
            switch step {
            case "edit": _ = try await handbook.revise(id: id, form.input, expecting: version, by: caller)
            case "repeal": _ = try await handbook.repeal(id: id, on: form.repealedOn, reason: form.reason, expecting: version, by: caller)
            default: throw Abort(.notFound)
            }
            return req.redirect(to: SiteURL.policy(id: id.uuidString).path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty || refusal.isStale {
            var typed = form.typed(errors: refusal.fieldMessages)
            typed.message = refusal.isStale ? "该政策已被他人更新，请核对当前内容后再提交。" : refusal.problems.map(\.chinese).joined(separator: "；")
            let record = try await handbook.detail(id: id, by: caller)
            let page =
                step == "edit"
                ? HandbookPages.form(policy: record, districts: try await districts(req), typed: typed, viewer: viewer)
                : HandbookPages.show(record, typed: typed, viewer: viewer)
            return HTMLResponse.page(page, status: refusal.formStatus)
        }
    }

    private static func districts(_ req: Request) async throws -> [Region] {
        try await req.platform.reference.regions(level: RegionLevel.district.rawValue)
    }

    private static func id(_ req: Request) throws -> UUID {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw UseCaseError.notFound(.handbookPolicy) }
        return id
    }
}
