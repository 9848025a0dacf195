/// One year's official schedule (国务院办公厅关于 YYYY 年部分节假日安排的通知): the statutory holidays
/// and the adjusted working days (调休) that pay for them.
public struct HolidaySchedule: Sendable, Equatable {
    /// A block of consecutive days off, weekends inside it included.
    public struct Holiday: Sendable, Equatable {
        public var name: String
        public var first: CivilDate
        public var last: CivilDate

        public init(name: String, first: CivilDate, last: CivilDate) {
            self.name = name
            self.first = first
            self.last = last
        }

        public var dates: [CivilDate] { (first.dayNumber...last.dayNumber).map(CivilDate.init(dayNumber:)) }
    }

    /// A weekend day worked instead, named for the holiday it serves.
    public struct AdjustedWorkday: Sendable, Equatable {
        public var date: CivilDate
        public var name: String

        public init(date: CivilDate, name: String) {
            self.date = date
            self.name = name
        }
    }

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case dateOutsideYear(CivilDate, year: Int)
        case invertedRange(first: CivilDate, last: CivilDate)
        case adjustedWorkdayNotOnWeekend(CivilDate)
        case bothHolidayAndWorkday(CivilDate)
        case overlappingHolidays(CivilDate)
        case duplicateWorkday(CivilDate)
        case emptyName(CivilDate)

        public var description: String {
            switch self {
            case .dateOutsideYear(let date, let year): "\(date) is not in \(year)"
            case .invertedRange(let first, let last): "the range \(first)..\(last) ends before it starts"
            case .adjustedWorkdayNotOnWeekend(let date): "adjusted working day \(date) is not a Saturday or Sunday"
            case .bothHolidayAndWorkday(let date): "\(date) is both a holiday and an adjusted working day"
            case .overlappingHolidays(let date): "\(date) belongs to two holidays"
            case .duplicateWorkday(let date): "adjusted working day \(date) is listed twice"
            case .emptyName(let date): "the entry for \(date) has no name"
            }
        }

        /// The same, in Chinese.
        public var chinese: String {
            switch self {
            case .dateOutsideYear(let date, let year): "\(date) 不在 \(year) 年内"
            case .invertedRange(let first, let last): "日期区间 \(first)..\(last) 的结束早于开始"
            case .adjustedWorkdayNotOnWeekend(let date): "调休上班日 \(date) 不是周六或周日"
            case .bothHolidayAndWorkday(let date): "\(date) 既是节假日又是调休上班日"
            case .overlappingHolidays(let date): "\(date) 属于两个节假日"
            case .duplicateWorkday(let date): "调休上班日 \(date) 重复"
            case .emptyName(let date): "\(date) 的条目缺少名称"
            }
        }
    }

    public let year: Int
    public let holidays: [Holiday]
    public let adjustedWorkdays: [AdjustedWorkday]

    /// Validates the schedule: every date inside the year, adjusted working days on weekends, no
    /// date both off and on, no day in two holidays.
    public init(year: Int, holidays: [Holiday], adjustedWorkdays: [AdjustedWorkday]) throws(Problem) {
        var off: Set<CivilDate> = []
        for holiday in holidays {
            guard holiday.first <= holiday.last else { throw .invertedRange(first: holiday.first, last: holiday.last) }
            guard !holiday.name.isEmpty else { throw .emptyName(holiday.first) }
            for date in [holiday.first, holiday.last] where date.year != year { throw .dateOutsideYear(date, year: year) }
            for date in holiday.dates {
                guard off.insert(date).inserted else { throw .overlappingHolidays(date) }
            }
        }
        var on: Set<CivilDate> = []
        for workday in adjustedWorkdays {
            guard workday.date.year == year else { throw .dateOutsideYear(workday.date, year: year) }
            guard !workday.name.isEmpty else { throw .emptyName(workday.date) }
            guard workday.date.isWeekend else { throw .adjustedWorkdayNotOnWeekend(workday.date) }
            guard !off.contains(workday.date) else { throw .bothHolidayAndWorkday(workday.date) }
            guard on.insert(workday.date).inserted else { throw .duplicateWorkday(workday.date) }
        }
        self.year = year
        self.holidays = holidays.sorted { $0.first < $1.first }
        self.adjustedWorkdays = adjustedWorkdays.sorted { $0.date < $1.date }
    }
}
