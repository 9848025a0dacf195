import Fluent
import TongdaoStore
import Vapor

enum HomeController {
    /// `GET /` — the city tree from the database.
    @Sendable static func show(req: Request) async throws -> Response {
        let regions = try await RegionQueries.list(on: req.db)
        return HTMLResponse.ok(Home.render(Home.Model(regions: regions), viewer: req.viewer))
    }
}

enum HTMLResponse {
    static func ok(_ html: String) -> Response { page(html, status: .ok) }

    /// A page answered with another status: a form shown again with its errors (422, 409, 403…).
    static func page(_ html: String, status: HTTPResponseStatus) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .html
        return Response(status: status, headers: headers, body: .init(string: html))
    }
}
