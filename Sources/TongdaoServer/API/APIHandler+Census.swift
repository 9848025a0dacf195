import Fluent
import Foundation
import HTTPTypes
import OpenAPIRuntime
import TongdaoAPI
import TongdaoCore
import TongdaoStore
import Vapor

extension APIHandler {
    /// `POST /api/v1/census/{year}/imports`
    func importCensus(_ input: Operations.ImportCensus.Input) async throws -> Operations.ImportCensus.Output {
        let req = try RequestContext.require()
        let user = try req.requireUser(allowedTo: .importCensus)
        let body: HTTPBody =
            switch input.body {
            case .csv(let body), .binary(let body), .applicationVnd_openxmlformatsOfficedocument_spreadsheetml_sheet(let body): body
            }
        let data: Data
        do {
            data = try await Data(collecting: body, upTo: CensusService.maximumFileSize)
        } catch {
            throw ProblemDetails.status(.payloadTooLarge, detail: "The file is larger than \(CensusService.maximumFileSize / 1_048_576) MB.")
        }
        let dryRun = input.query.dryRun ?? false
        let report: CensusStore.Report
        do {
            report = try await CensusService.importFile(
                data, year: input.path.year, scope: user.scopeFilter, dryRun: dryRun, by: req.auditActor, on: req.db)
        } catch let problem as CensusService.Problem {
            throw ProblemDetails.badRequest(field: "body", problem.description)
        }
        if !dryRun, !report.committed {
            throw ProblemDetails(
                type: ProblemDetails.typeURI("census/rows-rejected"), title: "Rows rejected", status: .unprocessableEntity,
                detail:
                    "\(Set(report.rejected.map(\.row)).count) rows were rejected; nothing was imported. Correct them and import the whole file again.",
                errors: report.rejected.map { .init(field: "rows[\($0.row)].\($0.column)", message: $0.reason) })
        }
        let json = Components.Schemas.CensusReport(report)
        return dryRun ? .ok(.init(body: .json(json))) : .created(.init(body: .json(json)))
    }

    /// `GET /api/v1/census/{year}/export`
    func exportCensus(_ input: Operations.ExportCensus.Input) async throws -> Operations.ExportCensus.Output {
        let req = try RequestContext.require()
        let user = try req.requireUser(allowedTo: .readCensus)
        let format = CensusService.Format(rawValue: input.query.format?.rawValue ?? "csv") ?? .csv
        let data = try await CensusService.export(year: input.path.year, scope: user.scopeFilter, format: format, on: req.db)
        return switch format {
        case .csv: .ok(.init(body: .csv(HTTPBody(data))))
        case .xlsx: .ok(.init(body: .applicationVnd_openxmlformatsOfficedocument_spreadsheetml_sheet(HTTPBody(data))))
        }
    }
}

extension Components.Schemas.CensusReport {
    init(_ report: CensusStore.Report) {
        self.init(
            year: report.year, dryRun: report.dryRun, committed: report.committed, rowsRead: report.rowsRead, added: report.added,
            updated: report.updated, unchanged: report.unchanged, enterprisesCreated: report.enterprisesCreated,
            productsCreated: report.productsCreated,
            rejected: report.rejected.map { .init(row: $0.row, column: $0.column, reason: $0.reason) })
    }
}

extension APIHandler {
    /// `PUT /api/v1/products/{id}/census/{year}`
    func declareCensus(_ input: Operations.DeclareCensus.Input) async throws -> Operations.DeclareCensus.Output {
        let req = try RequestContext.require()
        let user = try req.requireUser()
        let product = try await Self.product(input.path.id, in: user.scopeFilter, on: req.db)
        try user.ensureAllowed(.writeProducts)
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let year = input.path.year, thisYear = ShanghaiClock.today().year
        if let problem = CensusDeclarations.yearProblem(year, thisYear: thisYear, role: user.role) {
            throw ProblemDetails.unprocessable(field: "year", problem.message)
        }
        var expectedFiling: YearMonth?
        if let text = body.expectedFiling, !text.isEmpty {
            guard let month = YearMonth(text) else { throw ProblemDetails.unprocessable(field: "expectedFiling", "must be a month YYYY-MM") }
            expectedFiling = month
        }
        let declaration = CensusDeclaration(
            stage: DevelopmentStage(rawValue: body.stage.rawValue) ?? .intention, expectedFiling: expectedFiling,
            channels: (body.channels ?? []).compactMap { FilingChannel(rawValue: $0.rawValue) },
            guidanceNeeds: body.guidanceNeeds)
        let (intention, created) = try await CensusStore.declare(
            declaration, year: year, for: product, updatesProduct: year >= thisYear, by: req.auditActor, on: req.db)
        let json = Components.Schemas.CensusDeclaration(intention)
        return created ? .created(.init(body: .json(json))) : .ok(.init(body: .json(json)))
    }
}

extension Components.Schemas.CensusDeclaration {
    init(_ intention: CensusIntentionModel) {
        let declaration = intention.declaration
        self.init(
            year: intention.year, stage: .init(rawValue: declaration.stage.rawValue) ?? .intention,
            expectedFiling: declaration.expectedFiling?.description, channels: declaration.channels.compactMap { .init(rawValue: $0.rawValue) },
            guidanceNeeds: declaration.guidanceNeeds)
    }
}

/// Rules of census declarations shared by the API and the pages.
enum CensusDeclarations {
    /// Which years a role may declare for: this year and next; officers also past years.
    static func yearProblem(_ year: Int, thisYear: Int, role: Role) -> FieldProblem? {
        if year > thisYear + 1 {
            return FieldProblem("year", "a declaration may be made for this year or next, not \(year)", chinese: "只能申报本年度或下一年度")
        }
        if year < thisYear, role == .enterpriseUser {
            return FieldProblem("year", "past years' declarations are corrected by the district or park officer", chinese: "往年的申报由所在区或园区的工作人员更正")
        }
        return nil
    }
}
