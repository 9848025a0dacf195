import TongdaoCore
import TongdaoUseCases
import Vapor

extension UseCaseError: ProblemDetailsConvertible {
    /// The status a refusal is answered with, on the API and on pages alike.
    var status: HTTPResponseStatus {
        switch self {
        case .forbidden, .outsideScope, .fieldForbidden: .forbidden
        case .notFound: .notFound
        case .malformed: .badRequest
        case .invalid, .impossibleEvent: .unprocessableEntity
        case .conflict: .conflict
        case .unauthenticated: .unauthorized
        case .throttled: .tooManyRequests
        }
    }

    /// The RFC 9457 problem the API answers, naming each field at fault.
    var problemDetails: ProblemDetails {
        let errors = problems.map { ProblemDetails.FieldError(field: $0.field, message: $0.message) }
        switch self {
        case .forbidden:
            return .forbidden(description)
        case .notFound(let kind):
            return .status(.notFound, detail: kind.detail)
        case .malformed:
            return .badRequest(errors)
        case .invalid:
            return .unprocessable(errors)
        case .impossibleEvent(let event, let problem):
            return ProblemDetails(
                type: ProblemDetails.typeURI("applications/impossible-event"), title: "Impossible event", status: .unprocessableEntity,
                detail: description, errors: [.init(field: problem.field, message: "\(event) \(problem.message)")])
        case .outsideScope, .fieldForbidden:
            var forbidden = ProblemDetails.forbidden(description)
            forbidden.errors = errors
            return forbidden
        case .conflict:
            return ProblemDetails(type: ProblemDetails.typeURI("conflict"), title: "Conflict", status: .conflict, detail: description, errors: errors)
        case .unauthenticated:
            return .unauthorized(description)
        case .throttled(let seconds):
            var problem = ProblemDetails(
                type: ProblemDetails.typeURI("too-many-requests"), title: "Too Many Requests", status: .tooManyRequests, detail: description)
            problem.headers["Retry-After"] = String(seconds)
            return problem
        }
    }

    /// The Chinese messages a form shows next to its fields, by field name.
    var fieldMessages: [String: String] {
        var messages: [String: String] = [:]
        for problem in problems where messages[problem.field] == nil {
            messages[problem.field] = if case .impossibleEvent = self { "此事件现在不能记录：\(problem.chinese)" } else { problem.chinese }
        }
        return messages
    }
}
