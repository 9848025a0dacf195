import Foundation
import TongdaoHTML
import TongdaoCharts
import TongdaoCore
import TongdaoUseCases

/// `/screen`: the big screen for the digital hall, a dark 1920×1080 layout. The panels (figures, map,
/// charts, and the Delta map beside the events for the roles that read the Delta) are drawn on the
/// server; `screen.js` keeps the rolling list of events live from `GET /live` and swaps in fresh
/// panels from `/screen/panels` after each change.
enum ScreenPage {
    /// One event as the screen lists it, and as `GET /live` sends it.
    struct Item: Encodable, Equatable {
        var id: String
        var applicationNumber: String
        var productName: String
        var kind: String
        var kindLabel: String
        var on: String
        var statusLabel: String
        var district: String
        var districtName: String
        /// The day the event happened, as the screen shows it: 6月8日 (with the year when it is not this year's).
        var dayLabel: String
        var recordedAt: String

        init(_ notice: LiveNotice, districtNames: [String: String]) {
            id = notice.id.uuidString
            applicationNumber = notice.applicationNumber
            productName = notice.productName
            kind = notice.kind.rawValue
            kindLabel = notice.kind.label
            on = notice.on
            statusLabel = notice.status.label
            district = notice.district
            districtName = districtNames[notice.district] ?? notice.district
            dayLabel = Self.dayLabel(notice.on, thisYear: ShanghaiTime.day(of: notice.recordedAt).components.year)
            recordedAt = ShanghaiTime.timeOfDay(notice.recordedAt)
        }

        /// 6月8日 for 2026-06-08 in 2026; 2025年6月8日 in another year; the text itself if it is no date.
        static func dayLabel(_ on: String, thisYear: Int?) -> String {
            guard let (year, month, day) = CivilDate(on)?.components else { return on }
            return (year == thisYear ? "" : "\(year)年") + "\(month)月\(day)日"
        }
    }

    /// The events the feed sends; the screen lists them all, or `eventsBesideDelta` above the Delta map.
    static let eventsShown = 12
    static let eventsBesideDelta = 6

    private static func counter(_ label: String, _ value: Int, tone: String? = nil) -> Node<HTML.BodyContext> {
        .div(
            .class(tone.map { "screen-counter \($0)" } ?? "screen-counter"),
            .p(.class("screen-counter-label"), .text(label)),
            .p(.class("screen-counter-value"), .text(NumberStyle.wan.format(Double(value))))
        )
    }

    private static func panel(_ chart: some Chart, _ name: String) -> Node<HTML.BodyContext> {
        .element(
            named: "figure",
            nodes: [
                .class("screen-panel screen-\(name)"),
                .element(named: "figcaption", text: chart.title),
                .raw(chart.svg()),
            ])
    }

    /// The first part of the screen that `/screen/panels` redraws: counters, the map and three charts.
    static func panels(_ summary: DashboardSummary) -> Node<HTML.BodyContext> {
        let figures = summary.figures
        let charts = DashboardPage.screenCharts(.init(summary: summary, measure: .pipeline, district: nil))
        return .group(
            .div(
                .class("screen-counters"),
                counter("在审事项", figures.applicationsInReview),
                counter("本年获批", figures.approvals.current),
                counter("临近时限", figures.amber, tone: "amber"),
                counter("已超时限", figures.red, tone: "red"),
                counter("普查产品", figures.censusProducts.current),
                counter("国家创新产品获批", figures.nationalInnovativeApproved.current)
            ),
            panel(charts.map, "map"),
            panel(charts.onTime, "gauge"),
            panel(charts.review, "review"),
            panel(charts.months, "months")
        )
    }

    /// The second: the Delta map, under the events.
    static func deltaPanel(_ figures: DeltaMapFigures) -> Node<HTML.BodyContext> {
        panel(DeltaPages.map(figures, screen: true), "delta")
    }

    /// What `/screen/panels` answers: each redrawn part in a `data-part` naming the element on the page
    /// whose content it replaces.
    static func panelsFragment(_ summary: DashboardSummary, delta: DeltaMapFigures?) -> String {
        Node<HTML.BodyContext>.group(
            .div(.data(named: "part", value: "screen-panels"), panels(summary)),
            .unwrap(delta) { .div(.data(named: "part", value: "screen-delta"), deltaPanel($0)) }
        ).render()
    }

    private static func eventRow(_ item: Item) -> Node<HTML.ListContext> {
        .li(
            .class("screen-event kind-\(item.kind)"),
            .span(.class("screen-event-time"), .title("记录于 \(item.recordedAt)"), .text(item.dayLabel)),
            .span(.class("screen-event-kind"), .text(item.kindLabel)),
            .span(.class("screen-event-what"), .text("\(item.districtName) · \(item.productName)（\(item.applicationNumber)）"))
        )
    }

    /// The page; `district` is the district it is narrowed to (`?district=`), which `screen.js`
    /// passes on to `/live` and `/screen/panels` from the panels' `data-district`; `delta` the Delta's
    /// figures for a viewer who reads them.
    static func render(summary: DashboardSummary, delta: DeltaMapFigures?, items: [Item], district: String?, now: Date, viewer: Viewer) -> String {
        let shown = delta == nil ? eventsShown : eventsBesideDelta
        return HTML(
            .attribute(named: "lang", value: "zh-CN"),
            Layout.head(title: "实时大屏", script: .screenScript, viewport: "width=1920, initial-scale=1"),
            .body(
                .class("screen"),
                .header(
                    .class("screen-header"),
                    .h1(.text("上海市创新医疗器械 · 审评审批实时大屏")),
                    .p(.class("screen-scope"), .text(summary.scopeLabel)),
                    .p(.id("screen-state"), .class("screen-state"), .attribute(named: "role", value: "status"), .text("正在连接…")),
                    .p(.id("screen-clock"), .class("screen-clock"), .text(ShanghaiTime.timeOfDay(now)))
                ),
                .main(
                    .class("screen-grid"),
                    .div(
                        .id("screen-panels"), .class("screen-panels"),
                        .unwrap(district) { .data(named: "district", value: $0) },
                        panels(summary)
                    ),
                    .div(
                        .class("screen-side"),
                        .section(
                            .class("screen-events"),
                            .attribute(named: "aria-label", value: "最新动态"),
                            .h2(.text("最新动态")),
                            .ol(
                                .id("screen-events"), .data(named: "shown", value: String(shown)), .attribute(named: "aria-live", value: "polite"),
                                .forEach(items.prefix(shown)) { eventRow($0) }),
                            .if(items.isEmpty, .p(.id("screen-events-empty"), .class("muted"), .text("暂无审评事件")))
                        ),
                        .unwrap(delta) { .div(.id("screen-delta"), deltaPanel($0)) }
                    )
                ),
                .footer(.class("screen-footer"), .text("\(viewer.displayName) · 数据实时推送（服务器发送事件）；断线后自动重连。"))
            )
        ).render()
    }
}
