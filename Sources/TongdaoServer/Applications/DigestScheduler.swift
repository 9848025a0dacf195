import Fluent
import Foundation
import Synchronization
import TongdaoCore
import TongdaoStore
import Vapor

extension DigestJob {
    /// Runs the digest of `day` with the application's database and calendar.
    public static func run(day: CivilDate, app: Application, by actor: AuditActor) async throws -> Summary {
        try await run(day: day, on: app.db, calendar: app.calendars.current(on: app.db), by: actor)
    }

    /// Who the hourly run inside `serve` writes as, in the audit trail.
    public static let scheduler = AuditActor(name: "system:digest-scheduler", role: "system")
}

/// Runs the daily digest inside `serve`: at start-up and then every hour, for the current day in
/// Shanghai. The job is idempotent (one digest per person and day, by a unique key), so the hourly
/// runs and several instances never send anything twice; the first run after midnight sends the day's.
public final class DigestScheduler: LifecycleHandler, Sendable {
    private let task = Mutex<Task<Void, Never>?>(nil)
    private let interval: Duration

    public init(interval: Duration = .seconds(3600)) {
        self.interval = interval
    }

    public func didBootAsync(_ application: Application) async throws {
        let interval = interval
        let started = Task {
            while !Task.isCancelled {
                do {
                    let summary = try await DigestJob.run(day: ShanghaiClock.today(), app: application, by: DigestJob.scheduler)
                    if summary.written > 0 { application.logger.info("\(summary)") }
                } catch {
                    application.logger.error("digest failed: \(String(reflecting: error))")
                }
                try? await Task.sleep(for: interval)
            }
        }
        task.withLock { $0 = started }
    }

    public func shutdownAsync(_ application: Application) async {
        let running = task.withLock { current -> Task<Void, Never>? in
            defer { current = nil }
            return current
        }
        running?.cancel()
        await running?.value
    }
}
