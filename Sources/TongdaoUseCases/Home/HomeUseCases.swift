import Foundation
import TongdaoCore
import TongdaoStore

/// The signed-in user's own landing page: their work first (the applications they review or follow
/// that need attention, the last daily reminder sent to them), then their scope's figures and the
/// census season's state, each only as far as the role may read it.
public struct HomeUseCases: Sendable {
    let platform: Platform

    public struct Overview: Sendable, Equatable {
        /// What needs the caller's attention today (as `ApplicationUseCases.inbox`).
        public var inbox: [InboxItem]
        /// The last daily reminder sent to the caller.
        public var latestDigest: DigestRecord?
        /// The scope's figures, for roles that may read products and applications.
        public var summary: DashboardSummary?
        /// This year's census in the scope: the year and how many products were declared, for roles
        /// that may read the census.
        public var censusYear: Int
        public var censusDeclarations: Int?
    }

    public func overview(by caller: Caller) async throws -> Overview {
        guard caller.username != nil else { throw UseCaseError.unauthenticated }
        let readsProducts = caller.may(.readProducts), readsCensus = caller.may(.readCensus)
        async let inbox = readsProducts ? platform.applications.inbox(by: caller) : []
        async let digests = platform.digest.mine(limit: 1, by: caller)
        async let summary = readsProducts ? platform.dashboard.summary(district: nil, by: caller) : nil
        let year = platform.clock.today().year
        let declarations = readsCensus ? try await CensusStore.declarationCount(year: year, scope: caller.filter, on: platform.database) : nil
        return Overview(
            inbox: try await inbox, latestDigest: try await digests.first, summary: try await summary, censusYear: year,
            censusDeclarations: declarations)
    }
}

extension Platform {
    public var home: HomeUseCases { HomeUseCases(platform: self) }
}
