import Foundation
import Testing
import TongdaoCore
import TongdaoTestSupport

@Suite("tongdao census as a process")
struct CensusProcessTests {
    @Test("census import reports progress and what it did; a kill -9 in the middle of writing leaves the database as before")
    func importAndCrash() async throws {
        try await withTemporaryDirectory { directory in
            let env = ["TONGDAO_DATA_DIR": directory.appendingPathComponent("data").path, "TONGDAO_BCRYPT_COST": "4"]
            let created = try CommandProcessTests.run(
                ["user", "create", "--username", "city.officer", "--role", "city_regulator", "--scope", "city", "--password-stdin"],
                environment: env, input: "a long enough password\n")
            #expect(created.status == 0, "\(created.output)")
            let small = directory.appendingPathComponent("small.csv")
            try CensusFixture.csv(CensusFixture.rows(count: 20)).write(to: small)
            let imported = try CommandProcessTests.run(["census", "import", "--year", "2026", "--as", "city.officer", small.path], environment: env)
            #expect(imported.status == 0, "\(imported.output)")
            #expect(imported.output.contains("2026 census: imported — 20 rows read, 20 added"))
            #expect(imported.output.contains("写入意向: 20/20"), "progress per phase when standard error is not a terminal")
            let export = try CommandProcessTests.run(["census", "export", "--year", "2026", "--as", "city.officer"], environment: env)
            #expect(export.output.split(whereSeparator: \.isNewline).count == 21)

            // a large file, killed while its transaction is writing
            let large = directory.appendingPathComponent("large.csv")
            try CensusFixture.csv(
                CensusFixture.rows(count: 30_000, seed: 9).map { row in
                    var row = row
                    row[1] = row[1].replacingOccurrences(of: "91310", with: "92310")  // other enterprises than the small file's
                    row[1] = USCC.completing(row[1].prefix(17))!
                    return row
                }
            ).write(to: large)
            let process = CommandProcessTests.process(["census", "import", "--year", "2026", "--as", "city.officer", large.path], environment: env)
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            var seen = ""
            while !seen.contains("写入企业") {
                let chunk = errors.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                seen += String(decoding: chunk, as: UTF8.self)
            }
            #expect(seen.contains("写入企业"), "the import reached its writing phase: \(seen)")
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal, "killed, not finished")
            let after = try CommandProcessTests.run(["census", "export", "--year", "2026", "--as", "city.officer"], environment: env)
            #expect(after.output.split(whereSeparator: \.isNewline).count == 21, "only the small file's 20 rows: the killed import left nothing")
        }
    }
}
