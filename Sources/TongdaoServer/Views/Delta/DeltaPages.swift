import Foundation
import TongdaoCore
import TongdaoHTML
import TongdaoUseCases

/// The Delta's entrustment links (跨省委托生产): the list, the new link's form, a link with its sites,
/// the authority supervising each side and its timeline of filings, and the filing form.
enum DeltaPages {
    static func list(_ records: [DeltaLinkRecord], kind: String, province: String, viewer: Viewer) -> String {
        let filter = SiteURL.query([("kind", kind), ("province", province)]).map { $0 + "&" } ?? ""
        let segmented = records.filter { $0.kind == .segmented }.count
        return Layout.render(
            title: "跨省委托生产",
            section: .delta,
            viewer: viewer,
            content: .section(
                .class("panel"),
                .h1(.text("长三角协同：跨省委托生产")),
                .p(
                    .class("muted small"),
                    .text(
                        "注册人与受托生产企业分处长三角不同省（市）的委托生产和分段生产：各方企业、产品、委托期限和质量协议期限、各方监管部门，以及备案和上市后变更，双方监管部门共同查看。"
                    )),
                .p(
                    .class("small"),
                    .if(viewer.may(.writeDelta), .group(.a(.href(SiteURL.deltaLinkNew.path), .text("登记跨省委托")), .text(" · "))),
                    .a(.href(SiteURL.deltaLinksExport(query: filter + "format=xlsx").path), .text("导出 Excel")), .text(" · "),
                    .a(.href(SiteURL.deltaLinksExport(query: filter + "format=csv").path), .text("导出 CSV"))),
                .form(
                    .method(.get), .action(SiteURL.deltaLinks(query: nil).path), .class("filters"),
                    Forms.select(
                        Forms.Field(name: "kind", label: "委托方式", value: kind),
                        options: EntrustmentKind.allCases.map { .init(value: $0.rawValue, label: $0.label) }, blank: "全部"),
                    Forms.select(
                        Forms.Field(name: "province", label: "涉及省份", value: province),
                        options: DeltaProvince.allCases.map { .init(value: $0.rawValue, label: $0.name) }, blank: "全部"),
                    .button(.class("button"), .type(.submit), .text("筛选"))),
                .p(.class("small"), .text("共 \(records.count) 项，其中分段生产 \(segmented) 项。")),
                records.isEmpty
                    ? .p(.class("muted"), .text("没有符合条件的跨省委托生产。"))
                    : .table(
                        .class("data-table"),
                        .thead(.tr(.th("方式"), .th("产品"), .th("注册人"), .th("受托生产企业 / 生产阶段"), .th("涉及省份"), .th("委托期限"), .th("状态"))),
                        .tbody(
                            .forEach(records) { record in
                                .tr(
                                    .td(.text(record.kind.label)),
                                    .td(.a(.href(SiteURL.deltaLink(id: record.id.uuidString).path), .text(record.productName))),
                                    .td(.text("\(record.registrant)（\(record.registrantProvince.shortName)）")),
                                    .td(.text(record.sites.map(siteLine).joined(separator: "；"))),
                                    .td(.text(record.provinces.map(\.shortName).joined(separator: "、"))),
                                    .td(.text("\(record.startsOn) 至 \(record.endsOn)")),
                                    .td(.span(.class(record.status == .active ? "" : "muted"), .text(record.status.label))))
                            }))
            )
        )
    }

    static func siteLine(_ site: DeltaLinkSiteRecord) -> String {
        "\(site.enterprise)（\(site.province.shortName)\(site.stage.map { "，\($0)" } ?? "")）"
    }

    static func new(typed: TypedForm, viewer: Viewer) -> String {
        func field(_ name: String, _ label: String, hint: String? = nil, required: Bool = true) -> Forms.Field {
            Forms.Field(name: name, label: label, value: typed.value(name), error: typed.error(name), hint: hint, required: required)
        }
        let kind = field("kind", "委托方式")
        let productName = field("productName", "产品名称")
        let category = field("productCategory", "产品类别")
        let product = field("product", "在研产品编号", hint: "平台已登记该产品的，可填写其编号（须为注册人的产品）", required: false)
        let registrant = field("registrant", "注册人统一社会信用代码", hint: "持有人/注册人；须已在平台登记")
        let sites = Forms.Field(
            name: "sites", label: "受托生产企业和生产阶段", error: typed.error("sites"),
            hint: "委托生产填一家受托生产企业；分段生产逐行填写各阶段的生产企业和阶段名称（至少一家在外省）。企业须已在平台登记。")
        let startsOn = field("startsOn", "委托起始日期")
        let endsOn = field("endsOn", "委托截止日期")
        let signedOn = field("agreementSignedOn", "质量协议签订日期")
        let agreementEndsOn = field("agreementEndsOn", "质量协议到期日期")
        return Layout.render(
            title: "登记跨省委托生产",
            section: .delta,
            viewer: viewer,
            content: .section(
                .class("panel"),
                .p(.class("small"), .a(.href(SiteURL.deltaLinks(query: nil).path), .text("← 跨省委托生产"))),
                .h1(.text("登记跨省委托生产")),
                Forms.errorSummary(
                    [kind, productName, category, product, registrant, sites, startsOn, endsOn, signedOn, agreementEndsOn], message: typed.message),
                .form(
                    .method(.post), .action(SiteURL.deltaLinks(query: nil).path), Forms.csrf(viewer.csrfToken),
                    Forms.select(kind, options: EntrustmentKind.allCases.map { .init(value: $0.rawValue, label: $0.label) }),
                    Forms.text(productName, maxLength: 200),
                    Forms.select(category, options: ProductCategory.allCases.map { .init(value: $0.rawValue, label: $0.label) }, blank: "请选择"),
                    Forms.text(product, maxLength: 64), Forms.text(registrant, maxLength: 18),
                    .div(
                        .class(sites.error == nil ? "field" : "field has-error"), .id("field-sites"),
                        .p(.strong(.text(sites.label)), .span(.class("required"), .text(" *"))),
                        .p(.class("field-hint small muted"), .text(sites.hint ?? "")),
                        .unwrap(sites.error) { .p(.class("field-error"), .id("field-sites-error"), .text($0)) },
                        .forEach(1...DeltaController.siteRows) { row in
                            .div(
                                .class("inline-fields"),
                                Forms.text(
                                    Forms.Field(
                                        name: "site\(row)Uscc", label: "第 \(row) 家：统一社会信用代码", value: typed.value("site\(row)Uscc")), maxLength: 18),
                                Forms.text(
                                    Forms.Field(name: "site\(row)Stage", label: "生产阶段", value: typed.value("site\(row)Stage")), maxLength: 100))
                        }),
                    Forms.text(startsOn, type: "date"), Forms.text(endsOn, type: "date"), Forms.text(signedOn, type: "date"),
                    Forms.text(agreementEndsOn, type: "date"),
                    .button(.class("button"), .type(.submit), .text("登记"))))
        )
    }

    static func show(_ record: DeltaLinkRecord, typed: TypedForm?, viewer: Viewer) -> String {
        let facts: [(String, String)] = [
            ("委托方式", record.kind.label), ("产品类别", record.productCategory.label),
            ("注册人", "\(record.registrant)（\(record.registrantUSCC)）"),
            ("注册人所在地", "\(record.registrantProvince.name) \(record.registrantPlaceName)"), ("注册人监管部门", record.registrantAuthority),
            ("委托期限", "\(record.startsOn) 至 \(record.endsOn)"), ("质量协议", "\(record.agreementSignedOn) 签订，\(record.agreementEndsOn) 到期"),
            ("状态", record.status.label + (record.endedOn.map { "（\($0) 终止）" } ?? "")),
            ("涉及省份", record.provinces.map(\.name).joined(separator: "、")), ("登记", "\(record.recordedOn) \(record.recordedBy)"),
        ]
        return Layout.render(
            title: "跨省委托生产：\(record.productName)",
            section: .delta,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    .p(.class("small"), .a(.href(SiteURL.deltaLinks(query: nil).path), .text("← 跨省委托生产"))),
                    .h1(.text(record.productName)),
                    .unwrap(typed?.message) { .p(.class("error-summary"), .text($0)) },
                    .dl(.class("facts"), .forEach(facts) { .group(.dt(.text($0.0)), .dd(.text($0.1))) })
                ),
                .section(
                    .class("panel"),
                    .h2(.text(record.kind == .segmented ? "生产阶段" : "受托生产企业")),
                    .table(
                        .class("data-table"),
                        .thead(.tr(.th("顺序"), .th("企业"), .th("统一社会信用代码"), .th("所在地"), .th("生产阶段"), .th("监管部门"))),
                        .tbody(
                            .forEach(Array(record.sites.enumerated())) { index, site in
                                .tr(
                                    .td(.text(String(index + 1))), .td(.text(site.enterprise)), .td(.class("mono"), .text(site.uscc)),
                                    .td(.text("\(site.province.name) \(site.placeName)")), .td(.text(site.stage ?? "—")), .td(.text(site.authority)))
                            }))
                ),
                .section(
                    .class("panel"),
                    .h2(.text("备案和变更")),
                    .ol(
                        .class("timeline"),
                        .forEach(record.events) { event in
                            .li(
                                .strong(.text("\(event.occurredOn) \(event.kind.label)")),
                                .span(.class("muted small"), .text(" \(event.recordedBy)")),
                                .div(.class("narrative small"), .text(event.summary)))
                        })
                ),
                .if(viewer.may(.fileDelta) && record.endedOn == nil, fileForm(record, typed: typed, viewer: viewer))
            )
        )
    }

    private static func fileForm(_ record: DeltaLinkRecord, typed: TypedForm?, viewer: Viewer) -> Node<HTML.BodyContext> {
        func field(_ name: String, _ label: String, hint: String? = nil, required: Bool = true) -> Forms.Field {
            Forms.Field(name: name, label: label, value: typed?.value(name) ?? "", error: typed?.error(name), hint: hint, required: required)
        }
        let kinds: [LinkEventKind] = viewer.may(.writeDelta) ? [.change, .agreementRenewed, .ended] : [.change]
        let kind = field("kind", "备案事项")
        let on = field("on", "备案日期")
        let summary = field("summary", "备案内容", hint: "变更的内容、依据和评估结论；双方监管部门和企业均可查看")
        let renewed = field("agreementEndsOn", "续签后的到期日期", hint: "仅质量协议续签时填写", required: false)
        return .section(
            .class("panel"),
            .h2(.text("提交备案")),
            Forms.errorSummary([kind, on, summary, renewed], message: nil),
            .form(
                .method(.post), .action(SiteURL.deltaLinkEvents(id: record.id.uuidString).path), Forms.csrf(viewer.csrfToken),
                Forms.version(record.version),
                Forms.select(kind, options: kinds.map { .init(value: $0.rawValue, label: $0.label) }), Forms.text(on, type: "date"),
                Forms.textarea(summary, maxLength: 2_000), .if(viewer.may(.writeDelta), Forms.text(renewed, type: "date")),
                .button(.class("button"), .type(.submit), .text("提交"))))
    }
}
