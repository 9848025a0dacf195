import Fluent
import Foundation
import TongdaoCore
import TongdaoStore
import Vapor

/// `/dashboard`: the viewer's scope, or one district of it (`?district=`), coloured by `?measure=`.
enum DashboardController {
    @Sendable static func show(req: Request) async throws -> Response {
        let (viewer, user) = try req.requireViewer(allowedTo: .readProducts)
        let regions = try await RegionQueries.list(on: req.db)
        let district = req.query[String.self, at: "district"].flatMap { $0.isEmpty ? nil : $0 }
        let (filter, label) = Dashboard.scope(of: user, district: district, regions: regions)
        let summary = try await Dashboard.summary(scope: filter, scopeLabel: label, clocks: try await ApplicationClocks.load(on: req), on: req.db)
        let measure = req.query[String.self, at: "measure"].flatMap(DashboardPage.Measure.init(rawValue:)) ?? .pipeline
        let model = DashboardPage.Model(
            summary: summary, measure: measure, district: district,
            regionNames: Dictionary(regions.map { ($0.code, $0.name) }, uniquingKeysWith: { first, _ in first }))
        return HTMLResponse.ok(DashboardPage.render(model, viewer: viewer))
    }
}
