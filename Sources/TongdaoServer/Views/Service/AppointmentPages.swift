import Foundation
import TongdaoCore
import TongdaoHTML
import TongdaoUseCases

/// Appointments (预约咨询): the slots of the coming weeks with their seats left, the desk's
/// publishing form, one slot with its booking form or its bookings and their attendance, and the
/// caller's bookings with their cancellation.
enum AppointmentPages {
    struct Board {
        var slots: [AppointmentSlotRecord]
        var bookings: [AppointmentRecord]
        var desk: String?
        var desks: [(code: String, name: String)]
        var topics: [ServiceTopic]
        /// The publishing form as typed, when it was refused; and what the last publication left out.
        var typed: TypedForm?
        var skipped: [AppointmentUseCases.Skipped]
    }

    static let weekdays = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]

    static func dayLabel(_ day: CivilDate) -> String { "\(day)（\(weekdays[day.weekday - 1])）" }

    static func links(_ viewer: Viewer) -> Node<HTML.BodyContext> {
        .p(
            .class("small"), .a(.href(SiteURL.consultations(query: nil).path), .text("咨询")), .text(" · "),
            .a(.href(SiteURL.appointments(query: nil).path), .text("预约咨询")), .text(" · "),
            .a(.href(SiteURL.guidance(query: nil).path), .text("一对一服务")), .text(" · "),
            .a(.href(SiteURL.keyVarieties(query: nil).path), .text("在研重点品种")), .text(" · "),
            .a(.href(SiteURL.library(query: nil).path), .text("常见问题与案例")), .text(" · "),
            .a(.href(SiteURL.policies(query: nil).path), .text("政策手册")), .text(" · "),
            .a(.href(SiteURL.landing(query: nil).path), .text("产业化落地")),
            .if(viewer.may(.readAssessments), .group(.text(" · "), .a(.href(SiteURL.assessments(year: nil).path), .text("定期考核")))))
    }

    // MARK: The board

    static func board(_ board: Board, viewer: Viewer) -> String {
        let deskOptions = board.desks.map { Forms.Option(value: $0.code, label: $0.name) }
        return Layout.render(
            title: "预约咨询",
            section: .service,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    links(viewer),
                    .h1(.text("预约咨询")),
                    .p(
                        .class("muted small"),
                        .text("服务工作站和市审评核查中心按周发布预约时段，节假日不安排，调休上班日照常。企业选择时段并说明咨询主题，可在截止日前取消；每个名额只能预约一次。")),
                    .form(
                        .method(.get), .action(SiteURL.appointments(query: nil).path), .class("filters"),
                        Forms.select(Forms.Field(name: "desk", label: "预约单位", value: board.desk ?? ""), options: deskOptions, blank: "全部"),
                        .button(.class("button"), .type(.submit), .text("筛选")))
                ),
                .section(
                    .class("panel"),
                    .h2(.text("近八周的预约时段")),
                    board.slots.isEmpty
                        ? .p(.class("muted"), .text("近八周没有预约时段。"))
                        : .table(
                            .class("data-table"),
                            .thead(.tr(.th("日期"), .th("时间"), .th("预约单位"), .th("主题"), .th("余位"), .th("预约截止"))),
                            .tbody(
                                .forEach(board.slots) { slot in
                                    .tr(
                                        .td(.a(.href(SiteURL.appointmentSlot(id: slot.id.uuidString).path), .text(dayLabel(slot.day)))),
                                        .td(.text("\(slot.startsAt)–\(slot.endsAt)")),
                                        .td(.text(slot.deskName)),
                                        .td(.text(slot.topicLabel ?? "不限")),
                                        .td(
                                            .span(
                                                .class("badge level-\(slot.free == 0 ? "red" : slot.bookable ? "green" : "none")"),
                                                .text(slot.free == 0 ? "已约满" : slot.bookable ? "\(slot.free)/\(slot.seats)" : "已截止"))),
                                        .td(.text(slot.lastDay.description)))
                                }))
                ),
                bookingsSection(board.bookings, title: viewer.role == .enterpriseUser ? "我的预约" : "预约记录", viewer: viewer),
                .if(viewer.may(.manageAppointments), publishForm(board, viewer: viewer))
            )
        )
    }

    private static func bookingsSection(_ bookings: [AppointmentRecord], title: String, viewer: Viewer) -> Node<HTML.BodyContext> {
        .section(
            .class("panel"),
            .h2(.text(title)),
            bookings.isEmpty
                ? .p(.class("muted"), .text("没有预约记录。"))
                : .table(
                    .class("data-table"),
                    .thead(.tr(.th("日期"), .th("预约单位"), .th("企业"), .th("主题"), .th("状态"))),
                    .tbody(
                        .forEach(bookings) { booking in
                            .tr(
                                .td(
                                    .a(.href(SiteURL.appointmentSlot(id: booking.slotID.uuidString).path), .text(dayLabel(booking.day))),
                                    .div(.class("small muted"), .text("\(booking.startsAt)–\(booking.endsAt)"))),
                                .td(.text(booking.deskName)),
                                .td(.text(booking.enterprise)),
                                .td(.text(booking.topicLabel)),
                                .td(.text(booking.status.label)))
                        })))
    }

    private static func publishForm(_ board: Board, viewer: Viewer) -> Node<HTML.BodyContext> {
        let typed = board.typed
        func field(_ name: String, _ label: String, hint: String? = nil, required: Bool = false) -> Forms.Field {
            Forms.Field(name: name, label: label, value: typed?.value(name) ?? "", error: typed?.error(name), hint: hint, required: required)
        }
        let desk = field("desk", "预约单位", hint: "工作站只能为本站发布")
        let day = field("day", "单日", hint: "只发布一天时填写；否则按下方“每周几”和起止日期发布")
        let weekday = field("weekday", "每周几")
        let from = field("from", "起始日期")
        let through = field("through", "截止日期", hint: "至多六个月内")
        let startsAt = field("startsAt", "开始时间", hint: "HH:MM，如 13:00", required: true)
        let endsAt = field("endsAt", "结束时间", hint: "HH:MM，如 16:00", required: true)
        let seats = field("seats", "名额", required: true)
        let topic = field("topic", "限定主题")
        let fields = [desk, day, weekday, from, through, startsAt, endsAt, seats, topic]
        return .section(
            .class("panel"),
            .h2(.text("发布预约时段")),
            Forms.errorSummary(fields, message: typed?.message),
            .if(
                !board.skipped.isEmpty,
                .p(
                    .class("small"),
                    .text("以下日期不是工作日或已有时段，未发布：" + board.skipped.map { "\($0.day)（\($0.reason)）" }.joined(separator: "、")))),
            .form(
                .method(.post), .action(SiteURL.appointmentSlots.path), Forms.csrf(viewer.csrfToken),
                Forms.select(desk, options: board.desks.map { .init(value: $0.code, label: $0.name) }, blank: "本工作站"),
                Forms.text(day, type: "date"),
                Forms.select(weekday, options: weekdays.enumerated().map { .init(value: String($0.offset + 1), label: $0.element) }, blank: "请选择"),
                Forms.text(from, type: "date"),
                Forms.text(through, type: "date"),
                Forms.text(startsAt, maxLength: 5),
                Forms.text(endsAt, maxLength: 5),
                Forms.text(seats, maxLength: 3),
                Forms.select(topic, options: board.topics.map { .init(value: $0.code, label: $0.label) }, blank: "不限"),
                .button(.class("button"), .type(.submit), .text("发布"))))
    }

    // MARK: One slot

    static func slot(
        _ slot: AppointmentSlotRecord, topics: [ServiceTopic], enterprises: [(id: UUID, name: String)], today: CivilDate, typed: TypedForm?,
        step: String?, viewer: Viewer
    ) -> String {
        let facts: [(String, String)] = [
            ("预约单位", slot.deskName), ("日期", dayLabel(slot.day)), ("时间", "\(slot.startsAt)–\(slot.endsAt)"),
            ("限定主题", slot.topicLabel ?? "不限"), ("名额", "\(slot.seats)（已约 \(slot.booked)，余 \(slot.free)）"),
            ("预约和取消截止", slot.lastDay.description),
        ]
        let mine = slot.bookings.filter { $0.status == .booked }
        return Layout.render(
            title: "预约时段",
            section: .service,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    .p(.class("small"), .a(.href(SiteURL.appointments(query: nil).path), .text("← 预约咨询"))),
                    .h1(.text("\(slot.deskName) \(dayLabel(slot.day)) \(slot.startsAt)–\(slot.endsAt)")),
                    .unwrap(typed?.message) { .p(.class("error-summary"), .text($0)) },
                    .dl(.class("facts"), .forEach(facts) { .group(.dt(.text($0.0)), .dd(.text($0.1))) })
                ),
                .if(
                    viewer.may(.bookAppointments) && slot.bookable && (viewer.role != .enterpriseUser || mine.isEmpty),
                    bookForm(slot, topics: topics, enterprises: enterprises, typed: step == "book" ? typed : nil, viewer: viewer)),
                .section(
                    .class("panel"),
                    .h2(.text(viewer.role == .enterpriseUser ? "本企业的预约" : "预约名单（\(slot.bookings.count)）")),
                    slot.bookings.isEmpty
                        ? .p(.class("muted"), .text("还没有预约。"))
                        : .ol(
                            .class("timeline"),
                            .forEach(slot.bookings) { booking in
                                .li(
                                    .strong(.text(booking.enterprise)),
                                    .text(" \(booking.topicLabel) · \(booking.status.label) · \(booking.bookedBy)"),
                                    .div(.class("narrative"), .text(booking.question)),
                                    .unwrap(booking.note) { .div(.class("small muted"), .text($0)) },
                                    .if(viewer.may(.bookAppointments) && booking.cancellable, cancelForm(booking, viewer: viewer)),
                                    .if(
                                        viewer.may(.manageAppointments) && booking.status != .cancelled && booking.day <= today,
                                        attendanceForm(booking, typed: step == "attendance" ? typed : nil, viewer: viewer)))
                            })
                )
            )
        )
    }

    private static func bookForm(
        _ slot: AppointmentSlotRecord, topics: [ServiceTopic], enterprises: [(id: UUID, name: String)], typed: TypedForm?, viewer: Viewer
    ) -> Node<
        HTML.BodyContext
    > {
        func field(_ name: String, _ label: String, hint: String? = nil) -> Forms.Field {
            Forms.Field(
                name: name, label: label, value: typed?.value(name) ?? (name == "topic" ? slot.topic ?? "" : ""), error: typed?.error(name),
                hint: hint, required: true)
        }
        let enterprise = field("enterprise", "企业", hint: "代企业预约时选择")
        let topic = field("topic", "咨询主题")
        let question = field("question", "拟咨询的问题", hint: "至多 2000 字，便于工作站提前准备")
        let asksForOthers = viewer.role != .enterpriseUser
        return .section(
            .class("panel"),
            .h2(.text("预约")),
            Forms.errorSummary((asksForOthers ? [enterprise] : []) + [topic, question], message: nil),
            .form(
                .method(.post), .action(SiteURL.appointmentBookings(slot: slot.id.uuidString).path), Forms.csrf(viewer.csrfToken),
                .if(
                    asksForOthers,
                    Forms.select(enterprise, options: enterprises.map { .init(value: $0.id.uuidString, label: $0.name) }, blank: "请选择")),
                Forms.select(topic, options: topics.map { .init(value: $0.code, label: $0.label) }, blank: "请选择"),
                Forms.textarea(question, maxLength: 2_000),
                .button(.class("button"), .type(.submit), .text("预约"))))
    }

    private static func cancelForm(_ booking: AppointmentRecord, viewer: Viewer) -> Node<HTML.BodyContext> {
        .form(
            .method(.post), .action(SiteURL.appointmentStep(id: booking.id.uuidString, step: "cancellation").path), .class("inline-form"),
            Forms.csrf(viewer.csrfToken), Forms.version(booking.version),
            Forms.text(Forms.Field(name: "reason", label: "取消原因", id: "reason-\(booking.id.uuidString)"), maxLength: 500),
            .button(.class("button secondary"), .type(.submit), .text("取消预约（截止 \(booking.lastDay)）")))
    }

    private static func attendanceForm(_ booking: AppointmentRecord, typed: TypedForm?, viewer: Viewer) -> Node<HTML.BodyContext> {
        let status = Forms.Field(
            name: "status", label: "到场情况", value: typed?.value("status") ?? "", error: typed?.error("status"), id: "status-\(booking.id.uuidString)")
        let note = Forms.Field(
            name: "note", label: "辅导要点", value: typed?.value("note") ?? booking.note ?? "", error: typed?.error("note"),
            id: "note-\(booking.id.uuidString)")
        return .form(
            .method(.post), .action(SiteURL.appointmentStep(id: booking.id.uuidString, step: "attendance").path), .class("inline-form"),
            Forms.csrf(viewer.csrfToken), Forms.version(booking.version),
            Forms.select(
                status, options: [AppointmentStatus.attended, .absent].map { .init(value: $0.rawValue, label: $0.label) }, blank: "请选择"),
            Forms.text(note, maxLength: 2_000),
            .button(.class("button secondary"), .type(.submit), .text("登记")))
    }

    // MARK: Inbox

    /// The inbox's section: reminders of the coming appointments.
    static func inboxSection(_ bookings: [AppointmentRecord]) -> Node<HTML.BodyContext> {
        .section(
            .class("panel"),
            .h2(.text("近期预约（\(bookings.count)）")),
            bookings.isEmpty
                ? .p(.class("muted"), .text("近期没有预约。"))
                : .ul(
                    .forEach(bookings) { booking in
                        .li(
                            .a(
                                .href(SiteURL.appointmentSlot(id: booking.slotID.uuidString).path),
                                .text("\(dayLabel(booking.day)) \(booking.startsAt) \(booking.deskName)")),
                            .text(" · \(booking.enterprise) · \(booking.topicLabel)"))
                    }))
    }
}
