import ArgumentParser
import Foundation
import TongdaoCore
import TongdaoXLSX

/// Converting sheets between CSV and XLSX with the same reader and writer the census uses: for people
/// preparing an import, and for the cross-check against openpyxl (`scripts/check-xlsx.py`).
struct SheetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sheet", abstract: "Convert sheets between XLSX and CSV.",
        subcommands: [ToCSV.self, ToXLSX.self])

    struct ToCSV: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "to-csv", abstract: "Print the first worksheet of an XLSX file as CSV (UTF-8, no BOM).")

        @Argument(help: "The XLSX file.") var file: String

        func run() async throws {
            let data = try Data(contentsOf: URL(fileURLWithPath: file))
            do {
                FileHandle.standardOutput.write(Data(CSV.render(try XLSX.rows(of: data)).utf8))
            } catch {
                ApplicationRunner.printError("error: \(file): \(error)")
                throw ExitCode(1)
            }
        }
    }

    struct ToXLSX: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "to-xlsx", abstract: "Write a CSV file (UTF-8 or GB18030) as an XLSX workbook of text cells.")

        @Argument(help: "The CSV file.") var file: String
        @ArgumentParser.Option(help: "The XLSX file to write.") var output: String
        @ArgumentParser.Option(help: "The worksheet's name.") var sheet = "Sheet1"

        func run() async throws {
            let data = try Data(contentsOf: URL(fileURLWithPath: file))
            let rows = try CSV.rows(of: data).rows
            try XLSX.workbook(sheetName: sheet, rows: rows).write(to: URL(fileURLWithPath: output))
        }
    }
}
