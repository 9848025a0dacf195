import Fluent
import Foundation
import TongdaoCore
import TongdaoStore
import Vapor

/// `/dashboard`: the viewer's scope, or one district of it (`?district=`), coloured by `?measure=`.
enum DashboardController {
    @Sendable static func show(req: Request) async throws -> Response {
        let (viewer, user) = try req.requireViewer(allowedTo: .readProducts)
        let district = req.dashboardDistrict
        let (summary, _, _) = try await Dashboard.summary(for: user, district: district, on: req)
        let measure = req.query[String.self, at: "measure"].flatMap(DashboardPage.Measure.init(rawValue:)) ?? .pipeline
        let model = DashboardPage.Model(summary: summary, measure: measure, district: district)
        return HTMLResponse.ok(DashboardPage.render(model, viewer: viewer))
    }
}
