import Foundation
import TongdaoAPI
import TongdaoCore
import TongdaoUseCases
import Vapor

// Credit files (issue 18 item 5): thin adapters over `platform.credit`.
extension APIHandler {
    /// `GET /api/v1/credit/{kind}/{id}`
    func getCreditFile(_ input: Operations.GetCreditFile.Input) async throws -> Operations.GetCreditFile.Output {
        let req = try RequestContext.require()
        let caller = try req.requireCaller()
        let kind = input.path.kind.rawValue
        let file = try await req.platform.credit.file(
            kind: kind, id: try Self.id(input.path.id, kind == "enterprise" ? .enterprise : .institution), by: caller)
        return .ok(.init(body: .json(try .init(file))))
    }

    /// `POST /api/v1/credit/{kind}/{id}/events`
    func recordCreditEvent(_ input: Operations.RecordCreditEvent.Input) async throws -> Operations.RecordCreditEvent.Output {
        let req = try RequestContext.require()
        let caller = try req.requireCaller()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let kind = input.path.kind.rawValue
        let file = try await req.platform.credit.record(
            kind: kind, id: try Self.id(input.path.id, kind == "enterprise" ? .enterprise : .institution), event: body.kind, on: body.occurredOn,
            detail: body.detail, by: caller)
        return .ok(.init(body: .json(try .init(file))))
    }
}

extension Components.Schemas.CreditFile {
    init(_ file: CreditFileRecord) throws {
        let assessment = file.assessment
        self.init(
            kind: try APIEnum.convert(file.kind), id: file.id.uuidString, name: file.name, base: assessment.base, score: assessment.score,
            grade: try APIEnum.convert(assessment.grade), gradeLabel: assessment.grade.label, explanation: assessment.explanation,
            events: try assessment.lines.map {
                .init(
                    kind: try APIEnum.convert($0.event.kind), label: $0.event.kind.label, on: $0.event.on.description, detail: $0.event.detail,
                    points: $0.points, expired: $0.expired)
            })
    }
}
