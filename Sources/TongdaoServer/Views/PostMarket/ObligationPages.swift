import Foundation
import TongdaoCore
import TongdaoHTML
import TongdaoUseCases

/// Conditional-approval obligations (附条件批准义务): the list with each one's amber or red, the form
/// that sets one, and an obligation with its history, the registrant's evidence and the officer's
/// decision.
enum ObligationPages {
    struct Filter {
        var product: String?
        var status: String?
        var alert: String?
        var mine: Bool
    }

    static func alertBadge(_ record: ObligationRecord) -> Node<HTML.BodyContext> {
        let level =
            switch record.alert {
            case .red: "red"
            case .amber: "amber"
            case .none, .done: "green"
            }
        let days =
            switch record.alert {
            case .done: ""
            case .red: record.daysLeft < 0 ? "（逾期 \(-record.daysLeft) 日）" : ""
            case .amber, .none: record.status == .submitted ? "" : "（剩 \(record.daysLeft) 日）"
            }
        return .span(.class("badge level-\(level)"), .text(record.alert.label + days))
    }

    // MARK: List

    static func list(_ records: [ObligationRecord], filter: Filter, viewer: Viewer) -> String {
        Layout.render(
            title: "附条件批准义务",
            section: .postMarket,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    .p(.class("small"), .a(.href(SiteURL.adverseEvents(query: nil).path), .text("← 上市后监管"))),
                    .h1(.text("附条件批准义务")),
                    .p(
                        .class("muted small"),
                        .text(
                            "附条件批准的产品，每项附带条件都有履行期限和跟踪责任人。到期前 \(Obligation.amberDays) 日内标黄，逾期未提交履行证据标红并计入注册人的信用档案；证据在期限内提交、事后确认的，按期履行。")),
                    .p(
                        .if(viewer.may(.manageObligations), .a(.class("button"), .href(SiteURL.obligationNew.path), .text("设定附条件批准义务")))),
                    .form(
                        .method(.get), .action(SiteURL.obligations(query: nil).path), .class("filters"),
                        .unwrap(filter.product) { .input(.type(.hidden), .name("product"), .value($0)) },
                        Forms.select(
                            Forms.Field(name: "status", label: "状态", value: filter.status ?? ""),
                            options: ObligationStatus.allCases.map { .init(value: $0.rawValue, label: $0.label) }, blank: "全部"),
                        Forms.select(
                            Forms.Field(name: "alert", label: "预警", value: filter.alert ?? ""),
                            options: ObligationAlert.allCases.map { .init(value: $0.rawValue, label: $0.label) }, blank: "全部"),
                        .if(
                            viewer.may(.manageObligations),
                            Forms.checkbox(Forms.Field(name: "mine", label: "只看我跟踪的", value: filter.mine ? "true" : ""))),
                        .button(.class("button"), .type(.submit), .text("筛选")))
                ),
                .section(
                    .class("panel"),
                    records.isEmpty
                        ? .p(.class("muted"), .text("没有符合条件的附条件批准义务。"))
                        : .table(
                            .class("data-table"),
                            .thead(.tr(.th("产品"), .th("注册人"), .th("附带条件"), .th("履行期限"), .th("跟踪责任人"), .th("状态"))),
                            .tbody(
                                .forEach(records) { record in
                                    .tr(
                                        .td(.text(record.productName), .div(.class("small muted"), .text(record.certificate))),
                                        .td(.text(record.registrant)),
                                        .td(
                                            .a(.href(SiteURL.obligation(id: record.id.uuidString).path), .text(record.title)),
                                            .div(.class("small muted"), .text(record.kind.label))),
                                        .td(.text(record.dueOn.description), .div(alertBadge(record))),
                                        .td(.text(record.officerName)),
                                        .td(.text(record.status.label)))
                                }))
                )
            )
        )
    }

    // MARK: The form

    static func form(
        products: [(id: UUID, name: String, model: String, certificate: String)], officers: [(username: String, name: String)], typed: TypedForm,
        viewer: Viewer
    ) -> String {
        func field(_ name: String, _ label: String, hint: String? = nil) -> Forms.Field {
            Forms.Field(name: name, label: label, value: typed.value(name), error: typed.error(name), hint: hint, required: true)
        }
        let product = field("product", "产品", hint: "已取得注册证的产品")
        let kind = field("kind", "义务类别")
        let title = field("title", "附带条件", hint: "批准文件载明的条件，至多 500 字")
        let dueOn = field("dueOn", "履行期限")
        let officer = field("officer", "跟踪责任人", hint: "逐项跟踪该条件的工作人员")
        return Layout.render(
            title: "设定附条件批准义务",
            section: .postMarket,
            viewer: viewer,
            content: .section(
                .class("panel"),
                .p(.class("small"), .a(.href(SiteURL.obligations(query: nil).path), .text("← 附条件批准义务"))),
                .h1(.text("设定附条件批准义务")),
                Forms.errorSummary([product, kind, title, dueOn, officer], message: typed.message),
                .form(
                    .method(.post), .action(SiteURL.obligations(query: nil).path), Forms.csrf(viewer.csrfToken),
                    Forms.select(
                        product, options: products.map { .init(value: $0.id.uuidString, label: "\($0.name)（\($0.model)，\($0.certificate)）") },
                        blank: "请选择"),
                    Forms.select(kind, options: ObligationKind.allCases.map { .init(value: $0.rawValue, label: $0.label) }, blank: "请选择"),
                    Forms.textarea(title, maxLength: 500),
                    Forms.text(dueOn, type: "date"),
                    Forms.select(officer, options: officers.map { .init(value: $0.username, label: $0.name) }, blank: "请选择"),
                    .button(.class("button"), .type(.submit), .text("保存"))))
        )
    }

    // MARK: One obligation

    static func show(_ record: ObligationRecord, typed: TypedForm?, step: String?, viewer: Viewer) -> String {
        let facts: [(String, Node<HTML.BodyContext>)] = [
            (
                "产品",
                .group(
                    .text("\(record.productName)（\(record.certificate)）"),
                    .if(
                        viewer.may(.readRiskChecklist) || viewer.may(.reportPeriodicRisk),
                        .a(.class("small"), .href(SiteURL.productRisk(id: record.productID.uuidString).path), .text(" 风险档案与定期风险评价报告"))))
            ),
            ("注册人", .text(record.registrant)),
            ("义务类别", .text(record.kind.label)),
            ("履行期限", .group(.text(record.dueOn.description + " "), alertBadge(record))),
            ("跟踪责任人", .text(record.officerName)),
            ("状态", .text(record.status.label)),
            ("证据提交日期", .text(record.submittedOn?.description ?? "—")),
            ("计入信用档案", .text(record.overdueSince.map { "逾期，自 \($0) 起计入" } ?? "否")),
        ]
        return Layout.render(
            title: "附条件批准义务",
            section: .postMarket,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    .p(.class("small"), .a(.href(SiteURL.obligations(query: nil).path), .text("← 附条件批准义务"))),
                    .h1(.text(record.title)),
                    .dl(.class("facts"), .forEach(facts) { .group(.dt(.text($0.0)), .dd($0.1)) }),
                    .unwrap(record.evidence) { .group(.h2(.text("最近提交的履行证据")), .p(.class("narrative"), .text($0))) }
                ),
                .section(
                    .class("panel"),
                    .h2(.text("履行记录")),
                    .ol(
                        .class("timeline"),
                        .forEach(record.events) { entry in
                            .li(
                                .strong(.text(entry.kind.label)), .text(" \(ShanghaiTime.dateTime(entry.at)) \(entry.by)"),
                                .if(!entry.detail.isEmpty, .div(.text(entry.detail))))
                        })
                ),
                .if(
                    viewer.may(.answerObligations) && record.status != .fulfilled,
                    evidenceForm(record, typed: step == "evidence" ? typed : nil, viewer: viewer)),
                .if(
                    viewer.may(.manageObligations) && record.status == .submitted,
                    reviewForm(record, typed: step == "review" ? typed : nil, viewer: viewer))
            )
        )
    }

    private static func evidenceForm(_ record: ObligationRecord, typed: TypedForm?, viewer: Viewer) -> Node<HTML.BodyContext> {
        let evidence = Forms.Field(
            name: "evidence", label: "履行证据（保密）", value: typed?.value("evidence") ?? "", error: typed?.error("evidence"),
            hint: "研究报告、提交的资料及其文号等；仅注册人和市药监局可见", required: true)
        return .section(
            .class("panel"),
            .h2(.text(record.status == .submitted ? "补充或更正履行证据" : "提交履行证据")),
            Forms.errorSummary([evidence], message: typed?.message),
            .form(
                .method(.post), .action(SiteURL.obligationEvidence(id: record.id.uuidString).path), Forms.csrf(viewer.csrfToken),
                Forms.version(record.version),
                Forms.textarea(evidence, maxLength: 5_000),
                .button(.class("button"), .type(.submit), .text("提交"))))
    }

    private static func reviewForm(_ record: ObligationRecord, typed: TypedForm?, viewer: Viewer) -> Node<HTML.BodyContext> {
        let decision = Forms.Field(
            name: "decision", label: "审核结论", value: typed?.value("decision") ?? "", error: typed?.error("decision"), required: true)
        let note = Forms.Field(
            name: "note", label: "审核意见", value: typed?.value("note") ?? "", error: typed?.error("note"), hint: "退回时必填，注册人可见")
        return .section(
            .class("panel"),
            .h2(.text("审核履行证据")),
            Forms.errorSummary([decision, note], message: typed?.message),
            .form(
                .method(.post), .action(SiteURL.obligationReview(id: record.id.uuidString).path), Forms.csrf(viewer.csrfToken),
                Forms.version(record.version),
                Forms.select(decision, options: ObligationDecision.allCases.map { .init(value: $0.rawValue, label: $0.label) }, blank: "请选择"),
                Forms.textarea(note, maxLength: 2_000),
                .button(.class("button"), .type(.submit), .text("保存"))))
    }

    // MARK: Inbox

    /// The inbox's section: the obligations an officer follows (or a registrant's own) that are
    /// amber or red, or whose evidence waits for a decision.
    static func inboxSection(_ records: [ObligationRecord]) -> Node<HTML.BodyContext> {
        .section(
            .class("panel"),
            .h2(.text("附条件批准义务（\(records.count)）")),
            records.isEmpty
                ? .p(.class("muted"), .text("目前没有临近到期、逾期或待审核的附条件批准义务。"))
                : .table(
                    .class("data-table"),
                    .thead(.tr(.th("附带条件"), .th("产品"), .th("履行期限"), .th("状态"))),
                    .tbody(
                        .forEach(records) { record in
                            .tr(
                                .td(.a(.href(SiteURL.obligation(id: record.id.uuidString).path), .text(record.title))),
                                .td(.text(record.productName)),
                                .td(.text(record.dueOn.description), .div(alertBadge(record))),
                                .td(.text(record.status.label)))
                        })
                )
        )
    }
}
