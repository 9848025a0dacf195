import Foundation
import TongdaoCore
import TongdaoHTML
import TongdaoUseCases

/// Guidance records (一对一服务记录): the list with open follow-ups marked, the counts by desk and
/// month, the session form, and one record with its follow-ups.
enum GuidancePages {
    struct Listing {
        var records: [GuidanceRecord]?
        var counts: [GuidanceCount]
        var year: Int
        var openOnly: Bool
        var today: CivilDate
        var stations: [String: String]
    }

    static func followUpBadge(_ followUp: GuidanceFollowUp, today: CivilDate) -> Node<HTML.BodyContext> {
        if let done = followUp.doneOn { return .span(.class("badge level-green"), .text("\(done) 完成")) }
        return .span(
            .class("badge level-\(followUp.overdue(today: today) ? "red" : "none")"),
            .text(followUp.overdue(today: today) ? "逾期（应于 \(followUp.dueOn) 前）" : "应于 \(followUp.dueOn) 前"))
    }

    static func list(_ listing: Listing, viewer: Viewer) -> String {
        // Sessions by desk over the year's months.
        let desks = Array(Set(listing.counts.map(\.desk))).sorted()
        let months = (1...12).map { String(format: "\(listing.year)-%02d", $0) }
        func cell(_ desk: String, _ month: String) -> Int { listing.counts.first { $0.desk == desk && $0.month == month }?.sessions ?? 0 }
        return Layout.render(
            title: "一对一服务",
            section: .service,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    AppointmentPages.links(viewer),
                    .h1(.text("一对一服务记录")),
                    .p(
                        .class("muted small"),
                        .text("服务工作站对企业的每次一对一辅导：方式、参加人员、主题、企业提出的问题、指导意见和跟进事项（责任人和以工作日计的完成时限）。预约到场后自动生成记录。")),
                    .p(.if(viewer.may(.recordGuidance), .a(.class("button"), .href(SiteURL.guidanceNew(query: nil).path), .text("记录一对一服务"))))
                ),
                .section(
                    .class("panel"),
                    .h2(.text("\(listing.year) 年服务次数（按服务单位和月份）")),
                    desks.isEmpty
                        ? .p(.class("muted"), .text("本年度尚无服务记录。"))
                        : .table(
                            .class("data-table"),
                            .thead(.tr(.th("服务单位"), .forEach(months) { .th(.text(String($0.suffix(2)) + "月")) }, .th("合计"))),
                            .tbody(
                                .forEach(desks) { desk in
                                    .tr(
                                        .td(.text(GuidanceUseCases.deskName(desk, stations: listing.stations))),
                                        .forEach(months) { .td(.text(String(cell(desk, $0)))) },
                                        .td(.strong(.text(String(listing.counts.filter { $0.desk == desk }.reduce(0) { $0 + $1.sessions })))))
                                }))
                ),
                .unwrap(listing.records) { records in
                    .section(
                        .class("panel"),
                        .h2(.text(listing.openOnly ? "有未完成跟进事项的记录" : "最近的服务记录")),
                        .p(
                            .class("small"),
                            listing.openOnly
                                ? .a(.href(SiteURL.guidance(query: nil).path), .text("全部记录"))
                                : .a(.href(SiteURL.guidance(query: "open=true").path), .text("只看有未完成跟进事项的"))),
                        records.isEmpty
                            ? .p(.class("muted"), .text("没有服务记录。"))
                            : .table(
                                .class("data-table"),
                                .thead(.tr(.th("日期"), .th("企业与产品"), .th("服务单位"), .th("主题"), .th("跟进事项"))),
                                .tbody(
                                    .forEach(records) { record in
                                        let open = record.followUps.filter { $0.doneOn == nil }
                                        return .tr(
                                            .td(.a(.href(SiteURL.guidanceRecord(id: record.id.uuidString).path), .text(record.heldOn.description))),
                                            .td(.text(record.enterprise), .unwrap(record.productName) { .div(.class("small muted"), .text($0)) }),
                                            .td(.text(record.deskName), .div(.class("small muted"), .text(record.mode.label))),
                                            .td(.text(record.topics.map(\.label).joined(separator: "、"))),
                                            .td(
                                                record.followUps.isEmpty
                                                    ? .text("—")
                                                    : .text("未完成 \(open.count)/\(record.followUps.count)"),
                                                .if(
                                                    open.contains { $0.overdue(today: listing.today) },
                                                    .span(.class("badge level-red"), .text("有逾期")))))
                                    }))
                    )
                }
            )
        )
    }

    // MARK: The form

    struct FormOptions {
        var enterprises: [(id: UUID, name: String)]
        var products: [(id: UUID, name: String)]
        var topics: [ServiceTopic]
    }

    static let followUpRows = 3

    static func form(_ options: FormOptions, typed: TypedForm, viewer: Viewer) -> String {
        func field(_ name: String, _ label: String, hint: String? = nil, required: Bool = true) -> Forms.Field {
            Forms.Field(name: name, label: label, value: typed.value(name), error: typed.error(name), hint: hint, required: required)
        }
        let enterprise = field("enterprise", "企业", hint: "选择企业后可选择其产品")
        let product = field("product", "产品", required: false)
        let heldOn = field("heldOn", "服务日期")
        let mode = field("mode", "服务方式")
        let attendees = field("attendees", "参加人员", hint: "双方参加人员及职务")
        let topics = field("topics", "服务主题")
        let questions = field("questions", "企业提出的问题")
        let advice = field("advice", "指导意见")
        let rows = (0..<followUpRows).map { index in
            (
                field("followUpItem\(index)", "跟进事项 \(index + 1)", required: false), field("followUpOwner\(index)", "责任人", required: false),
                field("followUpDays\(index)", "完成时限（工作日）", required: false)
            )
        }
        // A follow-up's problem is named `followUps[N].item`; the form shows it at the row's field.
        let rowErrors = rows.enumerated().flatMap { index, row in
            [
                Forms.Field(name: row.0.name, label: row.0.label, error: typed.error("followUps[\(index)].item")),
                Forms.Field(name: row.1.name, label: row.1.label, error: typed.error("followUps[\(index)].owner")),
                Forms.Field(name: row.2.name, label: row.2.label, error: typed.error("followUps[\(index)].days")),
            ]
        }
        return Layout.render(
            title: "记录一对一服务",
            section: .service,
            viewer: viewer,
            content: .section(
                .class("panel"),
                .p(.class("small"), .a(.href(SiteURL.guidance(query: nil).path), .text("← 一对一服务记录"))),
                .h1(.text("记录一对一服务")),
                Forms.errorSummary([enterprise, product, heldOn, mode, attendees, topics, questions, advice] + rowErrors, message: typed.message),
                .form(
                    .method(.get), .action(SiteURL.guidanceNew(query: nil).path), .class("filters"),
                    Forms.select(enterprise, options: options.enterprises.map { .init(value: $0.id.uuidString, label: $0.name) }, blank: "请选择"),
                    .button(.class("button secondary"), .type(.submit), .text("选择企业"))),
                .form(
                    .method(.post), .action(SiteURL.guidance(query: nil).path), Forms.csrf(viewer.csrfToken),
                    .input(.type(.hidden), .name("enterprise"), .value(typed.value("enterprise"))),
                    Forms.select(product, options: options.products.map { .init(value: $0.id.uuidString, label: $0.name) }, blank: "不涉及具体产品"),
                    Forms.text(heldOn, type: "date"),
                    Forms.select(mode, options: GuidanceMode.allCases.map { .init(value: $0.rawValue, label: $0.label) }, blank: "请选择"),
                    Forms.text(attendees, maxLength: 500),
                    Forms.checkboxes(
                        topics, options: options.topics.map { .init(value: $0.code, label: $0.label) }, selected: typed.selected),
                    Forms.textarea(questions, maxLength: 5_000),
                    Forms.textarea(advice, maxLength: 5_000),
                    .forEach(Array(rows.enumerated())) { index, row in
                        .group(
                            Forms.text(
                                Forms.Field(name: row.0.name, label: row.0.label, value: row.0.value, error: typed.error("followUps[\(index)].item")),
                                maxLength: 500),
                            Forms.text(
                                Forms.Field(
                                    name: row.1.name, label: row.1.label, value: row.1.value, error: typed.error("followUps[\(index)].owner")),
                                maxLength: 64),
                            Forms.text(
                                Forms.Field(name: row.2.name, label: row.2.label, value: row.2.value, error: typed.error("followUps[\(index)].days")),
                                maxLength: 3))
                    },
                    .button(.class("button"), .type(.submit), .text("保存"))))
        )
    }

    // MARK: One record

    static func show(_ record: GuidanceRecord, today: CivilDate, message: String?, viewer: Viewer) -> String {
        let facts: [(String, String)] = [
            ("企业", record.enterprise), ("产品", record.productName ?? "不涉及具体产品"), ("服务单位", record.deskName),
            ("服务日期", record.heldOn.description), ("服务方式", record.mode.label), ("参加人员", record.attendees),
            ("服务主题", record.topics.map(\.label).joined(separator: "、")), ("记录人", record.recordedBy),
        ]
        return Layout.render(
            title: "一对一服务记录",
            section: .service,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    .p(.class("small"), .a(.href(SiteURL.guidance(query: nil).path), .text("← 一对一服务记录"))),
                    .h1(.text("\(record.enterprise) \(record.heldOn) 一对一服务")),
                    .unwrap(message) { .p(.class("error-summary"), .text($0)) },
                    .dl(.class("facts"), .forEach(facts) { .group(.dt(.text($0.0)), .dd(.text($0.1))) }),
                    .h2(.text("企业提出的问题")), .p(.class("narrative"), .text(record.questions)),
                    .h2(.text("指导意见")), .p(.class("narrative"), .text(record.advice))
                ),
                .section(
                    .class("panel"),
                    .h2(.text("跟进事项")),
                    record.followUps.isEmpty
                        ? .p(.class("muted"), .text("没有跟进事项。"))
                        : .table(
                            .class("data-table"),
                            .thead(.tr(.th("事项"), .th("责任人"), .th("完成时限"), .th(""))),
                            .tbody(
                                .forEach(Array(record.followUps.enumerated())) { index, followUp in
                                    .tr(
                                        .td(.text(followUp.item)), .td(.text(followUp.owner)),
                                        .td(.text("\(followUp.dueInWorkingDays) 个工作日 "), followUpBadge(followUp, today: today)),
                                        .td(
                                            .if(
                                                viewer.may(.recordGuidance) && followUp.doneOn == nil,
                                                .form(
                                                    .method(.post),
                                                    .action(SiteURL.guidanceFollowUp(id: record.id.uuidString, item: index).path),
                                                    .class("inline-form"), Forms.csrf(viewer.csrfToken), Forms.version(record.version),
                                                    .button(.class("button secondary"), .type(.submit), .text("标记完成"))))))
                                }))
                )
            )
        )
    }
}
