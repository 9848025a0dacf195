import Foundation
import TongdaoCore
import TongdaoHTML
import TongdaoUseCases

/// Signal detection (信号检测) and the signal list (信号清单): a run over a window with every measure
/// beside its threshold, a pair put on the list, a signal moved through its statuses with notes.
enum SignalPages {
    static func figure(_ value: Double) -> String { String(format: "%.2f", value) }

    static func detection(_ run: SignalDetectionRecord, all: Bool, list: [SignalRecord], message: String?, viewer: Viewer) -> String {
        let manages = viewer.may(.manageVigilance)
        let policy = run.policy
        let window = [("level", run.level.rawValue), ("from", run.from.description), ("to", run.to.description)]
        return Layout.render(
            title: "信号检测",
            section: .postMarket,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    .p(.class("small"), .a(.href(SiteURL.adverseEvents(query: nil).path), .text("← 不良事件报告"))),
                    .h1(.text("信号检测")),
                    .p(
                        .class("muted small"),
                        .text(
                            "对期间内提交的报告，按产品（或分类目录子目录）× 事件术语计算 2×2 表、比例报告比 PRR 与 χ²（Yates 校正）、报告比值比 ROR 及其 95% 置信区间、信息成分 IC 及 IC025。"
                                + "现行阈值：PRR ≥ \(figure(policy.prrAtLeast))、χ² ≥ \(figure(policy.chiSquareAtLeast)) 且报告数 ≥ \(policy.minimumCases)；ROR 置信下限 > \(figure(policy.rorLowerAbove)) 且报告数 ≥ \(policy.minimumCases)；IC025 > \(figure(policy.ic025Above))。"
                                + "某格为 0 时 PRR 与 ROR 按各格加 0.5 计算（标“校正”）。"),
                        .text(" "), .a(.href(SiteURL.signalPolicy.path), .text("信号阈值及其版本"))),
                    .form(
                        .method(.get), .action(SiteURL.signals(query: nil).path), .class("filters"),
                        Forms.select(
                            Forms.Field(name: "level", label: "检测层级", value: run.level.rawValue),
                            options: SignalLevel.allCases.map { .init(value: $0.rawValue, label: $0.label) }),
                        Forms.text(Forms.Field(name: "from", label: "起始日期", value: run.from.description), type: "date"),
                        Forms.text(Forms.Field(name: "to", label: "截止日期", value: run.to.description), type: "date"),
                        Forms.checkbox(Forms.Field(name: "all", label: "显示全部组合（不只信号）", value: all ? "true" : "")),
                        .button(.class("button"), .type(.submit), .text("检测"))),
                    .p(.text("期间内报告 \(run.reports) 份，产品 × 术语组合 \(run.pairs) 个，其中达到信号标准 \(run.signals) 个。")),
                    .unwrap(message) { .p(.class("form-errors"), .text($0)) }
                ),
                .section(
                    .class("panel"),
                    run.rows.isEmpty
                        ? .p(.class("muted"), .text(all ? "期间内没有报告。" : "期间内没有达到信号标准的组合。"))
                        : .table(
                            .class("data-table"),
                            .thead(
                                .tr(
                                    .th("检测对象"), .th("事件术语"), .th("a / b / c / d"), .th("PRR"), .th("χ²"), .th("ROR（95% CI）"), .th("IC（IC025）"),
                                    .th("信号"), .th("信号清单"))),
                            .tbody(.forEach(run.rows) { row($0, window: window, manages: manages, viewer: viewer) }))
                ),
                .section(
                    .class("panel"),
                    .h2(.text("信号清单")),
                    list.isEmpty
                        ? .p(.class("muted"), .text("信号清单中暂无信号。"))
                        : .table(
                            .class("data-table"),
                            .thead(.tr(.th("检测对象"), .th("事件术语"), .th("状态"), .th("列入日期"), .th("期间"), .th("a"), .th("PRR"))),
                            .tbody(
                                .forEach(list) { signal in
                                    .tr(
                                        .td(.a(.href(SiteURL.signal(id: signal.id.uuidString).path), .text(signal.subjectName))),
                                        .td(.text(signal.term.chinese)),
                                        .td(statusBadge(signal.status)), .td(.text(signal.detectedOn.description)),
                                        .td(.text("\(signal.from) 至 \(signal.to)")), .td(.text(String(signal.table.a))),
                                        .td(.text(figure(signal.prr))))
                                }))
                )
            )
        )
    }

    static func statusBadge(_ status: SignalStatus) -> Node<HTML.BodyContext> {
        let level =
            switch status {
            case .new: "red"
            case .underAssessment: "amber"
            case .confirmed: "red"
            case .refuted: "none"
            }
        return .span(.class("badge level-\(level)"), .text(status.label))
    }

    private static func row(_ row: SignalRow, window: [(String, String)], manages: Bool, viewer: Viewer) -> Node<HTML.TableContext> {
        let m = row.measures
        let table = m.table
        return .tr(
            .td(.text(row.subjectName)), .td(.text(row.term.chinese)),
            .td(.text("\(table.a) / \(table.b) / \(table.c) / \(table.d)"), .if(m.corrected, .div(.class("small muted"), .text("校正")))),
            .td(.text(figure(m.prr))), .td(.text(figure(m.chiSquare))),
            .td(.text("\(figure(m.ror))（\(figure(m.rorLower))–\(figure(m.rorUpper))）")), .td(.text("\(figure(m.ic))（\(figure(m.ic025))）")),
            .td(.text(row.methods.isEmpty ? "—" : row.methods.map(\.label).joined(separator: "、"))),
            .td(
                row.listed.map { id in .a(.href(SiteURL.signal(id: id.uuidString).path), .text(row.listedStatus?.label ?? "已列入")) }
                    ?? (manages
                        ? .form(
                            .method(.post), .action(SiteURL.signals(query: nil).path), Forms.csrf(viewer.csrfToken),
                            .forEach(window + [("subject", row.subject), ("term", row.term.code)]) {
                                .input(.type(.hidden), .name($0.0), .value($0.1))
                            },
                            .button(.class("button small"), .type(.submit), .text("列入信号清单")))
                        : .text("—"))))
    }

    static func show(_ signal: SignalRecord, typed: AdverseEventPages.Typed?, viewer: Viewer) -> String {
        let status = Forms.Field(name: "status", label: "改为", value: typed?.value("status") ?? "", error: typed?.error("status"), required: true)
        let note = Forms.Field(name: "note", label: "评估意见", value: typed?.value("note") ?? "", error: typed?.error("note"), required: true)
        let table = signal.table
        return Layout.render(
            title: "信号：\(signal.subjectName) × \(signal.term.chinese)",
            section: .postMarket,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    .p(.class("small"), .a(.href(SiteURL.signals(query: nil).path), .text("← 信号检测"))),
                    .h1(.text("信号：\(signal.subjectName) × \(signal.term.chinese)")),
                    .dl(
                        .class("facts"),
                        .dt(.text("状态")), .dd(statusBadge(signal.status)),
                        .dt(.text("检测层级")), .dd(.text(signal.level.label)),
                        .dt(.text("检测期间")), .dd(.text("\(signal.from) 至 \(signal.to)（\(signal.detectedOn) 由\(signal.listedBy)列入）")),
                        .dt(.text("2×2 表")), .dd(.text("a = \(table.a)，b = \(table.b)，c = \(table.c)，d = \(table.d)")),
                        .dt(.text("指标")),
                        .dd(
                            .text(
                                "PRR \(figure(signal.prr))，χ² \(figure(signal.chiSquare))，ROR 置信下限 \(figure(signal.rorLower))，IC025 \(figure(signal.ic025))"
                            )),
                        .dt(.text("达到标准")), .dd(.text(signal.methods.isEmpty ? "—" : signal.methods.map(\.label).joined(separator: "、")))),
                    .if(
                        signal.level == .product,
                        .p(.a(.href(SiteURL.productTrend(id: signal.subject).path), .text("该产品的不良事件趋势报告"))))
                ),
                .section(
                    .class("panel"),
                    .h2(.text("评估记录")),
                    .ol(
                        .class("timeline"),
                        .forEach(signal.notes) { note in
                            .li(.strong(.text(note.status.label)), .text(" \(ShanghaiTime.dateTime(note.at)) \(note.by)"), .div(.text(note.note)))
                        })
                ),
                .if(
                    viewer.may(.manageVigilance) && !signal.status.next.isEmpty,
                    .section(
                        .class("panel"),
                        .h2(.text("更新状态")),
                        Forms.errorSummary([status, note], message: typed?.message),
                        .form(
                            .method(.post), .action(SiteURL.signalStatus(id: signal.id.uuidString).path), Forms.csrf(viewer.csrfToken),
                            Forms.version(signal.version),
                            Forms.select(status, options: signal.status.next.map { .init(value: $0.rawValue, label: $0.label) }, blank: "请选择"),
                            Forms.textarea(note, maxLength: 2_000),
                            .button(.class("button"), .type(.submit), .text("保存")))))
            )
        )
    }

    /// The signal policy (信号阈值): the thresholds in force, every version, and for `city_admin` the
    /// form that puts a new version in force from a day.
    static func policy(inForce: SignalPolicy, versions: [SignalPolicy], form: TypedForm?, today: CivilDate, viewer: Viewer) -> String {
        Layout.render(
            title: "信号阈值",
            section: .postMarket,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    .p(.class("small"), .a(.href(SiteURL.signals(query: nil).path), .text("← 信号检测"))),
                    .h1(.text("信号阈值")),
                    .p(
                        .class("muted small"),
                        .text(
                            "一个产品 × 事件术语组合达到任一方法的标准即列为信号。每次检测按检测之日施行的版本判断；新版本自施行日期起适用，已列入信号清单的信号保留其列入时的数值。")),
                    .h2(.text("现行阈值（\(inForce.effectiveFrom == SignalPolicy.standard.effectiveFrom ? "平台初始阈值" : inForce.effectiveFrom + " 起施行")）")),
                    .table(
                        .class("detail-table"),
                        .tbody(
                            .tr(
                                .th(.text(SignalMethod.prr.label)),
                                .td(
                                    .text(
                                        "PRR ≥ \(figure(inForce.prrAtLeast))、χ² ≥ \(figure(inForce.chiSquareAtLeast)) 且报告数 ≥ \(inForce.minimumCases)")
                                )),
                            .tr(
                                .th(.text(SignalMethod.ror.label)),
                                .td(.text("ROR 95% 置信下限 > \(figure(inForce.rorLowerAbove)) 且报告数 ≥ \(inForce.minimumCases)"))),
                            .tr(.th(.text(SignalMethod.ic.label)), .td(.text("IC025 > \(figure(inForce.ic025Above))")))))
                ),
                .section(
                    .class("panel"),
                    .h2(.text("历次版本")),
                    versions.isEmpty
                        ? .p(.class("muted"), .text("尚未修改，施行平台初始阈值（PRR ≥ 2、χ² ≥ 4、报告数 ≥ 3；ROR 置信下限 > 1；IC025 > 0）。"))
                        : .table(
                            .class("data-table"),
                            .thead(.tr(.th("施行日期"), .th("最少报告数"), .th("PRR / χ²"), .th("ROR 置信下限"), .th("IC025"))),
                            .tbody(
                                .forEach(versions.reversed()) { version in
                                    .tr(
                                        .td(.text(version.effectiveFrom)), .td(.text(String(version.minimumCases))),
                                        .td(.text("≥ \(figure(version.prrAtLeast)) / ≥ \(figure(version.chiSquareAtLeast))")),
                                        .td(.text("> \(figure(version.rorLowerAbove))")), .td(.text("> \(figure(version.ic025Above))")))
                                }))
                ),
                .if(viewer.may(.writeProcedure), policyForm(inForce, form: form, today: today, viewer: viewer))
            )
        )
    }

    private static func policyForm(_ policy: SignalPolicy, form: TypedForm?, today: CivilDate, viewer: Viewer) -> Node<HTML.BodyContext> {
        func field(_ name: String, _ label: String, _ value: String, hint: String? = nil) -> Forms.Field {
            Forms.Field(name: name, label: label, value: form?.values[name] ?? value, error: form?.error(name), hint: hint, required: true)
        }
        func plain(_ value: Double) -> String { value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : String(value) }
        let fields = [
            field("effectiveFrom", "施行日期", today.description, hint: "今天或以后；同一天的版本将被替换"),
            field("minimumCases", "最少报告数", String(policy.minimumCases), hint: "PRR 与 ROR 需要的最少报告数，1 至 1000"),
            field("prrAtLeast", "PRR 不低于", plain(policy.prrAtLeast)), field("chiSquareAtLeast", "χ² 不低于", plain(policy.chiSquareAtLeast)),
            field("rorLowerAbove", "ROR 置信下限高于", plain(policy.rorLowerAbove)),
            field("ic025Above", "IC025 高于", plain(policy.ic025Above), hint: "−100 至 100"),
        ]
        return .section(
            .class("panel"),
            .h2(.text("施行新版本")),
            Forms.errorSummary(fields, message: form?.message),
            .form(
                .method(.post), .action(SiteURL.signalPolicy.path), Forms.csrf(viewer.csrfToken),
                Forms.text(fields[0], type: "date"),
                .forEach(fields.dropFirst()) { Forms.text($0, maxLength: 12) },
                .button(.class("button"), .type(.submit), .text("保存"))))
    }
}
