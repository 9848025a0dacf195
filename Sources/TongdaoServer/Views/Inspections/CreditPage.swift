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
                        .text("信用事件包括检查结论、逾期未整改的缺陷、列入和移出重点监管名单、告诫约谈和行政处罚；各类事件的分值由信用规则确定，三年以前的事件列出但不计分。"))
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
}
