import Foundation
import OpenAPIRuntime
import TongdaoAPI
import TongdaoCore
import TongdaoUseCases
import Vapor

extension APIHandler {
    /// `GET /api/v1/landing-projects`
    func listLandingProjects(_ input: Operations.ListLandingProjects.Input) async throws -> Operations.ListLandingProjects.Output {
        let req = try RequestContext.require()
        let records = try await req.platform.landing.list(
            status: input.query.status?.rawValue, district: input.query.district, by: try req.requireCaller())
        return .ok(.init(body: .json(.init(items: try records.map(Components.Schemas.LandingProject.init)))))
    }

    /// `POST /api/v1/landing-projects`
    func recordLandingProject(_ input: Operations.RecordLandingProject.Input) async throws -> Operations.RecordLandingProject.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.landing.create(LandingProjectInput(body), by: try req.requireCaller())
        req.entityTag = record.version
        return .created(.init(body: .json(try .init(record))))
    }

    /// `GET /api/v1/landing-projects/{id}`
    func getLandingProject(_ input: Operations.GetLandingProject.Input) async throws -> Operations.GetLandingProject.Output {
        let req = try RequestContext.require()
        let record = try await req.platform.landing.detail(id: try Self.id(input.path.id, .landingProject), by: try req.requireCaller())
        req.entityTag = record.version
        return .ok(.init(body: .json(try .init(record))))
    }

    /// `PUT /api/v1/landing-projects/{id}`
    func updateLandingProject(_ input: Operations.UpdateLandingProject.Input) async throws -> Operations.UpdateLandingProject.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.landing.update(
            id: try Self.id(input.path.id, .landingProject), LandingProjectInput(body),
            expecting: try EntityTag.version(ifMatch: input.headers.ifMatch), by: try req.requireCaller())
        req.entityTag = record.version
        return .ok(.init(body: .json(try .init(record))))
    }

    /// `POST /api/v1/landing-projects/{id}/problems`
    func raiseLandingProblem(_ input: Operations.RaiseLandingProblem.Input) async throws -> Operations.RaiseLandingProblem.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.landing.raiseProblem(
            project: try Self.id(input.path.id, .landingProject),
            LandingProblemInput(title: body.title, detail: body.detail, owner: body.owner, dueOn: body.dueOn), by: try req.requireCaller())
        req.entityTag = record.version
        return .created(.init(body: .json(try .init(record))))
    }

    /// `POST /api/v1/landing-projects/{id}/problems/{problemId}/resolution`
    func resolveLandingProblem(_ input: Operations.ResolveLandingProblem.Input) async throws -> Operations.ResolveLandingProblem.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.landing.resolveProblem(
            project: try Self.id(input.path.id, .landingProject), problem: try Self.id(input.path.problemId, .landingProblem),
            resolution: body.resolution, meeting: body.meeting, expecting: try EntityTag.version(ifMatch: input.headers.ifMatch),
            by: try req.requireCaller())
        req.entityTag = record.version
        return .ok(.init(body: .json(try .init(record))))
    }

    /// `GET /api/v1/landing-meetings`
    func listLandingMeetings(_ input: Operations.ListLandingMeetings.Input) async throws -> Operations.ListLandingMeetings.Output {
        let req = try RequestContext.require()
        let records = try await req.platform.landing.meetings(by: try req.requireCaller())
        return .ok(.init(body: .json(.init(items: records.map(Components.Schemas.LandingMeeting.init)))))
    }

    /// `POST /api/v1/landing-meetings`
    func recordLandingMeeting(_ input: Operations.RecordLandingMeeting.Input) async throws -> Operations.RecordLandingMeeting.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.landing.recordMeeting(
            LandingMeetingInput(
                heldOn: body.heldOn, subject: body.subject, attendees: body.attendees, decisions: body.decisions, projects: body.projects),
            by: try req.requireCaller())
        return .created(.init(body: .json(.init(record))))
    }
}

extension LandingProjectInput {
    init(_ body: Components.Schemas.LandingProjectFiling) {
        self.init(
            product: body.product, district: body.district, park: body.park, site: body.site, status: body.status.rawValue, plannedOn: body.plannedOn,
            investment: body.investment.map(String.init), note: body.note)
    }
}

extension Components.Schemas.LandingMeeting {
    init(_ record: LandingMeetingRecord) {
        self.init(
            id: record.id.uuidString, heldOn: record.heldOn.description, subject: record.subject, attendees: record.attendees,
            decisions: record.decisions, recordedBy: record.recordedBy,
            projects: record.projects.map { .init(id: $0.id.uuidString, productName: $0.productName) })
    }
}

extension Components.Schemas.LandingProject {
    init(_ record: LandingProjectRecord) throws {
        self.init(
            id: record.id.uuidString, version: record.version, productId: record.productID.uuidString, productName: record.productName,
            certificate: record.certificate, enterpriseId: record.enterpriseID.uuidString, enterprise: record.enterprise, district: record.district,
            districtName: record.districtName, park: record.park, parkName: record.parkName, site: record.site,
            status: try APIEnum.convert(record.status),
            statusLabel: record.status.label, plannedOn: record.plannedOn?.description, producingOn: record.producingOn?.description,
            investment: record.investment, note: record.note, recordedBy: record.recordedBy, recordedOn: record.recordedOn.description,
            openProblems: record.openProblems, overdueProblems: record.overdueProblems,
            problems: try record.problems.map { problem in
                .init(
                    id: problem.id.uuidString, version: problem.version, title: problem.title, detail: problem.detail, owner: problem.owner,
                    dueOn: problem.dueOn?.description, status: try APIEnum.convert(problem.status), statusLabel: problem.status.label,
                    raisedBy: problem.raisedBy, raisedOn: problem.raisedOn.description, resolution: problem.resolution,
                    resolvedBy: problem.resolvedBy,
                    resolvedOn: problem.resolvedOn?.description, meetingId: problem.meetingID?.uuidString, meetingSubject: problem.meetingSubject,
                    overdue: problem.overdue)
            },
            meetings: record.meetings.map(Components.Schemas.LandingMeeting.init))
    }
}
