import TongdaoUseCases
import Vapor

enum HomeController {
    /// `GET /` — the city tree.
    @Sendable static func show(req: Request) async throws -> Response {
        let regions = try await req.platform.reference.regions()
        return HTMLResponse.ok(Home.render(Home.Model(regions: regions), viewer: req.viewer))
    }
}
