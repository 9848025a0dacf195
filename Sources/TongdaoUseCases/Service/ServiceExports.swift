import Foundation
import TongdaoCore
import TongdaoStore
import TongdaoXLSX

extension ConsultationUseCases {
    /// The most consultations one export holds (a year of a city's is about 12,000).
    public static let exportLimit = 50_000

    /// The consultation list as a file, with the list's filters applied, in the caller's scope: CSV
    /// (UTF-8 with BOM, formula-like cells neutralised) or XLSX. Names and labels, not codes; each
    /// open one's time left in working days.
    public func export(
        status: String? = nil, desk: String? = nil, topic: String? = nil, level: String? = nil, escalated: Bool = false, kind: String? = nil,
        format: CensusUseCases.Format, by caller: Caller
    ) async throws -> Data {
        var records: [ConsultationRecord] = []
        var cursor: String?
        repeat {
            let page = try await list(
                status: status, desk: desk, topic: topic, level: level, escalated: escalated, kind: kind, limit: 200, cursor: cursor, by: caller)
            records += page.items
            cursor = page.next
        } while cursor != nil && records.count < Self.exportLimit
        var rows: [[String]] = [
            [
                "问题概要", "类型", "企业", "统一社会信用代码", "产品", "咨询主题", "办理单位", "提出日期", "状态", "首次响应时限（工作日）", "首次响应日期",
                "办结时限（工作日）", "已用（工作日）", "期限", "预警", "升级督办", "满意度", "界定结论",
            ]
        ]
        for record in records.prefix(Self.exportLimit) {
            let clock = record.clock
            rows.append([
                record.title, record.kind.label, record.enterprise, record.uscc, record.productName ?? "", record.topicLabel, record.desk,
                record.askedOn.description, record.status.label, String(record.targets.firstResponse), clock.firstResponse.metOn?.description ?? "",
                String(record.targets.resolution), String(clock.resolution.used), clock.pending?.deadline?.description ?? "",
                clock.pending == nil ? "" : clock.level.label, clock.escalated ? "是" : "", record.rating.map(String.init) ?? "",
                record.outcome.map { $0.label + (record.decidedCode.map { "（\($0)）" } ?? "") } ?? "",
            ])
        }
        return try CensusSheets.file(rows, sheetName: "咨询", format: format)
    }
}

extension KeyVarietyUseCases {
    /// The key-varieties service list as a file (one status, or all), in the caller's scope: each
    /// product with its reason, station, officer, counsellor, task force and next milestone.
    public func export(status: String? = nil, format: CensusUseCases.Format, by caller: Caller) async throws -> Data {
        let records = try await list(status: status, by: caller)
        let today = platform.clock.today()
        var rows: [[String]] = [
            [
                "产品", "企业", "列入理由", "推荐说明", "状态", "推荐", "推荐日期", "服务工作站", "责任人", "国家分中心辅导员", "工作专班", "下一节点", "节点期限",
                "有逾期节点", "服务计划",
            ]
        ]
        for record in records {
            rows.append([
                record.productName, record.enterprise, record.reason.label, record.justification, record.status.label, record.proposedBy,
                record.proposedOn.description, record.stationName ?? "", record.officerName ?? "", record.counsellor ?? "", record.taskForce ?? "",
                record.next.map { "\($0.step.label)：\($0.title)" } ?? "", record.next?.dueOn.description ?? "", record.overdue ? "是" : "",
                record.milestones.map { "\($0.step.label) \($0.dueOn)\($0.doneOn.map { "（\($0) 完成）" } ?? ($0.overdue(today: today) ? "（逾期）" : ""))" }
                    .joined(separator: "；"),
            ])
        }
        return try CensusSheets.file(rows, sheetName: "在研重点品种", format: format)
    }
}
