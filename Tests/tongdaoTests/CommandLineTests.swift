import ArgumentParser
import Testing
@testable import tongdao

@Suite("The tongdao command line")
struct CommandLineTests {
    @Test("serve defaults to 127.0.0.1:8080 and migrates")
    func serveDefaults() throws {
        let serve = try Serve.parse([])
        #expect(serve.hostname == "127.0.0.1")
        #expect(serve.port == 8080)
        #expect(!serve.demo && !serve.noMigrate)
    }

    @Test("serve takes --hostname, --port, --demo and --no-migrate")
    func serveOptions() throws {
        let serve = try Serve.parse(["--hostname", "0.0.0.0", "--port", "9000", "--no-migrate"])
        #expect(serve.hostname == "0.0.0.0" && serve.port == 9000 && serve.noMigrate)
        #expect(try Serve.parse(["--demo"]).demo)
    }

    @Test(
        "impossible combinations are refused before anything starts",
        arguments: [
            ["--port", "0"], ["--port", "70000"], ["--demo", "--no-migrate"], ["--port", "eighty"],
        ])
    func refused(arguments: [String]) {
        #expect(throws: (any Error).self) { try Serve.parse(arguments) }
    }

    @Test("the subcommands are serve, migrate, seed, calendar, user, census, sheet, digest, identifier, trials and vigilance, each with help")
    func subcommands() throws {
        let names = TongdaoCommand.configuration.subcommands.map { $0._commandName }
        #expect(names == ["serve", "migrate", "seed", "calendar", "user", "census", "sheet", "digest", "identifier", "trials", "vigilance"])
        #expect(TrialCommand.Import.helpMessage().contains("--dry-run"))
        #expect(throws: (any Error).self) { try TrialCommand.Import.parse(["--sheet", "sponsors", "--as", "x", "f.csv"]) }
        #expect(CensusCommand.Import.helpMessage().contains("--dry-run"))
        #expect(throws: (any Error).self) { try CensusCommand.Import.parse(["--year", "1999", "--as", "x", "f.csv"]) }
        #expect(Serve.helpMessage().contains("--no-migrate"))
        #expect(Migrate.helpMessage().contains("--revert"))
        #expect(Seed.helpMessage().contains("--demo"))
        #expect(try Migrate.parse(["--revert"]).revert)
    }

    @Test("seed --scale takes national only")
    func seedScale() throws {
        #expect(try Seed.parse(["--demo", "--scale", "national"]).scale == .national)
        #expect(try Seed.parse([]).scale == nil)
        #expect(throws: (any Error).self) { try Seed.parse(["--scale", "planet"]) }
        #expect(Seed.helpMessage().contains("1,000,000 products"))
    }
}
