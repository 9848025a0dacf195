import OpenAPIRuntime
import TongdaoUseCases
import Vapor

/// Turns every error into an answer that reveals nothing internal: RFC 9457 problem details for
/// machine paths (`/api`, health, readiness, the live feed), a Chinese error page for people. Server faults are
/// logged in full with the request ID and answered with a generic message.
struct ProblemMiddleware: AsyncMiddleware {
    /// Renders the page shown to a person for a failed request.
    let page: @Sendable (Request, HTTPResponseStatus, String?) -> Response

    static func isMachinePath(_ path: String) -> Bool {
        path == "/api" || path.hasPrefix("/api/")
            || ["/healthz", "/readyz", "/metrics", "/openapi.yaml", "/openapi.json", SiteURL.live.path].contains(path)
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch let redirect as PageRedirect {
            return request.redirect(to: redirect.location, redirectType: .normal)
        } catch {
            // A read that found the database too busy is asked to try again, as a write is.
            let error = UseCaseError.overload(error) ?? (error as? ServerError).flatMap { UseCaseError.overload($0.underlyingError) } ?? error
            let problem = Self.problem(for: error, request: request)
            if Self.isMachinePath(request.url.path) {
                return problem.response(for: request)
            }
            // A person reads the use case's refusal in Chinese; a detail written for API clients
            // (the framework's, in English) is left to the page's own Chinese message.
            let detail = (error as? UseCaseError)?.chinese ?? (problem.status < 500 ? problem.detail.flatMap(Self.chineseOnly) : nil)
            return page(request, HTTPResponseStatus(statusCode: problem.status), detail)
        }
    }

    /// A text meant for a person: one with Chinese in it.
    static func chineseOnly(_ text: String) -> String? {
        text.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) } ? text : nil
    }

    static func problem(for error: any Error, request: Request) -> ProblemDetails {
        switch error {
        case let problem as ProblemDetails:
            return problem
        case let convertible as any ProblemDetailsConvertible:
            return convertible.problemDetails
        case let error as ServerError:
            return problem(forOpenAPI: error, request: request)
        case let abort as any AbortError where abort.status.code < 500:
            return .status(abort.status, detail: abort.status == .notFound ? "No resource at \(request.url.path)." : abort.reason)
        case let decoding as DecodingError:
            return problem(forDecoding: decoding)
        default:
            request.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            return .status(.internalServerError, detail: "An unexpected error occurred. Quote the request ID when reporting it.")
        }
    }

    /// The OpenAPI layer wraps both malformed input (before the handler runs) and handler errors.
    private static func problem(forOpenAPI error: ServerError, request: Request) -> ProblemDetails {
        if let underlying = error.underlyingError as? ProblemDetails { return underlying }
        if let underlying = error.underlyingError as? any ProblemDetailsConvertible { return underlying.problemDetails }
        if error.operationInput == nil {
            // Before the handler ran, a decoding failure is the client's input; after, it is ours.
            if let decoding = error.underlyingError as? DecodingError { return problem(forDecoding: decoding) }
            // Parsing the request failed; the runtime's message names the parameter or header.
            return ProblemDetails(
                type: ProblemDetails.typeURI("malformed-request"), title: "Malformed request", status: .badRequest,
                detail: error.causeDescription)
        }
        // Vapor makes DecodingError an AbortError (400): only reached here for the handler's own aborts.
        if !(error.underlyingError is DecodingError), let abort = error.underlyingError as? any AbortError, abort.status.code < 500 {
            return .status(abort.status, detail: abort.reason)
        }
        request.logger.error(
            "unhandled error", metadata: ["operation": "\(error.operationID)", "error": "\(String(reflecting: error.underlyingError))"])
        return .status(.internalServerError, detail: "An unexpected error occurred. Quote the request ID when reporting it.")
    }

    private static func problem(forDecoding error: DecodingError) -> ProblemDetails {
        let (path, message): ([any CodingKey], String) =
            switch error {
            case .keyNotFound(let key, let context): (context.codingPath + [key], "is required")
            case .typeMismatch(_, let context): (context.codingPath, "has the wrong type")
            case .valueNotFound(_, let context): (context.codingPath, "must not be null")
            case .dataCorrupted(let context): (context.codingPath, context.codingPath.isEmpty ? "is not valid JSON" : "is not a valid value")
            @unknown default: ([], "is malformed")
            }
        // `events[0].on`, the way the other field errors name array elements.
        let field = path.reduce(into: "") { name, key in
            if let index = key.intValue { name += "[\(index)]" } else { name += (name.isEmpty ? "" : ".") + key.stringValue }
        }
        return .badRequest(field: field.isEmpty ? "body" : field, message)
    }
}
