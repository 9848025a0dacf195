import Fluent
import Foundation
import TongdaoCore
import TongdaoStore

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

    /// The rows of an uploaded file: CSV in UTF-8 or GB18030.
    public static func rows(of data: Data) throws(Problem) -> [[String]] {
        if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            throw .unreadable("这是 XLSX 文件：目前请在 Excel 或 WPS 中“另存为 CSV”后导入")
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

    /// The census of a year in the scope, as CSV data Excel opens (UTF-8 with BOM).
    public static func exportCSV(year: Int, scope: ScopeFilter, on db: any Database) async throws -> Data {
        let records = try await CensusStore.export(year: year, scope: scope, on: db)
        let regions = CensusSheet.Regions(try await RegionQueries.list(on: db))
        return CSV.excelData(CensusSheet.rows(records, regions: regions))
    }
}
