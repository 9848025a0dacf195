import Foundation
import TongdaoCore
import TongdaoHTML
import TongdaoUseCases

/// The Delta's joint inspections and recognised results: the lists with the forms to plan a joint
/// inspection and to record a partner's result, one joint inspection with its teams, one result
/// with Shanghai's decision.
enum DeltaInspectionPages {
    /// The rows of partner inspectors a form offers.
    static let memberRowCount = JointRules.maximumMembers

    static func index(
        joints: [DeltaJointRecord], results: [DeltaResultRecord], plannable: [(id: UUID, label: String)], typed: TypedForm?, form: String?,
        viewer: Viewer
    ) -> String {
        Layout.render(
            title: "联合检查和结果互认",
            section: .delta,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    DeltaPages.tabs(),
                    .h1(.text("长三角协同：联合检查")),
                    .p(
                        .class("muted small"),
                        .text("本市检查任务可与兄弟省局联合实施（人员交叉参与）：对方检查员列入检查组，双方均可查看检查进展；结案后对方可查看检查结论和缺陷项（不含证据记录）。")),
                    joints.isEmpty
                        ? .p(.class("muted"), .text("尚无联合检查。"))
                        : .table(
                            .class("data-table"),
                            .thead(.tr(.th("被检查单位"), .th("伙伴省份"), .th("计划月份"), .th("状态"), .th("上海检查员"), .th("伙伴省份检查员"))),
                            .tbody(
                                .forEach(joints) { joint in
                                    .tr(
                                        .td(.a(.href(SiteURL.deltaJoint(id: joint.id.uuidString).path), .text(joint.targetName))),
                                        .td(.text(joint.province.name)), .td(.text(joint.plannedMonth?.description ?? "—")),
                                        .td(.text(joint.status.label)), .td(.text(names(joint.shanghaiTeam))),
                                        .td(.text(names(joint.members.map(\.name)))))
                                }))
                ),
                .if(viewer.may(.writeDelta), planForm(plannable, typed: form == "joint" ? typed : nil, viewer: viewer)),
                .section(
                    .class("panel"),
                    .h2(.text("结果互认：伙伴省份的检查结果")),
                    .p(
                        .class("muted small"),
                        .text("兄弟省局对与其有跨省委托生产关系的本市企业作出的检查结果，经本局认定互认后，计入本市年度检查计划（视为已完成，注明对方文书编号）。")),
                    results.isEmpty
                        ? .p(.class("muted"), .text("尚无伙伴省份的检查结果。"))
                        : .table(
                            .class("data-table"),
                            .thead(.tr(.th("被检查单位"), .th("检查省份"), .th("检查类型"), .th("完成日期"), .th("结论"), .th("文书编号"), .th("互认"))),
                            .tbody(
                                .forEach(results) { result in
                                    .tr(
                                        .td(.a(.href(SiteURL.deltaResult(id: result.id.uuidString).path), .text(result.targetName))),
                                        .td(.text(result.province.name)), .td(.text(result.types.map(\.label).joined(separator: "、"))),
                                        .td(.text(result.completedOn.description)), .td(.text(result.conclusion.label)),
                                        .td(.text(result.reference)), .td(.text(result.status.label)))
                                }))
                ),
                .if(
                    viewer.may(.respondDelta) || viewer.may(.writeDelta),
                    resultForm(typed: form == "result" ? typed : nil, viewer: viewer))
            )
        )
    }

    private static func names(_ names: [String]) -> String { names.isEmpty ? "—" : names.joined(separator: "、") }

    private static func planForm(_ plannable: [(id: UUID, label: String)], typed: TypedForm?, viewer: Viewer) -> Node<HTML.BodyContext> {
        let inspection = Forms.Field("inspection", "检查任务", typed: typed, hint: "尚未实施的企业检查任务")
        let province = Forms.Field("province", "伙伴省份", typed: typed)
        let link = Forms.Field("link", "跨省委托生产关系编号", typed: typed, hint: "联合检查针对某一委托生产关系的，填写其编号（须涉及该省）", required: false)
        let note = Forms.Field("note", "说明", typed: typed, required: false)
        let members = Forms.Field("members", "伙伴省份检查员", typed: typed, hint: "已确定的可一并填写；也可由对方省局稍后填写", required: false)
        return .section(
            .class("panel"), .id("plan-joint"),
            .h2(.text("商定联合检查")),
            Forms.errorSummary([inspection, province, link, note, members], message: typed?.message),
            .form(
                .method(.post), .action(SiteURL.deltaJoints.path), Forms.csrf(viewer.csrfToken),
                Forms.select(inspection, options: plannable.map { .init(value: $0.id.uuidString, label: $0.label) }, blank: "请选择"),
                Forms.select(province, options: DeltaProvince.partners.map { .init(value: $0.rawValue, label: $0.regulator) }, blank: "请选择"),
                Forms.text(link, maxLength: 64), Forms.text(note, maxLength: 500),
                memberRows(members, typed: typed, rows: 3),
                .button(.class("button"), .type(.submit), .text("商定联合检查"))))
    }

    /// The partner inspectors' rows: 姓名, 单位, 职务 as parallel arrays, each row's errors at its field.
    private static func memberRows(_ field: Forms.Field, typed: TypedForm?, rows: Int, current: [JointMember] = []) -> Node<HTML.FormContext> {
        .element(
            named: "fieldset",
            nodes: [
                .class("field-rows"),
                .element(named: "legend", text: field.label),
                .unwrap(field.hint) { .p(.class("field-hint small muted"), .text($0)) },
                .unwrap(field.error) { .p(.class("field-error"), .text($0)) },
                .forEach(Array(0..<rows)) { row in
                    let member = row < current.count ? current[row] : nil
                    let name = Forms.Field(
                        name: "memberName[]", label: "第 \(row + 1) 名：姓名", value: typed?.values["memberName\(row)"] ?? member?.name ?? "",
                        error: typed?.error("members[\(row)].name"), id: "memberName\(row)")
                    let organisation = Forms.Field(
                        name: "memberOrganisation[]", label: "所在单位",
                        value: typed?.values["memberOrganisation\(row)"] ?? member?.organisation ?? "",
                        error: typed?.error("members[\(row)].organisation"), hint: "不填即为该省药品监督管理局", id: "memberOrganisation\(row)")
                    let title = Forms.Field(
                        name: "memberTitle[]", label: "职务或资格", value: typed?.values["memberTitle\(row)"] ?? member?.title ?? "",
                        error: typed?.error("members[\(row)].title"), id: "memberTitle\(row)")
                    return .div(
                        .class("field-row"), Forms.text(name, maxLength: 50), Forms.text(organisation, maxLength: 100),
                        Forms.text(title, maxLength: 50))
                },
            ])
    }

    private static func resultForm(typed: TypedForm?, viewer: Viewer) -> Node<HTML.BodyContext> {
        let province = Forms.Field("province", "检查所在省份", typed: typed)
        let creditCode = Forms.Field("creditCode", "被检查企业统一社会信用代码", typed: typed, hint: "与贵省企业有跨省委托生产关系的本市企业")
        let types = Forms.Field("types", "检查类型", typed: typed)
        let completedOn = Forms.Field("completedOn", "检查完成日期", typed: typed)
        let conclusion = Forms.Field("conclusion", "检查结论", typed: typed)
        let reference = Forms.Field("reference", "文书编号", typed: typed)
        let summary = Forms.Field("summary", "检查情况", typed: typed, hint: "检查范围和主要发现", required: false)
        let partner = viewer.may(.respondDelta)
        return .section(
            .class("panel"),
            .h2(.text(partner ? "报送检查结果（申请互认）" : "登记伙伴省份的检查结果")),
            Forms.errorSummary([province, creditCode, types, completedOn, conclusion, reference, summary], message: typed?.message),
            .form(
                .method(.post), .action(SiteURL.deltaResults.path), Forms.csrf(viewer.csrfToken),
                .if(
                    !partner,
                    Forms.select(province, options: DeltaProvince.partners.map { .init(value: $0.rawValue, label: $0.regulator) }, blank: "请选择")),
                Forms.text(creditCode, maxLength: 18),
                Forms.checkboxes(
                    types, options: JointRules.recognisable.map { .init(value: $0.rawValue, label: $0.label) }, selected: typed?.selected ?? []),
                Forms.text(completedOn, type: "date"),
                Forms.select(conclusion, options: InspectionConclusion.allCases.map { .init(value: $0.rawValue, label: $0.label) }, blank: "请选择"),
                Forms.text(reference, maxLength: 100), Forms.textarea(summary, maxLength: 1_000),
                .button(.class("button"), .type(.submit), .text(partner ? "报送" : "登记"))))
    }

    // MARK: One joint inspection

    static func joint(_ record: DeltaJointRecord, typed: TypedForm?, viewer: Viewer) -> String {
        let facts: [(String, String)] = [
            ("被检查单位", record.targetName + (record.targetUSCC.map { "（\($0)）" } ?? "")),
            ("检查类型", record.types.map(\.label).joined(separator: "、")), ("状态", record.status.label),
            ("计划月份", record.plannedMonth?.description ?? "—"),
            ("现场检查", record.onSiteFrom.map { "\($0) 至 \(record.onSiteTo?.description ?? "")" } ?? "—"),
            ("伙伴省份", record.province.regulator), ("跨省委托生产", record.linkProduct ?? "—"),
            ("商定", "\(record.plannedOn) \(record.plannedBy)"), ("说明", record.note ?? "—"),
        ]
        let members = Forms.Field("members", "伙伴省份检查员", typed: typed, hint: "1 至 \(JointRules.maximumMembers) 名；提交后替换原名单")
        let editable = record.takesTeam && (viewer.may(.respondDelta) || viewer.may(.writeDelta))
        return Layout.render(
            title: "联合检查：\(record.targetName)",
            section: .delta,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    DeltaPages.head(
                        back: .deltaInspections, "联合检查和结果互认", title: "\(record.targetName) 联合检查", message: typed?.message, facts: facts),
                    .if(
                        viewer.may(.readInspections),
                        .p(.class("small"), .a(.href(SiteURL.inspection(id: record.inspectionID.uuidString).path), .text("查看检查任务")))),
                    .h2(.text("检查组")),
                    .ul(
                        .li(.text("上海市药品监督管理局：" + names(record.shanghaiTeam))),
                        .li(
                            .text(
                                "\(record.province.regulator)："
                                    + names(record.members.map { "\($0.name)（\($0.organisation)\($0.title.map { "，\($0)" } ?? "")）" }))))
                ),
                .unwrap(record.conclusion) { conclusion in
                    .section(
                        .class("panel"),
                        .h2(.text("检查结论：\(conclusion.label)")),
                        .unwrap(record.conclusionReason) { .p(.text($0)) },
                        record.findings.isEmpty
                            ? .p(.class("muted"), .text("未发现缺陷。"))
                            : .table(
                                .class("data-table"),
                                .thead(.tr(.th("序号"), .th("条款"), .th("等级"), .th("描述"))),
                                .tbody(
                                    .forEach(record.findings) { finding in
                                        .tr(
                                            .td(.text(String(finding.number))), .td(.text(finding.clause)), .td(.text(finding.grade.label)),
                                            .td(.text(finding.description)))
                                    })))
                },
                .if(
                    editable,
                    .section(
                        .class("panel"),
                        .h2(.text("填写伙伴省份检查员")),
                        Forms.errorSummary([members], message: nil),
                        .form(
                            .method(.post), .action(SiteURL.deltaJointMembers(id: record.id.uuidString).path), Forms.csrf(viewer.csrfToken),
                            Forms.version(record.version), memberRows(members, typed: typed, rows: memberRowCount, current: record.members),
                            .button(.class("button"), .type(.submit), .text("保存检查员")))))
            )
        )
    }

    // MARK: One result

    static func result(_ record: DeltaResultRecord, typed: TypedForm?, viewer: Viewer) -> String {
        var facts: [(String, String)] = [
            ("被检查单位", "\(record.targetName)（\(record.targetUSCC)）"), ("检查省份", record.province.regulator),
            ("检查类型", record.types.map(\.label).joined(separator: "、")), ("完成日期", record.completedOn.description),
            ("检查结论", record.conclusion.label), ("文书编号", record.reference), ("检查情况", record.summary ?? "—"),
            ("报送", "\(record.recordedOn) \(record.recordedBy)"), ("互认", record.status.label),
        ]
        if let decidedOn = record.decidedOn {
            facts.append(("认定", "\(decidedOn) \(record.decidedBy ?? "")" + (record.declineReason.map { "：\($0)" } ?? "")))
        }
        let reason = Forms.Field("reason", "不予互认的理由", typed: typed)
        let undecided = record.status == .recorded && viewer.may(.writeDelta)
        return Layout.render(
            title: "伙伴省份检查结果：\(record.targetName)",
            section: .delta,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    DeltaPages.head(
                        back: .deltaInspections, "联合检查和结果互认", title: "\(record.targetName) 检查结果（\(record.province.name)）",
                        message: typed?.message, facts: facts),
                    .unwrap(record.inspectionID) { inspection in
                        .if(
                            viewer.may(.readInspections),
                            .p(.class("small"), .a(.href(SiteURL.inspection(id: inspection.uuidString).path), .text("查看计入本市计划的检查任务"))))
                    }
                ),
                .if(
                    undecided,
                    .section(
                        .class("panel"),
                        .h2(.text("认定")),
                        .p(
                            .class("muted small"),
                            .text("互认后，该企业本年度计划中同类型、尚未组建检查组的检查任务即以对方结果办结；没有待办任务的，另行记录一项已互认的检查。")),
                        .form(
                            .method(.post), .action(SiteURL.deltaResultRecognition(id: record.id.uuidString).path), Forms.csrf(viewer.csrfToken),
                            Forms.version(record.version), .button(.class("button"), .type(.submit), .text("予以互认"))),
                        Forms.errorSummary([reason], message: nil),
                        .form(
                            .method(.post), .action(SiteURL.deltaResultDeclination(id: record.id.uuidString).path), Forms.csrf(viewer.csrfToken),
                            Forms.version(record.version), Forms.text(reason, maxLength: 500),
                            .button(.class("button secondary"), .type(.submit), .text("不予互认")))))
            )
        )
    }
}
