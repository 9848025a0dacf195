import Foundation
import TongdaoCore
import TongdaoHTML
import TongdaoUseCases

/// A marketed product's UDI-DIs (产品标识): each with its issuing agency, packaging level and
/// quantity; the form that records one (the registrant on its own product, the regulator), and
/// removal of one recorded in error.
enum UDIPages {
    static func page(product: ProductRecord, records: [UDIRecord], typed: TypedForm?, viewer: Viewer) -> String {
        let canWrite = viewer.may(.writeProducts)
        func field(_ name: String, _ label: String, hint: String? = nil, required: Bool = true) -> Forms.Field {
            Forms.Field(name: name, label: label, value: typed?.value(name) ?? "", error: typed?.error(name), hint: hint, required: required)
        }
        let di = field("di", "产品标识（UDI-DI）", hint: "GS1 为 14 位 GTIN（含校验位）")
        let agency = field("agency", "发码机构")
        let packaging = field("packaging", "包装级别")
        let quantity = field("quantity", "包装内数量", hint: "最小销售单元为 1", required: false)
        let id = product.id.uuidString
        return Layout.render(
            title: "产品标识 · \(product.name)",
            section: .products,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    .p(.class("small"), .a(.href(SiteURL.product(id: id).path), .text("← \(product.name)"))),
                    .h1(.text("产品标识（UDI-DI） · \(product.name)")),
                    records.isEmpty
                        ? .p(.class("muted"), .text("尚未登记产品标识。"))
                        : .table(
                            .class("data-table"),
                            .thead(.tr(.th("产品标识"), .th("发码机构"), .th("包装级别"), .th("包装内数量"), .if(canWrite, .th("")))),
                            .tbody(
                                .forEach(records) { record in
                                    .tr(
                                        .td(.class("code"), .text(record.di)), .td(.text(record.agency.label)), .td(.text(record.packaging.label)),
                                        .td(.text(String(record.quantity))),
                                        .if(
                                            canWrite,
                                            .td(
                                                .form(
                                                    .method(.post), .action(SiteURL.productUDIRemove(id: id, udi: record.id.uuidString).path),
                                                    Forms.csrf(viewer.csrfToken),
                                                    .button(.class("button secondary"), .type(.submit), .text("删除（登记有误）"))))))
                                }))
                ),
                .if(
                    canWrite,
                    .section(
                        .class("panel narrow"),
                        .h2(.text("登记产品标识")),
                        Forms.errorSummary([di, agency, packaging, quantity], message: typed?.message),
                        .form(
                            .method(.post), .action(SiteURL.productUDI(id: id).path), Forms.csrf(viewer.csrfToken),
                            Forms.text(di, maxLength: 64),
                            Forms.select(agency, options: UDIAgency.allCases.map { .init(value: $0.rawValue, label: $0.label) }, blank: "请选择"),
                            Forms.select(
                                packaging, options: PackagingLevel.allCases.map { .init(value: $0.rawValue, label: $0.label) }, blank: "请选择"),
                            Forms.text(quantity, maxLength: 6),
                            .button(.class("button"), .type(.submit), .text("登记")))))
            )
        )
    }
}
