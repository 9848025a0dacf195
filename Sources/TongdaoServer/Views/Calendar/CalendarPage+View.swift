import TongdaoHTML
import TongdaoCore

/// `/calendar?year=YYYY`: the working-day calendar as the review clocks count it.
enum CalendarPage {
    static let weekdayLabels = ["一", "二", "三", "四", "五", "六", "日"]

    static func render(_ model: Model, viewer: Viewer? = nil) -> String {
        Layout.render(
            title: "\(model.year) 年工作日历",
            section: .calendar,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    .h1(.text("\(model.year) 年工作日历")),
                    .p(
                        .class("calendar-nav"),
                        .a(.href(SiteURL.calendar(year: model.year - 1).path), .text("‹ \(model.year - 1) 年")),
                        .text(" · "),
                        .a(.href(SiteURL.calendar(year: model.year + 1).path), .text("\(model.year + 1) 年 ›"))
                    ),
                    model.published
                        ? .p(.class("muted"), .text("全年工作日 \(model.workingDays) 天。依据国务院办公厅发布的节假日安排；法定时限按工作日计算，起算日不计入（民法典第二百零一条）。"))
                        : .p(
                            .class("notice"),
                            .attribute(named: "role", value: "status"),
                            .text("\(model.year) 年节假日安排尚未发布：以下仅按周末推算，结果为临时，期限计算将拒绝或标注为临时。")
                        ),
                    legend()
                ),
                .section(
                    .class("month-grid"),
                    .forEach(model.months) { month(model.year, $0) }
                )
            )
        )
    }

    private static func legend() -> Node<HTML.BodyContext> {
        .ul(
            .class("legend"),
            .li(.span(.class("swatch workday")), .text("工作日")),
            .li(.span(.class("swatch weekend")), .text("周末")),
            .li(.span(.class("swatch holiday")), .text("法定节假日")),
            .li(.span(.class("swatch adjusted")), .text("调休上班"))
        )
    }

    private static func month(_ year: Int, _ month: Model.Month) -> Node<HTML.BodyContext> {
        .table(
            .class("month"),
            .caption(.text("\(month.number) 月 · 工作日 \(month.workingDays) 天")),
            .thead(.tr(.forEach(weekdayLabels) { .th(.text($0)) })),
            .tbody(
                .forEach(month.weeks) { week in
                    .tr(
                        .forEach(week) { cell in
                            guard let cell else { return .td(.class("pad")) }
                            let (css, note): (String, String?) =
                                switch cell.kind {
                                case .workday: ("workday", nil)
                                case .weekend: ("weekend", nil)
                                case .holiday(let name): ("holiday", name)
                                case .adjustedWorkday(let name): ("adjusted", "\(name) 调休上班")
                                }
                            return .td(
                                .class("day \(css)"),
                                .unwrap(note) { .title($0) },
                                .text(String(cell.day)),
                                .unwrap(note) { _ in .span(.class("day-note"), .text(css == "adjusted" ? "班" : "休")) }
                            )
                        })
                })
        )
    }
}
