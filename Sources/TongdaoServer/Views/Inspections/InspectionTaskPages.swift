import Foundation
import TongdaoCore
import TongdaoHTML
import TongdaoUseCases

/// Inspections as tasks (检查任务): the list, a new one for cause, and one inspection's page — its
/// facts, open steps, team, findings and timeline, and the form of each step the viewer may take
/// (the page works on a tablet: one column, large controls).
enum InspectionTaskPages {
    /// The list's filters as typed (codes; empty for all).
    struct Filter: Equatable {
        var status = ""
        var targetKind = ""
        var source = ""
        var year = ""

        func query(cursor: String? = nil) -> String? {
            SiteURL.query([("status", status), ("targetKind", targetKind), ("source", source), ("year", year), ("cursor", cursor)])
        }
    }

    /// A step's form as typed, with what the use case said of it (shown again on a refusal).
    struct StepForm {
        /// The step: `team`, `answer`, `notice`, `visit`, `findings`, `conclusion`, `close`, `cancel`,
        /// or a finding's `rectification`, `verification`, `raise`.
        var step: String
        var finding: UUID?
        var values: [String: String] = [:]
        var errors: [String: String] = [:]
        var message: String?

        func value(_ name: String) -> String { values[name] ?? "" }
        func error(_ name: String) -> String? { errors[name] }
    }

    static func levelBadge(_ level: ReviewClock.Level, _ text: String? = nil) -> Node<HTML.BodyContext> {
        .span(.class("badge level-\(level.rawValue)"), .text(text ?? level.label))
    }

    static func target(_ record: InspectionRecord) -> Node<HTML.BodyContext> {
        let path =
            switch record.targetKind {
            case .trialInstitution: SiteURL.trialInstitution(id: record.targetID.uuidString).path
            case .enterprise: SiteURL.enterprise(id: record.targetID.uuidString).path
            }
        return .a(.href(path), .text(record.targetName))
    }

    static func stepText(_ step: TaskProgress.Step) -> String { "\(step.kind.label) \(step.dueBy) 前" }

    // MARK: List

    static func list(_ page: Page<InspectionRecord>, filter: Filter, viewer: Viewer) -> String {
        Layout.render(
            title: "检查任务",
            section: .inspections,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    .div(
                        .class("panel-head"), .h1(.text("检查任务")),
                        .if(viewer.may(.manageInspections), .a(.class("button"), .href(SiteURL.inspectionNew.path), .text("新建检查任务")))),
                    .p(
                        .class("muted small"),
                        .text("每项检查从年度计划、临床试验预警（纳入检查重点）或有因检查而来，依次经过组建检查组、检查员确认无利益冲突、检查通知、现场检查、检查结论、整改与核实直至结案；各环节按工作日计时，临近期限显示黄色，超期显示红色。")),
                    .if(
                        viewer.may(.readInspectors),
                        .p(
                            .class("small"), .a(.href(SiteURL.inspectionPlan(year: nil, page: nil).path), .text("年度检查计划")), .text(" · "),
                            .a(.href(SiteURL.keySupervision(all: false).path), .text("重点监管名单")), .text(" · "),
                            .a(.href(SiteURL.inspectors(query: nil).path), .text("检查员库")))),
                    .if(
                        viewer.may(.readInspectionNotice),
                        .p(.class("small"), .a(.href(SiteURL.inspectionNotice(year: nil).path), .text("临床试验机构检查结果信息通报 →")))),
                    .form(
                        .method(.get), .action(SiteURL.inspections(query: nil).path), .class("filters"),
                        Forms.select(
                            .init(name: "status", label: "状态", value: filter.status),
                            options: InspectionStatus.allCases.map { .init(value: $0.rawValue, label: $0.label) }, blank: "全部"),
                        Forms.select(
                            .init(name: "targetKind", label: "检查对象", value: filter.targetKind),
                            options: InspectionTargetKind.allCases.map { .init(value: $0.rawValue, label: $0.label) }, blank: "全部"),
                        Forms.select(
                            .init(name: "source", label: "来源", value: filter.source),
                            options: InspectionSource.allCases.map { .init(value: $0.rawValue, label: $0.label) }, blank: "全部"),
                        Forms.text(.init(name: "year", label: "年度", value: filter.year), maxLength: 4),
                        .button(.class("button"), .type(.submit), .text("筛选"))
                    )
                ),
                .section(
                    .class("panel"),
                    page.items.isEmpty
                        ? .p(.class("muted"), .text("没有符合条件的检查任务。"))
                        : .table(
                            .class("data-table"),
                            .thead(.tr(.th("检查对象"), .th("检查类型"), .th("来源"), .th("计划月份"), .th("状态"), .th("组长"), .th("下一步"))),
                            .tbody(
                                .forEach(page.items) { record in
                                    .tr(
                                        .td(.a(.href(SiteURL.inspection(id: record.id.uuidString).path), .text(record.targetName))),
                                        .td(.text(record.typesLabel)), .td(.text(record.source.label)),
                                        .td(.text(record.plannedMonth?.description ?? "—")), .td(.text(record.status.label)),
                                        .td(.text(record.lead?.name ?? "—")),
                                        .td(
                                            .unwrap(record.steps.first) { step in .group(levelBadge(step.level), .text(" " + stepText(step))) }
                                        ))
                                })
                        ),
                    .unwrap(page.next) { cursor in
                        .p(.a(.class("button"), .href(SiteURL.inspections(query: filter.query(cursor: cursor)).path), .text("下一页")))
                    }
                )
            )
        )
    }

    // MARK: A new one for cause, or a licence inspection

    static func new(targets: [(id: UUID, kind: InspectionTargetKind, name: String)], form: StepForm, viewer: Viewer) -> String {
        func field(_ name: String, _ label: String, error: String? = nil, hint: String? = nil, required: Bool = false) -> Forms.Field {
            Forms.Field(name: name, label: label, value: form.value(name), error: form.error(error ?? name), hint: hint, required: required)
        }
        let type = field("type", "检查类型", required: true)
        let target = field("target", "检查对象", error: "targetID", required: true)
        let month = field("plannedMonth", "计划月份", hint: "YYYY-MM，不填为本月")
        let reason = field("reason", "检查事由", hint: "有因检查必填；生产许可现场检查可不填")
        let address = field("address", "生产地址", hint: "仅生产许可现场检查填写：与注册体系核查地址相同且符合条件的，可减免现场检查")
        let procured = field("centrallyProcured", "集中带量采购中选产品（全项目检查，不予减免）")
        return Layout.render(
            title: "新建检查任务",
            section: .inspections,
            viewer: viewer,
            content: .section(
                .class("panel"),
                .p(.class("small"), .a(.href(SiteURL.inspections(query: nil).path), .text("← 检查任务"))),
                .h1(.text("新建检查任务")),
                .p(.class("muted small"), .text("有因检查，或新开办医疗器械生产企业的生产许可现场检查。年度计划内的检查由检查计划生成。")),
                Forms.errorSummary([type, target, month, reason, address, procured], message: form.message),
                .form(
                    .method(.post), .action(SiteURL.inspections(query: nil).path),
                    Forms.csrf(viewer.csrfToken),
                    Forms.select(
                        type, options: [InspectionType.forCause, .licence].map { .init(value: $0.rawValue, label: $0.label) }),
                    Forms.select(
                        target,
                        options: targets.map { .init(value: "\($0.kind.rawValue):\($0.id.uuidString)", label: "\($0.name)（\($0.kind.label)）") },
                        blank: "请选择"),
                    Forms.text(month, maxLength: 7),
                    Forms.textarea(reason, maxLength: 500),
                    Forms.text(address, maxLength: 200),
                    Forms.checkbox(procured),
                    .button(.class("button"), .type(.submit), .text("创建"))
                )
            )
        )
    }

    // MARK: One inspection

    static func show(
        _ record: InspectionRecord, proposal: TeamProposal?, joint: DeltaJointRecord? = nil, form: StepForm?, today: CivilDate, viewer: Viewer
    ) -> String {
        let facts: [(String, String?)] = [
            ("检查类型", record.typesLabel), ("来源", record.source.label), ("事由", record.reason),
            ("计划月份", record.plannedMonth?.description), ("应检日期", record.dueBy?.description), ("通知日期", record.noticeOn?.description),
            ("现场检查", record.onSiteFrom.map { from in "\(from) 至 \(record.onSiteTo?.description ?? "")" }),
            ("检查结论", record.conclusion.map { conclusion in "\(conclusion.label)（\(record.conclusionReason ?? "")）" }),
            ("检查报告摘要", record.report), ("结案日期", record.closedOn?.description), ("生产地址", record.address),
            ("集中带量采购中选产品", record.address == nil ? nil : (record.centrallyProcured ? "是（全项目检查）" : "否")),
            ("减免依据", record.waiverBasis),
        ]
        return Layout.render(
            title: "检查：\(record.targetName)",
            section: .inspections,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    .p(.class("small"), .a(.href(SiteURL.inspections(query: nil).path), .text("← 检查任务"))),
                    .div(.class("panel-head"), .h1(target(record)), .span(.class("badge"), .text(record.status.label)), levelBadge(record.level)),
                    .if(
                        viewer.may(.readCredit) && record.reader != .observer,
                        .p(
                            .class("small"),
                            .a(.href(SiteURL.credit(kind: record.targetKind.rawValue, id: record.targetID.uuidString).path), .text("信用档案")))),
                    .unwrap(form?.message) { .p(.class("form-error"), .attribute(named: "role", value: "alert"), .text($0)) },
                    .table(
                        .class("detail-table"),
                        .tbody(
                            .forEach(facts.compactMap { label, value in value.map { (label, $0) } }) { label, value in
                                .tr(.th(.text(label)), .td(.text(value)))
                            })
                    ),
                    record.steps.isEmpty
                        ? .empty
                        : .group(
                            .h2(.text("待办环节")),
                            .ul(.forEach(record.steps) { step in .li(levelBadge(step.level), .text(" " + stepText(step))) }))
                ),
                team(record, proposal: proposal, form: form, viewer: viewer),
                .unwrap(joint) { joint in
                    .section(
                        .class("panel"),
                        .h2(.text("长三角联合检查：\(joint.province.regulator)")),
                        .p(
                            .text(
                                "对方检查员："
                                    + (joint.members.isEmpty
                                        ? "尚未确定" : joint.members.map { "\($0.name)（\($0.organisation)）" }.joined(separator: "、")))),
                        .p(.class("small"), .a(.href(SiteURL.deltaJoint(id: joint.id.uuidString).path), .text("联合检查详情"))))
                },
                actions(record, form: form, viewer: viewer),
                findings(record, form: form, today: today, viewer: viewer),
                timeline(record)
            )
        )
    }

    private static func team(_ record: InspectionRecord, proposal: TeamProposal?, form: StepForm?, viewer: Viewer) -> Node<HTML.BodyContext> {
        .section(
            .class("panel"),
            .h2(.text("检查组")),
            record.team.isEmpty
                ? .p(.class("muted"), .text("尚未组建检查组。"))
                : .table(
                    .class("data-table"),
                    .thead(.tr(.th("姓名"), .th("职责"), .th("状态"), .th("邀请日期"), .th("答复日期"), .th("说明"), .th("评分"))),
                    .tbody(
                        .forEach(record.team) { member in
                            .tr(
                                .td(
                                    viewer.may(.readInspectors)
                                        ? .a(.href(SiteURL.inspector(id: member.inspectorID.uuidString).path), .text(member.name))
                                        : .text(member.name)),
                                .td(.text(member.role.label)), .td(.text(member.state.label)), .td(.text(member.invitedOn.description)),
                                .td(.text(member.answeredOn?.description ?? "—")),
                                .td(
                                    .text(
                                        [
                                            member.answerNote, member.overriddenConflicts.map { "回避事由：\($0)" },
                                            member.overrideReason.map { "豁免理由：\($0)" },
                                        ].compactMap { $0 }.joined(separator: "；"))),
                                .td(
                                    .text(
                                        [member.rating.map { "\($0) 分" }, member.onTime.map { $0 ? "按时" : "超时" }].compactMap { $0 }.joined(
                                            separator: "，"))))
                        })
                ),
            .if(
                record.may.manage && [.planned, .staffing, .staffed].contains(record.status),
                teamForm(record, proposal: proposal, form: form, viewer: viewer))
        )
    }

    /// The team's form: the proposal's lead and members chosen, every holder left out listed with
    /// the reason, and a field for the reason to send them all the same.
    private static func teamForm(_ record: InspectionRecord, proposal: TeamProposal?, form: StepForm?, viewer: Viewer) -> Node<HTML.BodyContext> {
        guard let proposal else { return .empty }
        let typed = form?.step == "team" ? form : nil
        let onTeam = record.team.filter(\.state.isOnTeam)
        let chosenLead = typed?.value("lead") ?? (onTeam.first { $0.role == .lead }?.inspectorID ?? proposal.lead?.id)?.uuidString ?? ""
        let chosen = Set(
            (typed?.value("members").split(separator: ",").map(String.init))
                ?? (onTeam.isEmpty ? proposal.members.map(\.id.uuidString) : onTeam.map(\.inspectorID.uuidString)))
        var candidates = proposal.team.map { ($0, [String]()) } + proposal.excluded.map { ($0.candidate, $0.reasons) }
        for member in onTeam where !candidates.contains(where: { $0.0.id == member.inspectorID }) {
            candidates.append(
                (
                    TeamCandidate(
                        id: member.inspectorID, name: member.name, specialties: [], rank: member.role, fullTime: false, capacityDays: 0,
                        ties: .init(employments: [], relationships: []), load: 0), []
                ))
        }
        let lead = Forms.Field(name: "lead", label: "组长", value: chosenLead, error: typed?.error("lead"), required: true)
        let errors = (typed?.errors ?? [:]).filter { $0.key.hasPrefix("members") }.sorted { $0.key < $1.key }.map(\.value)
        return .group(
            .h3(.text(onTeam.isEmpty ? "组建检查组" : "调整检查组")),
            .p(
                .class("muted small"),
                .text(
                    "系统按所需专业推荐负荷最轻的检查员；存在利益冲突（现任职、离职未满回避年限、申报的利益关系）或本年度检查天数已满者不予推荐，并列明原因。确需派出存在利益冲突的检查员，须填写豁免理由，记入审计日志。"
                        + (proposal.uncovered.isEmpty ? "" : "无人可派的专业：\(proposal.uncovered.map(\.label).joined(separator: "、"))。"))),
            .ul(.class("form-errors"), .forEach(errors) { .li(.class("form-error"), .text($0)) }),
            .form(
                .method(.post), .action(SiteURL.inspectionStep(id: record.id.uuidString, step: "team").path),
                Forms.csrf(viewer.csrfToken),
                Forms.version(record.version),
                Forms.select(
                    lead, options: candidates.filter { $0.0.rank == .lead }.map { .init(value: $0.0.id.uuidString, label: $0.0.name) }, blank: "请选择"),
                .table(
                    .class("data-table"),
                    .thead(.tr(.th("成员"), .th("专业"), .th("本年度任务"), .th("不予推荐的原因"), .th("豁免理由"))),
                    .tbody(.forEach(candidates) { candidateRow($0.0, reasons: $0.1, checked: chosen.contains($0.0.id.uuidString), typed: typed) })
                ),
                .button(.class("button"), .type(.submit), .text("派出检查组"))
            )
        )
    }

    /// A candidate's row in the team's form: the box, specialties, load, why not proposed, and the
    /// field for the reason to send them all the same.
    private static func candidateRow(_ candidate: TeamCandidate, reasons: [String], checked: Bool, typed: StepForm?) -> Node<HTML.TableContext> {
        let id = candidate.id.uuidString
        let name: String = candidate.name + (candidate.rank == .lead ? "（可任组长）" : "")
        let box: Node<HTML.BodyContext> = .input(
            .type(.checkbox), .name("members[]"), .value(id), .id("member-\(id)"), .if(checked, .attribute(named: "checked", value: "checked")))
        let specialties: String = candidate.specialties.map(\.label).joined(separator: "、")
        let override: Node<HTML.BodyContext> =
            reasons.isEmpty
            ? .text("")
            : .group(
                .input(.type(.hidden), .name("overrideID[]"), .value(id)),
                .input(
                    .type(.text), .name("overrideReason[]"), .attribute(named: "maxlength", value: "500"),
                    .value(typed?.value("override-\(id)") ?? ""),
                    .attribute(named: "aria-label", value: "\(candidate.name)的豁免理由")))
        return .tr(
            .td(.label(box, .text(" " + name))), .td(.text(specialties)), .td(.text(String(candidate.load))),
            .td(.text(reasons.joined(separator: "；"))),
            .td(override))
    }

    /// A finding's state and days, in one line.
    private static func findingDays(_ finding: InspectionRecord.Finding) -> String {
        var parts: [String] = ["状态：\(finding.stateLabel)"]
        if let day = finding.rectifyBy { parts.append("整改期限 \(day)") }
        if let day = finding.submittedOn { parts.append("提交于 \(day)") }
        if let day = finding.verifiedOn { parts.append("核实于 \(day)") }
        return parts.joined(separator: " · ")
    }

    /// One member's rating in the closing form.
    private static func ratingField(_ member: InspectionRecord.Member, form: StepForm) -> Node<HTML.FormContext> {
        let id = member.inspectorID.uuidString
        let field = Forms.Field(
            name: "rating[]", label: "\(member.name)的评分", value: form.value("rating-\(id)"), error: form.error("ratings.\(id)"), id: "rating-\(id)")
        let options: [Forms.Option] = InspectionTaskPolicy.ratings.reversed().map { Forms.Option(value: String($0), label: "\($0) 分") }
        return .group(.input(.type(.hidden), .name("ratingID[]"), .value(id)), Forms.select(field, options: options, blank: "不评分"))
    }

    /// The forms of the steps the viewer may take now.
    private static func actions(_ record: InspectionRecord, form: StepForm?, viewer: Viewer) -> Node<HTML.BodyContext> {
        let id = record.id.uuidString
        func typed(_ step: String) -> StepForm { form?.step == step ? form! : StepForm(step: step) }
        func field(_ form: StepForm, _ name: String, _ label: String, required: Bool = false, hint: String? = nil) -> Forms.Field {
            Forms.Field(name: name, label: label, value: form.value(name), error: form.error(name), hint: hint, required: required)
        }
        func post(_ step: String, _ button: String, _ fields: [Forms.Field], _ controls: Node<HTML.FormContext>, version: Bool = false) -> Node<
            HTML.BodyContext
        > {
            .group(
                Forms.errorSummary(fields, message: form?.step == step ? form?.errors["status"] : nil),
                .form(
                    .method(.post), .action(SiteURL.inspectionStep(id: id, step: step).path), Forms.csrf(viewer.csrfToken),
                    .if(version, Forms.version(record.version)), controls, .button(.class("button"), .type(.submit), .text(button))))
        }
        var forms: [Node<HTML.BodyContext>] = []
        if record.may.answer {
            let answer = typed("answer")
            let declare = Forms.Field(
                name: "declareNoConflict", label: "本人声明：与被检查单位不存在任职、离职未满回避年限或其他利益关系", value: answer.value("declareNoConflict"),
                error: answer.error("declareNoConflict"))
            let note = field(answer, "note", "回避或谢绝的理由", hint: "谢绝或主动回避时填写")
            forms.append(
                .group(
                    .h3(.text("确认检查任务")),
                    post(
                        "answer", "提交答复", [declare, note],
                        .group(
                            Forms.select(
                                Forms.Field(name: "accept", label: "答复", value: answer.value("accept"), required: true),
                                options: [.init(value: "true", label: "接受任务"), .init(value: "false", label: "谢绝或回避")]),
                            Forms.checkbox(declare), Forms.textarea(note, maxLength: 500)))))
        }
        if record.may.lead && record.status == .staffed {
            let notice = typed("notice")
            let fields = [
                field(notice, "noticeOn", "通知日期", required: true), field(notice, "onSiteFrom", "现场检查开始日期", required: true),
                field(notice, "onSiteTo", "现场检查结束日期", required: true),
            ]
            forms.append(
                .group(.h3(.text("发出检查通知")), post("notice", "发出通知", fields, .group(.forEach(fields) { Forms.text($0, type: "date") }), version: true))
            )
        }
        if record.may.conduct && record.status == .notified {
            let visit = typed("visit")
            let from = field(visit, "onSiteFrom", "现场检查开始日期", required: true)
            forms.append(.group(.h3(.text("开始现场检查")), post("visit", "开始现场检查", [from], Forms.text(from, type: "date"))))
        }
        if record.may.conduct && record.status == .onSite {
            let finding = typed("findings")
            let clause = field(finding, "clause", "依据条款", required: true, hint: "如《药物临床试验质量管理规范》第二十三条")
            let grade = field(finding, "grade", "缺陷等级", required: true)
            let description = field(finding, "description", "缺陷描述", required: true)
            let evidence = field(finding, "evidence", "证据记录", hint: "结案前仅监管人员和检查组可见")
            forms.append(
                .group(
                    .h3(.text("记录检查发现")),
                    post(
                        "findings", "记录", [clause, grade, description, evidence],
                        .group(
                            Forms.text(clause, maxLength: FindingInput.mostClauseCharacters),
                            Forms.select(
                                grade, options: FindingGrade.allCases.reversed().map { .init(value: $0.rawValue, label: $0.label) }, blank: "请选择"),
                            Forms.textarea(description, maxLength: FindingInput.mostTextCharacters),
                            Forms.textarea(evidence, maxLength: FindingInput.mostEvidenceCharacters)))))
        }
        if record.may.lead && record.status == .onSite {
            let conclusion = typed("conclusion")
            let to = field(conclusion, "onSiteTo", "现场检查结束日期", required: true)
            let stated = field(conclusion, "conclusion", "检查结论", hint: "不选则按判定规则自动得出；所选结论与规则不符时不予保存")
            let report = field(conclusion, "report", "检查报告摘要")
            forms.append(
                .group(
                    .h3(.text("作出检查结论")),
                    post(
                        "conclusion", "作出结论", [to, stated, report],
                        .group(
                            Forms.text(to, type: "date"),
                            Forms.select(
                                stated, options: InspectionConclusion.allCases.map { .init(value: $0.rawValue, label: $0.label) }, blank: "按规则得出"),
                            Forms.textarea(report, maxLength: FindingInput.mostEvidenceCharacters)), version: true)))
        }
        if record.may.lead && record.status == .rectifying {
            let close = typed("close")
            let members = record.team.filter { $0.state == .accepted && $0.role == .member }
            forms.append(
                .group(
                    .h3(.text("结案")),
                    .p(.class("muted small"), .text("每项发现整改核实通过或整改期限届满后方可结案；届满未整改的记为逾期未整改。组长为组员评分（1–5 分）。")),
                    post(
                        "close", "结案", [Forms.Field(name: "findings", label: "检查发现", error: close.error("findings"))],
                        .group(.forEach(members) { ratingField($0, form: close) }), version: true)))
        }
        if record.may.manage, let waiver = record.waiver {
            forms.append(waiverForm(waiver, post: post, field: { field(typed("waiver"), $0, $1, hint: $2) }))
        }
        if record.may.manage && record.status.isBeforeVisit {
            let cancel = typed("cancel")
            let reason = field(cancel, "reason", "取消理由", required: true)
            forms.append(.group(.h3(.text("取消检查")), post("cancel", "取消检查", [reason], Forms.textarea(reason, maxLength: 500), version: true)))
        }
        guard !forms.isEmpty else { return .empty }
        return .section(.class("panel"), .h2(.text("办理")), .group(forms))
    }

    /// The licence-inspection waiver: each condition, and the form that uses it when all hold.
    private static func waiverForm(
        _ waiver: LicenceWaiver.Assessment, post: (String, String, [Forms.Field], Node<HTML.FormContext>, Bool) -> Node<HTML.BodyContext>,
        field: (String, String, String?) -> Forms.Field
    ) -> Node<HTML.BodyContext> {
        let note = field("note", "减免说明", "可不填")
        return .group(
            .h3(.text("减免生产许可现场检查")),
            waiverConditions(waiver),
            waiver.eligible
                ? post("waiver", "减免现场检查", [note, field("waiver", "减免条件", nil)], Forms.textarea(note, maxLength: 500), true)
                : .p(.class("muted small"), .text("不符合减免条件，应按期实施现场检查。")))
    }

    /// The waiver's conditions, each met or not, with why.
    static func waiverConditions(_ waiver: LicenceWaiver.Assessment) -> Node<HTML.BodyContext> {
        .ul(
            .forEach(waiver.conditions) { condition in
                .li(
                    levelBadge(condition.met ? .green : .red, condition.met ? "符合" : "不符合"),
                    .text(" \(condition.label)：\(condition.detail)"))
            })
    }

    private static func findings(_ record: InspectionRecord, form: StepForm?, today: CivilDate, viewer: Viewer) -> Node<HTML.BodyContext> {
        guard let findings = record.findings else {
            return record.status == .onSite
                ? .section(.class("panel"), .h2(.text("检查发现")), .p(.class("muted"), .text("检查发现在作出检查结论后告知被检查单位。")))
                : .empty
        }
        return .section(
            .class("panel"),
            .h2(.text("检查发现（\(findings.count)）")),
            findings.isEmpty
                ? .p(.class("muted"), .text("未发现缺陷。"))
                : .group(
                    .forEach(findings) { finding in
                        findingArticle(finding, record: record, typed: form?.finding == finding.id ? form : nil, today: today, viewer: viewer)
                    })
        )
    }

    /// One finding: what was found, its evidence for those who read it, its rectification and the
    /// forms of its steps.
    private static func findingArticle(
        _ finding: InspectionRecord.Finding, record: InspectionRecord, typed: StepForm?, today: CivilDate, viewer: Viewer
    ) -> Node<HTML.BodyContext> {
        let id = record.id.uuidString
        func post(_ step: String, _ button: String, _ fields: [Forms.Field], _ controls: Node<HTML.FormContext>) -> Node<HTML.BodyContext> {
            .group(
                Forms.errorSummary(fields, message: typed?.step == step ? typed?.errors["finding"] ?? typed?.errors["status"] : nil),
                .form(
                    .method(.post), .action(SiteURL.findingStep(id: id, finding: finding.id.uuidString, step: step).path),
                    Forms.csrf(viewer.csrfToken), controls, .button(.class("button"), .type(.submit), .text(button))))
        }
        func field(_ step: String, _ name: String, _ label: String, required: Bool = false) -> Forms.Field {
            let own = typed?.step == step ? typed : nil
            return Forms.Field(
                name: name, label: label, value: own?.value(name) ?? "", error: own?.error(name), required: required,
                id: "\(step)-\(name)-\(finding.number)")
        }
        let open = finding.verifiedOn == nil && !finding.unresolved && record.status == .rectifying
        let rectification = field("rectification", "rectification", "整改情况", required: true)
        let note = field("verification", "note", "核实意见")
        let raise = field("raise", "reason", "升级理由", required: true)
        return .div(
            .class("finding"), .id("finding-\(finding.id.uuidString)"),
            .h3(.text("第 \(finding.number) 项 · \(finding.grade.label) · \(finding.clause)")),
            .p(.text(finding.description)),
            .unwrap(finding.evidence) { .p(.class("small"), .strong(.text("证据记录：")), .text($0)) },
            .unwrap(finding.raisedReason) { reason in
                .p(.class("small"), .text("由\(finding.originalGrade.label)升级（\(finding.raisedOn?.description ?? "")）：\(reason)"))
            },
            .p(.class("small"), .text(findingDays(finding))),
            .unwrap(finding.rectification) { .p(.class("small"), .strong(.text("整改情况：")), .text($0)) },
            .unwrap(finding.verificationNote) { .p(.class("small"), .strong(.text("核实意见：")), .text($0)) },
            .if(
                open && record.may.rectify && finding.submittedOn == nil,
                post("rectification", "提交整改情况", [rectification], Forms.textarea(rectification, maxLength: FindingInput.mostTextCharacters))),
            .if(
                open && record.may.conduct && finding.submittedOn != nil,
                post(
                    "verification", "提交核实意见", [note],
                    .group(
                        Forms.select(
                            Forms.Field(name: "accepted", label: "核实结论", value: typed?.value("accepted") ?? "", id: "accepted-\(finding.number)"),
                            options: [.init(value: "true", label: "整改到位"), .init(value: "false", label: "退回重新整改")]),
                        Forms.textarea(note, maxLength: 500)))),
            .if(
                open && record.may.lead && finding.grade.raised != nil && (finding.rectifyBy.map { $0 < today } ?? false),
                post("raise", "升级为\(finding.grade.raised?.label ?? "")", [raise], Forms.textarea(raise, maxLength: 500)))
        )
    }

    private static func timeline(_ record: InspectionRecord) -> Node<HTML.BodyContext> {
        .section(
            .class("panel"),
            .h2(.text("办理记录")),
            .table(
                .class("data-table"),
                .thead(.tr(.th("日期"), .th("环节"), .th("说明"), .th("办理人"))),
                .tbody(
                    .forEach(record.events) { event in
                        .tr(
                            .td(.text(event.occurredOn.description)), .td(.text(event.kind.label)), .td(.text(event.detail ?? "")),
                            .td(.text(event.by)))
                    })
            )
        )
    }

    // MARK: Inbox

    /// The inbox's section: inspections with a step amber or red, and invitations to answer.
    static func inboxSection(_ records: [InspectionRecord]) -> Node<HTML.BodyContext> {
        .section(
            .class("panel"),
            .h2(.text("检查任务（\(records.count)）")),
            records.isEmpty
                ? .p(.class("muted"), .text("目前没有待处理的检查任务。"))
                : .table(
                    .class("data-table"),
                    .thead(.tr(.th("检查对象"), .th("状态"), .th("待办环节"))),
                    .tbody(
                        .forEach(records) { record in
                            .tr(
                                .td(.a(.href(SiteURL.inspection(id: record.id.uuidString).path), .text(record.targetName))),
                                .td(.text(record.status.label)),
                                .td(
                                    record.may.answer
                                        ? .text("请确认是否接受检查任务")
                                        : .group(
                                            .forEach(record.steps.filter { $0.level != .green }) { step in
                                                .div(levelBadge(step.level), .text(" " + stepText(step)))
                                            })))
                        })
                )
        )
    }
}
