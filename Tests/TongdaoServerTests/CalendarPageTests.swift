import Testing
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

@Suite("The calendar page")
struct CalendarPageTests {
    @Test("2026 as month grids, holidays and adjusted working days marked, in Chinese")
    func year2026() async throws {
        try await withTongdao { app in
            try await app.testing().test(.GET, "/calendar?year=2026") { res in
                #expect(res.status == .ok)
                let html = res.body.string
                #expect(html.contains("<h1>2026 年工作日历</h1>"))
                #expect(html.contains(#"<td class="day holiday" title="春节">17<span class="day-note">休</span></td>"#))
                #expect(html.contains(#"<td class="day adjusted" title="春节 调休上班">14<span class="day-note">班</span></td>"#))
                // February 2026: 20 weekdays − 6 holiday weekdays (16–20, 23 Feb) + Sat 14 and Sat 28 Feb = 16.
                #expect(html.contains("2 月 · 工作日 16 天"))
                #expect(html.contains(#"<a class="nav-link is-current" href="/calendar" aria-current="page">工作日历</a>"#))
                try HTMLSnapshot.assertMatches(html, named: "calendar-2026")
            }
        }
    }

    @Test("an unpublished year says its answers are provisional")
    func unpublished() async throws {
        try await withTongdao { app in
            try await app.testing().test(.GET, "/calendar?year=2027") { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("2027 年节假日安排尚未发布"))
            }
        }
    }

    @Test("a year that is not a year is a 400 page", arguments: ["abc", "1800", "2026.5"])
    func badYear(year: String) async throws {
        try await withTongdao { app in
            try await app.testing().test(.GET, "/calendar?year=\(year)") { res in
                #expect(res.status == .badRequest)
                #expect(res.body.string.contains("年份须为 1900–2999 之间的整数"))
            }
        }
    }
}
