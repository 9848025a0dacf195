import ArgumentParser
import TongdaoCore
import TongdaoServer
import TongdaoStore
import Fluent
import TongdaoUseCases
import Vapor

struct Seed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load reference data (and, with --demo, demo data into an empty database); migrates first.")

    @ArgumentParser.Flag(help: "Also seed demo data if the database holds none.")
    var demo = false

    @ArgumentParser.Option(help: "Also generate this many applications on the stored device products (for benchmarks).")
    var applications: Int?

    enum Scale: String, ExpressibleByArgument, CaseIterable {
        case national
        case trials
        case inspections
        case vigilance
        case service
    }

    @ArgumentParser.Option(
        help: ArgumentHelp(
            "Also generate a data set of this size for benchmarks: national = 1,000,000 products of 200,000 enterprises, up to four years of their census declarations, 300,000 applications with their timelines (about 5,000,000 timeline events in all); trials = a registry of 300 institutions, 20,000 investigators and 200,000 trials of the stored enterprises with about 1,000,000 sites; inspections = the plan's targets brought to 5,000 (300 trial institutions, the rest manufacturers) with three years of inspection history; vigilance = 5,000,000 adverse-event reports over three years on 2,000 marketed devices, the term list brought to 500; service = 1,000,000 consultations over three years (the last three weeks' open) and 100,000 published FAQ entries and cases with their search keys.",
            valueName: "national|trials|inspections|vigilance|service"))
    var scale: Scale?

    func validate() throws {
        if let applications, !(1...5_000_000).contains(applications) { throw ValidationError("--applications: 1 to 5000000") }
    }

    func run() async throws {
        try await ApplicationRunner.withMigratedApplication { app, configuration in
            if demo {
                let outcome = try await app.platform.demo.seedIfEmpty(by: .commandLine("seed --demo"))
                DemoBanner.show(outcome: outcome, database: configuration.database)
            } else {
                print("reference data loaded into \(configuration.database)")
            }
            if scale == .national {
                let bar = ProgressBar()
                let started = ContinuousClock.now
                let summary = try await NationalScale.generate(
                    .init(), today: app.platform.clock.today(), now: app.platform.clock.now(), by: .commandLine("seed --scale national"), on: app.db,
                    progress: { bar.show($0, $1, $2) })
                bar.finish()
                print(
                    """
                    national scale: \(summary.enterprises) enterprises, \(summary.products) products, \(summary.declarations) census declarations, \
                    \(summary.applications) applications with \(summary.events) events (\(summary.declarations + summary.events) timeline events) \
                    in \(started.duration(to: .now).components.seconds) s
                    """)
            }
            if scale == .trials {
                let bar = ProgressBar()
                let started = ContinuousClock.now
                let summary = try await TrialScale.generate(
                    .init(), today: app.platform.clock.today(), now: app.platform.clock.now(), by: .commandLine("seed --scale trials"), on: app.db,
                    progress: { bar.show($0, $1, $2) })
                bar.finish()
                print(
                    """
                    trial scale: \(summary.institutions) institutions, \(summary.investigators) investigators, \(summary.trials) trials with \
                    \(summary.sites) sites (\(summary.activeSites) active) and \(summary.events) events in \(started.duration(to: .now).components.seconds) s
                    """)
            }
            if scale == .inspections {
                let started = ContinuousClock.now
                let summary = try await InspectionScale.generate(
                    .init(), today: app.platform.clock.today(), now: app.platform.clock.now(), by: .commandLine("seed --scale inspections"),
                    on: app.db)
                print(
                    """
                    inspection scale: \(summary.institutions) trial institutions and \(summary.manufacturers) manufacturers added, \
                    \(summary.inspections) inspections of their history in \(started.duration(to: .now).components.seconds) s
                    """)
            }
            if scale == .vigilance {
                let bar = ProgressBar()
                let started = ContinuousClock.now
                let summary = try await VigilanceScale.generate(
                    .init(), today: app.platform.clock.today(), now: app.platform.clock.now(), by: .commandLine("seed --scale vigilance"), on: app.db,
                    progress: { bar.show($0, $1, $2) })
                bar.finish()
                print(
                    """
                    vigilance scale: \(summary.products) products, \(summary.terms) terms, \(summary.reports) reports with \(summary.termRows) term rows \
                    in \(started.duration(to: .now).components.seconds) s
                    """)
            }
            if scale == .service {
                let bar = ProgressBar()
                let started = ContinuousClock.now
                let summary = try await ServiceScale.generate(
                    .init(), today: app.platform.clock.today(), now: app.platform.clock.now(), on: app.db, progress: { bar.show($0, $1, $2) })
                bar.finish()
                print(
                    """
                    service scale: \(summary.consultations) consultations (\(summary.open) open), \(summary.entries) library entries with \
                    \(summary.postings) search keys in \(started.duration(to: .now).components.seconds) s
                    """)
            }
            if let applications {
                let bar = ProgressBar()
                let made = try await DemoApplications.generate(
                    count: applications, today: app.platform.clock.today(), now: app.platform.clock.now(), by: .commandLine("seed"),
                    on: app.db, progress: { bar.show("申报事项", $0, $1) })
                bar.finish()
                print("\(made) applications generated")
            }
        }
    }
}
