import Foundation
import Testing
import TongdaoCore

@Suite("Applications: the lifecycle and certificate numbers")
struct ApplicationLifecycleTests {
    let calendar = WorkCalendar.bundled
    let classII = ProcedureCatalogue.bundled().first { $0.code == "device.class2.registration" }!.version(inForceOn: day("2025-12-01"))!

    // The clock scenario of ReviewClockTests.supplementAcrossSpringFestival (hand-worked there): accepted
    // Mon 1 Dec 2025, supplement requested Thu 15 Jan 2026 after 32 working days, received Tue 10 Feb,
    // a fresh 60 counted after it ends on Thu 14 May 2026; on 31 Mar 2026, 31 would be used. A QMS
    // inspection from Mon 2 to Fri 20 Mar runs on its own clock, and its time is not counted on the
    // review clock: (2 Mar, 20 Mar] is 3–6, 9–13, 16–20 = 14 working days, so 17 are used on 31 Mar
    // and the deadline moves 14 working days on, from 14 May to 15, 18–22, 25–29 May, 1–3 Jun: 3 Jun.
    var journey: [ApplicationEvent] {
        [
            ApplicationEvent(.accepted, on: day("2025-12-01")),
            ApplicationEvent(.supplementRequested, on: day("2026-01-15")),
            ApplicationEvent(.supplementReceived, on: day("2026-02-10")),
            ApplicationEvent(.qmsInspectionStarted, on: day("2026-03-02")),
            ApplicationEvent(.qmsInspectionCompleted, on: day("2026-03-20")),
        ]
    }

    @Test("a journey to market: supplement across the Spring Festival, inspection, approval, licence, landing")
    func journeyToMarket() throws {
        let (state, clock) = try ApplicationLifecycle.read(journey, version: classII, asOf: day("2026-03-31"), calendar: calendar)
        #expect(state.status == .inReview && state.inspected && !state.inspecting)
        #expect(clock.used == 17 && clock.remaining == 43 && clock.deadline == day("2026-06-03") && clock.level == .green)
        #expect(clock.inspection?.used == 14 && clock.inspection?.limit == nil, "a Class II registration has no QMS limit of its own")

        let decided =
            journey + [
                ApplicationEvent(.reviewCompleted, on: day("2026-04-20")),
                ApplicationEvent(.decisionMade, on: day("2026-04-30"), decision: .approve, certificate: "沪械注准20262210015"),
                ApplicationEvent(.productionLicenceGranted, on: day("2026-06-10")),
                ApplicationEvent(.industrialised, on: day("2026-09-01")),
            ]
        let (final, _) = try ApplicationLifecycle.read(decided, version: classII, asOf: day("2026-10-01"), calendar: calendar)
        #expect(final.status == .industrialised && final.certificate == "沪械注准20262210015")
    }

    @Test("a refused application has no certificate and no licence after it")
    func refused() throws {
        let refused =
            journey + [
                ApplicationEvent(.reviewCompleted, on: day("2026-04-20")),
                ApplicationEvent(.decisionMade, on: day("2026-04-30"), decision: .refuse),
            ]
        let (state, _) = try ApplicationLifecycle.read(refused, version: classII, asOf: day("2026-05-01"), calendar: calendar)
        #expect(state.status == .refused && state.certificate == nil && !state.status.isOpen)
        let licence = refused + [ApplicationEvent(.productionLicenceGranted, on: day("2026-05-10"))]
        let rejection = try #require(throws: ApplicationLifecycle.Rejection.self) {
            try ApplicationLifecycle.read(licence, version: self.classII, asOf: day("2026-05-11"), calendar: self.calendar)
        }
        #expect(rejection.index == 7 && rejection.event == "production_licence_granted")
    }

    @Test(
        "impossible events are refused, naming the event",
        arguments: [
            ([ApplicationEvent(.supplementReceived, on: day("2026-01-10"))], 1, "supplement_received"),
            ([ApplicationEvent(.decisionMade, on: day("2026-01-10"), decision: .approve, certificate: "沪械注准20262210015")], 1, "decision_made"),
            (
                [
                    ApplicationEvent(.reviewCompleted, on: day("2026-01-10")),
                    ApplicationEvent(.decisionMade, on: day("2026-01-12"), decision: .approve),
                ], 2, "decision_made"
            ),
            (
                [
                    ApplicationEvent(.reviewCompleted, on: day("2026-01-10")),
                    ApplicationEvent(.decisionMade, on: day("2026-01-12"), decision: .approve, certificate: "沪械注准20263210015"),
                ], 2, "decision_made"
            ),
            (
                [ApplicationEvent(.qmsInspectionStarted, on: day("2026-01-10")), ApplicationEvent(.reviewCompleted, on: day("2026-01-12"))], 2,
                "review_completed"
            ),
            ([ApplicationEvent(.supplementRequested, on: day("2025-11-10"))], 1, "supplement_requested"),
            ([ApplicationEvent(.accepted, on: day("2026-01-10"))], 1, "accepted"),
            ([ApplicationEvent(.extensionGranted, on: day("2026-01-10"), days: 10)], 1, "extension_granted"),
            ([ApplicationEvent(.withdrawn, on: day("2026-01-10")), ApplicationEvent(.resumed, on: day("2026-01-12"))], 2, "resumed"),
        ] as [([ApplicationEvent], Int, String)])
    func impossible(after: [ApplicationEvent], index: Int, event: String) throws {
        let events = [ApplicationEvent(.accepted, on: day("2025-12-01"))] + after
        let rejection = try #require(throws: ApplicationLifecycle.Rejection.self) {
            try ApplicationLifecycle.read(events, version: self.classII, asOf: day("2026-02-01"), calendar: self.calendar)
        }
        #expect(rejection.index == index && rejection.event == event)
    }

    @Test("the review clock's own rules are checked too: an extension over half the limit names its event")
    func clockRules() throws {
        let events = [
            ApplicationEvent(.accepted, on: day("2025-12-01")),
            ApplicationEvent(.qmsInspectionStarted, on: day("2025-12-05")),
            ApplicationEvent(.extensionGranted, on: day("2026-01-20"), days: 31, reason: "需补充动物实验数据评估"),
        ]
        let rejection = try #require(throws: ApplicationLifecycle.Rejection.self) {
            try ApplicationLifecycle.read(events, version: self.classII, asOf: day("2026-02-01"), calendar: self.calendar)
        }
        #expect(rejection.index == 2 && rejection.event == "extension_granted")
    }

    @Test("a correction takes the place of the event it supersedes; the clock follows it")
    func correction() throws {
        var events = Array(journey.prefix(3))
        // The supplement really arrived on Mon 2 Mar, not 10 Feb: the fresh 60 count after 2 Mar.
        // 3–6 Mar (4), 9–31 Mar (17) = 21 used on 31 Mar.
        events.append(ApplicationEvent(.supplementReceived, on: day("2026-03-02"), supersedes: events[2].id, reason: "收件日期录入错误"))
        let effective = ApplicationLifecycle.effective(events)
        #expect(effective.map(\.kind) == [.accepted, .supplementRequested, .supplementReceived])
        #expect(effective.last?.on == day("2026-03-02"))
        let (_, clock) = try ApplicationLifecycle.read(events, version: classII, asOf: day("2026-03-31"), calendar: calendar)
        #expect(clock.used == 21 && clock.remaining == 39)
    }

    @Test("the snapshot keeps the clock's events in force: a correction's in place of what it corrects, days kept, licences left out")
    func keptClockEvents() throws {
        var events = journey
        events.append(ApplicationEvent(.extensionGranted, on: day("2026-04-01"), days: 20, reason: "专家意见分歧"))
        events.append(ApplicationEvent(.supplementReceived, on: day("2026-03-02"), supersedes: events[2].id, reason: "收件日期录入错误"))
        let (_, snapshot) = try ApplicationLifecycle.stored(events, version: classII, asOf: day("2026-04-10"), calendar: calendar, amberFraction: 0.8)
        #expect(
            snapshot.clockEvents.map(\.kind) == [
                .accepted, .supplementRequested, .supplementReceived, .qmsInspectionStarted, .qmsInspectionCompleted, .extensionGranted,
            ])
        #expect(snapshot.clockEvents[2].on == day("2026-03-02"))
        #expect(snapshot.clockEvents.last?.days == 20)
        #expect(snapshot.clockEvents == ApplicationLifecycle.clockEvents(ofStored: events))
        // The clock read from the kept events alone is the timeline's.
        let (_, clock) = try ApplicationLifecycle.read(events, version: classII, asOf: day("2026-04-10"), calendar: calendar)
        #expect(try ReviewClock.read(version: classII, events: snapshot.clockEvents, asOf: day("2026-04-10"), calendar: calendar) == clock)
        // Past approval, a licence and landing move no clock.
        let approved = [
            ApplicationEvent(.accepted, on: day("2025-12-01")), ApplicationEvent(.reviewCompleted, on: day("2026-02-02")),
            ApplicationEvent(.decisionMade, on: day("2026-02-10"), decision: .approve, certificate: "沪械注准20262210015"),
            ApplicationEvent(.productionLicenceGranted, on: day("2026-03-01")),
        ]
        #expect(ApplicationLifecycle.clockEvents(ofStored: approved).map(\.kind) == [.accepted, .reviewCompleted, .decisionMade])
    }

    @Test("kept clock events read back from their text unchanged; a text they were not written as is refused")
    func clockEventsText() {
        let events = [
            ClockEvent(.accepted, on: day("2025-12-01")), ClockEvent(.extensionGranted, on: day("2026-01-05"), days: 30),
            ClockEvent(.qmsInspectionStarted, on: day("2026-02-02")), ClockEvent(.decisionMade, on: day("2026-03-31")),
        ]
        let text = ClockEvent.storedText(of: events)
        #expect(text == "accepted 2025-12-01;extension_granted 2026-01-05 30;qms_inspection_started 2026-02-02;decision_made 2026-03-31")
        #expect(ClockEvent.events(storedText: text) == events)
        #expect(ClockEvent.events(storedText: "") == [])
        for broken in [
            "accepted", "accepted 2025-13-01", "opened 2025-12-01", "accepted 2025-12-01 x", "accepted 2025-12-01;", "accepted  2025-12-01",
        ] {
            #expect(ClockEvent.events(storedText: broken) == nil, "\(broken)")
        }
    }

    @Test(
        "certificate numbers: registrations and filings as DOMAIN.md §8 writes them",
        arguments: [
            ("国械注准20243130001", true), ("沪械注准20262210015", true), ("国械注进20242060123", true), ("国械注许20233220007", true),
            ("沪浦械备20190001", true), ("沪械备20230012", true),
            ("沪械注准20263210015", false),  // a province does not register Class III
            ("国械注准20242130001", false),  // the NMPA does not register domestic Class II
            ("沪械注进20242130001", false),  // imports are registered by the NMPA
            ("国械注准20243230001", false),  // no sub-catalogue 23
            ("沪械注准2026221001", false), ("沪械注准202622100150", false), ("X械注准20262210015", false), ("沪械准注20262210015", false),
            ("国械备20190001", false), ("沪浦械备2019001", false), ("沪械注准1999221001A", false),
        ])
    func certificates(text: String, valid: Bool) {
        let result = CertificateNumber.validate(text)
        if case .success = result { #expect(valid) } else { #expect(!valid) }
    }
}

@Suite("Clock snapshots: the level on any later day without recomputing the clock")
struct ClockSnapshotTests {
    let calendar = WorkCalendar.bundled
    let classII = ProcedureCatalogue.bundled().first { $0.code == "device.class2.registration" }!.version(inForceOn: day("2025-12-01"))!

    @Test("for every day of a year after each snapshot, the stored dates give the level the clock computes", arguments: [0.8, 0.5, 0.95])
    func agreesWithTheClock(amberFraction: Double) throws {
        let timelines: [[ClockEvent]] = [
            [ClockEvent(.accepted, on: day("2025-12-01"))],
            [ClockEvent(.accepted, on: day("2025-12-01")), ClockEvent(.supplementRequested, on: day("2026-01-15"))],
            [
                ClockEvent(.accepted, on: day("2025-12-01")), ClockEvent(.supplementRequested, on: day("2026-01-15")),
                ClockEvent(.supplementReceived, on: day("2026-02-10")),
            ],
            [ClockEvent(.accepted, on: day("2025-09-01")), ClockEvent(.expertReviewStarted, on: day("2025-09-26"))],
            [ClockEvent(.accepted, on: day("2025-06-02")), ClockEvent(.reviewCompleted, on: day("2025-08-20"))],
        ]
        for events in timelines {
            for offset in stride(from: 0, through: 300, by: 7) {
                let asOf = events.last!.on.adding(days: offset)
                let taken = try ReviewClock.read(version: classII, events: events, asOf: asOf, calendar: calendar, amberFraction: amberFraction)
                let snapshot = ClockSnapshot.of(taken, asOf: asOf, amberFraction: amberFraction, calendar: calendar)
                for later in 0..<120 {
                    let day = asOf.adding(days: later)
                    let level = try ReviewClock.read(version: classII, events: events, asOf: day, calendar: calendar, amberFraction: amberFraction)
                        .level
                    #expect(snapshot.level(on: day) == level, "\(events.map(\.kind)) snapshot \(asOf), day \(day)")
                    if snapshot.level(on: day) != level { return }
                }
            }
        }
    }
}
