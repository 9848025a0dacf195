import Foundation

/// The line format holiday schedules are shipped and imported in:
///
///     year 2026
///     holiday 2026-02-15..2026-02-23 春节
///     workday 2026-02-14 春节
///
/// A file is accepted whole or not at all: every offending line is reported, with its number.
public enum HolidayScheduleFile {
    public struct LineError: Error, Equatable, Sendable, CustomStringConvertible {
        public var line: Int
        public var message: String

        public init(line: Int, message: String) {
            self.line = line
            self.message = message
        }

        public var description: String { "line \(line): \(message)" }
    }

    public struct Rejected: Error, Equatable, Sendable, CustomStringConvertible {
        public var errors: [LineError]
        public var description: String { errors.map(\.description).joined(separator: "\n") }
    }

    private struct Draft {
        var year: Int
        var line: Int
        var holidays: [(HolidaySchedule.Holiday, line: Int)] = []
        var workdays: [(HolidaySchedule.AdjustedWorkday, line: Int)] = []
    }

    public static func parse(_ text: String) throws(Rejected) -> [HolidaySchedule] {
        var errors: [LineError] = []
        var drafts: [Draft] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true).map(String.init)
            func fail(_ message: String) { errors.append(LineError(line: number, message: message)) }
            switch fields[0] {
            case "year":
                guard fields.count == 2, let year = Int(fields[1]), CivilDate.supportedYears.contains(year) else {
                    fail("expected `year YYYY`"); continue
                }
                if let earlier = drafts.first(where: { $0.year == year }) {
                    fail("year \(year) already started on line \(earlier.line)"); continue
                }
                drafts.append(Draft(year: year, line: number))
            case "holiday", "workday":
                guard fields.count == 3, !fields[2].trimmingCharacters(in: .whitespaces).isEmpty else {
                    fail("expected `\(fields[0]) YYYY-MM-DD\(fields[0] == "holiday" ? "[..YYYY-MM-DD]" : "") NAME`"); continue
                }
                guard !drafts.isEmpty else { fail("`\(fields[0])` before any `year` line"); continue }
                let year = drafts[drafts.count - 1].year
                let name = fields[2].trimmingCharacters(in: .whitespaces)
                let bounds = fields[1].components(separatedBy: "..")
                let dates = bounds.map { CivilDate($0) }
                guard (1...(fields[0] == "holiday" ? 2 : 1)).contains(bounds.count), dates.allSatisfy({ $0 != nil }) else {
                    fail("`\(fields[1])` is not a date (YYYY-MM-DD)\(fields[0] == "holiday" ? " or a range (YYYY-MM-DD..YYYY-MM-DD)" : "")"); continue
                }
                let first = dates[0]!, last = dates[dates.count - 1]!
                guard first.year == year, last.year == year else { fail("\(fields[1]) is not in \(year)"); continue }
                if fields[0] == "holiday" {
                    guard first <= last else { fail("the range \(fields[1]) ends before it starts"); continue }
                    drafts[drafts.count - 1].holidays.append((.init(name: name, first: first, last: last), number))
                } else {
                    guard first.isWeekend else { fail("adjusted working day \(first) is not a Saturday or Sunday"); continue }
                    drafts[drafts.count - 1].workdays.append((.init(date: first, name: name), number))
                }
            default:
                fail("unknown entry `\(fields[0])`: expected year, holiday or workday")
            }
        }
        // Checks across lines, reported on the later line.
        var schedules: [HolidaySchedule] = []
        for draft in drafts {
            var offLine: [CivilDate: Int] = [:]
            for (holiday, line) in draft.holidays {
                for date in holiday.dates {
                    if let earlier = offLine[date] {
                        errors.append(LineError(line: line, message: "\(date) is already a holiday on line \(earlier)"))
                        break
                    }
                    offLine[date] = line
                }
            }
            var onLine: [CivilDate: Int] = [:]
            for (workday, line) in draft.workdays {
                if let holidayLine = offLine[workday.date] {
                    errors.append(
                        LineError(line: line, message: "\(workday.date) is a holiday on line \(holidayLine) and cannot also be a working day"))
                } else if let earlier = onLine[workday.date] {
                    errors.append(LineError(line: line, message: "\(workday.date) is already listed on line \(earlier)"))
                }
                onLine[workday.date] = line
            }
            guard errors.isEmpty else { continue }
            do {
                schedules.append(try HolidaySchedule(year: draft.year, holidays: draft.holidays.map(\.0), adjustedWorkdays: draft.workdays.map(\.0)))
            } catch {
                errors.append(LineError(line: draft.line, message: error.description))
            }
        }
        if drafts.isEmpty && errors.isEmpty { errors.append(LineError(line: 1, message: "no `year` line: the file holds no schedule")) }
        guard errors.isEmpty else { throw Rejected(errors: errors.sorted { $0.line < $1.line }) }
        return schedules.sorted { $0.year < $1.year }
    }

    /// The file text for schedules; `parse(render(x)) == x`.
    public static func render(_ schedules: [HolidaySchedule]) -> String {
        schedules.sorted { $0.year < $1.year }.map { schedule in
            (["year \(schedule.year)"]
                + schedule.holidays.map { "holiday \($0.first)\($0.first == $0.last ? "" : "..\($0.last)") \($0.name)" }
                + schedule.adjustedWorkdays.map { "workday \($0.date) \($0.name)" }).joined(separator: "\n")
        }.joined(separator: "\n\n") + "\n"
    }

    /// The schedules shipped with Tongdao (2004–2026).
    public static func bundled() -> [HolidaySchedule] {
        guard let url = Bundle.module.url(forResource: "holidays", withExtension: "txt"),
            let text = try? String(contentsOf: url, encoding: .utf8),
            let schedules = try? parse(text)
        else {
            preconditionFailure("the bundled holiday schedule is missing or invalid; the tests check it")
        }
        return schedules
    }
}
