import Foundation
import Logging
import TongdaoCore
import TongdaoStore

/// Every setting Tongdao reads from the environment, read here and nowhere else.
///
/// | variable | default | meaning |
/// |---|---|---|
/// | `DATABASE_URL` | unset | `postgres://…` selects PostgreSQL; unset means the embedded SQLite file |
/// | `TONGDAO_DATA_DIR` | `./.tongdao` | directory of the SQLite file (created if missing) |
/// | `LOG_FORMAT` | `text` | `json` writes one JSON object per log line |
/// | `LOG_LEVEL` | `info` | `trace`, `debug`, `info`, `notice`, `warning`, `error`, `critical` |
/// | `TONGDAO_BCRYPT_COST` | `12` | bcrypt cost for new password hashes (4–16) |
/// | `TONGDAO_TOKEN_HOURS` | `12` | lifetime of an API token and of a web session (1–720 hours) |
/// | `TONGDAO_DIGEST` | `on` | `off` stops `serve` from running the daily digest itself (run `tongdao digest` from cron instead) |
/// | `TONGDAO_TRUSTED_PROXIES` | unset | reverse proxies (addresses or networks, comma-separated) whose `X-Forwarded-For` names the client and whose `X-Forwarded-Proto` says the request came over TLS |
/// | `TONGDAO_METRICS_TOKEN` | unset | the bearer token `/metrics` asks for (16 characters or more); unset, `/metrics` answers only requests from this machine (loopback, not forwarded by a proxy) |
/// | `TONGDAO_TODAY` | unset | demonstrations and tests only: the platform's clock starts on this day (YYYY-MM-DD) and runs on from it |
public struct AppConfiguration: Sendable, Equatable {
    public enum LogFormat: String, Sendable, Equatable {
        case text, json
    }

    public var database: DatabaseLocation
    public var logFormat: LogFormat
    public var logLevel: Logger.Level
    public var bcryptCost: Int
    public var tokenLifetime: Duration
    /// Whether `serve` runs the daily digest itself.
    public var runsDigest: Bool
    /// The reverse proxies whose `X-Forwarded-For` is believed (the throttle and the audit trail).
    public var trustedProxies: TrustedProxies
    /// The platform's one clock: the system clock, or (tests) one started on a day of their choosing.
    public var clock: PlatformClock
    /// The bearer token `/metrics` asks for; nil: only requests from this machine are answered.
    public var metricsToken: String?
    /// How long a dashboard summary is shared at most (writes drop it sooner): 10 s; tests that count
    /// what is shared take a long one, so that a slow machine does not expire it between two reads.
    public var summaryMaximumAge: Duration

    public init(
        database: DatabaseLocation, logFormat: LogFormat = .text, logLevel: Logger.Level = .info,
        bcryptCost: Int = 12, tokenLifetime: Duration = .seconds(12 * 3600), runsDigest: Bool = true,
        trustedProxies: TrustedProxies = .none, clock: PlatformClock = .system, metricsToken: String? = nil,
        summaryMaximumAge: Duration = .seconds(10)
    ) {
        self.metricsToken = metricsToken
        self.summaryMaximumAge = summaryMaximumAge
        self.database = database
        self.logFormat = logFormat
        self.logLevel = logLevel
        self.bcryptCost = bcryptCost
        self.tokenLifetime = tokenLifetime
        self.runsDigest = runsDigest
        self.trustedProxies = trustedProxies
        self.clock = clock
    }

    public struct Problem: Error, Equatable, CustomStringConvertible {
        public var variable: String
        public var message: String
        public var description: String { "\(variable): \(message)" }
    }

    public static func from(environment: [String: String] = ProcessInfo.processInfo.environment) throws(Problem) -> AppConfiguration {
        let database: DatabaseLocation
        do {
            database = try DatabaseLocation.from(environment: environment)
        } catch {
            throw Problem(variable: "DATABASE_URL", message: error.description)
        }
        let format = environment["LOG_FORMAT"].flatMap { $0.isEmpty ? nil : $0.lowercased() } ?? "text"
        guard let logFormat = LogFormat(rawValue: format) else {
            throw Problem(variable: "LOG_FORMAT", message: "must be text or json, not \(format)")
        }
        let level = environment["LOG_LEVEL"].flatMap { $0.isEmpty ? nil : $0.lowercased() } ?? "info"
        guard let logLevel = Logger.Level(rawValue: level) else {
            throw Problem(
                variable: "LOG_LEVEL", message: "must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")), not \(level)")
        }
        let cost = environment["TONGDAO_BCRYPT_COST"].flatMap { $0.isEmpty ? nil : $0 } ?? "12"
        guard let bcryptCost = Int(cost), (4...16).contains(bcryptCost) else {
            throw Problem(variable: "TONGDAO_BCRYPT_COST", message: "must be a whole number from 4 to 16, not \(cost)")
        }
        let hours = environment["TONGDAO_TOKEN_HOURS"].flatMap { $0.isEmpty ? nil : $0 } ?? "12"
        guard let tokenHours = Int(hours), (1...720).contains(tokenHours) else {
            throw Problem(variable: "TONGDAO_TOKEN_HOURS", message: "must be a whole number of hours from 1 to 720, not \(hours)")
        }
        let digest = environment["TONGDAO_DIGEST"].flatMap { $0.isEmpty ? nil : $0.lowercased() } ?? "on"
        guard ["on", "off"].contains(digest) else {
            throw Problem(variable: "TONGDAO_DIGEST", message: "must be on or off, not \(digest)")
        }
        let trustedProxies: TrustedProxies
        do {
            trustedProxies = try TrustedProxies(parsing: environment["TONGDAO_TRUSTED_PROXIES"] ?? "")
        } catch {
            throw Problem(variable: "TONGDAO_TRUSTED_PROXIES", message: error.description)
        }
        let metricsToken = environment["TONGDAO_METRICS_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        if let metricsToken, metricsToken.count < 16 || metricsToken.contains(where: { $0.isWhitespace }) {
            throw Problem(variable: "TONGDAO_METRICS_TOKEN", message: "must be at least 16 characters without spaces")
        }
        var clock = PlatformClock.system
        if let today = environment["TONGDAO_TODAY"].flatMap({ $0.isEmpty ? nil : $0 }) {
            guard let day = CivilDate(today) else {
                throw Problem(variable: "TONGDAO_TODAY", message: "must be a date YYYY-MM-DD, not \(today)")
            }
            clock = .starting(on: day)
        }
        return AppConfiguration(
            database: database, logFormat: logFormat, logLevel: logLevel, bcryptCost: bcryptCost, tokenLifetime: .seconds(tokenHours * 3600),
            runsDigest: digest == "on", trustedProxies: trustedProxies, clock: clock,
            metricsToken: metricsToken)
    }
}
