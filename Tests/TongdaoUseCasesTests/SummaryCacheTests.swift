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
}
