import Fluent
import Foundation
import SQLKit
import Synchronization
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import Vapor

/// The write path every use case shares, tested by calling the use cases themselves (no HTTP):
/// today from the injected clock, the caller's scope found in the write's own transaction, one
/// audit row per write and none for a refusal, the live notice only after the commit.
@Suite("The use-case path: the clock, the scope, the audit row, the live notice")
struct WritePathTests {
    /// A live feed that keeps what it is told.
    final class Recorder: LiveAnnouncer {
        private let notices = Mutex<[LiveNotice]>([])
        func announce(_ notice: LiveNotice) { notices.withLock { $0.append(notice) } }
        func announce(_ revocation: CredentialRevocation) {}
        var all: [LiveNotice] { notices.withLock { $0 } }
    }

    static func platform(_ app: Application, on day: CivilDate = Fixtures.today, feed: Recorder = Recorder()) -> Platform {
        let base = app.testPlatform(clock: .starting(on: day))
        return Platform(database: app.db, clock: base.clock, announcer: feed, credentials: base.credentials)
    }

    static func auditRows(_ app: Application) async throws -> Int {
        try await AuditEntryModel.query(on: app.db).count()
    }

    @Test("an event dated after today is refused by the use case itself, naming `on`; today's is recorded", arguments: TestDatabase.enabled)
    func futureEvent(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            try await ReferenceData.load(on: app.db)
            let day = CivilDate("2026-03-02")!
            let platform = Self.platform(app, on: day)
            let (_, products) = try await Fixtures.enterprisesAndProducts(on: platform)
            let application = try await Fixtures.application("F-1", product: products[0].id, acceptedOn: CivilDate("2026-02-02")!, on: platform)
            let rows = try await Self.auditRows(app)
            let tomorrow = await #expect(throws: UseCaseError.self) {
                try await platform.applications.record(
                    EventInput(type: "supplement_requested", on: day.adding(days: 1).description), on: application.application.id, by: Fixtures.caller
                )
            }
            #expect(tomorrow == .invalid([FieldProblem("on", "cannot be after today", chinese: "不能晚于今天")]))
            #expect(try await Self.auditRows(app) == rows, "a refusal writes nothing")
            #expect(try await ApplicationEventModel.query(on: app.db).count() == 1)
            // The same event on the clock's day is recorded; a day later, the next day's is too.
            _ = try await platform.applications.record(
                EventInput(type: "supplement_requested", on: day.description), on: application.application.id, by: Fixtures.caller)
            _ = try await Self.platform(app, on: day.adding(days: 1)).applications.record(
                EventInput(type: "supplement_received", on: day.adding(days: 1).description), on: application.application.id, by: Fixtures.caller)
            #expect(try await Self.auditRows(app) == rows + 2)
            // An acceptance after today is refused the same way.
            let early = await #expect(throws: UseCaseError.self) {
                try await Fixtures.application("F-2", product: products[1].id, acceptedOn: day.adding(days: 1), on: platform)
            }
            #expect(early == .invalid([FieldProblem("acceptedOn", "cannot be after today", chinese: "受理日期不能晚于今天")]))
        }
    }

    @Test("a write to a record outside the caller's scope is refused as not found, and writes nothing", arguments: TestDatabase.enabled)
    func outsideScope(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            try await ReferenceData.load(on: app.db)
            let platform = Self.platform(app)
            let (enterprises, products) = try await Fixtures.enterprisesAndProducts(on: platform)
            let application = try await Fixtures.application("S-1", product: products[3].id, acceptedOn: CivilDate("2026-10-08")!, on: platform)
            let officer = try await Fixtures.user("pudong", role: .districtOfficer, scope: .district("310115"), on: platform)
            let pudong = Caller.user(id: officer.id, username: officer.username, role: officer.role, scope: officer.scope)
            let rows = try await Self.auditRows(app)
            // enterprises[3] and its product are in 徐汇, not 浦东.
            #expect(!pudong.filter.admits(enterprises[3].draft.location))
            await #expect(throws: UseCaseError.notFound(.enterprise)) {
                try await platform.enterprises.update(id: enterprises[3].id, EnterpriseInput(name: "改名有限公司"), expecting: 1, by: pudong)
            }
            await #expect(throws: UseCaseError.notFound(.product)) {
                try await platform.products.update(id: products[3].id, ProductInput(model: "X"), expecting: 1, by: pudong)
            }
            await #expect(throws: UseCaseError.notFound(.product)) {
                try await platform.census.declare(
                    .init(stage: "clinical", expectedFiling: nil, channels: [], guidanceNeeds: nil), year: nil, productID: products[3].id, by: pudong)
            }
            let reviewer = try await Fixtures.user("pudong-reviewer", role: .districtOfficer, scope: .district("310115"), on: platform)
            await #expect(throws: UseCaseError.notFound(.application)) {
                try await platform.applications.record(
                    EventInput(type: "withdrawn", on: "2026-11-02"), on: application.application.id,
                    by: .user(id: reviewer.id, username: reviewer.username, role: reviewer.role, scope: reviewer.scope))
            }
            // Moving an enterprise of one's own out of one's scope is refused too, naming the field.
            let moved = await #expect(throws: UseCaseError.self) {
                try await platform.enterprises.update(id: enterprises[2].id, EnterpriseInput(district: "310104"), expecting: 1, by: pudong)
            }
            #expect(moved == .outsideScope(FieldProblem("district", "is outside your scope", chinese: "超出您的权限范围")))
            #expect(try await Self.auditRows(app) == rows + 1, "only the user's own creation was written")
            #expect(try await EnterpriseModel.find(enterprises[3].id, on: app.db)?.name == enterprises[3].name)
            #expect(try await EnterpriseModel.find(enterprises[2].id, on: app.db)?.district == "310115")
        }
    }

    @Test("each write leaves its one audit row, naming the caller; the live notice is announced after the commit, never for a refusal")
    func auditAndNotice() async throws {
        try await TestDatabase.sqlite.withMigratedApplication { app in
            try await ReferenceData.load(on: app.db)
            let feed = Recorder()
            let platform = Self.platform(app, feed: feed)
            let (_, products) = try await Fixtures.enterprisesAndProducts(on: platform)
            #expect(feed.all.isEmpty, "enterprises and products are not on the live feed")
            let rows = try await Self.auditRows(app)
            let made = try await Fixtures.application("L-1", product: products[0].id, acceptedOn: CivilDate("2026-10-08")!, on: platform)
            #expect(feed.all.map(\.applicationNumber) == ["L-1"] && feed.all.map(\.kind) == [.accepted])
            #expect(try await Self.auditRows(app) == rows + 1)
            let row = try #require(try await AuditEntryModel.query(on: app.db).sort(\.$id, .descending).first())
            #expect(row.action == "application.create" && row.actor == "cli:test" && row.entityID == made.application.id.uuidString)
            let recordedAt = try await ApplicationEventModel.query(on: app.db).first()?.recordedAt
            #expect(row.at == recordedAt, "the audit row and the event share the write's time")
            // The lifecycle refuses: no row, no notice.
            await #expect(throws: UseCaseError.self) {
                try await platform.applications.record(
                    EventInput(type: "decision_made", on: "2026-10-09", decision: "approve"), on: made.application.id, by: Fixtures.caller)
            }
            let afterRefusal = try await Self.auditRows(app)
            #expect(feed.all.count == 1 && afterRefusal == rows + 1)
            _ = try await platform.applications.record(
                EventInput(type: "supplement_requested", on: "2026-10-09"), on: made.application.id, by: Fixtures.caller)
            #expect(feed.all.map(\.kind) == [.accepted, .supplementRequested] && feed.all.last?.status == .awaitingSupplement)
            #expect(try await Self.auditRows(app) == rows + 2)
        }
    }

    @Test("a lifecycle refusal names the event's field in English and Chinese")
    func refusalNamesField() async throws {
        try await TestDatabase.sqlite.withMigratedApplication { app in
            try await ReferenceData.load(on: app.db)
            let platform = Self.platform(app)
            let (_, products) = try await Fixtures.enterprisesAndProducts(on: platform)
            let made = try await Fixtures.application("R-1", product: products[0].id, acceptedOn: CivilDate("2026-09-01")!, on: platform)
            _ = try await platform.applications.record(
                EventInput(type: "review_completed", on: "2026-10-08"), on: made.application.id, by: Fixtures.caller)
            let refusal = await #expect(throws: UseCaseError.self) {
                try await platform.applications.record(
                    EventInput(type: "decision_made", on: "2026-10-09", decision: "approve", certificate: "not-a-number"), on: made.application.id,
                    by: Fixtures.caller)
            }
            guard case .impossibleEvent(let event, let problem)? = refusal else {
                Issue.record("expected an impossible event, got \(String(describing: refusal))")
                return
            }
            #expect(event == "decision_made" && problem.field == "certificate")
            #expect(problem.message.hasPrefix("certificate:") && problem.chinese.hasPrefix("注册证号无效"))
            let backdated = await #expect(throws: UseCaseError.self) {
                try await platform.applications.record(EventInput(type: "withdrawn", on: "2026-10-07"), on: made.application.id, by: Fixtures.caller)
            }
            if case .impossibleEvent(_, let problem)? = backdated {
                #expect(problem.field == "on")
            } else {
                Issue.record("\(String(describing: backdated))")
            }
        }
    }

    /// `count` calls at once, each told its number; what each came to.
    static func atOnce<T: Sendable>(_ count: Int, _ call: @escaping @Sendable (Int) async throws -> T) async -> [Result<T, any Error>] {
        await withTaskGroup(of: Result<T, any Error>.self) { group in
            for index in 0..<count {
                group.addTask {
                    do { return .success(try await call(index)) } catch { return .failure(error) }
                }
            }
            var all: [Result<T, any Error>] = []
            for await outcome in group { all.append(outcome) }
            return all
        }
    }

    /// Holds a race's outcomes to `wins` successes, every other one the refusal `expected` allows.
    static func expect<T>(
        _ outcomes: [Result<T, any Error>], wins: Int, _ what: String, refusals expected: (UseCaseError) -> Bool = { _ in false }
    ) {
        #expect(outcomes.count { if case .success = $0 { true } else { false } } == wins, "\(what): \(wins) saved")
        for case .failure(let error) in outcomes {
            guard let refusal = error as? UseCaseError, expected(refusal) else {
                Issue.record("\(what): a race is answered with a refusal naming its field, not \(String(reflecting: error))")
                continue
            }
        }
    }

    @Test(
        "30 writes at once of every kind, on the server's own connections: distinct ones all saved, duplicates one saved and the rest conflicts naming the field, never a fault",
        arguments: TestDatabase.enabled)
    func everyCreateRaces(database: TestDatabase) async throws {
        // The configured application: SQLite in WAL mode with its busy timeout, as `serve` runs it.
        try await withTongdao(database) { app in
            let platform = app.platform, count = 30
            func conflict(_ field: String) -> (UseCaseError) -> Bool {
                { if case .conflict(let problem) = $0 { problem.field == field } else { false } }
            }
            // Enterprises: the same USCC thirty times, then thirty different ones.
            let same = await Self.atOnce(count) { _ in
                try await platform.enterprises.create(EnterpriseInput(DemoData.enterprises[0]), by: Fixtures.caller)
            }
            Self.expect(same, wins: 1, "one enterprise thirty times", refusals: conflict("uscc"))
            let distinct = await Self.atOnce(count) { index in
                var draft = DemoData.enterprises[0]
                draft.uscc = CensusFixture.uscc(district: "310115", serial: 500 + index)
                draft.name = "上海并发登记\(index)号医疗科技有限公司"
                return try await platform.enterprises.create(EnterpriseInput(draft), by: Fixtures.caller)
            }
            Self.expect(distinct, wins: count, "thirty enterprises")
            #expect(try await EnterpriseModel.query(on: app.db).count() == 1 + count)
            let enterprise = try #require(same.compactMap { try? $0.get() }.first)

            // Products: one name and model thirty times, then thirty models.
            let product = ProductInput(ProductDraft(name: "并发产品", model: "C-1", managementClass: .two))
            let sameProduct = await Self.atOnce(count) { _ in
                try await platform.products.create(product, enterpriseID: enterprise.id.uuidString, by: Fixtures.caller)
            }
            Self.expect(sameProduct, wins: 1, "one product thirty times", refusals: conflict("name"))
            let products = await Self.atOnce(count) { index in
                try await platform.products.create(
                    ProductInput(ProductDraft(name: "并发产品", model: "C-\(index + 2)", managementClass: .two)), enterpriseID: enterprise.id.uuidString,
                    by: Fixtures.caller)
            }
            Self.expect(products, wins: count, "thirty products")
            let first = try #require(sameProduct.compactMap { try? $0.get() }.first)

            // Thirty edits of one product on the version read: one saved, the others told it changed.
            let edits = await Self.atOnce(count) { index in
                try await platform.products.update(id: first.id, ProductInput(model: "C-改\(index)"), expecting: 1, by: Fixtures.caller)
            }
            Self.expect(edits, wins: 1, "thirty edits of one version") { $0 == .stale(.product, current: 2) }

            // The census declaration of one product and year, thirty times: one declaration, replaced.
            let declarations = await Self.atOnce(count) { index in
                try await platform.census.declare(
                    .init(stage: "clinical", expectedFiling: "2027-\(String(format: "%02d", index % 12 + 1))", channels: [], guidanceNeeds: nil),
                    year: nil, productID: first.id, by: Fixtures.caller)
            }
            Self.expect(declarations, wins: count, "thirty declarations of one product")
            #expect(declarations.count { (try? $0.get())?.created == true } == 1, "one made, the others replaced it")
            #expect(try await CensusIntentionModel.query(on: app.db).filter(\.$product.$id == first.id).count() == 1)

            // Applications: one number thirty times, then thirty numbers.
            let accepted = CivilDate("2026-10-08")!
            let sameApplication = await Self.atOnce(count) { _ in
                try await Fixtures.application("并发-1", product: first.id, acceptedOn: accepted, on: platform)
            }
            Self.expect(sameApplication, wins: 1, "one application number thirty times", refusals: conflict("applicationNumber"))
            let applications = await Self.atOnce(count) { index in
                try await Fixtures.application("并发-\(index + 2)", product: first.id, acceptedOn: accepted, on: platform)
            }
            Self.expect(applications, wins: count, "thirty applications")

            // Users: one name thirty times.
            let users = await Self.atOnce(count) { _ in
                try await Fixtures.user("racing.user", role: .districtOfficer, scope: .district("310115"), on: platform)
            }
            Self.expect(users, wins: 1, "one username thirty times", refusals: conflict("username"))
        }
    }

    /// A fresh SQLite file, migrated, with the use cases on one application and, on another, a
    /// connection holding the write lock (`BEGIN IMMEDIATE`, no busy timeout) while `body` runs;
    /// `body` is given the platform and the statement that ends the lock (`COMMIT`).
    private static func withWriteLockHeld(
        _ body: @escaping @Sendable (_ platform: Platform, _ app: Application, _ release: @Sendable () async throws -> Void) async throws -> Void
    ) async throws {
        try await TestDatabase.sqlite.withFreshLocation { location in
            try await withPlainApplication(location: location) { holder in
                try await holder.autoMigrate()
                try await ReferenceData.load(on: holder.db)
                try await withPlainApplication(location: location) { app in
                    try await holder.db.withConnection { connection in
                        let sql = try #require(connection as? any SQLDatabase)
                        try await sql.raw("BEGIN IMMEDIATE").run()
                        try await body(app.testPlatform(), app) { try await sql.raw("COMMIT").run() }
                    }
                }
            }
        }
    }

    @Test("a write that meets another connection's write lock on SQLite is started again once the lock is gone, not refused")
    func busyIsWaitedFor() async throws {
        try await Self.withWriteLockHeld { platform, app, release in
            // Another writer holds the lock (a connection without a busy timeout is refused at once).
            async let created = platform.enterprises.create(EnterpriseInput(DemoData.enterprises[0]), by: Fixtures.caller)
            try await Task.sleep(for: .milliseconds(80))
            try await release()
            #expect(try await created.uscc == DemoData.enterprises[0].uscc)
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "enterprise.create").count() == 1)
        }
    }

    @Test("a write whose competing writer outlasts every attempt is busy (503, try again), writing nothing: never a fault")
    func busyTooLong() async throws {
        try await Self.withWriteLockHeld { platform, app, release in
            // Held past the six attempts' pauses (5 ms, growing threefold: 0.6 s in all).
            await #expect(throws: UseCaseError.busy(retryAfterSeconds: 2)) {
                try await platform.enterprises.create(EnterpriseInput(DemoData.enterprises[0]), by: Fixtures.caller)
            }
            try await release()
            #expect(try await AuditEntryModel.query(on: app.db).count() == 0)
            #expect(try await EnterpriseModel.query(on: app.db).count() == 0)
        }
    }

    @Test(
        "a process's writes into SQLite pass the gate one at a time, in turn; PostgreSQL's run side by side; a write inside a write passes through",
        arguments: TestDatabase.enabled)
    func writeGate(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let gate = WriteGate(), counts = GateCounts(), db = app.db
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try? await gate.run(on: db) {
                            let now = counts.inside.withLock { count in
                                count += 1
                                return count
                            }
                            counts.most.withLock { $0 = max($0, now) }
                            try await Task.sleep(for: .milliseconds(20))
                            try await gate.run(on: db) { counts.nested.withLock { $0 += 1 } }
                            counts.inside.withLock { $0 -= 1 }
                        }
                    }
                }
            }
            #expect(counts.nested.withLock { $0 } == 8, "every write inside a write ran")
            if database == .sqlite {
                #expect(counts.most.withLock { $0 } == 1, "one at a time")
            } else {
                #expect(counts.most.withLock { $0 } > 1, "side by side")
            }
        }
    }
}

/// What the gate's test counts, from every task at once.
private final class GateCounts: Sendable {
    let inside = Mutex(0), most = Mutex(0), nested = Mutex(0)
}
