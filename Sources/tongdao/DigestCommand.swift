import ArgumentParser
import TongdaoCore
import TongdaoServer
import TongdaoUseCases

struct DigestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest",
        abstract: "Write each officer's daily digest of application warnings for a day, escalating red items (idempotent; serve runs it hourly).")

    @ArgumentParser.Option(help: "The day, YYYY-MM-DD (today in Shanghai when omitted).") var date: String?

    func validate() throws {
        if let date, CivilDate(date) == nil { throw ValidationError("--date: a date YYYY-MM-DD, not \(date)") }
    }

    func run() async throws {
        try await ApplicationRunner.withMigratedApplication { app, _ in
            let day = date.flatMap { CivilDate($0) } ?? app.platform.clock.today()
            print(try await app.platform.digest.run(day: day, by: .commandLine("digest")))
        }
    }
}
