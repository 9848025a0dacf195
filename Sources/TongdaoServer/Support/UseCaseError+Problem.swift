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
        case .conflict, .stale: .conflict
        case .versionRequired: .preconditionRequired
        case .unauthenticated: .unauthorized
        case .throttled: .tooManyRequests
        case .busy: .serviceUnavailable
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
        case .stale(_, let current):
            var problem = ProblemDetails(
                type: ProblemDetails.typeURI("stale"), title: "Changed since read", status: .conflict, detail: description,
                errors: [.init(field: "If-Match", message: "names a version the record no longer has; it is \(EntityTag.of(current)) now")])
            problem.headers["ETag"] = EntityTag.of(current)
            return problem
        case .versionRequired:
            return ProblemDetails(
                type: ProblemDetails.typeURI("version-required"), title: "Precondition Required", status: .preconditionRequired,
                detail: description, errors: [.init(field: "If-Match", message: "is required: the ETag of the version the change is based on")])
        case .unauthenticated:
            return .unauthorized(description)
        case .throttled(let seconds):
            var problem = ProblemDetails(
                type: ProblemDetails.typeURI("too-many-requests"), title: "Too Many Requests", status: .tooManyRequests, detail: description)
            problem.headers["Retry-After"] = String(seconds)
            return problem
        case .busy(let seconds):
            var problem = ProblemDetails(
                type: ProblemDetails.typeURI("busy"), title: "Service Unavailable", status: .serviceUnavailable, detail: description)
            problem.headers["Retry-After"] = String(seconds)
            return problem
        }
    }

    /// Whether the form was opened on a version of the record another write has changed since (or
    /// on none): the page shows the form again, with what is saved now.
    var isStale: Bool {
        switch self {
        case .stale, .versionRequired: true
        default: false
        }
    }

    /// The status of a page that shows a refused step's form again: 409 when the record moved on
    /// (a stale or missing version, or a step that no longer fits), 422 when a field is at fault.
    var formStatus: HTTPResponseStatus {
        if isStale { return .conflict }
        if case .conflict = self { return .conflict }
        return .unprocessableEntity
    }

    /// What a form opened on an old version says above its fields.
    var staleMessage: String {
        let why =
            switch self {
            case .versionRequired(let kind): "无法确认您打开的是此\(kind.noun)的哪个版本（页面可能在系统更新前打开），您的修改尚未保存。"
            case .stale(let kind, _): "您打开此页之后，此\(kind.noun)已被其他人修改，您的修改尚未保存。"
            default: chinese
            }
        return why + "现已保存的内容与您填写的不同之处已标在各字段下；您填写的内容已保留，核对后再次保存，即以您填写的为准。"
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
