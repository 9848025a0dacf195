import Foundation
import TongdaoCore
import TongdaoUseCases
import Vapor

/// The assessments page and its export: thin adapters over `platform.assessments`.
enum AssessmentController {
    /// The `year` query parameter, or a 400 in Chinese when it is not a number.
    private static func year(_ req: Request) throws -> Int? {
        guard let text = req.query[String.self, at: "year"], !text.isEmpty else { return nil }
        guard let year = Int(text) else { throw Abort(.badRequest, reason: "年份应为数字") }
        return year
    }

    /// `GET /assessments?year=`
    @Sendable static func page(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readAssessments)
        let report = try await req.platform.assessments.report(year: try year(req), by: caller)
        return HTMLResponse.ok(AssessmentPages.page(report, thisYear: req.platform.clock.today().year, viewer: viewer))
    }

    /// `GET /assessments/export?year=&format=`
    @Sendable static func export(req: Request) async throws -> Response {
        let (_, caller) = try req.requireViewer(allowedTo: .readAssessments)
        let format = try FileDownload.format(req, default: .xlsx)
        let year = try year(req) ?? req.platform.clock.today().year
        let data = try await req.platform.assessments.export(year: year, format: format, by: caller)
        return FileDownload.response(data, format: format, name: "assessments-\(year)")
    }
}
