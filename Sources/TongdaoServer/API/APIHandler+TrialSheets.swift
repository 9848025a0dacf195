import Foundation
import HTTPTypes
import OpenAPIRuntime
import TongdaoAPI
import TongdaoCore
import TongdaoUseCases
import Vapor

extension APIHandler {
    /// `POST /api/v1/trial-registry/{sheet}/imports`
    func importTrialSheet(_ input: Operations.ImportTrialSheet.Input) async throws -> Operations.ImportTrialSheet.Output {
        let req = try RequestContext.require()
        let caller = try req.requireCaller()
        let body: HTTPBody =
            switch input.body {
            case .csv(let body), .binary(let body), .applicationVnd_openxmlformatsOfficedocument_spreadsheetml_sheet(let body): body
            }
        let data = try await Self.sheet(body)
        let dryRun = input.query.dryRun ?? false
        let sheet: TrialSheet = try APIEnum.convert(input.path.sheet)
        let report = try await req.platform.trials.importFile(data, sheet: sheet, dryRun: dryRun, by: caller)
        if !dryRun, !report.committed { throw Self.rowsRejected(report.rejected, type: "trial-registry/rows-rejected") }
        let json = try Components.Schemas.TrialSheetReport(report)
        return dryRun ? .ok(.init(body: .json(json))) : .created(.init(body: .json(json)))
    }

    /// `GET /api/v1/trial-registry/{sheet}/export`
    func exportTrialSheet(_ input: Operations.ExportTrialSheet.Input) async throws -> Operations.ExportTrialSheet.Output {
        let req = try RequestContext.require()
        let format: CensusSheets.Format = try input.query.format.map { try APIEnum.convert($0) } ?? .csv
        let sheet: TrialSheet = try APIEnum.convert(input.path.sheet)
        let data = try await req.platform.trials.export(sheet, format: format, by: try req.requireCaller())
        return switch format {
        case .csv: .ok(.init(body: .csv(HTTPBody(data))))
        case .xlsx: .ok(.init(body: .applicationVnd_openxmlformatsOfficedocument_spreadsheetml_sheet(HTTPBody(data))))
        }
    }
}

extension Components.Schemas.TrialSheetReport {
    init(_ report: TrialImportReport) throws {
        self.init(
            sheet: try APIEnum.convert(report.sheet), dryRun: report.dryRun, committed: report.committed, rowsRead: report.rowsRead,
            added: report.added, updated: report.updated, unchanged: report.unchanged,
            rejected: report.rejected.map { .init(row: $0.row, column: $0.column, reason: $0.reason) },
            likelyDuplicates: report.likelyDuplicates.map {
                .init(row: $0.row, name: $0.name, investigatorId: $0.investigatorID.uuidString, matching: $0.matching)
            })
    }
}
