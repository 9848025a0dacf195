import Testing
import TongdaoCore

@Suite("Holiday schedule files")
struct HolidayScheduleFileTests {
    @Test("a good file parses into validated schedules")
    func good() throws {
        let text = """
            # 2027 (example)
            year 2027
            holiday 2027-01-01 元旦
            holiday 2027-02-06..2027-02-12 春节
            workday 2027-02-13 春节
            """
        let schedules = try HolidayScheduleFile.parse(text)
        #expect(schedules.count == 1)
        #expect(schedules[0].holidays.map(\.name) == ["元旦", "春节"])
        #expect(schedules[0].adjustedWorkdays == [.init(date: day("2027-02-13"), name: "春节")])
        let calendar = WorkCalendar(schedules: schedules)
        #expect(try calendar.day(day("2027-02-13")).kind == .adjustedWorkday(name: "春节"))
    }

    @Test("a bad file is rejected whole, every offending line named")
    func bad() {
        let text = """
            holiday 2027-01-01 元旦
            year 2027
            holiday 2027-02-30 春节
            holiday 2028-01-01 元旦
            workday 2027-02-10 春节
            holiday 2027-05-01..2027-05-05 劳动节
            workday 2027-05-02 劳动节
            festival 2027-06-01 儿童节
            holiday 2027-10-07..2027-10-01 国庆节
            year 2027
            """
        #expect {
            try HolidayScheduleFile.parse(text)
        } throws: { error in
            guard let rejected = error as? HolidayScheduleFile.Rejected else { return false }
            return rejected.errors.map(\.line) == [1, 3, 4, 5, 7, 8, 9, 10]
                && rejected.errors[3].message == "adjusted working day 2027-02-10 is not a Saturday or Sunday"
                && rejected.errors[4].message.contains("is a holiday on line 6")
        }
    }

    @Test("an empty file is not a schedule")
    func empty() {
        #expect(throws: HolidayScheduleFile.Rejected.self) { try HolidayScheduleFile.parse("# nothing\n") }
    }

    @Test("HolidaySchedule validates on its own too")
    func scheduleValidation() {
        #expect(throws: HolidaySchedule.Problem.adjustedWorkdayNotOnWeekend(day("2027-02-10"))) {
            try HolidaySchedule(year: 2027, holidays: [], adjustedWorkdays: [.init(date: day("2027-02-10"), name: "春节")])
        }
        #expect(throws: HolidaySchedule.Problem.dateOutsideYear(day("2028-01-01"), year: 2027)) {
            try HolidaySchedule(year: 2027, holidays: [.init(name: "元旦", first: day("2028-01-01"), last: day("2028-01-01"))], adjustedWorkdays: [])
        }
        #expect(throws: HolidaySchedule.Problem.bothHolidayAndWorkday(day("2027-02-06"))) {
            try HolidaySchedule(
                year: 2027, holidays: [.init(name: "春节", first: day("2027-02-06"), last: day("2027-02-12"))],
                adjustedWorkdays: [.init(date: day("2027-02-06"), name: "春节")])
        }
    }
}
