import Foundation

// Appointments (预约咨询, issue 20 item 5): a station or the review centre publishes slots — a day,
// a time, a number of seats — never on a day that is not a working day; an enterprise books a seat
// with its topic and may cancel until the cutoff; the desk records who came.

/// Where an appointment is held: a station (by its code) or the city's review centre.
public enum AppointmentDesk: Sendable, Hashable {
    case station(String)
    case reviewCentre

    /// The code a row keeps: the station's code, or `review-centre`.
    public var code: String {
        switch self {
        case .station(let code): code
        case .reviewCentre: Self.reviewCentreCode
        }
    }

    public static let reviewCentreCode = "review-centre"
    /// 上海市医疗器械化妆品审评核查中心, as pages name it.
    public static let reviewCentreName = "市审评核查中心"

    public init(code: String) {
        self = code == Self.reviewCentreCode ? .reviewCentre : .station(code)
    }
}

/// Where a booking stands.
public enum AppointmentStatus: String, LabelledCode {
    /// 已预约
    case booked
    /// 已取消
    case cancelled
    /// 已到场
    case attended
    /// 未到场
    case absent

    public var label: String {
        switch self {
        case .booked: "已预约"
        case .cancelled: "已取消"
        case .attended: "已到场"
        case .absent: "未到场"
        }
    }
}

/// A time of day `HH:MM` (minutes after midnight), as a slot starts and ends.
public struct TimeOfDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let minutes: Int

    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let hours = Int(parts[0]), let minutes = Int(parts[1]),
            (0...23).contains(hours), (0...59).contains(minutes)
        else { return nil }
        self.minutes = hours * 60 + minutes
    }

    public var description: String {
        let hours = minutes / 60, rest = minutes % 60
        return (hours < 10 ? "0" : "") + "\(hours):" + (rest < 10 ? "0" : "") + "\(rest)"
    }

    public static func < (lhs: TimeOfDay, rhs: TimeOfDay) -> Bool { lhs.minutes < rhs.minutes }
}

public enum AppointmentRules {
    /// The last day a slot on `day` may be booked or a booking cancelled: `cutoff` working days
    /// before it (the day itself when 0).
    public static func lastDay(for day: CivilDate, cutoff: Int, calendar: WorkCalendar) -> CivilDate {
        guard cutoff > 0 else { return day }
        return (try? calendar.shiftingWorkingDays(-cutoff, from: day, provisional: true).value) ?? day.adding(days: -cutoff)
    }

    /// Why a day cannot hold a slot (a weekend, a holiday by its name, a year whose holidays are not
    /// yet published), or nil for a working day; an adjusted working Saturday (调休) is a working day.
    public static func notWorking(_ day: CivilDate, calendar: WorkCalendar) -> String? {
        guard calendar.isPublished(day.year) else { return "\(day.year) 年节假日安排尚未发布" }
        guard let kind = try? calendar.day(day).kind else { return "日期超出日历范围" }
        switch kind {
        case .workday, .adjustedWorkday: return nil
        case .weekend: return "周末"
        case .holiday(let name): return name.isEmpty ? "法定节假日" : name
        }
    }

    /// The days of a weekly pattern: every `weekday` (1 Monday … 7 Sunday) from `from` through `to`
    /// that is a working day, and the ones left out with the reason.
    public static func days(weekday: Int, from: CivilDate, through to: CivilDate, calendar: WorkCalendar) -> (
        days: [CivilDate], skipped: [(day: CivilDate, reason: String)]
    ) {
        var days: [CivilDate] = [], skipped: [(day: CivilDate, reason: String)] = []
        guard (1...7).contains(weekday), from <= to else { return ([], []) }
        var day = from.adding(days: (weekday - from.weekday + 7) % 7)
        while day <= to {
            if let reason = notWorking(day, calendar: calendar) { skipped.append((day, reason)) } else { days.append(day) }
            day = day.adding(days: 7)
        }
        return (days, skipped)
    }
}
