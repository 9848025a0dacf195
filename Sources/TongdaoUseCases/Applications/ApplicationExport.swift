import Foundation
import TongdaoCore
import TongdaoStore
import TongdaoXLSX

extension ApplicationUseCases {
    /// The most applications one export holds (a city has a few thousand open at a time).
    public static let exportLimit = 50_000

    /// The application list as a file, with the list's filters applied, in the caller's scope: CSV
    /// (UTF-8 with BOM, formula-like cells neutralised) or XLSX (text cells). Names, not codes: the
    /// product, the enterprise, the procedure, the status, the clock's level; who reviews and follows
    /// an application only for the roles that may read it.
    public func export(_ filter: Filter, format: CensusUseCases.Format, by caller: Caller) async throws -> Data {
        try caller.require(.readProducts)
        var items: [ApplicationItem] = []
        var cursor: String?
        repeat {
            let page = try await list(filter, limit: 500, cursor: cursor, by: caller)
            items += page.items
            cursor = page.next
        } while cursor != nil && items.count < Self.exportLimit
        let products = try await productNames(of: items, by: caller)
        let enterprises = try await enterpriseNames(of: items, by: caller)
        let people = try await peopleNames(of: items, by: caller)
        let confidential = caller.may(.readConfidentialReview)
        var rows: [[String]] = [
            ["受理号", "产品", "企业", "统一社会信用代码", "审评程序", "程序版本", "审批部门", "通道", "受理日期", "状态", "时限状态", "时限（工作日）", "已用", "剩余", "期限"]
                + (confidential ? ["审评员", "跟踪责任人"] : [])
        ]
        for item in items.prefix(Self.exportLimit) {
            let application = item.application, clock = item.clock
            let open = application.status.isOpen
            let product: String = products[application.productID] ?? ""
            let enterprise: String = enterprises[application.enterpriseID] ?? ""
            let level: String = open ? (clock?.level.label ?? "") : ""
            let limit: String = clock.map { String($0.limit) } ?? ""
            let used: String = clock.map { String($0.used) } ?? ""
            let remaining: String = open ? (clock.map { String($0.remaining) } ?? "") : ""
            let deadline: String = open ? (clock?.deadline?.description ?? "") : ""
            var row: [String] = [
                application.applicationNumber, product, enterprise, application.uscc, ProcedureCatalogue.label(of: application.procedure),
                application.procedureVersion, application.authority.label, application.channel.label, application.acceptedOn,
                application.status.label, level, limit, used, remaining, deadline,
            ]
            if confidential {
                row.append(application.reviewer.map { people[$0] ?? $0 } ?? "")
                row.append(application.responsibleOfficer.map { people[$0] ?? $0 } ?? "")
            }
            rows.append(row)
        }
        return try CensusSheets.file(rows, sheetName: "申报事项", format: format)
    }
}
