import ArgumentParser
import TongdaoCore

struct VigilanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vigilance", abstract: "Post-market vigilance figures (for scripts and cross-checks).", subcommands: [Statistics.self])

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
