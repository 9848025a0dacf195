import Foundation
import TongdaoCore
import TongdaoHTML
import TongdaoUseCases

/// The trial warnings: the list, one warning with the regulator's assessment form, and the inbox's
/// section.
enum TrialWarningPages {
    /// The list's filters as typed (codes; empty for all).
    struct Filter: Equatable {
        var kind = ""
        var status = ""
        /// `live` (the default), `ended` or `all`.
        var live = "live"

        var liveValue: Bool? { live == "all" ? nil : live != "ended" }

        func query(cursor: String? = nil) -> String? {
            SiteURL.query([("kind", kind), ("status", status), ("live", live == "live" ? nil : live), ("cursor", cursor)])
        }
    }

    /// The assessment form as typed, with what the use case said of it.
    struct AssessmentForm {
        var outcome = ""
        var reason = ""
        var version: Int?
        var errors: [String: String] = [:]
        /// Why the form is shown again without saving (another assessment came first).
        var message: String?
        /// What is saved now, when it differs from what was typed (the stale case).
        var savedOutcome: String?
        var savedReason: String?
    }

    static func levelBadge(_ warning: TrialWarningRecord) -> Node<HTML.BodyContext> {
        let text: String =
            switch warning.kind {
            case .piOverload: "\(warning.phase?.label ?? "")在研 \(warning.load ?? 0) / 阈值 \(warning.threshold ?? 0)"
            case .lateStart: warning.level == .red ? "超过 12 周" : "已满 8 周"
            }
        return .span(.class("badge level-\(warning.live ? warning.level.rawValue : "none")"), .text(text))
    }

    /// A row's first cell: the kind, linked to the warning, over its badge.
    static func kindCell(_ warning: TrialWarningRecord) -> Node<HTML.BodyContext> {
        .td(.a(.href(SiteURL.trialWarning(id: warning.id.uuidString).path), .text(warning.kind.label)), .div(levelBadge(warning)))
    }

    static func subject(_ warning: TrialWarningRecord) -> Node<HTML.BodyContext> {
        let path =
            switch warning.kind {
            case .piOverload: SiteURL.investigator(id: warning.subjectID.uuidString).path
            case .lateStart: SiteURL.trial(id: warning.subjectID.uuidString).path
            }
        return .group(.a(.href(path), .text(warning.subjectName)), .div(.class("small muted"), .text(warning.subjectDetail)))
    }

    static func institution(_ warning: TrialWarningRecord) -> Node<HTML.BodyContext> {
        guard let id = warning.institutionID else { return .text("—") }
        return .a(.href(SiteURL.trialInstitution(id: id.uuidString).path), .text(warning.institutionName ?? "—"))
    }

    static func assessmentText(_ assessment: TrialWarningRecord.Assessment) -> String {
        [assessment.status.label, assessment.reason].compactMap { $0 }.joined(separator: "：")
    }

    // MARK: List

    static func list(_ warnings: [TrialWarningRecord], filter: Filter, nextQuery: String?, viewer: Viewer, readsAssessment: Bool) -> String {
        Layout.render(
            title: "临床试验预警",
            section: .trials,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    .p(.class("small"), .a(.href(SiteURL.piLoad.path), .text("← 研究者同期承担项目预警"))),
                    .div(.class("panel-head"), .h1(.text("临床试验预警"))),
                    .p(
                        .class("muted small"),
                        .text(
                            "平台每日核查一次：主要研究者在研中心数超过阈值、按 30 日试点获批的试验满 8 周仍未首例知情同意，各生成一条预警，发送至市药监局和相关机构办公室的待办。"
                                + "情况消除后预警自动解除；情况加重（在研项目增加、超过 12 周）时生成新预警，须重新评估。")),
                    .form(
                        .method(.get), .action(SiteURL.trialWarnings(query: nil).path), .class("filters"),
                        Forms.select(
                            .init(name: "kind", label: "预警类型", value: filter.kind),
                            options: TrialWarningKind.allCases.map { .init(value: $0.rawValue, label: $0.label) }, blank: "全部"),
                        .if(
                            readsAssessment,
                            Forms.select(
                                .init(name: "status", label: "评估", value: filter.status),
                                options: TrialWarningStatus.allCases.map { .init(value: $0.rawValue, label: $0.label) }, blank: "全部")),
                        Forms.select(
                            .init(name: "live", label: "范围", value: filter.live),
                            options: [.init(value: "live", label: "当前预警"), .init(value: "ended", label: "已解除"), .init(value: "all", label: "全部")]),
                        .button(.class("button"), .type(.submit), .text("筛选"))
                    )
                ),
                .section(
                    .class("panel"),
                    warnings.isEmpty
                        ? .p(.class("muted"), .text("没有符合条件的预警。"))
                        : .table(
                            .class("data-table"),
                            .thead(
                                .tr(
                                    .th("预警"), .th("对象"), .th("机构"), .th("说明"), .th("预警日期"), .th("解除日期"),
                                    .if(readsAssessment, .th("评估")))),
                            .tbody(
                                .forEach(warnings) { warning in
                                    .tr(
                                        kindCell(warning),
                                        .td(subject(warning)), .td(institution(warning)), .td(.text(warning.message)), .td(.text(warning.raisedOn)),
                                        .td(.text(warning.endedOn ?? "—")),
                                        .unwrap(warning.assessment) { .td(.text(assessmentText($0))) })
                                })
                        ),
                    .unwrap(nextQuery) { query in
                        .p(.a(.class("button"), .href(SiteURL.trialWarnings(query: query).path), .text("下一页")))
                    }
                )
            )
        )
    }

    // MARK: One warning

    static func show(_ warning: TrialWarningRecord, form: AssessmentForm?, viewer: Viewer, assesses: Bool) -> String {
        let rows: [(String, String)] = [
            ("预警类型", warning.kind.label), ("说明", warning.message), ("预警日期", warning.raisedOn),
            ("状态", warning.endedOn.map { "已于 \($0) 解除" } ?? "当前预警"),
        ]
        return Layout.render(
            title: "预警：\(warning.subjectName)",
            section: .trials,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    .p(.class("small"), .a(.href(SiteURL.trialWarnings(query: nil).path), .text("← 临床试验预警"))),
                    .div(.class("panel-head"), .h1(.text("\(warning.kind.label)：\(warning.subjectName)")), levelBadge(warning)),
                    .table(
                        .class("detail-table"),
                        .tbody(
                            .tr(.th("对象"), .td(subject(warning))), .tr(.th("机构"), .td(institution(warning))),
                            .forEach(rows) { label, value in .tr(.th(.text(label)), .td(.text(value))) }))
                ),
                .unwrap(warning.assessment) { assessment in
                    .section(
                        .class("panel"),
                        .h2(.text("评估")),
                        .p(
                            .span(
                                .class("badge level-\(assessment.status == .focus ? "red" : assessment.status == .open ? "amber" : "none")"),
                                .text(assessment.status.label)),
                            .unwrap(assessment.reason) { .text(" " + $0) }),
                        .unwrap(assessment.assessedBy) { by in
                            .p(.class("muted small"), .text("评估人：\(by)" + (assessment.assessedAt.map { "，" + ShanghaiTime.dateTime($0) } ?? "")))
                        },
                        .if(assesses, assessmentForm(warning, form: form ?? .init(version: warning.version), viewer: viewer))
                    )
                }
            )
        )
    }

    private static func assessmentForm(_ warning: TrialWarningRecord, form: AssessmentForm, viewer: Viewer) -> Node<HTML.BodyContext> {
        let outcome = Forms.Field(
            name: "outcome", label: "评估结论", value: form.outcome, error: form.errors["outcome"], required: true, saved: form.savedOutcome)
        let reason = Forms.Field(
            name: "reason", label: "评估意见", value: form.reason, error: form.errors["reason"], hint: "排除预警须写明理由；纳入检查重点可写明关注点",
            saved: form.savedReason)
        return .group(
            Forms.errorSummary([outcome, reason], message: form.message),
            .form(
                .method(.post), .action(SiteURL.trialWarning(id: warning.id.uuidString).path),
                Forms.csrf(viewer.csrfToken),
                Forms.version(form.version),
                Forms.select(outcome, options: TrialWarningOutcome.allCases.map { .init(value: $0.rawValue, label: $0.label) }, blank: "请选择"),
                Forms.textarea(reason, maxLength: TrialWarningOutcome.mostReasonCharacters),
                .button(.class("button"), .type(.submit), .text(warning.assessment?.status == .open ? "保存评估" : "修改评估"))
            )
        )
    }

    // MARK: Inbox

    /// The inbox's section: the live warnings that wait for the caller.
    /// `listed`: the viewer reads the warnings' own pages and list; a sponsor does not, and its rows
    /// link to its trials instead.
    static func inboxSection(_ warnings: [TrialWarningRecord], listed: Bool = true) -> Node<HTML.BodyContext> {
        .section(
            .class("panel"),
            .h2(.text("临床试验预警（\(warnings.count)）")),
            warnings.isEmpty
                ? .p(.class("muted"), .text("目前没有待处理的临床试验预警。"))
                : .table(
                    .class("data-table"),
                    .thead(.tr(.th("预警"), .th("机构"), .th("说明"), .th("预警日期"))),
                    .tbody(
                        .forEach(warnings) { warning in
                            .tr(
                                listed
                                    ? kindCell(warning)
                                    : .td(
                                        .a(.href(SiteURL.trial(id: warning.subjectID.uuidString).path), .text(warning.kind.label)),
                                        .div(levelBadge(warning))),
                                .td(institution(warning)), .td(.text(warning.message)), .td(.text(warning.raisedOn)))
                        })),
            .if(listed, .p(.class("small"), .a(.href(SiteURL.trialWarnings(query: nil).path), .text("全部临床试验预警 →"))))
        )
    }
}
