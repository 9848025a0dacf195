import Foundation
import Testing
import TongdaoCore

@Suite("The platform's one clock")
struct PlatformClockTests {
    @Test("a clock started on a day reads that day in Shanghai, and time passes on it")
    func startedOnADay() async throws {
        let clock = PlatformClock.starting(on: CivilDate("2026-11-23")!)
        #expect(clock.today() == CivilDate("2026-11-23")!)
        #expect(ShanghaiTime.timeOfDay(clock.now()).hasPrefix("12:00"))
        let first = clock.now()
        try await Task.sleep(for: .milliseconds(20))
        #expect(clock.now() > first, "the clock runs at the real pace")
        #expect(PlatformClock.system.offset == 0)
    }

    @Test("Shanghai's day starts at 16:00 UTC the day before")
    func shanghaiDays() {
        let midnight = ShanghaiTime.start(of: CivilDate("2026-01-01")!)
        #expect(midnight == Date(timeIntervalSince1970: 1_767_196_800))
        #expect(ShanghaiTime.day(of: midnight) == CivilDate("2026-01-01")!)
        #expect(ShanghaiTime.day(of: midnight.addingTimeInterval(-1)) == CivilDate("2025-12-31")!)
        #expect(ShanghaiTime.dateTime(midnight.addingTimeInterval(3_723)) == "2026-01-01 01:02:03")
    }
}

@Suite("Shanghai's day, held to Foundation's Asia/Shanghai time zone")
struct ShanghaiTimeTests {
    @Test("every hour of two years falls on the day Foundation's calendar in Asia/Shanghai gives")
    func agreesWithFoundation() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let start = Date(timeIntervalSince1970: 1_735_660_800)  // 2024-12-31T16:00:00Z
        for hour in stride(from: 0, to: 2 * 366 * 24, by: 7) {
            let instant = start.addingTimeInterval(TimeInterval(hour * 3600 + 59))
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: instant)
            let expected = String(
                format: "%04d-%02d-%02d %02d:%02d:%02d", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!, parts.second!)
            #expect(ShanghaiTime.dateTime(instant) == expected)
        }
    }
}
