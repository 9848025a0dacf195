import Foundation
import TongdaoHTML
import TongdaoCore
import TongdaoUseCases

/// The enterprise registry's pages: list, view, register, edit.
enum EnterprisePages {
    /// Region names for labels and selects: Shanghai's districts, then the partner provinces' cities
    /// (an enterprise registered there is placed in its city, named with its province).
    struct Regions {
        var districts: [Region]
        var parks: [Region]

        init(_ regions: [Region]) {
            let provinces = Dictionary(regions.filter { $0.level == .province }.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
            districts =
                regions.filter { $0.level == .district }
                + regions.filter { $0.level == .city && $0.parentCode != nil }.map { city in
                    var named = city
                    named.name = "\(city.name)（\(provinces[city.parentCode ?? ""] ?? "")）"
                    return named
                }
            parks = regions.filter { $0.level == .park }
        }

        func name(_ code: String?) -> String {
            guard let code else { return "—" }
            return (districts + parks).first { $0.code == code }?.name ?? code
        }
    }

    // MARK: List

    struct ListModel {
        var items: [EnterpriseRecord]
        var regions: Regions
        var q: String
        var district: String
        var park: String
        var nextQuery: String?
        var canWrite: Bool
    }

    static func list(_ model: ListModel, viewer: Viewer) -> String {
        Layout.render(
            title: "企业名录",
            section: .enterprises,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    .div(
                        .class("panel-head"),
                        .h1(.text("企业名录")),
                        .if(model.canWrite, .a(.class("button"), .href(SiteURL.enterpriseNew.path), .text("登记企业")))
                    ),
                    .p(.class("muted small"), .text("仅显示您权限范围内的企业。")),
                    .form(
                        .class("filters"), .method(.get), .action(SiteURL.enterprises(query: nil).path),
                        Forms.text(.init(name: "q", label: "名称或信用代码", value: model.q), maxLength: 100),
                        Forms.select(
                            .init(name: "district", label: "区", value: model.district),
                            options: model.regions.districts.map { .init(value: $0.code, label: $0.name) }, blank: "全部"),
                        Forms.select(
                            .init(name: "park", label: "园区", value: model.park),
                            options: model.regions.parks.map { .init(value: $0.code, label: $0.name) }, blank: "全部"),
                        .div(.class("form-actions"), .button(.class("button secondary"), .type(.submit), .text("筛选")))
                    )
                ),
                .section(
                    .class("panel"),
                    model.items.isEmpty
                        ? .p(.class("muted"), .text("没有符合条件的企业。"))
                        : .table(
                            .class("data-table"),
                            .thead(.tr(.th("企业名称"), .th("统一社会信用代码"), .th("区"), .th("园区"), .th("类型"), .th("初创"))),
                            .tbody(
                                .forEach(model.items) { item in
                                    .tr(
                                        .td(.a(.href(SiteURL.enterprise(id: item.id.uuidString).path), .text(item.name))),
                                        .td(.class("mono"), .text(item.uscc)),
                                        .td(.text(model.regions.name(item.district))),
                                        .td(.text(model.regions.name(item.park))),
                                        .td(.text(item.kind.label)),
                                        .td(.text(item.isStartup ? "是" : "否"))
                                    )
                                })
                        ),
                    .unwrap(model.nextQuery) { .p(.class("pager"), .a(.href(SiteURL.enterprises(query: $0).path), .text("下一页 →"))) }
                )
            )
        )
    }

    // MARK: View

    static func show(
        _ item: EnterpriseRecord, products: [ProductRecord], regions: Regions, canWrite: Bool, creditLink: Bool = false,
        policies: ApplicablePolicies? = nil, viewer: Viewer
    ) -> String {
        let rows: [(String, String)] = [
            ("统一社会信用代码", item.uscc), ("区", regions.name(item.district)), ("园区", regions.name(item.park)),
            ("类型", item.kind.label), ("初创企业", item.isStartup ? "是" : "否"),
            ("联系人", item.contactName ?? "—"), ("联系电话", item.contactPhone ?? "—"),
        ]
        return Layout.render(
            title: item.name,
            section: .enterprises,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    .p(.class("small"), .a(.href(SiteURL.enterprises(query: nil).path), .text("← 企业名录"))),
                    .div(
                        .class("panel-head"),
                        .h1(.text(item.name)),
                        .if(canWrite, .a(.class("button"), .href(SiteURL.enterpriseEdit(id: item.id.uuidString).path), .text("编辑")))
                    ),
                    .dl(.class("facts"), .forEach(rows) { row in .group(.dt(.text(row.0)), .dd(.text(row.1))) }),
                    .if(
                        creditLink,
                        .p(.a(.href(SiteURL.credit(kind: InspectionTargetKind.enterprise.rawValue, id: item.id.uuidString).path), .text("信用档案 →"))))
                ),
                .section(
                    .class("panel"),
                    .div(
                        .class("panel-head"),
                        .h2(.text("在研产品（\(products.count)）")),
                        .if(
                            viewer.may(.writeProducts),
                            .a(.class("button"), .href(SiteURL.productNew(enterprise: item.id.uuidString).path), .text("提交产品")))
                    ),
                    products.isEmpty
                        ? .p(.class("muted"), .text("尚未提交产品。"))
                        : .ul(
                            .forEach(products) { product in
                                .li(
                                    .a(.href(SiteURL.product(id: product.id.uuidString).path), .text(product.name)),
                                    .span(.class("muted small"), .text(" \(product.model) · \(product.stage.label)")))
                            })
                ),
                .unwrap(policies, HandbookPages.applicable)
            )
        )
    }

    // MARK: Form

    /// The form's fields as typed, with their errors.
    struct FormModel {
        var id: String?
        var uscc = Forms.Field(name: "uscc", label: "统一社会信用代码", hint: "18 位，由登记机关核发", required: true)
        var name = Forms.Field(name: "name", label: "企业名称", required: true)
        var district = Forms.Field(name: "district", label: "所在区", required: true)
        var park = Forms.Field(name: "park", label: "所在园区", hint: "不在重点园区的企业可不选")
        var kind = Forms.Field(name: "kind", label: "企业类型", value: EnterpriseKind.registrant.rawValue, required: true)
        var isStartup = Forms.Field(name: "isStartup", label: "初创企业")
        var contactName = Forms.Field(name: "contactName", label: "联系人")
        var contactPhone = Forms.Field(name: "contactPhone", label: "联系电话")
        /// The version of the enterprise the form was opened on (editing only).
        var version: Int?
        var message: String?

        var fields: [Forms.Field] { [uscc, name, district, park, kind, isStartup, contactName, contactPhone] }

        init(id: String? = nil) { self.id = id }

        init(_ item: EnterpriseRecord) {
            self.init(id: item.id.uuidString)
            version = item.version
            uscc.value = item.uscc
            name.value = item.name
            district.value = item.district
            park.value = item.park ?? ""
            kind.value = item.kind.rawValue
            isStartup.value = item.isStartup ? "true" : ""
            contactName.value = item.contactName ?? ""
            contactPhone.value = item.contactPhone ?? ""
        }

        /// The fields a change may make.
        static let editable: [WritableKeyPath<FormModel, Forms.Field>] = [
            \.name, \.district, \.park, \.kind, \.isStartup, \.contactName, \.contactPhone,
        ]

        /// The form again after someone else saved the enterprise since it was opened: what was
        /// typed is kept, each field saved differently says so, and the form is now on that version.
        mutating func rebase(on stored: FormModel, message: String) {
            for path in Self.editable where self[keyPath: path].value != stored[keyPath: path].value {
                self[keyPath: path].saved = stored[keyPath: path].value
            }
            version = stored.version
            self.message = message
        }

        /// Puts each message next to its field.
        mutating func attach(_ messages: [String: String]) {
            for (field, message) in messages.sorted(by: { $0.key < $1.key }) { attach(message, to: field) }
        }

        mutating func attach(_ message: String, to field: String) {
            switch field {
            case "uscc": uscc.error = message
            case "name": name.error = message
            case "district": district.error = message
            case "park": park.error = message
            case "kind": kind.error = message
            case "contactName": contactName.error = message
            case "contactPhone": contactPhone.error = message
            default: self.message = message
            }
        }
    }

    static func form(_ model: FormModel, regions: Regions, viewer: Viewer) -> String {
        let editing = model.id != nil
        let title = editing ? "编辑企业信息" : "登记企业"
        let action = model.id.map { SiteURL.enterprise(id: $0).path } ?? SiteURL.enterprises(query: nil).path
        var uscc = model.uscc
        if editing { uscc.hint = "信用代码是企业的身份标识，登记后不可更改" }
        return Layout.render(
            title: title,
            section: .enterprises,
            viewer: viewer,
            content: .section(
                .class("panel narrow"),
                .h1(.text(title)),
                Forms.errorSummary(model.fields, message: model.message),
                .form(
                    .method(.post), .action(action),
                    Forms.csrf(viewer.csrfToken),
                    Forms.version(model.version),
                    editing
                        ? .group(
                            .div(
                                .class("field"), .label(.text(uscc.label)), .p(.class("mono"), .text(uscc.value)),
                                .p(.class("field-hint small muted"), .text(uscc.hint ?? ""))))
                        : Forms.text(uscc, maxLength: 18),
                    Forms.text(model.name, maxLength: 100),
                    Forms.select(model.district, options: regions.districts.map { .init(value: $0.code, label: $0.name) }, blank: "请选择"),
                    Forms.select(
                        model.park, options: regions.parks.map { .init(value: $0.code, label: "\($0.name)（\(regions.name($0.parentCode))）") },
                        blank: "无"),
                    Forms.select(model.kind, options: EnterpriseKind.allCases.map { .init(value: $0.rawValue, label: $0.label) }),
                    Forms.checkbox(model.isStartup),
                    Forms.text(model.contactName, maxLength: 50),
                    Forms.text(model.contactPhone, type: "tel", maxLength: 30),
                    .div(
                        .class("form-actions"),
                        .button(.class("button"), .type(.submit), .text(editing ? "保存" : "登记")),
                        .a(.href(model.id.map { SiteURL.enterprise(id: $0).path } ?? SiteURL.enterprises(query: nil).path), .text("取消"))
                    )
                )
            )
        )
    }
}
