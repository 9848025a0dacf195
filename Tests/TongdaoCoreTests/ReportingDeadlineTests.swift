import Foundation
import Testing
import TongdaoCore

@Suite("Adverse-event reporting deadlines in calendar days and hours, held to hand-worked cases")
struct ReportingDeadlineTests {
    /// An instant in Shanghai: "2026-10-01 08:00".
    static func at(_ day: String, _ time: String) -> Date {
        ShanghaiTime.start(of: CivilDate(day)!).addingTimeInterval(TimeInterval(AdverseEventFacts.minute(of: time)! * 60))
    }

    static func deadline(_ seriousness: EventSeriousness, _ day: String, _ time: String? = nil) -> ReportingDeadline? {
        ReportingDeadline(seriousness: seriousness, awareOn: CivilDate(day)!, awareMinute: time.flatMap(AdverseEventFacts.minute(of:)))
    }

    @Test("a death learnt of on 28 September is due 5 October, inside the National Day holiday, and not moved past it")
    func deathOverHoliday() throws {
        let death = try #require(Self.deadline(.death, "2026-09-28"))
        #expect(death.due == .day(CivilDate("2026-10-05")!) && death.label == "应于 2026-10-05 前报告（获知之日起 7 日内）")
        #expect(!death.isLate(submittedAt: Self.at("2026-10-05", "23:59")))
        #expect(death.isLate(submittedAt: Self.at("2026-10-06", "00:00")))
        // Learnt of just before midnight: the day still counts as day 0 (Shanghai time, not UTC).
        #expect(!death.isLate(submittedAt: Self.at("2026-09-28", "23:59")))
    }

    @Test("serious injury 20 days, overseas serious 30, across a month and a year's end")
    func days() throws {
        #expect(Self.deadline(.seriousInjury, "2026-12-15")?.due == .day(CivilDate("2027-01-04")!))
        #expect(Self.deadline(.overseasSerious, "2026-02-10")?.due == .day(CivilDate("2026-03-12")!))
        #expect(Self.deadline(.nonSerious, "2026-02-10") == nil, "a non-serious event has no statutory clock")
    }

    @Test("a group event learnt of at 20:00 on 30 September is due at 08:00 on 1 October: across midnight and into the holiday, to the minute")
    func groupEventAcrossMidnightAndHoliday() throws {
        let group = try #require(Self.deadline(.groupEvent, "2026-09-30", "20:00"))
        #expect(group.dueText == "2026-10-01 08:00" && group.label == "应于 2026-10-01 08:00 前报告（获知后 12 小时内）")
        #expect(!group.isLate(submittedAt: Self.at("2026-10-01", "07:59")))
        #expect(!group.isLate(submittedAt: Self.at("2026-10-01", "08:00")))
        #expect(group.isLate(submittedAt: Self.at("2026-10-01", "08:01")))
        // Learnt of at 11:59: due 23:59 the same day; one at 12:00 is due at midnight exactly.
        #expect(Self.deadline(.groupEvent, "2026-05-01", "11:59")?.dueText == "2026-05-01 23:59")
        #expect(Self.deadline(.groupEvent, "2026-05-01", "12:00")?.dueText == "2026-05-02 00:00")
        #expect(Self.deadline(.groupEvent, "2026-09-30") == nil, "no moment of awareness, no hour clock")
    }

    @Test("the facts' rules name their fields")
    func facts() {
        let now = Self.at("2026-11-23", "12:00")
        func problems(
            _ event: String, _ aware: String, _ minute: Int? = nil, _ seriousness: EventSeriousness = .seriousInjury,
            _ outcome: PatientOutcome = .recovering
        )
            -> [String]
        {
            AdverseEventFacts(eventOn: CivilDate(event)!, awareOn: CivilDate(aware)!, awareMinute: minute, seriousness: seriousness, outcome: outcome)
                .problems(submittedAt: now).map(\.field)
        }
        #expect(problems("2026-11-20", "2026-11-21").isEmpty)
        #expect(problems("2026-11-21", "2026-11-20") == ["awareOn"])
        #expect(problems("2026-11-24", "2026-11-24") == ["eventOn", "awareOn"])
        #expect(problems("2026-11-23", "2026-11-23", 13 * 60) == ["awareTime"], "later today than now")
        #expect(problems("2026-11-20", "2026-11-21", nil, .groupEvent) == ["awareTime"])
        #expect(problems("2026-11-20", "2026-11-21", nil, .seriousInjury, .death) == ["seriousness"])
        #expect(
            AdverseEventFacts.minute(of: "24:00") == nil && AdverseEventFacts.minute(of: "8:00") == nil && AdverseEventFacts.time(of: 485) == "08:05")
    }

    @Test("a UDI-DI is checked by its agency's rule")
    func identifiers() {
        #expect(UDIAgency.gs1.problem(with: "09506000134352") == nil)
        #expect(UDIAgency.gs1.problem(with: "09506000134353")?.chinese == "产品标识（GTIN-14）校验位错误")
        #expect(UDIAgency.gs1.problem(with: "0950600013435")?.field == "di")
        #expect(UDIAgency.ma.problem(with: "MA.156.M0.100001.1234") == nil)
        #expect(UDIAgency.ahm.problem(with: "码上放心") != nil)
    }
}
