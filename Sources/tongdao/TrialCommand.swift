import ArgumentParser
import Foundation
import TongdaoCore
import TongdaoServer
import TongdaoUseCases

extension TrialSheet: ExpressibleByArgument {}

struct TrialCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trials",
        abstract:
            "Import and export the clinical-trial registry's sheets: institutions, investigators, trials with their sites; sweep the trial warnings.",
        subcommands: [Import.self, Export.self, Warnings.self])

    struct Warnings: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Raise the trial warnings of a day (PIs over their threshold, pilot trials late to start) and end those no longer true (idempotent; serve runs it hourly)."
        )

        @OptionGroup var day: DayOption

        func run() async throws {
            try await ApplicationRunner.withMigratedApplication { app, _ in
                print(
                    try await app.platform.trials.sweepWarnings(day: day.day(today: app.platform.clock.today()), by: .commandLine("trials warnings")))
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a sheet (CSV in UTF-8 or GB18030, or XLSX) as a user: all rows or none; a progress bar on standard error.")

        @ArgumentParser.Option(help: "institutions, investigators or trials.") var sheet: TrialSheet
        @ArgumentParser.Option(name: .customLong("as"), help: "The user to import as (its scope applies).") var username: String
        @ArgumentParser.Flag(name: .customLong("dry-run"), help: "Check every row and report, without writing.") var dryRun = false
        @ArgumentParser.Argument(help: "The sheet.") var file: String

        func run() async throws {
            let data = try ApplicationRunner.contents(of: file)
            try await ApplicationRunner.withMigratedApplication { app, _ in
                let caller = try await CensusCommand.caller(username, command: "trials import", on: app)
                let report = try await ApplicationRunner.withProgressBar { progress in
                    try await app.platform.trials.importFile(data, sheet: sheet, dryRun: dryRun, by: caller, progress: progress)
                }
                print(Self.summary(report))
                ApplicationRunner.printRejected(report.rejected)
                for duplicate in report.likelyDuplicates.prefix(200) {
                    print(
                        "  第 \(duplicate.row) 行 · \(duplicate.name)：疑似与已登记的研究者 \(duplicate.investigatorID) 重复（\(duplicate.matching.joined(separator: "、"))相同）"
                    )
                }
                if !report.rejected.isEmpty { throw ExitCode(1) }
            }
        }

        static func summary(_ report: TrialImportReport) -> String {
            let outcome = report.dryRun ? "dry run, nothing written" : (report.committed ? "imported" : "rejected, nothing written")
            return "\(report.sheet.label) (\(report.sheet.rawValue)): \(outcome) — \(report.rowsRead) rows read, \(report.added) added, "
                + "\(report.updated) updated, \(report.unchanged) unchanged, \(Set(report.rejected.map(\.row)).count) rows rejected, "
                + "\(report.likelyDuplicates.count) likely duplicates"
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a sheet of a user's scope as CSV (UTF-8 with BOM) or XLSX.")

        @ArgumentParser.Option(help: "institutions, investigators or trials.") var sheet: TrialSheet
        @ArgumentParser.Option(name: .customLong("as"), help: "The user whose scope to export.") var username: String
        @ArgumentParser.Option(help: "Where to write (standard output when omitted).") var output: String?
        @ArgumentParser.Option(help: "csv or xlsx (default: from the output's extension, else csv).") var format: String?

        func validate() throws {
            if let format, CensusSheets.Format(rawValue: format) == nil { throw ValidationError("--format: csv or xlsx") }
        }

        func run() async throws {
            let chosen = format.flatMap(CensusSheets.Format.init(rawValue:)) ?? (output?.lowercased().hasSuffix(".xlsx") == true ? .xlsx : .csv)
            try await ApplicationRunner.withMigratedApplication { app, _ in
                let caller = try await CensusCommand.caller(username, command: "trials export", on: app)
                let data: Data
                do {
                    data = try await app.platform.trials.export(sheet, format: chosen, by: caller)
                } catch let refusal as UseCaseError {
                    throw ApplicationRunner.fail(refusal)
                }
                try ApplicationRunner.write(data, to: output)
            }
        }
    }
}
