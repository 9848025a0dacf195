import Foundation
import OpenAPIRuntime
import TongdaoAPI
import TongdaoCore
import TongdaoUseCases
import Vapor

extension APIHandler {
    /// `POST /api/v1/inspector-pool/imports?dryRun=`
    func importInspectorPool(_ input: Operations.ImportInspectorPool.Input) async throws -> Operations.ImportInspectorPool.Output {
        let req = try RequestContext.require()
        let body: HTTPBody =
            switch input.body {
            case .csv(let body), .binary(let body), .applicationVnd_openxmlformatsOfficedocument_spreadsheetml_sheet(let body): body
            }
        let data = try await Self.sheet(body)
        let dryRun = input.query.dryRun ?? false
        let report = try await req.platform.inspectors.importFile(data, dryRun: dryRun, by: try req.requireCaller())
        if !dryRun, !report.committed { throw Self.rowsRejected(report.rejected, type: "inspector-pool/rows-rejected") }
        let json = Components.Schemas.InspectorPoolReport(
            dryRun: report.dryRun, committed: report.committed, rowsRead: report.rowsRead, added: report.added, updated: report.updated,
            unchanged: report.unchanged, rejected: report.rejected.map { .init(row: $0.row, column: $0.column, reason: $0.reason) })
        return dryRun ? .ok(.init(body: .json(json))) : .created(.init(body: .json(json)))
    }

    /// `GET /api/v1/inspector-pool/export?format=&year=`
    func exportInspectorPool(_ input: Operations.ExportInspectorPool.Input) async throws -> Operations.ExportInspectorPool.Output {
        let req = try RequestContext.require()
        let format: CensusSheets.Format = try input.query.format.map { try APIEnum.convert($0) } ?? .csv
        let data = try await req.platform.inspectors.export(year: input.query.year, format: format, by: try req.requireCaller())
        return switch format {
        case .csv: .ok(.init(body: .csv(HTTPBody(data))))
        case .xlsx: .ok(.init(body: .applicationVnd_openxmlformatsOfficedocument_spreadsheetml_sheet(HTTPBody(data))))
        }
    }
}
