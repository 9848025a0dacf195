import Foundation
import OpenAPIRuntime
import TongdaoAPI
import TongdaoCore
import TongdaoUseCases
import Vapor

extension APIHandler {
    /// `GET /api/v1/library`
    func searchLibrary(_ input: Operations.SearchLibrary.Input) async throws -> Operations.SearchLibrary.Output {
        let req = try RequestContext.require()
        let query = input.query
        let records = try await req.platform.library.search(
            text: query.q, kind: query.kind?.rawValue, topic: query.topic, productCategory: query.productCategory?.rawValue,
            mostRead: query.sort == .views, limit: query.limit ?? 20, offset: query.offset ?? 0, by: try req.requireCaller())
        return .ok(.init(body: .json(.init(items: try records.map(Components.Schemas.LibraryEntry.init)))))
    }

    /// `POST /api/v1/library`
    func draftLibraryEntry(_ input: Operations.DraftLibraryEntry.Input) async throws -> Operations.DraftLibraryEntry.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.library.draft(LibraryEntryInput(body), by: try req.requireCaller())
        req.entityTag = record.version
        return .created(.init(body: .json(try .init(record))))
    }

    /// `GET /api/v1/library-drafts`
    func listLibraryDrafts(_ input: Operations.ListLibraryDrafts.Input) async throws -> Operations.ListLibraryDrafts.Output {
        let req = try RequestContext.require()
        let records = try await req.platform.library.queue(status: input.query.status?.rawValue, by: try req.requireCaller())
        return .ok(.init(body: .json(.init(items: try records.map(Components.Schemas.LibraryEntry.init)))))
    }

    /// `GET /api/v1/consultations/{id}/library-draft`
    func getLibraryDraftFromConsultation(_ input: Operations.GetLibraryDraftFromConsultation.Input) async throws
        -> Operations.GetLibraryDraftFromConsultation.Output
    {
        let req = try RequestContext.require()
        let draft = try await req.platform.library.draftFrom(consultation: try Self.id(input.path.id, .consultation), by: try req.requireCaller())
        return .ok(
            .init(
                body: .json(
                    .init(
                        kind: try APIEnum.convert(LibraryKind(rawValue: draft.kind ?? "") ?? .faq), title: draft.title ?? "",
                        question: draft.question ?? "", answer: draft.answer ?? "", topic: draft.topic ?? "",
                        productCategory: try draft.productCategory.flatMap(ProductCategory.init(rawValue:)).map { try APIEnum.convert($0) },
                        consultationId: draft.consultation))))
    }

    /// `GET /api/v1/library/{id}`
    func getLibraryEntry(_ input: Operations.GetLibraryEntry.Input) async throws -> Operations.GetLibraryEntry.Output {
        let req = try RequestContext.require()
        let record = try await req.platform.library.detail(id: try Self.id(input.path.id, .libraryEntry), counting: true, by: try req.requireCaller())
        req.entityTag = record.version
        return .ok(.init(body: .json(try .init(record))))
    }

    /// `PUT /api/v1/library/{id}`
    func reviseLibraryEntry(_ input: Operations.ReviseLibraryEntry.Input) async throws -> Operations.ReviseLibraryEntry.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.library.revise(
            id: try Self.id(input.path.id, .libraryEntry), LibraryEntryInput(body), expecting: try EntityTag.version(ifMatch: input.headers.ifMatch),
            by: try req.requireCaller())
        req.entityTag = record.version
        return .ok(.init(body: .json(try .init(record))))
    }

    /// `POST /api/v1/library/{id}/publication`
    func publishLibraryEntry(_ input: Operations.PublishLibraryEntry.Input) async throws -> Operations.PublishLibraryEntry.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.library.publish(
            id: try Self.id(input.path.id, .libraryEntry), reviewed: body.reviewed, note: body.note,
            expecting: try EntityTag.version(ifMatch: input.headers.ifMatch), by: try req.requireCaller())
        req.entityTag = record.version
        return .ok(.init(body: .json(try .init(record))))
    }

    /// `POST /api/v1/library/{id}/withdrawal`
    func withdrawLibraryEntry(_ input: Operations.WithdrawLibraryEntry.Input) async throws -> Operations.WithdrawLibraryEntry.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.library.withdraw(
            id: try Self.id(input.path.id, .libraryEntry), reason: body.reason, expecting: try EntityTag.version(ifMatch: input.headers.ifMatch),
            by: try req.requireCaller())
        req.entityTag = record.version
        return .ok(.init(body: .json(try .init(record))))
    }
}

extension LibraryEntryInput {
    init(_ body: Components.Schemas.LibraryEntryFiling) {
        self.init(
            kind: body.kind.rawValue, title: body.title, question: body.question, answer: body.answer, topic: body.topic,
            productCategory: body.productCategory?.rawValue, consultation: body.consultationId, status: body.status)
    }
}

extension Components.Schemas.LibraryEntry {
    init(_ record: LibraryEntryRecord) throws {
        self.init(
            id: record.id.uuidString, version: record.version, kind: try APIEnum.convert(record.kind), kindLabel: record.kind.label,
            status: try APIEnum.convert(record.status), statusLabel: record.status.label, title: record.title, question: record.question,
            answer: record.answer, topic: record.topic, topicLabel: record.topicLabel,
            productCategory: try record.productCategory.map { try APIEnum.convert($0) }, productCategoryLabel: record.productCategory?.label,
            consultationId: record.consultationID?.uuidString, desk: record.desk, author: record.author, draftedOn: record.draftedOn.description,
            reviewer: record.reviewer, reviewNote: record.reviewNote, publishedOn: record.publishedOn?.description,
            withdrawnOn: record.withdrawnOn?.description, views: record.views, leaks: record.leaks.map { .init(what: $0.what, text: $0.text) })
    }
}
