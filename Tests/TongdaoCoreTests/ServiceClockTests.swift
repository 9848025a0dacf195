import Testing
import TongdaoCore

/// Hand-worked cases of the consultation clock over the 2026 calendar: 中秋 25–27 September, 国庆
/// 1–7 October with 10 October (a Saturday) worked, 春节 15–23 February with 14 and 28 February
/// (Saturdays) worked.
@Suite(
    "The consultation clock: first response and resolution in working days, stopped while the enterprise is asked, across holidays and adjusted Saturdays"
)
struct ServiceClockTests {
    static let targets = ServiceClock.Targets(firstResponse: 2, resolution: 10, amberFraction: 0.8, escalateAfter: 3)
    static let calendar = WorkCalendar.bundled

    static func day(_ text: String) -> CivilDate { CivilDate(text)! }

    static func read(_ events: [(ConsultationEventKind, String)], asOf: String) throws -> ServiceClock.Reading {
        try ServiceClock.read(
            events: events.map { ServiceClock.Event($0.0, on: day($0.1)) }, targets: targets, asOf: day(asOf), calendar: calendar)
    }

    @Test("working days counted back: the day that many working days before, over holidays and onto an adjusted Saturday")
    func shiftingBack() throws {
        #expect(try Self.calendar.shiftingWorkingDays(-1, from: Self.day("2026-10-12")).value == Self.day("2026-10-10"))
        #expect(try Self.calendar.shiftingWorkingDays(-2, from: Self.day("2026-10-08")).value == Self.day("2026-09-29"))
        #expect(try Self.calendar.shiftingWorkingDays(-1, from: Self.day("2026-10-05")).value == Self.day("2026-09-29"))
        #expect(try Self.calendar.shiftingWorkingDays(3, from: Self.day("2026-09-30")).value == Self.day("2026-10-10"))
        for (days, from) in [(-5, "2026-10-09"), (-12, "2026-02-27"), (-1, "2026-02-24")] {
            let back = try Self.calendar.shiftingWorkingDays(days, from: Self.day(from)).value
            #expect(try Self.calendar.workingDays(from: back, to: Self.day(from)).value == -days)
        }
    }

    @Test("asked before 中秋 and 国庆: the first response due on 28 September, late on the 29th, escalated on 8 October")
    func firstResponseAcrossHolidays() throws {
        let asked: [(ConsultationEventKind, String)] = [(.asked, "2026-09-23")]
        let dueDay = try Self.read(asked, asOf: "2026-09-28")
        #expect(dueDay.firstResponse.deadline == Self.day("2026-09-28") && dueDay.firstResponse.used == 2)
        #expect(dueDay.level == .amber && dueDay.running && !dueDay.escalated)
        let late = try Self.read(asked, asOf: "2026-09-29")
        #expect(late.level == .red && late.firstResponse.used == 3 && !late.escalated)
        let holiday = try Self.read(asked, asOf: "2026-10-07")
        #expect(holiday.firstResponse.used == 4 && !holiday.escalated, "the National Day holiday does not count")
        #expect(try Self.read(asked, asOf: "2026-10-08").escalated)
        let snapshot = ServiceClock.snapshot(of: late, targets: Self.targets, calendar: Self.calendar)
        #expect(
            snapshot
                == ServiceClock.Snapshot(
                    dueOn: Self.day("2026-09-28"), amberOn: Self.day("2026-09-28"), redOn: Self.day("2026-09-29"),
                    escalateOn: Self.day("2026-10-08")))
    }

    @Test("a request to clarify stops the clock over 国庆; the reply on 9 October starts it again, 10 October (a Saturday) counts")
    func pauseAcrossNationalDay() throws {
        let events: [(ConsultationEventKind, String)] = [(.asked, "2026-09-23"), (.requestedInfo, "2026-09-29")]
        let waiting = try Self.read(events, asOf: "2026-10-05")
        #expect(waiting.status == .awaitingEnterprise && !waiting.running)
        #expect(waiting.firstResponse.metOn == Self.day("2026-09-29") && waiting.firstResponse.withinTarget == false)
        #expect(waiting.resolution.used == 3 && waiting.resolution.remaining == 7)
        #expect(waiting.resolution.deadline == Self.day("2026-10-15"), "as if the clock ran again today: seven working days after 5 October")
        #expect(ServiceClock.snapshot(of: waiting, targets: Self.targets, calendar: Self.calendar) == nil)
        // Weeks waiting change nothing.
        #expect(try Self.read(events, asOf: "2026-12-01").resolution.used == 3)

        let replied = events + [(.enterpriseReplied, "2026-10-09")]
        let running = try Self.read(replied, asOf: "2026-10-12")
        #expect(running.status == .open && running.running && running.resolution.used == 5 && running.level == .green)
        #expect(running.resolution.deadline == Self.day("2026-10-19"))
        #expect(try Self.read(replied, asOf: "2026-10-15").level == .amber)
        #expect(try Self.read(replied, asOf: "2026-10-19").level == .amber)
        #expect(try Self.read(replied, asOf: "2026-10-20").level == .red)
        #expect(try Self.read(replied, asOf: "2026-10-21").escalated == false)
        #expect(try Self.read(replied, asOf: "2026-10-22").escalated)
        #expect(
            ServiceClock.snapshot(of: running, targets: Self.targets, calendar: Self.calendar)
                == ServiceClock.Snapshot(
                    dueOn: Self.day("2026-10-19"), amberOn: Self.day("2026-10-15"), redOn: Self.day("2026-10-20"),
                    escalateOn: Self.day("2026-10-22")))

        let answered = try Self.read(replied + [(.answered, "2026-10-16")], asOf: "2026-11-30")
        #expect(answered.status == .answered && !answered.running && answered.pending == nil && answered.level == .green)
        #expect(answered.resolution.used == 9 && answered.resolution.withinTarget == true && answered.resolution.metOn == Self.day("2026-10-16"))
        let closed = try Self.read(replied + [(.answered, "2026-10-16"), (.rated, "2026-10-20")], asOf: "2026-11-30")
        #expect(closed.status == .closed && closed.resolution.used == 9 && closed.resolution.deadline == nil)
    }

    @Test("春节: answered on the worked Saturday 14 February, asked again after the festival, the worked 28 February counts")
    func springFestival() throws {
        let events: [(ConsultationEventKind, String)] = [(.asked, "2026-02-12"), (.answered, "2026-02-14")]
        let answered = try Self.read(events, asOf: "2026-02-20")
        #expect(answered.firstResponse.used == 2 && answered.firstResponse.withinTarget == true && answered.resolution.used == 2)
        let followUp = try Self.read(events + [(.enterpriseReplied, "2026-02-24")], asOf: "2026-02-24")
        #expect(followUp.status == .open && followUp.resolution.used == 2 && followUp.resolution.deadline == Self.day("2026-03-05"))
        #expect(followUp.pending == followUp.resolution, "the first response stays met")
        #expect(try Self.read(events + [(.enterpriseReplied, "2026-02-24")], asOf: "2026-03-02").resolution.used == 7)
    }

    @Test("overdue before it stopped: the deadline named before the reply, red and escalated at once")
    func overdueBeforeThePause() throws {
        let events: [(ConsultationEventKind, String)] = [(.asked, "2026-11-02"), (.requestedInfo, "2026-11-18"), (.enterpriseReplied, "2026-11-20")]
        let reading = try Self.read(events, asOf: "2026-11-23")
        #expect(reading.firstResponse.used == 12 && reading.firstResponse.withinTarget == false)
        #expect(reading.resolution.used == 13 && reading.resolution.remaining == -3 && reading.level == .red && reading.escalated)
        #expect(reading.resolution.deadline == Self.day("2026-11-18"))
        let snapshot = try #require(ServiceClock.snapshot(of: reading, targets: Self.targets, calendar: Self.calendar))
        #expect(snapshot.redOn == Self.day("2026-11-19") && snapshot.escalateOn == Self.day("2026-11-23"))
    }

    @Test("events out of order are refused with the reason")
    func refusals() {
        #expect(throws: ServiceClock.Rejection.self) { try Self.read([(.answered, "2026-11-02")], asOf: "2026-11-23") }
        #expect(throws: ServiceClock.Rejection.self) { try Self.read([(.asked, "2026-11-02"), (.rated, "2026-11-03")], asOf: "2026-11-23") }
        #expect(throws: ServiceClock.Rejection.self) { try Self.read([(.asked, "2026-11-05"), (.answered, "2026-11-03")], asOf: "2026-11-23") }
        #expect(ServiceClock.next(.answered, .withdrawn) == nil && ServiceClock.next(.awaitingEnterprise, .answered) == nil)
        #expect(ServiceClock.status(after: [.asked, .answered, .enterpriseReplied, .requestedInfo]) == .awaitingEnterprise)
    }

    @Test("the policy's figures are each checked")
    func policy() {
        let bad = ServicePolicy(
            effectiveFrom: "2026-11-01", firstResponseDays: 0, resolutionDays: 500, amberFraction: 1.2, escalateAfterDays: -1, classificationDays: 0)
        #expect(
            bad.problems(today: Self.day("2026-11-23")).map(\.field) == [
                "effectiveFrom", "firstResponseDays", "resolutionDays", "amberFraction", "escalateAfterDays", "classificationDays",
            ])
        let shorter = ServicePolicy(
            effectiveFrom: "2026-12-01", firstResponseDays: 5, resolutionDays: 3, amberFraction: 0.8, escalateAfterDays: 3, classificationDays: 10)
        #expect(shorter.problems(today: Self.day("2026-11-23")).map(\.field) == ["resolutionDays"])
        #expect(ServicePolicy.standard.problems(today: Self.day("1999-01-01")).isEmpty)
    }
}
