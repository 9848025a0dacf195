import Foundation
import OpenAPIRuntime
import TongdaoAPI
import TongdaoCore
import TongdaoUseCases
import Vapor

// Risk notices and requests for assistance to a partner province (issue 21).
extension APIHandler {
    /// `GET /api/v1/delta/notices`
    func listDeltaNotices(_ input: Operations.ListDeltaNotices.Input) async throws -> Operations.ListDeltaNotices.Output {
        let req = try RequestContext.require()
        let records = try await req.platform.deltaNotices.list(status: input.query.status?.rawValue, by: try req.requireCaller())
        return .ok(.init(body: .json(.init(items: try records.map(Components.Schemas.DeltaNotice.init)))))
    }

    /// `POST /api/v1/delta/notices`
    func sendDeltaNotice(_ input: Operations.SendDeltaNotice.Input) async throws -> Operations.SendDeltaNotice.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.deltaNotices.send(
            DeltaNoticeInput(
                kind: body.kind.rawValue, province: body.province.rawValue, subject: body.subject, body: body.body, creditCode: body.creditCode,
                link: body.link, sentOn: body.sentOn, workingDays: String(body.workingDays)),
            by: try req.requireCaller())
        req.entityTag = record.version
        return .created(.init(body: .json(try .init(record))))
    }

    /// `GET /api/v1/delta/notices/{id}`
    func getDeltaNotice(_ input: Operations.GetDeltaNotice.Input) async throws -> Operations.GetDeltaNotice.Output {
        let req = try RequestContext.require()
        let record = try await req.platform.deltaNotices.detail(id: try Self.id(input.path.id, .deltaNotice), by: try req.requireCaller())
        req.entityTag = record.version
        return .ok(.init(body: .json(try .init(record))))
    }

    /// `POST /api/v1/delta/notices/{id}/answer`
    func answerDeltaNotice(_ input: Operations.AnswerDeltaNotice.Input) async throws -> Operations.AnswerDeltaNotice.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.deltaNotices.answer(
            id: try Self.id(input.path.id, .deltaNotice), answer: body.answer, expecting: try EntityTag.version(ifMatch: input.headers.ifMatch),
            by: try req.requireCaller())
        req.entityTag = record.version
        return .ok(.init(body: .json(try .init(record))))
    }
}

extension Components.Schemas.DeltaNotice {
    init(_ record: DeltaNoticeRecord) throws {
        self.init(
            id: record.id.uuidString, version: record.version, kind: try APIEnum.convert(record.kind), kindLabel: record.kind.label,
            province: try APIEnum.convert(record.province), provinceName: record.province.name, subject: record.subject, body: record.body,
            enterpriseUscc: record.enterpriseUSCC, enterpriseName: record.enterpriseName, linkId: record.linkID?.uuidString,
            linkProduct: record.linkProduct, sentOn: record.sentOn.description, sentBy: record.sentBy, workingDays: record.workingDays,
            dueOn: record.dueOn.description, answer: record.answer, answeredOn: record.answeredOn?.description, answeredBy: record.answeredBy,
            status: try APIEnum.convert(record.status), statusLabel: record.status.label, level: try record.level.map { try APIEnum.convert($0) },
            answeredLate: record.answeredLate)
    }
}
