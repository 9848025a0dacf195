import Foundation
import TongdaoCore
import TongdaoUseCases
import Vapor

/// The clinical-trial pages: thin adapters over the same use cases as the API.
enum TrialController {
    static let pageSize = 50

    /// `GET /trials`
    @Sendable static func list(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readTrials)
        let institution = req.query[String.self, at: "institution"] ?? "", investigator = req.query[String.self, at: "investigator"] ?? ""
        let page = try await req.platform.trials.trials(
            institution: institution.isEmpty ? nil : institution, investigator: investigator.isEmpty ? nil : investigator, limit: pageSize,
            cursor: req.query[String.self, at: "cursor"], by: caller)
        let names = try await req.platform.trials.names(of: page.items, by: caller)
        let nextQuery = page.next.flatMap { SiteURL.query([("institution", institution), ("investigator", investigator), ("cursor", $0)]) }
        return HTMLResponse.ok(TrialPages.list(page.items, names: names, nextQuery: nextQuery, viewer: viewer))
    }

    /// `GET /trials/export?sheet=institutions|investigators|trials&format=csv|xlsx` — a sheet of the viewer's scope.
    @Sendable static func export(req: Request) async throws -> Response {
        let (_, caller) = try req.requireViewer(allowedTo: .readTrials)
        guard let sheet = TrialSheet(rawValue: req.query[String.self, at: "sheet"] ?? "") else {
            throw Abort(.badRequest, reason: "请选择要导出的表：institutions、investigators 或 trials")
        }
        guard let format = CensusSheets.Format(rawValue: req.query[String.self, at: "format"] ?? "csv") else {
            throw Abort(.badRequest, reason: "格式须为 csv 或 xlsx")
        }
        let data = try await req.platform.trials.export(sheet, format: format, by: caller)
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: format.mediaType)
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"trial-\(sheet.rawValue).\(format.rawValue)\"")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }

    /// `GET /trials/:id`
    @Sendable static func show(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readTrials)
        let detail = try await req.platform.trials.detail(id: try id(req, .trial), by: caller)
        let names = try await req.platform.trials.names(of: [detail.trial], by: caller)
        return HTMLResponse.ok(TrialPages.show(detail, names: names, viewer: viewer))
    }

    /// `GET /trial-institutions/:id`
    @Sendable static func institution(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readTrials)
        let institution = try await req.platform.trials.institution(id: try id(req, .institution), by: caller)
        let investigators = try await req.platform.trials.investigators(institution: institution.id.uuidString, limit: 200, by: caller).items
        return HTMLResponse.ok(TrialPages.institution(institution, investigators: investigators, viewer: viewer))
    }

    /// `GET /investigators/:id`
    @Sendable static func investigator(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readTrials)
        let found = try await req.platform.trials.investigator(id: try id(req, .investigator), by: caller)
        let institution = try await req.platform.trials.institution(id: found.investigator.institutionID, by: caller)
        return HTMLResponse.ok(TrialPages.investigator(found.investigator, sites: found.sites, institution: institution, viewer: viewer))
    }

    /// `GET /supervision/pi-load`
    @Sendable static func piLoad(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readTrials)
        let report = try await req.platform.trials.piLoad(by: caller)
        let institutions = try await req.platform.trials.institutionNames(of: report.investigators.map(\.institutionID), by: caller)
        return HTMLResponse.ok(TrialPages.piLoad(report, institutions: institutions, viewer: viewer))
    }

    private static func id(_ req: Request, _ kind: UseCaseError.RecordKind) throws -> UUID {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw UseCaseError.notFound(kind) }
        return id
    }
}
