import Foundation
import TongdaoCore
import TongdaoHTML
import TongdaoUseCases

/// The inspector pool as a sheet, for its managers: the columns and how the lists are written, the
/// export, and an upload → dry-run report → confirmation, the census's way (all rows or none).
enum InspectorSheetPages {
    static func page(error: String?, viewer: Viewer) -> String {
        Layout.render(
            title: "检查员库导入",
            section: .inspections,
            viewer: viewer,
            script: .uploadScript,
            content: .group(
                .section(
                    .class("panel"),
                    .p(.class("small"), .a(.href(SiteURL.inspectors(query: nil).path), .text("← 检查员库"))),
                    .h1(.text("检查员库：导出与导入")),
                    .p(
                        .class("small"), .text("先导出现有检查员库（"),
                        .a(.href(SiteURL.inspectorsExport(format: "xlsx").path), .text("Excel")), .text(" · "),
                        .a(.href(SiteURL.inspectorsExport(format: "csv").path), .text("CSV")),
                        .text("），修改后原样导入；导出表末尾的年度培训学时和履职情况列只供查看，导入时不读取。")),
                    .table(
                        .class("data-table"),
                        .thead(.tr(.th("列"), .th("填写说明"))),
                        .tbody(
                            .forEach(InspectorSheet.Column.allCases) { column in
                                .tr(
                                    .td(.text(column.rawValue + (InspectorSheet.required.contains(column) ? "（必填）" : ""))),
                                    .td(.class("small"), .text(help(column))))
                            }))
                ),
                .section(
                    .class("panel narrow"),
                    .h2(.text("导入检查员库")),
                    .p(
                        .class("muted small"),
                        .text(
                            "Excel / WPS 工作簿（.xlsx，读取第一个工作表）或 CSV 文件（UTF-8 或 GB18030），首行为中文表头，列顺序不限。上传后先校验并给出报告，确认后才写入；有任何一行出错则全部不导入；表中未列出的检查员保持不变。")),
                    .form(
                        .method(.post), .action(SiteURL.inspectorSheetUploads.path), .enctype(.multipartData),
                        .attribute(named: "data-progress", value: "upload-progress"),
                        Forms.csrf(viewer.csrfToken),
                        Forms.sheetFile(label: "文件", error: error),
                        .div(.class("form-actions"), .button(.class("button"), .type(.submit), .text("上传并校验")))
                    )
                )
            )
        )
    }

    /// How a column is filled in.
    static func help(_ column: InspectorSheet.Column) -> String {
        switch column {
        case .id: "平台的检查员编号；新增检查员留空，修改已有检查员时保留导出的编号"
        case .name: "至多 40 字"
        case .username: "关联的用户账号（承担检查工作的角色）；一个账号只能关联一名检查员；可留空"
        case .categories: "\(InspectorCategory.labelList)，多个以“、”分隔"
        case .specialties: "\(InspectionSpecialty.labelList)，多个以“、”分隔"
        case .fullTime: "专职 或 兼职"
        case .rank: InspectorRank.labelList
        case .capacityDays: "0 至 366 的整数"
        case .status: "在库 或 已退出；留空为在库"
        case .employments: "每条一行：单位名称 | 统一社会信用代码 | 起始日期 | 结束日期（代码和结束日期可留空）"
        case .relationships: "每条一行：关联单位 | 统一社会信用代码 | 关系类型（\(RelationshipKind.labelList)）| 申报日期 | 说明"
        case .trainings: "每条一行：培训日期 | 培训课程 | 学时（至多一位小数）"
        }
    }

    /// The report of a dry run (with the confirmation) or of an import.
    static func report(_ report: InspectorImportReport, uploadID: UUID?, filename: String, viewer: Viewer) -> String {
        let title = SheetReport.title(committed: report.committed, rejected: report.rejected)
        return Layout.render(
            title: title,
            section: .inspections,
            viewer: viewer,
            content: .section(
                .class("panel"),
                .p(.class("small"), .a(.href(SiteURL.inspectorSheet.path), .text("← 检查员库导入"))),
                .h1(.text("\(title) · 检查员库 · \(filename)")),
                SheetReport.counts(
                    rowsRead: report.rowsRead, added: report.added, updated: report.updated, unchanged: report.unchanged, rejected: report.rejected),
                SheetReport.rejected(report.rejected),
                SheetReport.confirmation(
                    upload: uploadID, committed: report.committed, rejected: report.rejected, commit: { .inspectorSheetCommit(id: $0.uuidString) },
                    back: .inspectorSheet, csrf: viewer.csrfToken)
            )
        )
    }
}
