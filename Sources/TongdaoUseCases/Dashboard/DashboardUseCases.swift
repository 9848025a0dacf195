import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

/// The dashboard, the big screen and the live feed: counted figures and the latest events of the
/// caller's scope, or of one district of it (`?district=`), which narrows the scope and never widens it.
public struct DashboardUseCases: Sendable {
    let platform: Platform

    static let class2Procedure = "device.class2.registration"

    /// The summary for the caller's scope, narrowed to `district` when given (a tile of the map).
    /// A code that is no district is ignored (the pages), or with `strict` (the API) refused with a
    /// 422 naming `district` before anything is counted.
    public func summary(district: String?, strict: Bool = false, by caller: Caller) async throws -> DashboardSummary {
        try caller.require(.readProducts)
        let database = platform.database
        if strict, let district, !Self.isDistrict(district, in: try await RegionQueries.list(on: database)) {
            throw UseCaseError.invalid([
                FieldProblem(
                    "district", "no district has the code \(district); districts are GB/T 2260 codes such as 310115",
                    chinese: "没有代码为 \(district) 的区")
            ])
        }
        let today = platform.clock.today()
        // Everything, the scope's resolution included, once per scope, district and day: a reader
        // whose summary is shared costs no query at all.
        return try await platform.summaries.summary(.init(scope: caller.scope, district: district, day: today)) {
            let regions = try await RegionQueries.list(on: database)
            let (filter, label) = try await Self.scope(of: caller, district: district, regions: regions, on: database)
            async let figures = DashboardStore.figures(scope: filter, asOf: today, on: database)
            async let reviews = Self.class2Reviews(scope: filter, today: today, on: database)
            async let trials = Self.trialPanel(scope: filter, today: today, on: database)
            return DashboardSummary(
                figures: try await figures, class2Reviews: try await reviews, trials: try await trials, scopeLabel: label,
                districts: regions.filter { $0.level == .district })
        }
    }

    /// The summary's response as last encoded in `format` for the caller's scope, the district and
    /// the day, when it is still current: answered as it is, without reading or encoding again. It
    /// is there only if the same request, checked in full, succeeded since the last change.
    public func summaryRendering(district: String?, format: String, by caller: Caller) throws -> SummaryCache.Ticket {
        try caller.require(.readProducts)
        return platform.summaries.ticket(.init(scope: caller.scope, district: district, day: platform.clock.today()), format: format)
    }

    /// Keeps the response encoded for a ticket that had none, for the readers after.
    public func keepRendering(_ rendering: Data, for ticket: SummaryCache.Ticket) {
        platform.summaries.keep(rendering, for: ticket)
    }

    /// The latest events in the caller's scope (or one district of it), newest first: what a screen
    /// shows before the first live one.
    public func recentEvents(district: String?, limit: Int, by caller: Caller) async throws -> [LiveNotice] {
        try caller.require(.readProducts)
        let scope = try await liveScope(district: district, by: caller)
        return try await LiveNotices.recent(scope: scope, limit: limit, on: platform.database)
    }

    /// The scope a live stream keeps to: the caller's, narrowed to a district of it when asked.
    public func liveScope(district: String?, by caller: Caller) async throws -> ScopeFilter {
        try caller.require(.readProducts)
        let regions = try await RegionQueries.list(on: platform.database)
        return try await Self.scope(of: caller, district: district, regions: regions, on: platform.database).filter
    }

    /// The names of the regions, by code (for the events a stream sends).
    public func regionNames() async throws -> [String: String] {
        try await RegionQueries.names(on: platform.database)
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

    /// The trial panel: the scope's trials by phase and status and its pilot trials past the 12
    /// weeks (by sponsor, or the sites at an institution); the institutions and the overloaded
    /// investigators as the PI-load list counts them (every one but for an institution's office:
    /// investigators belong to institutions, not to the enterprise registry's districts).
    static func trialPanel(scope: ScopeFilter, today: CivilDate, on database: any Database) async throws -> TrialPanel {
        var byPhase: [TrialPhase: Int] = [:], byStatus: [TrialStatus: Int] = [:]
        for row in try await TrialStore.counts(scope: scope, on: database) {
            byPhase[row.phase, default: 0] += row.count
            byStatus[row.status, default: 0] += row.count
        }
        var districts: [String: Int] = [:], elsewhere = 0
        for row in try await TrialStore.activeInstitutionsByDistrict(on: database) {
            if let district = row.district { districts[district, default: 0] += row.count } else { elsewhere += row.count }
        }
        let policy = try await TrialStore.loadPolicy(inForceOn: today, on: database)
        let overloaded = try await TrialUseCases.overloaded(under: policy, scope: scope, on: database).count
        let late = try await TrialStore.lateStarts(approvedBy: today.adding(days: -StartRule.limitDays - 1), scope: scope, limit: 10, on: database)
        return TrialPanel(
            byPhase: byPhase, byStatus: byStatus, institutionsByDistrict: districts, institutionsElsewhere: elsewhere,
            overloadedInvestigators: overloaded, lateCount: late.count,
            late: try late.first.compactMap { trial in
                guard let approved = trial.approvedOn.flatMap(CivilDate.init) else { return nil }
                return TrialPanel.Late(
                    id: try trial.requireID(), registrationNumber: trial.registrationNumber, title: trial.title, approvedOn: approved,
                    daysOver: today.dayNumber - approved.dayNumber - StartRule.limitDays)
            })
    }

    /// The caller's scope, narrowed to one district when asked (a tile clicked on the map). A
    /// district outside the caller's scope is refused (403 naming `district`), never answered with
    /// zeros or with the caller's own figures as if it were that district's; a park's or an
    /// enterprise's own district leaves its scope as it is.
    static func scope(of caller: Caller, district: String?, regions: [Region], on database: any Database) async throws -> (
        filter: ScopeFilter, label: String
    ) {
        let names = Dictionary(regions.map { ($0.code, $0.name) }, uniquingKeysWith: { first, _ in first })
        var filter = caller.filter
        var label: String
        switch caller.scope {
        case .city: label = "上海市（全市）"
        case .district(let code): label = names[code] ?? code
        case .park(let code): label = names[code] ?? code
        case .station(let code): label = "\(ReferenceData.label(of: .station(code)) ?? "注册指导服务工作站")服务范围"
        case .enterprise: label = "本企业"
        case .institution: label = "本机构"
        case .province(let province): label = province.name
        }
        guard let district, isDistrict(district, in: regions) else { return (filter, label) }
        let inScope: Bool
        switch filter {
        case .everything:
            inScope = true
            filter = .districts([district])
            label = names[district] ?? district
        case .districts(let codes):
            inScope = codes.contains(district)
            filter = .districts([district])
            label = names[district] ?? district
        case .park(let park):
            inScope = regions.contains { $0.code == park && $0.parentCode == district }
        case .enterprise(let uscc):
            inScope = try await EnterpriseStore.find(uscc: uscc, on: database)?.district == district
        case .institution, .province:
            inScope = false
        }
        guard inScope else {
            throw UseCaseError.outsideScope(
                FieldProblem("district", "is outside your scope", chinese: "超出您的权限范围：只能查看本辖区的数据"))
        }
        return (filter, label)
    }

    /// Whether `code` names a district (not the city, not a park) among `regions`.
    static func isDistrict(_ code: String, in regions: [Region]) -> Bool {
        regions.contains { $0.code == code && $0.level == .district }
    }
}

extension Platform {
    public var dashboard: DashboardUseCases { DashboardUseCases(platform: self) }
}
