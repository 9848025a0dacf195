import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

/// A slot as a page or the API shows it.
public struct AppointmentSlotRecord: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var version: Int
    /// A station's code, or `review-centre`; and its name.
    public var desk: String
    public var deskName: String
    public var day: CivilDate
    public var startsAt: String
    public var endsAt: String
    public var seats: Int
    public var booked: Int
    public var free: Int { max(seats - booked, 0) }
    public var topic: String?
    public var topicLabel: String?
    /// The last day to book or cancel.
    public var lastDay: CivilDate
    /// Whether it may still be booked today (before the cutoff, a seat free).
    public var bookable: Bool
    /// The bookings the caller may see: every one for the desk's managers, an enterprise its own.
    public var bookings: [AppointmentRecord]
}

/// A booking as a page or the API shows it.
public struct AppointmentRecord: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var version: Int
    public var slotID: UUID
    public var deskName: String
    public var day: CivilDate
    public var startsAt: String
    public var endsAt: String
    public var enterpriseID: UUID
    public var enterprise: String
    public var topic: String
    public var topicLabel: String
    public var question: String
    public var status: AppointmentStatus
    public var note: String?
    /// Who booked it, by name.
    public var bookedBy: String
    /// The last day to cancel it.
    public var lastDay: CivilDate
    /// Booked, and the last day to cancel not yet past.
    public var cancellable: Bool
}

/// Slots to publish, as typed: one day, or a weekday from a day through a day.
public struct SlotInput: Sendable, Equatable {
    public var desk: String?
    public var day: String?
    public var weekday: String?
    public var from: String?
    public var through: String?
    public var startsAt: String?
    public var endsAt: String?
    public var seats: String?
    public var topic: String?

    public init(
        desk: String? = nil, day: String? = nil, weekday: String? = nil, from: String? = nil, through: String? = nil, startsAt: String? = nil,
        endsAt: String? = nil, seats: String? = nil, topic: String? = nil
    ) {
        self.desk = desk
        self.day = day
        self.weekday = weekday
        self.from = from
        self.through = through
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.seats = seats
        self.topic = topic
    }
}

/// A booking as typed.
public struct BookingInput: Sendable, Equatable {
    /// The enterprise (the regulator booking for one names it; an enterprise books for itself).
    public var enterprise: String?
    public var topic: String?
    public var question: String?

    public init(enterprise: String? = nil, topic: String? = nil, question: String? = nil) {
        self.enterprise = enterprise
        self.topic = topic
        self.question = question
    }
}

/// Appointments (预约咨询, issue 20 item 5): a station publishes slots for its desk (the regulator
/// for any desk and the review centre), one day or a weekday over weeks, working days only; an
/// enterprise books a seat with its topic until the cutoff (`ServicePolicy.appointmentCutoffDays`
/// working days before the day) and may cancel until then; no seat is sold twice — a seat is taken
/// by one statement that finds one free (`AppointmentStore.takeSeat`), so of fifty bookings at
/// once for the last seat exactly one gets it; the desk records who came, and an attended
/// appointment becomes a guidance record.
public struct AppointmentUseCases: Sendable {
    let platform: Platform

    /// How far ahead slots may be published.
    public static let horizonDays = 183

    /// The slots from a day (today when none) for eight weeks, of a desk or every desk, with the
    /// bookings the caller may see.
    public func slots(from: String? = nil, desk: String? = nil, by caller: Caller) async throws -> [AppointmentSlotRecord] {
        try caller.require(.readConsultations)
        var reader = FieldReader()
        let today = platform.clock.today()
        let start = reader.anyDay("from", from, label: "起始日期") ?? today
        let desk = desk.flatMap { $0.isEmpty ? nil : $0 }
        if let desk, !(try Self.deskCodes().contains(desk)) {
            reader.problems.append(FieldProblem("desk", "names no desk", chinese: "没有该预约单位"))
        }
        guard reader.problems.isEmpty else { throw UseCaseError.malformed(reader.problems) }
        let models = try await AppointmentStore.slots(from: start, through: start.adding(days: 56), desk: desk, on: platform.database)
        return try await records(models, by: caller)
    }

    /// One slot with the bookings the caller may see.
    public func slot(id: UUID, by caller: Caller) async throws -> AppointmentSlotRecord {
        try caller.require(.readConsultations)
        guard let model = try await AppointmentStore.slot(id: id, on: platform.database) else { throw UseCaseError.notFound(.appointmentSlot) }
        return try await records([model], by: caller)[0]
    }

    /// The caller's bookings (an enterprise's own; those in scope), the latest first.
    public func bookings(status: String? = nil, by caller: Caller) async throws -> [AppointmentRecord] {
        try caller.require(.readConsultations)
        var reader = FieldReader()
        let status = reader.code("status", status, label: "状态", as: AppointmentStatus.self, required: false)
        guard reader.problems.isEmpty else { throw UseCaseError.malformed(reader.problems) }
        let models = try await AppointmentStore.bookings(scope: caller.filter, status: status, on: platform.database)
        return try await bookingRecords(models)
    }

    /// Reminders: an enterprise's bookings in the next three working days; a desk's bookings today
    /// and on the next working day.
    public func attention(by caller: Caller) async throws -> [AppointmentRecord] {
        guard caller.may(.readConsultations), caller.username != nil else { return [] }
        let today = platform.clock.today()
        let calendar = try await platform.calendar()
        let horizon = (try? calendar.addingWorkingDays(caller.may(.bookAppointments) ? 3 : 1, to: today, provisional: true).value) ?? today
        let db = platform.database
        if case .enterprise = caller.scope {
            let booked = try await AppointmentStore.bookings(scope: caller.filter, status: .booked, on: db)
            return try await bookingRecords(booked).filter { $0.day >= today && $0.day <= horizon }.sorted {
                ($0.day, $0.startsAt) < ($1.day, $1.startsAt)
            }
        }
        guard caller.may(.manageAppointments) else { return [] }
        let desk: String? = if case .station(let code) = caller.scope { code } else { nil }
        let slots = try await AppointmentStore.slots(from: today, through: horizon, desk: desk, on: db)
        let booked = try await AppointmentStore.bookings(ofSlots: slots.compactMap(\.id), scope: .everything, on: db)
        return try await bookingRecords(booked.filter { $0.status == AppointmentStatus.booked.rawValue })
            .sorted { ($0.day, $0.startsAt) < ($1.day, $1.startsAt) }
    }

    // MARK: Writes

    /// What a publication made and what it left out (a day not worked, a slot already there).
    public struct Published: Sendable, Equatable {
        public var slots: [AppointmentSlotRecord]
        public var skipped: [Skipped]
    }

    public struct Skipped: Sendable, Equatable {
        public var day: CivilDate
        public var reason: String
    }

    /// Publishes slots: on one day (refused if it is not a working day), or on a weekday from a day
    /// through a day (the days not worked left out, each with its reason).
    public func publish(_ input: SlotInput, by caller: Caller) async throws -> Published {
        try caller.require(.manageAppointments)
        var reader = FieldReader()
        let today = platform.clock.today()
        let calendar = try await platform.calendar()
        let deskCode = reader.text("desk", input.desk ?? Self.ownDesk(of: caller), label: "预约单位", maximum: 64)
        if let deskCode {
            if !(try Self.deskCodes().contains(deskCode)) {
                reader.problems.append(FieldProblem("desk", "names no desk", chinese: "预约单位应为服务工作站或市审评核查中心"))
            } else if let own = Self.ownDesk(of: caller), own != deskCode {
                reader.problems.append(FieldProblem("desk", "is not your station", chinese: "只能为本工作站发布预约时段"))
            }
        }
        let startsAt = reader.text("startsAt", input.startsAt, label: "开始时间", maximum: 5).flatMap { text -> TimeOfDay? in
            guard let time = TimeOfDay(text) else {
                reader.problems.append(FieldProblem("startsAt", "must be a time HH:MM", chinese: "开始时间应为 HH:MM"))
                return nil
            }
            return time
        }
        let endsAt = reader.text("endsAt", input.endsAt, label: "结束时间", maximum: 5).flatMap { text -> TimeOfDay? in
            guard let time = TimeOfDay(text) else {
                reader.problems.append(FieldProblem("endsAt", "must be a time HH:MM", chinese: "结束时间应为 HH:MM"))
                return nil
            }
            return time
        }
        if let startsAt, let endsAt, endsAt <= startsAt {
            reader.problems.append(FieldProblem("endsAt", "must be after the start", chinese: "结束时间应晚于开始时间"))
        }
        let seats = reader.wholeNumber("seats", input.seats, label: "名额")
        if let seats, !(1...200).contains(seats) {
            reader.problems.append(FieldProblem("seats", "must be between 1 and 200", chinese: "名额应在 1 至 200 之间"))
        }
        let topicCode = reader.text("topic", input.topic, label: "咨询主题", maximum: 64, required: false)
        if let topicCode, !(try await ConsultationStore.topics(on: platform.database).contains { $0.id == topicCode }) {
            reader.problems.append(FieldProblem("topic", "names no topic", chinese: "没有该咨询主题"))
        }
        var days: [CivilDate] = []
        var skipped: [Skipped] = []
        let single = input.day.map { !$0.trimmingWhitespace().isEmpty } ?? false
        if single {
            if let day = reader.anyDay("day", input.day, label: "日期", required: true) {
                if day < today {
                    reader.problems.append(FieldProblem("day", "cannot be before today", chinese: "日期不能早于今天"))
                } else if day > today.adding(days: Self.horizonDays) {
                    reader.problems.append(FieldProblem("day", "must be within six months", chinese: "只能发布六个月内的预约时段"))
                } else if let reason = AppointmentRules.notWorking(day, calendar: calendar) {
                    reader.problems.append(FieldProblem("day", "is not a working day (\(reason))", chinese: "\(day) 不是工作日（\(reason)），不能安排预约"))
                } else {
                    days = [day]
                }
            }
        } else {
            let weekday = reader.wholeNumber("weekday", input.weekday, label: "每周几")
            if let weekday, !(1...7).contains(weekday) {
                reader.problems.append(FieldProblem("weekday", "must be 1 (Monday) to 7 (Sunday)", chinese: "每周几应为 1（周一）至 7（周日）"))
            }
            let from = reader.anyDay("from", input.from, label: "起始日期", required: true)
            let through = reader.anyDay("through", input.through, label: "截止日期", required: true)
            if let from, from < today { reader.problems.append(FieldProblem("from", "cannot be before today", chinese: "起始日期不能早于今天")) }
            if let from, let through {
                if through < from {
                    reader.problems.append(FieldProblem("through", "cannot be before the first day", chinese: "截止日期不能早于起始日期"))
                } else if through > today.adding(days: Self.horizonDays) {
                    reader.problems.append(FieldProblem("through", "must be within six months", chinese: "只能发布六个月内的预约时段"))
                }
            }
            if reader.problems.isEmpty, let weekday, let from, let through {
                let pattern = AppointmentRules.days(weekday: weekday, from: from, through: through, calendar: calendar)
                days = pattern.days
                skipped = pattern.skipped.map { Skipped(day: $0.day, reason: $0.reason) }
                if days.isEmpty {
                    reader.problems.append(FieldProblem("weekday", "falls on no working day in the period", chinese: "所选期间内没有符合条件的工作日"))
                }
            }
        }
        let problems = reader.problems
        return try await platform.write(by: caller) { [days, skipped] write in
            guard problems.isEmpty, let deskCode, let startsAt, let endsAt, let seats else { throw UseCaseError.invalid(problems) }
            var made: [AppointmentSlotModel] = []
            var skipped = skipped
            for day in days {
                if try await AppointmentStore.slotExists(desk: deskCode, day: day, startsAt: startsAt.description, on: write.db) {
                    if single {
                        throw UseCaseError.invalid([FieldProblem("startsAt", "a slot starts then already", chinese: "该日该时间已有预约时段")])
                    }
                    skipped.append(Skipped(day: day, reason: "已有该时段"))
                    continue
                }
                let model = AppointmentSlotModel()
                model.id = AppointmentStore.newID(now: write.now)
                model.desk = deskCode
                model.day = day.description
                model.startsAt = startsAt.description
                model.endsAt = endsAt.description
                model.seats = seats
                model.booked = 0
                model.topic = topicCode
                model.createdBy = caller.audit.name
                model.version = 1
                try await model.create(on: write.db)
                made.append(model)
            }
            guard !made.isEmpty else {
                throw UseCaseError.invalid([
                    FieldProblem("weekday", "every such slot in the period is published already", chinese: "所选期间内的这些时段都已发布")
                ])
            }
            try await write.audit(
                "appointment.publish", entityType: "appointment_slot", entityID: made.first?.id?.uuidString ?? "*", before: nil,
                after: try Audit.json([
                    "desk": deskCode, "days": made.map(\.day).joined(separator: ","), "startsAt": startsAt.description, "endsAt": endsAt.description,
                    "seats": String(seats),
                ]))
            return Published(
                slots: try await records(made, by: caller, calendar: calendar, on: write.db), skipped: skipped.sorted { $0.day < $1.day })
        }
    }

    /// Books a seat of a slot: the enterprise its own (the regulator names one), until the cutoff,
    /// once a slot; a full slot is refused at `slot` with nothing written.
    public func book(slot id: UUID, _ input: BookingInput, by caller: Caller) async throws -> AppointmentRecord {
        try caller.require(.bookAppointments)
        var reader = FieldReader()
        let isEnterprise: Bool = if case .enterprise = caller.scope { true } else { false }
        let enterpriseID = reader.id("enterprise", input.enterprise, label: "企业", required: !isEnterprise)
        let topicCode = reader.text("topic", input.topic, label: "咨询主题", maximum: 64)
        let question = reader.text("question", input.question, label: "拟咨询的问题", maximum: 2_000, multiline: true)
        let db = platform.database
        if let topicCode, !(try await ConsultationStore.topics(on: db).contains { $0.id == topicCode }) {
            reader.problems.append(FieldProblem("topic", "names no topic", chinese: "没有该咨询主题"))
        }
        var enterprise: EnterpriseModel?
        if case .enterprise(let uscc) = caller.scope {
            enterprise = try await EnterpriseStore.find(uscc: uscc, on: db)
        } else if let enterpriseID {
            enterprise = try await EnterpriseStore.find(id: enterpriseID, scope: caller.filter, on: db)
        }
        if enterprise == nil, reader.problems.allSatisfy({ $0.field != "enterprise" }) {
            reader.problems.append(FieldProblem("enterprise", "names no enterprise in your scope", chinese: "没有该企业，或不在您的权限范围内"))
        }
        let problems = reader.problems
        let cutoff = try await platform.consultations.policies().inForce.appointmentCutoffDays
        let calendar = try await platform.calendar()
        return try await platform.write(by: caller) { [enterprise] write in
            guard let slot = try await AppointmentStore.slot(id: id, on: write.db), let day = CivilDate(slot.day) else {
                throw UseCaseError.notFound(.appointmentSlot)
            }
            guard problems.isEmpty, let enterprise, let topicCode, let question else { throw UseCaseError.invalid(problems) }
            let today = ShanghaiTime.day(of: write.now)
            let lastDay = AppointmentRules.lastDay(for: day, cutoff: cutoff, calendar: calendar)
            guard today <= lastDay else {
                throw UseCaseError.conflict(FieldProblem("slot", "booking closed on \(lastDay)", chinese: "该时段已于 \(lastDay) 截止预约"))
            }
            let enterpriseID = try enterprise.requireID()
            guard try await AppointmentStore.booking(of: enterpriseID, in: id, on: write.db) == nil else {
                throw UseCaseError.conflict(FieldProblem("slot", "is booked by this enterprise already", chinese: "该企业已预约这个时段"))
            }
            guard try await AppointmentStore.takeSeat(of: id, on: write.db) else {
                throw UseCaseError.conflict(FieldProblem("slot", "has no seat left", chinese: "该时段已约满，请选择其他时段"))
            }
            let model = AppointmentModel()
            model.id = AppointmentStore.newID(now: write.now)
            model.slotID = id
            model.enterpriseID = enterpriseID
            model.uscc = enterprise.uscc
            model.district = enterprise.district
            model.park = enterprise.park
            model.topic = topicCode
            model.question = question
            model.status = AppointmentStatus.booked.rawValue
            model.bookedBy = caller.audit.name
            model.version = 1
            try await model.create(on: write.db)
            try await write.audit(
                "appointment.book", entityType: "appointment", entityID: try model.requireID().uuidString, before: nil,
                after: try Audit.json(["slot": id.uuidString, "enterprise": enterprise.uscc, "day": slot.day, "startsAt": slot.startsAt]))
            return try await bookingRecords([model], calendar: calendar, cutoff: cutoff, on: write.db)[0]
        }
    }

    /// Cancels a booking on the version read, until the cutoff: its seat is free again.
    public func cancel(id: UUID, reason: String?, expecting version: Int?, by caller: Caller) async throws -> AppointmentRecord {
        try caller.require(.bookAppointments)
        var reader = FieldReader()
        let reason = reader.text("reason", reason, label: "取消原因", maximum: 500, required: false)
        let problems = reader.problems
        let cutoff = try await platform.consultations.policies().inForce.appointmentCutoffDays
        let calendar = try await platform.calendar()
        return try await platform.write(by: caller) { write in
            guard let model = try await AppointmentStore.find(id: id, scope: caller.filter, on: write.db) else {
                throw UseCaseError.notFound(.appointment)
            }
            try model.check(basedOn: version, .appointment)
            guard problems.isEmpty else { throw UseCaseError.invalid(problems) }
            guard model.status == AppointmentStatus.booked.rawValue else {
                throw UseCaseError.conflict(FieldProblem("status", "is not booked", chinese: "该预约已取消或已办理，不能取消"))
            }
            guard let slot = try await AppointmentStore.slot(id: model.slotID, on: write.db), let day = CivilDate(slot.day) else {
                throw UseCaseError.notFound(.appointmentSlot)
            }
            let lastDay = AppointmentRules.lastDay(for: day, cutoff: cutoff, calendar: calendar)
            guard ShanghaiTime.day(of: write.now) <= lastDay else {
                throw UseCaseError.conflict(FieldProblem("status", "could be cancelled until \(lastDay)", chinese: "取消截止日为 \(lastDay)，已不能取消"))
            }
            model.status = AppointmentStatus.cancelled.rawValue
            model.note = reason
            try await model.updateVersioned(on: write.db)
            try await AppointmentStore.releaseSeat(of: model.slotID, on: write.db)
            try await write.audit(
                "appointment.cancel", entityType: "appointment", entityID: id.uuidString, before: try Audit.json(["status": "booked"]),
                after: try Audit.json(["status": model.status, "reason": reason ?? ""]))
            return try await bookingRecords([model], calendar: calendar, cutoff: cutoff, on: write.db)[0]
        }
    }

    /// The desk records who came (on the day or later): attended or absent, with a note.
    public func recordAttendance(id: UUID, status: String?, note: String?, expecting version: Int?, by caller: Caller) async throws
        -> AppointmentRecord
    {
        try caller.require(.manageAppointments)
        var reader = FieldReader()
        let status = reader.code("status", status, label: "到场情况", as: AppointmentStatus.self)
        if let status, status != .attended, status != .absent {
            reader.problems.append(FieldProblem("status", "must be attended or absent", chinese: "到场情况应为已到场或未到场"))
        }
        let note = reader.text("note", note, label: "备注", maximum: 2_000, required: false)
        let problems = reader.problems
        let cutoff = try await platform.consultations.policies().inForce.appointmentCutoffDays
        let calendar = try await platform.calendar()
        return try await platform.write(by: caller) { write in
            guard let model = try await AppointmentStore.find(id: id, scope: .everything, on: write.db),
                let slot = try await AppointmentStore.slot(id: model.slotID, on: write.db)
            else { throw UseCaseError.notFound(.appointment) }
            if let own = Self.ownDesk(of: caller), own != slot.desk { throw UseCaseError.notFound(.appointment) }
            try model.check(basedOn: version, .appointment)
            guard problems.isEmpty, let status else { throw UseCaseError.invalid(problems) }
            guard model.status != AppointmentStatus.cancelled.rawValue else {
                throw UseCaseError.conflict(FieldProblem("status", "was cancelled", chinese: "该预约已取消"))
            }
            guard let day = CivilDate(slot.day), ShanghaiTime.day(of: write.now) >= day else {
                throw UseCaseError.conflict(FieldProblem("status", "is recorded on the day or later", chinese: "预约日当天或之后才能登记到场情况"))
            }
            let before = try Audit.json(["status": model.status])
            model.status = status.rawValue
            model.note = note
            try await model.updateVersioned(on: write.db)
            try await write.audit(
                "appointment.attendance", entityType: "appointment", entityID: id.uuidString, before: before,
                after: try Audit.json(["status": model.status]))
            // An attended appointment becomes a guidance record of the desk (once).
            if status == .attended, try await GuidanceRecordModel.query(on: write.db).filter(\.$appointmentID == id).first() == nil,
                let enterprise = try await EnterpriseModel.find(model.enterpriseID, on: write.db)
            {
                let stations = try ReferenceData.stationNames()
                let record = try GuidanceUseCases.model(
                    enterprise: enterprise, product: nil, desk: slot.desk, heldOn: day, mode: .onSite,
                    attendees: "\(enterprise.name)；\(Self.deskName(slot.desk, stations: stations))", topics: [model.topic], questions: model.question,
                    advice: note ?? "预约现场辅导（要点未记录）", followUps: [], appointment: id, by: caller, now: write.now)
                try await record.create(on: write.db)
                try await write.audit(
                    "guidance.record", entityType: "guidance", entityID: try record.requireID().uuidString, before: nil,
                    after: try Audit.json(["enterprise": enterprise.uscc, "appointment": id.uuidString, "heldOn": day.description]))
            }
            return try await bookingRecords([model], calendar: calendar, cutoff: cutoff, on: write.db)[0]
        }
    }

    // MARK: Parts

    /// Every desk's code: the stations' and the review centre's.
    static func deskCodes() throws -> Set<String> {
        Set(try ReferenceData.stations().map(\.code)).union([AppointmentDesk.reviewCentreCode])
    }

    /// A station officer's own desk.
    static func ownDesk(of caller: Caller) -> String? {
        if case .station(let code) = caller.scope { code } else { nil }
    }

    static func deskName(_ code: String, stations: [String: String]) -> String {
        code == AppointmentDesk.reviewCentreCode ? AppointmentDesk.reviewCentreName : stations[code] ?? code
    }

    func records(_ models: [AppointmentSlotModel], by caller: Caller, calendar known: WorkCalendar? = nil, on db: (any Database)? = nil) async throws
        -> [AppointmentSlotRecord]
    {
        let db = db ?? platform.database
        let calendar: WorkCalendar
        if let known { calendar = known } else { calendar = try await platform.calendar() }
        let cutoff = try await PolicyStore.versions(ServicePolicy.self, key: PlatformSetting.Key.servicePolicy, on: db)
        let policy = ServicePolicy.inForce(on: platform.clock.today(), among: cutoff)
        let today = platform.clock.today()
        let stations = try ReferenceData.stationNames()
        let topics = Dictionary(
            try await ConsultationStore.topics(activeOnly: false, on: db).map { ($0.id ?? "", $0.label) }, uniquingKeysWith: { a, _ in a })
        // The desk's managers see every booking of its slots; others those in their scope.
        let own = Self.ownDesk(of: caller)
        let managesAll = caller.may(.manageAppointments) && own == nil
        let ids = models.compactMap(\.id)
        let mine = try await AppointmentStore.bookings(ofSlots: ids, scope: caller.filter, on: db)
        let desks = try await AppointmentStore.bookings(
            ofSlots: models.filter { managesAll || ($0.desk == own && own != nil) }.compactMap(\.id), scope: .everything, on: db)
        var seen = Set<UUID>()
        let visible = (desks + mine).filter { seen.insert($0.id ?? UUID()).inserted }
        let bookings = Dictionary(grouping: try await bookingRecords(visible, calendar: calendar, cutoff: policy.appointmentCutoffDays, on: db)) {
            $0.slotID
        }
        return try models.map { model in
            let id = try model.requireID()
            let day = CivilDate(model.day) ?? today
            let lastDay = AppointmentRules.lastDay(for: day, cutoff: policy.appointmentCutoffDays, calendar: calendar)
            return AppointmentSlotRecord(
                id: id, version: model.version, desk: model.desk, deskName: Self.deskName(model.desk, stations: stations), day: day,
                startsAt: model.startsAt, endsAt: model.endsAt, seats: model.seats, booked: model.booked, topic: model.topic,
                topicLabel: model.topic.map { topics[$0] ?? $0 }, lastDay: lastDay, bookable: today <= lastDay && model.booked < model.seats,
                bookings: (bookings[id] ?? []).sorted { $0.id < $1.id })
        }
    }

    func bookingRecords(_ models: [AppointmentModel], calendar known: WorkCalendar? = nil, cutoff: Int? = nil, on db: (any Database)? = nil)
        async throws -> [AppointmentRecord]
    {
        let db = db ?? platform.database
        let calendar: WorkCalendar
        if let known { calendar = known } else { calendar = try await platform.calendar() }
        let policyCutoff: Int
        if let cutoff { policyCutoff = cutoff } else { policyCutoff = try await platform.consultations.policies().inForce.appointmentCutoffDays }
        let stations = try ReferenceData.stationNames()
        let topics = Dictionary(
            try await ConsultationStore.topics(activeOnly: false, on: db).map { ($0.id ?? "", $0.label) }, uniquingKeysWith: { a, _ in a })
        let slots = Dictionary(
            try await AppointmentSlotModel.query(on: db).filter(\.$id ~~ Set(models.map(\.slotID))).all().compactMap { model in
                model.id.map { ($0, model) }
            }, uniquingKeysWith: { a, _ in a })
        let enterprises = try await EnterpriseStore.names(of: Set(models.map(\.enterpriseID)), on: db)
        let names = try await People.labels(usernames: [], actors: models.map(\.bookedBy), on: db)
        return try models.map { model in
            let slot = slots[model.slotID]
            let day = slot.flatMap { CivilDate($0.day) } ?? platform.clock.today()
            let lastDay = AppointmentRules.lastDay(for: day, cutoff: policyCutoff, calendar: calendar)
            return AppointmentRecord(
                id: try model.requireID(), version: model.version, slotID: model.slotID,
                deskName: slot.map { Self.deskName($0.desk, stations: stations) } ?? "", day: day, startsAt: slot?.startsAt ?? "",
                endsAt: slot?.endsAt ?? "", enterpriseID: model.enterpriseID, enterprise: enterprises[model.enterpriseID] ?? model.uscc,
                topic: model.topic, topicLabel: topics[model.topic] ?? model.topic, question: model.question,
                status: AppointmentStatus(rawValue: model.status) ?? .booked, note: model.note, bookedBy: names[model.bookedBy] ?? model.bookedBy,
                lastDay: lastDay, cancellable: model.status == AppointmentStatus.booked.rawValue && platform.clock.today() <= lastDay)
        }
    }
}

extension Platform {
    public var appointments: AppointmentUseCases { AppointmentUseCases(platform: self) }
}
