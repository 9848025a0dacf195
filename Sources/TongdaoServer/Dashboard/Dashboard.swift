import Fluent
import Foundation
import TongdaoCore
import TongdaoStore
import Vapor

/// Everything the dashboard shows for a scope, shared by the page and `GET /api/v1/dashboard/summary`.
public struct DashboardSummary: Sendable {
    /// The Class II first-registration reviews completed in a quarter: how many, and their average
    /// working days of technical review against the statutory limit.
    public struct Quarter: Sendable, Equatable {
        public var label: String
        public var completed: Int
        public var averageWorkingDays: Double?
        public var limit: Int
    }

    public var figures: DashboardStore.Figures
    public var class2Reviews: [Quarter]
    public var scopeLabel: String
}

enum Dashboard {
    static let class2Procedure = "device.class2.registration"

    /// The summary for a user's scope, narrowed to `district` when given (the page's map); with the
    /// regions, which the page and the API name districts by.
    static func summary(for user: AuthenticatedUser, district: String?, on req: Request) async throws -> (summary: DashboardSummary, regions: [Region]) {
        let regions = try await RegionQueries.list(on: req.db)
        let (filter, label) = scope(of: user, district: district, regions: regions)
        let clocks = try await ApplicationClocks.load(on: req)
        let figures = try await DashboardStore.figures(scope: filter, asOf: clocks.today, on: req.db)
        let reviews = try await class2Reviews(scope: filter, clocks: clocks, on: req.db)
        return (DashboardSummary(figures: figures, class2Reviews: reviews, scopeLabel: label), regions)
    }

    /// Quarters counted from year 0: 4 × year + the quarter's index in the year.
    static func quarter(of day: CivilDate) -> Int {
        let (year, month, _) = day.components
        return year * 4 + (month - 1) / 3
    }

    /// The last eight quarters, oldest first: Class II first registrations whose technical review was
    /// completed in the quarter (by the timeline in force), with the working days their clock used.
    static func class2Reviews(scope: ScopeFilter, clocks: ApplicationClocks, on database: any Database) async throws -> [DashboardSummary.Quarter] {
        let current = quarter(of: clocks.today)
        let quarters = (0..<8).reversed().map { current - $0 }
        let first = CivilDate(year: quarters[0] / 4, month: quarters[0] % 4 * 3 + 1, day: 1)!
        // Only the applications SQL finds with a completed review in the period are replayed, from
        // their timelines alone: no model is loaded.
        let completed = try await DashboardStore.reviewsCompleted(procedure: class2Procedure, since: first, scope: scope, on: database)
        let timelines = try await ApplicationStore.timelines(of: completed.map(\.id), on: database)
        var used: [Int: [Int]] = [:]
        var limit = 60
        for application in completed {
            let events = ApplicationLifecycle.effective(timelines[application.id] ?? [])
            // The clock as it stood the day the review was completed: the technical review's own days and limit.
            guard let index = events.firstIndex(where: { $0.kind == .reviewCompleted }), events[index].on >= first,
                  let reading = clocks.reading(procedure: class2Procedure, version: application.version, Array(events[..<index]), asOf: events[index].on)
            else { continue }
            used[quarter(of: events[index].on), default: []].append(reading.used)
            limit = reading.limit
        }
        return quarters.map { quarter in
            let days = used[quarter] ?? []
            return DashboardSummary.Quarter(
                label: "\(quarter / 4)Q\(quarter % 4 + 1)", completed: days.count,
                averageWorkingDays: days.isEmpty ? nil : Double(days.reduce(0, +)) / Double(days.count), limit: limit)
        }
    }
}

extension Dashboard {
    /// The viewer's scope, narrowed to one district when asked (a tile clicked on the map); a
    /// district outside the viewer's scope narrows it to nothing, never widens it.
    static func scope(of user: AuthenticatedUser, district: String?, regions: [Region]) -> (filter: ScopeFilter, label: String) {
        let names = Dictionary(regions.map { ($0.code, $0.name) }, uniquingKeysWith: { first, _ in first })
        var filter = user.scopeFilter
        var label: String
        switch user.scope {
        case .city: label = "上海市（全市）"
        case .district(let code): label = names[code] ?? code
        case .park(let code): label = names[code] ?? code
        case .station(let code): label = "注册指导服务工作站（\(code)）服务范围"
        case .enterprise: label = "本企业"
        }
        if let district, names[district] != nil {
            switch filter {
            case .everything:
                filter = .districts([district])
                label = names[district] ?? district
            case .districts(let codes):
                filter = .districts(codes.intersection([district]))
                label = names[district] ?? district
            case .park, .enterprise:
                break
            }
        }
        return (filter, label)
    }
}
