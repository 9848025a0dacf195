import Fluent
import TongdaoStore
import Vapor

/// Answers "can this instance serve?" by pinging the database, and keeps the database metrics.
/// Checked on every `/readyz`, so a database that comes back is noticed without a restart.
struct Readiness: Sendable {
    let metrics: HTTPMetrics
    let databaseLabel: String
    let poolMaxConnections: Int

    func check(_ database: any Database, logger: Logger) async -> Bool {
        let clock = ContinuousClock()
        let start = clock.now
        do {
            try await Store.ping(database)
            metrics.recordDatabase(up: true, pingDuration: clock.now - start, poolMaxConnections: poolMaxConnections, database: databaseLabel)
            return true
        } catch {
            logger.warning("readiness: database ping failed", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            metrics.recordDatabase(up: false, pingDuration: nil, poolMaxConnections: poolMaxConnections, database: databaseLabel)
            return false
        }
    }
}
