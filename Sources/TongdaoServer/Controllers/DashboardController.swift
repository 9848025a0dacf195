import Foundation
import TongdaoCore
import TongdaoUseCases
import Vapor

/// `/dashboard`: the viewer's scope, or one district of it (`?district=`), coloured by `?measure=`.
enum DashboardController {
    @Sendable static func show(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readProducts)
        let district = req.dashboardDistrict
        let summary = try await req.platform.dashboard.summary(district: district, by: caller)
        let measure = req.query[String.self, at: "measure"].flatMap(DashboardPage.Measure.init(rawValue:)) ?? .pipeline
        var model = DashboardPage.Model(summary: summary, measure: measure, district: district)
        if viewer.may(.readInspectors) {
            let listed = try await req.platform.keySupervision.list(status: KeySupervisionStatus.listed.rawValue, limit: 200, by: caller).items
            model.inspections = .init(plan: try await req.platform.inspectionPlan.plan(by: caller), listed: listed)
        }
        model.vigilance = try await req.platform.adverseEvents.panel(district: district, by: caller)
        if viewer.may(.readDelta) { model.delta = try await req.platform.deltaMap.figures(by: caller) }
        return HTMLResponse.ok(DashboardPage.render(model, viewer: viewer))
    }
}

extension Request {
    /// The district a dashboard, big screen or live feed is narrowed to (`?district=`), if any; a
    /// code outside the viewer's scope narrows it to nothing, never widens it.
    var dashboardDistrict: String? {
        query[String.self, at: "district"].flatMap { $0.isEmpty ? nil : $0 }
    }
}
