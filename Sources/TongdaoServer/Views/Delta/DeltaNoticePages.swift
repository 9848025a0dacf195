import Foundation
import TongdaoCore
import TongdaoHTML
import TongdaoUseCases

/// Risk notices and requests for assistance to the partner provinces: the list with the form to send
/// one, and one notice with the partner's answer (or the form to give it).
enum DeltaNoticePages {
    /// "待答复（2026-12-10 前，预警）" — where an open notice stands, or when it was answered.
    static func standing(_ record: DeltaNoticeRecord) -> Node<HTML.BodyContext> {
        guard let level = record.level else {
            return .text("\(record.answeredOn?.description ?? "") 已答复" + (record.answeredLate ? "（逾期）" : ""))
        }
        return .group(.text("\(record.dueOn) 前答复 "), InspectionTaskPages.levelBadge(level))
    }

    static func list(_ records: [DeltaNoticeRecord], typed: TypedForm?, viewer: Viewer) -> String {
        Layout.render(
            title: "风险通报和协查请求",
            section: .delta,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    DeltaPages.tabs(),
                    .h1(.text("长三角协同：风险通报和协查请求")),
                    .p(
                        .class("muted small"),
                        .text("本局向兄弟省局发出风险通报或协查请求，限定答复时限（工作日，按法定节假日和调休计算，发出当日不计）；对方在平台上答复。临近时限的标为预警，逾期的标为超期。")),
                    .p(
                        .class("small"),
                        .a(.href(SiteURL.deltaNoticesExport(query: "format=xlsx").path), .text("导出 Excel")), .text(" · "),
                        .a(.href(SiteURL.deltaNoticesExport(query: "format=csv").path), .text("导出 CSV"))),
                    records.isEmpty
                        ? .p(.class("muted"), .text("尚无风险通报或协查请求。"))
                        : .table(
                            .class("data-table"),
                            .thead(.tr(.th("标题"), .th("类型"), .th("接收省份"), .th("涉及企业"), .th("发出日期"), .th("时限"), .th("答复"))),
                            .tbody(
                                .forEach(records) { record in
                                    .tr(
                                        .td(.a(.href(SiteURL.deltaNotice(id: record.id.uuidString).path), .text(record.subject))),
                                        .td(.text(record.kind.label)), .td(.text(record.province.name)), .td(.text(record.enterpriseName ?? "—")),
                                        .td(.text(record.sentOn.description)), .td(.text("\(record.workingDays) 个工作日")), .td(standing(record)))
                                }))
                ),
                .if(viewer.may(.writeDelta), sendForm(typed: typed, viewer: viewer))
            )
        )
    }

    private static func sendForm(typed: TypedForm?, viewer: Viewer) -> Node<HTML.BodyContext> {
        let kind = Forms.Field("kind", "类型", typed: typed)
        let province = Forms.Field("province", "接收省份", typed: typed)
        let subject = Forms.Field("subject", "标题", typed: typed)
        let body = Forms.Field("body", "内容", typed: typed, hint: "风险情况或需协查的事项、依据和要求")
        let creditCode = Forms.Field("creditCode", "涉及企业统一社会信用代码", typed: typed, hint: "须已在平台登记", required: false)
        let link = Forms.Field("link", "跨省委托生产关系编号", typed: typed, required: false)
        let sentOn = Forms.Field("sentOn", "发出日期", typed: typed, hint: "不填为今天；已书面发出的按实际日期登记", required: false)
        let days = Forms.Field("workingDays", "答复时限（工作日）", typed: typed, hint: "1 至 60 个工作日")
        return .section(
            .class("panel"), .id("send-notice"),
            .h2(.text("发出风险通报或协查请求")),
            Forms.errorSummary([kind, province, subject, body, creditCode, link, sentOn, days], message: typed?.message),
            .form(
                .method(.post), .action(SiteURL.deltaNotices.path), Forms.csrf(viewer.csrfToken),
                Forms.select(kind, options: DeltaNoticeKind.allCases.map { .init(value: $0.rawValue, label: $0.label) }, blank: "请选择"),
                Forms.select(province, options: DeltaProvince.partners.map { .init(value: $0.rawValue, label: $0.regulator) }, blank: "请选择"),
                Forms.text(subject, maxLength: 100), Forms.textarea(body, maxLength: 2_000), Forms.text(creditCode, maxLength: 18),
                Forms.text(link, maxLength: 64), Forms.text(sentOn, type: "date"), Forms.text(days, type: "number"),
                .button(.class("button"), .type(.submit), .text("发出"))))
    }

    static func show(_ record: DeltaNoticeRecord, typed: TypedForm?, viewer: Viewer) -> String {
        let facts: [(String, String)] = [
            ("类型", record.kind.label), ("接收方", record.province.regulator),
            ("涉及企业", record.enterpriseName.map { "\($0)（\(record.enterpriseUSCC ?? "")）" } ?? "—"), ("跨省委托生产", record.linkProduct ?? "—"),
            ("发出", "\(record.sentOn) \(record.sentBy)"), ("答复时限", "\(record.workingDays) 个工作日，\(record.dueOn) 前"),
        ]
        let answer = Forms.Field("answer", "答复", typed: typed, hint: "核查或处置情况、结论")
        return Layout.render(
            title: "\(record.kind.label)：\(record.subject)",
            section: .delta,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    .p(.class("small"), .a(.href(SiteURL.deltaNotices.path), .text("← 风险通报和协查请求"))),
                    .div(.class("panel-head"), .h1(.text(record.subject)), .span(.class("badge"), .text(record.status.label))),
                    .unwrap(typed?.message) { .p(.class("error-summary"), .text($0)) },
                    .dl(.class("facts"), .forEach(facts) { .group(.dt(.text($0.0)), .dd(.text($0.1))) }),
                    .p(.class("small"), standing(record)),
                    .div(.class("narrative"), .text(record.body))
                ),
                .unwrap(record.answer) { text in
                    .section(
                        .class("panel"),
                        .h2(.text("答复（\(record.answeredOn?.description ?? "") \(record.answeredBy ?? "")）")),
                        .div(.class("narrative"), .text(text)))
                },
                .if(
                    record.answer == nil && viewer.may(.respondDelta),
                    .section(
                        .class("panel"),
                        .h2(.text("答复")),
                        Forms.errorSummary([answer], message: nil),
                        .form(
                            .method(.post), .action(SiteURL.deltaNoticeAnswer(id: record.id.uuidString).path), Forms.csrf(viewer.csrfToken),
                            Forms.version(record.version), Forms.textarea(answer, maxLength: 2_000),
                            .button(.class("button"), .type(.submit), .text("提交答复")))))
            )
        )
    }
}
