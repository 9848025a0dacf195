import ArgumentParser
import Foundation
import TongdaoCore
import TongdaoServer
import TongdaoUseCases

struct VigilanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vigilance", abstract: "Post-market vigilance: the national export's import, the term list, figures for cross-checks.",
        subcommands: [Import.self, ImportTerms.self, Statistics.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Import the national monitoring system's export of adverse-event reports (CSV in UTF-8 or GB18030, or XLSX) as a user: all rows or none; a progress bar on standard error."
        )

        @ArgumentParser.Option(name: .customLong("as"), help: "The user to import as (a vigilance manager).") var username: String
        @ArgumentParser.Flag(name: .customLong("dry-run"), help: "Check every row and report, without writing.") var dryRun = false
        @ArgumentParser.Argument(help: "The sheet.") var file: String

        func run() async throws {
            let data = try ApplicationRunner.contents(of: file)
            try await ApplicationRunner.withMigratedApplication { app, _ in
                let caller = try await CensusCommand.caller(username, command: "vigilance import", on: app)
                let report = try await ApplicationRunner.withProgressBar { progress in
                    try await app.platform.adverseEvents.importFile(data, dryRun: dryRun, by: caller, progress: progress)
                }
                let outcome = report.dryRun ? "dry run, nothing written" : (report.committed ? "imported" : "rejected, nothing written")
                print(
                    "不良事件报告: \(outcome) — \(report.rowsRead) rows read, \(report.added) added (\(report.late) late), "
                        + "\(report.unchanged) already held, \(Set(report.rejected.map(\.row)).count) rows rejected")
                ApplicationRunner.printRejected(report.rejected)
                if !report.rejected.isEmpty { throw ExitCode(1) }
            }
        }
    }

    struct ImportTerms: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import-terms", abstract: "Import the event-term list (CSV or XLSX) as a user: all rows or none.")

        @ArgumentParser.Option(name: .customLong("as"), help: "The user to import as (a vigilance manager).") var username: String
        @ArgumentParser.Flag(name: .customLong("dry-run"), help: "Check every row and report, without writing.") var dryRun = false
        @ArgumentParser.Argument(help: "The sheet.") var file: String

        func run() async throws {
            let data = try ApplicationRunner.contents(of: file)
            try await ApplicationRunner.withMigratedApplication { app, _ in
                let caller = try await CensusCommand.caller(username, command: "vigilance import-terms", on: app)
                let report = try await app.platform.adverseEvents.importTerms(data, dryRun: dryRun, by: caller)
                let outcome = report.dryRun ? "dry run, nothing written" : (report.committed ? "imported" : "rejected, nothing written")
                print(
                    "事件术语: \(outcome) — \(report.rowsRead) rows read, \(report.added) added, \(report.updated) updated, "
                        + "\(report.unchanged) unchanged, \(Set(report.rejected.map(\.row)).count) rows rejected")
                ApplicationRunner.printRejected(report.rejected)
                if !report.rejected.isEmpty { throw ExitCode(1) }
            }
        }
    }

    struct Statistics: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stats",
            abstract:
                "Read 2×2 tables `a b c d` from standard input, one a line; print `prr chi2 ror ror_lower ror_upper expected ic ic025 corrected signals` (signals under the standard policy, comma-separated or `-`), or `undefined` for an empty table."
        )

        func run() async throws {
            var answers: [String] = []
            while let line = readLine() {
                let cells = line.split(separator: " ").compactMap { Int($0) }
                guard cells.count == 4, let measures = Disproportionality(ContingencyTable(a: cells[0], b: cells[1], c: cells[2], d: cells[3])) else {
                    answers.append("undefined")
                    continue
                }
                let signals = measures.signals(under: .standard).map(\.rawValue).joined(separator: ",")
                let figures = [
                    measures.prr, measures.chiSquare, measures.ror, measures.rorLower, measures.rorUpper, measures.expected, measures.ic,
                    measures.ic025,
                ]
                answers.append((figures.map { "\($0)" } + [measures.corrected ? "1" : "0", signals.isEmpty ? "-" : signals]).joined(separator: " "))
            }
            print(answers.joined(separator: "\n"))
        }
    }
}
