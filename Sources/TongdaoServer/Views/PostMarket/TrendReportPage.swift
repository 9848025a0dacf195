import Foundation
import TongdaoCharts
import TongdaoCore
import TongdaoHTML
import TongdaoUseCases

/// A product's adverse-event trend report (不良事件趋势报告), laid out to print: the summary, the
/// monthly reports against their expected band as a chart and as a table, the seriousness and the
/// terms, and the product's signals.
enum TrendReportPage {
    static func render(_ report: TrendReportRecord, viewer: Viewer) -> String {
        let months = report.trend.months
        let flagged = report.trend.flagged
        let chart = LineChart(
            title: "\(report.productName)每月不良事件报告数与预期范围", labels: months.map(\.month.description),
            series: [
                .init("报告数", months.map { Double($0.count) }), .init("预期上限", months.map { $0.upper.map(Double.init) }),
                .init("预期均值", months.map(\.expected)),
            ], width: 760, labelEvery: 3)
        let summary =
            "\(report.generatedOn) 生成。统计期间（近 \(months.count) 个月）共收到报告 \(report.total) 份，其中迟报 \(report.late) 份；"
            + (flagged.isEmpty
                ? "各月报告数均在预期范围内。"
                : "\(flagged.count) 个月超出预期上限：\(flagged.map { "\($0.month)（\($0.count) 份，上限 \($0.upper ?? 0)）" }.joined(separator: "、"))。")
        return Layout.render(
            title: "不良事件趋势报告：\(report.productName)",
            section: .postMarket,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    .p(
                        .class("small no-print"),
                        .a(.href(SiteURL.adverseEvents(query: "product=\(report.productID.uuidString)").path), .text("← 该产品的不良事件报告"))),
                    .h1(.text("不良事件趋势报告")),
                    .dl(
                        .class("facts"),
                        .dt(.text("产品")), .dd(.text(report.productName)), .dt(.text("注册人")), .dd(.text(report.registrant)),
                        .dt(.text("注册证号")), .dd(.text(report.certificate ?? "—"))),
                    .p(.text(summary)),
                    .p(
                        .class("muted small"),
                        .text("预期范围：每月以前 12 个月（不足 12 个月的以已有月份，至少 6 个月）的平均报告数为预期均值，按泊松分布取 2.5%–97.5% 分位数为范围；超过上限的月份标为异常。")),
                    DashboardPage.chart(chart, wide: true)
                ),
                .section(
                    .class("panel"),
                    .h2(.text("逐月报告数")),
                    .table(
                        .class("data-table"),
                        .thead(.tr(.th("月份"), .th("报告数"), .th("预期均值"), .th("预期范围"), .th("判定"))),
                        .tbody(
                            .forEach(months) { month in
                                .tr(
                                    .td(.text(month.month.description)), .td(.text(String(month.count))),
                                    .td(.text(month.expected.map { String(format: "%.1f", $0) } ?? "—")),
                                    .td(.text(month.lower.map { "\($0)–\(month.upper ?? $0)" } ?? "历史不足")),
                                    .td(month.above ? .span(.class("badge level-red"), .text("超出上限")) : .text("")))
                            }))
                ),
                .section(
                    .class("panel"),
                    .h2(.text("严重程度与事件术语")),
                    .table(
                        .class("data-table"), .thead(.tr(.th("严重程度"), .th("报告数"))),
                        .tbody(.forEach(report.bySeriousness) { .tr(.td(.text($0.seriousness.label)), .td(.text(String($0.count)))) })),
                    .table(
                        .class("data-table"), .thead(.tr(.th("事件术语（前 10 位）"), .th("报告数"))),
                        .tbody(.forEach(report.topTerms) { .tr(.td(.text($0.term.chinese)), .td(.text(String($0.count)))) }))
                ),
                .if(
                    !report.signals.isEmpty,
                    .section(
                        .class("panel"),
                        .h2(.text("信号清单")),
                        .ul(
                            .forEach(report.signals) { signal in
                                .li(
                                    .a(.href(SiteURL.signal(id: signal.id.uuidString).path), .text(signal.term.chinese)),
                                    .text("：\(signal.status.label)（\(signal.detectedOn) 列入，PRR \(SignalPages.figure(signal.prr))）"))
                            })))
            )
        )
    }
}
