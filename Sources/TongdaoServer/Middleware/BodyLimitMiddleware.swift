import Vapor

/// The largest body an `/api` request may carry, but a census import (whose handler reads up to the
/// importer's own limit). The generated server collects a JSON body whole, with no limit of its own,
/// so the limit is applied here, before it reads: a larger body is a 413 problem naming the limit.
struct BodyLimitMiddleware: AsyncMiddleware {
    static let maximumAPIBody = 1_048_576

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.isAPIRequest, request.method != .GET, !Self.isImport(request.url.path) else {
            return try await next.respond(to: request)
        }
        if let length = request.headers.first(name: .contentLength).flatMap(Int.init), length > Self.maximumAPIBody {
            throw Self.tooLarge
        }
        do {
            _ = try await request.body.collect(max: Self.maximumAPIBody).get()
        } catch let abort as any AbortError where abort.status == .payloadTooLarge {
            throw Self.tooLarge
        }
        return try await next.respond(to: request)
    }

    /// `POST /api/v1/census/{year}/imports` streams a sheet of up to 50 MB.
    static func isImport(_ path: String) -> Bool {
        path.hasPrefix("/api/v1/census/") && path.hasSuffix("/imports")
    }

    static var tooLarge: ProblemDetails {
        ProblemDetails(
            type: ProblemDetails.typeURI("payload-too-large"), title: "Payload Too Large", status: .payloadTooLarge,
            detail: "The request body is larger than \(maximumAPIBody / 1_048_576) MB.",
            errors: [.init(field: "body", message: "must be at most \(maximumAPIBody) bytes")])
    }
}
