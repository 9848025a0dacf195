import Foundation
import TongdaoCore
import TongdaoUseCases
import Vapor

/// The census pages: figures, export, upload → dry-run report → confirm. Thin adapters over the
/// same use cases as the API and the command line.
enum CensusController {
    struct UploadForm: Content {
        var year: Int?
        var file: File?
    }

    /// `GET /census?year=`
    @Sendable static func show(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readCensus)
        return HTMLResponse.ok(
            try await page(year: try year(req.query[String.self, at: "year"]), viewer: viewer, caller: caller, uploadError: nil, on: req))
    }

    static func page(year: Int?, viewer: Viewer, caller: Caller, uploadError: String?, on req: Request) async throws -> String {
        let figures = try await req.platform.census.figures(year: year, by: caller)
        return CensusPages.render(.init(figures: figures, canImport: viewer.may(.importCensus), uploadError: uploadError), viewer: viewer)
    }

    /// `GET /census/export?year=&format=csv|xlsx` — the download of the viewer's scope.
    @Sendable static func export(req: Request) async throws -> Response {
        let (_, caller) = try req.requireViewer(allowedTo: .readCensus)
        let year = try year(req.query[String.self, at: "year"])
        let format = try FileDownload.format(req)
        let (data, shown) = try await req.platform.census.export(year: year, format: format, by: caller)
        return FileDownload.response(data, format: format, name: "census-\(shown)")
    }

    /// `POST /census/uploads` — keep the file, dry-run it, show the report.
    @Sendable static func upload(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .importCensus)
        try CSRF.verify(req)
        let form = try req.content.decode(UploadForm.self)
        let year = try year(form.year.map(String.init))
        guard let file = form.file, file.data.readableBytes > 0 else {
            return HTMLResponse.page(
                try await page(year: year, viewer: viewer, caller: caller, uploadError: "请选择要上传的文件", on: req), status: .unprocessableEntity)
        }
        do {
            let (report, upload) = try await req.platform.census.stageUpload(
                Data(file.data.readableBytesView), filename: file.filename, year: year, by: caller)
            return HTMLResponse.page(
                CensusPages.report(report, uploadID: upload, filename: file.filename, viewer: viewer),
                status: report.rejected.isEmpty ? .ok : .unprocessableEntity)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty {
            return HTMLResponse.page(
                try await page(year: year, viewer: viewer, caller: caller, uploadError: refusal.chinese, on: req), status: .unprocessableEntity)
        }
    }

    /// `POST /census/uploads/:id/commit` — import the confirmed file, all rows or none.
    @Sendable static func commit(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .importCensus)
        try CSRF.verify(req)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw UseCaseError.notFound(.upload) }
        let (report, filename, kept) = try await req.platform.census.commitUpload(id: id, by: caller)
        return HTMLResponse.page(
            CensusPages.report(report, uploadID: kept, filename: filename, viewer: viewer), status: report.committed ? .ok : .unprocessableEntity)
    }

    /// The `year` parameter: nil for this year; a text that is no year is a 400.
    private static func year(_ text: String?) throws -> Int? {
        guard let text else { return nil }
        guard let year = Int(text), (2000...2100).contains(year) else { throw Abort(.badRequest, reason: "年度须为 2000–2100 之间的整数") }
        return year
    }
}
