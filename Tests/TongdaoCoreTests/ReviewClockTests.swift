import Testing
import TongdaoCore

@Suite("The review clock, scenario by scenario from the regulation")
struct ReviewClockTests {
    let calendar = WorkCalendar.bundled
    let catalogue = Dictionary(uniqueKeysWithValues: ProcedureCatalogue.bundled().map { ($0.code, $0) })

    func version(_ code: String, acceptedOn date: String) throws -> ProcedureVersion {
        try #require(catalogue[code]?.version(inForceOn: day(date)))
    }

    // Class II first registration (review 60, fresh 60 after a supplement), accepted Mon 1 Dec 2025.
    // Before the request on Thu 15 Jan 2026: December 2–5, 8–12, 15–19, 22–26, 29–31 = 22; January
    // 1–3 is New Year, Sun 4 Jan is worked (1), 5–9 (5), 12–15 (4) = 10; 32 used, then the clock stops.
    // The supplement arrives Tue 10 Feb; a fresh 60 counts after it: 11–13 Feb (3), Sat 14 (1), the
    // Spring Festival 15–23 Feb is off, 24–27 (4), Sat 28 (1) = 9; March 22 → 31; April 1–3 (3), 4–6
    // off, 7–10 (4), 13–17, 20–24 (10), 27–30 (4) → 52; May 1–5 off, 6–8 (3), Sat 9 (1) → 56,
    // 11–14 (4) → 60 on Thu 14 May 2026.
    @Test("a supplement mid-review, answered across the Spring Festival")
    func supplementAcrossSpringFestival() throws {
        let v = try version("device.class2.registration", acceptedOn: "2025-12-01")
        let events = [
            ClockEvent(.accepted, on: day("2025-12-01")),
            ClockEvent(.supplementRequested, on: day("2026-01-15")),
            ClockEvent(.supplementReceived, on: day("2026-02-10")),
        ]
        // while the applicant supplements
        let waiting = try ReviewClock.read(version: v, events: Array(events.prefix(2)), asOf: day("2026-02-01"), calendar: calendar)
        #expect(waiting.phase == .supplement && waiting.state == .stopped)
        #expect(waiting.used == 32)
        #expect(waiting.supplementDeadline == day("2027-01-15"))
        #expect(waiting.segments.first?.workingDays == 32)
        // after the supplement
        let reading = try ReviewClock.read(version: v, events: events, asOf: day("2026-03-31"), calendar: calendar)
        #expect(reading.phase == .review && reading.state == .running)
        #expect(reading.limit == 60)
        #expect(reading.used == 31)
        #expect(reading.remaining == 29)
        #expect(reading.deadline == day("2026-05-14"))
        #expect(reading.level == .green)
        #expect(reading.provisional == false)
        #expect(reading.segments.map(\.kind) == [.counting, .supplement, .counting])
    }

    // Class III (review 90), accepted Mon 1 Sep 2025. Counted until the expert review starts on Fri
    // 26 Sep: 2–5, 8–12, 15–19, 22–26 = 19. Left out, (26 Sep, 15 Oct]: Sun 28 Sep (worked), 29–30
    // Sep, 9–10 Oct, Sat 11 Oct, 13–15 Oct = 9 (1–8 Oct are National Day anyway). 71 remain after
    // Wed 15 Oct: 16–17 Oct (2), three more October weeks to the 31st (12), November's four weeks
    // (32), December 1–26 (52) and 29–31 (55), then 1–3 Jan off, Sun 4 Jan (56), 5–9, 12–16, 19–23
    // Jan → 71 on Fri 23 Jan 2026. On 31 Dec 2025, 19 + 55 = 74 of 90 are used: 82 %, amber.
    @Test("an expert review across National Day moves the deadline by the working days it took")
    func expertReviewAcrossNationalDay() throws {
        let v = try version("device.class3.registration", acceptedOn: "2025-09-01")
        let events = [
            ClockEvent(.accepted, on: day("2025-09-01")),
            ClockEvent(.expertReviewStarted, on: day("2025-09-26")),
            ClockEvent(.expertReviewEnded, on: day("2025-10-15")),
        ]
        let during = try ReviewClock.read(version: v, events: Array(events.prefix(2)), asOf: day("2025-10-10"), calendar: calendar)
        #expect(during.state == .paused)
        #expect(during.used == 19)
        let reading = try ReviewClock.read(version: v, events: events, asOf: day("2025-12-31"), calendar: calendar)
        #expect(reading.segments.first { $0.kind == .paused }?.workingDays == 9)
        #expect(reading.used == 74)
        #expect(reading.deadline == day("2026-01-23"))
        #expect(reading.level == .amber)
    }

    // Class II accepted Mon 2 Sep 2024: the 60th working day is Fri 29 Nov 2024 (see the calendar
    // tests). An extension of 30 (half of 60, the most allowed) adds Dec 2–6, 9–13, 16–20, 23–27
    // (80), 30–31 Dec (82), 2–3 Jan (84; 1 Jan off), 6–10 Jan (89) and Mon 13 Jan 2025 (90).
    // Class III (review 90, QMS inspection 30), accepted Mon 1 Sep 2025; the inspection is to start
    // within 10 working days: 2–5, 8–12 Sep and Mon 15 Sep. It starts Wed 10 Sep, after 7 counted
    // days (2–5, 8–10), and is completed Fri 24 Oct: (10 Sep, 24 Oct] is 11–12, 15–19, 22–26 Sep, Sun
    // 28 Sep (worked), 29–30 Sep, then National Day 1–8 Oct, 9–10 Oct, Sat 11 Oct (worked), 13–17,
    // 20–24 Oct = 28 working days, left out of the review and counted on its own clock (28 of 30:
    // amber). The review counts again after 24 Oct: 27–31 Oct = 5, so 12 are used on 31 Oct (the old
    // rule counted 40).
    @Test("a QMS inspection stops the review clock and runs on a 30-working-day clock of its own")
    func inspectionStopsTheReviewClock() throws {
        let v = try version("device.class3.registration", acceptedOn: "2025-09-01")
        let events = [
            ClockEvent(.accepted, on: day("2025-09-01")),
            ClockEvent(.qmsInspectionStarted, on: day("2025-09-10")),
            ClockEvent(.qmsInspectionCompleted, on: day("2025-10-24")),
        ]
        let during = try ReviewClock.read(version: v, events: Array(events.prefix(2)), asOf: day("2025-09-30"), calendar: calendar)
        #expect(during.state == .paused && during.used == 7, "the review clock stands still while the inspection runs")
        #expect(during.inspection?.startedOn == day("2025-09-10") && during.inspection?.completedOn == nil)
        #expect(
            during.inspection?.used == 15 && during.inspection?.deadline == day("2025-10-28"),
            "(10 Sep, 30 Sep] = 15; the 30th working day after 10 Sep is 28 Oct")
        let after = try ReviewClock.read(version: v, events: events, asOf: day("2025-10-31"), calendar: calendar)
        #expect(after.state == .running && after.used == 12 && after.remaining == 78)
        #expect(after.segments.map(\.kind) == [.counting, .inspection, .counting])
        #expect(after.segments[1].workingDays == 28)
        let inspection = try #require(after.inspection)
        #expect(inspection.limit == 30 && inspection.used == 28 && inspection.level == .amber)
        #expect(inspection.startBy == day("2025-09-15") && !inspection.late)
    }

    @Test("the inspection is due to start 10 working days after acceptance: late when it starts after, or has not started by then")
    func inspectionStartWithinTenDays() throws {
        let v = try version("device.class3.registration", acceptedOn: "2025-09-01")
        let accepted = [ClockEvent(.accepted, on: day("2025-09-01"))]
        let onTheDay = try ReviewClock.read(version: v, events: accepted, asOf: day("2025-09-15"), calendar: calendar)
        #expect(onTheDay.inspection?.startBy == day("2025-09-15") && onTheDay.inspection?.late == false)
        let dayAfter = try ReviewClock.read(version: v, events: accepted, asOf: day("2025-09-16"), calendar: calendar)
        #expect(dayAfter.inspection?.late == true && dayAfter.inspection?.startedOn == nil)
        let lateStart = try ReviewClock.read(
            version: v, events: accepted + [ClockEvent(.qmsInspectionStarted, on: day("2025-09-16"))], asOf: day("2025-09-20"),
            calendar: calendar)
        #expect(lateStart.inspection?.late == true && lateStart.inspection?.startedOn == day("2025-09-16"))
        // A procedure without a QMS limit (a clinical-trial application) has no inspection clock.
        let trial = try version("device.clinical-trial", acceptedOn: "2025-09-01")
        #expect(try ReviewClock.read(version: trial, events: accepted, asOf: day("2025-09-16"), calendar: calendar).inspection == nil)
    }

    // Accepted Mon 1 Sep 2025; inspection from Wed 10 Sep; expert review from Fri 12 Sep; the
    // inspection ends Fri 19 Sep, the expert review Fri 26 Sep: the clock counts again only after
    // both, 28 Sep (worked Sunday), 29–30 Sep = 3, with the 7 before: 10 on 30 Sep.
    @Test("an inspection and an expert review that overlap: the clock counts again when both are over")
    func inspectionOverlappingAPause() throws {
        let v = try version("device.class3.registration", acceptedOn: "2025-09-01")
        let events = [
            ClockEvent(.accepted, on: day("2025-09-01")),
            ClockEvent(.qmsInspectionStarted, on: day("2025-09-10")),
            ClockEvent(.expertReviewStarted, on: day("2025-09-12")),
            ClockEvent(.qmsInspectionCompleted, on: day("2025-09-19")),
            ClockEvent(.expertReviewEnded, on: day("2025-09-26")),
        ]
        let reading = try ReviewClock.read(version: v, events: events, asOf: day("2025-09-30"), calendar: calendar)
        #expect(reading.used == 10 && reading.state == .running)
        let midway = try ReviewClock.read(version: v, events: Array(events.prefix(4)), asOf: day("2025-09-24"), calendar: calendar)
        #expect(midway.used == 7 && midway.state == .paused, "still paused by the expert review after the inspection ended")
        // The review cannot be completed, nor the application withdrawn, while the inspection runs.
        for kind in [ClockEvent.Kind.reviewCompleted, .withdrawn] {
            #expect(throws: ReviewClock.Rejection.self) {
                try ReviewClock.read(
                    version: v, events: Array(events.prefix(2)) + [ClockEvent(kind, on: day("2025-09-11"))], asOf: day("2025-09-30"),
                    calendar: calendar)
            }
        }
    }

    // A device's supplement starts the limit again (Class III: 60 after it). Accepted 1 Sep 2025;
    // inspection from 10 Sep; a supplement asked on 12 Sep and received on 19 Sep (the inspection
    // still runs); the inspection ends 26 Sep; the fresh 60 counts after it: 28, 29, 30 Sep = 3.
    @Test("an inspection that runs across a supplement: the fresh limit after the supplement counts only after the inspection")
    func inspectionAcrossASupplement() throws {
        let v = try version("device.class3.registration", acceptedOn: "2025-09-01")
        let events = [
            ClockEvent(.accepted, on: day("2025-09-01")),
            ClockEvent(.qmsInspectionStarted, on: day("2025-09-10")),
            ClockEvent(.supplementRequested, on: day("2025-09-12")),
            ClockEvent(.supplementReceived, on: day("2025-09-19")),
            ClockEvent(.qmsInspectionCompleted, on: day("2025-09-26")),
        ]
        let reading = try ReviewClock.read(version: v, events: events, asOf: day("2025-09-30"), calendar: calendar)
        #expect(reading.limit == 60 && reading.used == 3 && reading.restartedOn == day("2025-09-19"))
        #expect(reading.inspection?.used == 12, "(10 Sep, 26 Sep]: 11–12, 15–19, 22–26")
    }

    @Test("an extension of up to half the limit moves the deadline; more is refused")
    func extensions() throws {
        let v = try version("device.class2.registration", acceptedOn: "2024-09-02")
        let accepted = ClockEvent(.accepted, on: day("2024-09-02"))
        let plain = try ReviewClock.read(version: v, events: [accepted], asOf: day("2024-11-01"), calendar: calendar)
        #expect(plain.deadline == day("2024-11-29"))
        let extended = try ReviewClock.read(
            version: v, events: [accepted, ClockEvent(.extensionGranted, on: day("2024-11-20"), days: 30)], asOf: day("2024-11-21"),
            calendar: calendar)
        #expect(extended.limit == 90)
        #expect(extended.deadline == day("2025-01-13"))
        expectRejection(
            index: 1, event: "extension_granted", reason: "31 working days would extend the limit by 31 in all, more than half of 60 (30)",
            field: "days"
        ) {
            try ReviewClock.read(
                version: v, events: [accepted, ClockEvent(.extensionGranted, on: day("2024-11-20"), days: 31)], asOf: day("2024-11-21"),
                calendar: calendar)
        }
        #expect(throws: ReviewClock.Rejection.self) {
            try ReviewClock.read(
                version: v,
                events: [
                    accepted, ClockEvent(.extensionGranted, on: day("2024-11-20"), days: 20),
                    ClockEvent(.extensionGranted, on: day("2024-11-21"), days: 15),
                ],
                asOf: day("2024-11-22"), calendar: calendar)
        }
    }

    // The same application with nothing after acceptance, read on Tue 10 Dec 2024: 60 by 29 Nov,
    // then 2–6 Dec (5) and 9–10 Dec (2) = 67 used, 7 over.
    @Test("an overdue review is red and says by how much")
    func overdue() throws {
        let v = try version("device.class2.registration", acceptedOn: "2024-09-02")
        let reading = try ReviewClock.read(
            version: v, events: [ClockEvent(.accepted, on: day("2024-09-02"))], asOf: day("2024-12-10"), calendar: calendar)
        #expect(reading.used == 67)
        #expect(reading.remaining == -7)
        #expect(reading.deadline == day("2024-11-29"))
        #expect(reading.level == .red)
    }

    // Drugs: after a supplement the same clock continues and its limit grows by a third (60 → 80).
    // Accepted Mon 3 Mar 2025; by the request on Fri 14 Mar: 4–7 Mar (4) and 10–14 Mar (5) = 9 used.
    @Test("a drug clock continues after a supplement with its limit grown by a third")
    func drugSupplement() throws {
        let v = try version("drug.clinical-trial", acceptedOn: "2025-03-03")
        let reading = try ReviewClock.read(
            version: v,
            events: [
                ClockEvent(.accepted, on: day("2025-03-03")), ClockEvent(.supplementRequested, on: day("2025-03-14")),
                ClockEvent(.supplementReceived, on: day("2025-04-30")),
            ],
            asOf: day("2025-04-30"), calendar: calendar)
        #expect(reading.limit == 80)
        #expect(reading.used == 9)
        #expect(reading.phase == .review)
    }

    @Test("the applicant's year to supplement is tracked; a late supplement is refused")
    func supplementWindow() throws {
        let v = try version("device.class2.registration", acceptedOn: "2025-03-03")
        let events = [ClockEvent(.accepted, on: day("2025-03-03")), ClockEvent(.supplementRequested, on: day("2025-03-10"))]
        let open = try ReviewClock.read(version: v, events: events, asOf: day("2026-03-10"), calendar: calendar)
        #expect(open.supplementDeadline == day("2026-03-10") && !open.supplementExpired)
        let late = try ReviewClock.read(version: v, events: events, asOf: day("2026-03-11"), calendar: calendar)
        #expect(late.supplementExpired)
        expectRejection(index: 2, event: "supplement_received", reason: "arrived after the supplement window closed on 2026-03-10", field: "on") {
            try ReviewClock.read(
                version: v, events: events + [ClockEvent(.supplementReceived, on: day("2026-03-11"))], asOf: day("2026-03-12"), calendar: calendar)
        }
    }

    @Test("review completed, then the 20-day decision clock; nothing may follow the decision")
    func decision() throws {
        let v = try version("device.class2.registration", acceptedOn: "2024-09-02")
        let events = [ClockEvent(.accepted, on: day("2024-09-02")), ClockEvent(.reviewCompleted, on: day("2024-11-01"))]
        let deciding = try ReviewClock.read(version: v, events: events, asOf: day("2024-11-05"), calendar: calendar)
        #expect(deciding.phase == .decision && deciding.limit == 20 && deciding.used == 2)
        let decided = try ReviewClock.read(
            version: v, events: events + [ClockEvent(.decisionMade, on: day("2024-11-20"))], asOf: day("2024-12-01"), calendar: calendar)
        #expect(decided.phase == .decided && decided.state == .stopped)
        expectRejection(index: 3, event: "supplement_requested", reason: "comes after the application was closed (decision_made)", field: "type") {
            try ReviewClock.read(
                version: v,
                events: events + [ClockEvent(.decisionMade, on: day("2024-11-20")), ClockEvent(.supplementRequested, on: day("2024-11-21"))],
                asOf: day("2024-12-01"), calendar: calendar)
        }
    }

    @Test(
        "impossible timelines are refused naming the event",
        arguments: [
            ([("supplement_received", "2025-03-01")], 0, "the timeline must start with accepted"),
            ([("accepted", "2025-03-03"), ("supplement_received", "2025-03-05")], 1, "no supplement was requested"),
            ([("accepted", "2025-03-03"), ("expert_review_ended", "2025-03-05")], 1, "no expert_review_started is open"),
            (
                [("accepted", "2025-03-03"), ("suspended", "2025-03-05"), ("expert_review_ended", "2025-03-06")], 2,
                "no expert_review_started is open"
            ),
            (
                [("accepted", "2025-03-03"), ("supplement_requested", "2025-03-02")], 1,
                "is dated 2025-03-02, before the event before it (2025-03-03)"
            ),
            ([("accepted", "2025-03-03"), ("decision_made", "2025-03-05")], 1, "no review opinion awaits a decision (review_completed first)"),
            ([("accepted", "2025-03-03"), ("accepted", "2025-03-04")], 1, "the application was already accepted"),
        ])
    func impossible(timeline: [(String, String)], index: Int, reason: String) throws {
        let v = try version("device.class2.registration", acceptedOn: "2025-03-03")
        let events = timeline.map { ClockEvent(ClockEvent.Kind(rawValue: $0.0)!, on: day($0.1)) }
        expectRejection(index: index, event: timeline[index].0, reason: reason) {
            try ReviewClock.read(version: v, events: events, asOf: day("2025-06-01"), calendar: calendar)
        }
    }

    @Test("a deadline in a year without a published schedule is marked provisional")
    func provisionalDeadline() throws {
        let v = try version("device.class3.registration", acceptedOn: "2026-11-02")
        let reading = try ReviewClock.read(
            version: v, events: [ClockEvent(.accepted, on: day("2026-11-02"))], asOf: day("2026-11-20"), calendar: calendar)
        #expect(reading.provisional)
        #expect(reading.deadline.map { $0.year } == 2027)
    }
}

@Suite("The procedure catalogue")
struct ProcedureCatalogueTests {
    let catalogue = Dictionary(uniqueKeysWithValues: ProcedureCatalogue.bundled().map { ($0.code, $0) })

    @Test("every procedure the issue names is there with DOMAIN.md's numbers")
    func numbers() throws {
        let expected: [String: (review: Int, after: ProcedureVersion.AfterSupplement)] = [
            "device.class2.registration": (60, .fresh(days: 60)),
            "device.class3.registration": (90, .fresh(days: 60)),
            "device.class2.change": (60, .fresh(days: 60)),
            "device.class2.renewal": (60, .fresh(days: 60)),
            "device.clinical-trial": (60, .fresh(days: 40)),
            "device.class2.priority.shanghai": (40, .fresh(days: 30)),
            "drug.clinical-trial": (60, .extend(numerator: 1, denominator: 3)),
            "drug.clinical-trial.pilot30": (30, .extend(numerator: 1, denominator: 3)),
            "drug.supplement": (60, .extend(numerator: 1, denominator: 3)),
        ]
        for (code, limits) in expected {
            let version = try #require(catalogue[code]?.versions.last, "\(code) missing")
            #expect(version.review == limits.review, "\(code)")
            #expect(version.afterSupplement == limits.after, "\(code)")
        }
        let class3 = try #require(catalogue["device.class3.registration"]?.versions.last)
        #expect(class3.qmsInspection == 30 && class3.decision == 20 && class3.certificate == 10)
        #expect(catalogue["device.class2.priority.shanghai"]?.versions.last?.qmsInspection == 15)
        #expect(catalogue["device.class2.priority.shanghai"]?.versions.last?.decision == 10)
    }

    @Test("the version in force on the acceptance date applies")
    func versionInForce() throws {
        let v2021 = ProcedureVersion(
            version: "2021", effectiveFrom: day("2021-10-01"), basis: "Order 47", review: 60, afterSupplement: .fresh(days: 60))
        let v2030 = ProcedureVersion(
            version: "2030", effectiveFrom: day("2030-01-01"), basis: "future", review: 45, afterSupplement: .fresh(days: 45))
        let procedure = Procedure(code: "x", name: "x", category: "device", versions: [v2030, v2021])
        #expect(procedure.version(inForceOn: day("2021-09-30")) == nil)
        #expect(procedure.version(inForceOn: day("2021-10-01")) == v2021)
        #expect(procedure.version(inForceOn: day("2029-12-31")) == v2021)
        #expect(procedure.version(inForceOn: day("2030-01-01")) == v2030)
    }
}

/// Expects a rejection naming the event, with its English reason, a Chinese one, and the field at fault.
func expectRejection<T>(
    index: Int, event: String, reason: String, field: String? = nil, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> T
) {
    let rejection = #expect(throws: ReviewClock.Rejection.self, sourceLocation: sourceLocation) { _ = try body() }
    #expect(rejection?.index == index, sourceLocation: sourceLocation)
    #expect(rejection?.event == event, sourceLocation: sourceLocation)
    #expect(rejection?.reason == reason, sourceLocation: sourceLocation)
    #expect(rejection?.chinese.isEmpty == false, "every refusal has Chinese text", sourceLocation: sourceLocation)
    if let field { #expect(rejection?.field == field, sourceLocation: sourceLocation) }
}
