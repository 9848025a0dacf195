import TongdaoUseCases
import Vapor

enum HomeController {
    /// `GET /` — the signed-in user's own page above the city tree; the tree alone when signed out.
    @Sendable static func show(req: Request) async throws -> Response {
        let regions = try await req.platform.reference.regions()
        guard let viewer = req.viewer, let caller = req.webSession?.caller else {
            return HTMLResponse.ok(Home.render(Home.Model(regions: regions)))
        }
        let overview = try await req.platform.home.overview(by: caller)
        return HTMLResponse.ok(Home.render(Home.Model(regions: regions), overview: overview, viewer: viewer))
    }
}
