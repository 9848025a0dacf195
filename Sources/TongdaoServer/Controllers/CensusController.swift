import Fluent
import Foundation
import TongdaoCore
import TongdaoStore
import Vapor

/// The census pages: figures, export, upload → dry-run report → confirm.
enum CensusController {
    struct UploadForm: Content {
        var year: Int?
        var file: File?
    }

    /// `GET /census?year=`
    @Sendable static func show(req: Request) async throws -> Response {
        let (viewer, user) = try req.requireViewer(allowedTo: .readCensus)
        let year = try self.year(req.query[String.self, at: "year"])
        return HTMLResponse.ok(try await page(year: year, viewer: viewer, user: user, uploadError: nil, on: req))
    }

    static func page(year: Int, viewer: Viewer, user: AuthenticatedUser, uploadError: String?, on req: Request) async throws -> String {
        let scope = user.scopeFilter
        let grouping: CensusQuality.Grouping =
            switch scope {
            case .everything: .district
            case .districts(let codes): codes.count == 1 ? .park : .district
            case .park, .enterprise: .park
            }
        let regions = try await RegionQueries.list(on: req.db)
        let thisYear = ShanghaiClock.today().year
        let model = CensusPages.Model(
            year: year, years: Array((thisYear - 2)...thisYear), grouping: grouping,
            summaries: try await CensusStore.summaries(year: year, scope: scope, by: grouping, on: req.db),
            regionNames: Dictionary(uniqueKeysWithValues: regions.map { ($0.code, $0.name) }),
            canImport: viewer.may(.importCensus), uploadError: uploadError)
        return CensusPages.render(model, viewer: viewer)
    }

    /// `GET /census/export?year=&format=csv|xlsx` — the download of the viewer's scope.
    @Sendable static func export(req: Request) async throws -> Response {
        let (_, user) = try req.requireViewer(allowedTo: .readCensus)
        let year = try self.year(req.query[String.self, at: "year"])
        let formatText = req.query[String.self, at: "format"] ?? "csv"
        guard let format = CensusService.Format(rawValue: formatText) else {
            throw Abort(.badRequest, reason: "格式须为 csv 或 xlsx")
        }
        let data = try await CensusService.export(year: year, scope: user.scopeFilter, format: format, on: req.db)
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: format.mediaType)
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"census-\(year).\(format.rawValue)\"")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }

    /// `POST /census/uploads` — store the file, dry-run it, show the report.
    @Sendable static func upload(req: Request) async throws -> Response {
        let (viewer, user) = try req.requireViewer(allowedTo: .importCensus)
        try CSRF.verify(req)
        let form = try req.content.decode(UploadForm.self)
        let year = try self.year(form.year.map(String.init))
        guard let file = form.file, file.data.readableBytes > 0 else {
            return HTMLResponse.page(
                try await page(year: year, viewer: viewer, user: user, uploadError: "请选择要上传的文件", on: req), status: .unprocessableEntity)
        }
        let data = Data(file.data.readableBytesView)
        let report: CensusStore.Report
        do {
            report = try await CensusService.importFile(data, year: year, scope: user.scopeFilter, dryRun: true, by: req.auditActor, on: req.db)
        } catch let problem as CensusService.Problem {
            return HTMLResponse.page(
                try await page(year: year, viewer: viewer, user: user, uploadError: problem.description, on: req), status: .unprocessableEntity)
        }
        var uploadID: UUID?
        if report.rejected.isEmpty {
            let upload = CensusUploadModel(year: year, username: user.username, filename: file.filename, content: data)
            try await upload.create(on: req.db)
            uploadID = upload.id
        }
        return HTMLResponse.page(
            CensusPages.report(report, uploadID: uploadID, filename: file.filename, viewer: viewer),
            status: report.rejected.isEmpty ? .ok : .unprocessableEntity)
    }

    /// `POST /census/uploads/:id/commit` — import the confirmed file, all rows or none.
    @Sendable static func commit(req: Request) async throws -> Response {
        let (viewer, user) = try req.requireViewer(allowedTo: .importCensus)
        try CSRF.verify(req)
        // Only the uploader may confirm their own upload; anyone else gets the same 404 as for none.
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
            let upload = try await CensusUploadModel.query(on: req.db).filter(\.$id == id).filter(\.$username == user.username).first()
        else {
            throw Abort(.notFound)
        }
        let report = try await CensusService.importFile(
            upload.content, year: upload.year, scope: user.scopeFilter, dryRun: false, by: req.auditActor, on: req.db)
        if report.committed { try await upload.delete(on: req.db) }
        return HTMLResponse.page(
            CensusPages.report(report, uploadID: report.committed ? nil : upload.id, filename: upload.filename, viewer: viewer),
            status: report.committed ? .ok : .unprocessableEntity)
    }

    private static func year(_ text: String?) throws -> Int {
        guard let text else { return ShanghaiClock.today().year }
        guard let year = Int(text), (2000...2100).contains(year) else { throw Abort(.badRequest, reason: "年度须为 2000–2100 之间的整数") }
        return year
    }
}
