import TongdaoCore
import TongdaoUseCases
import Vapor

enum CalendarController {
    /// `GET /calendar?year=YYYY` — a year as month grids (the current year in Shanghai by default).
    @Sendable static func show(req: Request) async throws -> Response {
        var year: Int?
        if let text = req.query[String.self, at: "year"] {
            // A text that is no number is as out of range as a year that is.
            year = Int(text) ?? Int.min
        }
        let reference = req.platform.reference
        let shown = try reference.calendarYear(year)
        return HTMLResponse.ok(CalendarPage.render(CalendarPage.Model(year: shown, calendar: try await reference.calendar()), viewer: req.viewer))
    }
}
