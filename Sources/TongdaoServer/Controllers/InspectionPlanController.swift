import Foundation
import TongdaoCore
import TongdaoUseCases
import Vapor

/// The inspection plan's page: thin adapters over the same use cases as the API.
enum InspectionPlanController {
    /// `GET /inspections/plan?year=&page=`
    @Sendable static func show(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readInspectors)
        let year = try Self.number(req, "year")
        let report = try await req.platform.inspectionPlan.plan(year: year, by: caller)
        let districts = Dictionary(
            try await req.platform.reference.regions(level: "district").map { ($0.code, $0.name) }, uniquingKeysWith: { first, _ in first })
        // After scheduling: what it did, from the redirect's query (numbers only).
        let combined = try Self.number(req, "combined") ?? 0
        let message = try Self.number(req, "planned").map { planned in
            planned == 0 ? "所有应检事项均已列入计划，没有新增检查。" : "已列入计划 \(planned) 项检查，其中合并检查 \(combined) 项。"
        }
        let model = InspectionPlanPage.Model(
            report: report, districts: districts, canPlan: viewer.may(.planInspections), page: max(0, try Self.number(req, "page") ?? 0),
            message: message)
        return HTMLResponse.ok(InspectionPlanPage.render(model, viewer: viewer))
    }

    /// `POST /inspections/plan/schedule`
    @Sendable static func schedule(req: Request) async throws -> Response {
        let (_, caller) = try req.requireViewer()
        try CSRF.verify(req)
        struct Form: Content { var year: String? }
        let year = try req.content.decode(Form.self).year.flatMap { Int($0) }
        let outcome = try await req.platform.inspectionPlan.schedule(year: year, by: caller)
        let query = SiteURL.query([
            ("year", year.map(String.init)), ("planned", String(outcome.planned)), ("combined", String(outcome.combined)),
        ])
        return req.redirect(to: "/inspections/plan" + (query.map { "?\($0)" } ?? ""), redirectType: .normal)
    }

    /// A whole number from the query, or nil; anything else is malformed.
    private static func number(_ req: Request, _ name: String) throws -> Int? {
        guard let text = req.query[String.self, at: name], !text.isEmpty else { return nil }
        guard let number = Int(text) else {
            throw UseCaseError.malformed([FieldProblem(name, "must be a whole number", chinese: "应为整数")])
        }
        return number
    }
}
