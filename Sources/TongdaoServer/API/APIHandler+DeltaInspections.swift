import Foundation
import OpenAPIRuntime
import TongdaoAPI
import TongdaoCore
import TongdaoUseCases
import Vapor

// Joint inspections and recognised results across the Delta (issue 21).
extension APIHandler {
    /// `GET /api/v1/delta/joint-inspections`
    func listDeltaJointInspections(_ input: Operations.ListDeltaJointInspections.Input) async throws -> Operations.ListDeltaJointInspections.Output {
        let req = try RequestContext.require()
        let records = try await req.platform.deltaJoint.list(by: try req.requireCaller())
        return .ok(.init(body: .json(.init(items: try records.map(Components.Schemas.DeltaJointInspection.init)))))
    }

    /// `POST /api/v1/delta/joint-inspections`
    func planDeltaJointInspection(_ input: Operations.PlanDeltaJointInspection.Input) async throws -> Operations.PlanDeltaJointInspection.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.deltaJoint.plan(
            DeltaJointInput(
                inspection: body.inspection, province: body.province.rawValue, link: body.link, note: body.note,
                members: (body.members ?? []).map(DeltaJointMemberInput.init)),
            by: try req.requireCaller())
        req.entityTag = record.version
        return .created(.init(body: .json(try .init(record))))
    }

    /// `GET /api/v1/delta/joint-inspections/{id}`
    func getDeltaJointInspection(_ input: Operations.GetDeltaJointInspection.Input) async throws -> Operations.GetDeltaJointInspection.Output {
        let req = try RequestContext.require()
        let record = try await req.platform.deltaJoint.detail(id: try Self.id(input.path.id, .deltaJoint), by: try req.requireCaller())
        req.entityTag = record.version
        return .ok(.init(body: .json(try .init(record))))
    }

    /// `PUT /api/v1/delta/joint-inspections/{id}/members`
    func setDeltaJointMembers(_ input: Operations.SetDeltaJointMembers.Input) async throws -> Operations.SetDeltaJointMembers.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.deltaJoint.setMembers(
            id: try Self.id(input.path.id, .deltaJoint), body.members.map(DeltaJointMemberInput.init),
            expecting: try EntityTag.version(ifMatch: input.headers.ifMatch), by: try req.requireCaller())
        req.entityTag = record.version
        return .ok(.init(body: .json(try .init(record))))
    }

    /// `GET /api/v1/delta/results`
    func listDeltaResults(_ input: Operations.ListDeltaResults.Input) async throws -> Operations.ListDeltaResults.Output {
        let req = try RequestContext.require()
        let records = try await req.platform.deltaResults.list(status: input.query.status?.rawValue, by: try req.requireCaller())
        return .ok(.init(body: .json(.init(items: try records.map(Components.Schemas.DeltaResult.init)))))
    }

    /// `POST /api/v1/delta/results`
    func recordDeltaResult(_ input: Operations.RecordDeltaResult.Input) async throws -> Operations.RecordDeltaResult.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.deltaResults.record(
            DeltaResultInput(
                province: body.province?.rawValue, creditCode: body.creditCode, types: body.types.map(\.rawValue), completedOn: body.completedOn,
                conclusion: body.conclusion.rawValue, reference: body.reference, summary: body.summary),
            by: try req.requireCaller())
        req.entityTag = record.version
        return .created(.init(body: .json(try .init(record))))
    }

    /// `GET /api/v1/delta/results/{id}`
    func getDeltaResult(_ input: Operations.GetDeltaResult.Input) async throws -> Operations.GetDeltaResult.Output {
        let req = try RequestContext.require()
        let record = try await req.platform.deltaResults.detail(id: try Self.id(input.path.id, .deltaResult), by: try req.requireCaller())
        req.entityTag = record.version
        return .ok(.init(body: .json(try .init(record))))
    }

    /// `POST /api/v1/delta/results/{id}/recognition`
    func recogniseDeltaResult(_ input: Operations.RecogniseDeltaResult.Input) async throws -> Operations.RecogniseDeltaResult.Output {
        let req = try RequestContext.require()
        let record = try await req.platform.deltaResults.recognise(
            id: try Self.id(input.path.id, .deltaResult), expecting: try EntityTag.version(ifMatch: input.headers.ifMatch),
            by: try req.requireCaller())
        req.entityTag = record.version
        return .ok(.init(body: .json(try .init(record))))
    }

    /// `POST /api/v1/delta/results/{id}/declination`
    func declineDeltaResult(_ input: Operations.DeclineDeltaResult.Input) async throws -> Operations.DeclineDeltaResult.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.deltaResults.decline(
            id: try Self.id(input.path.id, .deltaResult), reason: body.reason, expecting: try EntityTag.version(ifMatch: input.headers.ifMatch),
            by: try req.requireCaller())
        req.entityTag = record.version
        return .ok(.init(body: .json(try .init(record))))
    }

    /// `POST /api/v1/delta/shares/{id}/recognition`
    func recogniseDeltaShare(_ input: Operations.RecogniseDeltaShare.Input) async throws -> Operations.RecogniseDeltaShare.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.deltaShares.recognise(
            id: try Self.id(input.path.id, .deltaShare), reference: body.reference,
            expecting: try EntityTag.version(ifMatch: input.headers.ifMatch), by: try req.requireCaller())
        req.entityTag = record.version
        return .ok(.init(body: .json(try .init(record))))
    }
}

extension DeltaJointMemberInput {
    init(_ member: Components.Schemas.DeltaJointMember) {
        self.init(name: member.name, organisation: member.organisation, title: member.title)
    }
}

extension Components.Schemas.DeltaJointInspection {
    init(_ record: DeltaJointRecord) throws {
        self.init(
            id: record.id.uuidString, version: record.version, inspectionId: record.inspectionID.uuidString, targetName: record.targetName,
            targetUscc: record.targetUSCC, types: try record.types.map { try APIEnum.convert($0) }, status: try APIEnum.convert(record.status),
            statusLabel: record.status.label, plannedMonth: record.plannedMonth?.description, onSiteFrom: record.onSiteFrom?.description,
            onSiteTo: record.onSiteTo?.description, closedOn: record.closedOn?.description, province: try APIEnum.convert(record.province),
            provinceName: record.province.name, linkId: record.linkID?.uuidString, linkProduct: record.linkProduct, note: record.note,
            plannedOn: record.plannedOn.description, plannedBy: record.plannedBy, shanghaiTeam: record.shanghaiTeam,
            members: record.members.map { .init(name: $0.name, organisation: $0.organisation, title: $0.title) },
            conclusion: try record.conclusion.map { try APIEnum.convert($0) }, conclusionLabel: record.conclusion?.label,
            conclusionReason: record.conclusionReason,
            findings: try record.findings.map { finding in
                .init(
                    number: finding.number, clause: finding.clause, grade: try APIEnum.convert(finding.grade), gradeLabel: finding.grade.label,
                    description: finding.description)
            })
    }
}

extension Components.Schemas.DeltaResult {
    init(_ record: DeltaResultRecord) throws {
        self.init(
            id: record.id.uuidString, version: record.version, province: try APIEnum.convert(record.province), provinceName: record.province.name,
            enterpriseId: record.enterpriseID.uuidString, targetName: record.targetName, targetUscc: record.targetUSCC,
            types: try record.types.map { try APIEnum.convert($0) }, completedOn: record.completedOn.description,
            conclusion: try APIEnum.convert(record.conclusion), conclusionLabel: record.conclusion.label, reference: record.reference,
            summary: record.summary, recordedOn: record.recordedOn.description, recordedBy: record.recordedBy,
            status: try APIEnum.convert(record.status), statusLabel: record.status.label, inspectionId: record.inspectionID?.uuidString,
            decidedOn: record.decidedOn?.description, decidedBy: record.decidedBy, declineReason: record.declineReason)
    }
}
