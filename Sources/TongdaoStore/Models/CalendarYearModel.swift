import FluentKit
import Foundation

/// A row of `calendar_years`: one year's schedule in the schedule-file format.
public final class CalendarYearModel: Model, @unchecked Sendable {
    public static let schema = "calendar_years"

    @ID(custom: "year", generatedBy: .user) public var id: Int?
    /// The year's block in `HolidayScheduleFile` format.
    @Field(key: "schedule") public var schedule: String
    /// Where it came from: the imported file's name, or `api`.
    @Field(key: "source") public var source: String
    @Field(key: "imported_at") public var importedAt: Date

    public init() {}

    public init(year: Int, schedule: String, source: String, importedAt: Date) {
        self.id = year
        self.schedule = schedule
        self.source = source
        self.importedAt = importedAt
    }
}
