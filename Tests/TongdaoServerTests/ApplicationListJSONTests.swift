import Fluent
import SQLKit
import Foundation
import Testing
import TongdaoAPI
import TongdaoCore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

@testable import TongdaoServer
@testable import TongdaoStore

/// The application list is answered with JSON written by hand (`ApplicationListResponder`); the
/// contract's generated types are what it must equal.
@Suite("The application list's hand-written JSON")
struct ApplicationListJSONTests {
    /// The page as the generated server would have answered it.
    static func generated(_ page: TongdaoUseCases.Page<ApplicationItem>) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return try encoder.encode(Components.Schemas.ApplicationPage(items: try page.items.map { try .init($0) }, nextCursor: page.next))
    }

    static func object(_ data: Data) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: data) as? NSDictionary)
    }

    @Test(
        "every page, as the regulator and as a district officer, is what the generated types encode, member for member",
        arguments: TestDatabase.enabled)
    func sameAsGenerated(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            _ = try await Fixtures.enterprisesAndProducts(on: app.platform)
            _ = try await DemoApplications.generate(
                count: 120, today: Fixtures.today, now: app.platform.clock.now(), by: .commandLine("test"), on: app.db)
            let regulator = try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
            let district = try await TestUsers.create("pudong", role: .districtOfficer, scope: .district("310115"), on: app)
            var compared = 0
            for user in [regulator, district] {
                let caller = Caller.user(id: user.id, username: user.username, role: user.role, scope: user.scope)
                var cursor: String?
                repeat {
                    let page = try await app.platform.applications.list(.init(), limit: 25, cursor: cursor, by: caller)
                    let written = Data(ApplicationListResponder.json(page))
                    let expected = try Self.generated(page)
                    #expect(try Self.object(written) == Self.object(expected))
                    #expect(
                        try JSONDecoder().decode(Components.Schemas.ApplicationPage.self, from: written)
                            == JSONDecoder().decode(Components.Schemas.ApplicationPage.self, from: expected))
                    compared += page.items.count
                    cursor = page.next
                } while cursor != nil
            }
            #expect(compared > 120)
            // The pages held every optional member: a clock with and without its inspection, a
            // supplement deadline, a certificate, a park, reviewers for the regulator only.
            let everything = try await app.platform.applications.list(.init(), limit: 200, by: .commandLine("test")).items
            #expect(everything.contains { $0.clock?.inspection != nil } && everything.contains { $0.clock?.inspection == nil })
            #expect(everything.contains { $0.clock?.supplementDeadline != nil } && everything.contains { $0.clock?.deadline != nil })
            #expect(everything.contains { $0.application.certificate != nil } && everything.contains { $0.application.park != nil })
        }
    }

    @Test("the route is answered by the hand-written JSON; a query it does not read as the generated server would goes on to it")
    func route() async throws {
        try await withTongdao(.sqlite) { app in
            _ = try await Fixtures.enterprisesAndProducts(on: app.platform)
            _ = try await DemoApplications.generate(
                count: 30, today: Fixtures.today, now: app.platform.clock.now(), by: .commandLine("test"), on: app.db)
            let user = try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
            let caller = Caller.user(id: user.id, username: user.username, role: user.role, scope: user.scope)
            let token = try await TestUsers.token("regulator", on: app)
            let filter = ApplicationUseCases.Filter(district: "310115", open: true)
            let page = try await app.platform.applications.list(filter, limit: 7, by: caller)
            #expect(!page.items.isEmpty)
            try await app.testing().test(.GET, "/api/v1/applications?limit=7&district=310115&open=true", headers: bearer(token)) { res in
                #expect(res.status == .ok)
                #expect(res.headers.contentType == .json)
                #expect(Array(res.body.readableBytesView) == ApplicationListResponder.json(page))
            }
            // An unknown parameter (which the generated server ignores) goes the generated way, and
            // answers the same page; so does a repeated one (answered as with the unknown one too).
            func body(_ query: String) async throws -> Data {
                var body = Data()
                try await app.testing().test(.GET, "/api/v1/applications?\(query)", headers: bearer(token)) { res in
                    #expect(res.status == .ok, "\(query)")
                    body = Data(res.body.readableBytesView)
                }
                return body
            }
            #expect(try await Self.object(body("limit=7&district=310115&open=true&unknown=1")) == Self.object(Self.generated(page)))
            let repeated = "limit=7&district=310104&district=310115&open=true"
            #expect(try await Self.object(body(repeated)) == Self.object(body(repeated + "&unknown=1")))
            // The use case's refusals and the contract's are answered as before.
            let district = try await TestUsers.create("pudong", role: .districtOfficer, scope: .district("310115"), on: app)
            let officer = try await TestUsers.token(district.username, on: app)
            try await app.testing().test(.GET, "/api/v1/applications?reviewer=reviewer", headers: bearer(officer)) { res in
                #expect(res.status == .forbidden)
                #expect(res.headers.contentType?.description.hasPrefix("application/problem+json") == true)
            }
            try await app.testing().test(.GET, "/api/v1/applications?limit=0", headers: bearer(token)) { res in #expect(res.status == .badRequest) }
            try await app.testing().test(.GET, "/api/v1/applications?cursor=nonsense", headers: bearer(token)) { res in
                #expect(res.status == .badRequest)
            }
            try await app.testing().test(.GET, "/api/v1/applications") { res in #expect(res.status == .unauthorized) }
        }
    }

    @Test(
        "every write keeps its application's clock events on the row, and the list's clock is the one the timeline gives",
        arguments: TestDatabase.enabled)
    func keptClockEvents(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let (_, products) = try await Fixtures.enterprisesAndProducts(on: app.platform)
            let product = try #require(products.first).id
            // A supplement, answered, its day corrected, then an extension; another withdrawn; a third only accepted.
            let first = try await Fixtures.application("SH-1", product: product, acceptedOn: CivilDate("2026-06-01")!, on: app.platform).application
                .id
            try await Fixtures.record(ApplicationEvent(.supplementRequested, on: CivilDate("2026-07-01")!), on: first, platform: app.platform)
            let answered = try await Fixtures.record(
                ApplicationEvent(.supplementReceived, on: CivilDate("2026-08-03")!), on: first, platform: app.platform)
            let received = try #require(answered.events.last).id
            try await Fixtures.record(
                ApplicationEvent(.supplementReceived, on: CivilDate("2026-08-05")!, supersedes: received, reason: "收件日期录入错误"), on: first,
                platform: app.platform)
            try await Fixtures.record(
                ApplicationEvent(.extensionGranted, on: CivilDate("2026-09-01")!, days: 10, reason: "专家意见分歧"), on: first, platform: app.platform)
            let second = try await Fixtures.application("SH-2", product: product, acceptedOn: CivilDate("2026-05-11")!, on: app.platform).application
                .id
            try await Fixtures.record(ApplicationEvent(.withdrawn, on: CivilDate("2026-06-15")!), on: second, platform: app.platform)
            try await Fixtures.application("SH-3", product: product, acceptedOn: CivilDate("2026-11-02")!, on: app.platform)

            let sql = try #require(app.db as? any SQLDatabase)
            let kept = try await sql.select().column("id").column("clock_events").from("applications").all()
            #expect(kept.count == 3)
            let timelines = try await ApplicationStore.timelines(of: [first, second], on: app.db)
            for row in kept {
                let id = try row.decode(column: "id", as: UUID.self)
                let text = try row.decode(column: "clock_events", as: String?.self)
                let detail = try await app.platform.applications.detail(id: id, by: Fixtures.caller)
                #expect(text == ClockEvent.storedText(of: ApplicationLifecycle.clockEvents(ofStored: detail.events.map(\.event))))
                if let timeline = timelines[id] {
                    #expect(ApplicationLifecycle.clockEvents(ofStored: timeline) == ClockEvent.events(storedText: text ?? ""))
                }
            }
            #expect(
                try await sql.select().column("clock_events").from("applications").where("id", .equal, first).first()?
                    .decode(column: "clock_events", as: String.self)
                    == "accepted 2026-06-01;supplement_requested 2026-07-01;supplement_received 2026-08-05;extension_granted 2026-09-01 10")
            let listed = try await app.platform.applications.list(.init(), limit: 10, by: Fixtures.caller).items
            #expect(listed.count == 3)
            for item in listed {
                let detail = try await app.platform.applications.detail(id: item.application.id, by: Fixtures.caller)
                #expect(item.clock == detail.item.clock && item.clock != nil)
            }

            // A row written before the events were kept (none kept) has its timeline read instead.
            try await sql.update("applications").set("clock_events", to: SQLLiteral.null).where("id", .equal, first).run()
            let reread = try await app.platform.applications.list(.init(), limit: 10, by: Fixtures.caller).items
            #expect(reread == listed)
        }
    }

    @Test("migration 031 fills in the clock events of the applications already stored")
    func migrationFillsIn() async throws {
        try await withTongdao(.sqlite) { app in
            _ = try await Fixtures.enterprisesAndProducts(on: app.platform)
            _ = try await DemoApplications.generate(
                count: 40, today: Fixtures.today, now: app.platform.clock.now(), by: .commandLine("test"), on: app.db)
            let sql = try #require(app.db as? any SQLDatabase)
            func kept() async throws -> [String: String?] {
                Dictionary(
                    uniqueKeysWithValues: try await sql.select().column("id").column("clock_events").from("applications").all().map {
                        (try $0.decode(column: "id", as: String.self), try $0.decode(column: "clock_events", as: String?.self))
                    })
            }
            let written = try await kept()
            #expect(written.count == 40 && written.values.allSatisfy { $0 != nil })
            try await sql.update("applications").set("clock_events", to: SQLLiteral.null).run()
            #expect(try await kept().values.allSatisfy { $0 == nil })
            try await KeepClockEvents.fillIn(on: app.db)
            #expect(try await kept() == written)
        }
    }

    @Test("text is escaped as JSON requires and reads back unchanged; numbers, dates and ids as Foundation writes them")
    func values() throws {
        let texts = [
            "", "plain", "引号\"与反斜杠\\", "</script><b>", "line\nbreak\r\ttab", "\u{0}\u{1}\u{1F}\u{7F}", "\u{2028}\u{2029}\u{202E}",
            "😀 沪械注准20262210015", String(repeating: "长", count: 2_000),
        ]
        var json = JSONBytes(capacity: 16)
        json.array(texts) { json, text in json.string(text) }
        #expect(try JSONSerialization.jsonObject(with: Data(json.bytes)) as? [String] == texts)

        let numbers = [0, 7, -7, 10, 99, 100, 1_000_000, Int.max, Int.min]
        json = JSONBytes(capacity: 16)
        json.array(numbers) { json, number in json.int(number) }
        #expect(String(decoding: json.bytes, as: UTF8.self) == "[" + numbers.map(String.init).joined(separator: ",") + "]")

        let days = [CivilDate(year: 2004, month: 1, day: 1)!, CivilDate(year: 2026, month: 12, day: 31)!, CivilDate(year: 2099, month: 6, day: 9)!]
        let ids = [UUID(), UUID(), UUID(uuidString: "00000000-0000-0000-0000-000000000000")!]
        json = JSONBytes(capacity: 16)
        json.object { json in
            json.key("days")
            json.array(days) { json, day in json.date(day) }
            json.key("ids")
            json.array(ids) { json, id in json.uuid(id) }
            json.member("yes", true)
            json.member("no", false)
            json.member("absent", String?.none)
        }
        let read = try #require(try JSONSerialization.jsonObject(with: Data(json.bytes)) as? [String: Any])
        #expect(read["days"] as? [String] == days.map(\.description))
        #expect(read["ids"] as? [String] == ids.map(\.uuidString))
        #expect(read["yes"] as? Bool == true && read["no"] as? Bool == false && read["absent"] == nil)
    }
}
