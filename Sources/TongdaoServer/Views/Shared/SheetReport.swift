import Foundation
import TongdaoCore
import TongdaoHTML

/// The parts of an import's report page that every sheet shares: the rejected rows, and the
/// confirmation of a dry run that passed.
enum SheetReport {
    /// The page's title: imported, passed and waiting for the confirmation, or refused.
    static func title(committed: Bool, rejected: [RowProblem]) -> String {
        committed ? "导入完成" : (rejected.isEmpty ? "校验通过，待确认" : "校验未通过")
    }

    /// The report's counts: rows read, added, updated, unchanged (`extra` between them and the rows
    /// in error), and the rows in error.
    static func counts(
        rowsRead: Int, added: Int, updated: Int, unchanged: Int, addedLabel: String = "新增", extra: [(String, String)] = [],
        rejected: [RowProblem]
    ) -> Node<HTML.BodyContext> {
        .dl(
            .class("facts"),
            .dt("读取行数"), .dd(.text("\(rowsRead)")),
            .dt(.text(addedLabel)), .dd(.text("\(added)")),
            .dt("更新"), .dd(.text("\(updated)")),
            .dt("无变化"), .dd(.text("\(unchanged)")),
            .forEach(extra) { .group(.dt(.text($0.0)), .dd(.text($0.1))) },
            .dt("出错行数"), .dd(.text("\(Set(rejected.map(\.row)).count)"))
        )
    }

    /// Every rejected row by its row and column, under the notice that nothing was imported.
    static func rejected(_ problems: [RowProblem]) -> Node<HTML.BodyContext> {
        .if(
            !problems.isEmpty,
            .group(
                .div(.class("form-errors"), .attribute(named: "role", value: "alert"), .p(.text("以下行有错误，整份文件均未导入。请在原表中修改后重新上传。"))),
                .table(
                    .class("data-table"),
                    .thead(.tr(.th("行号"), .th("列"), .th("原因"))),
                    .tbody(
                        .forEach(problems) { problem in
                            .tr(.td(.text("\(problem.row)")), .td(.text(problem.column)), .td(.text(problem.reason)))
                        })
                )
            ))
    }

    /// The confirmation of a kept upload whose dry run passed (nothing once it is imported).
    static func confirmation(upload: UUID?, committed: Bool, rejected: [RowProblem], commit: (UUID) -> SiteURL, back: SiteURL, csrf: String)
        -> Node<HTML.BodyContext>
    {
        .unwrap(upload) { id in
            .if(
                rejected.isEmpty && !committed,
                .form(
                    .method(.post), .action(commit(id).path),
                    Forms.csrf(csrf),
                    .div(.class("form-actions"), .button(.class("button"), .type(.submit), .text("确认导入")), .a(.href(back.path), .text("放弃")))
                ))
        }
    }
}
