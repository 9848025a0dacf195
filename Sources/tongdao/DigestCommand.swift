import ArgumentParser
import TongdaoCore
import TongdaoServer
import TongdaoStore

struct DigestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest",
        abstract: "Write each officer's daily digest of application warnings for a day, escalating red items (idempotent; serve runs it hourly).")

    @ArgumentParser.Option(help: "The day, YYYY-MM-DD (today in Shanghai when omitted).") var date: String?

    func validate() throws {
        if let date, CivilDate(date) == nil { throw ValidationError("--date: a date YYYY-MM-DD, not \(date)") }
    }

    func run() async throws {
        let day = date.flatMap { CivilDate($0) } ?? ShanghaiClock.today()
        try await ApplicationRunner.withMigratedApplication { app, _ in
            print(try await DigestJob.run(day: day, app: app, by: .commandLine("digest")))
        }
    }
}
