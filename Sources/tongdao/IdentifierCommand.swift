import ArgumentParser
import TongdaoCore

struct IdentifierCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "identifier", abstract: "Check identifiers (for scripts and cross-checks).",
        subcommands: [USCCCheck.self, GTINCheck.self])

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
}
