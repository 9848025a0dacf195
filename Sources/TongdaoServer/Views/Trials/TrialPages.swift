import Foundation
import TongdaoCharts
import TongdaoCore
import TongdaoHTML
import TongdaoUseCases

/// The clinical-trial pages: the trial list and a trial, an institution, an investigator, and the
/// investigators carrying too many trials at once.
enum TrialPages {
    /// The 12-week start rule as a badge.
    static func startBadge(_ reading: StartRule.Reading) -> Node<HTML.BodyContext> {
        switch reading {
        case .notApplicable:
            return .span(.class("muted small"), .text("—"))
        case .started(let on, let late):
            return .span(
                .class("badge \(late ? "level-red" : "level-none")"), .text(late ? "启动超期（首例知情同意 \(on.description)）" : "已启动 \(on.description)"))
        case .waiting(let level, let daysLeft, let due):
            let text = daysLeft >= 0 ? "待启动 · 剩 \(daysLeft) 日（\(due.description) 前）" : "未按期启动 · 超 \(-daysLeft) 日"
            return .span(.class("badge level-\(level.rawValue)"), .title("批准后 12 周内应完成首例知情同意"), .text(text))
        }
    }

    static func dates(_ site: SiteRecord) -> String {
        [
            ("伦理", site.dates.ethicsApprovedOn), ("启动", site.dates.activatedOn), ("首例", site.dates.firstSubjectOn), ("关闭", site.dates.closedOn),
        ].compactMap { label, day in day.map { "\(label) \($0.description)" } }.joined(separator: " · ").nonEmpty ?? "—"
    }

    private static func panelHead(_ title: String, count: Int? = nil) -> Node<HTML.BodyContext> {
        .div(.class("panel-head"), .h1(.text(count.map { "\(title)（\($0)）" } ?? title)))
    }

    // MARK: List

    static func list(_ trials: [TrialRecord], names: TrialUseCases.Names, nextQuery: String?, viewer: Viewer) -> String {
        Layout.render(
            title: "临床试验",
            section: .trials,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    panelHead("临床试验"),
                    .p(.class("muted small"), .text("仅显示您权限范围内的试验：申办者在您辖区内，或在本机构开展。")),
                    .p(
                        .a(.href(SiteURL.piLoad.path), .text("研究者同期承担项目预警 →")), .text(" "),
                        .a(.href(SiteURL.trialMatching(query: nil).path), .text("在研产品的临床试验机构匹配 →")),
                        .if(
                            viewer.may(.writeTrialRegistry),
                            .group(.text(" "), .a(.href(SiteURL.investigatorDuplicates.path), .text("疑似重复登记的研究者 →"))))),
                    .p(
                        .class("small"),
                        .a(
                            .href(SiteURL.trialSheets.path),
                            .text(viewer.may(.writeTrialRegistry) || viewer.may(.writeTrials) ? "登记表的导入与导出 →" : "登记表的导出 →")),
                        .text(" 导出："),
                        .forEach(TrialSheet.allCases) { sheet in
                            .span(
                                .text(" \(sheet.label) "),
                                .forEach(CensusSheets.Format.allCases) { format in
                                    .a(.href(SiteURL.trialSheetExport(sheet: sheet, format: format).path), .text(" \(format.rawValue.uppercased())"))
                                })
                        })
                ),
                .section(
                    .class("panel"),
                    trials.isEmpty
                        ? .p(.class("muted"), .text("没有临床试验。"))
                        : .table(
                            .class("data-table"),
                            .thead(.tr(.th("登记号"), .th("试验题目"), .th("类别"), .th("分期"), .th("状态"), .th("申办者"), .th("中心数"), .th("12 周启动"))),
                            .tbody(
                                .forEach(trials) { trial in
                                    .tr(
                                        .td(.class("mono"), .a(.href(SiteURL.trial(id: trial.id.uuidString).path), .text(trial.registrationNumber))),
                                        .td(.text(trial.title)),
                                        .td(.text(trial.kind.label)),
                                        .td(.text(trial.phase.label)),
                                        .td(.text(trial.status.label)),
                                        .td(.text(names.sponsor(trial.sponsorID))),
                                        .td(.text(String(trial.sites.count))),
                                        .td(startBadge(trial.start))
                                    )
                                })
                        ),
                    .unwrap(nextQuery) { .p(.class("pager"), .a(.href(SiteURL.trials(query: $0).path), .text("下一页 →"))) }
                )
            )
        )
    }

    // MARK: A trial

    static func show(_ detail: TrialDetail, names: TrialUseCases.Names, viewer: Viewer) -> String {
        let trial = detail.trial
        let rows: [(String, String)] =
            [
                ("登记号 / 备案号", trial.registrationNumber), ("类别", trial.kind.label), ("分期", trial.phase.label), ("状态", trial.status.label),
                ("申办者", names.sponsor(trial.sponsorID)), ("批准（备案）日期", trial.approvedOn ?? "—"),
                ("30 个工作日审评审批试点", trial.pilot ? "是" : "否"), ("首例知情同意", trial.firstConsentOn ?? "—"),
            ]
            + (trial.kind == .drug
                ? []
                : [
                    ("产品管理类别", trial.deviceClass?.label ?? "—"), ("创新产品", trial.innovative ? "是" : "否"),
                    ("需审批的临床试验", trial.needsApproval ? "是（应在三级甲等医疗机构开展）" : "否"),
                ])
        return Layout.render(
            title: trial.title,
            section: .trials,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    .p(.class("small"), .a(.href(SiteURL.trials(query: nil).path), .text("← 临床试验"))),
                    .div(.class("panel-head"), .h1(.text(trial.title)), startBadge(trial.start)),
                    .dl(.class("facts"), .forEach(rows) { row in .group(.dt(.text(row.0)), .dd(.text(row.1))) })
                ),
                .section(
                    .class("panel"),
                    .h2(.text("参加机构（\(trial.sites.count)）")),
                    trial.sites.isEmpty
                        ? .p(.class("muted"), .text("尚未登记参加机构。"))
                        : .table(
                            .class("data-table"),
                            .thead(.tr(.th("机构"), .th("主要研究者"), .th("角色"), .th("日期"), .th("入组（实际 / 计划）"), .th("资格豁免"))),
                            .tbody(
                                .forEach(trial.sites) { site in
                                    .tr(
                                        .td(
                                            .a(
                                                .href(SiteURL.trialInstitution(id: site.institutionID.uuidString).path),
                                                .text(names.institution(site.institutionID)))),
                                        .td(
                                            .a(
                                                .href(SiteURL.investigator(id: site.investigatorID.uuidString).path),
                                                .text(names.investigator(site.investigatorID)))),
                                        .td(.text(site.role.label)),
                                        .td(.class("small"), .text(dates(site))),
                                        .td(
                                            .text("\(site.actualEnrolment.map(String.init) ?? "—") / \(site.targetEnrolment.map(String.init) ?? "—")")
                                        ),
                                        .td(.class("small"), .text(site.exemption ?? "—"))
                                    )
                                })
                        )
                ),
                .section(
                    .class("panel"),
                    .h2(.text("试验进程")),
                    .ol(
                        .class("timeline"),
                        .forEach(detail.events) { event in
                            .li(
                                .span(.class("mono"), .text(event.on)), .text(" "), .text(Self.label(event)),
                                .unwrap(event.siteID) { site in
                                    .unwrap(trial.sites.first { $0.id == site }) { .text("：\(names.institution($0.institutionID))") }
                                })
                        })
                )
            )
        )
    }

    static func label(_ event: TrialEventRecord) -> String {
        switch event.kind {
        case .registered: "登记试验（\(event.status?.label ?? "")）"
        case .statusChanged: "状态变更为\(event.status?.label ?? "")"
        case .siteAdded: "增加参加机构"
        case .siteChanged: "修改参加机构信息"
        }
    }

    // MARK: An institution

    /// A median in days as a page says it: whole days, or a half.
    static func days(_ median: Double?, over sites: Int) -> String {
        guard let median else { return "—" }
        return "\(SiteTimes.text(median)) 日（\(sites) 个中心）"
    }

    private static func timesTable(_ times: SiteTimes.Report) -> Node<HTML.BodyContext> {
        let rows = [("全部专业", times.overall)] + times.bySpecialty.map { ($0.specialty, $0.summary) }
        return .table(
            .class("data-table"),
            .thead(.tr(.th("专业"), .th("试验中心"), .th("伦理审查用时（中位数）"), .th("中心启动用时（中位数）"))),
            .tbody(
                .forEach(rows) { name, summary in
                    .tr(
                        .td(.text(name)), .td(.text(String(summary.sites))),
                        .td(.text(days(summary.ethicsMedianDays, over: summary.ethicsSites))),
                        .td(.text(days(summary.activationMedianDays, over: summary.activationSites))))
                })
        )
    }

    static func institution(
        _ institution: InstitutionRecord, investigators: [InvestigatorRecord], times: SiteTimes.Report, creditLink: Bool = false, viewer: Viewer
    ) -> String {
        let rows: [(String, String)] = [
            ("机构代码", institution.code), ("所在地", institution.place),
            ("医院等级", institution.grade.label), ("状态", institution.status.label),
            ("药物临床试验机构备案", institution.drugFilingNumber.map { "\($0)（\(institution.drugFiledOn ?? "")）" } ?? "—"),
            ("医疗器械临床试验机构备案", institution.deviceFilingNumber.map { "\($0)（\(institution.deviceFiledOn ?? "")）" } ?? "—"),
        ]
        return Layout.render(
            title: institution.name,
            section: .trials,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    .p(.class("small"), .a(.href(SiteURL.trials(query: nil).path), .text("← 临床试验"))),
                    .div(.class("panel-head"), .h1(.text(institution.name))),
                    .dl(.class("facts"), .forEach(rows) { row in .group(.dt(.text(row.0)), .dd(.text(row.1))) }),
                    .p(
                        .a(
                            .href(SiteURL.trials(query: SiteURL.query([("institution", institution.id.uuidString)])).path),
                            .text("在本机构开展的试验 →")),
                        .if(
                            creditLink,
                            .group(
                                .text(" "),
                                .a(
                                    .href(SiteURL.credit(kind: InspectionTargetKind.trialInstitution.rawValue, id: institution.id.uuidString).path),
                                    .text("信用档案 →")))))
                ),
                .section(
                    .class("panel"),
                    .h2(.text("备案专业（\(institution.specialties.count)）")),
                    institution.specialties.isEmpty
                        ? .p(.class("muted"), .text("未登记备案专业。"))
                        : .table(
                            .class("data-table"), .thead(.tr(.th("专业"), .th("备案日期"))),
                            .tbody(.forEach(institution.specialties) { .tr(.td(.text($0.name)), .td(.text($0.filedOn))) }))
                ),
                .section(
                    .class("panel"),
                    .h2(.text("启动用时")),
                    .p(
                        .class("muted small"),
                        .text("按自然日计：伦理审查指本机构作为参加单位时，自组长单位伦理批准起至本中心伦理批准（先于组长单位的记 0 日）；中心启动自本中心伦理批准起至启动。取各中心的中位数，按主要研究者的专业分列。")),
                    times.overall.sites == 0 ? .p(.class("muted"), .text("本机构尚无试验中心。")) : timesTable(times)
                ),
                .section(
                    .class("panel"),
                    .h2(.text("研究者（\(investigators.count)）")),
                    investigators.isEmpty
                        ? .p(.class("muted"), .text("未登记研究者。"))
                        : investigatorTable(investigators, institutions: [:])
                )
            )
        )
    }

    static func investigatorTable(_ investigators: [InvestigatorRecord], institutions: [UUID: String]) -> Node<HTML.BodyContext> {
        .table(
            .class("data-table"),
            .thead(
                .tr(
                    .if(!institutions.isEmpty, .th("机构")), .th("姓名"), .th("专业"), .th("职称"), .th("既往试验"), .th("在研中心（阈值）"))),
            .tbody(
                .forEach(investigators) { investigator in
                    .tr(
                        .if(!institutions.isEmpty, .td(.text(institutions[investigator.institutionID] ?? "—"))),
                        .td(.a(.href(SiteURL.investigator(id: investigator.id.uuidString).path), .text(investigator.name))),
                        .td(.text(investigator.specialty)),
                        .td(.text(investigator.title + (investigator.senior ? "（高级）" : ""))),
                        .td(.text(String(investigator.earlierTrials))),
                        .td(
                            .span(
                                .class(investigator.overloaded ? "badge level-red" : "badge level-none"),
                                .text("\(investigator.activeSites)（\(investigator.threshold)）")),
                            .forEach(investigator.excesses.filter { $0.phase != nil }) { excess in
                                .span(.class("badge level-red"), .text("\(excess.phase?.label ?? "")\(excess.load)（\(excess.limit)）"))
                            })
                    )
                })
        )
    }

    // MARK: An investigator

    static func investigator(
        _ investigator: InvestigatorRecord, sites: [SiteRecord], institution: InstitutionRecord, merges: [MergeRecord], names: [UUID: String],
        message: String?, today: CivilDate, viewer: Viewer
    ) -> String {
        let rows: [(String, String)] =
            [
                ("所属机构", institution.name), ("专业", investigator.specialty), ("职称", investigator.title + (investigator.senior ? "（高级职称）" : "")),
                ("既往承担试验", "\(investigator.earlierTrials) 项"), ("GCP 培训", investigator.gcpTrainedOn ?? "—"),
                ("在研中心", "\(investigator.activeSites) 个（预警阈值 \(investigator.threshold)）"),
            ] + investigator.phaseLoads.map { ("\($0.phase.label)在研中心", "\($0.load) 个（分期阈值 \($0.limit)）") }
        return Layout.render(
            title: investigator.name,
            section: .trials,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    .p(.class("small"), .a(.href(SiteURL.trialInstitution(id: institution.id.uuidString).path), .text("← \(institution.name)"))),
                    .div(
                        .class("panel-head"), .h1(.text(investigator.name)),
                        .if(investigator.overloaded, .span(.class("badge level-red"), .text("同期承担项目超过阈值")))),
                    .unwrap(investigator.mergedInto) { survivor in
                        .p(
                            .class("notice"), .text("此记录与另一条记录是同一人，已并入 "),
                            .a(.href(SiteURL.investigator(id: survivor.uuidString).path), .text(names[survivor] ?? "另一条记录")),
                            .text("；其承担的试验中心已一并转入。"))
                    },
                    .dl(.class("facts"), .forEach(rows) { row in .group(.dt(.text(row.0)), .dd(.text(row.1))) })
                ),
                loadPanel(investigator, sites: sites, today: today),
                mergesPanel(merges, of: investigator, names: names, message: message, viewer: viewer),
                .section(
                    .class("panel"),
                    .h2(.text("承担的试验中心（\(sites.count)）")),
                    sites.isEmpty
                        ? .p(.class("muted"), .text("尚未承担试验。"))
                        : .table(
                            .class("data-table"),
                            .thead(.tr(.th("试验"), .th("角色"), .th("日期"), .th("当前"))),
                            .tbody(
                                .forEach(sites) { site in
                                    .tr(
                                        .td(.a(.href(SiteURL.trial(id: site.trialID.uuidString).path), .text("查看试验"))),
                                        .td(.text(site.role.label)),
                                        .td(.class("small"), .text(dates(site))),
                                        .td(
                                            .text(
                                                site.dates.activatedOn != nil && site.dates.closedOn == nil
                                                    ? "在研" : site.dates.closedOn != nil ? "已关闭" : "未启动"))
                                    )
                                })
                        )
                )
            )
        )
    }

    /// The PI's active sites month by month over two years, against the threshold: a server-drawn line.
    private static func loadPanel(_ investigator: InvestigatorRecord, sites: [SiteRecord], today: CivilDate) -> Node<HTML.BodyContext> {
        let months = SiteDates.monthlyLoad(sites.map(\.dates), through: today)
        let chart = LineChart(
            title: "\(investigator.name)同期在研中心数（近 24 个月，各月末）", labels: months.map(\.month),
            series: [.init("在研中心", months.map { Double($0.active) })], area: true,
            reference: ("预警阈值", Double(investigator.threshold)), width: 720, labelEvery: 3)
        return .section(.class("panel"), .h2(.text("同期在研中心")), DashboardPage.chart(chart, wide: true))
    }

    /// The merges an investigator took part in, each undoable by the registry's keepers.
    private static func mergesPanel(
        _ merges: [MergeRecord], of investigator: InvestigatorRecord, names: [UUID: String], message: String?, viewer: Viewer
    ) -> Node<HTML.BodyContext> {
        guard !merges.isEmpty || message != nil else { return .empty }
        let undoable = viewer.may(.writeTrialRegistry)
        return .section(
            .class("panel"),
            .h2(.text("记录合并（\(merges.count)）")),
            .unwrap(message) { .div(.class("form-errors"), .attribute(named: "role", value: "alert"), .p(.text($0))) },
            .table(
                .class("data-table"),
                .thead(.tr(.th("合并"), .th("理由"), .th("转入中心"), .th("时间"), .th("状态"))),
                .tbody(
                    .forEach(merges) { merge in
                        .tr(
                            .td(
                                .a(.href(SiteURL.investigator(id: merge.duplicateID.uuidString).path), .text(names[merge.duplicateID] ?? "—")),
                                .text(" 并入 "),
                                .a(.href(SiteURL.investigator(id: merge.survivorID.uuidString).path), .text(names[merge.survivorID] ?? "—"))),
                            .td(.text(merge.reason)),
                            .td(.text("\(merge.siteIDs.count) 个")),
                            .td(.class("small"), .text(Self.shanghaiMinute(merge.mergedAt) + (merge.mergedBy.map { " · \($0)" } ?? ""))),
                            .td(
                                merge.undone
                                    ? .text("已撤销" + (merge.undoneAt.map { "（\(Self.shanghaiMinute($0))）" } ?? ""))
                                    : undoable
                                        ? .form(
                                            .class("inline-form"), .method(.post),
                                            .action(
                                                SiteURL.investigatorMergeUndo(id: merge.id.uuidString).path + "?from=\(investigator.id.uuidString)"),
                                            Forms.csrf(viewer.csrfToken),
                                            .button(.class("link-button danger"), .type(.submit), .text("撤销合并")))
                                        : .text("有效"))
                        )
                    })
            )
        )
    }

    /// A moment as Shanghai's clock reads it, to the minute.
    static func shanghaiMinute(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }

    // MARK: Likely duplicates

    /// A merge form sent back: the pair it was for, what was chosen and typed, and the errors.
    struct MergeFormModel {
        var first: String
        var second: String
        var keep: String
        var reason: String
        var errors: [String: String] = [:]

        func isFor(_ pair: LikelyDuplicatePair) -> Bool {
            first == pair.first.id.uuidString && second == pair.second.id.uuidString
        }
    }

    static func duplicates(_ pairs: [LikelyDuplicatePair], institutions: [UUID: String], form: MergeFormModel?, viewer: Viewer) -> String {
        Layout.render(
            title: "疑似重复登记的研究者",
            section: .trials,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    panelHead("疑似重复登记的研究者", count: pairs.count),
                    .p(
                        .class("muted small"),
                        .text("同一机构内同名、且专业、职称或 GCP 培训日期相同的两条记录，可能是同一人登记了两次。合并后，被并入记录的试验中心转入保留的记录，被并入的记录不再出现在名单中；合并可在研究者页面撤销。")),
                    .unwrap(form.flatMap { form in pairs.contains(where: form.isFor) ? nil : form }) { lost in
                        .div(
                            .class("form-errors"), .attribute(named: "role", value: "alert"),
                            .p(.text(lost.errors.values.sorted().first ?? "这两条记录已不在疑似重复名单中（可能已合并）。")))
                    },
                    pairs.isEmpty
                        ? .p(.class("muted"), .text("没有疑似重复登记的研究者。"))
                        : .group(
                            .forEach(pairs) { pair in
                                duplicatePair(pair, institution: institutions[pair.first.institutionID] ?? "—", form: form, viewer: viewer)
                            })
                )
            )
        )
    }

    private static func duplicatePair(_ pair: LikelyDuplicatePair, institution: String, form: MergeFormModel?, viewer: Viewer) -> Node<
        HTML.BodyContext
    > {
        let sent = form.flatMap { $0.isFor(pair) ? $0 : nil }
        let people = [pair.first, pair.second]
        let keep = Forms.Field(
            name: "keep", label: "保留哪一条记录", value: sent?.keep ?? pair.first.id.uuidString,
            error: sent?.errors["keep"] ?? sent?.errors["duplicateId"]
                ?? sent?.errors["id"], required: true)
        let reason = Forms.Field(
            name: "reason", label: "合并理由", value: sent?.reason ?? "", error: sent?.errors["reason"], hint: "例如：同一工号、同一执业证书编号", required: true)
        return .div(
            .class("duplicate-pair"),
            .h2(
                .text("\(pair.first.name) · \(institution)"), .span(.class("badge level-amber"), .text("相同：" + pair.matching.joined(separator: "、")))),
            .table(
                .class("data-table"),
                .thead(.tr(.th("记录"), .th("专业"), .th("职称"), .th("GCP 培训"), .th("既往试验"), .th("在研中心"))),
                .tbody(
                    .forEach(people) { person in
                        .tr(
                            .td(
                                .a(
                                    .href(SiteURL.investigator(id: person.id.uuidString).path),
                                    .text("\(person.name)（\(person.id.uuidString.prefix(8))）"))),
                            .td(.text(person.specialty)), .td(.text(person.title)), .td(.text(person.gcpTrainedOn ?? "—")),
                            .td(.text(String(person.earlierTrials))), .td(.text(String(person.activeSites))))
                    })
            ),
            .form(
                .method(.post), .action(SiteURL.investigatorMerge.path),
                Forms.csrf(viewer.csrfToken),
                .input(.type(.hidden), .name("first"), .value(pair.first.id.uuidString)),
                .input(.type(.hidden), .name("second"), .value(pair.second.id.uuidString)),
                Forms.select(
                    keep,
                    options: people.map {
                        Forms.Option(value: $0.id.uuidString, label: "保留 \($0.name)（\($0.id.uuidString.prefix(8))，\($0.activeSites) 个在研中心）")
                    }),
                Forms.textarea(reason, maxLength: 500),
                .button(.class("button"), .type(.submit), .text("合并为一人"))
            )
        )
    }

    // MARK: Overloaded investigators

    static func piLoad(_ report: PILoadReport, institutions: [UUID: String], viewer: Viewer) -> String {
        Layout.render(
            title: "研究者同期承担项目预警",
            section: .trials,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    .p(.class("small"), .a(.href(SiteURL.trials(query: nil).path), .text("← 临床试验"))),
                    panelHead("研究者同期承担项目预警"),
                    .p(
                        .class("muted small"),
                        .text("截至 \(report.asOf.description)，在研中心（已启动、未关闭）数超过预警阈值的主要研究者：\(report.overloaded) 人。国家未规定上限，阈值为本平台设置。")),
                    .if(report.named, .p(.class("small"), .a(.href(SiteURL.trialWarnings(query: nil).path), .text("每日预警及评估记录 →"))))
                ),
                .section(
                    .class("panel"),
                    !report.named
                        ? .p(.class("muted"), .text("您的角色可查看人数，不显示研究者姓名。"))
                        : report.investigators.isEmpty
                            ? .p(.class("muted"), .text("目前没有超过阈值的研究者。"))
                            : investigatorTable(report.investigators, institutions: institutions)
                )
            )
        )
    }
}

extension String {
    /// The text, or nil when it is empty (for a cell's “—”).
    var nonEmpty: String? { isEmpty ? nil : self }
}
