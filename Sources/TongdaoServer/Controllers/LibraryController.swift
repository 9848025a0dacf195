import Foundation
import TongdaoCore
import TongdaoUseCases
import Vapor

/// The pages of the FAQ and case library: thin adapters over `platform.library`.
enum LibraryController {
    /// `GET /library?q=&kind=&topic=&productCategory=&sort=`
    @Sendable static func search(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readLibrary)
        let query = LibraryPages.Query(
            text: req.query[String.self, at: "q"] ?? "", kind: req.query[String.self, at: "kind"] ?? "",
            topic: req.query[String.self, at: "topic"] ?? "", productCategory: req.query[String.self, at: "productCategory"] ?? "",
            sort: req.query[String.self, at: "sort"] ?? "")
        let library = req.platform.library
        let records = try await library.search(
            text: query.text, kind: query.kind.isEmpty ? nil : query.kind, topic: query.topic,
            productCategory: query.productCategory.isEmpty ? nil : query.productCategory,
            mostRead: query.sort == "views", limit: 30, by: caller)
        let waiting = caller.may(.writeLibrary) ? try await library.queue(by: caller).count : 0
        return HTMLResponse.ok(
            LibraryPages.search(records, query: query, topics: try await req.platform.consultations.topics(), waiting: waiting, viewer: viewer))
    }

    /// `GET /library/drafts?status=`
    @Sendable static func drafts(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .writeLibrary)
        let status = req.query[String.self, at: "status"].flatMap { $0.isEmpty ? nil : $0 }
        return HTMLResponse.ok(LibraryPages.drafts(try await req.platform.library.queue(status: status, by: caller), status: status, viewer: viewer))
    }

    /// `GET /library/new?consultation=`: a blank entry, or one drawn from an answered consultation.
    @Sendable static func new(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .writeLibrary)
        var values: [String: String] = ["kind": LibraryKind.faq.rawValue]
        if let consultation = req.query[String.self, at: "consultation"].flatMap(UUID.init(uuidString:)) {
            values = Form(try await req.platform.library.draftFrom(consultation: consultation, by: caller)).typed
        }
        return HTMLResponse.ok(
            LibraryPages.form(entry: nil, topics: try await req.platform.consultations.topics(), typed: TypedForm(values: values), viewer: viewer))
    }

    struct Form: Content {
        var kind: String?
        var title: String?
        var question: String?
        var answer: String?
        var topic: String?
        var productCategory: String?
        var consultation: String?
        var reviewed: String?
        var note: String?
        var reason: String?
        var version: String?

        init(_ input: LibraryEntryInput) {
            kind = input.kind
            title = input.title
            question = input.question
            answer = input.answer
            topic = input.topic
            productCategory = input.productCategory
            consultation = input.consultation
        }

        var input: LibraryEntryInput {
            LibraryEntryInput(
                kind: kind, title: title, question: question, answer: answer, topic: topic, productCategory: productCategory,
                consultation: consultation)
        }

        var typed: [String: String] {
            [
                "kind": kind, "title": title, "question": question, "answer": answer, "topic": topic, "productCategory": productCategory,
                "consultation": consultation, "reviewed": reviewed, "note": note, "reason": reason,
            ].compactMapValues { $0 }
        }
    }

    /// `POST /library`: a new draft.
    @Sendable static func draft(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let form = try req.content.decode(Form.self)
        do {
            let record = try await req.platform.library.draft(form.input, by: caller)
            return req.redirect(to: SiteURL.libraryEntry(id: record.id.uuidString).path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty {
            var typed = TypedForm(values: form.typed, errors: refusal.fieldMessages)
            typed.message = refusal.fieldMessages["consultation"]
            return HTMLResponse.page(
                LibraryPages.form(entry: nil, topics: try await req.platform.consultations.topics(), typed: typed, viewer: viewer),
                status: .unprocessableEntity)
        }
    }

    /// `GET /library/:id` (a published entry's reading counted)
    @Sendable static func show(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readLibrary)
        let record = try await req.platform.library.detail(id: try id(req), counting: true, by: caller)
        return HTMLResponse.ok(LibraryPages.show(record, typed: nil, step: nil, viewer: viewer))
    }

    /// `GET /library/:id/edit`
    @Sendable static func edit(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .writeLibrary)
        let record = try await req.platform.library.detail(id: try id(req), by: caller)
        return HTMLResponse.ok(
            LibraryPages.form(entry: record, topics: try await req.platform.consultations.topics(), typed: LibraryPages.typed(record), viewer: viewer)
        )
    }

    /// `POST /library/:id/(edit|publish|withdraw)`
    @Sendable static func step(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let id = try id(req)
        let step = req.parameters.get("step") ?? ""
        let form = try req.content.decode(Form.self)
        let version = form.version.flatMap { Int($0) }
        let library = req.platform.library
        do {
            switch step {
            case "edit": _ = try await library.revise(id: id, form.input, expecting: version, by: caller)
            case "publish": _ = try await library.publish(id: id, reviewed: form.reviewed == "true", note: form.note, expecting: version, by: caller)
            case "withdraw": _ = try await library.withdraw(id: id, reason: form.reason, expecting: version, by: caller)
            default: throw Abort(.notFound)
            }
            return req.redirect(to: SiteURL.libraryEntry(id: id.uuidString).path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty || refusal.isStale {
            var typed = TypedForm(values: form.typed, errors: refusal.fieldMessages)
            typed.message = refusal.isStale ? "该条目已被他人更新，请核对当前内容后再提交。" : refusal.problems.map(\.chinese).joined(separator: "；")
            let record = try await library.detail(id: id, by: caller)
            let page =
                step == "edit"
                ? LibraryPages.form(entry: record, topics: try await req.platform.consultations.topics(), typed: typed, viewer: viewer)
                : LibraryPages.show(record, typed: typed, step: step, viewer: viewer)
            return HTMLResponse.page(page, status: refusal.formStatus)
        }
    }

    private static func id(_ req: Request) throws -> UUID {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw UseCaseError.notFound(.libraryEntry) }
        return id
    }
}
