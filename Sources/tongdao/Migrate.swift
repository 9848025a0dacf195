import ArgumentParser
import Fluent
import TongdaoServer
import Vapor

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Bring the schema up to date, or revert the last batch of migrations.")

    @ArgumentParser.Flag(help: "Revert the last batch of migrations instead (its tables and their data are dropped).")
    var revert = false

    func run() async throws {
        try await ApplicationRunner.withApplication { app, configuration in
            print("database: \(configuration.database)")
            if revert {
                try await app.migrator.setupIfNeeded().get()
                try await app.migrator.revertLastBatch().get()
                print("reverted the last batch of migrations")
            } else {
                try await prepareDatabase(app, migrate: true)
                print("schema up to date; reference data loaded")
            }
        }
    }
}
