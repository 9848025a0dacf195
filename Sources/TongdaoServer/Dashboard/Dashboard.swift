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
    /// regions, which the page and the API name districts by, and the scope it was computed for.
    /// Pages ignore a code that is no district; with `strict` (the API) it is a 422 naming `district`,
    /// answered before anything is counted.
    static func summary(
        for user: AuthenticatedUser, district: String?, strict: Bool = false, on req: Request
    ) async throws -> (summary: DashboardSummary, regions: [Region], scope: ScopeFilter) {
        let regions = try await RegionQueries.list(on: req.db)
        if strict, let district, !isDistrict(district, in: regions) {
            throw ProblemDetails.unprocessable(
                field: "district", "no district has the code \(district); districts are GB/T 2260 codes such as 310115")
        }
        let (filter, label) = scope(of: user, district: district, regions: regions)
        let today = ShanghaiClock.today()
        let database = req.db
        async let figures = DashboardStore.figures(scope: filter, asOf: today, on: database)
        async let reviews = class2Reviews(scope: filter, today: today, on: database)
        return (DashboardSummary(figures: try await figures, class2Reviews: try await reviews, scopeLabel: label), regions, filter)
    }

    /// Quarters counted from year 0: 4 × year + the quarter's index in the year.
    static func quarter(of day: CivilDate) -> Int {
        let (year, month, _) = day.components
        return year * 4 + (month - 1) / 3
    }

    /// The last eight quarters, oldest first: Class II first registrations whose technical review was
    /// completed in the quarter (by the timeline in force), with the working days their clock used,
    /// against the review limit of the version in force today.
    static func class2Reviews(scope: ScopeFilter, today: CivilDate, on database: any Database) async throws -> [DashboardSummary.Quarter] {
        let current = quarter(of: today)
        let quarters = (0..<8).reversed().map { current - $0 }
        let first = CivilDate(year: quarters[0] / 4, month: quarters[0] % 4 * 3 + 1, day: 1)!
        var completed: [Int: (count: Int, days: Int)] = [:]
        for month in try await DashboardStore.reviewTimes(procedure: class2Procedure, since: first, scope: scope, on: database) {
            guard let day = CivilDate(month.month + "-01") else { continue }
            completed[quarter(of: day), default: (0, 0)].count += month.completed
            completed[quarter(of: day), default: (0, 0)].days += month.workingDays
        }
        let limit = try await ProcedureStore.procedure(code: class2Procedure, on: database)?.version(inForceOn: today)?.review ?? 0
        return quarters.map { quarter in
            let done = completed[quarter] ?? (0, 0)
            return DashboardSummary.Quarter(
                label: "\(quarter / 4)Q\(quarter % 4 + 1)", completed: done.count,
                averageWorkingDays: done.count == 0 ? nil : Double(done.days) / Double(done.count), limit: limit)
        }
    }
}

extension Request {
    /// The district a dashboard, big screen or live feed is narrowed to (`?district=`), if any; a
    /// code outside the viewer's scope is handled by `Dashboard.scope`, which never widens a scope.
    var dashboardDistrict: String? {
        query[String.self, at: "district"].flatMap { $0.isEmpty ? nil : $0 }
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
        if let district, isDistrict(district, in: regions) {
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

    /// Whether `code` names a district (not the city, not a park) among `regions`.
    static func isDistrict(_ code: String, in regions: [Region]) -> Bool {
        regions.contains { $0.code == code && $0.level == .district }
    }
}
