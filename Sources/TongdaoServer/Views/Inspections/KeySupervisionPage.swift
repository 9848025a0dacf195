import Foundation
import TongdaoCore
import TongdaoHTML
import TongdaoUseCases

/// The key-supervision list (重点监管名单): the live entries (or every one), the regulator's decision
/// on each proposal, and the form that proposes a target for a systemic risk.
enum KeySupervisionPage {
    struct Model {
        var page: Page<KeySupervisionRecord>
        var all: Bool
        /// The targets a proposal may name (the regulator only).
        var targets: [(id: UUID, kind: InspectionTargetKind, name: String)]?
        /// A refused form as typed: `propose`, or `decide` with the entry's id in `finding`.
        var form: InspectionTaskPages.StepForm?
    }

    static func render(_ model: Model, viewer: Viewer) -> String {
        let decides = viewer.may(.manageInspections)
        return Layout.render(
            title: "重点监管名单",
            section: .inspections,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    .p(.class("small"), .a(.href(SiteURL.inspections(query: nil).path), .text("← 检查任务"))),
                    .h1(.text("重点监管名单")),
                    .p(
                        .class("muted small"),
                        .text(
                            "检查结论发现严重缺陷的对象自动提议列入，监管人员也可因系统性风险提议；经市药监局确认后列入，列入对象按更高频次纳入年度检查计划。"
                                + "列入后连续多次检查结论为符合要求的，提议移出，由市药监局决定。每次列入和移出均保留记录。")),
                    .p(
                        .class("small"),
                        model.all
                            ? .a(.href(SiteURL.keySupervision(all: false).path), .text("只看当前名单"))
                            : .a(.href(SiteURL.keySupervision(all: true).path), .text("全部记录（含已移出、不予列入）")))
                ),
                .section(
                    .class("panel"),
                    model.page.items.isEmpty
                        ? .p(.class("muted"), .text("名单中暂无对象。"))
                        : .table(
                            .class("data-table"),
                            .thead(.tr(.th("对象"), .th("状态"), .th("理由"), .th("提议"), .th("决定"), .if(decides, .th("办理")))),
                            .tbody(.forEach(model.page.items) { row($0, form: model.form, decides: decides, viewer: viewer) })
                        ),
                    .unwrap(model.page.next) { cursor in
                        .p(
                            .a(
                                .class("button"),
                                .href("/inspections/key-supervision?" + (SiteURL.query([("all", model.all ? "1" : nil), ("cursor", cursor)]) ?? "")),
                                .text("下一页")))
                    }
                ),
                .unwrap(model.targets) { proposal($0, form: model.form?.step == "propose" ? model.form : nil, viewer: viewer) }
            )
        )
    }

    private static func row(_ entry: KeySupervisionRecord, form: InspectionTaskPages.StepForm?, decides: Bool, viewer: Viewer) -> Node<
        HTML.TableContext
    > {
        let path =
            entry.targetKind == .trialInstitution
            ? SiteURL.trialInstitution(id: entry.targetID.uuidString).path : SiteURL.enterprise(id: entry.targetID.uuidString).path
        var decision: [String] = []
        if let on = entry.decidedOn { decision.append("\(on) \(entry.decidedBy ?? "")" + (entry.decisionReason.map { "：\($0)" } ?? "")) }
        if let on = entry.listedOn { decision.append("列入 \(on)") }
        if let on = entry.removalProposedOn { decision.append("提议移出 \(on)：\(entry.removalReason ?? "")") }
        if let on = entry.removedOn { decision.append("移出 \(on)") }
        let pending = entry.status == .proposed || entry.status == .removalProposed
        return .tr(
            .td(
                .a(.href(path), .text(entry.targetName)), .div(.class("small muted"), .text(entry.targetKind.label)),
                .div(.class("small"), .a(.href(SiteURL.credit(kind: entry.targetKind.rawValue, id: entry.targetID.uuidString).path), .text("信用档案")))),
            .td(.span(.class("badge level-\(pending ? "amber" : entry.status == .listed ? "red" : "none")"), .text(entry.status.label))),
            .td(.text(entry.reason)), .td(.text("\(entry.proposedOn) \(entry.proposedBy)")), .td(.text(decision.joined(separator: "；"))),
            .if(
                decides,
                .td(pending ? decisionForm(entry, form: form?.step == "decide" && form?.finding == entry.id ? form : nil, viewer: viewer) : .text(""))
            ))
    }

    private static func decisionForm(_ entry: KeySupervisionRecord, form: InspectionTaskPages.StepForm?, viewer: Viewer) -> Node<HTML.BodyContext> {
        let removal = entry.status == .removalProposed
        let confirm = Forms.Field(
            name: "confirm", label: "决定", value: form?.value("confirm") ?? "", error: form?.error("confirm"), id: "confirm-\(entry.id.uuidString)")
        let reason = Forms.Field(
            name: "reason", label: "理由", value: form?.value("reason") ?? "", error: form?.error("reason"), hint: removal ? "继续列入须写明理由" : "不予列入须写明理由",
            id: "reason-\(entry.id.uuidString)")
        return .group(
            Forms.errorSummary([confirm, reason], message: form?.message),
            .form(
                .method(.post), .action(SiteURL.keySupervisionDecision(id: entry.id.uuidString).path), Forms.csrf(viewer.csrfToken),
                Forms.version(entry.version),
                Forms.select(
                    confirm,
                    options: removal
                        ? [.init(value: "true", label: "移出名单"), .init(value: "false", label: "继续列入")]
                        : [.init(value: "true", label: "列入名单"), .init(value: "false", label: "不予列入")]),
                Forms.text(reason, maxLength: 500),
                .button(.class("button"), .type(.submit), .text("提交决定"))))
    }

    private static func proposal(
        _ targets: [(id: UUID, kind: InspectionTargetKind, name: String)], form: InspectionTaskPages.StepForm?, viewer: Viewer
    ) -> Node<HTML.BodyContext> {
        let target = Forms.Field(name: "target", label: "对象", value: form?.value("target") ?? "", error: form?.error("targetID"), required: true)
        let reason = Forms.Field(
            name: "reason", label: "列入理由（系统性风险）", value: form?.value("reason") ?? "", error: form?.error("reason"), required: true)
        return .section(
            .class("panel"),
            .h2(.text("提议列入")),
            Forms.errorSummary([target, reason], message: form?.message),
            .form(
                .method(.post), .action(SiteURL.keySupervision(all: false).path), Forms.csrf(viewer.csrfToken),
                Forms.select(
                    target, options: targets.map { .init(value: "\($0.kind.rawValue):\($0.id.uuidString)", label: "\($0.name)（\($0.kind.label)）") },
                    blank: "请选择"),
                Forms.textarea(reason, maxLength: 500),
                .button(.class("button"), .type(.submit), .text("提议列入"))))
    }
}
