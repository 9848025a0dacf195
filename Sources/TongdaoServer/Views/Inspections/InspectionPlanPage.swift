import Foundation
import TongdaoCharts
import TongdaoCore
import TongdaoHTML
import TongdaoUseCases

/// The year's full-coverage inspection plan: coverage by month, the visits to combine, every target
/// with something due and the rule that says so.
enum InspectionPlanPage {
    struct Model {
        var report: InspectionPlanReport
        /// District names by code.
        var districts: [String: String]
        var canPlan: Bool
        /// The page of the targets' list (100 a page).
        var page: Int
        /// What the last scheduling did, to say so above the plan.
        var message: String?
    }

    static let pageSize = 100

    /// The chart: each month's inspections required, planned, done and overdue, side by side (they
    /// overlap: done and overdue ones are among those required).
    static func chart(_ report: InspectionPlanReport) -> BarChart {
        BarChart(
            title: "\(report.year) 年检查覆盖（按月；应检含已完成和逾期，分组并列，不相加）", series: ["应检", "已计划", "已完成", "逾期"],
            bars: report.coverage.map {
                .init("\($0.month.month)月", [Double($0.required), Double($0.planned), Double($0.done), Double($0.overdue)])
            }, orientation: .vertical, layout: .grouped, width: 960)
    }

    /// The licence inspections not yet carried out, and whether the waiver can spare their visit.
    static func licenceSection(_ cases: [InspectionPlanReport.LicenceCase]) -> Node<HTML.BodyContext> {
        .section(
            .class("panel"),
            .h2(.text("生产许可现场检查（可减免的在前）")),
            .p(
                .class("muted small"),
                .text("新开办医疗器械生产企业已在同一生产地址通过注册体系核查，且不存在真实性问题或严重缺陷的，可减免生产许可现场检查；集中带量采购中选产品的生产企业全项目检查。")),
            cases.isEmpty
                ? .p(.class("muted"), .text("没有待实施的生产许可现场检查。"))
                : .table(
                    .class("data-table"),
                    .thead(.tr(.th("企业"), .th("生产地址"), .th("计划月份"), .th("能否减免"), .th("条件"))),
                    .tbody(.forEach(cases) { licenceRow($0) }))
        )
    }

    private static func licenceRow(_ item: InspectionPlanReport.LicenceCase) -> Node<HTML.TableContext> {
        .tr(
            .td(.a(.href(SiteURL.inspection(id: item.inspection.uuidString).path), .text(item.targetName))),
            .td(.text(item.address)), .td(.text(item.plannedMonth?.description ?? "—")),
            .td(.span(.class(item.waiver.eligible ? "badge level-green" : "badge level-none"), .text(item.waiver.eligible ? "可减免" : "不可减免"))),
            .td(.text(item.waiver.eligible ? (item.waiver.basis?.summary ?? "") : item.waiver.refusal)))
    }

    static func render(_ model: Model, viewer: Viewer) -> String {
        let report = model.report
        let totals = report.totals
        let due = report.due
        let shown = Array(due.dropFirst(model.page * pageSize).prefix(pageSize))
        let names = Dictionary(report.targets.map { ($0.facts.target.id, $0.facts.target.name) }, uniquingKeysWith: { first, _ in first })
        let more = due.count > (model.page + 1) * pageSize
        return Layout.render(
            title: "\(report.year) 年检查计划",
            section: .inspections,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    .div(
                        .class("panel-head"),
                        .h1(.text("\(report.year) 年检查计划")),
                        .p(
                            .a(.href(SiteURL.inspectionPlan(year: report.year - 1, page: nil).path), .text("← \(report.year - 1) 年")), .text(" · "),
                            .a(.href(SiteURL.inspectionPlan(year: report.year + 1, page: nil).path), .text("\(report.year + 1) 年 →")), .text(" · "),
                            .a(.href(SiteURL.inspectors(query: nil).path), .text("检查员库")))
                    ),
                    .unwrap(model.message) { .p(.class("notice"), .attribute(named: "role", value: "status"), .text($0)) },
                    .p(
                        .text(
                            "应检对象 \(totals.targets) 个（临床试验机构和生产企业）；截至 \(report.today)，年内尚需检查 \(totals.due) 项，其中已逾期 \(totals.overdue) 项；"
                                + "已列入计划未完成 \(totals.planned) 项；本年已完成 \(totals.done) 项。")),
                    .p(
                        .class("muted small"),
                        .text(
                            "依据：药物临床试验机构每 \(report.policy.drugTrialInstitutionYears) 年、医疗器械临床试验机构每 \(report.policy.deviceTrialInstitutionYears) 年至少检查一次；"
                                + "新备案或新增专业 \(report.policy.newFilingWorkingDays) 个工作日内现场检查；重点监管对象每 \(report.policy.keySupervisionMonths) 个月；"
                                + "生产企业按产品最高类别（III 类每 \(report.policy.manufacturerYears["3"] ?? 0) 年、II 类每 \(report.policy.manufacturerYears["2"] ?? 0) 年、I 类每 \(report.policy.manufacturerYears["1"] ?? 0) 年）。"
                        )),
                    .if(
                        model.canPlan && report.year >= report.today.year,
                        .form(
                            .method(.post), .action(SiteURL.inspectionPlanSchedule.path),
                            Forms.csrf(viewer.csrfToken),
                            .input(.type(.hidden), .name("year"), .value(String(report.year))),
                            .button(.class("button"), .type(.submit), .text("按应检事项生成 \(report.year) 年检查计划"))
                        ))
                ),
                .section(
                    .class("panel"),
                    DashboardPage.chart(chart(report), wide: true)
                ),
                .section(
                    .class("panel"),
                    .h2(.text("建议合并检查（应并尽并，\(report.policy.combineWithinDays) 天内到期的检查合为一次）")),
                    report.combined.isEmpty
                        ? .p(.class("muted"), .text("没有可合并的检查。"))
                        : .table(
                            .class("data-table"),
                            .thead(.tr(.th("检查对象"), .th("合并的检查"), .th("最早应检日期"))),
                            .tbody(
                                .forEach(report.combined) { visit in
                                    .tr(
                                        .td(.text(names[visit[0].target] ?? "—")), .td(.text(visit.map(\.type.label).joined(separator: "、"))),
                                        .td(.text(visit[0].dueBy.description)))
                                }))
                ),
                licenceSection(report.licence),
                .section(
                    .class("panel"),
                    .h2(.text("应检事项（\(due.count) 个对象，逾期和到期早的在前）")),
                    shown.isEmpty
                        ? .p(.class("muted"), .text("本年没有尚需检查的对象。"))
                        : .table(
                            .class("data-table"),
                            .thead(.tr(.th("检查对象"), .th("类别"), .th("区"), .th("应检事项"), .th("应检日期"), .th("依据"), .th("计划"))),
                            .tbody(
                                .forEach(shown) { target in
                                    let facts = target.facts.target
                                    let planned = target.inspections.filter { $0.status == .planned }
                                    return .tr(
                                        .td(
                                            facts.kind == .trialInstitution
                                                ? .a(.href(SiteURL.trialInstitution(id: facts.id.uuidString).path), .text(facts.name))
                                                : .a(.href(SiteURL.enterprise(id: facts.id.uuidString).path), .text(facts.name))),
                                        .td(.text(facts.kind.label)),
                                        .td(.text(facts.district.flatMap { model.districts[$0] } ?? "外省")),
                                        .td(.forEach(target.dues) { due in .div(.text(due.type.label)) }),
                                        .td(
                                            .forEach(target.dues) { due in
                                                .div(
                                                    .text(due.dueBy.description),
                                                    .if(due.dueBy < report.today, .span(.class("badge level-red"), .text("逾期"))))
                                            }),
                                        .td(.class("small"), .forEach(target.dues) { due in .div(.text(due.reason)) }),
                                        .td(
                                            planned.isEmpty
                                                ? .text("未列入计划")
                                                : .forEach(planned) { row in
                                                    .div(
                                                        .text(row.plannedMonth.map { "\($0.year) 年 \($0.month) 月" } ?? "—"),
                                                        .span(.class("muted small"), .text("（\(row.types.map(\.label).joined(separator: "、"))）")))
                                                })
                                    )
                                })
                        ),
                    .p(
                        .class("pager"),
                        .if(
                            model.page > 0,
                            .a(.href(SiteURL.inspectionPlan(year: report.year, page: model.page - 1).path), .text("← 上一页"))),
                        .text(" "),
                        .if(more, .a(.href(SiteURL.inspectionPlan(year: report.year, page: model.page + 1).path), .text("下一页 →"))))
                )
            )
        )
    }
}
