import Foundation
import TongdaoCore
import TongdaoHTML
import TongdaoUseCases

/// The key-varieties service list (在研重点品种服务清单): the list with each entry's next milestone,
/// the proposal form, and an entry with the regulator's decision and its service plan.
enum KeyVarietyPages {
    static func list(_ records: [KeyVarietyRecord], status: String?, viewer: Viewer) -> String {
        Layout.render(
            title: "在研重点品种服务清单",
            section: .service,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    AppointmentPages.links(viewer),
                    .h1(.text("在研重点品种服务清单")),
                    .p(
                        .class("muted small"),
                        .text("区、园区或服务工作站推荐，市药监局确认；每个品种明确服务工作站、责任人、国家分中心辅导员，重大项目成立工作专班，并按临床试验、注册检验、审评、体系核查、生产许可等环节制定服务计划。")),
                    .form(
                        .method(.get), .action(SiteURL.keyVarieties(query: nil).path), .class("filters"),
                        Forms.select(
                            Forms.Field(name: "status", label: "状态", value: status ?? ""),
                            options: KeyVarietyStatus.allCases.map { .init(value: $0.rawValue, label: $0.label) }, blank: "全部"),
                        .button(.class("button"), .type(.submit), .text("筛选")))
                ),
                .section(
                    .class("panel"),
                    .p(
                        .class("small"),
                        .a(
                            .href("/key-varieties/export?format=xlsx" + (status.map { "&status=\(SiteURL.percentEncoded($0))" } ?? "")),
                            .text("导出 Excel")),
                        .text(" · "),
                        .a(
                            .href("/key-varieties/export?format=csv" + (status.map { "&status=\(SiteURL.percentEncoded($0))" } ?? "")),
                            .text("导出 CSV"))),
                    records.isEmpty
                        ? .p(.class("muted"), .text("清单中没有符合条件的品种。"))
                        : .table(
                            .class("data-table"),
                            .thead(.tr(.th("产品"), .th("企业"), .th("列入理由"), .th("服务工作站"), .th("下一节点"), .th("状态"))),
                            .tbody(
                                .forEach(records) { record in
                                    .tr(
                                        .td(.a(.href(SiteURL.keyVariety(id: record.id.uuidString).path), .text(record.productName))),
                                        .td(.text(record.enterprise)),
                                        .td(
                                            .text(record.reason.label), .unwrap(record.taskForce) { _ in .div(.class("small muted"), .text("设工作专班")) }
                                        ),
                                        .td(.text(record.stationName ?? "—"), .unwrap(record.officerName) { .div(.class("small muted"), .text($0)) }),
                                        .td(
                                            .unwrap(record.next, { .text("\($0.step.label)（\($0.dueOn)）") }, else: .text("—")),
                                            .if(record.overdue, .span(.class("badge level-red"), .text("有逾期节点")))),
                                        .td(.text(record.status.label)))
                                }))
                )
            )
        )
    }

    static func proposal(productID: String, productName: String, typed: TypedForm, viewer: Viewer) -> String {
        let reason = Forms.Field(name: "reason", label: "列入理由", value: typed.value("reason"), error: typed.error("reason"), required: true)
        let justification = Forms.Field(
            name: "justification", label: "推荐说明", value: typed.value("justification"), error: typed.error("justification"),
            hint: "创新点、临床价值、项目情况等，至多 2000 字", required: true)
        return Layout.render(
            title: "推荐在研重点品种",
            section: .service,
            viewer: viewer,
            content: .section(
                .class("panel"),
                .p(.class("small"), .a(.href(SiteURL.keyVarieties(query: nil).path), .text("← 在研重点品种服务清单"))),
                .h1(.text("推荐“\(productName)”列入在研重点品种服务清单")),
                Forms.errorSummary([reason, justification], message: typed.message ?? typed.error("product")),
                .form(
                    .method(.post), .action(SiteURL.keyVarieties(query: nil).path), Forms.csrf(viewer.csrfToken),
                    .input(.type(.hidden), .name("product"), .value(productID)),
                    Forms.select(reason, options: KeyVarietyReason.allCases.map { .init(value: $0.rawValue, label: $0.label) }, blank: "请选择"),
                    Forms.textarea(justification, maxLength: 2_000),
                    .button(.class("button"), .type(.submit), .text("推荐"))))
        )
    }

    static func show(
        _ record: KeyVarietyRecord, stations: [ServiceStation], officers: [(username: String, name: String)], today: CivilDate, typed: TypedForm?,
        step: String?, viewer: Viewer
    ) -> String {
        let facts: [(String, String)] = [
            ("企业", record.enterprise), ("列入理由", record.reason.label), ("推荐说明", record.justification),
            ("推荐", "\(record.proposedOn) \(record.proposedBy)"), ("状态", record.status.label),
            ("服务工作站", record.stationName ?? "—"), ("责任人", record.officerName ?? "—"), ("国家分中心辅导员", record.counsellor ?? "—"),
            ("工作专班", record.taskForce ?? "—"),
            ("市局意见", record.decidedOn.map { "\($0) \(record.decidedBy ?? "")" + (record.decisionNote.map { "：\($0)" } ?? "") } ?? "—"),
        ]
        let planning = viewer.may(.planKeyVarieties) && record.status == .confirmed
        return Layout.render(
            title: "在研重点品种",
            section: .service,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    .p(.class("small"), .a(.href(SiteURL.keyVarieties(query: nil).path), .text("← 在研重点品种服务清单"))),
                    .h1(.text(record.productName)),
                    .p(.class("small"), .a(.href(SiteURL.product(id: record.productID.uuidString).path), .text("产品与全程记录"))),
                    .unwrap(typed?.message) { .p(.class("error-summary"), .text($0)) },
                    .dl(.class("facts"), .forEach(facts) { .group(.dt(.text($0.0)), .dd(.text($0.1))) })
                ),
                .section(
                    .class("panel"),
                    .h2(.text("服务计划")),
                    record.milestones.isEmpty
                        ? .p(.class("muted"), .text("尚未制定服务计划。"))
                        : .table(
                            .class("data-table"),
                            .thead(.tr(.th("环节"), .th("节点"), .th("完成期限"), .th("完成"))),
                            .tbody(
                                .forEach(record.milestones) { milestone in
                                    .tr(
                                        .td(.text(milestone.step.label)), .td(.text(milestone.title)),
                                        .td(
                                            .text(milestone.dueOn.description),
                                            .if(milestone.overdue(today: today), .span(.class("badge level-red"), .text("逾期")))),
                                        .td(
                                            .unwrap(
                                                milestone.doneOn, { .text($0.description) },
                                                else: .if(
                                                    planning,
                                                    .form(
                                                        .method(.post),
                                                        .action(SiteURL.keyVarietyStep(id: record.id.uuidString, step: "milestone").path),
                                                        .class("inline-form"), Forms.csrf(viewer.csrfToken), Forms.version(record.version),
                                                        .input(.type(.hidden), .name("step"), .value(milestone.step.rawValue)),
                                                        .button(.class("button secondary"), .type(.submit), .text("标记完成")))))))
                                }))
                ),
                .if(
                    viewer.may(.decideKeyVarieties) && record.status == .proposed,
                    decisionForm(record, stations: stations, officers: officers, typed: step == "decision" ? typed : nil, viewer: viewer)),
                .if(planning, planForm(record, typed: step == "plan" ? typed : nil, viewer: viewer))
            )
        )
    }

    private static func decisionForm(
        _ record: KeyVarietyRecord, stations: [ServiceStation], officers: [(username: String, name: String)], typed: TypedForm?, viewer: Viewer
    ) -> Node<HTML.BodyContext> {
        func field(_ name: String, _ label: String, hint: String? = nil) -> Forms.Field {
            Forms.Field(
                name: name, label: label, value: typed?.value(name) ?? (name == "station" ? record.station ?? "" : ""), error: typed?.error(name),
                hint: hint)
        }
        let decision = field("decision", "决定")
        let station = field("station", "服务工作站")
        let officer = field("officer", "责任人")
        let counsellor = field("counsellor", "国家分中心辅导员", hint: "可不填")
        let taskForce = field("taskForce", "工作专班", hint: "重大项目填写专班成员单位和牵头人")
        let note = field("note", "意见", hint: "不列入时必填")
        return .section(
            .class("panel"),
            .h2(.text("确认列入")),
            Forms.errorSummary([decision, station, officer, counsellor, taskForce, note], message: nil),
            .form(
                .method(.post), .action(SiteURL.keyVarietyStep(id: record.id.uuidString, step: "decision").path), Forms.csrf(viewer.csrfToken),
                Forms.version(record.version),
                Forms.select(decision, options: [.init(value: "confirm", label: "列入清单"), .init(value: "decline", label: "不列入")], blank: "请选择"),
                Forms.select(station, options: stations.map { .init(value: $0.code, label: $0.name) }, blank: "请选择"),
                Forms.select(officer, options: officers.map { .init(value: $0.username, label: $0.name) }, blank: "请选择"),
                Forms.text(counsellor, maxLength: 64), Forms.text(taskForce, maxLength: 500), Forms.text(note, maxLength: 1_000),
                .button(.class("button"), .type(.submit), .text("保存"))))
    }

    private static func planForm(_ record: KeyVarietyRecord, typed: TypedForm?, viewer: Viewer) -> Node<HTML.BodyContext> {
        let existing = Dictionary(record.milestones.map { ($0.step, $0) }, uniquingKeysWith: { a, _ in a })
        let rows = ServiceStep.allCases.enumerated().map { index, step in
            (
                step,
                Forms.Field(
                    name: "title\(index)", label: "\(step.label)：节点", value: typed?.value("title\(index)") ?? existing[step]?.title ?? "",
                    error: typed?.error("milestones[\(index)].title")),
                Forms.Field(
                    name: "due\(index)", label: "完成期限", value: typed?.value("due\(index)") ?? existing[step]?.dueOn.description ?? "",
                    error: typed?.error("milestones[\(index)].dueOn"))
            )
        }
        return .section(
            .class("panel"),
            .h2(.text("制定服务计划")),
            .p(.class("muted small"), .text("不涉及的环节留空；各环节完成期限应按注册检验、临床试验、注册申报与审评、体系核查、生产许可的顺序排列。")),
            Forms.errorSummary(rows.flatMap { [$0.1, $0.2] }, message: nil),
            .form(
                .method(.post), .action(SiteURL.keyVarietyStep(id: record.id.uuidString, step: "plan").path), Forms.csrf(viewer.csrfToken),
                Forms.version(record.version),
                .forEach(rows) { row in .group(Forms.text(row.1, maxLength: 200), Forms.text(row.2, type: "date")) },
                .button(.class("button"), .type(.submit), .text("保存服务计划"))))
    }
}
