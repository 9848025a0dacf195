import ArgumentParser
import TongdaoCore
import TongdaoServer
import TongdaoStore
import Fluent
import Vapor

struct Seed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load reference data (and, with --demo, demo data into an empty database); migrates first.")

    @ArgumentParser.Flag(help: "Also seed demo data if the database holds none.")
    var demo = false

    func run() async throws {
        try await ApplicationRunner.withMigratedApplication { app, configuration in
            if demo {
                let cost = configuration.bcryptCost
                let outcome = try await DemoData.seedIfEmpty(on: app.db, currentYear: ShanghaiClock.today().year) { try Credentials.hashPassword($0, cost: cost) }
                DemoBanner.show(outcome: outcome, database: configuration.database)
            } else {
                print("reference data loaded into \(configuration.database)")
            }
        }
    }
}
