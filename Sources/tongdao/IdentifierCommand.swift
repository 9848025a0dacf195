import ArgumentParser
import TongdaoCore

struct IdentifierCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "identifier", abstract: "Check identifiers (for scripts and cross-checks).",
        subcommands: [USCCCheck.self])

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
}
