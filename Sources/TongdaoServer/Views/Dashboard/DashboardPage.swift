import Foundation
import TongdaoHTML
import TongdaoCharts
import TongdaoCore
import TongdaoUseCases

/// `/dashboard`: the headline figures and the charts for the viewer's scope, drawn on the server as SVG.
enum DashboardPage {
    /// What the district map is coloured by.
    enum Measure: String, CaseIterable, Sendable {
        case pipeline, approvals, overdue

        var label: String {
            switch self {
            case .pipeline: "在研产品"
            case .approvals: "本年获批"
            case .overdue: "超期事项"
            }
        }

        /// What one of the map's numbers counts, after the number: products, or applications.
        var unit: String {
            switch self {
            case .pipeline: "个产品，审批决定前"
            case .approvals: "件申报事项"
            case .overdue: "件申报事项，已超时限"
            }
        }

        func value(_ district: DashboardFigures.District) -> Int {
            switch self {
            case .pipeline: district.pipeline
            case .approvals: district.approvals
            case .overdue: district.overdue
            }
        }
    }

    struct Model {
        var summary: DashboardSummary
        var measure: Measure
        /// The district the viewer narrowed to, if any.
        var district: String?
        /// The year's inspection coverage and the key-supervision list, for the roles that read the
        /// plan (city-wide).
        var inspections: InspectionPanel? = nil
        /// The last twelve months' adverse-event reports in the viewer's scope (counts only).
        var vigilance: VigilancePanelRecord? = nil
        /// The Delta's figures, for the roles that read the Delta's records.
        var delta: DeltaMapFigures? = nil
    }

    static func vigilancePanel(_ panel: VigilancePanelRecord, viewer: Viewer) -> Node<HTML.BodyContext> {
        let order = EventSeriousness.allCases
        let months = BarChart(
            title: "近 12 个月不良事件报告（按月、严重程度）", series: order.map(\.label),
            bars: panel.months.map { month in .init(month.month.description, order.map { Double(month.bySeriousness[$0] ?? 0) }) },
            orientation: .vertical, width: 960, labelEvery: 2)
        let reads = viewer.may(.readAdverseEvents)
        return .section(
            .class("panel"), .id("vigilance"),
            .h2(.text("上市后监测")),
            .p(.class("muted small"), .text("您权限范围内的不良事件报告数和逾期的附条件批准义务数（只计数，不含事件经过、患者信息和履行证据）。")),
            .div(
                .class("figures"),
                headline("近 12 个月报告", panel.reports, previous: nil, link: reads ? SiteURL.adverseEvents(query: nil).path : nil),
                headline("其中严重", panel.serious, previous: nil),
                headline("迟报", panel.late, previous: nil, link: reads ? SiteURL.adverseEvents(query: "late=true").path : nil),
                .unwrap(panel.openSignals) { headline("待处理信号", $0, previous: nil, link: SiteURL.signals(query: nil).path) },
                headline(
                    "逾期的附条件批准义务", panel.overdueObligations, previous: nil,
                    link: viewer.may(.readObligations) ? SiteURL.obligations(query: "alert=red").path : nil)
            ),
            .div(.class("chart-grid"), chart(months, wide: true)))
    }

    struct InspectionPanel {
        var plan: InspectionPlanReport
        var listed: [KeySupervisionRecord]
    }

    /// The inspections panel: the year's coverage month by month and the targets on the
    /// key-supervision list.
    static func inspectionPanel(_ panel: InspectionPanel) -> Node<HTML.BodyContext> {
        let totals = panel.plan.totals
        return .section(
            .class("panel"), .id("inspections"),
            .h2(.text("检查与重点监管")),
            .p(.class("muted small"), .text("全市口径：临床试验机构和医疗器械生产企业按年度检查计划的应检、已计划、已完成和逾期；重点监管名单为当前已列入的对象。")),
            .div(
                .class("figures"),
                headline("检查对象", totals.targets, previous: nil, link: SiteURL.inspectionPlan(year: nil, page: nil).path),
                headline("本年已完成检查", totals.done, previous: nil),
                headline("待检（含逾期）", totals.due, previous: nil),
                headline("逾期未检", totals.overdue, previous: nil),
                headline("重点监管对象", panel.listed.count, previous: nil, link: SiteURL.keySupervision(all: false).path)
            ),
            .div(.class("chart-grid"), chart(InspectionPlanPage.chart(panel.plan), wide: true)),
            .if(
                !panel.listed.isEmpty,
                .group(
                    .h3(.text("重点监管名单")),
                    .table(
                        .class("data-table"),
                        .thead(.tr(.th("对象"), .th("列入日期"), .th("理由"))),
                        .tbody(
                            .forEach(panel.listed) { entry in
                                .tr(
                                    .td(
                                        .a(
                                            .href(SiteURL.credit(kind: entry.targetKind.rawValue, id: entry.targetID.uuidString).path),
                                            .text(entry.targetName))),
                                    .td(.text(entry.listedOn?.description ?? "—")), .td(.text(entry.reason)))
                            }))))
        )
    }

    /// A headline figure with last year's beside it.
    static func headline(_ label: String, _ value: Int, previous: Int?, link: String? = nil) -> Node<HTML.BodyContext> {
        let change: String? = previous.map { previous in
            let delta = value - previous
            let sign = delta > 0 ? "+" : ""
            // Nothing a year before: no change to state (a census year without declarations, say).
            guard previous > 0 else { return "上年同期无数据" }
            return "较上年同期 \(sign)\(delta)（\(sign)\(NumberStyle.percent.format(Double(delta) / Double(previous)))）"
        }
        let number = NumberStyle.wan.format(Double(value))
        return .div(
            .class("figure"),
            .p(.class("figure-label"), .text(label)),
            .p(.class("figure-value"), link.map { .a(.href($0), .text(number)) } ?? .text(number)),
            .unwrap(change) { .p(.class("figure-change muted small"), .text($0)) }
        )
    }

    static func chart(_ chart: some Chart, wide: Bool = false) -> Node<HTML.BodyContext> {
        .element(
            named: "figure",
            nodes: [
                .class(wide ? "chart-panel wide" : "chart-panel"),
                .element(named: "figcaption", text: chart.title),
                .raw(chart.svg()),
            ])
    }

    /// The dashboard's charts, by name: the page shows them all, the big screen some.
    struct Charts {
        var map: DistrictTileMap
        var funnel: FunnelChart
        var months: BarChart
        var authorities: BarChart
        var review: LineChart
        var areas: DonutChart
        var onTime: GaugeChart

        /// In the page's order; the third (the months) spans the page's width.
        var all: [any Chart] { [map, funnel, months, authorities, review, areas, onTime] }
    }

    static func charts(_ model: Model, dark: Bool = false) -> Charts {
        let figures = model.summary.figures
        let stages = DevelopmentStage.allCases.map { stage in
            FunnelChart.Stage(stage.label, Double(figures.productsByStage[stage] ?? 0), link: SiteURL.products(query: "stage=\(stage.rawValue)").path)
        }
        let registered = figures.productsByStage.values.reduce(0, +)
        let months = BarChart(
            title: "近 36 个月受理量（申报事项，按受理月份）", bars: figures.acceptedByMonth.map { .init($0.month.description, [Double($0.count)]) },
            orientation: .vertical, width: 960, labelEvery: 6)
        // Open applications and this year's acceptances overlap (an application accepted this year and
        // still open is in both): side by side, never stacked into one sum.
        let authorities = BarChart(
            title: "审评量（按审评机构，在审与本年受理有重叠，不相加）", series: ["在审", "本年受理"],
            bars: ApplicationAuthority.allCases.map {
                .init($0.label, [Double(figures.openByAuthority[$0] ?? 0), Double(figures.acceptedThisYearByAuthority[$0] ?? 0)])
            }, layout: .grouped, width: 560, labelWidth: 200)
        let reviews = model.summary.class2Reviews
        let limit = reviews.last?.limit ?? 60
        let review = LineChart(
            title: "第二类首次注册平均技术审评用时（工作日）", labels: reviews.map(\.label),
            series: [.init("平均用时", reviews.map(\.averageWorkingDays))], area: true, reference: ("法定时限", Double(limit)), numberStyle: .decimal)
        let areas = DonutChart(
            title: "重点领域分布（按领域标签计，一个产品可计入多个领域）",
            slices: KeyArea.allCases.map {
                .init($0.label, Double(figures.productsByKeyArea[$0] ?? 0), link: SiteURL.products(query: "keyArea=\($0.rawValue)").path)
            }
            .filter { $0.value > 0 })
        let open = figures.applicationsInReview
        let onTime = GaugeChart(
            title: "在审事项按期率", value: Double(max(0, open - figures.red)), maximum: Double(open),
            caption: "未超期 / 在审（\(open) 件，超期 \(figures.red) 件）")
        let mapped = figures.districts.values.reduce(0) { $0 + model.measure.value($1) }
        let map = DistrictTileMap(
            title: "各区\(model.measure.label)（\(mapped) \(model.measure.unit)）", measure: model.measure.label,
            tiles: figures.districts.map { code, district in
                .init(
                    code: code, value: Double(model.measure.value(district)),
                    link: SiteURL.dashboard(query: SiteURL.query([("district", code), ("measure", model.measure.rawValue)])).path)
            }.sorted { $0.code < $1.code }, dark: dark)
        return Charts(
            map: map, funnel: FunnelChart(title: "研发管线（登记产品按当前研发阶段，\(registered) 个）", stages: stages), months: months, authorities: authorities,
            review: review, areas: areas, onTime: onTime)
    }

    /// What each figure counts, where two of them count different things (the page shows these).
    static let countingNotes = [
        "普查企业、普查产品：本年度普查中申报的企业和产品；未参加本年度普查的登记产品不计。",
        "研发管线：平台登记的全部产品，按其当前研发阶段各计一次（含审批决定阶段）；地图的“在研产品”为审批决定前的产品。",
        "在审事项、临近时限、已超时限：未办结的申报事项（件）。一个产品可有多件申报，研发管线中“已受理”至“体系核查”各阶段的产品数与在审事项口径不同。",
        "审评量：在审事项与本年受理事项按审评机构分列；本年受理且仍在审的事项两者都计，故不相加。",
        "重点领域：按产品的领域标签计，一个产品可属多个领域，合计为标签数，多于产品数。",
        "本年获批：本年内作出批准决定的申报事项（件），地图的“本年获批”与之相同。",
        "本年答复咨询：本年内答复的企业咨询和分类界定申请（件），按提问企业所在区计；括号内为上年同期。",
    ]

    /// The charts as the big screen draws them: dark, their text half as large again, each as wide
    /// as the map (506), so that every text is at least 18 px in its 628-pixel panel at 1920×1080.
    static func screenCharts(_ model: Model) -> Charts {
        var charts = charts(model, dark: true)
        let scale = 1.5, width: Double = 506
        charts.map.textScale = scale
        charts.onTime.textScale = scale
        charts.onTime.width = width
        charts.review.textScale = scale
        charts.review.width = width
        charts.review.plotHeight = 120
        charts.months.textScale = scale
        charts.months.width = width
        charts.months.plotHeight = 120
        return charts
    }

    /// The clinical-trial panel: its figures, the trials by phase and by status, the institutions
    /// on the district map, and the pilot trials longest past their 12 weeks.
    static func trialPanel(_ model: Model, viewer: Viewer) -> Node<HTML.BodyContext> {
        let panel = model.summary.trials
        let phases = BarChart(
            title: "临床试验（按分期，\(panel.trials) 项）", bars: TrialPhase.allCases.map { .init($0.label, [Double(panel.byPhase[$0] ?? 0)]) },
            labelWidth: 130)
        let statuses = BarChart(
            title: "临床试验（按状态）", bars: TrialStatus.allCases.map { .init($0.label, [Double(panel.byStatus[$0] ?? 0)]) }, labelWidth: 150)
        let map = DistrictTileMap(
            title: "各区临床试验机构（\(panel.institutions) 家\(panel.institutionsElsewhere > 0 ? "，其中外省市 \(panel.institutionsElsewhere) 家" : "")）",
            measure: "临床试验机构",
            tiles: model.summary.districts.map { .init(code: $0.code, value: Double(panel.institutionsByDistrict[$0.code] ?? 0)) }
                .sorted { $0.code < $1.code })
        return .section(
            .class("panel"), .id("trials"),
            .h2(.text("临床试验监管")),
            .p(
                .class("muted small"),
                .text("试验按申办者所在辖区计（临床试验机构账号：在本机构开展的试验）；机构和超阈值研究者按机构计，与研究者负荷预警名单一致。")),
            .div(
                .class("figures"),
                headline("临床试验", panel.trials, previous: nil, link: SiteURL.trials(query: nil).path),
                headline("招募中", panel.byStatus[.recruiting] ?? 0, previous: nil),
                headline("超阈值的主要研究者", panel.overloadedInvestigators, previous: nil, link: SiteURL.piLoad.path),
                headline(
                    "获批超 12 周未启动", panel.lateCount, previous: nil,
                    link: viewer.may(.readPILoad) ? SiteURL.trialWarnings(query: "kind=\(TrialWarningKind.lateStart.rawValue)").path : nil)
            ),
            .div(.class("chart-grid"), chart(phases), chart(statuses), chart(map)),
            .if(
                !panel.late.isEmpty,
                .group(
                    .h3(.text("获批超 12 周仍未完成首例知情同意的试验（超期最久的 \(panel.late.count) 项）")),
                    .table(
                        .class("data-table"),
                        .thead(.tr(.th("登记号"), .th("试验"), .th("批准日期"), .th("超期"))),
                        .tbody(
                            .forEach(panel.late) { trial in
                                .tr(
                                    .td(.a(.href(SiteURL.trial(id: trial.id.uuidString).path), .text(trial.registrationNumber))),
                                    .td(.text(trial.title)), .td(.text(trial.approvedOn.description)), .td(.text("\(trial.daysOver) 日")))
                            }))))
        )
    }

    static func render(_ model: Model, viewer: Viewer) -> String {
        let figures = model.summary.figures
        let all = charts(model).all
        let measureLinks: [Node<HTML.BodyContext>] = Measure.allCases.map { measure in
            let path = SiteURL.dashboard(query: SiteURL.query([("district", model.district), ("measure", measure.rawValue)])).path
            return measure == model.measure ? .strong(.text(measure.label)) : .a(.href(path), .text(measure.label))
        }
        return Layout.render(
            title: "数据看板",
            section: .dashboard,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    .div(
                        .class("panel-head"),
                        .h1(.text("数据看板 · \(model.summary.scopeLabel)")),
                        .if(model.district != nil, .a(.class("button secondary"), .href(SiteURL.dashboard(query: nil).path), .text("返回全部范围")))
                    ),
                    .p(.class("muted small"), .text("截至 \(figures.asOf)（上海时间）；数据随申报、审评事项的记录实时更新。图表可点击，进入背后的清单。")),
                    .div(
                        .class("figures"),
                        headline("普查企业（\(figures.year) 年度）", figures.censusEnterprises.current, previous: figures.censusEnterprises.previous),
                        headline(
                            "普查产品（\(figures.year) 年度）", figures.censusProducts.current, previous: figures.censusProducts.previous,
                            link: SiteURL.census(year: figures.year).path),
                        headline(
                            "在审事项", figures.applicationsInReview, previous: nil,
                            link: SiteURL.applications(query: "status=\(ApplicationPages.openStatus)").path),
                        headline("本年获批", figures.approvals.current, previous: figures.approvals.previous),
                        headline("国家创新产品服务", figures.nationalInnovativeServed.current, previous: figures.nationalInnovativeServed.previous),
                        headline("国家创新产品获批", figures.nationalInnovativeApproved.current, previous: figures.nationalInnovativeApproved.previous),
                        headline("本年答复咨询", figures.consultationsAnswered.current, previous: figures.consultationsAnswered.previous),
                        headline("临近时限（黄）", figures.amber, previous: nil, link: SiteURL.applications(query: "level=amber").path),
                        headline("已超时限（红）", figures.red, previous: nil, link: SiteURL.applications(query: "level=red").path)
                    )
                ),
                .section(
                    .class("panel"),
                    .div(
                        .class("counting-note muted small"),
                        .p(.strong(.text("口径说明")), .text("：各数字和图表分别计什么")),
                        .ul(.forEach(countingNotes) { .li(.text($0)) })
                    ),
                    .p(.class("measure-switch"), .text("地图着色："), .group(measureLinks.flatMap { [$0, .text(" ")] })),
                    .div(.class("chart-grid"), .group(all.enumerated().map { index, item in chart(item, wide: index == 2) }))
                ),
                trialPanel(model, viewer: viewer),
                .unwrap(model.inspections) { inspectionPanel($0) },
                .unwrap(model.vigilance) { vigilancePanel($0, viewer: viewer) },
                .unwrap(model.delta) { figures in
                    .section(
                        .class("panel"), .id("delta"),
                        .h2(.text("长三角协同")),
                        .p(
                            .class("muted small"),
                            .text("跨省委托生产关系按涉及的省（市）计；申报按申请人注册地所在省（市）计。点击省份查看其委托生产关系。")),
                        .div(.class("chart-grid"), chart(DeltaPages.map(figures), wide: true)))
                }
            )
        )
    }
}
