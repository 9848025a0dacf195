import Foundation
import TongdaoCore
import TongdaoHTML
import TongdaoUseCases

/// Consultations (咨询): a desk's queue by status with each open one's time left, the question form,
/// and a consultation with its clock, its history and the step each party may take next.
enum ConsultationPages {
    struct Filter {
        var status: ConsultationStatus
        var desk: String?
        var level: String?
        var escalated: Bool
        var kind: String?
    }

    struct Queue {
        var page: Page<ConsultationRecord>
        var counts: ConsultationCounts
        var filter: Filter
        var stations: [ServiceStation]
        var policy: ServicePolicy
    }

    /// The time left on a running or stopped clock, or how it ended.
    static func clockBadge(_ record: ConsultationRecord) -> Node<HTML.BodyContext> {
        guard let pending = record.clock.pending else {
            if let within = record.clock.resolution.withinTarget {
                return .span(
                    .class("badge level-\(within ? "green" : "red")"),
                    .text(within ? "按时办结（\(record.clock.resolution.used) 个工作日）" : "超时办结（\(record.clock.resolution.used) 个工作日）"))
            }
            return .text("—")
        }
        let target = record.clock.firstResponse.metOn == nil ? "首次响应" : "办结"
        let time =
            pending.remaining >= 0
            ? "\(target)剩 \(pending.remaining) 个工作日" : "\(target)超时 \(-pending.remaining) 个工作日"
        let stopped = record.clock.running ? "" : "（计时暂停）"
        return .group(
            .span(.class("badge level-\(pending.level.rawValue)"), .text(time + stopped)),
            .if(record.clock.escalated, .span(.class("badge level-red"), .text("已升级督办"))))
    }

    // MARK: The queue

    static func list(_ queue: Queue, viewer: Viewer) -> String {
        let filter = queue.filter
        func url(status: ConsultationStatus? = nil, cursor: String? = nil) -> String {
            SiteURL.consultations(
                query: SiteURL.query([
                    ("status", (status ?? filter.status).rawValue), ("desk", filter.desk), ("level", filter.level),
                    ("escalated", filter.escalated ? "true" : nil), ("kind", filter.kind), ("cursor", cursor),
                ])
            ).path
        }
        func exportURL(_ format: String) -> String {
            "/consultations/export?"
                + (SiteURL.query([
                    ("format", format), ("status", filter.status.rawValue), ("desk", filter.desk), ("level", filter.level),
                    ("escalated", filter.escalated ? "true" : nil), ("kind", filter.kind),
                ]) ?? "format=\(format)")
        }
        let desks: [Forms.Option] =
            [.init(value: "all", label: "全部"), .init(value: "city", label: ConsultationUseCases.regulatorDesk)]
            + queue.stations.map { .init(value: $0.code, label: $0.name) }
        let policy = queue.policy
        return Layout.render(
            title: "咨询",
            section: .service,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    AppointmentPages.links(viewer),
                    .h1(.text("咨询")),
                    .p(
                        .class("muted small"),
                        .text(
                            "企业提出的问题按所在区转至服务工作站，涉及全市事项的转至市药监局。首次响应 \(policy.firstResponseDays) 个工作日内，办结 \(policy.resolutionDays) 个工作日内；"
                                + "请企业补充说明期间和答复后等待企业评价期间不计时。用时达 \(Int((policy.amberFraction * 100).rounded()))% 标黄，超时标红，超时 \(policy.escalateAfterDays) 个工作日升级督办。"
                        )),
                    .p(
                        .if(
                            viewer.may(.askConsultations),
                            .group(
                                .a(.class("button"), .href(SiteURL.consultationNew.path), .text("提出咨询")), .text(" "),
                                .a(.class("button secondary"), .href(SiteURL.classificationNew.path), .text("申请分类界定"))))),
                    .nav(
                        .class("tabs"),
                        .forEach(ConsultationStatus.allCases) { status in
                            .a(
                                .class(status == filter.status ? "tab current" : "tab"), .href(url(status: status)),
                                .text("\(status.label)（\(queue.counts.byStatus[status] ?? 0)）"))
                        }),
                    .p(
                        .class("small"),
                        .text("待答复中：预警 \(queue.counts.amber) 件，超时 \(queue.counts.red) 件，升级督办 \(queue.counts.escalated) 件。")),
                    .form(
                        .method(.get), .action(SiteURL.consultations(query: nil).path), .class("filters"),
                        .input(.type(.hidden), .name("status"), .value(filter.status.rawValue)),
                        .if(
                            viewer.role != .enterpriseUser,
                            Forms.select(Forms.Field(name: "desk", label: "办理单位", value: filter.desk ?? ""), options: desks, blank: "本单位")),
                        Forms.select(
                            Forms.Field(name: "level", label: "预警", value: filter.level ?? ""),
                            options: ReviewClock.Level.allCases.map { .init(value: $0.rawValue, label: $0.label) }, blank: "全部"),
                        Forms.select(
                            Forms.Field(name: "kind", label: "类型", value: filter.kind ?? ""),
                            options: ConsultationKind.allCases.map { .init(value: $0.rawValue, label: $0.label) }, blank: "全部"),
                        Forms.checkbox(Forms.Field(name: "escalated", label: "只看升级督办", value: filter.escalated ? "true" : "")),
                        .button(.class("button"), .type(.submit), .text("筛选")))
                ),
                .section(
                    .class("panel"),
                    .p(
                        .class("small"), .a(.href(exportURL("xlsx")), .text("导出 Excel")), .text(" · "),
                        .a(.href(exportURL("csv")), .text("导出 CSV"))),
                    queue.page.items.isEmpty
                        ? .p(.class("muted"), .text("没有符合条件的咨询。"))
                        : .table(
                            .class("data-table"),
                            .thead(.tr(.th("问题"), .th("企业"), .th("办理单位"), .th("提出日期"), .th("时限"))),
                            .tbody(
                                .forEach(queue.page.items) { record in
                                    .tr(
                                        .td(
                                            .a(.href(SiteURL.consultation(id: record.id.uuidString).path), .text(record.title)),
                                            .div(.class("small muted"), .text(record.topicLabel + (record.productName.map { " · \($0)" } ?? "")))),
                                        .td(.text(record.enterprise)),
                                        .td(.text(record.desk)),
                                        .td(.text(record.askedOn.description)),
                                        .td(clockBadge(record)))
                                })),
                    .unwrap(queue.page.next) { .p(.a(.class("button"), .href(url(cursor: $0)), .text("下一页"))) }
                )
            )
        )
    }

    // MARK: The question form

    static func form(
        enterprises: [(id: UUID, name: String)], products: [(id: UUID, name: String)], topics: [ServiceTopic], typed: TypedForm, viewer: Viewer
    )
        -> String
    {
        func field(_ name: String, _ label: String, hint: String? = nil, required: Bool = true) -> Forms.Field {
            Forms.Field(name: name, label: label, value: typed.value(name), error: typed.error(name), hint: hint, required: required)
        }
        let asksForOthers = viewer.role != .enterpriseUser
        let enterprise = field("enterprise", "企业", hint: "代企业登记电话或来访咨询时选择")
        let product = field("product", "产品", hint: "可不选；只能选择本企业的产品", required: false)
        let topic = field("topic", "咨询主题", hint: "涉及全市事项的主题由市药监局答复，其余由所在区的服务工作站答复")
        let title = field("title", "问题概要", hint: "一句话说明问题，至多 100 字")
        let question = field("question", "问题内容", hint: "至多 5000 字")
        let fields = (asksForOthers ? [enterprise] : [product]) + [topic, title, question]
        return Layout.render(
            title: "提出咨询",
            section: .service,
            viewer: viewer,
            content: .section(
                .class("panel"),
                .p(.class("small"), .a(.href(SiteURL.consultations(query: nil).path), .text("← 咨询"))),
                .h1(.text("提出咨询")),
                Forms.errorSummary(fields, message: typed.message),
                .form(
                    .method(.post), .action(SiteURL.consultations(query: nil).path), Forms.csrf(viewer.csrfToken),
                    asksForOthers
                        ? Forms.select(enterprise, options: enterprises.map { .init(value: $0.id.uuidString, label: $0.name) }, blank: "请选择")
                        : Forms.select(product, options: products.map { .init(value: $0.id.uuidString, label: $0.name) }, blank: "不涉及具体产品"),
                    Forms.select(
                        topic, options: topics.map { .init(value: $0.code, label: $0.label + ($0.cityLevel ? "（市药监局答复）" : "")) }, blank: "请选择"),
                    Forms.text(title, maxLength: 100),
                    Forms.textarea(question, maxLength: 5_000),
                    .button(.class("button"), .type(.submit), .text("提交"))))
        )
    }

    // MARK: One consultation

    static func show(_ record: ConsultationRecord, stations: [ServiceStation], typed: TypedForm?, step: String?, viewer: Viewer) -> String {
        func target(_ label: String, _ target: ServiceClock.Target) -> (String, Node<HTML.BodyContext>) {
            let state: String =
                if let met = target.metOn {
                    "\(met) 完成，用时 \(target.used) 个工作日" + (target.withinTarget == true ? "（按时）" : "（超时）")
                } else {
                    "已用 \(target.used) 个工作日" + (target.deadline.map { "，期限 \($0)" } ?? "")
                }
            return ("\(label)（\(target.limit) 个工作日）", .text(state))
        }
        let facts: [(String, Node<HTML.BodyContext>)] =
            [
                ("企业", .text(record.enterprise)),
                ("产品", .text(record.productName ?? "不涉及具体产品")),
                ("咨询主题", .text(record.topicLabel)),
                ("办理单位", .text(record.desk)),
                ("提出", .text("\(record.askedOn) \(record.askedBy)")),
                ("状态", .group(.text(record.status.label + " "), clockBadge(record))),
                target("首次响应", record.clock.firstResponse),
                target("办结", record.clock.resolution),
                ("满意度", .text(record.rating.map { "\($0) 分（满分 5 分）" } ?? "—")),
            ]
            + (record.kind == .classification
                ? [
                    ("申请人建议类别", .text(record.proposedClass?.label ?? "未提出")),
                    (
                        "界定结论",
                        .text(
                            record.outcome.map { outcome in
                                outcome.label + (record.decidedCode.map { "（分类编码 \($0)）" } ?? "")
                                    + (record.previousClass.map { "，原为\($0.label)" } ?? "")
                            } ?? "待界定")
                    ),
                ] : [])
        let status = record.status
        let answering = viewer.may(.answerConsultations) && status == .open
        let asking = viewer.may(.askConsultations)
        // A step refused because the consultation moved on: its form is no longer offered, so what
        // was typed is shown to be copied.
        let offered: Set<String> = Set(
            (answering ? ["responses", "transfer"] + (record.kind == .classification ? ["classification"] : []) : [])
                + (asking && (status == .awaitingEnterprise || status == .answered) ? ["replies"] : [])
                + (asking && status == .answered ? ["rating"] : [])
                + (asking && (status == .open || status == .awaitingEnterprise) ? ["withdrawal"] : []))
        let unsent =
            step.flatMap { offered.contains($0) ? nil : typed }.map { typed in
                ["text", "reason", "comment"].compactMap { typed.values[$0].flatMap { $0.isEmpty ? nil : $0 } }
            } ?? []
        return Layout.render(
            title: "咨询",
            section: .service,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    .p(.class("small"), .a(.href(SiteURL.consultations(query: nil).path), .text("← 咨询"))),
                    .h1(.text(record.title)),
                    .if(
                        viewer.may(.writeLibrary) && record.messages.contains { $0.kind == .answered },
                        .p(
                            .class("small"),
                            .a(.href(SiteURL.libraryNew(consultation: record.id.uuidString).path), .text("整理为常见问题（去除企业信息后送审）")))),
                    .unwrap(typed?.message) { .p(.class("error-summary"), .text($0)) },
                    .dl(.class("facts"), .forEach(facts) { .group(.dt(.text($0.0)), .dd($0.1)) }),
                    .if(
                        !unsent.isEmpty,
                        .group(.h2(.text("您填写但未提交的内容")), .forEach(unsent) { .p(.class("narrative"), .text($0)) }))
                ),
                .section(
                    .class("panel"),
                    .h2(.text("办理记录")),
                    .ol(
                        .class("timeline"),
                        .forEach(record.messages) { message in
                            .li(
                                .strong(.text(message.kind.label)), .text(" \(ShanghaiTime.dateTime(message.at)) \(message.by)"),
                                .unwrap(message.transferredTo) { .text(" → \($0)") },
                                .unwrap(message.rating) { .text(" \($0) 分") },
                                .if(!message.body.isEmpty, .div(.class("narrative"), .text(message.body))))
                        })
                ),
                .if(
                    answering && record.kind == .classification,
                    classificationAnswerForm(record, typed: step == "classification" ? typed : nil, viewer: viewer)),
                .if(answering, respondForm(record, typed: step == "responses" ? typed : nil, viewer: viewer)),
                .if(answering, transferForm(record, stations: stations, typed: step == "transfer" ? typed : nil, viewer: viewer)),
                .if(
                    asking && (status == .awaitingEnterprise || status == .answered),
                    replyForm(record, typed: step == "replies" ? typed : nil, viewer: viewer)),
                .if(asking && status == .answered, rateForm(record, typed: step == "rating" ? typed : nil, viewer: viewer)),
                .if(
                    asking && (status == .open || status == .awaitingEnterprise),
                    withdrawForm(record, typed: step == "withdrawal" ? typed : nil, viewer: viewer))
            )
        )
    }

    private static func stepForm(
        _ record: ConsultationRecord, step: String, title: String, fields: [Forms.Field], typed: TypedForm?, viewer: Viewer,
        button: String = "提交", _ controls: Node<HTML.FormContext>...
    ) -> Node<HTML.BodyContext> {
        .section(
            .class("panel"),
            .h2(.text(title)),
            Forms.errorSummary(fields, message: nil),
            .form(
                .method(.post), .action(SiteURL.consultationStep(id: record.id.uuidString, step: step).path), Forms.csrf(viewer.csrfToken),
                Forms.version(record.version), .group(controls),
                .button(.class("button"), .type(.submit), .text(button))))
    }

    private static func field(_ typed: TypedForm?, _ name: String, _ label: String, hint: String? = nil, required: Bool = true) -> Forms.Field {
        Forms.Field(name: name, label: label, value: typed?.value(name) ?? "", error: typed?.error(name), hint: hint, required: required)
    }

    private static func respondForm(_ record: ConsultationRecord, typed: TypedForm?, viewer: Viewer) -> Node<HTML.BodyContext> {
        let response = field(typed, "response", "答复方式", hint: "请企业补充说明期间暂停计时")
        let text = field(typed, "text", "内容")
        // A classification question is answered with its outcome (the form above); here only a request to clarify.
        let responses = record.kind == .classification ? [ConsultationResponse.requestInfo] : ConsultationResponse.allCases
        return stepForm(
            record, step: "responses", title: record.kind == .classification ? "请企业补充说明" : "答复", fields: [response, text], typed: typed,
            viewer: viewer,
            Forms.select(response, options: responses.map { .init(value: $0.rawValue, label: $0.label) }, blank: "请选择"),
            Forms.textarea(text, maxLength: 5_000))
    }

    private static func classificationAnswerForm(_ record: ConsultationRecord, typed: TypedForm?, viewer: Viewer) -> Node<HTML.BodyContext> {
        let outcome = field(typed, "outcome", "界定结论", hint: "界定为医疗器械的，产品的管理类别随之更新")
        let code = field(typed, "classificationCode", "分类编码", hint: "可不填；如 21-04", required: false)
        let text = field(typed, "text", "界定意见")
        return stepForm(
            record, step: "classification", title: "界定结论", fields: [outcome, code, text], typed: typed, viewer: viewer, button: "答复界定结论",
            Forms.select(outcome, options: ClassificationOutcome.allCases.map { .init(value: $0.rawValue, label: $0.label) }, blank: "请选择"),
            Forms.text(code, maxLength: 5), Forms.textarea(text, maxLength: 5_000))
    }

    // MARK: The classification form

    static func classificationForm(products: [(id: UUID, name: String)], typed: TypedForm, viewer: Viewer) -> String {
        func field(_ name: String, _ label: String, hint: String? = nil, required: Bool = true) -> Forms.Field {
            Forms.Field(name: name, label: label, value: typed.value(name), error: typed.error(name), hint: hint, required: required)
        }
        let product = field("product", "产品")
        let use = field("intendedUse", "预期用途", hint: "适用人群、使用部位、用于诊断、治疗、监护或其他")
        let structure = field("structure", "结构组成")
        let principle = field("principle", "工作原理")
        let proposed = field("proposedClass", "申请人建议类别", hint: "可不选", required: false)
        return Layout.render(
            title: "申请分类界定",
            section: .service,
            viewer: viewer,
            content: .section(
                .class("panel"),
                .p(.class("small"), .a(.href(SiteURL.consultations(query: nil).path), .text("← 咨询"))),
                .h1(.text("申请分类界定")),
                .p(.class("muted small"), .text("由市药监局在规定的工作日内提出界定意见；请企业补充说明期间暂停计时。界定为医疗器械的，产品的管理类别随之更新。")),
                Forms.errorSummary([product, use, structure, principle, proposed], message: typed.message),
                .form(
                    .method(.post), .action(SiteURL.classifications.path), Forms.csrf(viewer.csrfToken),
                    Forms.select(product, options: products.map { .init(value: $0.id.uuidString, label: $0.name) }, blank: "请选择"),
                    Forms.textarea(use, maxLength: 2_000), Forms.textarea(structure, maxLength: 2_000), Forms.textarea(principle, maxLength: 2_000),
                    Forms.select(proposed, options: ManagementClass.allCases.map { .init(value: $0.rawValue, label: $0.label) }, blank: "不提出"),
                    .button(.class("button"), .type(.submit), .text("提交"))))
        )
    }

    private static func transferForm(_ record: ConsultationRecord, stations: [ServiceStation], typed: TypedForm?, viewer: Viewer)
        -> Node<HTML.BodyContext>
    {
        let to = field(typed, "to", "转办至")
        let reason = field(typed, "reason", "转办理由")
        let options: [Forms.Option] =
            [.init(value: "city", label: ConsultationUseCases.regulatorDesk)] + stations.map { .init(value: $0.code, label: $0.name) }
        return stepForm(
            record, step: "transfer", title: "转办", fields: [to, reason], typed: typed, viewer: viewer, button: "转办",
            Forms.select(to, options: options, blank: "请选择"), Forms.text(reason, maxLength: 500))
    }

    private static func replyForm(_ record: ConsultationRecord, typed: TypedForm?, viewer: Viewer) -> Node<HTML.BodyContext> {
        let text = field(typed, "text", record.status == .awaitingEnterprise ? "补充说明" : "追问", hint: "提交后恢复计时")
        return stepForm(
            record, step: "replies", title: record.status == .awaitingEnterprise ? "补充说明" : "继续追问", fields: [text], typed: typed,
            viewer: viewer, Forms.textarea(text, maxLength: 5_000))
    }

    private static func rateForm(_ record: ConsultationRecord, typed: TypedForm?, viewer: Viewer) -> Node<HTML.BodyContext> {
        let rating = field(typed, "rating", "满意度评分")
        let comment = field(typed, "comment", "评价意见", required: false)
        return stepForm(
            record, step: "rating", title: "评价答复（评价后办结）", fields: [rating, comment], typed: typed, viewer: viewer, button: "评价",
            Forms.select(
                rating, options: (1...5).reversed().map { .init(value: String($0), label: "\($0) 分") }, blank: "请选择"),
            Forms.textarea(comment, maxLength: 1_000))
    }

    private static func withdrawForm(_ record: ConsultationRecord, typed: TypedForm?, viewer: Viewer) -> Node<HTML.BodyContext> {
        let reason = field(typed, "reason", "撤回理由", required: false)
        return stepForm(
            record, step: "withdrawal", title: "撤回咨询", fields: [reason], typed: typed, viewer: viewer, button: "撤回",
            Forms.text(reason, maxLength: 500))
    }

    // MARK: Inbox

    /// The inbox's section: what waits for the viewer (see `ConsultationUseCases.attention`).
    static func inboxSection(_ records: [ConsultationRecord]) -> Node<HTML.BodyContext> {
        .section(
            .class("panel"),
            .h2(.text("咨询（\(records.count)）")),
            records.isEmpty
                ? .p(.class("muted"), .text("目前没有需要您处理的咨询。"))
                : .table(
                    .class("data-table"),
                    .thead(.tr(.th("问题"), .th("企业"), .th("状态"), .th("时限"))),
                    .tbody(
                        .forEach(records) { record in
                            .tr(
                                .td(.a(.href(SiteURL.consultation(id: record.id.uuidString).path), .text(record.title))),
                                .td(.text(record.enterprise)),
                                .td(.text(record.status.label)),
                                .td(clockBadge(record)))
                        })
                )
        )
    }
}
