/// Chinese working days (DOMAIN.md §5): a day is a working day iff it is Monday–Friday and not a
/// statutory holiday, or it is an adjusted working day. Built from published schedules; a question
/// that reaches into a year with no published schedule is refused unless the caller accepts a
/// provisional answer (weekends only), which then says so.
///
/// Every question is answered in O(1): a prefix count of working days over the published span,
/// its inverse (the index of the k-th working day), and closed-form weekday counting outside it.
public struct WorkCalendar: Sendable {
    public enum DayKind: Sendable, Equatable {
        /// 工作日
        case workday
        /// 周末
        case weekend
        /// 法定节假日
        case holiday(name: String)
        /// 调休上班
        case adjustedWorkday(name: String)

        public var isWorkingDay: Bool {
            switch self {
            case .workday, .adjustedWorkday: true
            case .weekend, .holiday: false
            }
        }
    }

    public struct Day: Sendable, Equatable {
        public var date: CivilDate
        public var kind: DayKind
        /// True when the date's year has no published schedule and only weekends were considered.
        public var provisional: Bool
        public var isWorkingDay: Bool { kind.isWorkingDay }

        public init(date: CivilDate, kind: DayKind, provisional: Bool) {
            self.date = date
            self.kind = kind
            self.provisional = provisional
        }
    }

    /// A computed date, marked provisional when an unpublished year was crossed.
    public struct Answer<Value: Sendable & Equatable>: Sendable, Equatable {
        public var value: Value
        public var provisional: Bool

        public init(value: Value, provisional: Bool) {
            self.value = value
            self.provisional = provisional
        }
    }

    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        /// The State Council has not published (or the platform has not loaded) this year's schedule.
        case scheduleNotPublished(year: Int)
        case dateOutOfRange(CivilDate)
        case negativeCount(Int)

        public var description: String {
            switch self {
            case .scheduleNotPublished(let year): "the holiday schedule for \(year) is not published"
            case .dateOutOfRange(let date):
                "\(date) is outside the supported years \(CivilDate.supportedYears.lowerBound)–\(CivilDate.supportedYears.upperBound)"
            case .negativeCount(let count): "the number of working days must not be negative (\(count))"
            }
        }
    }

    // MARK: Tables

    public let schedules: [HolidaySchedule]
    /// Day number of the first and last day of the span the tables cover (published years, whole).
    private let spanStart: Int
    private let spanEnd: Int
    /// `prefix[i]`: working days in [spanStart, spanStart + i].
    private let prefix: [Int32]
    /// `nth[k]`: offset from spanStart of the (k+1)-th working day of the span.
    private let nth: [Int32]
    /// Per day of the span: 0 weekday, 1 weekend, 2 holiday, 3 adjusted working day; names separately.
    private let kinds: [UInt8]
    private let names: [Int: String]
    /// `publishedThrough[y - minYear]`: published years in [minYear, y]; answers "is every year in a range published?".
    private let publishedThrough: [Int32]
    private static let minYear = CivilDate.supportedYears.lowerBound
    /// A Monday before every supported date, the anchor of closed-form weekday counting.
    private static let anchor = CivilDate.dayNumber(year: 1899, month: 12, day: 25)

    public init(schedules: [HolidaySchedule]) {
        var byYear: [Int: HolidaySchedule] = [:]
        for schedule in schedules { byYear[schedule.year] = schedule }
        self.schedules = byYear.values.sorted { $0.year < $1.year }
        let years = self.schedules.map(\.year)
        let firstYear = years.first ?? 2000
        let lastYear = years.last ?? 1999
        spanStart = CivilDate.dayNumber(year: firstYear, month: 1, day: 1)
        spanEnd = years.isEmpty ? spanStart - 1 : CivilDate.dayNumber(year: lastYear, month: 12, day: 31)
        let length = spanEnd - spanStart + 1

        var kinds = [UInt8](repeating: 0, count: max(length, 0))
        var names: [Int: String] = [:]
        for offset in 0..<max(length, 0) where CivilDate(dayNumber: spanStart + offset).isWeekend { kinds[offset] = 1 }
        for schedule in self.schedules {
            for holiday in schedule.holidays {
                for date in holiday.dates {
                    kinds[date.dayNumber - spanStart] = 2
                    names[date.dayNumber] = holiday.name
                }
            }
            for workday in schedule.adjustedWorkdays {
                kinds[workday.date.dayNumber - spanStart] = 3
                names[workday.date.dayNumber] = workday.name
            }
        }
        // Years between published ones that are themselves unpublished count weekends only.
        var prefix = [Int32](repeating: 0, count: max(length, 0))
        var nth: [Int32] = []
        var running: Int32 = 0
        for offset in 0..<max(length, 0) {
            if kinds[offset] == 0 || kinds[offset] == 3 {
                running += 1
                nth.append(Int32(offset))
            }
            prefix[offset] = running
        }
        self.kinds = kinds
        self.names = names
        self.prefix = prefix
        self.nth = nth

        let published = Set(years)
        var through = [Int32](repeating: 0, count: CivilDate.supportedYears.count)
        var count: Int32 = 0
        for (index, year) in CivilDate.supportedYears.enumerated() {
            if published.contains(year) { count += 1 }
            through[index] = count
        }
        publishedThrough = through
    }

    /// The calendar of the schedules shipped with Tongdao.
    public static let bundled = WorkCalendar(schedules: HolidayScheduleFile.bundled())

    public var publishedYears: [Int] { schedules.map(\.year) }

    public func isPublished(_ year: Int) -> Bool {
        guard CivilDate.supportedYears.contains(year) else { return false }
        let index = year - Self.minYear
        return publishedThrough[index] - (index > 0 ? publishedThrough[index - 1] : 0) == 1
    }

    /// The first unpublished year in `years`, if any; O(1) unless one exists.
    private func firstUnpublished(in years: ClosedRange<Int>) -> Int? {
        let low = years.lowerBound - Self.minYear, high = years.upperBound - Self.minYear
        let published = publishedThrough[high] - (low > 0 ? publishedThrough[low - 1] : 0)
        guard published != Int32(years.count) else { return nil }
        return years.first { !isPublished($0) }
    }

    private func checkRange(_ date: CivilDate) throws(Problem) {
        guard CivilDate.supportedYears.contains(date.year) else { throw .dateOutOfRange(date) }
    }

    // MARK: Questions

    /// What kind of day `date` is.
    public func day(_ date: CivilDate, provisional allowProvisional: Bool = false) throws(Problem) -> Day {
        try checkRange(date)
        let offset = date.dayNumber - spanStart
        if isPublished(date.year) {
            let kind: DayKind =
                switch kinds[offset] {
                case 0: .workday
                case 1: .weekend
                case 2: .holiday(name: names[date.dayNumber] ?? "")
                default: .adjustedWorkday(name: names[date.dayNumber] ?? "")
                }
            return Day(date: date, kind: kind, provisional: false)
        }
        guard allowProvisional else { throw .scheduleNotPublished(year: date.year) }
        return Day(date: date, kind: date.isWeekend ? .weekend : .workday, provisional: true)
    }

    /// The number of working days in (from, to] — the start day is not counted (民法典 Art. 201).
    /// Negative when `to` is before `from`.
    public func workingDays(from: CivilDate, to: CivilDate, provisional allowProvisional: Bool = false) throws(Problem) -> Answer<Int> {
        try checkRange(from)
        try checkRange(to)
        let years = min(from.year, to.year)...max(from.year, to.year)
        let unpublished = firstUnpublished(in: years)
        if let unpublished, !allowProvisional { throw .scheduleNotPublished(year: unpublished) }
        return Answer(value: workingDaysThrough(to.dayNumber) - workingDaysThrough(from.dayNumber), provisional: unpublished != nil)
    }

    /// The `days`-th working day after `from` (from itself not counted); `from` when `days` is 0.
    public func addingWorkingDays(_ days: Int, to from: CivilDate, provisional allowProvisional: Bool = false) throws(Problem) -> Answer<CivilDate> {
        guard days >= 0 else { throw .negativeCount(days) }
        try checkRange(from)
        guard days > 0 else {
            let unpublished = !isPublished(from.year)
            if unpublished && !allowProvisional { throw .scheduleNotPublished(year: from.year) }
            return Answer(value: from, provisional: unpublished)
        }
        let result = CivilDate(dayNumber: dayNumber(ofWorkingDay: workingDaysThrough(from.dayNumber) + days))
        try checkRange(result)
        let unpublished = firstUnpublished(in: from.year...result.year)
        if let unpublished, !allowProvisional { throw .scheduleNotPublished(year: unpublished) }
        return Answer(value: result, provisional: unpublished != nil)
    }

    /// The working day `days` working days after `from` (before it when negative): the day D with
    /// `workingDays(from: from, to: D) == days` (for a negative count, `workingDays(from: D, to: from) == -days`);
    /// `from` when `days` is 0. A clock overdue before it stopped names its deadline this way.
    public func shiftingWorkingDays(_ days: Int, from: CivilDate, provisional allowProvisional: Bool = false) throws(Problem) -> Answer<CivilDate> {
        guard days < 0 else { return try addingWorkingDays(days, to: from, provisional: allowProvisional) }
        try checkRange(from)
        let result = CivilDate(dayNumber: dayNumber(ofWorkingDay: workingDaysThrough(from.dayNumber) + days))
        try checkRange(result)
        let unpublished = firstUnpublished(in: result.year...from.year)
        if let unpublished, !allowProvisional { throw .scheduleNotPublished(year: unpublished) }
        return Answer(value: result, provisional: unpublished != nil)
    }

    // MARK: The counting function and its inverse

    /// Working days in [spanStart, day] (negative before the span): monotone, so differences count
    /// working days between any two dates, and its inverse finds the n-th working day.
    @inline(__always)
    private func workingDaysThrough(_ day: Int) -> Int {
        if day < spanStart {
            return Self.weekdaysThrough(day) - Self.weekdaysThrough(spanStart - 1)
        }
        if day <= spanEnd {
            return Int(prefix[day - spanStart])
        }
        return nth.count + Self.weekdaysThrough(day) - Self.weekdaysThrough(spanEnd)
    }

    /// The day whose `workingDaysThrough` first reaches `k` (a working day).
    @inline(__always)
    private func dayNumber(ofWorkingDay k: Int) -> Int {
        if k <= 0 {
            return Self.dayNumber(ofWeekday: k + Self.weekdaysThrough(spanStart - 1))
        }
        if k <= nth.count {
            return spanStart + Int(nth[k - 1])
        }
        return Self.dayNumber(ofWeekday: k - nth.count + Self.weekdaysThrough(spanEnd))
    }

    /// Monday–Friday days in [anchor, day].
    @inline(__always)
    static func weekdaysThrough(_ day: Int) -> Int {
        let days = day - anchor + 1
        return days / 7 * 5 + min(days % 7, 5)
    }

    /// The k-th Monday–Friday day from the anchor (k ≥ 1).
    @inline(__always)
    static func dayNumber(ofWeekday k: Int) -> Int {
        anchor + (k - 1) / 5 * 7 + (k - 1) % 5
    }
}
