import Foundation
import Testing
import TongdaoCore

@Suite("CivilDate")
struct CivilDateTests {
    @Test("every day 1900–2999 agrees with Foundation's Gregorian calendar: components and weekday")
    func agreesWithFoundation() throws {
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = TimeZone(identifier: "UTC")!
        var date = try #require(gregorian.date(from: DateComponents(year: 1900, month: 1, day: 1)))
        var expectedDayNumber = try #require(CivilDate(year: 1900, month: 1, day: 1)).dayNumber
        while true {
            let parts = gregorian.dateComponents([.year, .month, .day, .weekday], from: date)
            guard parts.year! <= 2999 else { break }
            let civil = try #require(CivilDate(year: parts.year!, month: parts.month!, day: parts.day!))
            #expect(civil.dayNumber == expectedDayNumber)
            // Foundation: 1 = Sunday … 7 = Saturday; ISO: 1 = Monday … 7 = Sunday.
            #expect(civil.weekday == (parts.weekday! + 5) % 7 + 1)
            let back = CivilDate(dayNumber: expectedDayNumber)
            #expect(back.components == (parts.year!, parts.month!, parts.day!))
            expectedDayNumber += 1
            date = gregorian.date(byAdding: .day, value: 1, to: date)!
        }
        // Every day of the supported span was visited.
        let last = try #require(CivilDate(year: 2999, month: 12, day: 31))
        #expect(expectedDayNumber == last.dayNumber + 1)
    }

    @Test("1970-01-01 is day 0 and a Thursday")
    func epoch() {
        #expect(CivilDate(year: 1970, month: 1, day: 1)?.dayNumber == 0)
        #expect(CivilDate(year: 1970, month: 1, day: 1)?.weekday == 4)
    }

    @Test(
        "parsing accepts exactly YYYY-MM-DD of a real date",
        arguments: [
            ("2024-02-29", true), ("2023-02-29", false), ("2024-13-01", false), ("2024-1-01", false),
            ("24-01-01", false), ("2024/01/01", false), ("2024-01-01T00:00", false), ("１２３４-01-01", false),
            ("0999-01-01", false), ("3000-01-01", false), ("2026-12-31", true), ("", false),
        ])
    func parsing(text: String, valid: Bool) {
        #expect((CivilDate(text) != nil) == valid)
        if valid { #expect(CivilDate(text)?.description == text) }
    }
}
