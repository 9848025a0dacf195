import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

struct ApplicationBody: Decodable {
    struct Event: Decodable {
        var id: String
        var sequence: Int
        var type: String
        var on: String
        var certificate: String?
        var superseded: Bool?
        var reason: String?
        var note: String?
        var recordedBy: String?
    }

    struct Clock: Decodable {
        var phase: String
        var state: String
        var deadline: String?
        var level: String
        var supplementDeadline: String?
        var remaining: Int?
    }

    var id: String
    var status: String
    var certificate: String?
    var procedureVersion: String
    var reviewer: String?
    var responsibleOfficer: String?
    var clock: Clock?
    var events: [Event]?
}

private struct Page: Decodable {
    var items: [ApplicationBody]
    var nextCursor: String?
}

private struct Timeline: Decodable {
    var applications: [ApplicationBody]
}

@Suite("Applications: journeys through review, clocks, corrections and who sees what")
struct ApplicationAPITests {
    struct NewApplication: Encodable {
        var productId: String
        var procedure = "device.class2.registration"
        var authority = "shanghai_mpa"
        var applicationNumber: String
        var channel = "normal"
        var reviewer: String? = "reviewer"
        var responsibleOfficer: String? = "pudong"
        var acceptedOn: String
    }

    struct Event: Encodable {
        var type: String
        var on: String
        var days: Int?
        var decision: String?
        var certificate: String?
        var supersedes: String?
        var reason: String?
        var note: String?
    }

    /// Sends a request and returns the status and the decoded application or problem.
    static func send(
        _ app: Application, _ method: HTTPMethod, _ path: String, token: String, body: (some Encodable)? = nil as String?
    ) async throws -> (status: HTTPStatus, application: ApplicationBody?, problem: ProblemBody?) {
        var result: (HTTPStatus, ApplicationBody?, ProblemBody?)?
        try await app.testing().test(
            method, path, headers: bearer(token),
            beforeRequest: { req in
                if let body { try req.json(body) }
            }
        ) { res in
            result = (res.status, decoded(ApplicationBody.self, from: res), decoded(ProblemBody.self, from: res))
        }
        return try #require(result)
    }

    static func record(_ app: Application, _ id: String, _ event: Event, token: String) async throws -> (
        status: HTTPStatus, application: ApplicationBody?, problem: ProblemBody?
    ) {
        try await send(app, .POST, "/api/v1/applications/\(id)/events", token: token, body: event)
    }

    // The clock dates are the hand-worked ones of ReviewClockTests.supplementAcrossSpringFestival:
    // accepted Mon 1 Dec 2025, supplement requested Thu 15 Jan 2026 (supplement due within a calendar
    // year, by 15 Jan 2027), received Tue 10 Feb across the Spring Festival; the fresh 60 working days
    // end on Thu 14 May 2026.
    @Test(
        "a Class II registration from acceptance to production licence; a refusal; the enterprise never sees a note", arguments: TestDatabase.enabled)
    func journeys(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let (enterprises, products) = try await Fixtures.enterprisesAndProducts(on: app.platform)
            try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
            try await TestUsers.create("reviewer", role: .reviewer, scope: .city, on: app)
            try await TestUsers.create("inspector", role: .inspector, scope: .city, on: app)
            try await TestUsers.create("industry", role: .industryOfficer, scope: .city, on: app)
            try await TestUsers.create("pudong", role: .districtOfficer, scope: .district("310115"), on: app)
            try await TestUsers.create("firm", role: .enterpriseUser, scope: .enterprise(enterprises[0].uscc), on: app)
            try await TestUsers.create("other", role: .enterpriseUser, scope: .enterprise(enterprises[1].uscc), on: app)
            let regulator = try await TestUsers.token("regulator", on: app)
            let reviewer = try await TestUsers.token("reviewer", on: app)
            let inspector = try await TestUsers.token("inspector", on: app)
            let firm = try await TestUsers.token("firm", on: app)
            let other = try await TestUsers.token("other", on: app)
            let industry = try await TestUsers.token("industry", on: app)

            // Registered at acceptance by the regulator; a reviewer or an enterprise cannot.
            let new = NewApplication(productId: products[0].id.uuidString, applicationNumber: "CQZ2500123", acceptedOn: "2025-12-01")
            #expect(try await Self.send(app, .POST, "/api/v1/applications", token: firm, body: new).status == .forbidden)
            let (createdStatus, created, _) = try await Self.send(app, .POST, "/api/v1/applications", token: regulator, body: new)
            #expect(createdStatus == .created)
            let application = try #require(created)
            #expect(application.status == "in_review" && application.events?.map(\.type) == ["accepted"])
            let id = application.id
            #expect(try await Self.send(app, .POST, "/api/v1/applications", token: regulator, body: new).status == .conflict, "numbers are unique")

            // The reviewer asks for a supplement, with a note only the regulator's side reads.
            let (_, waiting, _) = try await Self.record(
                app, id, Event(type: "supplement_requested", on: "2026-01-15", note: "临床评价资料不足"), token: reviewer)
            #expect(waiting?.status == "awaiting_supplement" && waiting?.clock?.supplementDeadline == "2027-01-15")
            #expect(waiting?.events?.last?.note == "临床评价资料不足" && waiting?.events?.last?.recordedBy != nil)
            for token in [firm, industry] {
                let (status, seen, _) = try await Self.send(app, .GET, "/api/v1/applications/\(id)", token: token)
                #expect(status == .ok && seen?.status == "awaiting_supplement" && seen?.clock?.supplementDeadline == "2027-01-15")
                #expect(seen?.events?.allSatisfy { $0.note == nil && $0.recordedBy == nil } == true, "no notes outside the regulator's roles")
            }
            #expect(try await Self.send(app, .GET, "/api/v1/applications/\(id)", token: other).status == .notFound)

            // An impossible event is named and changes nothing.
            let (early, _, earlyProblem) = try await Self.record(
                app, id, Event(type: "decision_made", on: "2026-01-20", decision: "approve", certificate: "沪械注准20262210015"), token: reviewer)
            #expect(early == .unprocessableEntity && earlyProblem?.errors?.first?.field == "type")
            #expect(earlyProblem?.errors?.first?.message.hasPrefix("decision_made") == true)

            let (_, resumed, _) = try await Self.record(app, id, Event(type: "supplement_received", on: "2026-02-10"), token: reviewer)
            #expect(resumed?.status == "in_review" && resumed?.clock?.deadline == "2026-05-14")

            // The inspector records the inspection, and nothing else.
            #expect(try await Self.record(app, id, Event(type: "qms_inspection_started", on: "2026-03-02"), token: inspector).status == .created)
            #expect(try await Self.record(app, id, Event(type: "review_completed", on: "2026-03-10"), token: inspector).status == .forbidden)
            let (busy, _, busyProblem) = try await Self.record(app, id, Event(type: "review_completed", on: "2026-03-10"), token: reviewer)
            #expect(busy == .unprocessableEntity && busyProblem?.errors?.first?.message.contains("inspection") == true)
            let (inspected, afterInspection, _) = try await Self.record(
                app, id, Event(type: "qms_inspection_completed", on: "2026-03-20", note: "未发现严重缺陷"), token: inspector)
            #expect(inspected == .created)
            // Its 14 working days (2 Mar, 20 Mar] are not counted on the review clock: the deadline moves
            // from 14 May to 3 Jun (ApplicationLifecycleTests.journeyToMarket), and the stored clock with it.
            #expect(afterInspection?.clock?.deadline == "2026-06-03", "\(String(describing: afterInspection?.clock))")

            let (_, reviewed, _) = try await Self.record(app, id, Event(type: "review_completed", on: "2026-04-20"), token: reviewer)
            #expect(reviewed?.status == "review_completed" && reviewed?.clock?.phase == "decision")
            // The dashboard's review time is stored without the inspection: 10 working days before it,
            // 20 after it to 20 Apr (23–27, 30–31 Mar, 1–3, 7–10, 13–17, 20 Apr), 30 (44 with it).
            let stored = try #require(try await ApplicationModel.find(UUID(uuidString: id), on: app.db))
            #expect(stored.reviewWorkingDays == 30)

            // The decision needs a certificate number of the right form.
            let (badCertificate, _, certificateProblem) = try await Self.record(
                app, id, Event(type: "decision_made", on: "2026-04-30", decision: "approve", certificate: "沪械注准20263210015"), token: reviewer)
            #expect(badCertificate == .unprocessableEntity && certificateProblem?.errors?.first?.message.contains("certificate") == true)
            let (_, approved, _) = try await Self.record(
                app, id, Event(type: "decision_made", on: "2026-04-30", decision: "approve", certificate: "沪械注准20262210015"), token: reviewer)
            #expect(approved?.status == "approved" && approved?.certificate == "沪械注准20262210015")

            // A correction supersedes the wrong date, with a reason; the first stays on the record.
            let (_, licensed, _) = try await Self.record(app, id, Event(type: "production_licence_granted", on: "2026-06-10"), token: regulator)
            let wrong = try #require(licensed?.events?.last?.id)
            let (noReason, _, reasonProblem) = try await Self.record(
                app, id, Event(type: "production_licence_granted", on: "2026-06-12", supersedes: wrong), token: regulator)
            #expect(noReason == .unprocessableEntity && reasonProblem?.errors?.first?.field == "reason")
            let (_, corrected, _) = try await Self.record(
                app, id, Event(type: "production_licence_granted", on: "2026-06-12", supersedes: wrong, reason: "许可证日期录入错误"), token: regulator)
            #expect(corrected?.status == "licensed")
            #expect(corrected?.events?.first { $0.id == wrong }?.superseded == true)
            #expect(corrected?.events?.count == 9)

            // A refused application of another enterprise: nothing may follow the refusal.
            let refusedNew = NewApplication(
                productId: products[1].id.uuidString, applicationNumber: "CQZ2600007", acceptedOn: "2026-01-05")
            let refused = try #require(try await Self.send(app, .POST, "/api/v1/applications", token: regulator, body: refusedNew).application)
            _ = try await Self.record(app, refused.id, Event(type: "review_completed", on: "2026-03-02"), token: reviewer)
            let (_, decided, _) = try await Self.record(
                app, refused.id, Event(type: "decision_made", on: "2026-03-09", decision: "refuse"), token: reviewer)
            #expect(decided?.status == "refused" && decided?.certificate == nil)
            #expect(
                try await Self.record(app, refused.id, Event(type: "production_licence_granted", on: "2026-04-01"), token: regulator).status
                    == .unprocessableEntity)

            // Lists are scoped: the enterprise sees its own; filters by status.
            var page: Page?
            try await app.testing().test(.GET, "/api/v1/applications", headers: bearer(firm)) { res in page = decoded(Page.self, from: res) }
            #expect(page?.items.map(\.id) == [id])
            try await app.testing().test(.GET, "/api/v1/applications?status=refused", headers: bearer(regulator)) { res in
                page = decoded(Page.self, from: res)
            }
            #expect(page?.items.map(\.id) == [refused.id])
            try await app.testing().test(.GET, "/api/v1/applications?level=purple", headers: bearer(regulator)) { res in
                #expect(res.status == .badRequest)
            }

            // The product's journey, as the enterprise sees it.
            var timeline: Timeline?
            try await app.testing().test(.GET, "/api/v1/products/\(products[0].id)/timeline", headers: bearer(firm)) { res in
                timeline = decoded(Timeline.self, from: res)
            }
            #expect(timeline?.applications.map(\.status) == ["licensed"])
            #expect(timeline?.applications.first?.events?.contains { $0.note != nil } == false)

            // One audit row for every write: two registrations (each with its accepted event) and the ten
            // events recorded after them; refused events left no trace.
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "application.create").count() == 2)
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "application.event").count() == 10)
            #expect(try await ApplicationEventModel.query(on: app.db).count() == 12)
        }
    }

    @Test("the level filter, answered in SQL from the stored snapshots, agrees with every clock computed in memory", arguments: TestDatabase.enabled)
    func levelsAgree(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            _ = try await Fixtures.enterprisesAndProducts(on: app.platform)
            try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
            let token = try await TestUsers.token("regulator", on: app)
            let made = try await DemoApplications.generate(
                count: 200, today: Fixtures.today, now: app.platform.clock.now(), by: .commandLine("test"), on: app.db)
            #expect(made == 200)
            func all(_ query: String) async throws -> [ApplicationBody] {
                var items: [ApplicationBody] = []
                var cursor: String?
                repeat {
                    var page: Page?
                    try await app.testing().test(
                        .GET, "/api/v1/applications?limit=30\(query)\(cursor.map { "&cursor=\($0)" } ?? "")", headers: bearer(token)
                    ) { res in
                        #expect(res.status == .ok)
                        page = decoded(Page.self, from: res)
                    }
                    items += page?.items ?? []
                    cursor = page?.nextCursor
                } while cursor != nil
                return items
            }
            let everything = try await all("")
            #expect(everything.count == 200)
            // The list reads its rows by hand, and each clock from the events its row keeps: what it
            // reads is what the models hold, and the clock events are those of the timeline.
            let listed = try await ApplicationStore.list(.init(), scope: .everything, limit: 200, on: app.db).items
            let models = try await ApplicationModel.query(on: app.db).all()
            let events = try await ApplicationStore.events(of: models.compactMap(\.id), on: app.db)
            #expect(listed.count == 200)
            for model in models {
                let row = try model.row
                let item = listed.first { $0.application.id == row.id }
                #expect(
                    item.map {
                        var read = $0.application; read.clockEvents = nil; return read
                    } == row)
                #expect(item?.application.clockEvents != nil)
                #expect(item?.clockEvents == ApplicationLifecycle.clockEvents(ofStored: events[row.id]?.map(\.event) ?? []))
            }
            #expect(listed.contains { $0.application.park != nil } && listed.contains { $0.application.reviewer != nil })
            #expect(listed.contains { $0.clockEvents.contains { $0.days != nil } })
            let open = Set(["in_review", "awaiting_supplement", "expert_review", "suspended", "review_completed"])
            for level in ["green", "amber", "red"] {
                let expected = Set(everything.filter { open.contains($0.status) && $0.clock?.level == level }.map(\.id))
                let filtered = Set(try await all("&level=\(level)").map(\.id))
                #expect(filtered == expected, "level \(level): \(filtered.count) filtered, \(expected.count) computed")
                if level != "amber" { #expect(!expected.isEmpty, "the generated set has \(level) clocks to compare") }
            }
            #expect(Set(try await all("&overdue=true").map(\.id)) == Set(try await all("&level=red").map(\.id)))
            // not overdue: every application whose clock is not red today, decided ones included
            let notOverdue = Set(everything.filter { $0.clock?.level != "red" }.map(\.id))
            #expect(Set(try await all("&overdue=false").map(\.id)) == notOverdue)
            #expect(try await all("&level=amber&overdue=true").isEmpty, "both filters hold at once")
            // sorted by remaining working days: the running clocks, fewest left first, across pages
            let byRemaining = try await all("&sort=remaining")
            let running = everything.filter { open.contains($0.status) && $0.clock?.state == "running" }
            #expect(Set(byRemaining.map(\.id)) == Set(running.map(\.id)) && byRemaining.count == running.count)
            let remaining = byRemaining.compactMap { $0.clock?.remaining }
            #expect(remaining == remaining.sorted() && remaining.count == byRemaining.count && !remaining.isEmpty)
        }
    }
}
