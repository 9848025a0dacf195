import Fluent
import Foundation
import TongdaoAPI
import TongdaoCore
import TongdaoStore
import Vapor

extension APIHandler {
    /// `GET /api/v1/procedures`
    func listProcedures(_ input: Operations.ListProcedures.Input) async throws -> Operations.ListProcedures.Output {
        let req = try RequestContext.require()
        let catalogue = try await ProcedureStore.catalogue(on: req.db)
        return .ok(.init(body: .json(.init(items: try catalogue.map(Components.Schemas.Procedure.init)))))
    }

    /// `POST /api/v1/clock/preview`
    func previewClock(_ input: Operations.PreviewClock.Input) async throws -> Operations.PreviewClock.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }

        // Decode and check every field first, so that one answer names them all.
        var errors: [ProblemDetails.FieldError] = []
        var asOf = ShanghaiClock.today()
        if let text = body.asOf {
            if let date = CivilDate(text) { asOf = date } else { errors.append(.init(field: "asOf", message: "must be a date YYYY-MM-DD")) }
        }
        if body.events.isEmpty { errors.append(.init(field: "events", message: "must hold at least the accepted event")) }
        if body.events.count > 1_000 { errors.append(.init(field: "events", message: "must hold at most 1000 events")) }
        var events: [ClockEvent] = []
        for (index, event) in body.events.prefix(1_000).enumerated() {
            let kind = ClockEvent.Kind(rawValue: event._type)
            let date = CivilDate(event.on)
            if kind == nil {
                errors.append(
                    .init(
                        field: "events[\(index)].type", message: "must be one of \(ClockEvent.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
                )
            }
            if date == nil { errors.append(.init(field: "events[\(index)].on", message: "must be a date YYYY-MM-DD")) }
            if let days = event.days, !(1...10_000).contains(days) {
                errors.append(.init(field: "events[\(index)].days", message: "must be between 1 and 10000"))
            }
            if let kind, let date { events.append(ClockEvent(kind, on: date, days: event.days)) }
        }
        guard errors.isEmpty else { throw ProblemDetails.badRequest(errors) }

        guard let procedure = try await ProcedureStore.procedure(code: body.procedure, on: req.db) else {
            throw ProblemDetails.unprocessable(field: "procedure", "no procedure has the code \(body.procedure.prefix(80)); see /api/v1/procedures")
        }
        let accepted = events[0].on
        guard let version = procedure.version(inForceOn: accepted) else {
            throw ProblemDetails.unprocessable(field: "procedure", "no version of \(procedure.code) was in force on \(accepted)")
        }
        let calendar = try await req.application.calendars.current(on: req.db)
        let reading: ReviewClock.Reading
        do {
            reading = try ReviewClock.read(version: version, events: events, asOf: asOf, calendar: calendar)
        } catch {
            throw ProblemDetails(
                type: ProblemDetails.typeURI("clock/impossible-event"), title: "Impossible event", status: .unprocessableEntity,
                detail: error.description, errors: [.init(field: "events[\(error.index)]", message: "\(error.event) \(error.reason)")])
        }
        return .ok(.init(body: .json(.init(reading, procedure: procedure.code, version: version.version, asOf: asOf))))
    }
}

extension ProblemDetails {
    /// 422: the input is well formed but cannot be used; `errors` names each field.
    static func unprocessable(_ errors: [FieldError]) -> ProblemDetails {
        ProblemDetails(
            type: typeURI("unprocessable"), title: "Unprocessable request", status: .unprocessableEntity,
            detail: errors.map { "\($0.field): \($0.message)" }.joined(separator: "; "), errors: errors)
    }

    static func unprocessable(field: String, _ message: String) -> ProblemDetails {
        unprocessable([FieldError(field: field, message: message)])
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
    init(_ reading: ReviewClock.Reading, procedure: String, version: String, asOf: CivilDate) {
        self.init(
            procedure: procedure, version: version, asOf: asOf.description,
            phase: PhasePayload(rawValue: reading.phase.rawValue) ?? .review,
            state: StatePayload(rawValue: reading.state.rawValue) ?? .stopped,
            limit: reading.limit, used: reading.used, remaining: reading.remaining,
            deadline: reading.deadline?.description,
            level: LevelPayload(rawValue: reading.level.rawValue) ?? .green,
            supplementDeadline: reading.supplementDeadline?.description,
            supplementExpired: reading.supplementExpired, provisional: reading.provisional,
            segments: reading.segments.map { segment in
                .init(
                    kind: .init(rawValue: segment.kind.rawValue) ?? .counting, from: segment.from.description, to: segment.to.description,
                    workingDays: segment.workingDays, note: segment.note)
            })
    }
}

extension APIHandler {
    /// `PUT /api/v1/procedures/{code}/versions/{version}`
    func putProcedureVersion(_ input: Operations.PutProcedureVersion.Input) async throws -> Operations.PutProcedureVersion.Output {
        let req = try RequestContext.require()
        _ = try req.requireUser(allowedTo: .writeProcedure)
        guard case .json(var body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        // The path names the version; the body's copy is ignored rather than allowed to disagree.
        body.version = input.path.version
        let version: ProcedureVersion
        do {
            version = try JSONDecoder().decode(ProcedureVersion.self, from: JSONEncoder().encode(body))
        } catch {
            throw ProblemDetails.badRequest(field: "effectiveFrom", "must be a date YYYY-MM-DD")
        }
        let problems = version.problems
        guard problems.isEmpty else {
            throw ProblemDetails.unprocessable(problems.map { .init(field: $0.field, message: $0.message) })
        }
        guard try await ProcedureStore.save(version, code: input.path.code, by: req.auditActor, on: req.db) else {
            throw ProblemDetails.status(.notFound, detail: "No procedure has the code \(input.path.code.prefix(100)).")
        }
        return .ok(.init(body: .json(body)))
    }
}
