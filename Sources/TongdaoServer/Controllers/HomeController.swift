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
    static func ok(_ html: String) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .html
        return Response(status: .ok, headers: headers, body: .init(string: html))
    }
}
