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
        /// A partner province's regulator's part of the Delta: what waits for it.
        public var delta: DeltaOverview? = nil
    }

    /// What waits for a partner province's regulator on the platform.
    public struct DeltaOverview: Sendable, Equatable {
        public var province: DeltaProvince
        /// The entrustment links involving its province.
        public var links: Int
        /// Notices sent to it not yet answered, and of those past their day.
        public var openNotices: Int
        public var overdueNotices: Int
        /// Joint inspections with it still open.
        public var openJointInspections: Int
        /// Results Shanghai shared with it not yet recognised.
        public var sharesToRecognise: Int
        /// Its results Shanghai has not yet decided on.
        public var resultsAwaiting: Int
    }

    public func overview(by caller: Caller) async throws -> Overview {
        guard caller.username != nil else { throw UseCaseError.unauthenticated }
        let readsProducts = caller.may(.readProducts), readsCensus = caller.may(.readCensus)
        async let inbox = readsProducts ? platform.applications.inbox(by: caller) : []
        async let digests = platform.digest.mine(limit: 1, by: caller)
        async let summary = readsProducts ? platform.dashboard.summary(district: nil, by: caller) : nil
        let year = platform.clock.today().year
        let declarations = readsCensus ? try await CensusStore.declarationCount(year: year, scope: caller.filter, on: platform.database) : nil
        var overview = Overview(
            inbox: try await inbox, latestDigest: try await digests.first, summary: try await summary, censusYear: year,
            censusDeclarations: declarations)
        if caller.may(.respondDelta), case .province(let province) = caller.filter {
            let notices = try await platform.deltaNotices.list(status: DeltaNoticeStatus.open.rawValue, by: caller)
            overview.delta = DeltaOverview(
                province: province, links: try await DeltaStore.links(scope: caller.filter, limit: 100_000, on: platform.database).count,
                openNotices: notices.count, overdueNotices: notices.filter { $0.level == .red }.count,
                openJointInspections: try await platform.deltaJoint.list(by: caller).filter(\.open).count,
                sharesToRecognise: try await platform.deltaShares.list(by: caller).filter { $0.recognisedOn == nil }.count,
                resultsAwaiting: try await platform.deltaResults.list(status: PartnerResultStatus.recorded.rawValue, by: caller).count)
        }
        return overview
    }
}

extension Platform {
    public var home: HomeUseCases { HomeUseCases(platform: self) }
}
