import ArgumentParser
import TongdaoCore

struct IdentifierCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "identifier", abstract: "Check identifiers (for scripts and cross-checks).",
        subcommands: [USCCCheck.self, GTINCheck.self, GS1Check.self])

    struct USCCCheck: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "uscc",
            abstract: "Validate unified social credit codes read from standard input, one a line: prints `valid` or `invalid: reason`.")

        func run() async throws {
            var answers: [String] = []
            while let line = readLine() {
                switch USCC.validate(line) {
                case .success: answers.append("valid")
                case .failure(let problem): answers.append("invalid: \(problem)")
                }
            }
            print(answers.joined(separator: "\n"))
        }
    }

    struct GTINCheck: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "gtin",
            abstract: "Validate GS1 GTIN-14 (UDI-DI) codes read from standard input, one a line: prints `valid` or `invalid`.")

        func run() async throws {
            var answers: [String] = []
            while let line = readLine() {
                answers.append(GTIN.isValid(line) ? "valid" : "invalid")
            }
            print(answers.joined(separator: "\n"))
        }
    }

    struct GS1Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "gs1",
            abstract:
                "Read GS1 element strings (UDI labels, bracketed or as scanned, GS as 0x1D) from standard input, one a line: prints `valid AI=value|AI=value…` or `invalid: reason`."
        )

        @ArgumentParser.Option(help: "The day the dates' century is read on (YYYY-MM-DD); today in Shanghai when absent.")
        var today: String?

        func run() async throws {
            let day = today.flatMap(CivilDate.init) ?? PlatformClock.system.today()
            var answers: [String] = []
            while let line = readLine() {
                switch GS1ElementString.parse(line, today: day) {
                case .success(let read): answers.append("valid " + read.elements.map { "\($0.ai)=\($0.value)" }.joined(separator: "|"))
                case .failure(let problem): answers.append("invalid: \(problem)")
                }
            }
            print(answers.joined(separator: "\n"))
        }
    }
}
