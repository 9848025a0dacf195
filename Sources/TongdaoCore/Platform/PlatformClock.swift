import Foundation

/// The platform's one clock: the current instant, and today's date where the regulator works
/// (Asia/Shanghai). The application, the use cases and the jobs are given one; the system clock is
/// read here and nowhere else.
///
/// A clock is the system clock shifted by a fixed offset, so it runs at the real pace: a test (or a
/// demonstration) starts it on a day of its choosing and still sees time pass, which keeps
/// time-ordered ids in order and lifetimes (sessions, tokens, the sign-in throttle) meaningful.
public struct PlatformClock: Sendable, Equatable, CustomStringConvertible {
    /// Seconds added to the system clock: 0 for the real time.
    public let offset: TimeInterval

    private init(offset: TimeInterval) {
        self.offset = offset
    }

    /// The real time.
    public static let system = PlatformClock(offset: 0)

    /// A clock that reads `instant` now and runs on from there.
    public static func starting(at instant: Date) -> PlatformClock {
        PlatformClock(offset: instant.timeIntervalSince(Date()))
    }

    /// A clock that reads noon of `day` in Shanghai now (far from either midnight, so a test's day
    /// does not change under it).
    public static func starting(on day: CivilDate) -> PlatformClock {
        starting(at: ShanghaiTime.start(of: day).addingTimeInterval(12 * 3600))
    }

    /// The current instant.
    public func now() -> Date {
        Date().addingTimeInterval(offset)
    }

    /// Today in Shanghai.
    public func today() -> CivilDate {
        ShanghaiTime.day(of: now())
    }

    public var description: String {
        offset == 0 ? "the system clock" : "the system clock shifted to \(ShanghaiTime.dateTime(now()))"
    }
}

/// Instants as Shanghai reads them: UTC+8 all year (China keeps no daylight saving time).
public enum ShanghaiTime {
    /// Seconds east of UTC.
    public static let offset = 8 * 3600

    /// The Shanghai day an instant falls on.
    public static func day(of instant: Date) -> CivilDate {
        CivilDate(dayNumber: Int(((instant.timeIntervalSince1970 + Double(offset)) / 86_400).rounded(.down)))
    }

    /// Midnight at the start of a Shanghai day.
    public static func start(of day: CivilDate) -> Date {
        Date(timeIntervalSince1970: TimeInterval(day.dayNumber * 86_400 - offset))
    }

    /// The time of day, `HH:mm:ss`.
    public static func timeOfDay(_ instant: Date) -> String {
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down)) + offset
        let inDay = (seconds % 86_400 + 86_400) % 86_400
        return [inDay / 3600, inDay / 60 % 60, inDay % 60].map { $0 < 10 ? "0\($0)" : "\($0)" }.joined(separator: ":")
    }

    /// The day and time of day, `2026-11-23 14:05:09`.
    public static func dateTime(_ instant: Date) -> String {
        "\(day(of: instant)) \(timeOfDay(instant))"
    }
}
