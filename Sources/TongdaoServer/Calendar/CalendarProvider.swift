import Fluent
import Synchronization
import TongdaoCore
import TongdaoStore
import Vapor

/// The installation's working-day calendar, cached in memory. Each use checks a one-row fingerprint
/// of the stored years, so a year imported through another instance (or the CLI) is picked up
/// without a restart.
final class CalendarProvider: Sendable {
    private let cache = Mutex<(version: CalendarStore.Version, calendar: WorkCalendar)?>(nil)

    func current(on database: any Database) async throws -> WorkCalendar {
        let version = try await CalendarStore.version(on: database)
        if let cached = cache.withLock({ $0 }), cached.version == version { return cached.calendar }
        let calendar = try await CalendarStore.load(on: database)
        cache.withLock { $0 = (version, calendar) }
        return calendar
    }
}

extension Application {
    private struct CalendarProviderKey: StorageKey { typealias Value = CalendarProvider }

    var calendars: CalendarProvider {
        if let provider = storage[CalendarProviderKey.self] { return provider }
        let provider = CalendarProvider()
        storage[CalendarProviderKey.self] = provider
        return provider
    }
}

extension ProblemDetails {
    /// The answer to a calendar question that cannot be answered as asked.
    static func calendar(_ problem: WorkCalendar.Problem, field: String) -> ProblemDetails {
        switch problem {
        case .scheduleNotPublished(let year):
            var details = ProblemDetails(
                type: typeURI("calendar/schedule-not-published"), title: "Holiday schedule not published",
                status: .unprocessableEntity,
                detail:
                    "The State Council holiday schedule for \(year) is not loaded, so working days in \(year) are not known. Pass provisional=true to count weekends only."
            )
            details.year = year
            return details
        case .dateOutOfRange, .negativeCount:
            return .badRequest(field: field, problem.description)
        }
    }

    /// Parses a `YYYY-MM-DD` parameter or names it in a 400.
    static func date(_ text: String, field: String) throws(ProblemDetails) -> CivilDate {
        guard let date = CivilDate(text) else {
            throw .badRequest(
                field: field,
                "must be a date YYYY-MM-DD between \(CivilDate.supportedYears.lowerBound) and \(CivilDate.supportedYears.upperBound), not \(text.prefix(40))"
            )
        }
        return date
    }
}
