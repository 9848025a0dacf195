import Foundation
import TongdaoCore
import TongdaoHTML
import TongdaoUseCases

/// The trial registry's sheets: each exported in the viewer's scope, and for the registry's keepers
/// an upload → dry-run report → confirmation, the census's way (all rows or none).
enum TrialSheetPages {
    /// What the upload form shows again after a refusal: the sheet chosen and the error at the file.
    struct Form {
        var sheet: TrialSheet = .institutions
        var error: String?
    }

    /// The sheets the viewer may import: institutions and investigators for the registry's keepers,
    /// trials with their sites for those who write trials.
    static func importable(by viewer: Viewer) -> [TrialSheet] {
        TrialSheet.allCases.filter { sheet in
            viewer.may(sheet == .trials ? .writeTrials : .writeTrialRegistry) && !(sheet == .trials && viewer.role == .trialInstitutionOfficer)
        }
    }

    static func page(form: Form, viewer: Viewer) -> String {
        let sheets = importable(by: viewer)
        return Layout.render(
            title: "临床试验登记表",
            section: .trials,
            viewer: viewer,
            script: sheets.isEmpty ? nil : .uploadScript,
            content: .group(
                .section(
                    .class("panel"),
                    .p(.class("small"), .a(.href(SiteURL.trials(query: nil).path), .text("← 临床试验"))),
                    .h1(.text("临床试验登记表：导出与导入")),
                    .p(.class("muted small"), .text("导出您权限范围内的记录；导出的表修改后可原样导入。")),
                    .table(
                        .class("data-table"),
                        .thead(.tr(.th("登记表"), .th("列"), .th("导出"))),
                        .tbody(
                            .forEach(TrialSheet.allCases) { sheet in
                                .tr(
                                    .td(.text(sheet.label)),
                                    .td(.class("small"), .text(sheet.columns.map(\.rawValue).joined(separator: "、"))),
                                    .td(
                                        .forEach(CensusSheets.Format.allCases) { format in
                                            .a(
                                                .href(SiteURL.trialSheetExport(sheet: sheet, format: format).path),
                                                .text(format == .xlsx ? "Excel " : "CSV "))
                                        }))
                            }))
                ),
                .if(!sheets.isEmpty, uploadForm(form, sheets: sheets, viewer: viewer))
            )
        )
    }

    private static func uploadForm(_ form: Form, sheets: [TrialSheet], viewer: Viewer) -> Node<HTML.BodyContext> {
        .section(
            .class("panel narrow"),
            .h2(.text("导入登记表")),
            .p(
                .class("muted small"),
                .text("Excel / WPS 工作簿（.xlsx，读取第一个工作表）或 CSV 文件（UTF-8 或 GB18030），首行为中文表头，列顺序不限。上传后先校验并给出报告，确认后才写入；有任何一行出错则全部不导入；同一份表再次导入不会重复登记。")),
            .form(
                .method(.post), .action(SiteURL.trialSheetUploads.path), .enctype(.multipartData),
                .attribute(named: "data-progress", value: "upload-progress"),
                Forms.csrf(viewer.csrfToken),
                Forms.select(
                    Forms.Field(name: "sheet", label: "登记表", value: form.sheet.rawValue, required: true),
                    options: sheets.map { Forms.Option(value: $0.rawValue, label: $0.label) }),
                Forms.sheetFile(label: "文件", error: form.error),
                .div(.class("form-actions"), .button(.class("button"), .type(.submit), .text("上传并校验")))
            )
        )
    }

    /// The report of a dry run (with the confirmation) or of an import.
    static func report(_ report: TrialImportReport, uploadID: UUID?, filename: String, viewer: Viewer) -> String {
        let title = SheetReport.title(committed: report.committed, rejected: report.rejected)
        return Layout.render(
            title: title,
            section: .trials,
            viewer: viewer,
            content: .section(
                .class("panel"),
                .p(.class("small"), .a(.href(SiteURL.trialSheets.path), .text("← 临床试验登记表"))),
                .h1(.text("\(title) · \(report.sheet.label) · \(filename)")),
                SheetReport.counts(
                    rowsRead: report.rowsRead, added: report.added, updated: report.updated, unchanged: report.unchanged, rejected: report.rejected),
                SheetReport.rejected(report.rejected),
                .if(
                    !report.likelyDuplicates.isEmpty,
                    .group(
                        .h2(.text("疑似重复登记的研究者（\(report.likelyDuplicates.count)）")),
                        .p(.class("muted small"), .text("这些行与已登记的研究者同名、同机构，且下列信息一致；导入后可在“疑似重复登记的研究者”中核实并合并。")),
                        .table(
                            .class("data-table"),
                            .thead(.tr(.th("行号"), .th("姓名"), .th("一致的信息"))),
                            .tbody(
                                .forEach(report.likelyDuplicates) { duplicate in
                                    .tr(
                                        .td(.text("\(duplicate.row)")),
                                        .td(.a(.href(SiteURL.investigator(id: duplicate.investigatorID.uuidString).path), .text(duplicate.name))),
                                        .td(.text(duplicate.matching.joined(separator: "、"))))
                                })
                        )
                    )),
                SheetReport.confirmation(
                    upload: uploadID, committed: report.committed, rejected: report.rejected, commit: { .trialSheetCommit(id: $0.uuidString) },
                    back: .trialSheets, csrf: viewer.csrfToken)
            )
        )
    }
}
