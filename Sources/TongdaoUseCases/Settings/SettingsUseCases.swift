import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

/// The installation's policy, changed by the platform administrator: the warning thresholds, the
/// holiday schedules of the working-day calendar, the versions of the procedure catalogue. Each
/// change is one transaction with its audit row.
public struct SettingsUseCases: Sendable {
    let platform: Platform

    // MARK: Warning thresholds

    /// The warning thresholds in force (any signed-in user may read them).
    public func warningPolicy() async throws -> WarningPolicy {
        try await DigestStore.warningPolicy(on: platform.database)
    }

    /// Replaces the warning thresholds: `settings.warnings`; a new amber threshold recomputes every
    /// open application's clock snapshot in the same transaction.
    @discardableResult
    public func setWarningPolicy(_ policy: WarningPolicy, by caller: Caller) async throws -> WarningPolicy {
        try caller.require(.writeProcedure)
        let problems = policy.problems()
        guard problems.isEmpty else { throw UseCaseError.invalid(problems) }
        let today = platform.clock.today()
        return try await platform.write(by: caller) { write in
            let before = try await DigestStore.warningPolicy(on: write.db)
            guard before != policy else { return policy }
            try await DigestStore.store(policy, replacing: before, today: today, on: write.db)
            try await write.audit(
                "settings.warnings", entityType: "settings", entityID: PlatformSetting.Key.warningPolicy, before: try Audit.json(before),
                after: try Audit.json(policy))
            return policy
        }
    }

    // MARK: Holiday schedules

    /// One holiday of a schedule as submitted: dates as typed.
    public struct HolidayInput: Sendable, Equatable {
        public var name: String
        public var first: String
        public var last: String

        public init(name: String, first: String, last: String) {
            self.name = name
            self.first = first
            self.last = last
        }
    }

    /// One adjusted working day (调休上班日) as submitted.
    public struct WorkdayInput: Sendable, Equatable {
        public var date: String
        public var name: String

        public init(date: String, name: String) {
            self.date = date
            self.name = name
        }
    }

    /// Publishes (or replaces) a year's holiday schedule: `calendar.year.write` with the year's
    /// text before and after. Every instance picks it up on its next calendar question.
    public func publishYear(
        _ year: Int, holidays: [HolidayInput], adjustedWorkdays: [WorkdayInput], source: String, by caller: Caller
    ) async throws -> HolidaySchedule {
        try caller.require(.writeCalendarYear)
        guard CivilDate.supportedYears.contains(year) else {
            throw UseCaseError.malformed([FieldProblem("year", "must be between 1900 and 2999", chinese: "年份须在 1900–2999 之间")])
        }
        var problems: [FieldProblem] = []
        func date(_ text: String, _ field: String) -> CivilDate? {
            let value = CivilDate(text)
            if value == nil { problems.append(FieldProblem(field, "must be a date YYYY-MM-DD", chinese: "请填写日期（YYYY-MM-DD）")) }
            return value
        }
        var parsedHolidays: [HolidaySchedule.Holiday] = []
        for (index, holiday) in holidays.enumerated() {
            let first = date(holiday.first, "holidays[\(index)].first")
            let last = date(holiday.last, "holidays[\(index)].last")
            if let first, let last { parsedHolidays.append(.init(name: holiday.name, first: first, last: last)) }
        }
        var parsedWorkdays: [HolidaySchedule.AdjustedWorkday] = []
        for (index, workday) in adjustedWorkdays.enumerated() {
            if let day = date(workday.date, "adjustedWorkdays[\(index)].date") { parsedWorkdays.append(.init(date: day, name: workday.name)) }
        }
        guard problems.isEmpty else { throw UseCaseError.malformed(problems) }
        let schedule: HolidaySchedule
        do {
            schedule = try HolidaySchedule(year: year, holidays: parsedHolidays, adjustedWorkdays: parsedWorkdays)
        } catch {
            throw UseCaseError.invalid([
                FieldProblem(Self.field(for: error, holidays: parsedHolidays, workdays: parsedWorkdays), error.description, chinese: error.chinese)
            ])
        }
        try await store([schedule], source: source, by: caller)
        return schedule
    }

    /// Publishes the schedules of a file in the `holidays.txt` format (the `calendar import`
    /// command): all of them in one transaction, or none when a line is wrong (every bad line named).
    public func importYears(_ text: String, source: String, by caller: Caller) async throws -> [Int] {
        try caller.require(.writeCalendarYear)
        let schedules: [HolidaySchedule]
        do {
            schedules = try HolidayScheduleFile.parse(text)
        } catch {
            throw UseCaseError.invalid([FieldProblem("file", error.description, chinese: "节假日安排文件有误，未导入：\n\(error.description)")])
        }
        try await store(schedules, source: source, by: caller)
        return schedules.map(\.year).sorted()
    }

    private func store(_ schedules: [HolidaySchedule], source: String, by caller: Caller) async throws {
        try await platform.write(by: caller) { write in
            for schedule in schedules {
                let (before, after) = try await CalendarStore.store(schedule, source: source, now: write.now, on: write.db)
                try await write.audit(
                    "calendar.year.write", entityType: "calendar_year", entityID: String(schedule.year), before: before, after: after)
            }
        }
    }

    /// The request field a schedule problem is about.
    static func field(for problem: HolidaySchedule.Problem, holidays: [HolidaySchedule.Holiday], workdays: [HolidaySchedule.AdjustedWorkday])
        -> String
    {
        func holidayField(_ date: CivilDate) -> String? {
            if let index = holidays.firstIndex(where: { $0.first == date }) { return "holidays[\(index)].first" }
            if let index = holidays.firstIndex(where: { $0.last == date }) { return "holidays[\(index)].last" }
            return nil
        }
        func workdayField(_ date: CivilDate) -> String? {
            workdays.lastIndex { $0.date == date }.map { "adjustedWorkdays[\($0)].date" }
        }
        switch problem {
        case .dateOutsideYear(let date, _), .emptyName(let date):
            return holidayField(date) ?? workdayField(date) ?? "year"
        case .invertedRange(let first, _):
            return holidayField(first) ?? "holidays"
        case .overlappingHolidays(let date):
            return holidays.lastIndex { $0.first <= date && date <= $0.last }.map { "holidays[\($0)]" } ?? "holidays"
        case .adjustedWorkdayNotOnWeekend(let date), .bothHolidayAndWorkday(let date), .duplicateWorkday(let date):
            return workdayField(date) ?? "adjustedWorkdays"
        }
    }

    // MARK: Procedures

    /// The procedure catalogue: every procedure with its versions (public reference data).
    public func procedures() async throws -> [Procedure] {
        try await ProcedureStore.catalogue(on: platform.database)
    }

    /// Adds or replaces one version of an existing procedure: `procedure.write` with the definition
    /// before and after.
    public func saveProcedureVersion(_ version: ProcedureVersion, code: String, by caller: Caller) async throws {
        try caller.require(.writeProcedure)
        let problems = version.problems
        guard problems.isEmpty else { throw UseCaseError.invalid(problems) }
        try await platform.write(by: caller) { write in
            guard let (before, after) = try await ProcedureStore.store(version, code: code, on: write.db) else {
                throw UseCaseError.notFound(.procedure)
            }
            try await write.audit(
                "procedure.write", entityType: "procedure_version", entityID: "\(code)@\(version.version)", before: before, after: after)
        }
    }
}

extension Platform {
    public var settings: SettingsUseCases { SettingsUseCases(platform: self) }
}
