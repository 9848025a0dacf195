import Foundation
import TongdaoCore
import TongdaoUseCases
import Vapor

/// A page's download (a list or a sheet as CSV or XLSX): the `format` it asks for, and the file as a
/// response saved under its name.
enum FileDownload {
    /// The `format` query parameter — `csv` or `xlsx`, `fallback` when absent — or a 400 in Chinese.
    static func format(_ req: Request, default fallback: CensusSheets.Format = .csv) throws -> CensusSheets.Format {
        guard let format = CensusSheets.Format(rawValue: req.query[String.self, at: "format"] ?? fallback.rawValue) else {
            throw Abort(.badRequest, reason: "格式须为 csv 或 xlsx")
        }
        return format
    }

    /// The file, of its format's media type, saved as `stem.csv` or `stem.xlsx`.
    static func response(_ data: Data, format: CensusSheets.Format, name stem: String) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: format.mediaType)
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(stem).\(format.rawValue)\"")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }
}
