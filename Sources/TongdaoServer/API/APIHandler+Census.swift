import Foundation
import HTTPTypes
import OpenAPIRuntime
import TongdaoAPI
import TongdaoCore
import TongdaoUseCases
import Vapor

extension APIHandler {
    /// `POST /api/v1/census/{year}/imports`
    func importCensus(_ input: Operations.ImportCensus.Input) async throws -> Operations.ImportCensus.Output {
        let req = try RequestContext.require()
        let caller = try req.requireCaller()
        let body: HTTPBody =
            switch input.body {
            case .csv(let body), .binary(let body), .applicationVnd_openxmlformatsOfficedocument_spreadsheetml_sheet(let body): body
            }
        let data = try await Self.sheet(body)
        let dryRun = input.query.dryRun ?? false
        let report = try await req.platform.census.importFile(data, year: input.path.year, dryRun: dryRun, by: caller)
        if !dryRun, !report.committed { throw Self.rowsRejected(report.rejected, type: "census/rows-rejected") }
        let json = Components.Schemas.CensusReport(report)
        return dryRun ? .ok(.init(body: .json(json))) : .created(.init(body: .json(json)))
    }

    /// `GET /api/v1/census/{year}/export`
    func exportCensus(_ input: Operations.ExportCensus.Input) async throws -> Operations.ExportCensus.Output {
        let req = try RequestContext.require()
        let format: CensusSheets.Format = try input.query.format.map { try APIEnum.convert($0) } ?? .csv
        let (data, _) = try await req.platform.census.export(year: input.path.year, format: format, by: try req.requireCaller())
        return switch format {
        case .csv: .ok(.init(body: .csv(HTTPBody(data))))
        case .xlsx: .ok(.init(body: .applicationVnd_openxmlformatsOfficedocument_spreadsheetml_sheet(HTTPBody(data))))
        }
    }

    /// `PUT /api/v1/products/{id}/census/{year}`
    func declareCensus(_ input: Operations.DeclareCensus.Input) async throws -> Operations.DeclareCensus.Output {
        let req = try RequestContext.require()
        let caller = try req.requireCaller()
        let id = try Self.id(input.path.id, .product)
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let (declaration, created) = try await req.platform.census.declare(
            .init(
                stage: body.stage.rawValue, expectedFiling: body.expectedFiling, channels: (body.channels ?? []).map(\.rawValue),
                guidanceNeeds: body.guidanceNeeds),
            year: input.path.year, productID: id, by: caller)
        let json = try Components.Schemas.CensusDeclaration(declaration)
        return created ? .created(.init(body: .json(json))) : .ok(.init(body: .json(json)))
    }
}

extension APIHandler {
    /// An uploaded sheet's bytes, refused past the import limit (413).
    static func sheet(_ body: HTTPBody) async throws -> Data {
        do {
            return try await Data(collecting: body, upTo: CensusSheets.maximumFileSize)
        } catch {
            throw ProblemDetails.status(.payloadTooLarge, detail: "The file is larger than \(CensusSheets.maximumFileSize / 1_048_576) MB.")
        }
    }

    /// A sheet with rejected rows: 422 naming each as `rows[N].列名`, with the reason in Chinese.
    static func rowsRejected(_ rejected: [RowProblem], type: String) -> ProblemDetails {
        ProblemDetails(
            type: ProblemDetails.typeURI(type), title: "Rows rejected", status: .unprocessableEntity,
            detail: "\(Set(rejected.map(\.row)).count) rows were rejected; nothing was imported. Correct them and import the whole file again.",
            errors: rejected.map { .init(field: "rows[\($0.row)].\($0.column)", message: $0.reason) })
    }
}

extension Components.Schemas.CensusReport {
    init(_ report: CensusImportReport) {
        self.init(
            year: report.year, dryRun: report.dryRun, committed: report.committed, rowsRead: report.rowsRead, added: report.added,
            updated: report.updated, unchanged: report.unchanged, enterprisesCreated: report.enterprisesCreated,
            productsCreated: report.productsCreated,
            rejected: report.rejected.map { .init(row: $0.row, column: $0.column, reason: $0.reason) })
    }
}

extension Components.Schemas.CensusDeclaration {
    init(_ record: CensusUseCases.DeclarationRecord) throws {
        let declaration = record.declaration
        self.init(
            year: record.year, stage: try APIEnum.convert(declaration.stage), expectedFiling: declaration.expectedFiling?.description,
            channels: try APIEnum.convert(declaration.channels), guidanceNeeds: declaration.guidanceNeeds)
    }
}
