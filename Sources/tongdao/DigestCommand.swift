import ArgumentParser
import TongdaoCore
import TongdaoServer
import TongdaoUseCases

struct DigestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest",
        abstract: "Write each officer's daily digest of application warnings for a day, escalating red items (idempotent; serve runs it hourly).")

    @OptionGroup var day: DayOption

    func run() async throws {
        try await ApplicationRunner.withMigratedApplication { app, _ in
            print(try await app.platform.digest.run(day: day.day(today: app.platform.clock.today()), by: .commandLine("digest")))
        }
    }
}

/// `--date`: the day a daily job runs for, today in Shanghai when omitted.
struct DayOption: ParsableArguments {
    @ArgumentParser.Option(help: "The day, YYYY-MM-DD (today in Shanghai when omitted).") var date: String?

    func validate() throws {
        if let date, CivilDate(date) == nil { throw ValidationError("--date: a date YYYY-MM-DD, not \(date)") }
    }

    func day(today: CivilDate) -> CivilDate { date.flatMap { CivilDate($0) } ?? today }
}
