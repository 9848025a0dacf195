import Foundation
import TongdaoHTML
import TongdaoCore
import TongdaoUseCases

/// `/`: for a signed-in user their own page (their work, their scope's figures, the census season),
/// then the administrative tree that scopes every figure on the platform; the tree alone for others.
enum Home {
    static func render(_ model: Model, overview: HomeUseCases.Overview? = nil, viewer: Viewer? = nil) -> String {
        Layout.render(
            title: "首页",
            section: .home,
            viewer: viewer,
            content: .group(
                .unwrap(overview.flatMap { overview in viewer.map { (overview, $0) } }) { own($0.0, viewer: $0.1) },
                .section(
                    .class("panel intro"),
                    overview == nil
                        ? .h1(.text(model.city.map { "\($0.name) · 行政区划与生物医药园区" } ?? "行政区划尚未载入"))
                        : .h2(.text(model.city.map { "\($0.name) · 行政区划与生物医药园区" } ?? "行政区划尚未载入")),
                    .p(
                        .class("muted"),
                        .text("\(model.districts.count) 个区 · \(model.parkCount) 个重点园区（“1+5+X”生物医药产业布局）。数据范围按 市 ⊃ 区 ⊃ 园区 ⊃ 企业 逐级划分。")
                    )
                ),
                .section(
                    .class("district-grid"),
                    .attribute(named: "aria-label", value: "各区及园区"),
                    .forEach(model.districts) { district in
                        .element(
                            named: "article",
                            nodes: [
                                .class("district-card"),
                                .id("region-\(district.region.code)"),
                                .h2(.text(district.region.name)),
                                .p(.class("code"), .text(district.region.code)),
                                parks(district.parks),
                            ])
                    }
                )
            )
        )
    }

    /// The signed-in user's own part of the page.
    private static func own(_ overview: HomeUseCases.Overview, viewer: Viewer) -> Node<HTML.BodyContext> {
        let shown = overview.inbox.prefix(5)
        let digest = overview.latestDigest
        return .group(
            .section(
                .class("panel"),
                .h1(.text("\(viewer.displayName)，您好")),
                .p(
                    .class("muted"),
                    .text("\(viewer.role.label) · \(overview.summary?.scopeLabel ?? overview.delta?.province.regulator ?? "本人的数据范围")")),
                // The applications' inbox, for the roles that read applications (not a partner province
                // nor the health commission, whose work is elsewhere).
                .if(
                    viewer.may(.readProducts),
                    .group(
                        .div(
                            .class("panel-head"),
                            .h2(.text("我的待办")),
                            .a(.class("button secondary"), .href(SiteURL.inbox.path), .text("全部待办与每日提醒"))
                        ),
                        overview.inbox.isEmpty
                            ? .p(
                                .class("muted"),
                                .text(
                                    digest.map { "您审评或跟踪的申报事项目前无需关注；\($0.day) 的每日提醒有 \($0.items.count) 项（其中上报给您 \($0.escalated) 项）。" }
                                        ?? "您审评或跟踪的申报事项目前无需关注。"))
                            : .group(
                                .p(.text("您审评或跟踪的申报事项中，\(overview.inbox.count) 项需要关注：")),
                                .ul(
                                    .forEach(shown) { item in
                                        .li(
                                            .a(
                                                .href(SiteURL.application(id: item.item.application.id.uuidString).path),
                                                .text(item.item.application.applicationNumber)),
                                            .text(" \(item.productName)：" + item.warnings.map(\.message).joined(separator: "；")))
                                    })
                            ),
                        .unwrap(digest.flatMap { $0.items.isEmpty || !overview.inbox.isEmpty ? nil : $0 }) { digest in
                            .ul(.forEach(digest.items.prefix(5)) { ApplicationPages.digestItem($0) })
                        }
                    ))
            ),
            .unwrap(overview.delta) { delta in
                .section(
                    .class("panel"),
                    .h2(.text("\(delta.province.regulator) · 长三角协同")),
                    .ul(
                        .li(.a(.href(SiteURL.deltaLinks(query: nil).path), .text("涉及本省的跨省委托生产关系 \(delta.links) 条"))),
                        .li(
                            .a(
                                .href(SiteURL.deltaNotices.path),
                                .text("待答复的风险通报和协查请求 \(delta.openNotices) 件" + (delta.overdueNotices > 0 ? "（其中已超期 \(delta.overdueNotices) 件）" : "")))
                        ),
                        .li(.a(.href(SiteURL.deltaInspections.path), .text("进行中的联合检查 \(delta.openJointInspections) 项"))),
                        .li(.a(.href(SiteURL.deltaShares.path), .text("上海共享、尚未互认的检查结果 \(delta.sharesToRecognise) 项"))),
                        .li(.a(.href(SiteURL.deltaInspections.path), .text("报送、待上海认定的检查结果 \(delta.resultsAwaiting) 项")))))
            },
            .unwrap(overview.summary) { summary in
                let figures = summary.figures
                return .section(
                    .class("panel"),
                    .div(
                        .class("panel-head"),
                        .h2(.text("\(summary.scopeLabel) 概况（截至 \(figures.asOf)）")),
                        .a(.class("button secondary"), .href(SiteURL.dashboard(query: nil).path), .text("数据看板"))
                    ),
                    .div(
                        .class("figures"),
                        DashboardPage.headline(
                            "在审事项", figures.applicationsInReview, previous: nil,
                            link: SiteURL.applications(query: "status=\(ApplicationPages.openStatus)").path),
                        DashboardPage.headline("临近时限（黄）", figures.amber, previous: nil, link: SiteURL.applications(query: "level=amber").path),
                        DashboardPage.headline("已超时限（红）", figures.red, previous: nil, link: SiteURL.applications(query: "level=red").path),
                        DashboardPage.headline("本年获批", figures.approvals.current, previous: nil)
                    )
                )
            },
            .unwrap(overview.censusDeclarations) { count in
                .section(
                    .class("panel"),
                    .div(
                        .class("panel-head"),
                        .h2(.text("\(overview.censusYear) 年度注册意向普查")),
                        .a(.class("button secondary"), .href(SiteURL.census(year: overview.censusYear).path), .text("查看与导入"))
                    ),
                    .p(
                        .text(
                            count == 0
                                ? "本年度您的数据范围内尚无申报。"
                                : "本年度您的数据范围内已申报 \(count) 个产品。"))
                )
            }
        )
    }

    private static func parks(_ parks: [Region]) -> Node<HTML.BodyContext> {
        guard !parks.isEmpty else { return .p(.class("muted small"), .text("暂无登记园区")) }
        return .ul(
            .class("park-list"),
            .forEach(parks) { park in
                .li(.class("park"), .id("region-\(park.code)"), .text(park.name))
            }
        )
    }
}
