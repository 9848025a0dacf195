import Foundation
import TongdaoCharts
import TongdaoCore
import TongdaoHTML
import TongdaoUseCases

/// The Delta's entrustment links (跨省委托生产): the list, the new link's form, a link with its sites,
/// the authority supervising each side and its timeline of filings, and the filing form.
enum DeltaPages {
    /// The Delta map of `figures`: provinces coloured by their links, with their enterprises on links,
    /// their applicants' applications and their cities; the links between provinces as lines. `screen`
    /// draws it for the big screen: dark and compact, each tile's lines shortened to fit its large type.
    static func map(_ figures: DeltaMapFigures, screen: Bool = false) -> DeltaTileMap {
        let shown = figures.provinces.filter { !$0.hidden }
        return DeltaTileMap(
            title: "长三角协同地图（跨省委托生产关系 \(figures.links) 条\(shown.count < 4 ? "，仅本省" : "")）", measure: "委托关系",
            provinces: figures.provinces.map { row in
                let parties = screen ? "企业 \(row.parties) 家" : "涉及企业 \(row.parties) 家"
                let applications =
                    screen ? "在审 \(row.openApplications) 件" : "在审申报 \(row.openApplications) 件 · 本年受理 \(row.acceptedThisYear) 件"
                return DeltaTileMap.Province(
                    code: row.province.rawValue, name: row.province.name, value: Double(row.links),
                    lines: [parties] + (figures.countsApplications ? [applications] : []),
                    cities: row.cities.map { ($0.name, Double($0.parties)) }, muted: row.hidden,
                    link: SiteURL.deltaLinks(query: "province=\(row.province.rawValue)").path)
            },
            flows: figures.flows.map { .init(from: $0.from.rawValue, to: $0.to.rawValue, value: Double($0.links)) }, flowMeasure: "委托生产关系",
            dark: screen, compact: screen)
    }

    static func list(_ records: [DeltaLinkRecord], kind: String, province: String, map figures: DeltaMapFigures? = nil, viewer: Viewer) -> String {
        let filter = SiteURL.query([("kind", kind), ("province", province)]).map { $0 + "&" } ?? ""
        let segmented = records.filter { $0.kind == .segmented }.count
        return Layout.render(
            title: "跨省委托生产",
            section: .delta,
            viewer: viewer,
            content: .section(
                .class("panel"),
                tabs(),
                .h1(.text("长三角协同：跨省委托生产")),
                .p(
                    .class("muted small"),
                    .text(
                        "注册人与受托生产企业分处长三角不同省（市）的委托生产和分段生产：各方企业、产品、委托期限和质量协议期限、各方监管部门，以及备案和上市后变更，双方监管部门共同查看。"
                    )),
                .unwrap(figures) { DashboardPage.chart(map($0), wide: true) },
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
        let kind = Forms.Field("kind", "委托方式", typed: typed)
        let productName = Forms.Field("productName", "产品名称", typed: typed)
        let category = Forms.Field("productCategory", "产品类别", typed: typed)
        let product = Forms.Field("product", "在研产品编号", typed: typed, hint: "平台已登记该产品的，可填写其编号（须为注册人的产品）", required: false)
        let registrant = Forms.Field("registrant", "注册人统一社会信用代码", typed: typed, hint: "持有人/注册人；须已在平台登记")
        let sites = Forms.Field(
            name: "sites", label: "受托生产企业和生产阶段", error: typed.error("sites"),
            hint: "委托生产填一家受托生产企业；分段生产逐行填写各阶段的生产企业和阶段名称（至少一家在外省）。企业须已在平台登记。")
        let startsOn = Forms.Field("startsOn", "委托起始日期", typed: typed)
        let endsOn = Forms.Field("endsOn", "委托截止日期", typed: typed)
        let signedOn = Forms.Field("agreementSignedOn", "质量协议签订日期", typed: typed)
        let agreementEndsOn = Forms.Field("agreementEndsOn", "质量协议到期日期", typed: typed)
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

    /// For the city's side: with each partner province the link involves, a joint inspection or a
    /// notice about this link, its form filled in with the link and the province.
    private static func partnerSteps(_ record: DeltaLinkRecord) -> Node<HTML.BodyContext> {
        let link = record.id.uuidString
        return .ul(
            .class("small"),
            .forEach(record.provinces.filter(\.isPartner)) { province in
                .li(
                    .text("与\(province.regulator)："),
                    .a(.href(SiteURL.deltaJointPlanning(link: link, province: province.rawValue).path), .text("商定联合检查")), .text(" · "),
                    .a(.href(SiteURL.deltaNoticeDrafting(link: link, province: province.rawValue).path), .text("发出风险通报或协查请求")))
            })
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
                    .dl(.class("facts"), .forEach(facts) { .group(.dt(.text($0.0)), .dd(.text($0.1))) }),
                    .if(viewer.may(.writeDelta), partnerSteps(record))
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
        let kinds: [LinkEventKind] = viewer.may(.writeDelta) ? [.change, .agreementRenewed, .ended] : [.change]
        let kind = Forms.Field("kind", "备案事项", typed: typed)
        let on = Forms.Field("on", "备案日期", typed: typed)
        let summary = Forms.Field("summary", "备案内容", typed: typed, hint: "变更的内容、依据和评估结论；双方监管部门和企业均可查看")
        let renewed = Forms.Field("agreementEndsOn", "续签后的到期日期", typed: typed, hint: "仅质量协议续签时填写", required: false)
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

    /// A record page's head: the way back to its list, its title, the message above its forms, its facts.
    static func head(back: SiteURL, _ list: String, title: String, message: String?, facts: [(String, String)]) -> Node<HTML.BodyContext> {
        .group(
            .p(.class("small"), .a(.href(back.path), .text("← " + list))),
            .h1(.text(title)),
            .unwrap(message) { .p(.class("error-summary"), .text($0)) },
            .dl(.class("facts"), .forEach(facts) { .group(.dt(.text($0.0)), .dd(.text($0.1))) }))
    }

    /// The Delta section's two lists.
    static func tabs() -> Node<HTML.BodyContext> {
        .p(
            .class("small"), .a(.href(SiteURL.deltaLinks(query: nil).path), .text("跨省委托生产")), .text(" · "),
            .a(.href(SiteURL.deltaShares.path), .text("共享的检查结果")), .text(" · "),
            .a(.href(SiteURL.deltaInspections.path), .text("联合检查和结果互认")), .text(" · "),
            .a(.href(SiteURL.deltaNotices.path), .text("风险通报和协查请求")))
    }

    // MARK: Shares

    static func shares(
        _ records: [DeltaShareRecord], commitments: [DeltaCommitmentRecord], shareable: [(id: UUID, label: String)], typed: TypedForm?, form: String?,
        viewer: Viewer
    ) -> String {
        let writer = viewer.may(.writeDelta)
        return Layout.render(
            title: "共享的检查结果",
            section: .delta,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    tabs(),
                    .h1(.text("长三角协同：共享的检查结果")),
                    .p(
                        .class("muted small"),
                        .text("本市已结案检查的结果，按字段与兄弟省局共享：检查结论、缺陷项；证据记录仅在与对方签有有效保密承诺时共享。撤回后对方即不能再查看。")),
                    records.isEmpty
                        ? .p(.class("muted"), .text("尚无共享的检查结果。"))
                        : .table(
                            .class("data-table"),
                            .thead(.tr(.th("被检查单位"), .th("结案日期"), .th("共享对象"), .th("共享内容"), .th("共享日期"), .th("状态"), .th("对方互认"))),
                            .tbody(
                                .forEach(records) { record in
                                    .tr(
                                        .td(.a(.href(SiteURL.deltaShare(id: record.id.uuidString).path), .text(record.targetName))),
                                        .td(.text(record.closedOn?.description ?? "—")), .td(.text(record.province.name)),
                                        .td(.text(record.fields.map(\.label).joined(separator: "、"))), .td(.text(record.sharedOn.description)),
                                        .td(.text(record.withdrawnOn.map { "已于 \($0) 撤回" } ?? "共享中")),
                                        .td(.text(record.recognisedOn.map { "\($0) 已互认" } ?? "—")))
                                }))
                ),
                .section(
                    .class("panel"),
                    .h2(.text("保密承诺")),
                    commitments.isEmpty
                        ? .p(.class("muted"), .text("尚无保密承诺。"))
                        : .ul(
                            .forEach(commitments) { commitment in
                                .li(
                                    .text(
                                        "\(commitment.province.regulator)：\(commitment.reference)，\(commitment.signedOn) 签署"
                                            + (commitment.endsOn.map { "，有效期至 \($0)" } ?? "，长期有效") + (commitment.inForce ? "（有效）" : "（已失效）")))
                            })
                ),
                .if(writer, shareForm(shareable, typed: form == "share" ? typed : nil, viewer: viewer)),
                .if(writer, commitmentForm(typed: form == "commitment" ? typed : nil, viewer: viewer))
            )
        )
    }

    private static func shareForm(_ shareable: [(id: UUID, label: String)], typed: TypedForm?, viewer: Viewer) -> Node<HTML.BodyContext> {
        let inspection = Forms.Field("inspection", "已结案的检查", typed: typed)
        let province = Forms.Field("province", "共享对象", typed: typed)
        let fields = Forms.Field("fields", "共享内容", typed: typed, hint: "证据记录须同时共享缺陷项，且与对方签有有效的保密承诺")
        let note = Forms.Field("note", "说明", typed: typed, required: false)
        return .section(
            .class("panel"),
            .h2(.text("共享检查结果")),
            Forms.errorSummary([inspection, province, fields, note], message: typed?.message),
            .form(
                .method(.post), .action(SiteURL.deltaShares.path), Forms.csrf(viewer.csrfToken),
                Forms.select(inspection, options: shareable.map { .init(value: $0.id.uuidString, label: $0.label) }, blank: "请选择"),
                Forms.select(province, options: DeltaProvince.partners.map { .init(value: $0.rawValue, label: $0.regulator) }, blank: "请选择"),
                Forms.checkboxes(
                    fields, options: SharedField.allCases.map { .init(value: $0.rawValue, label: $0.label) }, selected: typed?.selected ?? []),
                Forms.textarea(note, maxLength: 1_000), .button(.class("button"), .type(.submit), .text("共享"))))
    }

    private static func commitmentForm(typed: TypedForm?, viewer: Viewer) -> Node<HTML.BodyContext> {
        let province = Forms.Field("province", "对方", typed: typed)
        let signedOn = Forms.Field("signedOn", "签署日期", typed: typed)
        let endsOn = Forms.Field("endsOn", "有效期至", typed: typed, hint: "长期有效可不填", required: false)
        let reference = Forms.Field("reference", "文号", typed: typed)
        return .section(
            .class("panel"),
            .h2(.text("登记保密承诺")),
            Forms.errorSummary([province, signedOn, endsOn, reference], message: nil),
            .form(
                .method(.post), .action(SiteURL.deltaCommitments.path), Forms.csrf(viewer.csrfToken),
                Forms.select(province, options: DeltaProvince.partners.map { .init(value: $0.rawValue, label: $0.regulator) }, blank: "请选择"),
                Forms.text(signedOn, type: "date"), Forms.text(endsOn, type: "date"), Forms.text(reference, maxLength: 100),
                .button(.class("button"), .type(.submit), .text("登记"))))
    }

    static func share(_ record: DeltaShareRecord, typed: TypedForm?, viewer: Viewer) -> String {
        let facts: [(String, String)] = [
            ("被检查单位", record.targetName + (record.targetUSCC.map { "（\($0)）" } ?? "")), ("结案日期", record.closedOn?.description ?? "—"),
            ("共享对象", record.province.regulator), ("共享内容", record.fields.map(\.label).joined(separator: "、")),
            ("共享", "\(record.sharedOn) \(record.sharedBy)"), ("说明", record.note ?? "—"),
            ("状态", record.withdrawnOn.map { "已于 \($0) 撤回（\(record.withdrawnBy ?? "")：\(record.withdrawReason ?? "")）" } ?? "共享中"),
            (
                "结果互认",
                record.recognisedOn.map {
                    "\(record.province.regulator)已于 \($0) 互认（\(record.recognitionReference ?? "")，\(record.recognisedBy ?? "")）"
                }
                    ?? "对方尚未互认"
            ),
        ]
        let reason = Forms.Field("reason", "撤回原因", typed: typed)
        let reference = Forms.Field("reference", "互认文书编号", typed: typed, hint: "贵局认可该检查结果的文书编号")
        return Layout.render(
            title: "共享的检查结果：\(record.targetName)",
            section: .delta,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    head(back: .deltaShares, "共享的检查结果", title: "\(record.targetName) 检查结果", message: typed?.message, facts: facts),
                    .unwrap(record.conclusion) { conclusion in
                        .p(.strong(.text("检查结论：\(conclusion.label)")), .text(record.conclusionReason.map { "（\($0)）" } ?? ""))
                    }
                ),
                .if(
                    record.fields.contains(.findings),
                    .section(
                        .class("panel"),
                        .h2(.text("缺陷项")),
                        record.findings.isEmpty
                            ? .p(.class("muted"), .text("未发现缺陷。"))
                            : .table(
                                .class("data-table"),
                                .thead(.tr(.th("序号"), .th("条款"), .th("等级"), .th("描述"), .if(record.fields.contains(.evidence), .th("证据记录")))),
                                .tbody(
                                    .forEach(record.findings) { finding in
                                        .tr(
                                            .td(.text(String(finding.number))), .td(.text(finding.clause)), .td(.text(finding.grade.label)),
                                            .td(.text(finding.description)),
                                            .if(record.fields.contains(.evidence), .td(.text(finding.evidence ?? "—"))))
                                    })))),
                .if(
                    viewer.may(.respondDelta) && record.recognisedOn == nil,
                    .section(
                        .class("panel"),
                        .h2(.text("互认检查结果")),
                        .p(.class("muted small"), .text("互认后，该检查结果视同贵局对该单位作出的检查结果，上海市药品监督管理局可见互认记录。")),
                        Forms.errorSummary([reference], message: nil),
                        .form(
                            .method(.post), .action(SiteURL.deltaShareRecognition(id: record.id.uuidString).path), Forms.csrf(viewer.csrfToken),
                            Forms.version(record.version), Forms.text(reference, maxLength: 100),
                            .button(.class("button"), .type(.submit), .text("互认"))))),
                .if(
                    viewer.may(.writeDelta) && record.withdrawnOn == nil,
                    .section(
                        .class("panel"),
                        .h2(.text("撤回共享")),
                        Forms.errorSummary([reason], message: nil),
                        .form(
                            .method(.post), .action(SiteURL.deltaShareWithdrawal(id: record.id.uuidString).path), Forms.csrf(viewer.csrfToken),
                            Forms.version(record.version), Forms.text(reason, maxLength: 500),
                            .button(.class("button"), .type(.submit), .text("撤回")))))
            )
        )
    }
}
