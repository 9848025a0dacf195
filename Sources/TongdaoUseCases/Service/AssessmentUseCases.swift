import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore
import TongdaoXLSX

/// A service station's year.
public struct StationAssessment: Sendable, Equatable {
    public var code: String
    public var name: String
    /// Guidance sessions, and the distinct enterprises and products they served.
    public var sessions: Int
    public var enterprises: Int
    public var products: Int
    /// Consultations answered in the year, and how many within their resolution target (working days, pauses excluded).
    public var answered: Int
    public var withinTarget: Int
    /// Appointments attended on the year's slots.
    public var appointmentsHeld: Int
    /// The answers rated, and their mean (1–5).
    public var ratings: Int
    public var meanRating: Double?

    public var shareWithinTarget: Double? { AssessmentMath.share(withinTarget, of: answered) }
}

/// A district's year.
public struct DistrictAssessment: Sendable, Equatable {
    public var code: String
    public var name: String
    /// The year's census: enterprises and products declared, and the mean completeness of the declarations (0…1).
    public var censusEnterprises: Int
    public var censusProducts: Int
    public var completeness: Double
    /// Certificates granted in the year to its applicants, and the median working days from acceptance to approval.
    public var registrations: Int
    public var medianReviewDays: Double?
    /// Landing projects with their site in it, those producing, and their open problems (as of today).
    public var landingProjects: Int
    public var producing: Int
    public var openProblems: Int
}

/// A year's assessment of the stations and the districts.
public struct AssessmentReport: Sendable, Equatable {
    public var year: Int
    public var stations: [StationAssessment]
    public var districts: [DistrictAssessment]
}

/// The periodic assessments (定期考核, 讲评, issue 20 item 9): per station and year, the enterprises
/// and products it served in guidance sessions, the consultations it answered and the share within
/// their target, the appointments held and the satisfaction of the answers rated; per district, the
/// year's census (how many declared, how complete), the certificates granted and how long their
/// review took in working days, and the landing projects. The regulator, the industry department and
/// the administrator see every row; a station its own, a district its own.
public struct AssessmentUseCases: Sendable {
    let platform: Platform

    public func report(year: Int?, by caller: Caller) async throws -> AssessmentReport {
        try caller.require(.readAssessments)
        let today = platform.clock.today()
        let year = year ?? today.year
        guard (2000...today.year).contains(year) else {
            throw UseCaseError.invalid([FieldProblem("year", "must be a year up to this one", chinese: "年份应在 2000 年至今年之间")])
        }
        let db = platform.database
        let calendar = try await platform.calendar()
        var stations: [StationAssessment] = []
        if caller.scope == .city || caller.scope.kind == .station {
            let served = try await AssessmentStore.served(year: year, on: db)
            let attended = try await AssessmentStore.attended(year: year, on: db)
            var answered: [String: (count: Int, within: Int, ratings: [Int])] = [:]
            for model in try await AssessmentStore.answered(year: year, on: db) {
                guard let station = model.station else { continue }
                let reading = try? ServiceClock.read(events: model.events, targets: model.targets, asOf: today, calendar: calendar)
                var entry = answered[station] ?? (0, 0, [])
                entry.count += 1
                if reading?.resolution.withinTarget == true { entry.within += 1 }
                if let rating = model.rating { entry.ratings.append(rating) }
                answered[station] = entry
            }
            for station in try ReferenceData.stations() {
                if case .station(let own) = caller.scope, own != station.code { continue }
                let done = answered[station.code] ?? (0, 0, [])
                let figures = served[station.code] ?? AssessmentStore.Served(sessions: 0, enterprises: 0, products: 0)
                stations.append(
                    StationAssessment(
                        code: station.code, name: station.name, sessions: figures.sessions, enterprises: figures.enterprises,
                        products: figures.products,
                        answered: done.count, withinTarget: done.within, appointmentsHeld: attended[station.code] ?? 0, ratings: done.ratings.count,
                        meanRating: done.ratings.isEmpty ? nil : Double(done.ratings.reduce(0, +)) / Double(done.ratings.count)))
            }
        }
        var districts: [DistrictAssessment] = []
        if caller.scope == .city || caller.scope.kind == .district {
            let census = try await CensusStore.summaries(year: year, scope: .everything, by: .district, on: db)
            var review: [String: [Int]] = [:]
            for approval in try await AssessmentStore.approvals(year: year, on: db) {
                guard let accepted = CivilDate(approval.acceptedOn), let approved = CivilDate(approval.approvedOn) else { continue }
                let days = (try? calendar.workingDays(from: accepted, to: approved, provisional: true).value) ?? 0
                review[approval.district, default: []].append(days)
            }
            let landing = try await AssessmentStore.landing(on: db)
            for district in try await RegionQueries.list(level: .district, on: db) {
                if case .district(let own) = caller.scope, own != district.code { continue }
                let declared = census.first { $0.region == district.code }
                let projects = landing[district.code] ?? (0, 0, 0)
                districts.append(
                    DistrictAssessment(
                        code: district.code, name: district.name, censusEnterprises: declared?.enterprises ?? 0,
                        censusProducts: declared?.products ?? 0,
                        completeness: declared?.completeness ?? 0, registrations: review[district.code]?.count ?? 0,
                        medianReviewDays: AssessmentMath.median(review[district.code] ?? []), landingProjects: projects.projects,
                        producing: projects.producing, openProblems: projects.openProblems))
            }
        }
        return AssessmentReport(year: year, stations: stations, districts: districts)
    }

    /// A share as the assessments show it (53.3%), `none` when there is none.
    public static func percent(_ value: Double?, none: String) -> String { value.map { String(format: "%.1f%%", $0 * 100) } ?? none }

    /// A mean or a median with one decimal (47.5), `none` when there is none.
    public static func decimal(_ value: Double?, none: String) -> String { value.map { String(format: "%.1f", $0) } ?? none }

    /// The report as a workbook or CSV: the stations' table, a blank row, the districts' table.
    public func export(year: Int?, format: CensusUseCases.Format, by caller: Caller) async throws -> Data {
        let report = try await report(year: year, by: caller)
        func percent(_ value: Double?) -> String { Self.percent(value, none: "") }
        func decimal(_ value: Double?) -> String { Self.decimal(value, none: "") }
        var rows: [[String]] = [["\(report.year) 年服务工作站考核"]]
        rows.append(["服务工作站", "一对一服务（次）", "服务企业（家）", "服务产品（个）", "答复咨询（件）", "按时答复（件）", "按时答复率", "预约到场（次）", "评价（件）", "平均满意度"])
        for station in report.stations {
            rows.append([
                station.name, String(station.sessions), String(station.enterprises), String(station.products), String(station.answered),
                String(station.withinTarget), percent(station.shareWithinTarget), String(station.appointmentsHeld), String(station.ratings),
                decimal(station.meanRating),
            ])
        }
        rows.append([])
        rows.append(["\(report.year) 年各区考核"])
        rows.append(["区", "填报企业（家）", "填报产品（个）", "填报完整度", "获批注册证（张）", "审评用时中位数（工作日）", "落地项目（个）", "已投产（个）", "待解决落地问题（个）"])
        for district in report.districts {
            rows.append([
                district.name, String(district.censusEnterprises), String(district.censusProducts), percent(district.completeness),
                String(district.registrations), decimal(district.medianReviewDays), String(district.landingProjects), String(district.producing),
                String(district.openProblems),
            ])
        }
        return try CensusSheets.file(rows, sheetName: "定期考核", format: format)
    }
}

extension Platform {
    public var assessments: AssessmentUseCases { AssessmentUseCases(platform: self) }
}
