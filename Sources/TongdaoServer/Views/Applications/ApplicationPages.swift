import Foundation
import TongdaoHTML
import TongdaoCore
import TongdaoUseCases

/// Applications: the list with clock badges, one application's clock and timeline, the event form,
/// the inbox.
enum ApplicationPages {
    struct ListModel {
        var items: [ApplicationItem]
        var productNames: [UUID: String]
        var enterpriseNames: [UUID: String]
        /// Reviewers' and responsible officers' usernames → 姓名.
        var people: [String: String]
        var status: String
        var level: String
        var sort: String
        var nextQuery: String?

        /// The export of the list as it is filtered now.
        func exportQuery(_ format: CensusUseCases.Format) -> String {
            SiteURL.query([("format", format.rawValue), ("status", status), ("level", level), ("sort", sort)]) ?? "format=\(format.rawValue)"
        }
    }

    /// The registration form: values as typed, errors by field, the product's name when known.
    struct AcceptanceFormModel {
        var values: [String: String] = [:]
        var errors: [String: String] = [:]
        var productName: String?

        func field(_ name: String, _ label: String, hint: String? = nil, required: Bool = false) -> Forms.Field {
            Forms.Field(name: name, label: label, value: values[name] ?? "", error: errors[name], hint: hint, required: required)
        }
    }

    static func newApplication(_ model: AcceptanceFormModel, viewer: Viewer) -> String {
        let fields = [
            model.field("product", "产品编号", hint: model.productName.map { "产品：\($0)" } ?? "从产品页面点击“登记受理”进入时自动填写", required: true),
            model.field("applicationNumber", "受理号", hint: "如 CQZ2600123", required: true),
            model.field("acceptedOn", "受理日期", hint: "YYYY-MM-DD，不晚于今天", required: true),
            model.field("procedure", "审评程序", required: true), model.field("authority", "审批部门", required: true),
            model.field("channel", "通道", required: true),
            model.field("reviewer", "审评员", hint: "审评员的用户名，可稍后指定"),
            model.field("responsibleOfficer", "跟踪责任人", hint: "跟踪责任人的用户名，可稍后指定"),
        ]
        let procedures = ProcedureCatalogue.names.sorted { $0.key < $1.key }.map { Forms.Option(value: $0.key, label: $0.value) }
        return Layout.render(
            title: "登记受理事项",
            section: .applications,
            viewer: viewer,
            content: .section(
                .class("panel narrow"),
                .p(.class("small"), .a(.href(SiteURL.applications(query: nil).path), .text("← 审评进度"))),
                .h1(.text("登记受理事项")),
                .p(.class("muted small"), .text("受理后登记：审评时限自受理次日起按工作日计算。")),
                Forms.errorSummary(fields),
                .form(
                    .method(.post), .action(SiteURL.applications(query: nil).path),
                    Forms.csrf(viewer.csrfToken),
                    Forms.text(fields[0], maxLength: 36),
                    Forms.text(fields[1], maxLength: 40),
                    Forms.text(fields[2], type: "date"),
                    Forms.select(fields[3], options: procedures, blank: "请选择"),
                    Forms.select(fields[4], options: ApplicationAuthority.allCases.map { .init(value: $0.rawValue, label: $0.label) }, blank: "请选择"),
                    Forms.select(fields[5], options: ReviewChannel.allCases.map { .init(value: $0.rawValue, label: $0.label) }, blank: "请选择"),
                    Forms.text(fields[6], maxLength: 64),
                    Forms.text(fields[7], maxLength: 64),
                    .div(
                        .class("form-actions"), .button(.class("button"), .type(.submit), .text("登记")),
                        .a(.href(SiteURL.applications(query: nil).path), .text("取消")))
                )
            )
        )
    }

    /// The status filter's value for every open application (what the dashboard's 在审事项 counts).
    static let openStatus = "open"

    /// A coloured badge: the level in words (not colour alone) and the remaining working days.
    static func badge(_ clock: ReviewClock.Reading?, status: ApplicationStatus) -> Node<HTML.BodyContext> {
        guard status.isOpen, let clock else { return .span(.class("badge level-none"), .text(status.label)) }
        let label = clock.level.label
        let days = clock.state == .stopped ? "计时暂停" : (clock.remaining >= 0 ? "剩 \(clock.remaining) 个工作日" : "超 \(-clock.remaining) 个工作日")
        return .span(.class("badge level-\(clock.level.rawValue)"), .title("已用 \(clock.used)/\(clock.limit)"), .text("\(label) · \(days)"))
    }

    static func list(_ model: ListModel, viewer: Viewer) -> String {
        // Who reviews and follows an application only for the roles that may read it.
        let assignees = viewer.may(.readConfidentialReview)
        return Layout.render(
            title: "审评进度",
            section: .applications,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    .div(
                        .class("panel-head"), .h1(.text("审评进度")),
                        .div(
                            .class("actions"),
                            .if(
                                viewer.may(.writeApplications),
                                .a(.class("button"), .href(SiteURL.applicationNew(product: nil).path), .text("登记受理事项"))),
                            .a(
                                .class("button secondary"), .href(SiteURL.applicationsExport(query: model.exportQuery(.xlsx)).path), .text("导出 Excel")
                            ),
                            .a(.class("button secondary"), .href(SiteURL.applicationsExport(query: model.exportQuery(.csv)).path), .text("导出 CSV")),
                            .a(.class("button secondary"), .href(SiteURL.inbox.path), .text("我的待办"))
                        )
                    ),
                    .p(.class("muted small"), .text("时限按工作日计算（不含法定节假日，含调休上班日）；补正、专家咨询、中止和体系核查期间不计时。列表按受理日期先后排列。仅显示您权限范围内的申报事项。")),
                    .form(
                        .class("filters"), .method(.get), .action(SiteURL.applications(query: nil).path),
                        Forms.select(
                            .init(name: "status", label: "状态", value: model.status),
                            options: [.init(value: openStatus, label: "在审（全部未结事项）")]
                                + ApplicationStatus.allCases.map { .init(value: $0.rawValue, label: $0.label) }, blank: "全部"),
                        Forms.select(
                            .init(name: "level", label: "时限", value: model.level),
                            options: [ReviewClock.Level.green, .amber, .red].map { .init(value: $0.rawValue, label: $0.label) },
                            blank: "全部"),
                        Forms.select(
                            .init(name: "sort", label: "排序", value: model.sort),
                            options: [.init(value: "remaining", label: "剩余工作日最少在前（仅计时中）")], blank: "受理先后"),
                        .div(.class("form-actions"), .button(.class("button secondary"), .type(.submit), .text("筛选")))
                    )
                ),
                .section(
                    .class("panel"),
                    model.items.isEmpty
                        ? .p(.class("muted"), .text("没有符合条件的申报事项。"))
                        : .table(
                            .class("data-table"),
                            .thead(
                                .tr(
                                    .th("受理号"), .th("产品"), .th("企业"), .th("通道"), .th("受理日期"), .th("状态"), .th("时限"), .th("期限"),
                                    .if(assignees, .group(.th("审评员"), .th("跟踪责任人"))))),
                            .tbody(
                                .forEach(model.items) { item in
                                    let application = item.application
                                    return .tr(
                                        .td(
                                            .a(
                                                .href(SiteURL.application(id: application.id.uuidString).path),
                                                .text(application.applicationNumber))),
                                        .td(.text(model.productNames[application.productID] ?? "—")),
                                        .td(
                                            .a(
                                                .href(SiteURL.enterprise(id: application.enterpriseID.uuidString).path),
                                                .text(model.enterpriseNames[application.enterpriseID] ?? "—"))),
                                        .td(.text(application.channel.label)),
                                        .td(.text(application.acceptedOn)),
                                        .td(.text(application.status.label)),
                                        .td(badge(item.clock, status: application.status)),
                                        .td(.text(application.status.isOpen ? (item.clock?.deadline?.description ?? "—") : "—")),
                                        .if(
                                            assignees,
                                            .group(
                                                .td(.text(application.reviewer.map { model.people[$0] ?? $0 } ?? "—")),
                                                .td(.text(application.responsibleOfficer.map { model.people[$0] ?? $0 } ?? "—"))))
                                    )
                                })
                        ),
                    .unwrap(model.nextQuery) { .p(.class("pager"), .a(.href(SiteURL.applications(query: $0).path), .text("下一页 →"))) }
                )
            )
        )
    }

    struct EventFormModel {
        var values: [String: String] = [:]
        var errors: [String: String] = [:]
        var message: String?

        func field(_ name: String, _ label: String, hint: String? = nil, required: Bool = false) -> Forms.Field {
            Forms.Field(name: name, label: label, value: values[name] ?? "", error: errors[name], hint: hint, required: required)
        }
    }

    struct DetailModel {
        var detail: ApplicationDetail
        var form: EventFormModel

        var canRecord: Bool { detail.recordable.contains { $0.requiredAction == .writeApplications } }
        var canInspect: Bool { detail.recordable.contains { $0.requiredAction == .recordInspections } }
    }

    static let segmentLabels: [ReviewClock.Segment.Kind: String] = [
        .counting: "计时", .paused: "暂停（不计时）", .supplement: "补正（不计时）", .extension: "延长", .inspection: "体系核查（不计时）",
    ]

    static func detail(_ model: DetailModel, viewer: Viewer) -> String {
        let detail = model.detail
        let application = detail.application
        let id = application.id.uuidString
        let facts: [(String, String)] =
            [
                ("产品", detail.productName), ("企业", detail.enterpriseName),
                ("审评程序", "\(ProcedureCatalogue.label(of: application.procedure))（\(application.procedureVersion) 版）"),
                ("审批部门", application.authority.label), ("通道", application.channel.label), ("受理日期", application.acceptedOn),
                ("状态", application.status.label), ("注册证号", application.certificate ?? "—"),
            ]
            + (detail.confidential
                ? [
                    ("审评员", application.reviewer.map { detail.people[$0] ?? $0 } ?? "—"),
                    ("跟踪责任人", application.responsibleOfficer.map { detail.people[$0] ?? $0 } ?? "—"),
                ] : [])
        return Layout.render(
            title: "申报事项 \(application.applicationNumber)",
            section: .applications,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    .p(
                        .class("small"), .a(.href(SiteURL.applications(query: nil).path), .text("← 审评进度")),
                        .text(" · "), .a(.href(SiteURL.product(id: application.productID.uuidString).path), .text("产品全程"))),
                    .div(
                        .class("panel-head"), .h1(.text("申报事项 \(application.applicationNumber)")),
                        badge(detail.item.clock, status: application.status)),
                    .if(
                        !detail.warnings.isEmpty,
                        .ul(
                            .class("warnings"),
                            .forEach(detail.warnings) { warning in
                                .li(.class(warning.isRed ? "warning red" : "warning amber"), .text(warning.message))
                            })),
                    .dl(.class("facts"), .forEach(facts) { row in .group(.dt(.text(row.0)), .dd(.text(row.1))) })
                ),
                .unwrap(detail.item.clock) { clock in clockPanel(clock, today: detail.item.asOf) },
                .section(
                    .class("panel"),
                    .h2(.text("时间线")),
                    .table(
                        .class("data-table"),
                        .thead(
                            .tr(
                                .th("#"), .th("日期"), .th("事件"), .th("说明"), .if(detail.confidential, .th("审评意见 / 核查发现")),
                                .if(detail.confidential, .th("记录人")))),
                        .tbody(
                            .forEach(detail.events) { record in
                                let event = record.event
                                var details: [String] = []
                                if let days = event.days { details.append("\(days) 个工作日") }
                                if let decision = event.decision { details.append(decision == .approve ? "批准" : "不予批准") }
                                if let certificate = event.certificate { details.append("注册证 \(certificate)") }
                                if let replaced = event.supersedes, let number = detail.events.first(where: { $0.id == replaced })?.sequence {
                                    details.append("更正第 \(number) 条")
                                }
                                if let reason = event.reason { details.append("理由：\(reason)") }
                                if let site = event.site { details.append("核查地址：\(site)") }
                                if let outcome = event.qmsOutcome { details.append("核查结果：\(outcome.label)") }
                                if record.superseded { details.append("（已被更正）") }
                                return .tr(
                                    .class(record.superseded ? "superseded" : ""),
                                    .td(.text(String(record.sequence))), .td(.text(event.on.description)), .td(.text(event.kind.label)),
                                    .td(.text(details.joined(separator: "；"))),
                                    .if(detail.confidential, .td(.text(record.note ?? ""))),
                                    .if(detail.confidential, .td(.text(record.recordedBy.map { detail.people[$0] ?? $0 } ?? "")))
                                )
                            })
                    )
                ),
                .if(model.canRecord || model.canInspect, eventForm(model, id: id, viewer: viewer))
            )
        )
    }

    private static func clockPanel(_ clock: ReviewClock.Reading, today: CivilDate) -> Node<HTML.BodyContext> {
        let phases: [ReviewClock.Phase: String] = [.review: "技术审评", .supplement: "等待补正", .decision: "审批决定", .decided: "已决定", .withdrawn: "已撤回"]
        // After a device's supplement the limit starts again: the days used are this limit's, since then.
        let restarted = clock.restartedOn.map { "补正后重新计算（自 \($0) 起），" } ?? ""
        var summary =
            "\(phases[clock.phase] ?? clock.phase.rawValue)：\(restarted)时限 \(clock.limit) 个工作日，已用 \(clock.used)，剩余 \(clock.remaining)"
        if let deadline = clock.deadline { summary += "，期限 \(deadline)" }
        if let supplement = clock.supplementDeadline { summary += "；申请人补正期限 \(supplement)" }
        if clock.provisional { summary += "（含尚未公布节假日安排的年份，按周末推算）" }
        let inspection = clock.inspection.map(inspectionSummary)
        return .section(
            .class("panel"),
            .h2(.text("时限计算（截至 \(today)）")),
            .p(.text(summary)),
            .unwrap(inspection) { .p(.class("clock-inspection"), .text($0)) },
            .table(
                .class("data-table"),
                .thead(.tr(.th("区间"), .th("起"), .th("止"), .th("工作日"), .th("说明"))),
                .tbody(
                    .forEach(clock.segments) { segment in
                        .tr(
                            .td(.text(segmentLabels[segment.kind] ?? segment.kind.rawValue)), .td(.text(segment.from.description)),
                            .td(.text(segment.to.description)), .td(.text(String(segment.workingDays))), .td(.text(segment.note)))
                    })
            ),
            .p(.class("muted small"), .text("每个区间的工作日按“起日不计、止日计入”计算。"))
        )
    }

    /// The QMS inspection's own clock in a sentence: its limit, the days it took, when it was to start.
    static func inspectionSummary(_ inspection: ReviewClock.Inspection) -> String {
        var parts: [String] = []
        if let started = inspection.startedOn {
            let limit = inspection.limit.map { "时限 \($0) 个工作日，" } ?? ""
            if let completed = inspection.completedOn {
                parts.append("体系核查（不计入审评时限）：\(started) 开始，\(completed) 完成，\(limit)用时 \(inspection.used) 个工作日")
            } else {
                parts.append("体系核查进行中（不计入审评时限）：\(started) 开始，\(limit)已用 \(inspection.used) 个工作日")
                if let deadline = inspection.deadline { parts.append("期限 \(deadline)") }
            }
            if let limit = inspection.limit, inspection.used > limit { parts.append("已超核查时限") }
        } else if let startBy = inspection.startBy {
            parts.append("体系核查尚未开始：应于受理后 \(ReviewClock.inspectionStartWithin) 个工作日内（\(startBy) 前）开始")
        }
        if inspection.late, inspection.startedOn != nil, let startBy = inspection.startBy {
            parts.append("开始晚于受理后 \(ReviewClock.inspectionStartWithin) 个工作日（\(startBy)）")
        } else if inspection.late {
            parts.append("已逾期未开始")
        }
        return parts.joined(separator: "，")
    }

    private static func eventForm(_ model: DetailModel, id: String, viewer: Viewer) -> Node<HTML.BodyContext> {
        let form = model.form
        let kinds = model.detail.recordable
        let fields = [
            form.field("type", "事件", required: true), form.field("on", "日期", hint: "YYYY-MM-DD", required: true),
            form.field("days", "延长工作日数", hint: "仅“延长审评时限”填写，至多为原时限的一半"),
            form.field("decision", "审批结论"), form.field("certificate", "注册证号", hint: "如 沪械注准20262210015"),
            form.field("supersedes", "更正以前的事件"), form.field("reason", "理由", hint: "延长时限和更正须说明理由"),
            form.field("note", model.canRecord ? "审评意见 / 核查发现（仅监管部门可见）" : "核查发现（仅监管部门可见）"),
            form.field("site", "核查地址（生产地址）", hint: "仅“体系核查完成”填写：生产许可现场检查能否减免以此为据"),
            form.field("outcome", "核查结果", hint: "仅“体系核查完成”填写"),
        ]
        return .section(
            .class("panel"),
            .h2(.text("记录事件")),
            Forms.errorSummary(fields, message: form.message),
            .form(
                .method(.post), .action(SiteURL.applicationEvents(id: id).path),
                Forms.csrf(viewer.csrfToken),
                Forms.select(fields[0], options: kinds.map { .init(value: $0.rawValue, label: $0.label) }, blank: "请选择"),
                Forms.text(fields[1], maxLength: 10),
                Forms.text(fields[2], maxLength: 5),
                Forms.select(fields[3], options: [.init(value: "approve", label: "批准"), .init(value: "refuse", label: "不予批准")], blank: "—"),
                Forms.text(fields[4], maxLength: EventInput.certificateLength),
                Forms.select(
                    fields[5],
                    options: model.detail.events.map { record in
                        .init(value: record.id.uuidString, label: "第 \(record.sequence) 条 · \(record.event.on) \(record.event.kind.label)")
                    }, blank: "不是更正"),
                Forms.text(fields[6], maxLength: EventInput.reasonLength),
                Forms.text(fields[8], maxLength: EventInput.siteLength),
                Forms.select(fields[9], options: QMSOutcome.allCases.map { .init(value: $0.rawValue, label: $0.label) }, blank: "—"),
                Forms.textarea(fields[7], maxLength: EventInput.noteLength),
                .div(.class("form-actions"), .button(.class("button"), .type(.submit), .text("记录")))
            )
        )
    }

    /// One item of a daily reminder: its application, whether it was escalated, its warnings.
    static func digestItem(_ item: DigestItem) -> Node<HTML.ListContext> {
        .li(
            .a(.href(SiteURL.application(id: item.applicationID.uuidString).path), .text(item.applicationNumber)),
            .text((item.escalated ? "（上报）" : "") + "：" + item.warnings.joined(separator: "；")))
    }

    /// `trialWarnings`: the inbox's trial warnings, for the roles they go to (nil for the others).
    /// `inspections`: the inspection tasks that need the viewer (nil for roles that have none).
    static func inbox(
        items: [InboxItem], digests: [DigestRecord], trialWarnings: [TrialWarningRecord]? = nil, inspections: [InspectionRecord]? = nil,
        obligations: [ObligationRecord]? = nil, consultations: [ConsultationRecord]? = nil,
        appointments: [AppointmentRecord]? = nil, viewer: Viewer
    ) -> String {
        Layout.render(
            title: "我的待办",
            section: .applications,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    .h1(.text("我的待办")),
                    .p(.class("muted small"), .text("您审评或跟踪的、需要关注的申报事项：超期与补正期限届满在前。")),
                    items.isEmpty
                        ? .p(
                            .class("muted"),
                            .text(
                                digests.first.map { digest in
                                    digest.items.isEmpty
                                        ? "您审评或跟踪的申报事项目前无需关注。"
                                        : "您审评或跟踪的申报事项目前无需关注；\(digest.day) 的每日提醒中有 \(digest.items.count) 项需关注"
                                            + (digest.escalated > 0 ? "（其中 \(digest.escalated) 项超期上报给您）" : "") + "，见下方。"
                                } ?? "您审评或跟踪的申报事项目前无需关注。"))
                        : .table(
                            .class("data-table"),
                            .thead(.tr(.th("受理号"), .th("产品"), .th("时限"), .th("提示"), .th("我的角色"))),
                            .tbody(
                                .forEach(items) { item in
                                    .tr(
                                        .td(
                                            .a(
                                                .href(SiteURL.application(id: item.item.application.id.uuidString).path),
                                                .text(item.item.application.applicationNumber))),
                                        .td(.text(item.productName.isEmpty ? "—" : item.productName)),
                                        .td(badge(item.item.clock, status: item.item.application.status)),
                                        .td(.text(item.warnings.map(\.message).joined(separator: "；"))),
                                        .td(.text(item.roles.map(\.label).joined(separator: "、")))
                                    )
                                })
                        )
                ),
                .section(
                    .class("panel"),
                    .h2(.text("每日提醒")),
                    digests.isEmpty
                        ? .p(.class("muted"), .text("还没有发给您的每日提醒。"))
                        : .ul(
                            .forEach(digests) { digest in
                                .li(
                                    .strong(.text(digest.day)),
                                    .text("：\(digest.items.count) 项需关注" + (digest.escalated > 0 ? "，其中 \(digest.escalated) 项超期上报给您" : "")),
                                    .ul(.forEach(digest.items) { digestItem($0) })
                                )
                            })
                ),
                .unwrap(trialWarnings) { TrialWarningPages.inboxSection($0, listed: viewer.may(.readPILoad)) },
                .unwrap(inspections) { InspectionTaskPages.inboxSection($0) },
                .unwrap(obligations) { ObligationPages.inboxSection($0) },
                .unwrap(consultations) { ConsultationPages.inboxSection($0) },
                .unwrap(appointments) { AppointmentPages.inboxSection($0) }
            )
        )
    }
}
