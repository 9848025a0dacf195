import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

/// Public reference data: the administrative tree and the working-day calendar. Nothing here is
/// scoped: every visitor may read it, signed in or not.
public struct ReferenceUseCases: Sendable {
    let platform: Platform

    /// Regions, optionally of one level and/or directly under one parent (which must exist).
    public func regions(level: String? = nil, parent: String? = nil) async throws -> [Region] {
        var problems: [FieldProblem] = []
        var parsedLevel: RegionLevel?
        if let level {
            parsedLevel = RegionLevel(rawValue: level)
            if parsedLevel == nil {
                problems.append(
                    FieldProblem("level", "must be one of \(RegionLevel.allCases.map(\.rawValue).joined(separator: ", "))", chinese: "层级须为省、市、区或园区"))
            }
        }
        if let parent {
            if parent.isEmpty || parent.count > 64 {
                problems.append(FieldProblem("parent", "must be a region code of 1 to 64 characters", chinese: "上级区划代码须为 1–64 个字符"))
            } else if try await RegionQueries.list(on: platform.database).contains(where: { $0.code == parent }) == false {
                problems.append(FieldProblem("parent", "no region has the code \(parent)", chinese: "没有该区划代码"))
            }
        }
        guard problems.isEmpty else { throw UseCaseError.malformed(problems) }
        return try await RegionQueries.list(level: parsedLevel, parent: parent, on: platform.database)
    }

    /// The installation's working-day calendar (bundled years and those published since).
    public func calendar() async throws -> WorkCalendar {
        try await platform.calendar()
    }

    /// The year a calendar page shows: the one asked for, or this year in Shanghai.
    public func calendarYear(_ year: Int?) throws(UseCaseError) -> Int {
        guard let year else { return platform.clock.today().year }
        guard CivilDate.supportedYears.contains(year) else {
            throw .malformed([
                FieldProblem(
                    "year", "must be between \(CivilDate.supportedYears.lowerBound) and \(CivilDate.supportedYears.upperBound)",
                    chinese: "年份须为 \(CivilDate.supportedYears.lowerBound)–\(CivilDate.supportedYears.upperBound) 之间的整数")
            ])
        }
        return year
    }

    /// Today in Shanghai, by the platform's clock.
    public func today() -> CivilDate {
        platform.clock.today()
    }
}

extension Platform {
    public var reference: ReferenceUseCases { ReferenceUseCases(platform: self) }
}
