import AsyncHTTPClient
import Fluent
import Foundation
import NIOCore
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

/// Server-Sent Events as a browser's `EventSource` reads them, over a real connection.
actor EventStreamInbox {
    struct Event: Sendable, Equatable {
        var name: String
        var id: String?
        var data: String
    }

    private var events: [Event] = []
    private var reader: Task<Void, Never>?
    /// When the server ended the stream, if it has.
    private(set) var endedAt: ContinuousClock.Instant?

    /// Connects to `url` with a bearer token and keeps reading in the background.
    static func open(_ url: String, token: String, client: HTTPClient) async throws -> EventStreamInbox {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Accept", value: "text/event-stream")
        let response = try await client.execute(request, deadline: .now() + .seconds(120))
        #expect(response.status == .ok)
        #expect(response.headers.first(name: "Content-Type")?.hasPrefix("text/event-stream") == true)
        let inbox = EventStreamInbox()
        await inbox.read(response.body)
        return inbox
    }

    private func read(_ body: HTTPClientResponse.Body) {
        reader = Task { [weak self] in
            var pending = ""
            do {
                for try await buffer in body {
                    pending += String(buffer: buffer)
                    while let end = pending.range(of: "\n\n") {
                        let block = String(pending[..<end.lowerBound])
                        pending = String(pending[end.upperBound...])
                        if let event = Self.parse(block) { await self?.append(event) }
                    }
                }
            } catch {}
            await self?.markEnded()
        }
    }

    private func markEnded() { endedAt = .now }

    /// Whether the server ends the stream within `within`.
    func ends(within: Duration) async -> Bool {
        let deadline = ContinuousClock.now + within
        while endedAt == nil, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(10)) }
        return endedAt != nil
    }

    /// One block of lines; nil for blocks without data (`retry:`, comments).
    static func parse(_ block: String) -> Event? {
        var event = Event(name: "message", id: nil, data: "")
        var hasData = false
        for line in block.split(separator: "\n", omittingEmptySubsequences: false) where !line.hasPrefix(":") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let field = line[..<colon]
            var value = line[line.index(after: colon)...]
            if value.hasPrefix(" ") { value = value.dropFirst() }
            switch field {
            case "event": event.name = String(value)
            case "id": event.id = String(value)
            case "data":
                event.data += (hasData ? "\n" : "") + value
                hasData = true
            default: break
            }
        }
        return hasData ? event : nil
    }

    private func append(_ event: Event) { events.append(event) }

    /// The next event received, waiting up to `within`; nil if none came.
    func next(within: Duration) async -> Event? {
        let deadline = ContinuousClock.now + within
        while events.isEmpty, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        return events.isEmpty ? nil : events.removeFirst()
    }

    func close() {
        reader?.cancel()
    }
}

/// The app serving HTTP on a free port of 127.0.0.1 (lifecycle booted, so PostgreSQL's listener
/// runs), for clients that need a real connection.
func withRunningServer(_ app: Application, _ body: (_ base: String) async throws -> Void) async throws {
    try await app.asyncBoot()
    try await app.server.start(address: .hostname("127.0.0.1", port: 0))
    do {
        let port = try #require(app.http.server.shared.localAddress?.port)
        // With PostgreSQL, notices arrive only once the listener has its LISTEN in place.
        let deadline = ContinuousClock.now + .seconds(10)
        while !app.liveFeed.isListening, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        try #require(app.liveFeed.isListening)
        try await body("http://127.0.0.1:\(port)")
    } catch {
        app.liveFeed.close()
        await app.server.shutdown()
        throw error
    }
    // Open streams end first, so the server has no response in flight when it stops.
    app.liveFeed.close()
    await app.server.shutdown()
}

/// A JSON POST over a real connection (to a server from `withRunningServer`): the status and the body's text.
func postJSON(
    _ client: HTTPClient, _ url: String, headers: [(String, String)] = [], json: some Encodable
) async throws -> (status: HTTPResponseStatus, text: String) {
    var request = HTTPClientRequest(url: url)
    request.method = .POST
    request.headers.add(name: "Content-Type", value: "application/json")
    for (name, value) in headers { request.headers.add(name: name, value: value) }
    request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(json)))
    let response = try await client.execute(request, deadline: .now() + .seconds(30))
    return (response.status, String(buffer: try await response.body.collect(upTo: 1 << 20)))
}

@Suite("The big screen's live feed: Server-Sent Events in the viewer's scope")
struct LiveTests {
    struct LiveItem: Decodable, Equatable {
        var id: String
        var applicationNumber: String
        var kind: String
        var kindLabel: String
        var districtName: String
        var productName: String
    }

    /// The stored event a notice names. How soon notices arrive is measured by a benchmark, not
    /// here: the suite runs every test at once on two cores, so a timed bound here measures the load.
    /// A notice that did not come through the push path at all fails the tests' deadlines.
    @discardableResult
    static func stored(_ notice: EventStreamInbox.Event, on db: any Database) async throws -> ApplicationEventModel {
        let item = try JSONDecoder().decode(LiveItem.self, from: Data(notice.data.utf8))
        let id = try #require(UUID(uuidString: item.id))
        return try #require(try await ApplicationEventModel.find(id, on: db), "the notice names a stored event")
    }

    static func post(_ client: HTTPClient, _ url: String, token: String, json: some Encodable) async throws -> HTTPResponseStatus {
        let (status, text) = try await postJSON(client, url, headers: [("Authorization", "Bearer \(token)")], json: json)
        #expect(status == .created || status == .ok, "\(url): \(text)")
        return status
    }

    @Test(
        "an event recorded through the API reaches an open stream at once; another district's stream gets only its own",
        arguments: TestDatabase.enabled)
    func eventsReachOpenStreams(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let made = try await Fixtures.reviews(on: app.platform)
            let elsewhere = try #require(try await ProductModel.query(on: app.db).filter(\.$district != "310115").first())
            try await TestUsers.create("elsewhere-officer", role: .districtOfficer, scope: .district(elsewhere.district), on: app)
            let cityToken = try await TestUsers.token("city", on: app)
            let otherToken = try await TestUsers.token("elsewhere-officer", on: app)
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            do {
                try await withRunningServer(app) { base in
                    let city = try await EventStreamInbox.open("\(base)/live", token: cityToken, client: client)
                    let other = try await EventStreamInbox.open("\(base)/live", token: otherToken, client: client)
                    // The city's stream narrowed to the other district, as a screen in that district's hall.
                    let narrowed = try await EventStreamInbox.open("\(base)/live?district=\(elsewhere.district)", token: cityToken, client: client)

                    // First the latest events, newest first: the city sees Pudong's five, the other district none.
                    let recent = try #require(await city.next(within: .seconds(5)))
                    #expect(recent.name == "recent")
                    let items = try JSONDecoder().decode([LiveItem].self, from: Data(recent.data.utf8))
                    #expect(items.count == 5)
                    #expect(items.first?.applicationNumber == "SH-D" && items.first?.kind == "supplement_requested")
                    #expect(Set(items.map(\.applicationNumber)) == ["SH-A", "SH-B", "SH-C", "SH-D"])
                    #expect(items.allSatisfy { $0.districtName == "浦东新区" })
                    let otherRecent = try #require(await other.next(within: .seconds(5)))
                    #expect(otherRecent.name == "recent" && otherRecent.data == "[]")
                    let narrowedRecent = try #require(await narrowed.next(within: .seconds(5)))
                    #expect(narrowedRecent.name == "recent" && narrowedRecent.data == "[]")

                    // A Pudong event: the city's stream has it.
                    let c = try #require(made["C"]?.id)
                    _ = try await Self.post(
                        client, "\(base)/api/v1/applications/\(c.uuidString)/events", token: cityToken,
                        json: ApplicationAPITests.Event(type: "supplement_requested", on: "2026-06-02"))
                    let notice = try #require(await city.next(within: .seconds(10)), "no notice")
                    try await Self.stored(notice, on: app.db)
                    #expect(notice.name == "notice")
                    let item = try JSONDecoder().decode(LiveItem.self, from: Data(notice.data.utf8))
                    #expect(
                        item.applicationNumber == "SH-C" && item.kind == "supplement_requested"
                            && item.kindLabel == ApplicationEventKind.supplementRequested.label)
                    #expect(notice.id == item.id)
                    let stored = try await ApplicationEventModel.query(on: app.db).filter(\.$application.$id == c).filter(
                        \.$kind == .supplementRequested
                    ).first()
                    #expect(stored?.id?.uuidString == item.id, "the notice names the stored event")

                    // A new application in the other district: its officer's next event is that one,
                    // not Pudong's; the city sees it too.
                    _ = try await Self.post(
                        client, "\(base)/api/v1/applications", token: cityToken,
                        json: ApplicationAPITests.NewApplication(
                            productId: try elsewhere.requireID().uuidString, applicationNumber: "EL-1", reviewer: nil, responsibleOfficer: nil,
                            acceptedOn: "2026-11-02"))
                    let own = try #require(await other.next(within: .seconds(10)))
                    try await Self.stored(own, on: app.db)
                    let ownItem = try JSONDecoder().decode(LiveItem.self, from: Data(own.data.utf8))
                    #expect(own.name == "notice" && ownItem.applicationNumber == "EL-1" && ownItem.kind == "accepted")
                    let cityNext = try #require(await city.next(within: .seconds(10)))
                    try await Self.stored(cityNext, on: app.db)
                    #expect(try JSONDecoder().decode(LiveItem.self, from: Data(cityNext.data.utf8)).applicationNumber == "EL-1")
                    // The narrowed stream skipped Pudong's event: its first notice is the other district's.
                    let narrowedNext = try #require(await narrowed.next(within: .seconds(10)))
                    #expect(narrowedNext.name == "notice")
                    #expect(try JSONDecoder().decode(LiveItem.self, from: Data(narrowedNext.data.utf8)).applicationNumber == "EL-1")
                    await city.close()
                    await other.close()
                    await narrowed.close()
                }
                try await client.shutdown()
            } catch {
                try? await client.shutdown()
                throw error
            }
        }
    }

    @Test(
        "/screen: the counters, four charts and the latest events in the viewer's scope, the Delta map under them for a reader of the Delta; /screen/panels redraws the panels and the map"
    )
    func screenPage() async throws {
        try await withTongdao { app in
            _ = try await Fixtures.reviews(on: app.platform)
            let city = Browser(app)
            #expect(try await city.signIn("city") == .seeOther)
            let page = try await city.get("/screen")
            #expect(page.status == .ok)
            #expect(page.html.contains(#"<body class="screen">"#) && page.html.contains(#"<script src="/js/screen.js" defer="defer"></script>"#))
            // The city reads the Delta: its map under the events, which are fewer to leave it room.
            #expect(page.html.components(separatedBy: #"class="chart" role="img""#).count - 1 == 5)
            #expect(page.html.contains(#"<div id="screen-delta"><figure class="screen-panel screen-delta">"#))
            #expect(page.html.contains(#"<ol id="screen-events" data-shown="6""#))
            #expect(page.html.components(separatedBy: #"<li class="screen-event"#).count - 1 == 5)
            #expect(page.html.contains("SH-D") && page.html.contains("上海市（全市）"))
            // Four open applications: the counter says so.
            #expect(page.html.contains(#"<p class="screen-counter-label">在审事项</p><p class="screen-counter-value">4</p>"#))
            let panels = try await city.get("/screen/panels")
            #expect(panels.status == .ok && !panels.html.contains("<html") && panels.html.contains("screen-counters"))
            #expect(panels.html.hasPrefix(#"<div data-part="screen-panels"><div class="screen-counters">"#))
            #expect(panels.html.contains(#"<div data-part="screen-delta"><figure class="screen-panel screen-delta">"#))
            #expect(panels.html.components(separatedBy: #"class="chart" role="img""#).count - 1 == 5)

            let xuhui = Browser(app)
            #expect(try await xuhui.signIn("xuhui-officer") == .seeOther)
            let own = try await xuhui.get("/screen")
            #expect(own.html.contains("徐汇区") && !own.html.contains("SH-D"), "another district's events stay off this screen")
            #expect(own.html.contains(#"<p class="screen-counter-label">在审事项</p><p class="screen-counter-value">0</p>"#))
            #expect(!own.html.contains("data-district"), "an officer's own screen is not narrowed")
            // A district officer does not read the Delta: no map, and the events have the column.
            #expect(own.html.components(separatedBy: #"class="chart" role="img""#).count - 1 == 4 && !own.html.contains("screen-delta"))
            #expect(own.html.contains(#"<ol id="screen-events" data-shown="12""#))
            let ownPanels = try await xuhui.get("/screen/panels")
            #expect(ownPanels.html.contains("screen-panels") && !ownPanels.html.contains("screen-delta"))
            // Asking for Pudong does not widen the officer's screen: it is refused.
            let widened = try await xuhui.get("/screen?district=310115")
            #expect(widened.status == .forbidden && !widened.html.contains("SH-D") && widened.html.contains("超出您的权限范围"))

            // The city's screen narrowed to Xuhui: Xuhui's figures and events, and screen.js told which district.
            let narrowed = try await city.get("/screen?district=310104")
            #expect(narrowed.html.contains(#"<p class="screen-scope">徐汇区</p>"#) && !narrowed.html.contains("SH-D"))
            #expect(narrowed.html.contains(#"id="screen-panels" class="screen-panels" data-district="310104""#))
            #expect(narrowed.html.contains(#"<p class="screen-counter-label">在审事项</p><p class="screen-counter-value">0</p>"#))
            let narrowedPanels = try await city.get("/screen/panels?district=310104")
            #expect(narrowedPanels.html.contains(#"<p class="screen-counter-label">在审事项</p><p class="screen-counter-value">0</p>"#))
            let pudongPanels = try await city.get("/screen/panels?district=310115")
            #expect(pudongPanels.html.contains(#"<p class="screen-counter-label">在审事项</p><p class="screen-counter-value">4</p>"#))
        }
    }

    @Test("without a session or token the stream answers 401 as a problem document")
    func needsSignIn() async throws {
        try await withTongdao(.sqlite) { app in
            try await app.testing().test(.GET, "/live") { res in
                #expect(res.status == .unauthorized)
                #expect(res.headers.contentType?.description.hasPrefix("application/problem+json") == true)
            }
        }
    }

    @Test("with PostgreSQL, an event written through one instance reaches a stream open on another (LISTEN/NOTIFY)")
    func fansOutAcrossInstances() async throws {
        guard TestDatabase.enabled.contains(.postgres) else { return }
        try await TestDatabase.postgres.withFreshLocation { location in
            try await withConfiguredApp(location: location) { writer in
                let made = try await Fixtures.reviews(on: writer.platform)
                let token = try await TestUsers.token("city", on: writer)
                try await withConfiguredApp(location: location, migrate: false) { reader in
                    let client = HTTPClient(eventLoopGroupProvider: .singleton)
                    do {
                        try await withRunningServer(reader) { readerBase in
                            let stream = try await EventStreamInbox.open("\(readerBase)/live", token: token, client: client)
                            #expect(await stream.next(within: .seconds(5))?.name == "recent")
                            try await withRunningServer(writer) { writerBase in
                                let a = try #require(made["A"]?.id)
                                _ = try await Self.post(
                                    client, "\(writerBase)/api/v1/applications/\(a.uuidString)/events", token: token,
                                    json: ApplicationAPITests.Event(type: "supplement_requested", on: "2026-02-02"))
                                let notice = try #require(await stream.next(within: .seconds(10)), "the other instance's event did not arrive")
                                try await Self.stored(notice, on: reader.db)
                                let item = try JSONDecoder().decode(LiveItem.self, from: Data(notice.data.utf8))
                                #expect(notice.name == "notice" && item.applicationNumber == "SH-A" && item.kind == "supplement_requested")
                                // Exactly once: nothing else follows.
                                #expect(await stream.next(within: .milliseconds(500)) == nil)
                            }
                            await stream.close()
                        }
                        try await client.shutdown()
                    } catch {
                        try? await client.shutdown()
                        throw error
                    }
                }
            }
        }
    }

    @Test("a stream ends at once when its token is revoked or its user disabled, on SQLite and PostgreSQL", arguments: TestDatabase.enabled)
    func revokedCredentialEndsStreams(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            try await TestUsers.create("admin", role: .cityAdmin, scope: .city, on: app)
            try await TestUsers.create("watcher", role: .cityRegulator, scope: .city, on: app)
            let admin = try await TestUsers.token("admin", on: app)
            let first = try await TestUsers.token("watcher", on: app)
            let second = try await TestUsers.token("watcher", on: app)
            try await withRunningServer(app) { base in
                let client = HTTPClient(eventLoopGroupProvider: .singleton)
                defer { _ = client.shutdown() }
                // One token revoked: its stream ends, the same user's other stream goes on.
                let revoked = try await EventStreamInbox.open(base + "/live", token: first, client: client)
                let other = try await EventStreamInbox.open(base + "/live", token: second, client: client)
                #expect(await revoked.next(within: .seconds(10))?.name == "recent")
                #expect(await other.next(within: .seconds(10))?.name == "recent")
                var request = HTTPClientRequest(url: base + "/api/v1/auth/tokens/current")
                request.method = .DELETE
                request.headers.add(name: "Authorization", value: "Bearer \(first)")
                #expect(try await client.execute(request, deadline: .now() + .seconds(60)).status == .noContent)
                #expect(await revoked.ends(within: .seconds(10)), "the revoked token's stream ended")
                #expect(await !other.ends(within: .milliseconds(300)), "the user's other stream goes on")
                // The user disabled: every stream of theirs ends.
                let (status, _) = try await postJSON(
                    client, base + "/api/v1/users/watcher/disable", headers: [("Authorization", "Bearer \(admin)")], json: [String: String]())
                #expect(status == .ok)
                #expect(await other.ends(within: .seconds(10)), "the disabled user's stream ended")
                await revoked.close()
                await other.close()
            }
        }
    }
}
