import Foundation
import TongdaoAPI
import TongdaoCore
import TongdaoUseCases
import Vapor

extension APIHandler {
    /// `GET /api/v1/procedures`
    func listProcedures(_ input: Operations.ListProcedures.Input) async throws -> Operations.ListProcedures.Output {
        let catalogue = try await RequestContext.require().platform.settings.procedures()
        return .ok(.init(body: .json(.init(items: try catalogue.map(Components.Schemas.Procedure.init)))))
    }

    /// `POST /api/v1/clock/preview`
    func previewClock(_ input: Operations.PreviewClock.Input) async throws -> Operations.PreviewClock.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        do {
            let preview = try await req.platform.clockPreview.preview(
                procedure: body.procedure, events: body.events.map { .init(type: $0._type, on: $0.on, days: $0.days) }, asOf: body.asOf)
            return .ok(.init(body: .json(try .init(preview.reading, procedure: preview.procedure, version: preview.version, asOf: preview.asOf))))
        } catch UseCaseError.impossibleEvent(let event, let problem) {
            // The preview's own problem type: the event at fault is named by its place in the list.
            throw ProblemDetails(
                type: ProblemDetails.typeURI("clock/impossible-event"), title: "Impossible event", status: .unprocessableEntity,
                detail: "event \(problem.field.dropFirst("events[".count).dropLast()) (\(event)): \(problem.message)",
                errors: [.init(field: problem.field, message: "\(event) \(problem.message)")])
        }
    }
}

extension Components.Schemas.Procedure {
    /// The core and contract shapes of a version are the same JSON; convert through it.
    init(_ procedure: Procedure) throws {
        let versions = try procedure.versions.map { version in
            try JSONDecoder().decode(Components.Schemas.ProcedureVersion.self, from: JSONEncoder().encode(version))
        }
        self.init(code: procedure.code, name: procedure.name, category: procedure.category, versions: versions)
    }
}

extension Components.Schemas.Clock {
    init(_ reading: ReviewClock.Reading, procedure: String, version: String, asOf: CivilDate) throws {
        self.init(
            procedure: procedure, version: version, asOf: asOf.description, phase: try APIEnum.convert(reading.phase),
            state: try APIEnum.convert(reading.state), limit: reading.limit, used: reading.used, remaining: reading.remaining,
            deadline: reading.deadline?.description, level: try APIEnum.convert(reading.level),
            supplementDeadline: reading.supplementDeadline?.description, supplementExpired: reading.supplementExpired,
            provisional: reading.provisional,
            segments: try reading.segments.map { segment in
                .init(
                    kind: try APIEnum.convert(segment.kind), from: segment.from.description, to: segment.to.description,
                    workingDays: segment.workingDays, note: segment.note)
            }, restartedOn: reading.restartedOn?.description,
            inspection: try reading.inspection.map { inspection in
                .init(
                    startBy: inspection.startBy?.description, startedOn: inspection.startedOn?.description,
                    completedOn: inspection.completedOn?.description, limit: inspection.limit, used: inspection.used,
                    deadline: inspection.deadline?.description, late: inspection.late, level: try APIEnum.convert(inspection.level))
            })
    }
}

extension APIHandler {
    /// `PUT /api/v1/procedures/{code}/versions/{version}`
    func putProcedureVersion(_ input: Operations.PutProcedureVersion.Input) async throws -> Operations.PutProcedureVersion.Output {
        let req = try RequestContext.require()
        let caller = try req.requireCaller()
        guard case .json(var body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        // The path names the version; the body's copy is ignored rather than allowed to disagree.
        body.version = input.path.version
        // The contract's and the core's versions are the same JSON.
        let version: ProcedureVersion
        do {
            version = try JSONDecoder().decode(ProcedureVersion.self, from: JSONEncoder().encode(body))
        } catch {
            throw ProblemDetails.badRequest(field: "effectiveFrom", "must be a date YYYY-MM-DD")
        }
        try await req.platform.settings.saveProcedureVersion(version, code: input.path.code, by: caller)
        return .ok(.init(body: .json(body)))
    }
}
