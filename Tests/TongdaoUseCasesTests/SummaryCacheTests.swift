import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import Vapor

@Suite("The dashboard's shared summaries")
struct SummaryCacheTests {
    /// Sharing while young is held by the dashboard's tests (with an age no slow machine reaches);
    /// this one only ever waits longer than the age, so load cannot make it pass or fail.
    @Test("a summary older than its maximum age is computed again")
    func expires() async throws {
        try await TestDatabase.sqlite.withMigratedApplication { app in
            try await ReferenceData.load(on: app.db)
            let cache = SummaryCache(maximumAge: .milliseconds(200))
            let platform = Platform(
                database: app.db, clock: Fixtures.clock, credentials: BcryptCredentials(cost: 4, threadPool: app.threadPool), summaries: cache)
            _ = try await platform.dashboard.summary(district: nil, by: Fixtures.caller)
            #expect(cache.computations == 1)
            try await Task.sleep(for: .milliseconds(400))
            _ = try await platform.dashboard.summary(district: nil, by: Fixtures.caller)
            #expect(cache.computations == 2, "computed again once older")
        }
    }

    @Test("the clocks' reference is read once for many reads, again after a write, and at most its age after a change nobody announced")
    func clockReference() async throws {
        try await TestDatabase.sqlite.withMigratedApplication { app in
            try await ReferenceData.load(on: app.db)
            let summaries = SummaryCache(maximumAge: .seconds(2))
            let references = ClockReferenceCache()
            let platform = Platform(
                database: app.db, clock: Fixtures.clock, credentials: BcryptCredentials(cost: 4, threadPool: app.threadPool), summaries: summaries,
                references: references)
            let (_, products) = try await Fixtures.enterprisesAndProducts(on: platform)
            try await Fixtures.application("SH-1", product: try #require(products.first).id, acceptedOn: CivilDate("2026-10-12")!, on: platform)
            func clock() async throws -> ReviewClock.Reading {
                try #require(try await platform.applications.list(.init(), limit: 10, by: Fixtures.caller).items.first?.clock)
            }
            let before = try await clock()
            _ = try await clock()
            let loads = references.loads
            #expect(loads >= 1)
            _ = try await clock()
            #expect(references.loads == loads, "shared between reads")

            // A share of the limit just under what is used turns the clock amber at once: the policy
            // written through the platform is the next read's.
            let share = Double(before.used) / Double(before.limit)
            #expect(before.level == .green && share > 0.2)
            _ = try await platform.settings.setWarningPolicy(
                WarningPolicy(amberFraction: share - 0.1, supplementWarningDays: 30), by: Fixtures.caller)
            #expect(try await clock().level == .amber)
            #expect(references.loads == loads + 1)

            // Written behind the platform's back (another process): read again once older than the age.
            try await DigestStore.store(
                WarningPolicy(amberFraction: 0.95, supplementWarningDays: 30),
                replacing: WarningPolicy(amberFraction: share - 0.1, supplementWarningDays: 30),
                today: Fixtures.today, on: app.db)
            try await Task.sleep(for: .milliseconds(2_500))
            #expect(try await clock().level == .green)
        }
    }
}
