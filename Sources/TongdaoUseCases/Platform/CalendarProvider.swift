import FluentKit
import Synchronization
import TongdaoCore
import TongdaoStore

/// The installation's working-day calendar, cached in memory. Each use checks a one-row fingerprint
/// of the stored years, so a year imported through another instance (or the CLI) is picked up
/// without a restart.
public final class CalendarProvider: Sendable {
    private let cache = Mutex<(version: CalendarStore.Version, calendar: WorkCalendar)?>(nil)

    public init() {}

    public func current(on database: any Database) async throws -> WorkCalendar {
        let version = try await CalendarStore.version(on: database)
        if let cached = cache.withLock({ $0 }), cached.version == version { return cached.calendar }
        let calendar = try await CalendarStore.load(on: database)
        cache.withLock { $0 = (version, calendar) }
        return calendar
    }
}
