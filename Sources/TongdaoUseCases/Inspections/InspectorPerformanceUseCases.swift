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
        var rows: [[String]] = [
            [
                "姓名", "关联账号", "检查员类别", "检查专业", "专职或兼职", "组长或组员", "年度可用检查天数", "现任职单位", "状态", "\(year) 年培训学时",
                "\(year) 年检查次数", "任组长次数", "按时完成次数", "平均评分",
            ]
        ]
        for model in models {
            let id = try model.requireID()
            let profile = InspectorStore.profile(of: model, details[id])
            let current = profile.employments.filter { $0.to == nil || ($0.to ?? today) >= today }.max { $0.from < $1.from }
            let tenths = profile.trainings.filter { $0.on.year == year }.reduce(0) { $0 + $1.tenthsOfHours }
            let record = InspectorPerformance.byYear(performance[id] ?? []).first { $0.year == year }
            rows.append([
                profile.name, model.userID.flatMap { usernames[$0] } ?? "", profile.categories.map(\.label).joined(separator: "、"),
                profile.specialties.map(\.label).joined(separator: "、"), profile.fullTime ? "专职" : "兼职", profile.rank.label,
                String(profile.capacityDays), current?.employer.name ?? "", profile.active ? "在库" : "已退出",
                InspectorTraining(on: today, course: "", tenthsOfHours: tenths).hoursText, String(record?.inspections ?? 0),
                String(record?.led ?? 0), String(record?.onTime ?? 0), record?.averageRating.map { String(format: "%.1f", $0) } ?? "",
            ])
        }
        switch format {
        case .csv: return CSV.excelData(rows)
        case .xlsx: return try XLSX.workbook(sheetName: "检查员库", rows: rows)
        }
    }
}
