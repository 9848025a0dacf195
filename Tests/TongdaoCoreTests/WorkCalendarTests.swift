import Foundation
import Testing
import TongdaoCore

/// A date literal for tests: crashes on a typo rather than silently testing nothing.
func day(_ text: String) -> CivilDate {
    guard let date = CivilDate(text) else { preconditionFailure("bad test date \(text)") }
    return date
}

@Suite("The bundled holiday schedules")
struct BundledScheduleTests {
    @Test("2004–2026 are published, nothing else")
    func years() {
        #expect(WorkCalendar.bundled.publishedYears == Array(2004...2026))
        #expect(!WorkCalendar.bundled.isPublished(2027))
        #expect(!WorkCalendar.bundled.isPublished(2003))
    }

    /// DOMAIN.md §5, typed in by hand from the notices: holidays and adjusted working days.
    static let domain: [Int: (holidays: [String], workdays: [String])] = [
        2024: (
            ["01-01", "02-10..02-17", "04-04..04-06", "05-01..05-05", "06-10", "09-15..09-17", "10-01..10-07"],
            ["02-04", "02-18", "04-07", "04-28", "05-11", "09-14", "09-29", "10-12"]
        ),
        2025: (
            ["01-01", "01-28..02-04", "04-04..04-06", "05-01..05-05", "05-31..06-02", "10-01..10-08"],
            ["01-26", "02-08", "04-27", "09-28", "10-11"]
        ),
        2026: (
            ["01-01..01-03", "02-15..02-23", "04-04..04-06", "05-01..05-05", "06-19..06-21", "09-25..09-27", "10-01..10-07"],
            ["01-04", "02-14", "02-28", "05-09", "09-20", "10-10"]
        ),
    ]

    @Test("2024, 2025 and 2026 match DOMAIN.md day for day", arguments: [2024, 2025, 2026])
    func matchesDomain(year: Int) throws {
        let expected = try #require(Self.domain[year])
        var off: Set<CivilDate> = []
        for range in expected.holidays {
            let bounds = range.components(separatedBy: "..")
            let first = day("\(year)-\(bounds[0])"), last = day("\(year)-\(bounds.last!)")
            for n in first.dayNumber...last.dayNumber { off.insert(CivilDate(dayNumber: n)) }
        }
        let on = Set(expected.workdays.map { day("\(year)-\($0)") })
        let calendar = WorkCalendar.bundled
        var date = day("\(year)-01-01")
        while date.year == year {
            let answer = try calendar.day(date)
            let expectWorking = on.contains(date) || (!date.isWeekend && !off.contains(date))
            #expect(answer.isWorkingDay == expectWorking, "\(date)")
            if off.contains(date) { #expect(answer.kind != .workday && answer.kind != .weekend, "\(date) should be a holiday") }
            if on.contains(date) { #expect(answer.kind == .adjustedWorkday(name: answer.kind.name ?? ""), "\(date) should be adjusted") }
            date = date.adding(days: 1)
        }
    }

    @Test("holidays and adjusted days carry their Chinese names")
    func names() throws {
        let calendar = WorkCalendar.bundled
        #expect(try calendar.day(day("2026-02-17")).kind == .holiday(name: "春节"))
        #expect(try calendar.day(day("2026-02-14")).kind == .adjustedWorkday(name: "春节"))
        #expect(try calendar.day(day("2025-10-08")).kind == .holiday(name: "国庆节"))
        #expect(try calendar.day(day("2015-09-03")).kind == .holiday(name: "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日"))
        #expect(try calendar.day(day("2020-02-02")).kind == .holiday(name: "春节"), "the 2020 extension")
        #expect(try calendar.day(day("2026-03-02")).kind == .workday)
        #expect(try calendar.day(day("2026-03-01")).kind == .weekend)
    }

    @Test("the shipped file survives a render and parse round trip")
    func roundTrip() throws {
        let schedules = WorkCalendar.bundled.schedules
        #expect(try HolidayScheduleFile.parse(HolidayScheduleFile.render(schedules)) == schedules)
    }
}

extension WorkCalendar.DayKind {
    var name: String? {
        switch self {
        case .holiday(let name), .adjustedWorkday(let name): name
        case .workday, .weekend: nil
        }
    }
}

@Suite("Working-day arithmetic")
struct WorkCalendarTests {
    let calendar = WorkCalendar.bundled

    // Worked by hand from the 2026 notice: Fri 13 Feb is a working day; Sat 14 Feb is an adjusted
    // working day; 15–23 Feb is the Spring Festival holiday; Tue 24 Feb is the next working day.
    @Test("across the 2026 Spring Festival")
    func springFestival2026() throws {
        #expect(try calendar.addingWorkingDays(1, to: day("2026-02-13")).value == day("2026-02-14"))
        #expect(try calendar.addingWorkingDays(2, to: day("2026-02-13")).value == day("2026-02-24"))
        #expect(try calendar.workingDays(from: day("2026-02-13"), to: day("2026-02-24")).value == 2)
        // The start day is not counted (民法典 Art. 201): from Sat 14 Feb, the first working day is 24 Feb.
        #expect(try calendar.addingWorkingDays(1, to: day("2026-02-14")).value == day("2026-02-24"))
    }

    // 2025 National Day and Mid-Autumn: 1–8 Oct off; Thu 9, Fri 10 and the adjusted Sat 11 Oct work.
    @Test("across the 2025 National Day")
    func nationalDay2025() throws {
        #expect(try calendar.workingDays(from: day("2025-09-30"), to: day("2025-10-11")).value == 3)
        #expect(try calendar.addingWorkingDays(3, to: day("2025-09-30")).value == day("2025-10-11"))
        #expect(try calendar.addingWorkingDays(4, to: day("2025-09-30")).value == day("2025-10-13"))
    }

    // 60 working days after acceptance on Mon 2 Sep 2024 (a Class II technical review). September
    // after the 2nd: 3–6 (4), 9–13 (5), Sat 14 adjusted (1), 18–20 (3; 16–17 Mid-Autumn), 23–27 (5),
    // Sun 29 adjusted (1), Mon 30 (1) = 20. October: 1–7 National Day; 8–11 (4), Sat 12 adjusted (1),
    // 14–18 (5), 21–25 (5), 28–31 (4) = 19, so 39 by 31 Oct. November: Fri 1 (1) and four full weeks
    // (20) = 21, so the 60th working day is Fri 29 Nov 2024.
    @Test("a 60-working-day review limit from 2 September 2024")
    func reviewLimit() throws {
        #expect(try calendar.workingDays(from: day("2024-09-02"), to: day("2024-09-30")).value == 20)
        #expect(try calendar.workingDays(from: day("2024-09-02"), to: day("2024-10-31")).value == 39)
        #expect(try calendar.addingWorkingDays(60, to: day("2024-09-02")).value == day("2024-11-29"))
    }

    @Test("between is antisymmetric and zero on the same day")
    func betweenProperties() throws {
        #expect(try calendar.workingDays(from: day("2025-01-01"), to: day("2025-01-01")).value == 0)
        let forward = try calendar.workingDays(from: day("2024-01-01"), to: day("2025-12-31")).value
        let backward = try calendar.workingDays(from: day("2025-12-31"), to: day("2024-01-01")).value
        #expect(forward == -backward)
        // 2024: 262 weekdays − 19 holiday weekdays + 8 adjusted = 251; 2025: 261 − 18 + 5 = 248. The
        // excluded start, 1 Jan 2024, is a holiday, so it removes nothing.
        #expect(forward == 251 + 248)
    }

    @Test("a year with no published schedule is refused, or answered provisionally on request")
    func unpublishedYear() throws {
        #expect(throws: WorkCalendar.Problem.scheduleNotPublished(year: 2027)) { try calendar.day(day("2027-01-04")) }
        #expect(throws: WorkCalendar.Problem.scheduleNotPublished(year: 2027)) {
            try calendar.addingWorkingDays(30, to: day("2026-12-15"))
        }
        #expect(throws: WorkCalendar.Problem.scheduleNotPublished(year: 2027)) {
            try calendar.workingDays(from: day("2026-12-01"), to: day("2027-01-31"))
        }
        // Provisional: weekends only in 2027. 2026-12-31 is a Thursday; 1 Jan 2027 a Friday.
        let provisional = try calendar.addingWorkingDays(2, to: day("2026-12-31"), provisional: true)
        #expect(provisional == .init(value: day("2027-01-04"), provisional: true))
        #expect(try calendar.day(day("2027-01-01"), provisional: true) == .init(date: day("2027-01-01"), kind: .workday, provisional: true))
        // Entirely inside published years, the answer is not provisional even when allowed.
        #expect(try calendar.addingWorkingDays(2, to: day("2026-02-13"), provisional: true).provisional == false)
    }

    @Test("negative counts and unsupported years are refused")
    func refusals() {
        #expect(throws: WorkCalendar.Problem.negativeCount(-1)) { try calendar.addingWorkingDays(-1, to: day("2025-01-02")) }
        #expect(throws: WorkCalendar.Problem.self) { try calendar.addingWorkingDays(300_000, to: day("2025-01-02"), provisional: true) }
    }

    /// Day-by-day reference: what the prefix tables must agree with.
    static func referenceAdd(_ calendar: WorkCalendar, _ days: Int, to from: CivilDate) throws -> CivilDate {
        var date = from, left = days
        while left > 0 {
            date = date.adding(days: 1)
            if try calendar.day(date, provisional: true).isWorkingDay { left -= 1 }
        }
        return date
    }

    static func referenceBetween(_ calendar: WorkCalendar, _ from: CivilDate, _ to: CivilDate) throws -> Int {
        let (low, high, sign) = from <= to ? (from, to, 1) : (to, from, -1)
        var count = 0
        var date = low.adding(days: 1)
        while date <= high {
            if try calendar.day(date, provisional: true).isWorkingDay { count += 1 }
            date = date.adding(days: 1)
        }
        return sign * count
    }

    @Test("5,000 random add and between questions agree with day-by-day counting, inside and around 2004–2026")
    func randomAgainstReference() throws {
        var generator = SplitMix64(seed: 20_261_123)
        let low = day("2000-01-01").dayNumber, high = day("2030-12-31").dayNumber
        for _ in 0..<5_000 {
            let from = CivilDate(dayNumber: Int.random(in: low...high, using: &generator))
            let to = CivilDate(dayNumber: Int.random(in: low...high, using: &generator))
            let days = Int.random(in: 0...400, using: &generator)
            let added = try calendar.addingWorkingDays(days, to: from, provisional: true)
            #expect(added.value == (days == 0 ? from : try Self.referenceAdd(calendar, days, to: from)), "add \(days) to \(from)")
            let between = try calendar.workingDays(from: from, to: to, provisional: true)
            #expect(between.value == (try Self.referenceBetween(calendar, from, to)), "between \(from) and \(to)")
            let touchesUnpublished = (min(from.year, to.year)...max(from.year, to.year)).contains { !calendar.isPublished($0) }
            #expect(between.provisional == touchesUnpublished)
        }
    }
}
