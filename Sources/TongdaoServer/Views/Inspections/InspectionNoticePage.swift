import Foundation
import TongdaoCore
import TongdaoHTML
import TongdaoUseCases

/// The yearly notice of the trial institutions' inspection results (检查结果信息通报): a page that
/// prints cleanly (the menu, the year's choice and the download links are left off the paper) and
/// downloads as XLSX or CSV.
enum InspectionNoticePage {
    static func render(_ notice: InspectionNotice, today: CivilDate, viewer: Viewer) -> String {
        let years = Array((2024...max(today.year, notice.year)).reversed())
        return Layout.render(
            title: "\(notice.year) 年临床试验机构检查结果信息通报",
            section: .inspections,
            viewer: viewer,
            content: .section(
                .class("panel notice"),
                .p(.class("small no-print"), .a(.href(SiteURL.inspections(query: nil).path), .text("← 检查任务"))),
                .h1(.text("\(notice.year) 年临床试验机构检查结果信息通报")),
                .p(.class("muted small"), .text("上海市药品监督管理局 → 上海市卫生健康委员会、上海申康医院发展中心　制表日期 \(today)")),
                .p(.text(notice.summary)),
                .div(
                    .class("no-print filters"),
                    .forEach(years) { year in
                        year == notice.year
                            ? .strong(.text("\(year) 年"))
                            : .a(.href(SiteURL.inspectionNotice(year: year).path), .text("\(year) 年"))
                    },
                    .text(" · "),
                    .a(.href(SiteURL.inspectionNoticeExport(year: notice.year, format: "xlsx").path), .text("下载 XLSX")), .text(" · "),
                    .a(.href(SiteURL.inspectionNoticeExport(year: notice.year, format: "csv").path), .text("下载 CSV"))),
                notice.rows.isEmpty
                    ? .p(.class("muted"), .text("本年度尚无结案的临床试验机构检查。"))
                    : .table(
                        .class("data-table"),
                        .thead(.tr(.forEach(notice.table[0]) { .th(.text($0)) })),
                        .tbody(.forEach(notice.table.dropFirst()) { row in .tr(.forEach(row) { .td(.text($0)) }) })),
                .p(.class("muted small"), .text("本通报只载检查结论和缺陷数量，不含检查证据记录。缺陷分级：严重、主要、一般；检查结论依检查计划规则判定。"))
            )
        )
    }
}
