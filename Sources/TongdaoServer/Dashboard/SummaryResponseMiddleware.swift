import Foundation
import TongdaoUseCases
import Vapor

/// `GET /api/v1/dashboard/summary` answered from the bytes last encoded for the same scope, district
/// and day while the summary they encode is current: fifty screens polling one district cost one
/// computation and one encoding, not fifty. It runs after authentication and the parameter checks;
/// the caller's permission is checked on every request (by the use case), and bytes are kept only
/// from a 200 of the full path, dropped with the summary at the next write.
struct SummaryResponseMiddleware: AsyncMiddleware {
    static let path = "/api/v1/dashboard/summary"
    private static let format = "api-json"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.method == .GET, request.url.path == Self.path, let caller = request.caller,
            let ticket = Self.ticket(for: request, caller: caller)
        else { return try await next.respond(to: request) }
        if let rendering = ticket.rendering {
            var headers = HTTPHeaders()
            headers.contentType = .json
            return Response(status: .ok, headers: headers, body: .init(data: rendering))
        }
        let response = try await next.respond(to: request)
        guard response.status == .ok, response.headers.contentType == .json,
            let body = try await response.body.collect(on: request.eventLoop).get()
        else { return response }
        response.body = .init(buffer: body)
        request.platform.dashboard.keepRendering(Data(body.readableBytesView), for: ticket)
        return response
    }

    /// The ticket of a request this cache may answer: only `district` in the query (anything else
    /// goes the full way, to be refused or answered there); nil when the caller may not read it.
    private static func ticket(for request: Request, caller: Caller) -> SummaryCache.Ticket? {
        let items = URLComponents(string: request.url.string)?.queryItems ?? []
        guard items.allSatisfy({ $0.name == "district" }), items.count <= 1 else { return nil }
        return try? request.platform.dashboard.summaryRendering(district: items.first?.value, format: format, by: caller)
    }
}
