import Foundation
import TongdaoCore
import TongdaoHTML
import TongdaoUseCases

/// The policy handbook (政策手册): the search, a policy with its contact, the form that records or
/// changes one, and the list of those that apply on an enterprise's page.
enum HandbookPages {
    /// What the search form holds.
    struct Query {
        var text = ""
        var level = ""
        var district = ""
        var topic = ""
        var productCategory = ""
        var status = ""

        /// The query string of these filters (for the export links).
        var string: String? {
            SiteURL.query([
                ("q", text), ("level", level), ("district", district), ("topic", topic), ("productCategory", productCategory), ("status", status),
            ])
        }
    }

    static func search(_ records: [HandbookPolicyRecord], query: Query, districts: [Region], viewer: Viewer) -> String {
        let exportQuery = query.string.map { $0 + "&" } ?? ""
        return Layout.render(
            title: "政策手册",
            section: .service,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    AppointmentPages.links(viewer),
                    .div(
                        .class("panel-head"),
                        .h1(.text("政策手册")),
                        .if(viewer.may(.writePolicies), .a(.class("button"), .href(SiteURL.policyNew.path), .text("登记政策")))),
                    .p(
                        .class("muted small"),
                        .text("国家、本市和各区支持创新药械研发、注册和产业化的政策，每项列明责任单位和联系人。可按主题、区和产品类别筛选，也可直接输入想了解的内容。")),
                    .form(
                        .method(.get), .action(SiteURL.policies(query: nil).path), .class("filters"),
                        Forms.text(Forms.Field(name: "q", label: "检索", value: query.text, hint: "例如：临床试验费用补贴"), maxLength: 200),
                        Forms.select(
                            Forms.Field(name: "level", label: "层级", value: query.level),
                            options: PolicyLevel.allCases.map { .init(value: $0.rawValue, label: $0.label) }, blank: "全部"),
                        Forms.select(
                            Forms.Field(name: "district", label: "适用区", value: query.district, hint: "含国家和市级政策"),
                            options: districts.map { .init(value: $0.code, label: $0.name) }, blank: "全部"),
                        Forms.select(
                            Forms.Field(name: "topic", label: "主题", value: query.topic),
                            options: PolicyTopic.allCases.map { .init(value: $0.rawValue, label: $0.label) }, blank: "全部"),
                        Forms.select(
                            Forms.Field(name: "productCategory", label: "产品类别", value: query.productCategory),
                            options: ProductCategory.allCases.map { .init(value: $0.rawValue, label: $0.label) }, blank: "全部"),
                        Forms.select(
                            Forms.Field(name: "status", label: "状态", value: query.status),
                            options: [.init(value: "all", label: "含已到期和已废止")], blank: "现行有效"),
                        .button(.class("button"), .type(.submit), .text("检索"))),
                    .p(
                        .class("small"),
                        .a(.href(SiteURL.policiesExport(query: exportQuery + "format=xlsx").path), .text("导出 Excel")), .text(" · "),
                        .a(.href(SiteURL.policiesExport(query: exportQuery + "format=csv").path), .text("导出 CSV")))
                ),
                .section(
                    .class("panel"),
                    records.isEmpty
                        ? .p(.class("muted"), .text(query.text.isEmpty ? "没有符合条件的政策。" : "没有找到相关政策，可以换一种说法，或提出咨询。"))
                        : list(records)
                )
            )
        )
    }

    /// Policies as a list: title, whose, topics, status, and whom to call.
    static func list(_ records: [HandbookPolicyRecord]) -> Node<HTML.BodyContext> {
        .ol(
            .class("library-results"),
            .forEach(records) { record in
                .li(
                    .a(.href(SiteURL.policy(id: record.id.uuidString).path), .text(record.title)),
                    .div(
                        .class("small muted"),
                        .text(
                            [
                                record.issuedBy, record.documentNumber, record.topics.map(\.label).joined(separator: "、"),
                                "适用：\(record.categoriesLabel)", record.status.label,
                            ].compactMap { $0 }.joined(separator: " · "))),
                    .div(.class("small"), .text("责任单位：\(record.responsibleBody)　联系人：\(record.contact)　电话：\(record.phone)")),
                    .p(.class("small"), .text(LibraryPages.snippet(record.summary))))
            })
    }

    static func show(_ record: HandbookPolicyRecord, typed: TypedForm?, viewer: Viewer) -> String {
        let facts: [(String, String)] = [
            ("层级", record.issuedBy), ("文号", record.documentNumber ?? "—"), ("发布机关", record.issuer), ("责任单位", record.responsibleBody),
            ("联系人", record.contact), ("联系电话", record.phone), ("主题", record.topics.map(\.label).joined(separator: "、")),
            ("适用产品", record.categoriesLabel), ("施行日期", record.effectiveOn.description), ("截止日期", record.expiresOn?.description ?? "长期有效"),
            ("状态", record.status.label), ("登记", record.author),
        ]
        let writer = viewer.may(.writePolicies)
        return Layout.render(
            title: record.title,
            section: .service,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    .p(.class("small"), .a(.href(SiteURL.policies(query: nil).path), .text("← 政策手册"))),
                    .div(
                        .class("panel-head"),
                        .h1(.text(record.title)),
                        .if(writer, .a(.class("button"), .href(SiteURL.policyEdit(id: record.id.uuidString).path), .text("修改")))),
                    .unwrap(typed?.message) { .p(.class("error-summary"), .text($0)) },
                    .dl(.class("facts"), .forEach(facts) { .group(.dt(.text($0.0)), .dd(.text($0.1))) }),
                    .unwrap(record.repealedOn) { day in
                        .p(.class("error-summary"), .text("自 \(day) 起废止：\(record.repealReason ?? "")"))
                    },
                    .unwrap(record.sourceURL) { link in
                        .p(.class("small"), .a(.href(link), .attribute(named: "rel", value: "noopener noreferrer"), .text("政策原文")))
                    }
                ),
                .section(.class("panel"), .h2(.text("政策要点")), .div(.class("narrative"), .text(record.summary))),
                .if(writer && record.repealedOn == nil, repealForm(record, typed: typed, viewer: viewer))
            )
        )
    }

    private static func repealForm(_ record: HandbookPolicyRecord, typed: TypedForm?, viewer: Viewer) -> Node<HTML.BodyContext> {
        let day = Forms.Field(
            name: "repealedOn", label: "废止日期", value: typed?.value("repealedOn") ?? "", error: typed?.error("repealedOn"), required: true)
        let reason = Forms.Field(
            name: "reason", label: "废止原因", value: typed?.value("reason") ?? "", error: typed?.error("reason"), hint: "例如：被某某文件替代",
            required: true)
        return .section(
            .class("panel"),
            .h2(.text("标记废止")),
            Forms.errorSummary([day, reason], message: nil),
            .form(
                .method(.post), .action(SiteURL.policyStep(id: record.id.uuidString, step: "repeal").path), Forms.csrf(viewer.csrfToken),
                Forms.version(record.version), Forms.text(day, type: "date"), Forms.textarea(reason, maxLength: 500),
                .button(.class("button secondary"), .type(.submit), .text("标记废止"))))
    }

    /// A policy's fields as its form shows them.
    static func typed(_ record: HandbookPolicyRecord) -> TypedForm {
        var form = TypedForm(values: [
            "level": record.level.rawValue, "district": record.district ?? "", "title": record.title, "documentNumber": record.documentNumber ?? "",
            "issuer": record.issuer, "responsibleBody": record.responsibleBody, "contact": record.contact, "phone": record.phone,
            "summary": record.summary, "effectiveOn": record.effectiveOn.description, "expiresOn": record.expiresOn?.description ?? "",
            "sourceURL": record.sourceURL ?? "",
        ])
        form.selected = Set(record.topics.map { "topics:" + $0.rawValue } + record.categories.map { "categories:" + $0.rawValue })
        return form
    }

    static func form(policy: HandbookPolicyRecord?, districts: [Region], typed: TypedForm, viewer: Viewer) -> String {
        func field(_ name: String, _ label: String, hint: String? = nil, required: Bool = true) -> Forms.Field {
            Forms.Field(name: name, label: label, value: typed.value(name), error: typed.error(name), hint: hint, required: required)
        }
        let level = field("level", "层级")
        let district = field("district", "所属区", hint: "区级政策必选", required: false)
        let title = field("title", "政策名称")
        let number = field("documentNumber", "文号", required: false)
        let issuer = field("issuer", "发布机关")
        let body = field("responsibleBody", "责任单位", hint: "负责解释和受理的部门")
        let contact = field("contact", "联系人")
        let phone = field("phone", "联系电话", hint: "例如：021-12345678 转 801")
        let topics = field("topics", "主题")
        let categories = field("categories", "适用产品", hint: "不选即适用于所有产品", required: false)
        let effective = field("effectiveOn", "施行日期")
        let expires = field("expiresOn", "截止日期", hint: "长期有效可不填", required: false)
        let summary = field("summary", "政策要点", hint: "支持内容、条件和申请方式")
        let source = field("sourceURL", "原文链接", hint: "http:// 或 https:// 开头，可不填", required: false)
        let selected = { (prefix: String) in Set(typed.selected.filter { $0.hasPrefix(prefix + ":") }.map { String($0.dropFirst(prefix.count + 1)) })
        }
        let action = policy.map { SiteURL.policyStep(id: $0.id.uuidString, step: "edit") } ?? SiteURL.policies(query: nil)
        let heading = policy.map { "修改“\($0.title)”" } ?? "登记政策"
        return Layout.render(
            title: policy == nil ? "登记政策" : "修改政策",
            section: .service,
            viewer: viewer,
            content: .section(
                .class("panel"),
                .p(.class("small"), .a(.href(SiteURL.policies(query: nil).path), .text("← 政策手册"))),
                .h1(.text(heading)),
                .p(.class("muted small"), .text("区政府只能登记本区的区级政策；国家和市级政策由市药监局、市经信委登记。")),
                Forms.errorSummary(
                    [level, district, title, number, issuer, body, contact, phone, topics, categories, effective, expires, summary, source],
                    message: typed.message),
                .form(
                    .method(.post), .action(action.path), Forms.csrf(viewer.csrfToken), Forms.version(policy?.version),
                    Forms.select(level, options: PolicyLevel.allCases.map { .init(value: $0.rawValue, label: $0.label) }, blank: "请选择"),
                    Forms.select(district, options: districts.map { .init(value: $0.code, label: $0.name) }, blank: "不属于某个区"),
                    Forms.text(title, maxLength: 200), Forms.text(number, maxLength: 100), Forms.text(issuer, maxLength: 100),
                    Forms.text(body, maxLength: 100), Forms.text(contact, maxLength: 50), Forms.text(phone, type: "tel", maxLength: 40),
                    Forms.checkboxes(
                        topics, options: PolicyTopic.allCases.map { .init(value: $0.rawValue, label: $0.label) }, selected: selected("topics")),
                    Forms.checkboxes(
                        categories, options: ProductCategory.allCases.map { .init(value: $0.rawValue, label: $0.label) },
                        selected: selected("categories")),
                    Forms.text(effective, type: "date"), Forms.text(expires, type: "date"), Forms.textarea(summary, maxLength: 4_000),
                    Forms.text(source, type: "url", maxLength: 500),
                    .button(.class("button"), .type(.submit), .text("保存"))))
        )
    }

    /// The policies that apply to an enterprise, for its page.
    static func applicable(_ applicable: ApplicablePolicies) -> Node<HTML.BodyContext> {
        .section(
            .class("panel"),
            .h2(.text("适用政策（\(applicable.policies.count)）")),
            .p(
                .class("muted small"),
                .text(
                    "国家、本市和\(applicable.districtName)现行有效的政策"
                        + (applicable.categories.isEmpty ? "" : "，适用于\(applicable.categories.map(\.label).joined(separator: "、"))") + "。")),
            applicable.policies.isEmpty ? .p(.class("muted"), .text("暂无适用的政策。")) : list(applicable.policies),
            .p(.class("small"), .a(.href(SiteURL.policies(query: nil).path), .text("查阅政策手册 →")))
        )
    }
}
