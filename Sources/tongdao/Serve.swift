import ArgumentParser
import TongdaoCore
import TongdaoServer
import TongdaoStore
import Fluent
import Foundation
import TongdaoUseCases
import Vapor

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the web server (pages, /api/v1, health and metrics).")

    @ArgumentParser.Option(help: "Address to listen on.")
    var hostname = "127.0.0.1"

    @ArgumentParser.Option(help: "Port to listen on.")
    var port = 8080

    @ArgumentParser.Flag(help: "Fill an empty database with demo data and say so in a banner.")
    var demo = false

    @ArgumentParser.Flag(name: .customLong("no-migrate"), help: "Do not bring the schema up to date at start-up.")
    var noMigrate = false

    func validate() throws {
        guard (1...65_535).contains(port) else { throw ValidationError("--port must be between 1 and 65535, not \(port)") }
        if demo && noMigrate { throw ValidationError("--demo needs the schema: do not combine it with --no-migrate") }
    }

    func run() async throws {
        try await ApplicationRunner.withApplication(arguments: ["tongdao", "serve"]) { app, configuration in
            app.logger.info("database: \(configuration.database)")
            try await prepareDatabase(app, migrate: !noMigrate)
            if demo {
                let outcome = try await app.platform.demo.seedIfEmpty(by: .commandLine("serve --demo"))
                DemoBanner.show(outcome: outcome, database: configuration.database)
            }
            if configuration.runsDigest { app.lifecycle.use(DigestScheduler()) }
            app.http.server.configuration.hostname = hostname
            app.http.server.configuration.port = port
            try await app.execute()
        }
    }
}

enum DemoBanner {
    /// Printed on standard output and flushed at once, so it shows before the server's first log line.
    static func show(outcome: DemoData.Outcome, database: DatabaseLocation) {
        FileHandle.standardOutput.write(Data((text(outcome: outcome, database: database) + "\n").utf8))
    }

    static func text(outcome: DemoData.Outcome, database: DatabaseLocation) -> String {
        let state =
            switch outcome {
            case .seeded: "demo data loaded into an empty database"
            case .seededEarlier: "demo data was loaded by an earlier run; nothing was added"
            case .alreadyPopulated: "the database already holds data; nothing was added"
            }
        var lines = [
            "================================================================",
            "  DEMO MODE 演示模式 — not for production data",
            "  \(state)",
            "  \(database)",
        ]
        if outcome != .alreadyPopulated {
            lines.append("  demo accounts (password for all: \(DemoData.password)):")
            for user in DemoData.users {
                lines.append(
                    "    \(user.username.padding(toLength: 14, withPad: " ", startingAt: 0)) \(user.role.rawValue.padding(toLength: 17, withPad: " ", startingAt: 0)) \(user.scope)"
                )
            }
        }
        lines.append("================================================================")
        return lines.joined(separator: "\n")
    }
}
