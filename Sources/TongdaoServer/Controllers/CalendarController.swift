import Fluent
import TongdaoCore
import Vapor

enum CalendarController {
    /// `GET /calendar?year=YYYY` — a year as month grids (the current year in Shanghai by default).
    @Sendable static func show(req: Request) async throws -> Response {
        let year: Int
        if let text = req.query[String.self, at: "year"] {
            guard let value = Int(text), CivilDate.supportedYears.contains(value) else {
                throw Abort(.badRequest, reason: "年份须为 \(CivilDate.supportedYears.lowerBound)–\(CivilDate.supportedYears.upperBound) 之间的整数")
            }
            year = value
        } else {
            year = ShanghaiClock.today().year
        }
        let calendar = try await req.application.calendars.current(on: req.db)
        return HTMLResponse.ok(CalendarPage.render(CalendarPage.Model(year: year, calendar: calendar), viewer: req.viewer))
    }
}

/// Today's date where the regulator works (UTC+8, no daylight saving).
public enum ShanghaiClock {
    public static func today(now: Date = Date()) -> CivilDate {
        CivilDate(dayNumber: Int((now.timeIntervalSince1970 + 8 * 3600) / 86_400))
    }

    /// The time of day in Shanghai (UTC+8, no daylight saving), as HH:mm:ss.
    public static func timeOfDay(_ instant: Date) -> String {
        let seconds = (Int(instant.timeIntervalSince1970.rounded(.down)) + 8 * 3600) % 86_400
        let parts = [seconds / 3600, seconds / 60 % 60, seconds % 60].map { $0 < 10 ? "0\($0)" : "\($0)" }
        return parts.joined(separator: ":")
    }
}
