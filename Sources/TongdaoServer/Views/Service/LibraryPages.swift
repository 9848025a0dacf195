import Foundation
import TongdaoCore
import TongdaoHTML
import TongdaoUseCases

/// The FAQ and case library (常见问题 / 案例): the search, the review queue, an entry with its
/// review, and the form that writes or changes one.
enum LibraryPages {
    /// What the search form holds.
    struct Query {
        var text: String
        var kind: String
        var topic: String
        var productCategory: String
        var sort: String
    }

    static func search(_ records: [LibraryEntryRecord], query: Query, topics: [ServiceTopic], waiting: Int, viewer: Viewer) -> String {
        Layout.render(
            title: "常见问题与案例",
            section: .service,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    AppointmentPages.links(viewer),
                    .h1(.text("常见问题与案例")),
                    .p(
                        .class("muted small"),
                        .text("服务工作站和市药监局整理的常见问题和过往案例，经审核、去除企业信息后发布，帮助企业少走弯路。输入问题即可检索，不必与原文用词一致。")),
                    .if(
                        viewer.may(.writeLibrary),
                        .p(
                            .class("small"), .a(.href(SiteURL.libraryNew(consultation: nil).path), .text("编写条目")), .text(" · "),
                            .a(.href(SiteURL.libraryDrafts(query: nil).path), .text("待审核（\(waiting)）")))),
                    .form(
                        .method(.get), .action(SiteURL.library(query: nil).path), .class("filters"),
                        Forms.text(Forms.Field(name: "q", label: "检索", value: query.text, hint: "例如：创新医疗器械特别审查要准备哪些材料"), maxLength: 200),
                        Forms.select(
                            Forms.Field(name: "kind", label: "类型", value: query.kind),
                            options: LibraryKind.allCases.map { .init(value: $0.rawValue, label: $0.label) }, blank: "全部"),
                        Forms.select(
                            Forms.Field(name: "topic", label: "主题", value: query.topic),
                            options: topics.map { .init(value: $0.code, label: $0.label) },
                            blank: "全部"),
                        Forms.select(
                            Forms.Field(name: "productCategory", label: "产品类别", value: query.productCategory),
                            options: ProductCategory.allCases.map { .init(value: $0.rawValue, label: $0.label) }, blank: "全部"),
                        Forms.select(
                            Forms.Field(name: "sort", label: "排序", value: query.sort),
                            options: [.init(value: "recent", label: "最新发布"), .init(value: "views", label: "阅读最多")], blank: nil),
                        .button(.class("button"), .type(.submit), .text("检索")))
                ),
                .section(
                    .class("panel"),
                    records.isEmpty
                        ? .p(.class("muted"), .text(query.text.isEmpty ? "尚无已发布的条目。" : "没有找到相关的常见问题或案例，可以换一种说法，或提出咨询。"))
                        : .ol(
                            .class("library-results"),
                            .forEach(records) { record in
                                .li(
                                    .a(.href(SiteURL.libraryEntry(id: record.id.uuidString).path), .text(record.title)),
                                    .div(
                                        .class("small muted"),
                                        .text(
                                            [record.kind.label, record.topicLabel, record.productCategory?.label, "阅读 \(record.views) 次"]
                                                .compactMap { $0 }.joined(separator: " · "))),
                                    .p(.class("small"), .text(snippet(record.answer))))
                            })
                )
            )
        )
    }

    /// The first words of an answer, for a list.
    static func snippet(_ text: String) -> String {
        let line = text.replacingOccurrences(of: "\n", with: " ")
        return line.count > 120 ? String(line.prefix(120)) + "…" : line
    }

    static func drafts(_ records: [LibraryEntryRecord], status: String?, viewer: Viewer) -> String {
        Layout.render(
            title: "常见问题与案例：审核",
            section: .service,
            viewer: viewer,
            content: .section(
                .class("panel"),
                .p(.class("small"), .a(.href(SiteURL.library(query: nil).path), .text("← 常见问题与案例"))),
                .h1(.text("常见问题与案例：\((status.flatMap(LibraryStatus.init(rawValue:)) ?? .draft).label)")),
                .form(
                    .method(.get), .action(SiteURL.libraryDrafts(query: nil).path), .class("filters"),
                    Forms.select(
                        Forms.Field(name: "status", label: "状态", value: status ?? LibraryStatus.draft.rawValue),
                        options: LibraryStatus.allCases.map { .init(value: $0.rawValue, label: $0.label) }),
                    .button(.class("button"), .type(.submit), .text("筛选"))),
                records.isEmpty
                    ? .p(.class("muted"), .text("没有该状态的条目。"))
                    : .table(
                        .class("data-table"),
                        .thead(.tr(.th("标题"), .th("类型"), .th("主题"), .th("编写"), .th("来源"))),
                        .tbody(
                            .forEach(records) { record in
                                .tr(
                                    .td(.a(.href(SiteURL.libraryEntry(id: record.id.uuidString).path), .text(record.title))),
                                    .td(.text(record.kind.label)), .td(.text(record.topicLabel)),
                                    .td(.text("\(record.draftedOn) \(record.desk) \(record.author)")),
                                    .td(.text(record.consultationID == nil ? "—" : "由咨询整理")))
                            }))
            )
        )
    }

    static func show(_ record: LibraryEntryRecord, typed: TypedForm?, step: String?, viewer: Viewer) -> String {
        let facts: [(String, String)] = [
            ("类型", record.kind.label), ("主题", record.topicLabel), ("产品类别", record.productCategory?.label ?? "—"),
            ("状态", record.status.label), ("编写", "\(record.draftedOn) \(record.desk) \(record.author)"),
            ("审核发布", record.publishedOn.map { "\($0) \(record.reviewer ?? "")" } ?? "—"), ("阅读次数", "\(record.views)"),
        ]
        let headings = record.kind == .faq ? ("问题", "解答") : ("案情", "处理与启示")
        let writer = viewer.may(.writeLibrary)
        let publisher = viewer.may(.publishLibrary)
        return Layout.render(
            title: record.title,
            section: .service,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    .p(.class("small"), .a(.href(SiteURL.library(query: nil).path), .text("← 常见问题与案例"))),
                    .h1(.text(record.title)),
                    .unwrap(typed?.message) { .p(.class("error-summary"), .text($0)) },
                    .dl(.class("facts"), .forEach(facts) { .group(.dt(.text($0.0)), .dd(.text($0.1))) }),
                    .if(
                        writer,
                        .unwrap(record.consultationID) { .p(.class("small"), .a(.href(SiteURL.consultation(id: $0.uuidString).path), .text("来源咨询"))) }
                    ),
                    .if(
                        writer && record.status != .withdrawn,
                        .p(.class("small"), .a(.href(SiteURL.libraryEdit(id: record.id.uuidString).path), .text("修改"))))
                ),
                .section(.class("panel"), .h2(.text(headings.0)), .div(.class("narrative"), .text(record.question))),
                .section(.class("panel"), .h2(.text(headings.1)), .div(.class("narrative"), .text(record.answer))),
                .if(
                    !record.leaks.isEmpty,
                    .section(
                        .class("panel"),
                        .h2(.text("仍可识别的信息")),
                        .p(.class("error-summary"), .text("以下内容可识别出企业或个人，发布前须修改：")),
                        .ul(.forEach(record.leaks) { .li(.text("\($0.what)：\($0.text)")) }))),
                .if(publisher && record.status == .draft, publishForm(record, typed: step == "publish" ? typed : nil, viewer: viewer)),
                .if(publisher && record.status == .published, withdrawForm(record, typed: step == "withdraw" ? typed : nil, viewer: viewer))
            )
        )
    }

    private static func publishForm(_ record: LibraryEntryRecord, typed: TypedForm?, viewer: Viewer) -> Node<HTML.BodyContext> {
        let reviewed = Forms.Field(
            name: "reviewed", label: "已审核内容准确，并已去除可识别企业、产品和个人的信息", value: typed?.value("reviewed") ?? "", error: typed?.error("reviewed"))
        let note = Forms.Field(name: "note", label: "审核意见", value: typed?.value("note") ?? "", error: typed?.error("note"), hint: "可不填")
        return .section(
            .class("panel"),
            .h2(.text("审核发布")),
            .p(.class("muted small"), .text("条目须由起草人以外的市局人员审核后发布。")),
            Forms.errorSummary([reviewed, note], message: nil),
            .form(
                .method(.post), .action(SiteURL.libraryStep(id: record.id.uuidString, step: "publish").path), Forms.csrf(viewer.csrfToken),
                Forms.version(record.version), Forms.checkbox(reviewed), Forms.textarea(note, maxLength: 1_000),
                .button(.class("button"), .type(.submit), .text("审核通过并发布"))))
    }

    private static func withdrawForm(_ record: LibraryEntryRecord, typed: TypedForm?, viewer: Viewer) -> Node<HTML.BodyContext> {
        let reason = Forms.Field(name: "reason", label: "撤下原因", value: typed?.value("reason") ?? "", error: typed?.error("reason"), required: true)
        return .section(
            .class("panel"),
            .h2(.text("撤下")),
            Forms.errorSummary([reason], message: nil),
            .form(
                .method(.post), .action(SiteURL.libraryStep(id: record.id.uuidString, step: "withdraw").path), Forms.csrf(viewer.csrfToken),
                Forms.version(record.version), Forms.textarea(reason, maxLength: 1_000),
                .button(.class("button secondary"), .type(.submit), .text("撤下"))))
    }

    /// An entry's fields as its form shows them.
    static func typed(_ record: LibraryEntryRecord) -> TypedForm {
        TypedForm(values: [
            "kind": record.kind.rawValue, "title": record.title, "question": record.question, "answer": record.answer, "topic": record.topic,
            "productCategory": record.productCategory?.rawValue ?? "",
        ])
    }

    static func form(entry: LibraryEntryRecord?, topics: [ServiceTopic], typed: TypedForm, viewer: Viewer) -> String {
        func field(_ name: String, _ label: String, hint: String? = nil, required: Bool = true) -> Forms.Field {
            Forms.Field(name: name, label: label, value: typed.value(name), error: typed.error(name), hint: hint, required: required)
        }
        let kind = field("kind", "类型")
        let title = field("title", "标题", hint: "一句话概括问题，至多 200 字")
        let topic = field("topic", "主题")
        let category = field("productCategory", "产品类别", hint: "可不选", required: false)
        let question = field("question", "问题（案例填写案情）", hint: "不得出现企业、产品、人员名称和电话、邮箱等信息")
        let answer = field("answer", "解答（案例填写处理与启示）")
        let action = entry.map { SiteURL.libraryStep(id: $0.id.uuidString, step: "edit") } ?? SiteURL.library(query: nil)
        return Layout.render(
            title: entry == nil ? "编写常见问题或案例" : "修改常见问题或案例",
            section: .service,
            viewer: viewer,
            content: .section(
                .class("panel"),
                .p(.class("small"), .a(.href(SiteURL.library(query: nil).path), .text("← 常见问题与案例"))),
                .h1(.text(entry == nil ? "编写常见问题或案例" : "修改“\(entry?.title ?? "")”")),
                .p(
                    .class("muted small"),
                    .text(
                        entry?.status == .published
                            ? "已发布的条目修改后将撤出检索，重新审核后发布。" : "保存后进入待审核，由起草人以外的市局人员审核发布。由咨询整理的条目已自动去除企业名称、产品名称、人员和联系方式，请再核对。")),
                Forms.errorSummary([kind, title, topic, category, question, answer], message: typed.message ?? typed.error("status")),
                .form(
                    .method(.post), .action(action.path), Forms.csrf(viewer.csrfToken), Forms.version(entry?.version),
                    .input(.type(.hidden), .name("consultation"), .value(typed.value("consultation"))),
                    Forms.select(kind, options: LibraryKind.allCases.map { .init(value: $0.rawValue, label: $0.label) }),
                    Forms.text(title, maxLength: 200),
                    Forms.select(topic, options: topics.map { .init(value: $0.code, label: $0.label) }, blank: "请选择"),
                    Forms.select(category, options: ProductCategory.allCases.map { .init(value: $0.rawValue, label: $0.label) }, blank: "不限"),
                    Forms.textarea(question, maxLength: 4_000), Forms.textarea(answer, maxLength: 8_000),
                    .button(.class("button"), .type(.submit), .text(entry == nil ? "保存并送审" : "保存"))))
        )
    }
}
