import Foundation
import TongdaoCore
import TongdaoHTML
import TongdaoUseCases

/// The national monitoring system's export, imported by the vigilance managers: the columns, the
/// upload → dry-run report → confirmation (all rows or none), and the term list's sheet.
enum AdverseEventImportPages {
    static func page(error: String?, viewer: Viewer) -> String {
        Layout.render(
            title: "导入国家监测系统不良事件报告",
            section: .postMarket,
            viewer: viewer,
            script: .uploadScript,
            content: .group(
                .section(
                    .class("panel"),
                    .p(.class("small"), .a(.href(SiteURL.adverseEvents(query: nil).path), .text("← 不良事件报告"))),
                    .h1(.text("导入国家监测系统不良事件报告")),
                    .p(
                        .class("muted small"),
                        .text(
                            "国家医疗器械不良事件监测信息系统导出的报告表，首行为中文表头，列顺序不限，其他列不读取。报告编码已在平台上的行（此前导入过，或平台自己的报告编号）保持不变，同一份表重复导入不会重复登记。是否迟报按报告到达国家系统的时间判断，迟报计入注册人的信用档案。"
                        )),
                    .table(
                        .class("data-table"),
                        .thead(.tr(.th("列"), .th("填写说明"))),
                        .tbody(
                            .forEach(AdverseEventSheet.Column.allCases) { column in
                                .tr(
                                    .td(.text(column.rawValue + (AdverseEventSheet.required.contains(column) ? "（必填）" : ""))),
                                    .td(.class("small"), .text(help(column))))
                            })),
                    .p(
                        .class("small"), .text("事件术语表："),
                        .a(.href(SiteURL.eventTermsExport(format: "xlsx").path), .text("导出 Excel")), .text(" · "),
                        .a(.href(SiteURL.eventTermsExport(format: "csv").path), .text("CSV")),
                        .text("（术语表的导入经接口 POST /api/v1/event-terms/imports 或命令 tongdao vigilance import-terms，逐行校验，全部或全不导入）"))
                ),
                .section(
                    .class("panel narrow"),
                    .h2(.text("上传导出表")),
                    .p(
                        .class("muted small"),
                        .text("Excel / WPS 工作簿（.xlsx，读取第一个工作表）或 CSV 文件（UTF-8 或 GB18030）。上传后先校验并给出报告，确认后才写入；有任何一行出错则全部不导入。")),
                    .form(
                        .method(.post), .action(SiteURL.adverseEventImportUploads.path), .enctype(.multipartData),
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
    static func help(_ column: AdverseEventSheet.Column) -> String {
        switch column {
        case .code: "国家监测系统的报告编码，至多 40 字符；表内不得重复"
        case .certificate: "上市产品的注册证编号；与产品标识至少填一项，都填时须指向同一产品"
        case .udiDI: "产品标识（UDI-DI，GTIN-14 含校验位）"
        case .lot: "至多 20 字符"
        case .serial: "至多 20 字符"
        case .eventOn: "YYYY-MM-DD"
        case .awareOn: "注册人获知的日期，不早于事件发生日期"
        case .awareTime: "HH:mm；群体不良事件必填（12 小时时限自此起算）"
        case .reportedAt: "报告到达国家系统的时间：YYYY-MM-DD HH:mm，或日期（群体不良事件须到分钟）"
        case .seriousness: "死亡、严重伤害、其他，或 \(EventSeriousness.labelList)"
        case .outcome: PatientOutcome.labelList
        case .terms: "事件术语表中的编码或中文名称，多个以“、”分隔，至多 \(AdverseEventUseCases.maximumTerms) 个"
        case .reporterKind: "注册人 或 医疗机构；留空为注册人"
        case .reporterName: "报告单位名称；留空时为注册人名称"
        case .narrative: "事件经过，至多 5000 字（保密，仅评价人员可见）"
        }
    }

    /// The report of a dry run (with the confirmation) or of an import.
    static func report(_ report: AdverseEventImportReport, uploadID: UUID?, filename: String, viewer: Viewer) -> String {
        let title = SheetReport.title(committed: report.committed, rejected: report.rejected)
        return Layout.render(
            title: title,
            section: .postMarket,
            viewer: viewer,
            content: .section(
                .class("panel"),
                .p(.class("small"), .a(.href(SiteURL.adverseEventImport.path), .text("← 导入国家监测系统不良事件报告"))),
                .h1(.text("\(title) · 不良事件报告 · \(filename)")),
                SheetReport.counts(
                    rowsRead: report.rowsRead, added: report.added, updated: 0, unchanged: report.unchanged, addedLabel: "新增报告",
                    extra: [("其中迟报", "\(report.late)")], rejected: report.rejected),
                SheetReport.rejected(report.rejected),
                SheetReport.confirmation(
                    upload: uploadID, committed: report.committed, rejected: report.rejected,
                    commit: { .adverseEventImportCommit(id: $0.uuidString) }, back: .adverseEventImport, csrf: viewer.csrfToken),
                .if(
                    report.committed,
                    .p(.a(.class("button"), .href(SiteURL.adverseEvents(query: "status=submitted").path), .text("查看待评价的报告"))))
            )
        )
    }
}
