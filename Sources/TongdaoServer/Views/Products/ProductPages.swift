import Foundation
import TongdaoHTML
import TongdaoCore
import TongdaoUseCases

/// Products under development: list, view, submit, edit.
enum ProductPages {
    struct ListModel {
        var items: [ProductRecord]
        var enterpriseNames: [UUID: String]
        var q: String
        var keyArea: String
        var stage: String
        var nextQuery: String?
        var newProductPath: String?
    }

    static func tags<T: LabelledCode>(_ values: [T]) -> Node<HTML.BodyContext> {
        .span(.class("tags"), .forEach(values) { .span(.class("tag"), .text($0.label)) })
    }

    static func list(_ model: ListModel, viewer: Viewer) -> String {
        Layout.render(
            title: "在研产品",
            section: .products,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    .div(
                        .class("panel-head"),
                        .h1(.text("在研产品")),
                        .unwrap(model.newProductPath) { .a(.class("button"), .href($0), .text("提交产品")) }
                    ),
                    .p(.class("muted small"), .text("仅显示您权限范围内的产品。"), .a(.href(SiteURL.census(year: nil).path), .text(" 年度注册意向 →"))),
                    .form(
                        .class("filters"), .method(.get), .action(SiteURL.products(query: nil).path),
                        Forms.text(.init(name: "q", label: "名称或型号", value: model.q), maxLength: 100),
                        Forms.select(
                            .init(name: "keyArea", label: "重点领域", value: model.keyArea),
                            options: KeyArea.allCases.map { .init(value: $0.rawValue, label: $0.label) }, blank: "全部"),
                        Forms.select(
                            .init(name: "stage", label: "研发阶段", value: model.stage),
                            options: DevelopmentStage.allCases.map { .init(value: $0.rawValue, label: $0.label) }, blank: "全部"),
                        .div(.class("form-actions"), .button(.class("button secondary"), .type(.submit), .text("筛选")))
                    )
                ),
                .section(
                    .class("panel"),
                    model.items.isEmpty
                        ? .p(.class("muted"), .text("没有符合条件的产品。"))
                        : .table(
                            .class("data-table"),
                            .thead(.tr(.th("产品名称"), .th("型号规格"), .th("企业"), .th("类别"), .th("重点领域"), .th("研发阶段"), .th("预计申报"))),
                            .tbody(
                                .forEach(model.items) { item in
                                    .tr(
                                        .td(.a(.href(SiteURL.product(id: item.id.uuidString).path), .text(item.name))),
                                        .td(.text(item.model)),
                                        .td(.text(model.enterpriseNames[item.enterpriseID] ?? item.uscc)),
                                        .td(.text(item.managementClass.label)),
                                        .td(tags(item.keyAreas)),
                                        .td(.text(item.stage.label)),
                                        .td(.text(item.expectedFiling?.description ?? "—"))
                                    )
                                })
                        ),
                    .unwrap(model.nextQuery) { .p(.class("pager"), .a(.href(SiteURL.products(query: $0).path), .text("下一页 →"))) }
                )
            )
        )
    }

    /// A product's path from census to market.
    static func journey(_ journey: ProductJourney) -> Node<HTML.BodyContext> {
        .section(
            .class("panel"),
            .h2(.text("全程：从普查到上市")),
            journey.declarations.isEmpty && journey.applications.isEmpty && journey.guidance.isEmpty
                ? .p(.class("muted"), .text("尚无年度普查申报、注册申请或服务记录。"))
                : .ol(
                    .class("journey"),
                    .forEach(journey.declarations) { record in
                        let declaration = record.declaration
                        return .li(
                            .strong(.text("\(record.year) 年度普查")),
                            .text(
                                "：\(declaration.stage.label)" + (declaration.expectedFiling.map { "，预计 \($0) 申报" } ?? "")
                                    + (declaration.guidanceNeeds.map { "；指导需求：\($0)" } ?? "")))
                    },
                    .forEach(journey.applications) { entry in
                        let application = entry.item.application
                        return .li(
                            .strong(
                                .a(.href(SiteURL.application(id: application.id.uuidString).path), .text("申报 \(application.applicationNumber)"))),
                            .text("（\(application.channel.label)）"), ApplicationPages.badge(entry.item.clock, status: application.status),
                            .ul(
                                .forEach(entry.events) { event in
                                    .li(.text("\(event.event.on) \(event.event.kind.label)" + (event.event.certificate.map { " \($0)" } ?? "")))
                                })
                        )
                    },
                    .forEach(journey.guidance.reversed()) { record in
                        .li(
                            .strong(.a(.href(SiteURL.guidanceRecord(id: record.id.uuidString).path), .text("\(record.heldOn) 一对一服务"))),
                            .text("（\(record.deskName)，\(record.mode.label)）：" + record.topics.map(\.label).joined(separator: "、")))
                    }
                )
        )
    }

    /// This year's census declaration as the form shows it: stored or typed values, and errors.
    struct DeclarationForm: Equatable {
        /// The census year (this year when the form did not say).
        var year: Int?
        /// Whether a declaration for the year is stored already.
        var exists: Bool
        var values: [String: String] = [:]
        var channels: Set<String> = []
        var errors: [String: String] = [:]

        func field(_ name: String, _ label: String, hint: String? = nil) -> Forms.Field {
            Forms.Field(name: name, label: label, value: values[name] ?? "", error: errors[name], hint: hint)
        }
    }

    static func declarationForm(_ form: DeclarationForm, productID: String, viewer: Viewer) -> Node<HTML.BodyContext> {
        let fields = [
            form.field("year", "年度"), form.field("stage", "研发阶段"), form.field("expectedFiling", "预计申报时间", hint: "年月，如 2027-03"),
            form.field("channels", "拟申请通道"),
            form.field("guidanceNeeds", "指导需求", hint: "希望监管部门提供的指导，如分类界定、临床评价路径、检验（不超过 \(CensusDeclaration.guidanceNeedsLength) 字）"),
        ]
        return .section(
            .class("panel narrow"), .id("declaration"),
            .h2(.text("\(form.year.map(String.init) ?? "") 年度注册意向" + (form.exists ? "（已申报，可修改）" : "（尚未申报）"))),
            .p(.class("muted small"), .text("企业本身或所在区、园区的工作人员均可申报；本年度的申报同时更新产品的研发阶段、预计申报时间和拟申请通道。")),
            Forms.errorSummary(fields),
            .form(
                .method(.post), .action(SiteURL.product(id: productID).path + "/census"),
                Forms.csrf(viewer.csrfToken),
                .input(.type(.hidden), .name("year"), .value(form.year.map(String.init) ?? "")),
                .if(form.errors["year"] != nil, .p(.class("field-error"), .text(form.errors["year"] ?? ""))),
                Forms.select(fields[1], options: DevelopmentStage.allCases.map { .init(value: $0.rawValue, label: $0.label) }),
                Forms.text(fields[2], type: "month", maxLength: 7),
                Forms.checkboxes(
                    fields[3], options: FilingChannel.allCases.map { .init(value: $0.rawValue, label: $0.label) }, selected: form.channels),
                Forms.textarea(fields[4], maxLength: CensusDeclaration.guidanceNeedsLength),
                .div(.class("form-actions"), .button(.class("button"), .type(.submit), .text(form.exists ? "保存修改" : "提交申报")))
            )
        )
    }

    /// A marketed product's post-market pages, as far as the viewer reads them.
    static func postMarketLinks(_ id: String, viewer: Viewer) -> Node<HTML.BodyContext> {
        var links: [(String, String)] = [(SiteURL.productUDI(id: id).path, "产品标识（UDI-DI）")]
        if viewer.may(.readAdverseEvents) {
            links.append((SiteURL.adverseEvents(query: "product=\(id)").path, "不良事件报告"))
            links.append((SiteURL.productTrend(id: id).path, "趋势报告"))
        }
        if viewer.may(.readObligations) { links.append((SiteURL.obligations(query: "product=\(id)").path, "附条件批准义务")) }
        if viewer.may(.readRiskChecklist) || viewer.may(.reportPeriodicRisk) { links.append((SiteURL.productRisk(id: id).path, "风险档案")) }
        return .p(
            .class("small"), .text("上市后："),
            .forEach(Array(links.enumerated())) { index, link in
                .group(.if(index > 0, .text(" · ")), .a(.href(link.0), .text(link.1)))
            })
    }

    static func show(
        _ journey: ProductJourney, canWrite: Bool, declaration: DeclarationForm?, matches: TrialMatching.Outcome?, viewer: Viewer
    ) -> String {
        let item = journey.product
        let enterpriseName = journey.enterpriseName
        let draft = item.draft
        let marketed = journey.applications.contains { $0.item.application.certificate != nil }
        let rows: [(String, String)] = [
            ("型号规格", draft.model.isEmpty ? "—" : draft.model), ("产品类别", draft.category.label), ("管理类别", draft.managementClass.label),
            ("分类编码", draft.classificationCode.map { "\($0) \(ClassificationCode.subCatalogues[String($0.prefix(2))] ?? "")" } ?? "—"),
            ("重点领域", draft.keyAreas.map(\.label).joined(separator: "、")), ("研发阶段", draft.stage.label),
            ("预计申报时间", draft.expectedFiling?.description ?? "—"),
            ("拟申请通道", draft.channels.isEmpty ? "—" : draft.channels.map(\.label).joined(separator: "、")),
            ("核心专利", draft.corePatents ?? "—"), ("技术特点", draft.technicalFeatures ?? "—"), ("临床优势", draft.clinicalAdvantage ?? "—"),
            ("UDI-DI", draft.udiDI ?? "—"),
        ]
        return Layout.render(
            title: item.name,
            section: .products,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    .p(.class("small"), .a(.href(SiteURL.products(query: nil).path), .text("← 在研产品"))),
                    .div(
                        .class("panel-head"),
                        .h1(.text(item.name)),
                        .div(
                            .class("actions"),
                            .if(
                                viewer.may(.writeApplications),
                                .a(.class("button secondary"), .href(SiteURL.applicationNew(product: item.id.uuidString).path), .text("登记受理"))),
                            .if(canWrite, .a(.class("button"), .href(SiteURL.productEdit(id: item.id.uuidString).path), .text("编辑")))
                        )
                    ),
                    .p(.a(.href(SiteURL.enterprise(id: item.enterpriseID.uuidString).path), .text(enterpriseName))),
                    .if(marketed, postMarketLinks(item.id.uuidString, viewer: viewer)),
                    .dl(.class("facts"), .forEach(rows) { row in .group(.dt(.text(row.0)), .dd(.text(row.1))) })
                ), .unwrap(declaration) { declarationForm($0, productID: item.id.uuidString, viewer: viewer) },
                .unwrap(matches) { TrialMatchPages.panel($0, productID: item.id) }, Self.journey(journey),
                .if(
                    viewer.may(.proposeKeyVarieties),
                    .p(.a(.class("button secondary"), .href(SiteURL.keyVarietyNew(product: item.id.uuidString).path), .text("推荐列入在研重点品种服务清单")))))
        )
    }

    /// The form as typed, with errors.
    struct FormModel {
        var id: String?
        var enterpriseID: String
        var enterpriseName: String
        var values: [String: String] = [:]
        var keyAreas: Set<String> = []
        var channels: Set<String> = []
        var errors: [String: String] = [:]
        /// The version of the product the form was opened on (editing only).
        var version: Int?
        /// What is saved now in the fields someone else changed differently since the form was opened.
        var saved: [String: String] = [:]
        var message: String?

        init(id: String? = nil, enterpriseID: String, enterpriseName: String) {
            self.id = id
            self.enterpriseID = enterpriseID
            self.enterpriseName = enterpriseName
        }

        /// The form of a stored product, as its edit page opens it.
        init(_ item: ProductRecord, enterpriseName: String) {
            self.init(id: item.id.uuidString, enterpriseID: item.enterpriseID.uuidString, enterpriseName: enterpriseName)
            let draft = item.draft
            values = [
                "name": draft.name, "model": draft.model, "category": draft.category.rawValue, "managementClass": draft.managementClass.rawValue,
                "classificationCode": draft.classificationCode ?? "", "stage": draft.stage.rawValue,
                "expectedFiling": draft.expectedFiling?.description ?? "", "corePatents": draft.corePatents ?? "",
                "technicalFeatures": draft.technicalFeatures ?? "", "clinicalAdvantage": draft.clinicalAdvantage ?? "", "udiDI": draft.udiDI ?? "",
            ]
            keyAreas = Set(draft.keyAreas.map(\.rawValue))
            channels = Set(draft.channels.map(\.rawValue))
            version = item.version
        }

        /// The form again after someone else saved the product since it was opened: what was typed
        /// is kept, each field saved differently says so, and the form is now on that version.
        mutating func rebase(on stored: FormModel, message: String) {
            for (name, value) in stored.values where (values[name] ?? "") != value { saved[name] = value }
            if keyAreas != stored.keyAreas { saved["keyAreas"] = stored.keyAreas.sorted().joined(separator: ",") }
            if channels != stored.channels { saved["channels"] = stored.channels.sorted().joined(separator: ",") }
            version = stored.version
            self.message = message
        }

        func field(_ name: String, _ label: String, hint: String? = nil, required: Bool = false) -> Forms.Field {
            Forms.Field(name: name, label: label, value: values[name] ?? "", error: errors[name], hint: hint, required: required, saved: saved[name])
        }
    }

    static func form(_ model: FormModel, viewer: Viewer) -> String {
        let editing = model.id != nil
        let title = editing ? "编辑产品信息" : "提交在研产品"
        let fields = [
            model.field("name", "产品名称", required: true), model.field("model", "型号规格"), model.field("category", "产品类别"),
            model.field("managementClass", "管理类别"), model.field("classificationCode", "分类编码"), model.field("keyAreas", "重点领域"),
            model.field("stage", "研发阶段"), model.field("expectedFiling", "预计申报时间"), model.field("channels", "拟申请通道"),
            model.field("corePatents", "核心专利"), model.field("technicalFeatures", "技术特点"), model.field("clinicalAdvantage", "临床优势"),
            model.field("udiDI", "UDI-DI"),
        ]
        return Layout.render(
            title: title,
            section: .products,
            viewer: viewer,
            content: .section(
                .class("panel narrow"),
                .h1(.text(title)),
                .p(.class("muted"), .text(model.enterpriseName)),
                Forms.errorSummary(fields, message: model.message),
                .form(
                    .method(.post), .action(model.id.map { SiteURL.product(id: $0).path } ?? SiteURL.products(query: nil).path),
                    Forms.csrf(viewer.csrfToken),
                    .input(.type(.hidden), .name("enterpriseId"), .value(model.enterpriseID)),
                    Forms.version(model.version),
                    Forms.text(fields[0], maxLength: 100),
                    Forms.text(fields[1], maxLength: 100),
                    Forms.select(fields[2], options: ProductCategory.allCases.map { .init(value: $0.rawValue, label: $0.label) }),
                    Forms.select(fields[3], options: ManagementClass.allCases.map { .init(value: $0.rawValue, label: $0.label) }),
                    Forms.text(model.field("classificationCode", "分类编码", hint: "2017 版分类目录子目录，如 06 或 03-13"), maxLength: 5),
                    Forms.checkboxes(
                        fields[5], options: KeyArea.allCases.map { .init(value: $0.rawValue, label: $0.label) }, selected: model.keyAreas),
                    Forms.select(fields[6], options: DevelopmentStage.allCases.map { .init(value: $0.rawValue, label: $0.label) }),
                    Forms.text(model.field("expectedFiling", "预计申报时间", hint: "年月，如 2027-03"), type: "month", maxLength: 7),
                    Forms.checkboxes(
                        fields[8], options: FilingChannel.allCases.map { .init(value: $0.rawValue, label: $0.label) }, selected: model.channels),
                    Forms.textarea(fields[9], maxLength: ProductDraft.textLength),
                    Forms.textarea(fields[10], maxLength: ProductDraft.textLength),
                    Forms.textarea(fields[11], maxLength: ProductDraft.textLength),
                    Forms.text(model.field("udiDI", "UDI-DI", hint: "14 位 GS1 GTIN（如已分配）"), maxLength: 14),
                    .div(
                        .class("form-actions"),
                        .button(.class("button"), .type(.submit), .text(editing ? "保存" : "提交")),
                        .a(.href(model.id.map { SiteURL.product(id: $0).path } ?? SiteURL.products(query: nil).path), .text("取消"))
                    )
                )
            )
        )
    }
}
