import ArgumentParser
import Fluent
import Foundation
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoUseCases
import Vapor

struct CalendarCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar",
        abstract: "The working-day calendar: import a newly published year, ask about days.",
        subcommands: [Import.self, Day.self, Add.self, Between.self, Days.self, Query.self]
    )

    /// Runs `body` with the installation's calendar (bundled years plus imported ones).
    static func withCalendar(_ body: @escaping (WorkCalendar) throws -> Void) async throws {
        try await ApplicationRunner.withMigratedApplication { app, _ in
            try body(try await app.platform.reference.calendar())
        }
    }

    static func parseDate(_ text: String, _ name: String) throws -> CivilDate {
        guard let date = CivilDate(text) else { throw ValidationError("\(name) must be a date YYYY-MM-DD, not \(text)") }
        return date
    }

    /// Prints a calendar refusal the way a user can act on it, and exits 2.
    static func fail(_ problem: WorkCalendar.Problem) -> ExitCode {
        if case .scheduleNotPublished = problem {
            ApplicationRunner.printError(
                "error: \(problem); import it with `tongdao calendar import FILE`, or pass --provisional to count weekends only")
        } else {
            ApplicationRunner.printError("error: \(problem)")
        }
        return ExitCode(2)
    }

    static func label(_ day: WorkCalendar.Day) -> String {
        let kind =
            switch day.kind {
            case .workday: "workday"
            case .weekend: "weekend"
            case .holiday(let name): "holiday \(name)"
            case .adjustedWorkday(let name): "adjusted_workday \(name)"
            }
        return "\(day.date) \(kind)\(day.provisional ? " (provisional)" : "")"
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import holiday schedules (year/holiday/workday lines); a bad file is rejected whole, every bad line named.")

        @ArgumentParser.Argument(help: "The schedule file.")
        var file: String

        func run() async throws {
            let text: String
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                ApplicationRunner.printError("error: cannot read \(file) as UTF-8 text")
                throw ExitCode(2)
            }
            try await ApplicationRunner.withMigratedApplication { app, _ in
                do {
                    let years = try await app.platform.settings.importYears(
                        text, source: (file as NSString).lastPathComponent, by: .commandLine("calendar import"))
                    print("imported \(years.map(String.init).joined(separator: ", ")) from \(file)")
                } catch let refusal as UseCaseError {
                    ApplicationRunner.printError(
                        "error: \(file) rejected, nothing imported:\n\(refusal.problems.map(\.message).joined(separator: "\n"))")
                    throw ExitCode(2)
                }
            }
        }
    }

    struct Day: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Whether a date is a working day, and why.")
        @ArgumentParser.Argument(help: "YYYY-MM-DD") var date: String
        @ArgumentParser.Flag(help: "Answer for an unpublished year from weekends alone.") var provisional = false

        func run() async throws {
            let date = try CalendarCommand.parseDate(date, "date")
            try await CalendarCommand.withCalendar { calendar in
                do { print(CalendarCommand.label(try calendar.day(date, provisional: provisional))) } catch let problem as WorkCalendar.Problem {
                    throw CalendarCommand.fail(problem)
                }
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The n-th working day after a date (the date itself not counted).")
        @ArgumentParser.Argument(help: "YYYY-MM-DD") var from: String
        @ArgumentParser.Argument(help: "Working days to add.") var days: Int
        @ArgumentParser.Flag(help: "Answer across unpublished years from weekends alone.") var provisional = false

        func run() async throws {
            let from = try CalendarCommand.parseDate(from, "from")
            try await CalendarCommand.withCalendar { calendar in
                do {
                    let answer = try calendar.addingWorkingDays(days, to: from, provisional: provisional)
                    print("\(answer.value)\(answer.provisional ? " (provisional)" : "")")
                } catch let problem as WorkCalendar.Problem { throw CalendarCommand.fail(problem) }
            }
        }
    }

    struct Between: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Working days in (from, to].")
        @ArgumentParser.Argument(help: "YYYY-MM-DD") var from: String
        @ArgumentParser.Argument(help: "YYYY-MM-DD") var to: String
        @ArgumentParser.Flag(help: "Answer across unpublished years from weekends alone.") var provisional = false

        func run() async throws {
            let from = try CalendarCommand.parseDate(from, "from"), to = try CalendarCommand.parseDate(to, "to")
            try await CalendarCommand.withCalendar { calendar in
                do {
                    let answer = try calendar.workingDays(from: from, to: to, provisional: provisional)
                    print("\(answer.value)\(answer.provisional ? " (provisional)" : "")")
                } catch let problem as WorkCalendar.Problem { throw CalendarCommand.fail(problem) }
            }
        }
    }

    struct Days: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every day from one date to another, one line each (`DATE KIND [NAME]`), for scripts and cross-checks.")
        @ArgumentParser.Argument(help: "YYYY-MM-DD") var from: String
        @ArgumentParser.Argument(help: "YYYY-MM-DD") var to: String

        func run() async throws {
            let from = try CalendarCommand.parseDate(from, "from"), to = try CalendarCommand.parseDate(to, "to")
            guard from <= to else { throw ValidationError("from must not be after to") }
            try await CalendarCommand.withCalendar { calendar in
                var lines: [String] = []
                do {
                    for number in from.dayNumber...to.dayNumber {
                        lines.append(CalendarCommand.label(try calendar.day(CivilDate(dayNumber: number))))
                    }
                } catch let problem as WorkCalendar.Problem { throw CalendarCommand.fail(problem) }
                print(lines.joined(separator: "\n"))
            }
        }
    }

    struct Query: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Answer questions read from standard input, one a line: `add DATE N` or `between FROM TO`; for scripts.",
            discussion: "Each answer is printed on its own line: a date, a count, or `error: …` for that line alone.")

        func run() async throws {
            var questions: [String] = []
            while let line = readLine() { questions.append(line) }
            try await CalendarCommand.withCalendar { calendar in
                print(questions.map { CalendarCommand.answer($0, calendar: calendar) }.joined(separator: "\n"))
            }
        }
    }

    static func answer(_ question: String, calendar: WorkCalendar) -> String {
        let words = question.split(separator: " ").map(String.init)
        do {
            switch (words.first, words.count) {
            case ("add", 3):
                guard let from = CivilDate(words[1]), let days = Int(words[2]) else { return "error: expected add YYYY-MM-DD N" }
                return try calendar.addingWorkingDays(days, to: from).value.description
            case ("between", 3):
                guard let from = CivilDate(words[1]), let to = CivilDate(words[2]) else { return "error: expected between YYYY-MM-DD YYYY-MM-DD" }
                return String(try calendar.workingDays(from: from, to: to).value)
            default:
                return "error: expected `add DATE N` or `between FROM TO`"
            }
        } catch {
            return "error: \(error)"
        }
    }
}
