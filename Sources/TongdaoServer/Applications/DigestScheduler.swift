import Foundation
import Synchronization
import TongdaoCore
import TongdaoUseCases
import Vapor

/// Runs the daily jobs inside `serve`: at start-up and then every hour, for the current day in
/// Shanghai by the platform's clock — the digest of application warnings, then the sweep of the
/// trial warnings (PI overload, late starts). Both are idempotent (one digest per person and day,
/// one live warning per subject, by unique keys), so the hourly runs and several instances never
/// send anything twice; the first run after midnight sends the day's.
public final class DigestScheduler: LifecycleHandler, Sendable {
    /// Who the hourly run writes as, in the audit trail.
    public static let caller = Caller.system("digest-scheduler")

    private let task = Mutex<Task<Void, Never>?>(nil)
    private let interval: Duration

    public init(interval: Duration = .seconds(3600)) {
        self.interval = interval
    }

    public func didBootAsync(_ application: Application) async throws {
        let interval = interval
        let platform = application.platform
        let logger = application.logger
        let started = Task {
            while !Task.isCancelled {
                do {
                    let summary = try await platform.digest.run(day: platform.clock.today(), by: Self.caller)
                    if summary.written > 0 { logger.info("\(summary)") }
                } catch {
                    logger.error("digest failed: \(String(reflecting: error))")
                }
                do {
                    let sweep = try await platform.trials.sweepWarnings(day: platform.clock.today(), by: Self.caller)
                    if sweep.raised + sweep.ended > 0 { logger.info("\(sweep)") }
                } catch {
                    logger.error("trial warnings failed: \(String(reflecting: error))")
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
