import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore
import TongdaoXLSX

/// Census sheets read from files and written to them: XLSX (Excel and WPS) and CSV.
public enum CensusSheets {
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

    /// What a census workbook may inflate to: a sheet part of 256 MB (a 250,000-row census sheet
    /// is about a third of that), 250,000 rows and 200 columns.
    public static let workbookLimits = XLSX.Limits(partBytes: 256 * 1024 * 1024, rows: 250_001, columns: 200)

    /// The rows of an uploaded file as `rows(of:isUsableHeader:)` reads them, a file that cannot be
    /// read refused as the request body's problem (what an import answers).
    static func table(of data: Data, isUsableHeader: ([String]) -> Bool = CensusSheet.isUsableHeader) throws -> [[String]] {
        do {
            return try rows(of: data, isUsableHeader: isUsableHeader)
        } catch {
            throw UseCaseError.malformed([FieldProblem("body", error.description, chinese: error.description)])
        }
    }

    /// The rows of an uploaded file: an XLSX workbook's first sheet, or CSV in UTF-8 or GB18030. A
    /// workbook whose header row is not usable (a census header unless told) is read no further
    /// than that row.
    public static func rows(of data: Data, isUsableHeader: ([String]) -> Bool = CensusSheet.isUsableHeader) throws(Problem) -> [[String]] {
        if XLSX.looksLikeWorkbook(data) {
            do {
                var header = true
                return try XLSX.rows(of: data, limits: workbookLimits) { row in
                    defer { header = false }
                    return !header || isUsableHeader(row)
                }
            } catch {
                throw .unreadable(error.description)
            }
        }
        if data.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            throw .unreadable("这是旧版 Excel（.xls）或 WPS（.et）文件：请在 Excel 或 WPS 中另存为 .xlsx 或 CSV 后导入")
        }
        do {
            return CSV.restoringNeutralised(try CSV.rows(of: data).rows)
        } catch {
            throw .unreadable(error.description)
        }
    }

    /// A sheet's rows as a file: CSV Excel opens in Chinese (UTF-8 with BOM), or an XLSX workbook
    /// whose cells are text. Either imports back unchanged.
    static func file(_ rows: [[String]], year: Int, format: Format) throws -> Data {
        try file(rows, sheetName: "\(year)年度注册意向", format: format)
    }

    static func file(_ rows: [[String]], sheetName: String, format: Format) throws -> Data {
        switch format {
        case .csv: return CSV.excelData(rows)
        case .xlsx: return try XLSX.workbook(sheetName: sheetName, rows: rows)
        }
    }
}
