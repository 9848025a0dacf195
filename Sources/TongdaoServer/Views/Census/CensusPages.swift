import Foundation
import TongdaoHTML
import TongdaoCore
import TongdaoUseCases
import TongdaoXLSX

/// `/census`: the year's figures by district or park, the upload, the dry-run report.
enum CensusPages {
    struct Model {
        var figures: CensusUseCases.Figures
        var canImport: Bool
        var uploadError: String?

        var year: Int { figures.year }
        var years: [Int] { figures.years }
        var grouping: CensusQuality.Grouping { figures.grouping }
        var summaries: [CensusQuality.Summary] { figures.summaries }
        var regionNames: [String: String] { figures.regionNames }
        var previousYearHasData: Bool { figures.previousYearHasData }
    }

    static func percent(_ value: Double) -> String { String(format: "%.0f%%", value * 100) }

    static func render(_ model: Model, viewer: Viewer) -> String {
        let total = CensusQuality.Summary(
            region: nil, enterprises: model.summaries.reduce(0) { $0 + $1.enterprises }, products: model.summaries.reduce(0) { $0 + $1.products },
            completeness: model.summaries.isEmpty
                ? 0
                : model.summaries.reduce(0) { $0 + $1.completeness * Double($1.products) }
                    / Double(max(1, model.summaries.reduce(0) { $0 + $1.products })),
            new: model.summaries.reduce(0) { $0 + $1.new }, dropped: model.summaries.reduce(0) { $0 + $1.dropped },
            advanced: model.summaries.reduce(0) { $0 + $1.advanced })
        let regionHeader = model.grouping == .district ? "区" : "园区"
        /// A change from the year before, or a dash when that year has no data to compare with.
        func compared(_ count: Int) -> String { model.previousYearHasData ? "\(count)" : "—" }
        return Layout.render(
            title: "\(model.year) 年度注册意向",
            section: .products,
            viewer: viewer,
            script: .uploadScript,
            content: .group(
                .section(
                    .class("panel"),
                    .div(
                        .class("panel-head"),
                        .h1(.text("\(model.year) 年度注册意向信息库")),
                        .div(
                            .class("actions"),
                            .a(.class("button secondary"), .href(SiteURL.products(query: nil).path), .text("在研产品")),
                            .a(.class("button secondary"), .href(SiteURL.censusExport(year: model.year, format: .xlsx).path), .text("导出 Excel")),
                            .a(.class("button secondary"), .href(SiteURL.censusExport(year: model.year, format: .csv).path), .text("导出 CSV"))
                        )
                    ),
                    .p(
                        .class("year-nav"),
                        .forEach(model.years) { year in
                            year == model.year ? .strong(.text("\(year)")) : .a(.href(SiteURL.census(year: year).path), .text("\(year)"))
                        }),
                    .p(
                        .class("muted small"),
                        .text(
                            "仅统计您权限范围内的申报。完整度按型号规格、分类编码、重点领域、预计申报时间、联系人、联系电话六项计算；"
                                + (model.previousYearHasData
                                    ? "变化与上一年度（\(model.year - 1)）比较。"
                                    : "上一年度（\(model.year - 1)）无申报数据，新增、未再申报和阶段推进无从比较，以“—”表示。"))),
                    model.summaries.isEmpty
                        ? .p(.class("muted"), .text("本年度尚无申报。"))
                        : .table(
                            .class("data-table"),
                            .thead(.tr(.th(.text(regionHeader)), .th("企业数"), .th("产品数"), .th("完整度"), .th("新增"), .th("未再申报"), .th("阶段推进"))),
                            .tbody(
                                .forEach(model.summaries) { row in
                                    .tr(
                                        .td(.text(row.region.flatMap { model.regionNames[$0] } ?? (model.grouping == .park ? "不在园区" : "—"))),
                                        .td(.text("\(row.enterprises)")), .td(.text("\(row.products)")), .td(.text(percent(row.completeness))),
                                        .td(.text(compared(row.new))), .td(.text(compared(row.dropped))), .td(.text(compared(row.advanced)))
                                    )
                                },
                                .tr(
                                    .class("total"), .td("合计"), .td(.text("\(total.enterprises)")), .td(.text("\(total.products)")),
                                    .td(.text(percent(total.completeness))), .td(.text(compared(total.new))), .td(.text(compared(total.dropped))),
                                    .td(.text(compared(total.advanced)))
                                )
                            )
                        )
                ),
                .if(model.canImport, uploadForm(model, viewer: viewer))
            )
        )
    }

    private static func uploadForm(_ model: Model, viewer: Viewer) -> Node<HTML.BodyContext> {
        .section(
            .class("panel narrow"),
            .h2(.text("导入本辖区的调查表")),
            .p(
                .class("muted small"),
                .text("Excel / WPS 工作簿（.xlsx，读取第一个工作表）或 CSV 文件（UTF-8 或 GB18030），首行为中文表头，列顺序不限。上传后先校验并给出报告，确认后才写入；有任何一行出错则全部不导入。")),
            .form(
                .method(.post), .action(SiteURL.censusUploads.path), .enctype(.multipartData),
                .attribute(named: "data-progress", value: "upload-progress"),
                Forms.csrf(viewer.csrfToken),
                .input(.type(.hidden), .name("year"), .value(String(model.year))),
                Forms.sheetFile(label: "调查表文件", error: model.uploadError),
                .div(.class("form-actions"), .button(.class("button"), .type(.submit), .text("上传并校验")))
            )
        )
    }

    /// The report of a dry run (with the confirmation) or of an import.
    static func report(_ report: CensusImportReport, uploadID: UUID?, filename: String, viewer: Viewer) -> String {
        let title = SheetReport.title(committed: report.committed, rejected: report.rejected)
        return Layout.render(
            title: title,
            section: .products,
            viewer: viewer,
            content: .section(
                .class("panel"),
                .p(.class("small"), .a(.href(SiteURL.census(year: report.year).path), .text("← \(report.year) 年度注册意向"))),
                .h1(.text("\(title) · \(filename)")),
                SheetReport.counts(
                    rowsRead: report.rowsRead, added: report.added, updated: report.updated, unchanged: report.unchanged, addedLabel: "新增申报",
                    extra: [("新登记企业 / 产品", "\(report.enterprisesCreated) / \(report.productsCreated)")], rejected: report.rejected),
                SheetReport.rejected(report.rejected),
                SheetReport.confirmation(
                    upload: uploadID, committed: report.committed, rejected: report.rejected, commit: { .censusCommit(id: $0.uuidString) },
                    back: .census(year: report.year), csrf: viewer.csrfToken)
            )
        )
    }
}
