import FluentKit
import Foundation
import SQLKit
import TongdaoCore

/// The working-day calendar of this installation: the bundled schedules, with years added by an
/// administrator taking precedence.
public enum CalendarStore {
    /// Cheap fingerprint of the stored years, to tell whether a cached calendar is stale.
    public struct Version: Equatable, Sendable {
        public var count: Int
        public var latest: Date?
    }

    public static func version(on database: any Database) async throws -> Version {
        let count = try await CalendarYearModel.query(on: database).count()
        let latest = try await CalendarYearModel.query(on: database).max(\.$importedAt)
        return Version(count: count, latest: latest)
    }

    public static func load(on database: any Database) async throws -> WorkCalendar {
        var byYear = Dictionary(uniqueKeysWithValues: HolidayScheduleFile.bundled().map { ($0.year, $0) })
        for row in try await CalendarYearModel.query(on: database).all() {
            // Stored rows were validated on the way in; a row that no longer parses is a bug worth failing on.
            for schedule in try HolidayScheduleFile.parse(row.schedule) { byYear[schedule.year] = schedule }
        }
        return WorkCalendar(schedules: Array(byYear.values))
    }

    /// Stores a validated schedule (inside the caller's transaction), replacing a stored year of the
    /// same number; returns the schedule's text before (nil for a new year) and after.
    public static func store(_ schedule: HolidaySchedule, source: String, now: Date, on db: any Database) async throws -> (
        before: String?, after: String
    ) {
        let text = HolidayScheduleFile.render([schedule])
        let existing = try await CalendarYearModel.find(schedule.year, on: db)
        let before = existing?.schedule
        if let existing {
            existing.schedule = text
            existing.source = source
            existing.importedAt = now
            try await existing.update(on: db)
        } else {
            try await CalendarYearModel(year: schedule.year, schedule: text, source: source, importedAt: now).create(on: db)
        }
        return (before, text)
    }
}
