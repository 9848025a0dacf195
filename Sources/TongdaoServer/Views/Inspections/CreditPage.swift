import Foundation
import TongdaoCore
import TongdaoHTML
import TongdaoUseCases

/// A party's credit file (信用档案): the grade and its explanation, every event with its points, and
/// for the regulator the form that records 告诫约谈 or 行政处罚.
enum CreditPage {
    static func render(_ file: CreditFileRecord, form: InspectionTaskPages.StepForm?, viewer: Viewer) -> String {
        let assessment = file.assessment
        let path =
            file.kind == .trialInstitution ? SiteURL.trialInstitution(id: file.id.uuidString).path : SiteURL.enterprise(id: file.id.uuidString).path
        let level = assessment.grade == .a || assessment.grade == .b ? "green" : assessment.grade == .c ? "amber" : "red"
        return Layout.render(
            title: "信用档案：\(file.name)",
            section: .inspections,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    .div(
                        .class("panel-head"), .h1(.text("信用档案：")), .a(.href(path), .text(file.name)),
                        .span(.class("badge level-\(level)"), .text(assessment.grade.label))),
                    .p(.strong(.text("\(assessment.score) 分"))),
                    .p(.class("small"), .text(assessment.explanation)),
                    .p(
                        .class("muted small"),
                        .text("信用事件包括检查结论、逾期未整改的缺陷、列入和移出重点监管名单、告诫约谈和行政处罚；各类事件按发生之日施行的信用计分规则计分，\(assessment.years) 年以前的事件列出但不计分。"),
                        .a(.href(SiteURL.creditPolicy.path), .text("信用计分规则")))
                ),
                .section(
                    .class("panel"),
                    .h2(.text("信用事件")),
                    assessment.lines.isEmpty
                        ? .p(.class("muted"), .text("暂无信用事件。"))
                        : .table(
                            .class("data-table"),
                            .thead(.tr(.th("日期"), .th("事件"), .th("说明"), .th("分值"))),
                            .tbody(
                                .forEach(assessment.lines) { line in
                                    .tr(
                                        .td(.text(line.event.on.description)), .td(.text(line.event.kind.label)), .td(.text(line.event.detail)),
                                        .td(
                                            .text(
                                                line.expired
                                                    ? "已过期，不计分" : (line.points > 0 ? "+\(line.points)" : line.points == 0 ? "0" : "−\(-line.points)"))
                                        ))
                                })
                        )
                ),
                .if(file.mayRecord, recordForm(file, form: form, viewer: viewer))
            )
        )
    }

    private static func recordForm(_ file: CreditFileRecord, form: InspectionTaskPages.StepForm?, viewer: Viewer) -> Node<HTML.BodyContext> {
        let kind = Forms.Field(name: "kind", label: "事件", value: form?.value("kind") ?? "", error: form?.error("kind"), required: true)
        let on = Forms.Field(
            name: "occurredOn", label: "发生日期", value: form?.value("occurredOn") ?? "", error: form?.error("occurredOn"), required: true)
        let detail = Forms.Field(name: "detail", label: "事由", value: form?.value("detail") ?? "", error: form?.error("detail"), required: true)
        return .section(
            .class("panel"),
            .h2(.text("记录信用事件")),
            Forms.errorSummary([kind, on, detail]),
            .form(
                .method(.post), .action(SiteURL.creditEvents(kind: file.kind.rawValue, id: file.id.uuidString).path), Forms.csrf(viewer.csrfToken),
                Forms.select(
                    kind, options: CreditEventKind.allCases.filter(\.isRecordedByHand).map { .init(value: $0.rawValue, label: $0.label) },
                    blank: "请选择"),
                Forms.text(on, type: "date"),
                Forms.textarea(detail, maxLength: 500),
                .button(.class("button"), .type(.submit), .text("记录"))))
    }

    // MARK: The credit policy

    /// The credit policy: the version in force, every version, and for `city_admin` the form that
    /// puts a new one in force from a day (filled with the one in force, or with what was typed).
    static func policy(inForce: CreditPolicy, versions: [CreditPolicy], form: InspectionTaskPages.StepForm?, today: CivilDate, viewer: Viewer)
        -> String
    {
        Layout.render(
            title: "信用计分规则",
            section: .inspections,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    .h1(.text("信用计分规则")),
                    .p(
                        .class("muted small"),
                        .text("信用档案从基础分起算，每个信用事件按其发生之日施行的规则计分，计分年限以前的事件列出但不计分；等级按现行规则的最低分划分，低于 C 级最低分为 D 级。")),
                    .h2(.text("现行规则（\(inForce.effectiveFrom == CreditPolicy.standard.effectiveFrom ? "平台初始规则" : inForce.effectiveFrom + " 起施行")）")),
                    policyTable(inForce)
                ),
                .section(
                    .class("panel"),
                    .h2(.text("历次版本")),
                    versions.isEmpty
                        ? .p(.class("muted"), .text("尚未修改，施行平台初始规则。"))
                        : .table(
                            .class("data-table"),
                            .thead(.tr(.th("施行日期"), .th("基础分"), .th("计分年限"), .th("A / B / C 级最低分"))),
                            .tbody(
                                .forEach(versions.reversed()) { version in
                                    .tr(
                                        .td(.text(version.effectiveFrom)), .td(.text(String(version.base))), .td(.text("\(version.years) 年")),
                                        .td(.text("\(version.gradeA) / \(version.gradeB) / \(version.gradeC)")))
                                }))
                ),
                .if(viewer.may(.writeProcedure), policyForm(inForce, form: form, today: today, viewer: viewer))
            )
        )
    }

    private static func signed(_ points: Int) -> String { points > 0 ? "+\(points)" : points == 0 ? "0" : "−\(-points)" }

    private static func policyTable(_ policy: CreditPolicy) -> Node<HTML.BodyContext> {
        .table(
            .class("detail-table"),
            .tbody(
                .tr(.th("基础分"), .td(.text(String(policy.base)))),
                .tr(.th("计分年限"), .td(.text("\(policy.years) 年"))),
                .tr(.th("等级最低分"), .td(.text("A 级 \(policy.gradeA)，B 级 \(policy.gradeB)，C 级 \(policy.gradeC)"))),
                .forEach(CreditEventKind.allCases) { kind in .tr(.th(.text(kind.label)), .td(.text(signed(policy.points(for: kind))))) }
            ))
    }

    private static func policyForm(_ policy: CreditPolicy, form: InspectionTaskPages.StepForm?, today: CivilDate, viewer: Viewer) -> Node<
        HTML.BodyContext
    > {
        func field(_ name: String, _ label: String, _ value: String, hint: String? = nil) -> Forms.Field {
            Forms.Field(name: name, label: label, value: form?.values[name] ?? value, error: form?.error(name), hint: hint, required: true)
        }
        let figures = [
            field("effectiveFrom", "施行日期", today.description, hint: "今天或以后；同一天的版本将被替换"),
            field("base", "基础分", String(policy.base)), field("years", "计分年限（年）", String(policy.years)),
            field("gradeA", "A 级最低分", String(policy.gradeA)), field("gradeB", "B 级最低分", String(policy.gradeB)),
            field("gradeC", "C 级最低分", String(policy.gradeC)),
        ]
        let points = CreditEventKind.allCases.map { kind in
            field("points.\(kind.rawValue)", "“\(kind.label)”分值", String(policy.points(for: kind)), hint: "扣分填负数")
        }
        return .section(
            .class("panel"),
            .h2(.text("施行新版本")),
            Forms.errorSummary(figures + points, message: form?.message),
            .form(
                .method(.post), .action(SiteURL.creditPolicy.path), Forms.csrf(viewer.csrfToken),
                Forms.text(figures[0], type: "date"),
                .forEach(figures.dropFirst() + points) { Forms.text($0, maxLength: 5) },
                .button(.class("button"), .type(.submit), .text("保存"))))
    }
}
