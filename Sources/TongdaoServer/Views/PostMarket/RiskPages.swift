import Foundation
import TongdaoCore
import TongdaoHTML
import TongdaoUseCases

/// The risk checklist of innovative products (风险排查清单): the list of products, and a product's
/// risk file with its items, meetings, special plans and periodic reports, each with its form.
enum RiskPages {
    static func stateBadge(_ state: PeriodicRiskReport.State) -> Node<HTML.BodyContext> {
        let level =
            switch state {
            case .overdue, .submittedLate: "red"
            case .due: "amber"
            case .upcoming, .submitted: "green"
            }
        return .span(.class("badge level-\(level)"), .text(state.label))
    }

    /// The report a product owes next (the first not submitted), or its last.
    static func nextReport(_ row: RiskChecklistRow) -> PeriodicReportRecord? {
        row.periodic.first { $0.submittedOn == nil } ?? row.periodic.last
    }

    // MARK: The checklist

    static func checklist(_ rows: [RiskChecklistRow], viewer: Viewer) -> String {
        Layout.render(
            title: "创新产品风险排查清单",
            section: .postMarket,
            viewer: viewer,
            content: .section(
                .class("panel"),
                .p(.class("small"), .a(.href(SiteURL.adverseEvents(query: nil).path), .text("← 上市后监管"))),
                .h1(.text("创新产品风险排查清单")),
                .p(
                    .class("muted small"),
                    .text(
                        "通过创新通道获批或附条件批准的上市产品，逐一排查风险：风险项（来源、建议控制措施、责任单位、完成时限）、风险会商、专项方案，以及首个注册周期内每满一年后 \(PeriodicRiskReport.daysAfterYear) 日内提交的定期风险评价报告。"
                    )),
                rows.isEmpty
                    ? .p(.class("muted"), .text("暂无通过创新通道获批或附条件批准的上市产品。"))
                    : .table(
                        .class("data-table"),
                        .thead(
                            .tr(.th("产品"), .th("注册人"), .th("获批"), .th("风险项（待处置 / 控制中 / 逾期）"), .th("最近会商"), .th("专项方案"), .th("定期风险评价报告"))),
                        .tbody(
                            .forEach(rows) { row in
                                .tr(
                                    .td(
                                        .a(.href(SiteURL.productRisk(id: row.productID.uuidString).path), .text(row.productName)),
                                        .div(.class("small muted"), .text(row.certificate))),
                                    .td(.text(row.registrant)),
                                    .td(
                                        .text(row.approvedOn.description),
                                        .div(.class("small muted"), .text(row.channel.label + (row.conditional ? " · 附条件批准" : "")))),
                                    .td(
                                        .text("\(row.openItems) / \(row.controllingItems) / "),
                                        row.overdueItems > 0 ? .span(.class("badge level-red"), .text("\(row.overdueItems)")) : .text("0")),
                                    .td(.text(row.lastMeeting?.description ?? "—")),
                                    .td(.text(row.plan ?? "—")),
                                    .td(
                                        .unwrap(nextReport(row)) { report in
                                            .group(.text("第 \(report.year) 年（\(report.dueOn) 前）"), .div(stateBadge(report.state)))
                                        }))
                            }))
            )
        )
    }

    // MARK: A product's file

    static func file(_ file: ProductRiskFile, typed: TypedForm?, viewer: Viewer) -> String {
        let row = file.row
        let step = typed?.value("step")
        func typedFor(_ name: String) -> TypedForm? { step == name ? typed : nil }
        let manage = viewer.may(.manageRiskChecklist)
        return Layout.render(
            title: "风险档案 · \(row.productName)",
            section: .postMarket,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    .if(
                        !file.limited,
                        .p(.class("small"), .a(.href(SiteURL.riskChecklist.path), .text("← 创新产品风险排查清单")))),
                    .h1(.text("风险档案 · \(row.productName)")),
                    .dl(
                        .class("facts"),
                        .dt("注册人"), .dd(.text(row.registrant)),
                        .dt("注册证号"), .dd(.text(row.certificate)),
                        .dt("首次获批"), .dd(.text("\(row.approvedOn)（\(row.channel.label)\(row.conditional ? "，附条件批准" : "")）")),
                        .dt("专项方案"), .dd(.text(row.plan ?? "—")))
                ),
                .if(!file.limited, items(file, typed: typed, step: step, manage: manage, viewer: viewer)),
                .if(!file.limited, meetings(file, typed: typedFor("meeting"), manage: manage, viewer: viewer)),
                .if(!file.limited, plans(file, typed: typedFor("plan"), manage: manage, viewer: viewer)),
                periodic(file, typed: typed, step: step, viewer: viewer)
            )
        )
    }

    private static func field(_ typed: TypedForm?, _ name: String, _ label: String, hint: String? = nil, required: Bool = true) -> Forms.Field {
        Forms.Field(name: name, label: label, value: typed?.value(name) ?? "", error: typed?.error(name), hint: hint, required: required)
    }

    private static func items(_ file: ProductRiskFile, typed: TypedForm?, step: String?, manage: Bool, viewer: Viewer) -> Node<HTML.BodyContext> {
        let form = step == "item" ? typed : nil
        let source = field(form, "source", "风险来源")
        let description = field(form, "description", "风险描述")
        let control = field(form, "control", "建议的控制措施")
        let owner = field(form, "owner", "责任单位或责任人")
        let dueOn = field(form, "dueOn", "完成时限")
        let productID = file.row.productID.uuidString
        return .section(
            .class("panel"),
            .h2(.text("风险项（\(file.items.count)）")),
            file.items.isEmpty
                ? .p(.class("muted"), .text("尚未列入风险项。"))
                : .table(
                    .class("data-table"),
                    .thead(.tr(.th("来源"), .th("风险描述"), .th("建议的控制措施"), .th("责任"), .th("完成时限"), .th("状态"))),
                    .tbody(
                        .forEach(file.items) { item in
                            .tr(
                                .td(.text(item.source.label)),
                                .td(
                                    .text(item.description),
                                    .ol(
                                        .class("timeline small"),
                                        .forEach(item.events) { event in
                                            .li(.text("\(event.kind.label) \(ShanghaiTime.dateTime(event.at)) \(event.by)：\(event.detail)"))
                                        })),
                                .td(.text(item.control)), .td(.text(item.owner)),
                                .td(
                                    .text(item.dueOn.description),
                                    .if(item.overdue, .div(.span(.class("badge level-red"), .text("逾期"))))),
                                .td(
                                    .text(item.status.label),
                                    .if(
                                        manage,
                                        statusForm(
                                            item, productID: productID, typed: step == "status-\(item.id.uuidString)" ? typed : nil, viewer: viewer)))
                            )
                        })),
            .if(
                manage,
                .group(
                    .h3(.text("列入风险项")),
                    Forms.errorSummary([source, description, control, owner, dueOn], message: form?.message),
                    .form(
                        .method(.post), .action(SiteURL.productRiskItems(id: productID).path), Forms.csrf(viewer.csrfToken),
                        Forms.select(source, options: RiskSource.allCases.map { .init(value: $0.rawValue, label: $0.label) }, blank: "请选择"),
                        Forms.textarea(description, maxLength: 2_000), Forms.textarea(control, maxLength: 2_000),
                        Forms.text(owner, maxLength: 100), Forms.text(dueOn, type: "date"),
                        .button(.class("button"), .type(.submit), .text("列入清单")))))
        )
    }

    private static func statusForm(_ item: RiskItemRecord, productID: String, typed: TypedForm?, viewer: Viewer) -> Node<HTML.BodyContext> {
        // Every item has this form: its fields' ids name the item.
        let status = Forms.Field(
            name: "status", label: "新状态", value: typed?.value("status") ?? "", error: typed?.error("status"), required: true,
            id: "field-status-\(item.id.uuidString)")
        let note = Forms.Field(
            name: "note", label: "说明", value: typed?.value("note") ?? "", error: typed?.error("note"), required: true,
            id: "field-note-\(item.id.uuidString)")
        return .element(
            named: "details",
            nodes: [
                .if(typed != nil, .attribute(named: "open", value: "open")),
                .element(named: "summary", text: "变更状态"),
                .unwrap(typed?.message) { .p(.class("form-errors"), .text($0)) },
                .form(
                    .method(.post), .action(SiteURL.productRiskItemStatus(id: productID, item: item.id.uuidString).path),
                    Forms.csrf(viewer.csrfToken),
                    Forms.version(item.version),
                    Forms.select(status, options: RiskItemStatus.allCases.map { .init(value: $0.rawValue, label: $0.label) }, blank: "请选择"),
                    Forms.text(note, maxLength: 2_000),
                    .button(.class("button secondary"), .type(.submit), .text("保存"))),
            ])
    }

    private static func meetings(_ file: ProductRiskFile, typed: TypedForm?, manage: Bool, viewer: Viewer) -> Node<HTML.BodyContext> {
        let heldOn = field(typed, "heldOn", "会商日期")
        let attendees = field(typed, "attendees", "参会人员", hint: "每行一人（单位、姓名）")
        let decisions = field(typed, "decisions", "会商结论")
        let open = file.items.filter { $0.status != .closed }
        return .section(
            .class("panel"),
            .h2(.text("风险会商（\(file.meetings.count)）")),
            file.meetings.isEmpty
                ? .p(.class("muted"), .text("尚无风险会商记录。"))
                : .ul(
                    .forEach(file.meetings) { meeting in
                        .li(
                            .strong(.text(meeting.heldOn.description)), .text(" 参会：\(meeting.attendees.joined(separator: "、"))"),
                            .p(.text(meeting.decisions)))
                    }),
            .if(
                manage,
                .group(
                    .h3(.text("记录风险会商")),
                    Forms.errorSummary([heldOn, attendees, decisions], message: typed?.message),
                    .form(
                        .method(.post), .action(SiteURL.productRiskMeetings(id: file.row.productID.uuidString).path), Forms.csrf(viewer.csrfToken),
                        Forms.text(heldOn, type: "date"), Forms.textarea(attendees, maxLength: 2_000), Forms.textarea(decisions, maxLength: 5_000),
                        .forEach(open) { item in
                            Forms.select(
                                Forms.Field(name: "changes[\(item.id.uuidString)]", label: "会商决定：\(item.description)", value: ""),
                                options: RiskItemStatus.allCases.map { .init(value: $0.rawValue, label: $0.label) }, blank: "不变")
                        },
                        .button(.class("button"), .type(.submit), .text("保存会商记录")))))
        )
    }

    private static func plans(_ file: ProductRiskFile, typed: TypedForm?, manage: Bool, viewer: Viewer) -> Node<HTML.BodyContext> {
        let title = field(typed, "title", "方案名称")
        let content = field(typed, "content", "方案内容")
        let from = field(typed, "from", "起始日期")
        let to = field(typed, "to", "结束日期")
        return .section(
            .class("panel"),
            .h2(.text("专项方案（\(file.plans.count)）")),
            file.plans.isEmpty
                ? .p(.class("muted"), .text("尚未制定专项方案。"))
                : .ul(
                    .forEach(file.plans) { plan in
                        .li(
                            .strong(.text(plan.title)), .text(" \(plan.from) 至 \(plan.to)"),
                            .if(plan.inForce, .span(.class("badge level-green"), .text("执行中"))), .p(.text(plan.content)))
                    }),
            .if(
                manage,
                .group(
                    .h3(.text("制定专项方案")),
                    Forms.errorSummary([title, content, from, to], message: typed?.message),
                    .form(
                        .method(.post), .action(SiteURL.productRiskPlans(id: file.row.productID.uuidString).path), Forms.csrf(viewer.csrfToken),
                        Forms.text(title, maxLength: 200), Forms.textarea(content, maxLength: 10_000), Forms.text(from, type: "date"),
                        Forms.text(to, type: "date"),
                        .button(.class("button"), .type(.submit), .text("保存专项方案")))))
        )
    }

    private static func periodic(_ file: ProductRiskFile, typed: TypedForm?, step: String?, viewer: Viewer) -> Node<HTML.BodyContext> {
        let mayReport = viewer.may(.reportPeriodicRisk)
        return .section(
            .class("panel"),
            .h2(.text("定期风险评价报告（首个注册周期）")),
            .p(.class("muted small"), .text("每满一年后 \(PeriodicRiskReport.daysAfterYear) 日内提交该年度的报告。")),
            .table(
                .class("data-table"),
                .thead(.tr(.th("年度"), .th("期间"), .th("应提交日期"), .th("状态"), .th("报告"))),
                .tbody(
                    .forEach(file.row.periodic) { report in
                        let form = step == "report-\(report.year)" ? typed : nil
                        var summary = field(form, "summary", "报告摘要")
                        summary.id = "field-summary-\(report.year)"
                        let open = report.submittedOn == nil && (report.state == .due || report.state == .overdue)
                        return .tr(
                            .td(.text("第 \(report.year) 年")), .td(.text("\(report.from) 至 \(report.to)")), .td(.text(report.dueOn.description)),
                            .td(stateBadge(report.state)),
                            .td(
                                .unwrap(report.summary) { text in
                                    .group(
                                        .text(text),
                                        .div(.class("small muted"), .text("\(report.submittedOn?.description ?? "") \(report.submittedBy ?? "")")))
                                },
                                .if(
                                    mayReport && open,
                                    .group(
                                        Forms.errorSummary([summary], message: form?.message),
                                        .form(
                                            .method(.post),
                                            .action(SiteURL.productPeriodicReport(id: file.row.productID.uuidString, year: report.year).path),
                                            Forms.csrf(viewer.csrfToken), Forms.textarea(summary, maxLength: 10_000),
                                            .button(.class("button"), .type(.submit), .text("提交报告")))))))
                    }))
        )
    }
}
