import Foundation
import TongdaoAPI
import TongdaoCore
import TongdaoStore
import TongdaoUseCases
import Vapor

// An inspection's task (issue 18 item 3): each step one call of `platform.inspections`, the
// inspection back with its version as `ETag`.
extension APIHandler {
    /// `GET /api/v1/inspections`
    func listInspections(_ input: Operations.ListInspections.Input) async throws -> Operations.ListInspections.Output {
        let req = try RequestContext.require()
        let caller = try req.requireCaller()
        let query = input.query
        let page = try await req.platform.inspections.list(
            .init(
                status: query.status?.rawValue, targetKind: query.targetKind?.rawValue, source: query.source?.rawValue, year: query.year,
                targetID: query.target),
            limit: query.limit ?? 50, cursor: query.cursor, by: caller)
        return .ok(.init(body: .json(.init(items: try page.items.map(Components.Schemas.Inspection.init), nextCursor: page.next))))
    }

    /// `POST /api/v1/inspections`
    func createInspection(_ input: Operations.CreateInspection.Input) async throws -> Operations.CreateInspection.Output {
        let req = try RequestContext.require()
        let caller = try req.requireCaller()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let created = try await req.platform.inspections.create(
            NewInspectionInput(
                type: body._type?.rawValue, targetKind: body.targetKind?.rawValue, targetID: body.targetId, plannedMonth: body.plannedMonth,
                reason: body.reason, warningID: body.warningId, address: body.address, centrallyProcured: body.centrallyProcured ?? false),
            by: caller)
        req.entityTag = created.version
        return .created(.init(body: .json(try .init(created))))
    }

    /// `GET /api/v1/inspections/{id}`
    func getInspection(_ input: Operations.GetInspection.Input) async throws -> Operations.GetInspection.Output {
        let req = try RequestContext.require()
        let caller = try req.requireCaller()
        let record = try await req.platform.inspections.detail(id: try Self.id(input.path.id, .inspection), by: caller)
        req.entityTag = record.version
        return .ok(.init(body: .json(try .init(record))))
    }

    /// `GET /api/v1/inspections/{id}/team-proposal`
    func getTeamProposal(_ input: Operations.GetTeamProposal.Input) async throws -> Operations.GetTeamProposal.Output {
        let req = try RequestContext.require()
        let caller = try req.requireCaller()
        let proposal = try await req.platform.inspections.proposal(id: try Self.id(input.path.id, .inspection), by: caller)
        return .ok(
            .init(
                body: .json(
                    .init(
                        lead: try proposal.lead.map(Components.Schemas.TeamCandidate.init),
                        members: try proposal.members.map(Components.Schemas.TeamCandidate.init),
                        excluded: try proposal.excluded.map { .init(inspector: try .init($0.candidate), reasons: $0.reasons) },
                        uncovered: try APIEnum.convert(proposal.uncovered)))))
    }

    /// `GET /api/v1/inspection-plan/{year}/team-proposals?limit=`
    func getPlanTeamProposals(_ input: Operations.GetPlanTeamProposals.Input) async throws -> Operations.GetPlanTeamProposals.Output {
        let req = try RequestContext.require()
        let proposals = try await req.platform.inspections.proposals(
            year: input.path.year, limit: input.query.limit ?? 100, by: try req.requireCaller())
        return .ok(
            .init(
                body: .json(
                    .init(
                        items: try proposals.map { item in
                            .init(
                                inspectionId: item.inspection.uuidString, targetName: item.targetName, plannedMonth: item.plannedMonth?.description,
                                types: try APIEnum.convert(item.types), lead: try item.proposal.lead.map(Components.Schemas.TeamCandidate.init),
                                members: try item.proposal.members.map(Components.Schemas.TeamCandidate.init), excluded: item.proposal.excluded.count,
                                uncovered: try APIEnum.convert(item.proposal.uncovered))
                        }))))
    }

    /// `PUT /api/v1/inspections/{id}/team`
    func putInspectionTeam(_ input: Operations.PutInspectionTeam.Input) async throws -> Operations.PutInspectionTeam.Output {
        let req = try RequestContext.require()
        let caller = try req.requireCaller()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.inspections.formTeam(
            id: try Self.id(input.path.id, .inspection),
            TeamInput(lead: body.lead, members: body.members, overrides: body.overrides?.additionalProperties ?? [:]),
            expecting: try EntityTag.version(ifMatch: input.headers.ifMatch), by: caller)
        return .ok(try Self.step(record, req))
    }

    /// `POST /api/v1/inspections/{id}/answer`
    func answerInspection(_ input: Operations.AnswerInspection.Input) async throws -> Operations.AnswerInspection.Output {
        let req = try RequestContext.require()
        let caller = try req.requireCaller()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.inspections.answer(
            id: try Self.id(input.path.id, .inspection),
            AnswerInput(accept: body.accept, declareNoConflict: body.declareNoConflict ?? false, note: body.note, inspectorID: body.inspectorId),
            by: caller)
        return .ok(try Self.step(record, req))
    }

    /// `POST /api/v1/inspections/{id}/notice`
    func sendInspectionNotice(_ input: Operations.SendInspectionNotice.Input) async throws -> Operations.SendInspectionNotice.Output {
        let req = try RequestContext.require()
        let caller = try req.requireCaller()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.inspections.sendNotice(
            id: try Self.id(input.path.id, .inspection), NoticeInput(noticeOn: body.noticeOn, onSiteFrom: body.onSiteFrom, onSiteTo: body.onSiteTo),
            expecting: try Self.optionalVersion(input.headers.ifMatch), by: caller)
        return .ok(try Self.step(record, req))
    }

    /// `POST /api/v1/inspections/{id}/visit`
    func startInspectionVisit(_ input: Operations.StartInspectionVisit.Input) async throws -> Operations.StartInspectionVisit.Output {
        let req = try RequestContext.require()
        let caller = try req.requireCaller()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.inspections.startVisit(
            id: try Self.id(input.path.id, .inspection), onSiteFrom: body.onSiteFrom, by: caller)
        return .ok(try Self.step(record, req))
    }

    /// `POST /api/v1/inspections/{id}/findings`
    func recordInspectionFinding(_ input: Operations.RecordInspectionFinding.Input) async throws -> Operations.RecordInspectionFinding.Output {
        let req = try RequestContext.require()
        let caller = try req.requireCaller()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.inspections.recordFinding(
            id: try Self.id(input.path.id, .inspection),
            FindingInput(clause: body.clause, grade: body.grade, description: body.description, evidence: body.evidence), by: caller)
        return .ok(try Self.step(record, req))
    }

    /// `POST /api/v1/inspections/{id}/conclusion`
    func concludeInspection(_ input: Operations.ConcludeInspection.Input) async throws -> Operations.ConcludeInspection.Output {
        let req = try RequestContext.require()
        let caller = try req.requireCaller()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.inspections.conclude(
            id: try Self.id(input.path.id, .inspection),
            ConclusionInput(onSiteTo: body.onSiteTo, conclusion: body.conclusion?.rawValue, report: body.report),
            expecting: try Self.optionalVersion(input.headers.ifMatch), by: caller)
        return .ok(try Self.step(record, req))
    }

    /// `POST /api/v1/inspections/{id}/close`
    func closeInspection(_ input: Operations.CloseInspection.Input) async throws -> Operations.CloseInspection.Output {
        let req = try RequestContext.require()
        let caller = try req.requireCaller()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.inspections.close(
            id: try Self.id(input.path.id, .inspection), ratings: body.ratings?.additionalProperties ?? [:],
            expecting: try Self.optionalVersion(input.headers.ifMatch), by: caller)
        return .ok(try Self.step(record, req))
    }

    /// `POST /api/v1/inspections/{id}/cancel`
    func cancelInspection(_ input: Operations.CancelInspection.Input) async throws -> Operations.CancelInspection.Output {
        let req = try RequestContext.require()
        let caller = try req.requireCaller()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.inspections.cancel(
            id: try Self.id(input.path.id, .inspection), reason: body.reason, expecting: try Self.optionalVersion(input.headers.ifMatch),
            by: caller)
        return .ok(try Self.step(record, req))
    }

    /// `GET /api/v1/inspections/{id}/waiver`
    func getLicenceWaiver(_ input: Operations.GetLicenceWaiver.Input) async throws -> Operations.GetLicenceWaiver.Output {
        let req = try RequestContext.require()
        let caller = try req.requireCaller()
        let waiver = try await req.platform.inspections.waiver(id: try Self.id(input.path.id, .inspection), by: caller)
        return .ok(.init(body: .json(.init(waiver))))
    }

    /// `POST /api/v1/inspections/{id}/waiver`
    func waiveLicenceInspection(_ input: Operations.WaiveLicenceInspection.Input) async throws -> Operations.WaiveLicenceInspection.Output {
        let req = try RequestContext.require()
        let caller = try req.requireCaller()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.inspections.waive(
            id: try Self.id(input.path.id, .inspection), note: body.note, expecting: try Self.optionalVersion(input.headers.ifMatch), by: caller)
        return .ok(try Self.step(record, req))
    }

    /// `POST /api/v1/inspections/{id}/findings/{findingId}/rectification`
    func submitRectification(_ input: Operations.SubmitRectification.Input) async throws -> Operations.SubmitRectification.Output {
        let req = try RequestContext.require()
        let caller = try req.requireCaller()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.inspections.submitRectification(
            id: try Self.id(input.path.id, .inspection), finding: try Self.id(input.path.findingId, .finding), text: body.rectification,
            by: caller)
        return .ok(try Self.step(record, req))
    }

    /// `POST /api/v1/inspections/{id}/findings/{findingId}/verification`
    func verifyRectification(_ input: Operations.VerifyRectification.Input) async throws -> Operations.VerifyRectification.Output {
        let req = try RequestContext.require()
        let caller = try req.requireCaller()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.inspections.verify(
            id: try Self.id(input.path.id, .inspection), finding: try Self.id(input.path.findingId, .finding),
            VerificationInput(accepted: body.accepted, note: body.note), by: caller)
        return .ok(try Self.step(record, req))
    }

    /// `POST /api/v1/inspections/{id}/findings/{findingId}/raise`
    func raiseFindingGrade(_ input: Operations.RaiseFindingGrade.Input) async throws -> Operations.RaiseFindingGrade.Output {
        let req = try RequestContext.require()
        let caller = try req.requireCaller()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.inspections.raiseGrade(
            id: try Self.id(input.path.id, .inspection), finding: try Self.id(input.path.findingId, .finding), reason: body.reason,
            by: caller)
        return .ok(try Self.step(record, req))
    }

    /// The answer to a step: the inspection, its version as `ETag`.
    private static func step(_ record: InspectionRecord, _ req: Request) throws -> Components.Responses.InspectionStep {
        req.entityTag = record.version
        return .init(body: .json(try .init(record)))
    }

    /// An `If-Match` that may be left out.
    private static func optionalVersion(_ ifMatch: String?) throws -> Int? {
        guard ifMatch != nil else { return nil }
        return try EntityTag.version(ifMatch: ifMatch)
    }
}

extension Components.Schemas.TeamCandidate {
    init(_ candidate: TeamCandidate) throws {
        self.init(
            id: candidate.id.uuidString, name: candidate.name, rank: try APIEnum.convert(candidate.rank),
            specialties: try APIEnum.convert(candidate.specialties),
            fullTime: candidate.fullTime, load: candidate.load)
    }
}

extension Components.Schemas.Inspection {
    init(_ record: InspectionRecord) throws {
        self.init(
            id: record.id.uuidString, version: record.version, targetKind: try APIEnum.convert(record.targetKind),
            targetId: record.targetID.uuidString,
            targetName: record.targetName, district: record.district, types: try APIEnum.convert(record.types),
            source: try APIEnum.convert(record.source),
            status: try APIEnum.convert(record.status), statusLabel: record.status.label, plannedMonth: record.plannedMonth?.description,
            dueBy: record.dueBy?.description, reason: record.reason, warningId: record.warningID?.uuidString, noticeOn: record.noticeOn?.description,
            onSiteFrom: record.onSiteFrom?.description, onSiteTo: record.onSiteTo?.description, completedOn: record.completedOn?.description,
            conclusion: try record.conclusion.map { try APIEnum.convert($0) }, conclusionReason: record.conclusionReason, report: record.report,
            closedOn: record.closedOn?.description,
            team: try record.team.map { member in
                .init(
                    inspectorId: member.inspectorID.uuidString, name: member.name, role: try APIEnum.convert(member.role),
                    state: try APIEnum.convert(member.state),
                    invitedOn: member.invitedOn.description, answeredOn: member.answeredOn?.description, answerNote: member.answerNote,
                    overriddenConflicts: member.overriddenConflicts, overrideReason: member.overrideReason, rating: member.rating,
                    onTime: member.onTime)
            },
            findings: try record.findings?.map { finding in
                .init(
                    id: finding.id.uuidString, number: finding.number, clause: finding.clause, grade: try APIEnum.convert(finding.grade),
                    originalGrade: try APIEnum.convert(finding.originalGrade), description: finding.description, evidence: finding.evidence,
                    raisedReason: finding.raisedReason, raisedOn: finding.raisedOn?.description, rectifyBy: finding.rectifyBy?.description,
                    rectification: finding.rectification, submittedOn: finding.submittedOn?.description, verifiedOn: finding.verifiedOn?.description,
                    verificationNote: finding.verificationNote, state: finding.stateLabel, unresolved: finding.unresolved,
                    recordedOn: finding.recordedOn.description)
            },
            steps: try record.steps.map {
                .init(kind: try APIEnum.convert($0.kind), dueBy: $0.dueBy.description, level: try APIEnum.convert($0.level))
            },
            level: try APIEnum.convert(record.level),
            events: try record.events.map {
                .init(
                    kind: try APIEnum.convert($0.kind), label: $0.kind.label, occurredOn: $0.occurredOn.description, detail: $0.detail, by: $0.by,
                    recordedAt: $0.recordedAt)
            },
            reader: try APIEnum.convert(record.reader), address: record.address,
            centrallyProcured: record.address == nil ? nil : record.centrallyProcured,
            waiverBasis: record.waiverBasis)
    }
}

extension APIHandler {
    /// `GET /api/v1/inspection-notice?year=`
    func getInspectionNotice(_ input: Operations.GetInspectionNotice.Input) async throws -> Operations.GetInspectionNotice.Output {
        let req = try RequestContext.require()
        let notice = try await req.platform.inspections.notice(year: input.query.year, by: try req.requireCaller())
        return .ok(
            .init(
                body: .json(
                    .init(
                        year: notice.year, summary: notice.summary, institutions: notice.institutions,
                        rows: try notice.rows.map { row in
                            .init(
                                inspection: row.inspection.uuidString, institution: row.institution, district: row.district,
                                types: try APIEnum.convert(row.types), onSite: row.onSite, closedOn: row.closedOn.description,
                                conclusion: try row.conclusion.map { try APIEnum.convert($0) }, severe: row.severe, major: row.major,
                                general: row.general, unresolved: row.unresolved, listed: row.listed)
                        }))))
    }
}
