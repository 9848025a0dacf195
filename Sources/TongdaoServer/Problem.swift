import Vapor

/// An RFC 9457 problem document: what every `/api` error answers with.
public struct ProblemDetails: Error, Content, Sendable, Equatable {
    public struct FieldError: Codable, Sendable, Equatable {
        /// The query parameter, path parameter or JSON field at fault.
        public var field: String
        public var message: String

        public init(field: String, message: String) {
            self.field = field
            self.message = message
        }
    }

    public var type: String
    public var title: String
    public var status: Int
    public var detail: String?
    public var instance: String?
    public var errors: [FieldError]?
    /// The `X-Request-ID` of the failed request, to quote when asking for help.
    public var requestId: String?
    /// For `/problems/calendar/schedule-not-published`: the year without a schedule.
    public var year: Int?
    /// Response headers that go with the problem (`Retry-After`, `WWW-Authenticate`); not in the body.
    public var headers: [String: String] = [:]

    private enum CodingKeys: String, CodingKey {
        case type, title, status, detail, instance, errors, requestId, year
    }

    public init(type: String, title: String, status: HTTPResponseStatus, detail: String? = nil, errors: [FieldError]? = nil) {
        self.type = type
        self.title = title
        self.status = Int(status.code)
        self.detail = detail
        self.errors = errors
    }

    public static let contentType = HTTPMediaType(type: "application", subType: "problem+json", parameters: ["charset": "utf-8"])

    /// Problem types are relative URI references under `/problems/`.
    public static func typeURI(_ slug: String) -> String { "/problems/\(slug)" }

    public static func badRequest(_ errors: [FieldError], detail: String? = nil) -> ProblemDetails {
        ProblemDetails(
            type: typeURI("invalid-parameters"), title: "Invalid parameters", status: .badRequest,
            detail: detail ?? errors.map { "\($0.field): \($0.message)" }.joined(separator: "; "), errors: errors)
    }

    /// 401: no valid credentials. Says nothing about which part was wrong.
    public static func unauthorized(_ detail: String = "Sign in or send a valid bearer token.") -> ProblemDetails {
        var problem = ProblemDetails(type: typeURI("unauthorized"), title: "Unauthorized", status: .unauthorized, detail: detail)
        problem.headers["WWW-Authenticate"] = "Bearer"
        return problem
    }

    /// 403: signed in, in scope, but the role may not do this.
    public static func forbidden(_ detail: String) -> ProblemDetails {
        ProblemDetails(type: typeURI("forbidden"), title: "Forbidden", status: .forbidden, detail: detail)
    }

    /// 409: the write would duplicate a record; `field` names what is taken.
    public static func conflict(field: String, _ message: String, detail: String) -> ProblemDetails {
        ProblemDetails(
            type: typeURI("conflict"), title: "Conflict", status: .conflict, detail: detail, errors: [FieldError(field: field, message: message)])
    }

    public static func badRequest(field: String, _ message: String) -> ProblemDetails {
        badRequest([FieldError(field: field, message: message)])
    }

    /// A generic problem for a status, with nothing internal in it.
    public static func status(_ status: HTTPResponseStatus, detail: String? = nil) -> ProblemDetails {
        let slug: String
        switch status {
        case .notFound: slug = "not-found"
        case .methodNotAllowed: slug = "method-not-allowed"
        case .unauthorized: slug = "unauthorized"
        case .forbidden: slug = "forbidden"
        case .payloadTooLarge: slug = "payload-too-large"
        case .unsupportedMediaType: slug = "unsupported-media-type"
        case .serviceUnavailable: slug = "service-unavailable"
        case .tooManyRequests: slug = "too-many-requests"
        case .badRequest: slug = "bad-request"
        default: slug = status.code >= 500 ? "internal" : "http-\(status.code)"
        }
        return ProblemDetails(type: typeURI(slug), title: status.reasonPhrase, status: status, detail: detail)
    }

    func response(for request: Request) -> Response {
        var problem = self
        problem.requestId = request.effectiveRequestID
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = (try? encoder.encode(problem)) ?? Data(#"{"status":500,"title":"Internal Server Error","type":"/problems/internal"}"#.utf8)
        var responseHeaders = HTTPHeaders()
        responseHeaders.contentType = Self.contentType
        for (name, value) in headers { responseHeaders.replaceOrAdd(name: name, value: value) }
        return Response(status: HTTPResponseStatus(statusCode: status), headers: responseHeaders, body: .init(data: body))
    }
}

/// An error of a lower layer (a store's problem) that has one problem-details answer. The problem
/// middleware answers these itself, so handlers call the stores without translating.
protocol ProblemDetailsConvertible: Error {
    var problemDetails: ProblemDetails { get }
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
