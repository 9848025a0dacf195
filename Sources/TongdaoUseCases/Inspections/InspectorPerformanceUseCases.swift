import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore
import TongdaoXLSX

/// Each inspector's record per year (issue 18 item 1: a performance record per inspection summed
/// per year; pay by ability and results) and the pool as a sheet.
extension InspectorUseCases {
    /// An inspector's years, the latest first: for the pool's managers and the inspector themself.
    public func performance(id: UUID, by caller: Caller) async throws -> [InspectorPerformance] {
        try caller.require(.readInspectors)
        guard let model = try await InspectorStore.find(id: id, on: platform.database) else { throw UseCaseError.notFound(.inspector) }
        guard caller.may(.manageInspectors) || (model.userID != nil && model.userID == caller.userID) else {
            throw UseCaseError.forbidden(.manageInspectors, role: caller.role)
        }
        let entries = try await InspectionTaskStore.performance(of: [id], on: platform.database)[id] ?? []
        return InspectorPerformance.byYear(entries)
    }

    /// The whole pool as a file (the pool's managers): each inspector's profile as the page names it
    /// (labels, not codes), their current employer, the year's training hours and the year's record.
    /// CSV (UTF-8 with BOM, formula-like cells neutralised) or XLSX.
    public func export(year: Int? = nil, format: CensusUseCases.Format, by caller: Caller) async throws -> Data {
        try caller.require(.manageInspectors)
        let today = platform.clock.today()
        let year = try InspectionPlanUseCases.year(year, today: today)
        let db = platform.database
        var models: [InspectorModel] = []
        var after: PageCursor?
        repeat {
            let page = try await InspectorStore.list(.init(active: nil), limit: 1_000, after: after, on: db)
            models += page.rows
            after = page.next
        } while after != nil
        let ids = try models.map { try $0.requireID() }
        let details = try await InspectorStore.details(of: ids, on: db)
        let performance = try await InspectionTaskStore.performance(of: nil, on: db)
        let users = try await UserModel.query(on: db).filter(\.$id ~~ models.compactMap(\.userID)).all()
        let usernames = Dictionary(users.compactMap { user in user.id.map { ($0, user.username) } }, uniquingKeysWith: { first, _ in first })
        // The sheet's own columns (`InspectorSheet`: they import back unchanged), then the year's record, which an import leaves alone.
        let columns: [InspectorSheet.Column] = [
            .id, .name, .username, .categories, .specialties, .fullTime, .rank, .capacityDays, .status, .employments, .relationships, .trainings,
        ]
        var rows: [[String]] = [columns.map(\.rawValue) + ["\(year) 年培训学时", "\(year) 年检查次数", "任组长次数", "按时完成次数", "平均评分"]]
        for model in models {
            let id = try model.requireID()
            let profile = InspectorStore.profile(of: model, details[id])
            let tenths = profile.trainings.filter { $0.on.year == year }.reduce(0) { $0 + $1.tenthsOfHours }
            let record = InspectorPerformance.byYear(performance[id] ?? []).first { $0.year == year }
            let cells = columns.map { column -> String in
                switch column {
                case .id: id.uuidString
                case .name: profile.name
                case .username: model.userID.flatMap { usernames[$0] } ?? ""
                case .categories: profile.categories.map(\.label).joined(separator: "、")
                case .specialties: profile.specialties.map(\.label).joined(separator: "、")
                case .fullTime: profile.fullTime ? "专职" : "兼职"
                case .rank: profile.rank.label
                case .capacityDays: String(profile.capacityDays)
                case .status: profile.active ? "在库" : "已退出"
                case .employments:
                    InspectorSheet.cell(
                        profile.employments.map { [$0.employer.name, $0.employer.uscc ?? "", $0.from.description, $0.to?.description ?? ""] })
                case .relationships:
                    InspectorSheet.cell(
                        profile.relationships.map { [$0.party.name, $0.party.uscc ?? "", $0.kind.label, $0.declaredOn.description, $0.note ?? ""] })
                case .trainings: InspectorSheet.cell(profile.trainings.map { [$0.on.description, $0.course, $0.hoursText] })
                }
            }
            rows.append(
                cells + [
                    InspectorTraining(on: today, course: "", tenthsOfHours: tenths).hoursText, String(record?.inspections ?? 0),
                    String(record?.led ?? 0), String(record?.onTime ?? 0), record?.averageRating.map { String(format: "%.1f", $0) } ?? "",
                ])
        }
        return try CensusSheets.file(rows, sheetName: "检查员库", format: format)
    }
}
