import ArgumentParser
import Fluent
import Foundation
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoUseCases
import Vapor

struct CensusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "census", abstract: "Import and export the yearly registration-intention census (年度注册意向).",
        subcommands: [Import.self, Export.self])

    /// The caller a census command acts as: the user's scope limits the rows; the audit row names it.
    static func caller(_ username: String, command: String, on app: Application) async throws -> Caller {
        do {
            return try await app.platform.signIn.caller(actingAs: username, command: command)
        } catch UseCaseError.notFound {
            ApplicationRunner.printError("error: --as: no enabled user is called \(username)")
            throw ExitCode(2)
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a census sheet (CSV, UTF-8 or GB18030) as a user: all rows or none; a progress bar on standard error.")

        @ArgumentParser.Option(help: "The census year.") var year: Int
        @ArgumentParser.Option(name: .customLong("as"), help: "The user to import as (its scope applies).") var username: String
        @ArgumentParser.Flag(name: .customLong("dry-run"), help: "Check every row and report, without writing.") var dryRun = false
        @ArgumentParser.Argument(help: "The sheet.") var file: String

        func validate() throws {
            guard (2000...2100).contains(year) else { throw ValidationError("--year must be between 2000 and 2100") }
        }

        func run() async throws {
            let data = try ApplicationRunner.contents(of: file)
            try await ApplicationRunner.withMigratedApplication { app, _ in
                let caller = try await CensusCommand.caller(username, command: "census import", on: app)
                let report = try await ApplicationRunner.withProgressBar { progress in
                    try await app.platform.census.importFile(data, year: year, dryRun: dryRun, by: caller, progress: progress)
                }
                print(Self.summary(report))
                ApplicationRunner.printRejected(report.rejected)
                if !report.rejected.isEmpty { throw ExitCode(1) }
            }
        }

        static func summary(_ report: CensusImportReport) -> String {
            let outcome = report.dryRun ? "dry run, nothing written" : (report.committed ? "imported" : "rejected, nothing written")
            return "\(report.year) census: \(outcome) — \(report.rowsRead) rows read, \(report.added) added, \(report.updated) updated, "
                + "\(report.unchanged) unchanged, \(report.enterprisesCreated) enterprises and \(report.productsCreated) products new, "
                + "\(Set(report.rejected.map(\.row)).count) rows rejected"
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the census of a user's scope as CSV (UTF-8 with BOM) or XLSX.")

        @ArgumentParser.Option(help: "The census year.") var year: Int
        @ArgumentParser.Option(name: .customLong("as"), help: "The user whose scope to export.") var username: String
        @ArgumentParser.Option(help: "Where to write (standard output when omitted).") var output: String?
        @ArgumentParser.Option(help: "csv or xlsx (default: from the output's extension, else csv).") var format: String?

        func validate() throws {
            if let format, CensusSheets.Format(rawValue: format) == nil { throw ValidationError("--format: csv or xlsx") }
        }

        func run() async throws {
            let chosen =
                format.flatMap(CensusSheets.Format.init(rawValue:))
                ?? (output?.lowercased().hasSuffix(".xlsx") == true ? .xlsx : .csv)
            try await ApplicationRunner.withMigratedApplication { app, _ in
                let caller = try await CensusCommand.caller(username, command: "census export", on: app)
                let data: Data
                do {
                    data = try await app.platform.census.export(year: year, format: chosen, by: caller).data
                } catch let refusal as UseCaseError {
                    throw ApplicationRunner.fail(refusal)
                }
                try ApplicationRunner.write(data, to: output)
            }
        }
    }
}

/// A progress bar on standard error when it is a terminal; one line a phase otherwise (CI logs).
final class ProgressBar: @unchecked Sendable {
    private let lock = NSLock()
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private var lastPhase = ""

    func show(_ phase: String, _ done: Int, _ total: Int) {
        lock.lock()
        defer { lock.unlock() }
        let fraction = total == 0 ? 1 : Double(done) / Double(total)
        if isTerminal {
            let width = 30, filled = Int(fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            FileHandle.standardError.write(Data("\r\(bar) \(Int(fraction * 100))% \(phase) \(done)/\(total)\u{1B}[K".utf8))
        } else {
            // A log, not a terminal: a line at every tenth of the way (and at the end) of each phase.
            let tenth = Int(fraction * 10)
            let mark = "\(phase)#\(tenth)"
            guard mark != lastPhase, tenth > 0 || done >= total else { return }
            FileHandle.standardError.write(Data("\(phase): \(done)/\(total)\n".utf8))
            lastPhase = mark
        }
    }

    func finish() {
        if isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
