import Foundation
import TongdaoCore
import TongdaoHTML
import TongdaoUseCases

/// Landing projects (产业化落地): the list, a project with its problems and meetings, the forms
/// that record a project, move it forward, raise and resolve a problem, and the meetings (会商).
enum LandingPages {
    static func list(
        _ records: [LandingProjectRecord], status: String, district: String, districts: [Region], typed: TypedForm?,
        candidates: [(id: UUID, label: String)], viewer: Viewer
    ) -> String {
        let filter = SiteURL.query([("status", status), ("district", district)]).map { $0 + "&" } ?? ""
        return Layout.render(
            title: "产业化落地",
            section: .service,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    AppointmentPages.links(viewer),
                    .h1(.text("产业化落地")),
                    .p(
                        .class("muted small"),
                        .text("获批产品在本市的落地生产项目：所在区和园区、建设地点、进展，各方反映的问题及责任单位、解决情况，以及市经信委和市药监局的会商决定。")),
                    .p(
                        .class("small"), .a(.href(SiteURL.landingMeetings.path), .text("会商记录")), .text(" · "),
                        .a(.href(SiteURL.landingExport(query: filter + "format=xlsx").path), .text("导出 Excel")), .text(" · "),
                        .a(.href(SiteURL.landingExport(query: filter + "format=csv").path), .text("导出 CSV"))),
                    .form(
                        .method(.get), .action(SiteURL.landing(query: nil).path), .class("filters"),
                        Forms.select(
                            Forms.Field(name: "status", label: "状态", value: status),
                            options: LandingStatus.allCases.map { .init(value: $0.rawValue, label: $0.label) }, blank: "全部"),
                        Forms.select(
                            Forms.Field(name: "district", label: "所在区", value: district),
                            options: districts.map { .init(value: $0.code, label: $0.name) },
                            blank: "全部"),
                        .button(.class("button"), .type(.submit), .text("筛选"))),
                    records.isEmpty
                        ? .p(.class("muted"), .text("没有符合条件的落地项目。"))
                        : .table(
                            .class("data-table"),
                            .thead(.tr(.th("产品"), .th("企业"), .th("所在区 / 园区"), .th("建设地点"), .th("状态"), .th("计划投产"), .th("待解决问题"))),
                            .tbody(
                                .forEach(records) { record in
                                    .tr(
                                        .td(.a(.href(SiteURL.landingProject(id: record.id.uuidString).path), .text(record.productName))),
                                        .td(.text(record.enterprise)),
                                        .td(.text([record.districtName, record.parkName].compactMap { $0 }.joined(separator: " / "))),
                                        .td(.text(record.site)), .td(.text(record.status.label)), .td(.text(record.plannedOn?.description ?? "—")),
                                        .td(
                                            .text(
                                                record.openProblems == 0
                                                    ? "—"
                                                    : "\(record.openProblems)" + (record.overdueProblems > 0 ? "（逾期 \(record.overdueProblems)）" : ""))
                                        ))
                                }))
                ),
                .if(
                    viewer.may(.writeLanding),
                    projectForm(nil, districts: districts, typed: typed ?? TypedForm(), candidates: candidates, viewer: viewer))
            )
        )
    }

    /// The form that records a project (with its product) or moves one forward.
    static func projectForm(
        _ project: LandingProjectRecord?, districts: [Region], typed: TypedForm, candidates: [(id: UUID, label: String)], viewer: Viewer
    ) -> Node<HTML.BodyContext> {
        func field(_ name: String, _ label: String, hint: String? = nil, required: Bool = false) -> Forms.Field {
            Forms.Field(name: name, label: label, value: typed.value(name), error: typed.error(name), hint: hint, required: required)
        }
        let product = field("product", "产品", hint: "已取得注册证的产品", required: true)
        let district = field("district", "所在区", required: true)
        let park = field("park", "园区", hint: "园区代码，不在园区可不填")
        let site = field("site", "建设地点", required: true)
        let status = field("status", "状态", required: true)
        let planned = field("plannedOn", "计划投产日期")
        let investment = field("investment", "投资额（万元）")
        let note = field("note", "备注")
        let action = project.map { SiteURL.landingStep(id: $0.id.uuidString, step: "update") } ?? SiteURL.landing(query: nil)
        return .section(
            .class("panel"),
            .h2(.text(project == nil ? "登记落地项目" : "更新项目进展")),
            Forms.errorSummary([product, district, park, site, status, planned, investment, note], message: typed.message),
            .form(
                .method(.post), .action(action.path), Forms.csrf(viewer.csrfToken), Forms.version(project?.version),
                .if(project == nil, Forms.select(product, options: candidates.map { .init(value: $0.id.uuidString, label: $0.label) }, blank: "请选择")),
                Forms.select(district, options: districts.map { .init(value: $0.code, label: $0.name) }, blank: "请选择"),
                Forms.text(park, maxLength: 64), Forms.text(site, maxLength: 200),
                Forms.select(status, options: LandingStatus.allCases.map { .init(value: $0.rawValue, label: $0.label) }),
                Forms.text(planned, type: "date"), Forms.text(investment, maxLength: 12), Forms.textarea(note, maxLength: 1_000),
                .button(.class("button"), .type(.submit), .text("保存"))))
    }

    /// A project's fields as its update form shows them.
    static func typed(_ record: LandingProjectRecord) -> TypedForm {
        TypedForm(values: [
            "district": record.district, "park": record.park ?? "", "site": record.site, "status": record.status.rawValue,
            "plannedOn": record.plannedOn?.description ?? "", "investment": record.investment.map(String.init) ?? "", "note": record.note ?? "",
        ])
    }

    static func show(_ record: LandingProjectRecord, districts: [Region], typed: TypedForm?, step: String?, viewer: Viewer) -> String {
        let facts: [(String, String)] = [
            ("企业", record.enterprise), ("注册证编号", record.certificate ?? "—"),
            ("所在区 / 园区", [record.districtName, record.parkName].compactMap { $0 }.joined(separator: " / ")), ("建设地点", record.site),
            ("状态", record.status.label), ("计划投产日期", record.plannedOn?.description ?? "—"), ("投产日期", record.producingOn?.description ?? "—"),
            ("投资额", record.investment.map { "\($0) 万元" } ?? "—"), ("备注", record.note ?? "—"), ("登记", "\(record.recordedOn) \(record.recordedBy)"),
        ]
        let manager = viewer.may(.manageLanding)
        return Layout.render(
            title: "产业化落地：\(record.productName)",
            section: .service,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    .p(.class("small"), .a(.href(SiteURL.landing(query: nil).path), .text("← 产业化落地"))),
                    .h1(.text("\(record.productName) 落地项目")),
                    .unwrap(typed?.message) { .p(.class("error-summary"), .text($0)) },
                    .dl(.class("facts"), .forEach(facts) { .group(.dt(.text($0.0)), .dd(.text($0.1))) })
                ),
                .section(
                    .class("panel"),
                    .h2(.text("问题（待解决 \(record.openProblems)）")),
                    record.problems.isEmpty
                        ? .p(.class("muted"), .text("尚未反映问题。"))
                        : .ul(
                            .forEach(record.problems) { problem in
                                .li(
                                    .strong(.text(problem.title)),
                                    .span(
                                        .class(problem.overdue ? "badge badge-red" : "muted small"),
                                        .text(
                                            " \(problem.status.label) · 责任单位：\(problem.owner)" + (problem.dueOn.map { " · 期限 \($0)" } ?? "")
                                                + (problem.overdue ? "（已逾期）" : ""))),
                                    .p(.class("small"), .text("\(problem.raisedOn) \(problem.raisedBy)：\(problem.detail)")),
                                    .unwrap(problem.resolution) { resolution in
                                        .p(
                                            .class("small"),
                                            .text(
                                                "解决情况（\(problem.resolvedOn?.description ?? "") \(problem.resolvedBy ?? "")"
                                                    + (problem.meetingSubject.map { "，\($0)" } ?? "") + "）：\(resolution)"))
                                    },
                                    .if(
                                        manager && problem.status == .open,
                                        resolveForm(record, problem, typed: step == "resolve-\(problem.id)" ? typed : nil, viewer: viewer)))
                            })
                ),
                .if(viewer.may(.writeLanding), problemForm(record, typed: step == "problems" ? typed : nil, viewer: viewer)),
                .section(
                    .class("panel"),
                    .h2(.text("会商")),
                    record.meetings.isEmpty
                        ? .p(.class("muted"), .text("尚无涉及本项目的会商。"))
                        : .ul(
                            .forEach(record.meetings) { meeting in
                                .li(.strong(.text("\(meeting.heldOn) \(meeting.subject)")), .div(.class("narrative small"), .text(meeting.decisions)))
                            })
                ),
                .if(
                    viewer.may(.writeLanding),
                    projectForm(
                        record, districts: districts, typed: step == "update" ? (typed ?? Self.typed(record)) : Self.typed(record), candidates: [],
                        viewer: viewer))
            )
        )
    }

    private static func problemForm(_ record: LandingProjectRecord, typed: TypedForm?, viewer: Viewer) -> Node<HTML.BodyContext> {
        func field(_ name: String, _ label: String, hint: String? = nil, required: Bool = true) -> Forms.Field {
            Forms.Field(name: name, label: label, value: typed?.value(name) ?? "", error: typed?.error(name), hint: hint, required: required)
        }
        let title = field("title", "问题")
        let detail = field("detail", "问题说明")
        let owner = field("owner", "责任单位", hint: "例如：区规划资源局、市药监局医疗器械生产监管处")
        let due = field("dueOn", "期限", required: false)
        return .section(
            .class("panel"),
            .h2(.text("反映问题")),
            Forms.errorSummary([title, detail, owner, due], message: nil),
            .form(
                .method(.post), .action(SiteURL.landingStep(id: record.id.uuidString, step: "problems").path), Forms.csrf(viewer.csrfToken),
                Forms.text(title, maxLength: 200), Forms.textarea(detail, maxLength: 2_000), Forms.text(owner, maxLength: 100),
                Forms.text(due, type: "date"), .button(.class("button"), .type(.submit), .text("提交问题"))))
    }

    private static func resolveForm(_ record: LandingProjectRecord, _ problem: LandingProblemRecord, typed: TypedForm?, viewer: Viewer)
        -> Node<HTML.BodyContext>
    {
        let resolution = Forms.Field(
            name: "resolution", label: "解决情况", value: typed?.value("resolution") ?? "", error: typed?.error("resolution"), required: true,
            id: "resolution-\(problem.id)")
        let meeting = Forms.Field(
            name: "meeting", label: "会商", value: typed?.value("meeting") ?? "", error: typed?.error("meeting"), hint: "经会商解决的请选择",
            id: "meeting-\(problem.id)")
        return .form(
            .method(.post), .action(SiteURL.landingProblemResolve(id: record.id.uuidString, problem: problem.id.uuidString).path),
            Forms.csrf(viewer.csrfToken), Forms.version(problem.version), Forms.textarea(resolution, maxLength: 2_000),
            Forms.select(
                meeting, options: record.meetings.map { .init(value: $0.id.uuidString, label: "\($0.heldOn) \($0.subject)") }, blank: "不经会商"),
            .button(.class("button secondary"), .type(.submit), .text("标记已解决")))
    }

    static func meetings(
        _ meetings: [LandingMeetingRecord], projects: [LandingProjectRecord], typed: TypedForm?, viewer: Viewer
    ) -> String {
        func field(_ name: String, _ label: String, hint: String? = nil) -> Forms.Field {
            Forms.Field(name: name, label: label, value: typed?.value(name) ?? "", error: typed?.error(name), hint: hint, required: true)
        }
        let held = field("heldOn", "会商日期")
        let subject = field("subject", "议题")
        let attendees = field("attendees", "参会单位和人员")
        let decisions = field("decisions", "会商决定", hint: "逐条写明决定、责任单位和完成时限")
        let chosen = field("projects", "涉及项目")
        return Layout.render(
            title: "落地会商",
            section: .service,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    .p(.class("small"), .a(.href(SiteURL.landing(query: nil).path), .text("← 产业化落地"))),
                    .h1(.text("落地会商")),
                    meetings.isEmpty
                        ? .p(.class("muted"), .text("尚无会商记录。"))
                        : .ul(
                            .forEach(meetings) { meeting in
                                .li(
                                    .strong(.text("\(meeting.heldOn) \(meeting.subject)")),
                                    .div(.class("small muted"), .text("参会：\(meeting.attendees)；记录：\(meeting.recordedBy)")),
                                    .div(.class("narrative small"), .text(meeting.decisions)),
                                    .p(
                                        .class("small"), .text("涉及项目："),
                                        .forEach(meeting.projects) { project in
                                            .a(.href(SiteURL.landingProject(id: project.id.uuidString).path), .text(project.productName + " "))
                                        }))
                            })
                ),
                .if(
                    viewer.may(.manageLanding),
                    .section(
                        .class("panel"),
                        .h2(.text("记录会商")),
                        Forms.errorSummary([held, subject, attendees, decisions, chosen], message: nil),
                        .form(
                            .method(.post), .action(SiteURL.landingMeetings.path), Forms.csrf(viewer.csrfToken), Forms.text(held, type: "date"),
                            Forms.text(subject, maxLength: 200), Forms.textarea(attendees, maxLength: 1_000),
                            Forms.textarea(decisions, maxLength: 4_000),
                            Forms.checkboxes(
                                chosen, options: projects.map { .init(value: $0.id.uuidString, label: "\($0.productName)（\($0.districtName)）") },
                                selected: typed?.selected ?? []),
                            .button(.class("button"), .type(.submit), .text("保存")))))
            )
        )
    }
}
