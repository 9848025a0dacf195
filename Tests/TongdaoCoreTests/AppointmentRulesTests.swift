import Testing
import TongdaoCore

@Suite("Appointment slots: working days only (holidays out, adjusted Saturdays in), the cutoff counted back in working days")
struct AppointmentRulesTests {
    static let calendar = WorkCalendar.bundled

    static func day(_ text: String) -> CivilDate { CivilDate(text)! }

    @Test("a time of day is HH:MM")
    func times() {
        #expect(TimeOfDay("13:00")?.minutes == 780 && TimeOfDay("09:05")?.description == "09:05")
        for bad in ["9:00", "24:00", "13:60", "1300", "13:0a", ""] { #expect(TimeOfDay(bad) == nil, "\(bad)") }
        #expect(TimeOfDay("13:00")! < TimeOfDay("16:00")!)
    }

    @Test("a Friday in 2026 from mid-September: 中秋 and 国庆 left out with their names")
    func fridays() {
        let pattern = AppointmentRules.days(weekday: 5, from: Self.day("2026-09-14"), through: Self.day("2026-10-16"), calendar: Self.calendar)
        #expect(pattern.days == ["2026-09-18", "2026-10-09", "2026-10-16"].map(Self.day))
        #expect(pattern.skipped.map(\.day) == ["2026-09-25", "2026-10-02"].map(Self.day))
        #expect(pattern.skipped.map(\.reason) == ["中秋节", "国庆节"])
    }

    @Test("Saturdays in October 2026: only 10 October, worked for 国庆, holds a slot")
    func saturdays() {
        let pattern = AppointmentRules.days(weekday: 6, from: Self.day("2026-10-01"), through: Self.day("2026-10-31"), calendar: Self.calendar)
        #expect(pattern.days == [Self.day("2026-10-10")])
        #expect(pattern.skipped.map(\.reason) == ["国庆节", "周末", "周末", "周末"])
        #expect(AppointmentRules.notWorking(Self.day("2026-10-02"), calendar: Self.calendar) == "国庆节")
        #expect(AppointmentRules.notWorking(Self.day("2026-02-14"), calendar: Self.calendar) == nil, "春节's worked Saturday")
        #expect(AppointmentRules.notWorking(Self.day("2027-01-01"), calendar: Self.calendar) == "2027 年节假日安排尚未发布")
        #expect(
            AppointmentRules.days(weekday: 8, from: Self.day("2026-10-01"), through: Self.day("2026-10-31"), calendar: Self.calendar).days.isEmpty)
    }

    @Test("booking and cancelling close a working day before: Thursday for a Friday, the worked Saturday for a Monday, 30 September for 8 October")
    func cutoff() {
        #expect(AppointmentRules.lastDay(for: Self.day("2026-10-16"), cutoff: 1, calendar: Self.calendar) == Self.day("2026-10-15"))
        #expect(AppointmentRules.lastDay(for: Self.day("2026-10-12"), cutoff: 1, calendar: Self.calendar) == Self.day("2026-10-10"))
        #expect(AppointmentRules.lastDay(for: Self.day("2026-10-08"), cutoff: 1, calendar: Self.calendar) == Self.day("2026-09-30"))
        #expect(AppointmentRules.lastDay(for: Self.day("2026-10-08"), cutoff: 0, calendar: Self.calendar) == Self.day("2026-10-08"))
        #expect(AppointmentRules.lastDay(for: Self.day("2026-10-09"), cutoff: 2, calendar: Self.calendar) == Self.day("2026-09-30"))
    }
}

@Suite("A key variety's service plan: the steps in their order, each milestone due no earlier than the one of the step before it")
struct ServicePlanTests {
    static func milestone(_ step: ServiceStep, _ due: String) -> ServiceMilestone {
        ServiceMilestone(step: step, title: step.label, dueOn: CivilDate(due)!)
    }

    @Test("in order, in any order typed; a milestone due before its predecessor named; a step twice named")
    func order() {
        let plan = [
            Self.milestone(.review, "2027-09-30"), Self.milestone(.registrationTesting, "2027-03-31"), Self.milestone(.clinicalTrial, "2027-06-30"),
        ]
        #expect(ServiceMilestone.problems(plan).isEmpty, "typed out of order, due in order")
        let early = [Self.milestone(.registrationTesting, "2027-03-31"), Self.milestone(.clinicalTrial, "2027-02-28")]
        #expect(ServiceMilestone.problems(early).map(\.field) == ["milestones[1].dueOn"])
        #expect(ServiceMilestone.problems(early).first?.chinese.contains("不能早于前一环节“注册检验”（2027-03-31）") == true)
        let skipping = [Self.milestone(.productionLicence, "2027-01-31"), Self.milestone(.registrationTesting, "2027-03-31")]
        #expect(ServiceMilestone.problems(skipping).map(\.field) == ["milestones[0].dueOn"], "the licence before the testing it follows")
        let twice = [Self.milestone(.review, "2027-01-31"), Self.milestone(.review, "2027-03-31")]
        #expect(ServiceMilestone.problems(twice).map(\.field) == ["milestones[1].step"])
        let stored = ServiceMilestone.storedText(of: plan)
        #expect(ServiceMilestone.plan(storedText: stored) == plan)
    }
}
