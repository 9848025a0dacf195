import Fluent
import Foundation
import TongdaoCore
import TongdaoStore
import TongdaoXLSX

/// Census sheets in and out, shared by the API, the pages and the command line.
public enum CensusService {
    /// Files larger than this are refused before they are read.
    public static let maximumFileSize = 50 * 1024 * 1024

    public enum Problem: Error, Equatable, CustomStringConvertible {
        /// The file cannot be read as a sheet at all.
        case unreadable(String)

        public var description: String {
            switch self {
            case .unreadable(let reason): reason
            }
        }
    }

    /// The sheet formats a census is exported in.
    public enum Format: String, CaseIterable, Sendable {
        case csv, xlsx

        public var mediaType: String {
            switch self {
            case .csv: "text/csv; charset=utf-8"
            case .xlsx: XLSX.mediaType
            }
        }
    }

    /// The rows of an uploaded file: an XLSX workbook's first sheet, or CSV in UTF-8 or GB18030.
    public static func rows(of data: Data) throws(Problem) -> [[String]] {
        if XLSX.looksLikeWorkbook(data) {
            do {
                return try XLSX.rows(of: data)
            } catch {
                throw .unreadable(error.description)
            }
        }
        if data.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            throw .unreadable("这是旧版 Excel（.xls）或 WPS（.et）文件：请在 Excel 或 WPS 中另存为 .xlsx 或 CSV 后导入")
        }
        do {
            return try CSV.parse(try CSV.decode(data).text)
        } catch {
            throw .unreadable(error.description)
        }
    }

    /// Reads, checks and (unless `dryRun` or a row is rejected) imports a census file for `year`.
    public static func importFile(
        _ data: Data, year: Int, scope: ScopeFilter, dryRun: Bool, by actor: AuditActor, on db: any Database,
        today: CivilDate = ShanghaiClock.today(), progress: CensusStore.Progress? = nil
    ) async throws -> CensusStore.Report {
        let rows = try rows(of: data)
        progress?("读取", rows.count, rows.count)
        let regions = CensusSheet.Regions(try await RegionQueries.list(on: db))
        let sheet = CensusSheet.read(rows, regions: regions)
        progress?("校验", rows.count, rows.count)
        return try await CensusStore.importRecords(
            sheet.records, sheetProblems: sheet.problems, rowsRead: sheet.rowsRead, year: year, scope: scope,
            updatesProducts: year >= today.year, dryRun: dryRun, by: actor, on: db, progress: progress)
    }

    /// The census of a year in the scope: CSV Excel opens in Chinese (UTF-8 with BOM), or an XLSX
    /// workbook whose cells are text. Either imports back unchanged.
    public static func export(year: Int, scope: ScopeFilter, format: Format, on db: any Database) async throws -> Data {
        let records = try await CensusStore.export(year: year, scope: scope, on: db)
        let regions = CensusSheet.Regions(try await RegionQueries.list(on: db))
        let rows = CensusSheet.rows(records, regions: regions)
        switch format {
        case .csv: return CSV.excelData(rows)
        case .xlsx: return try XLSX.workbook(sheetName: "\(year)年度注册意向", rows: rows)
        }
    }
}
