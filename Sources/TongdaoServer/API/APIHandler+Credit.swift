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

extension APIHandler {
    /// `GET /api/v1/settings/credit-policy`
    func getCreditPolicy(_ input: Operations.GetCreditPolicy.Input) async throws -> Operations.GetCreditPolicy.Output {
        let req = try RequestContext.require()
        let (inForce, versions) = try await req.platform.credit.policies(by: try req.requireCaller())
        return .ok(.init(body: .json(.init(inForce: .init(inForce), versions: versions.map(Components.Schemas.CreditPolicy.init)))))
    }

    /// `PUT /api/v1/settings/credit-policy`
    func putCreditPolicy(_ input: Operations.PutCreditPolicy.Input) async throws -> Operations.PutCreditPolicy.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let policy = CreditPolicy(
            effectiveFrom: body.effectiveFrom, base: body.base, points: body.points.additionalProperties, years: body.years, gradeA: body.gradeA,
            gradeB: body.gradeB, gradeC: body.gradeC)
        let caller = try req.requireCaller()
        let versions = try await req.platform.credit.setPolicy(policy, by: caller)
        let today = req.platform.clock.today()
        return .ok(
            .init(
                body: .json(
                    .init(
                        inForce: .init(CreditPolicy.inForce(on: today, among: versions)), versions: versions.map(Components.Schemas.CreditPolicy.init)
                    ))
            ))
    }
}

extension Components.Schemas.CreditPolicy {
    init(_ policy: CreditPolicy) {
        self.init(
            effectiveFrom: policy.effectiveFrom, base: policy.base, points: .init(additionalProperties: policy.points), years: policy.years,
            gradeA: policy.gradeA, gradeB: policy.gradeB, gradeC: policy.gradeC)
    }
}
