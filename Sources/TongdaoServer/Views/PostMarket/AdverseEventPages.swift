import Foundation
import TongdaoCore
import TongdaoHTML
import TongdaoUseCases

/// Adverse-event reports (不良事件报告): the list, the form that files one (by product, UDI-DI,
/// certificate or a scanned label), and a report with its deadline, timeline, follow-up and
/// assessment.
enum AdverseEventPages {
    /// A form as typed (the terms chosen in `selected`), with its errors by field.
    typealias Typed = TypedForm

    struct Filter {
        var product: String?
        var seriousness: String?
        var status: String?
        var late: Bool
    }

    // MARK: List

    static func list(_ page: Page<AdverseEventRecord>, filter: Filter, viewer: Viewer) -> String {
        Layout.render(
            title: "不良事件报告",
            section: .postMarket,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    .h1(.text("不良事件报告")),
                    .p(
                        .class("muted small"),
                        .text(
                            "注册人和医疗机构自获知之日起报告：导致死亡的 7 日内，严重伤害的 20 日内，境外严重伤害或死亡的 30 日内，群体不良事件 12 小时内（按自然日和小时计算，节假日不顺延）。"
                                + "逾期提交的报告标为迟报，计入报告人的信用档案。")),
                    .p(
                        .if(viewer.may(.reportAdverseEvents), .a(.class("button"), .href(SiteURL.adverseEventNew.path), .text("填报不良事件"))),
                        .if(viewer.may(.readSignals), .a(.class("button"), .href(SiteURL.signals(query: nil).path), .text("信号检测"))),
                        .if(viewer.may(.readObligations), .a(.class("button"), .href(SiteURL.obligations(query: nil).path), .text("附条件批准义务"))),
                        .if(viewer.may(.readRiskChecklist), .a(.class("button"), .href(SiteURL.riskChecklist.path), .text("风险排查清单"))),
                        .if(
                            viewer.may(.manageVigilance),
                            .a(.class("button"), .href(SiteURL.adverseEventImport.path), .text("导入国家监测系统数据"))),
                        .a(
                            .class("button secondary"),
                            .href(
                                SiteURL.adverseEventsExport(
                                    query: SiteURL.query([
                                        ("format", "xlsx"), ("product", filter.product), ("seriousness", filter.seriousness),
                                        ("status", filter.status), ("late", filter.late ? "true" : nil),
                                    ]) ?? "format=xlsx"
                                ).path), .text("导出 Excel"))),
                    .unwrap(filter.product) { product in
                        .p(.a(.href(SiteURL.productTrend(id: product).path), .text("该产品的不良事件趋势报告")))
                    },
                    .form(
                        .method(.get), .action(SiteURL.adverseEvents(query: nil).path), .class("filters"),
                        .unwrap(filter.product) { .input(.type(.hidden), .name("product"), .value($0)) },
                        Forms.select(
                            Forms.Field(name: "seriousness", label: "严重程度", value: filter.seriousness ?? ""),
                            options: EventSeriousness.allCases.map { .init(value: $0.rawValue, label: $0.label) }, blank: "全部"),
                        Forms.select(
                            Forms.Field(name: "status", label: "评价状态", value: filter.status ?? ""),
                            options: ReportStatus.allCases.map { .init(value: $0.rawValue, label: $0.label) }, blank: "全部"),
                        Forms.checkbox(Forms.Field(name: "late", label: "只看迟报", value: filter.late ? "true" : "")),
                        .button(.class("button"), .type(.submit), .text("筛选")))
                ),
                .section(
                    .class("panel"),
                    page.items.isEmpty
                        ? .p(.class("muted"), .text("没有符合条件的报告。"))
                        : .table(
                            .class("data-table"),
                            .thead(.tr(.th("编号"), .th("产品"), .th("注册人"), .th("报告人"), .th("严重程度"), .th("获知日期"), .th("报告时限"), .th("评价"))),
                            .tbody(.forEach(page.items) { row($0) })),
                    .unwrap(page.next) { cursor in
                        .p(
                            .a(
                                .class("button"),
                                .href(
                                    SiteURL.adverseEvents(
                                        query: SiteURL.query([
                                            ("product", filter.product), ("seriousness", filter.seriousness), ("status", filter.status),
                                            ("late", filter.late ? "true" : nil),
                                            ("cursor", cursor),
                                        ])
                                    ).path), .text("下一页")))
                    }
                )
            )
        )
    }

    private static func row(_ report: AdverseEventRecord) -> Node<HTML.TableContext> {
        .tr(
            .td(.a(.href(SiteURL.adverseEvent(id: report.id.uuidString).path), .text(report.number))),
            .td(.a(.href(SiteURL.adverseEvents(query: "product=\(report.productID.uuidString)").path), .text(report.productName))),
            .td(.text(report.registrant)),
            .td(.text(report.reporterName), .div(.class("small muted"), .text(report.reporterKind.label))),
            .td(seriousnessBadge(report.seriousness)), .td(.text(report.awareOn.description)),
            .td(deadline(report)),
            .td(.text(report.status.label), .unwrap(report.causality) { .div(.class("small muted"), .text($0.label)) }))
    }

    static func seriousnessBadge(_ seriousness: EventSeriousness) -> Node<HTML.BodyContext> {
        let level =
            switch seriousness {
            case .death, .groupEvent: "red"
            case .seriousInjury, .overseasSerious: "amber"
            case .nonSerious: "none"
            }
        return .span(.class("badge level-\(level)"), .text(seriousness.label))
    }

    static func deadline(_ report: AdverseEventRecord) -> Node<HTML.BodyContext> {
        guard let due = report.due else { return .span(.class("muted small"), .text("无法定时限")) }
        return .group(.text("\(due) 前 "), lateness(report))
    }

    static func lateness(_ report: AdverseEventRecord) -> Node<HTML.BodyContext> {
        report.late ? .span(.class("badge level-red"), .text("迟报")) : .span(.class("badge level-green"), .text("按时"))
    }

    // MARK: The form

    struct FormModel {
        var products: [(id: UUID, name: String, model: String, certificate: String)]
        var terms: [EventTermRecord]
        var typed: Typed
    }

    static func form(_ model: FormModel, viewer: Viewer) -> String {
        let typed = model.typed
        func field(_ name: String, _ label: String, hint: String? = nil, required: Bool = false) -> Forms.Field {
            Forms.Field(name: name, label: label, value: typed.value(name), error: typed.error(name), hint: hint, required: required)
        }
        let product = field("product", "产品", hint: "注册人只能选择本企业已取得注册证的产品")
        let label = field("label", "扫描标签（UDI）", hint: "用扫码枪扫描产品标签，或输入 (01)…(17)…(10)… 形式的条码内容；产品、批号和序列号由条码读出")
        let udi = field("udiDI", "产品标识（UDI-DI）")
        let certificate = field("certificate", "注册证号")
        let lot = field("lot", "批号")
        let serial = field("serial", "序列号")
        let eventOn = field("eventOn", "事件发生日期", required: true)
        let awareOn = field("awareOn", "获知日期", hint: "报告时限自获知之日起算", required: true)
        let awareTime = field("awareTime", "获知时间", hint: "群体不良事件必填：12 小时时限自此起算（北京时间）")
        let seriousness = field("seriousness", "严重程度", required: true)
        let outcome = field("outcome", "患者结局", required: true)
        let narrative = field("narrative", "事件经过描述", hint: "保密：仅报告人、产品注册人和市药监局可见", required: true)
        let terms = Forms.Field(name: "terms", label: "事件术语（可多选）", error: typed.error("terms"))
        let fields = [product, label, udi, certificate, lot, serial, eventOn, awareOn, awareTime, seriousness, outcome, terms, narrative]
        return Layout.render(
            title: "填报不良事件",
            section: .postMarket,
            viewer: viewer,
            content: .section(
                .class("panel"),
                .p(.class("small"), .a(.href(SiteURL.adverseEvents(query: nil).path), .text("← 不良事件报告"))),
                .h1(.text("填报不良事件")),
                .p(.class("muted small"), .text("产品可从列表选择，也可填写产品标识或注册证号，或直接扫描标签；多种方式同时填写时须指向同一产品。")),
                Forms.errorSummary(fields, message: typed.message),
                .form(
                    .method(.post), .action(SiteURL.adverseEvents(query: nil).path), Forms.csrf(viewer.csrfToken),
                    Forms.select(
                        product, options: model.products.map { .init(value: $0.id.uuidString, label: "\($0.name)（\($0.model)，\($0.certificate)）") },
                        blank: "请选择"),
                    Forms.text(label, maxLength: 200, autocomplete: "off"),
                    Forms.text(udi, maxLength: 64), Forms.text(certificate, maxLength: 64),
                    Forms.text(lot, maxLength: 20), Forms.text(serial, maxLength: 20),
                    Forms.text(eventOn, type: "date"), Forms.text(awareOn, type: "date"), Forms.text(awareTime, type: "time"),
                    Forms.select(seriousness, options: EventSeriousness.allCases.map { .init(value: $0.rawValue, label: $0.label) }, blank: "请选择"),
                    Forms.select(outcome, options: PatientOutcome.allCases.map { .init(value: $0.rawValue, label: $0.label) }, blank: "请选择"),
                    Forms.checkboxes(
                        terms,
                        options: model.terms.map { .init(value: $0.code, label: "\($0.chinese)（\($0.kind.label)）") },
                        selected: typed.selected),
                    Forms.textarea(narrative, maxLength: 5_000),
                    .button(.class("button"), .type(.submit), .text("提交报告"))))
        )
    }

    // MARK: One report

    static func show(_ report: AdverseEventRecord, typed: Typed?, step: String?, viewer: Viewer) -> String {
        let facts: [(String, Node<HTML.BodyContext>)] = [
            (
                "产品",
                .group(
                    .text(report.productName + " "),
                    .a(.class("small"), .href(SiteURL.productTrend(id: report.productID.uuidString).path), .text("趋势报告")))
            ),
            ("注册人", .text(report.registrant)),
            ("注册证号", .text(report.certificate ?? "—")), ("产品标识（UDI-DI）", .text(report.udiDI ?? "—")),
            ("批号 / 序列号", .text("\(report.lot ?? "—") / \(report.serial ?? "—")")),
            ("报告人", .text("\(report.reporterName)（\(report.reporterKind.label)）")),
            ("事件发生日期", .text(report.eventOn.description)),
            ("获知", .text(report.awareOn.description + (report.awareTime.map { " \($0)" } ?? ""))),
            ("严重程度", seriousnessBadge(report.seriousness)), ("患者结局", .text(report.outcome.label)),
            ("报告时限", .group(.text((report.dueLabel ?? "无法定时限") + " "), report.due == nil ? .empty : lateness(report))),
            ("提交", .text("\(ShanghaiTime.dateTime(report.submittedAt)) \(report.submittedBy)（\(report.source.label)）")),
            ("国家监测系统报告编码", .text(report.nationalCode ?? "—")),
            ("事件术语", .text(report.terms.map(\.chinese).joined(separator: "、"))),
            (
                "评价",
                .text(
                    report.status.label + (report.causality.map { "：\($0.label)" } ?? "")
                        + (report.assessedBy.map { "（\($0)，\(report.assessedOn?.description ?? "")）" } ?? ""))
            ),
        ]
        return Layout.render(
            title: "不良事件报告 \(report.number)",
            section: .postMarket,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    .p(.class("small"), .a(.href(SiteURL.adverseEvents(query: nil).path), .text("← 不良事件报告"))),
                    .h1(.text("不良事件报告 \(report.number)")),
                    .dl(.class("facts"), .forEach(facts) { .group(.dt(.text($0.0)), .dd($0.1)) }),
                    .unwrap(report.narrative) { .group(.h2(.text("事件经过描述")), .p(.class("narrative"), .text($0))) },
                    .unwrap(report.assessmentNote) { .group(.h2(.text("评价意见")), .p(.text($0))) }
                ),
                .section(
                    .class("panel"),
                    .h2(.text("报告记录")),
                    .ol(
                        .class("timeline"),
                        .forEach(report.timeline) { entry in
                            .li(
                                .strong(.text(entry.kind.label)), .text(" \(ShanghaiTime.dateTime(entry.at)) \(entry.by)"),
                                .if(!entry.detail.isEmpty, .div(.text(entry.detail))))
                        })
                ),
                .if(viewer.may(.reportAdverseEvents), followUpForm(report, typed: step == "follow-up" ? typed : nil, viewer: viewer)),
                .if(viewer.may(.assessAdverseEvents), assessmentForm(report, typed: step == "assess" ? typed : nil, viewer: viewer))
            )
        )
    }

    private static func followUpForm(_ report: AdverseEventRecord, typed: Typed?, viewer: Viewer) -> Node<HTML.BodyContext> {
        let text = Forms.Field(name: "text", label: "随访内容", value: typed?.value("text") ?? "", error: typed?.error("text"), required: true)
        let outcome = Forms.Field(name: "outcome", label: "患者结局（有变化时选择）", value: typed?.value("outcome") ?? "", error: typed?.error("outcome"))
        return .section(
            .class("panel"),
            .h2(.text("补充报告（随访）")),
            Forms.errorSummary([text, outcome], message: typed?.message),
            .form(
                .method(.post), .action(SiteURL.adverseEventFollowUp(id: report.id.uuidString).path), Forms.csrf(viewer.csrfToken),
                Forms.textarea(text, maxLength: 5_000),
                Forms.select(outcome, options: PatientOutcome.allCases.map { .init(value: $0.rawValue, label: $0.label) }, blank: "不变"),
                .button(.class("button"), .type(.submit), .text("提交随访"))))
    }

    private static func assessmentForm(_ report: AdverseEventRecord, typed: Typed?, viewer: Viewer) -> Node<HTML.BodyContext> {
        let causality = Forms.Field(
            name: "causality", label: "关联性评价", value: typed?.value("causality") ?? report.causality?.rawValue ?? "", error: typed?.error("causality"),
            required: true)
        let note = Forms.Field(
            name: "note", label: "评价意见（保密）", value: typed?.value("note") ?? report.assessmentNote ?? "", error: typed?.error("note"))
        return .section(
            .class("panel"),
            .h2(.text("关联性评价")),
            Forms.errorSummary([causality, note], message: typed?.message),
            .form(
                .method(.post), .action(SiteURL.adverseEventAssessment(id: report.id.uuidString).path), Forms.csrf(viewer.csrfToken),
                Forms.version(report.version),
                Forms.select(causality, options: Causality.allCases.map { .init(value: $0.rawValue, label: $0.label) }, blank: "请选择"),
                Forms.textarea(note, maxLength: 2_000),
                .button(.class("button"), .type(.submit), .text("保存评价"))))
    }
}
