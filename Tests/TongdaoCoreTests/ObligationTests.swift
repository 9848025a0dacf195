import Testing
import TongdaoCore

@Suite("Conditional-approval obligations: amber and red, and when one is overdue (the registrant's evidence is what counts)")
struct ObligationTests {
    static let due = CivilDate("2026-12-10")!

    static func day(_ text: String) -> CivilDate { CivilDate(text)! }

    @Test("open: on track, amber from 30 days before the due date, red from the day after it")
    func open() {
        let open = Obligation(dueOn: Self.due, status: .open)
        #expect(open.alert(today: Self.day("2026-11-09")) == .none)
        #expect(open.alert(today: Self.day("2026-11-10")) == .amber, "30 days before")
        #expect(open.alert(today: Self.due) == .amber && open.overdueSince(today: Self.due) == nil, "the due date itself is on time")
        #expect(open.alert(today: Self.day("2026-12-11")) == .red && open.overdueSince(today: Self.day("2027-01-05")) == Self.day("2026-12-11"))
        #expect(open.daysLeft(today: Self.day("2026-12-13")) == -3)
    }

    @Test("evidence in time waits without alarm and is on time once accepted; evidence after the due date is overdue either way")
    func evidence() {
        let inTime = Obligation(dueOn: Self.due, status: .submitted, submittedOn: Self.due)
        #expect(inTime.alert(today: Self.day("2027-02-01")) == .none && inTime.overdueSince(today: Self.day("2027-02-01")) == nil)
        let accepted = Obligation(dueOn: Self.due, status: .fulfilled, submittedOn: Self.due, satisfiedOn: Self.due)
        #expect(accepted.alert(today: Self.day("2027-02-01")) == .done && accepted.overdueSince(today: Self.day("2027-02-01")) == nil)
        let lateUnderReview = Obligation(dueOn: Self.due, status: .submitted, submittedOn: Self.day("2026-12-12"))
        #expect(lateUnderReview.alert(today: Self.day("2026-12-12")) == .red)
        #expect(lateUnderReview.overdueSince(today: Self.day("2026-12-12")) == Self.day("2026-12-11"))
        let lateAccepted = Obligation(dueOn: Self.due, status: .fulfilled, submittedOn: Self.day("2026-12-12"), satisfiedOn: Self.day("2026-12-12"))
        #expect(lateAccepted.alert(today: Self.day("2027-01-01")) == .done)
        #expect(lateAccepted.overdueSince(today: Self.day("2027-01-01")) == Self.day("2026-12-11"), "fulfilled late still counts")
        // Evidence returned: open again, its first submission no excuse.
        let returned = Obligation(dueOn: Self.due, status: .open, submittedOn: Self.day("2026-12-01"))
        #expect(returned.alert(today: Self.day("2026-12-20")) == .red)
    }

    @Test("red sorts before amber, on track and done")
    func order() {
        #expect([ObligationAlert.done, .none, .amber, .red].sorted() == [.red, .amber, .none, .done])
    }
}

@Suite("Periodic risk evaluation reports: one for each full year of the first registration cycle, due 60 days after it")
struct PeriodicRiskReportTests {
    static func day(_ text: String) -> CivilDate { CivilDate(text)! }

    @Test("the years and their due dates, worked by hand (an approval on 29 February keeps 28 February in other years)")
    func schedule() {
        let years = PeriodicRiskReport.schedule(approvedOn: Self.day("2024-02-29"))
        #expect(years.map(\.from.description) == ["2024-02-29", "2025-02-28", "2026-02-28", "2027-02-28", "2028-02-29"])
        #expect(years.map(\.to.description) == ["2025-02-27", "2026-02-27", "2027-02-27", "2028-02-28", "2029-02-27"])
        // 2025-02-27 + 60 days: 1 day to the end of February, 31 of March, 28 of April.
        #expect(years[0].dueOn == Self.day("2025-04-28"))
        let plain = PeriodicRiskReport.schedule(approvedOn: Self.day("2026-05-12"))
        #expect(plain[0].to == Self.day("2027-05-11") && plain[0].dueOn == Self.day("2027-07-10") && plain.count == 5)
    }

    @Test("upcoming until the year ends, due for 60 days, then overdue; submitted on or before the due date, or late")
    func states() {
        let year = PeriodicRiskReport.schedule(approvedOn: Self.day("2026-05-12"))[0]
        func state(_ today: String, _ submitted: String? = nil) -> PeriodicRiskReport.State {
            PeriodicRiskReport.state(of: year, submittedOn: submitted.map(Self.day), today: Self.day(today))
        }
        #expect(state("2027-05-11") == .upcoming && state("2027-05-12") == .due && state("2027-07-10") == .due)
        #expect(state("2027-07-11") == .overdue)
        #expect(state("2027-08-01", "2027-07-10") == .submitted && state("2027-08-01", "2027-07-11") == .submittedLate)
    }
}
