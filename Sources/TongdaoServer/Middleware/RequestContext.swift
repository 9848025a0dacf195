import Vapor

/// The Vapor request behind the OpenAPI handler now running. The generated server hands handlers
/// only the decoded input; database, logger and (later) the actor come from the request.
enum RequestContext {
    @TaskLocal static var current: Request?

    struct Middleware: AsyncMiddleware {
        func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
            let response = try await RequestContext.$current.withValue(request) {
                try await next.respond(to: request)
            }
            if let version = request.entityTag { response.headers.replaceOrAdd(name: .eTag, value: EntityTag.of(version)) }
            return response
        }
    }

    /// The current request; a handler reached without one is a wiring mistake, reported as a 500.
    static func require() throws -> Request {
        guard let current else { throw Abort(.internalServerError, reason: "request context missing") }
        return current
    }
}
