import Foundation
import TongdaoCharts
import TongdaoCore
import TongdaoHTML
import TongdaoUseCases

/// The periodic assessments (定期考核): the stations' and the districts' year, in charts and tables
/// that print (the page's navigation and forms are left off the paper by the print style).
enum AssessmentPages {
    static func percent(_ value: Double?) -> String { AssessmentUseCases.percent(value, none: "—") }
    static func decimal(_ value: Double?) -> String { AssessmentUseCases.decimal(value, none: "—") }

    static func page(_ report: AssessmentReport, thisYear: Int, viewer: Viewer) -> String {
        let served = BarChart(
            title: "\(report.year) 年各工作站服务企业和产品（一对一服务）", series: ["企业", "产品"],
            bars: report.stations.map { .init($0.name, [Double($0.enterprises), Double($0.products)]) }, layout: .grouped, width: 640)
        let onTime = BarChart(
            title: "\(report.year) 年各工作站咨询按时答复率", bars: report.stations.map { .init($0.name, [$0.shareWithinTarget ?? 0]) }, numberStyle: .percent,
            width: 640)
        let registered = BarChart(
            title: "\(report.year) 年各区获批注册证", bars: report.districts.map { .init($0.name, [Double($0.registrations)]) }, width: 640)
        return Layout.render(
            title: "\(report.year) 年定期考核",
            section: .service,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    AppointmentPages.links(viewer),
                    .h1(.text("\(report.year) 年定期考核")),
                    .p(
                        .class("muted small"),
                        .text(
                            "服务工作站：一对一服务的企业和产品、答复咨询及按时答复率（按工作日计，企业补充材料期间暂停计时）、预约到场和满意度；各区：普查填报、获批注册证及审评用时（受理至批准的工作日中位数）、产业化落地项目。打印本页即得考核讲评材料。"
                        )),
                    .form(
                        .method(.get), .action(SiteURL.assessments(year: nil).path), .class("filters no-print"),
                        Forms.select(
                            Forms.Field(name: "year", label: "年度", value: String(report.year)),
                            options: (max(2020, thisYear - 5)...thisYear).reversed().map { .init(value: String($0), label: "\($0) 年") }),
                        .button(.class("button"), .type(.submit), .text("查看"))),
                    .p(
                        .class("small no-print"),
                        .a(.href(SiteURL.assessmentsExport(year: report.year, format: "xlsx").path), .text("导出 Excel")), .text(" · "),
                        .a(.href(SiteURL.assessmentsExport(year: report.year, format: "csv").path), .text("导出 CSV")))
                ),
                .if(
                    !report.stations.isEmpty,
                    .section(
                        .class("panel"),
                        .h2(.text("服务工作站")),
                        .div(.class("chart-grid"), DashboardPage.chart(served), DashboardPage.chart(onTime)),
                        .table(
                            .class("data-table"),
                            .thead(
                                .tr(
                                    .th("工作站"), .th("一对一服务"), .th("服务企业"), .th("服务产品"), .th("答复咨询"), .th("按时答复"), .th("按时答复率"), .th("预约到场"),
                                    .th("平均满意度"))),
                            .tbody(
                                .forEach(report.stations) { station in
                                    .tr(
                                        .td(.text(station.name)), .td(.text("\(station.sessions)")), .td(.text("\(station.enterprises)")),
                                        .td(.text("\(station.products)")), .td(.text("\(station.answered)")), .td(.text("\(station.withinTarget)")),
                                        .td(.text(percent(station.shareWithinTarget))), .td(.text("\(station.appointmentsHeld)")),
                                        .td(.text(station.ratings == 0 ? "—" : "\(decimal(station.meanRating))（\(station.ratings) 件）")))
                                })))),
                .if(
                    !report.districts.isEmpty,
                    .section(
                        .class("panel"),
                        .h2(.text("各区")),
                        .div(.class("chart-grid"), DashboardPage.chart(registered)),
                        .table(
                            .class("data-table"),
                            .thead(
                                .tr(
                                    .th("区"), .th("填报企业"), .th("填报产品"), .th("填报完整度"), .th("获批注册证"), .th("审评用时中位数（工作日）"), .th("落地项目"),
                                    .th("已投产"), .th("待解决落地问题"))),
                            .tbody(
                                .forEach(report.districts) { district in
                                    .tr(
                                        .td(.text(district.name)), .td(.text("\(district.censusEnterprises)")),
                                        .td(.text("\(district.censusProducts)")),
                                        .td(.text(percent(district.completeness))), .td(.text("\(district.registrations)")),
                                        .td(.text(decimal(district.medianReviewDays))), .td(.text("\(district.landingProjects)")),
                                        .td(.text("\(district.producing)")), .td(.text("\(district.openProblems)")))
                                }))))
            )
        )
    }
}
