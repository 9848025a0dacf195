import FluentKit
import Foundation
import TongdaoCore

/// The demo's consultations (issue 20): a year of questions from the demo city's enterprises to
/// the station covering each one's district (or the regulator, for city-level topics), in every
/// state — most answered and rated, some waiting on the enterprise, some answered and not yet
/// rated, a few withdrawn, the last weeks' still open, a handful overdue and escalated. Each one's
/// clock is counted by `ServiceClock` on the calendar, as a real one would be; written in bulk.
public enum DemoService {
    /// How many questions a working day brings the city, on average.
    static let perWorkingDay = 9

    public static func generate(today: CivilDate, now: Date, seed: UInt64 = DemoCity.seed, on db: any Database) async throws -> Int {
        var random = SplitMix64(seed: seed &+ 20)
        func roll(_ below: Int) -> Int { Int(random.next() % UInt64(max(below, 1))) }
        let calendar = try await CalendarStore.load(on: db)
        let stations = try ReferenceData.stations()
        let topics = try await ConsultationStore.topics(on: db)
        let enterprises = try await EnterpriseModel.query(on: db).sort(\.$uscc).all()
        let products = try await ProductModel.query(on: db).sort(\.$id).all()
        var productsOf: [UUID: [ProductModel]] = [:]
        for product in products { productsOf[product.$enterprise.id, default: []].append(product) }
        guard !enterprises.isEmpty, !topics.isEmpty else { return 0 }
        let targets = ServicePolicy.standard.targets

        func working(_ day: CivilDate, plus days: Int) -> CivilDate {
            (try? calendar.shiftingWorkingDays(days, from: day, provisional: true).value) ?? day.adding(days: days)
        }
        var consultations: [[BulkValue]] = []
        var messages: [[BulkValue]] = []
        var instant = now.addingTimeInterval(-400 * 86_400)
        func nextID() -> UUID {
            instant = instant.addingTimeInterval(1)
            return TimeOrderedID.make(now: instant)
        }
        let start = today.adding(days: -365)
        var day = start
        while day <= today {
            defer { day = day.adding(days: 1) }
            guard (try? calendar.day(day, provisional: true).isWorkingDay) == true else { continue }
            for _ in 0..<(perWorkingDay / 2 + roll(perWorkingDay + 1)) {
                let enterprise = enterprises[roll(enterprises.count)]
                guard let enterpriseID = enterprise.id else { continue }
                let topic = topics[roll(topics.count)]
                let station = topic.cityLevel ? nil : ServiceRouting.station(district: enterprise.district, park: enterprise.park, among: stations)
                let owned = productsOf[enterpriseID] ?? []
                let product = owned.isEmpty || roll(10) < 4 ? nil : owned[roll(owned.count)]
                let officer = station.map { "user:station-\($0.code)" } ?? "user:regulator"
                let asker = enterprise.uscc == DemoData.enterprises[0].uscc ? "user:enterprise" : (enterprise.contactName ?? "企业联系人")
                let id = nextID()
                let label = topic.label
                let subject = product.map { "“\($0.name)”" } ?? "我司产品"
                var events: [ServiceClock.Event] = [.init(.asked, on: day)]
                var steps: [(kind: ConsultationEventKind, on: CivilDate, actor: String, body: String, rating: Int?)] = [
                    (.asked, day, asker, "\(subject)在\(label)方面有几个问题，请工作站给予指导：具体要求和办理时限是什么？需要准备哪些材料？", nil)
                ]
                func add(_ kind: ConsultationEventKind, _ on: CivilDate, _ actor: String, _ body: String, rating: Int? = nil) -> Bool {
                    guard on <= today else { return false }
                    events.append(.init(kind, on: on))
                    steps.append((kind, on, actor, body, rating))
                    return true
                }
                // How this one goes: most answered within the targets; a few late; some asked to clarify first.
                let late = roll(25) == 0
                var at = working(day, plus: late ? 3 + roll(4) : roll(3))
                let outcome = roll(100)
                if outcome < 3 {
                    _ = add(.withdrawn, working(day, plus: 1), asker, "已通过窗口现场咨询，撤回本次咨询。")
                } else {
                    var answerable = true
                    if roll(10) < 3 {
                        if add(.requestedInfo, at, officer, "请补充说明\(subject)的预期用途、结构组成和工作原理，以便准确答复。") {
                            let replied = at.adding(days: 1 + roll(10))
                            if outcome >= 8, add(.enterpriseReplied, replied, asker, "已补充：产品用于术中辅助，由主机、探头和软件组成。") {
                                at = working(replied, plus: 1 + roll(late ? 12 : 5))
                            } else {
                                answerable = false
                            }
                        } else {
                            answerable = false
                        }
                    }
                    // One in a hundred stays open long after its deadline (escalated); the others are answered.
                    let forgotten = outcome == 8 && day < today.adding(days: -20)
                    if answerable, !forgotten,
                        add(
                            .answered, at, officer,
                            "关于\(label)：请参照现行注册审查指导原则准备资料，重点说明核心专利、技术特征和临床优势；可预约工作站面对面辅导。"),
                        outcome < 85
                    {
                        _ = add(
                            .rated, at.adding(days: 1 + roll(6)), asker, ["答复清楚，谢谢。", "很有帮助。", "", "希望能更具体一些。"][roll(4)],
                            rating: late ? 3 + roll(2) : 4 + roll(2))
                    }
                }
                guard let reading = try? ServiceClock.read(events: events, targets: targets, asOf: today, calendar: calendar) else { continue }
                let snapshot = ServiceClock.snapshot(of: reading, targets: targets, calendar: calendar)
                let rating = steps.last(where: { $0.kind == .rated })?.rating
                let values: [any BulkWritable] = [
                    id, enterpriseID, enterprise.uscc, enterprise.district, enterprise.park, product?.id, product?.name, topic.id ?? "other",
                    "\(label)：\(product?.name ?? "办理要求")", station?.code, reading.status.rawValue, day, targets.firstResponse, targets.resolution,
                    targets.amberFraction, targets.escalateAfter, ServiceClock.Event.storedText(of: events), reading.firstResponse.metOn,
                    reading.resolution.metOn, snapshot?.dueOn, snapshot?.amberOn, snapshot?.redOn, snapshot?.escalateOn, rating, asker,
                    steps.count, instant, instant,
                ]
                consultations.append(values.map(\.bulkValue))
                for step in steps {
                    let values: [any BulkWritable] = [
                        nextID(), id, step.kind.rawValue, step.on, step.actor.isEmpty ? "企业联系人" : step.actor, step.body, step.rating,
                        Self.noon(of: step.on),
                    ]
                    messages.append(values.map(\.bulkValue))
                }
            }
        }
        try await BulkInsert.run("consultations", columns: consultationColumns, rows: consultations, on: db)
        try await BulkInsert.run("consultation_messages", columns: messageColumns, rows: messages, on: db)
        return consultations.count
    }

    /// The columns a generated consultation fills, in the order of its values.
    static let consultationColumns = [
        "id", "enterprise_id", "uscc", "district_code", "park_code", "product_id", "product_name", "topic", "title", "station_code", "status",
        "asked_on", "first_response_days", "resolution_days", "amber_fraction", "escalate_after_days", "clock_events", "first_response_on",
        "answered_on", "due_on", "amber_on", "red_on", "escalate_on", "rating", "asked_by", "version", "created_at", "updated_at",
    ]

    /// The columns a generated consultation's message fills.
    static let messageColumns = ["id", "consultation_id", "kind", "on_day", "actor", "body", "rating", "occurred_at"]

    /// A step's moment: noon in Shanghai on its day (04:00 UTC).
    static func noon(of day: CivilDate) -> Date {
        Date(timeIntervalSince1970: Double(day.dayNumber) * 86_400 + 4 * 3_600)
    }

    /// The demo's appointment slots: each station and the review centre hold a weekly afternoon
    /// (the review centre a morning) from eight weeks ago to six weeks ahead, working days only;
    /// the past ones booked and attended (a few absent, a few cancelled), the coming ones partly
    /// booked — the demo enterprise's account among them, in the coming days, so its inbox
    /// reminds it. Returns the slots and bookings written.
    public static func generateAppointments(today: CivilDate, now: Date, seed: UInt64 = DemoCity.seed, on db: any Database) async throws -> (
        slots: Int, bookings: Int
    ) {
        var random = SplitMix64(seed: seed &+ 21)
        func roll(_ below: Int) -> Int { Int(random.next() % UInt64(max(below, 1))) }
        let calendar = try await CalendarStore.load(on: db)
        let stations = try ReferenceData.stations()
        let topics = try await ConsultationStore.topics(on: db).compactMap(\.id)
        let enterprises = try await EnterpriseModel.query(on: db).sort(\.$uscc).all()
        guard !enterprises.isEmpty, !topics.isEmpty else { return (0, 0) }
        let demo = enterprises.first { $0.uscc == DemoData.enterprises[0].uscc }
        let soon = (try? calendar.addingWorkingDays(2, to: today, provisional: true).value) ?? today
        let desks: [(code: String, weekday: Int, starts: String, ends: String)] =
            stations.enumerated().map { index, station in
                (station.code, station.code == "zhangjiang" ? soon.weekday : index % 5 + 1, "13:00", "16:00")
            } + [(AppointmentDesk.reviewCentreCode, 3, "09:00", "11:30")]
        var instant = now.addingTimeInterval(-70 * 86_400)
        func nextID() -> UUID {
            instant = instant.addingTimeInterval(1)
            return TimeOrderedID.make(now: instant)
        }
        var slots: [[BulkValue]] = []
        var bookings: [[BulkValue]] = []
        var sessions: [[BulkValue]] = []
        let questions = ["注册申报资料目录如何编排？", "临床评价路径如何选择？", "注册检验的样品数量和型号覆盖？", "创新特别审查申请的准备要点？", "体系核查前需要准备哪些文件？"]
        for desk in desks {
            let pattern = AppointmentRules.days(
                weekday: desk.weekday, from: today.adding(days: -56), through: today.adding(days: 42), calendar: calendar)
            let covered = stations.first { $0.code == desk.code }.map { Set($0.districts) }
            let local = enterprises.filter { covered?.contains($0.district) ?? true }
            for day in pattern.days {
                let slot = nextID()
                let seats = 4
                var booked = 0
                var rows: [[BulkValue]] = []
                let past = day < today
                let count = past ? 2 + roll(3) : roll(3)
                var chosen: [EnterpriseModel] = []
                if !past, desk.code == "zhangjiang", day == soon, let demo { chosen.append(demo) }
                while chosen.count < min(count, seats), !local.isEmpty {
                    let pick = local[roll(local.count)]
                    if !chosen.contains(where: { $0.id == pick.id }) { chosen.append(pick) } else { break }
                }
                for enterprise in chosen {
                    guard let enterpriseID = enterprise.id else { continue }
                    let fate = roll(10)
                    let status: AppointmentStatus =
                        past
                        ? (fate == 0 ? .cancelled : fate == 1 ? .absent : .attended) : (fate == 0 && enterprise.id != demo?.id ? .cancelled : .booked)
                    if status != .cancelled { booked += 1 }
                    let note: String? =
                        switch status {
                        case .attended: "现场讨论了申报路径和资料要点，企业将按建议补充检验报告。"
                        case .absent: "企业未到场，已电话联系。"
                        case .cancelled: "企业改期。"
                        case .booked: nil
                        }
                    let asker = enterprise.id == demo?.id ? "user:enterprise" : (enterprise.contactName ?? "企业联系人")
                    let values: [any BulkWritable] = [
                        nextID(), slot, enterpriseID, enterprise.uscc, enterprise.district, enterprise.park, topics[roll(topics.count)],
                        questions[roll(questions.count)], status.rawValue, note, asker, 1, instant, instant,
                    ]
                    let bookingID = values[0] as? UUID
                    rows.append(values.map(\.bulkValue))
                    if status == .attended, let bookingID {
                        let desk = desk.code
                        sessions.append(
                            guidanceRow(
                                id: nextID(), enterprise: enterprise, product: nil, desk: desk, heldOn: day, mode: .onSite,
                                topics: [topics[roll(topics.count)]], questions: questions[roll(questions.count)], advice: note ?? "",
                                followUps: [], appointment: bookingID,
                                by: desk == AppointmentDesk.reviewCentreCode ? "user:regulator" : "user:station-\(desk)", at: instant))
                    }
                }
                let officer = desk.code == AppointmentDesk.reviewCentreCode ? "user:regulator" : "user:station-\(desk.code)"
                let values: [any BulkWritable] = [slot, desk.code, day, desk.starts, desk.ends, seats, booked, officer, 1, instant, instant]
                slots.append(values.map(\.bulkValue))
                bookings += rows
            }
        }
        try await BulkInsert.run(
            "appointment_slots",
            columns: ["id", "desk", "day", "starts_at", "ends_at", "seats", "booked", "created_by", "version", "created_at", "updated_at"],
            rows: slots, on: db)
        try await BulkInsert.run(
            "appointments",
            columns: [
                "id", "slot_id", "enterprise_id", "uscc", "district_code", "park_code", "topic", "question", "status", "note", "booked_by", "version",
                "created_at", "updated_at",
            ], rows: bookings, on: db)
        try await insertGuidance(sessions, on: db)
        return (slots.count, bookings.count)
    }

    static let guidanceColumns = [
        "id", "enterprise_id", "uscc", "district_code", "park_code", "product_id", "product_name", "desk", "held_on", "mode", "attendees", "topics",
        "questions", "advice", "follow_ups", "open_follow_ups", "appointment_id", "recorded_by", "version", "created_at", "updated_at",
    ]

    static func insertGuidance(_ rows: [[BulkValue]], on db: any Database) async throws {
        try await BulkInsert.run("guidance_records", columns: guidanceColumns, rows: rows, on: db)
    }

    static func guidanceRow(
        id: UUID, enterprise: EnterpriseModel, product: ProductModel?, desk: String, heldOn: CivilDate, mode: GuidanceMode, topics: [String],
        questions: String, advice: String, followUps: [GuidanceFollowUp], appointment: UUID?, by actor: String, at instant: Date
    ) -> [BulkValue] {
        let values: [any BulkWritable] = [
            id, enterprise.id, enterprise.uscc, enterprise.district, enterprise.park, product?.id, product?.name, desk, heldOn, mode.rawValue,
            "\(enterprise.contactName ?? "企业联系人")（\(enterprise.name)）", topics.joined(separator: ","), questions, advice,
            GuidanceFollowUp.storedText(of: followUps), followUps.count { $0.doneOn == nil }, appointment, actor, 1, instant, instant,
        ]
        return values.map(\.bulkValue)
    }

    /// A year of one-to-one sessions at the twelve stations (about two a week each), with the
    /// enterprises of each station's districts and often one of their products; follow-up items
    /// due in working days, the older ones mostly done, some overdue.
    public static func generateGuidance(today: CivilDate, now: Date, seed: UInt64 = DemoCity.seed, on db: any Database) async throws -> Int {
        var random = SplitMix64(seed: seed &+ 22)
        func roll(_ below: Int) -> Int { Int(random.next() % UInt64(max(below, 1))) }
        let calendar = try await CalendarStore.load(on: db)
        let stations = try ReferenceData.stations()
        let topics = try await ConsultationStore.topics(on: db).compactMap(\.id)
        let enterprises = try await EnterpriseModel.query(on: db).sort(\.$uscc).all()
        let products = try await ProductModel.query(on: db).sort(\.$id).all()
        var productsOf: [UUID: [ProductModel]] = [:]
        for product in products { productsOf[product.$enterprise.id, default: []].append(product) }
        guard !topics.isEmpty else { return 0 }
        var instant = now.addingTimeInterval(-380 * 86_400)
        var rows: [[BulkValue]] = []
        let items: [(String, String)] = [
            ("补充专利检索报告", "企业"), ("提交检验方案供工作站复核", "企业"), ("协调审评中心召开沟通会", "工作站"), ("反馈临床评价路径意见", "工作站"),
            ("整理产品技术要求初稿", "企业"),
        ]
        let advice = [
            "建议围绕核心专利和临床优势准备创新特别审查申请材料。", "建议先完成注册检验再启动临床试验，检验型号覆盖主要配置。", "建议采用同品种比对路径进行临床评价，补充文献检索。",
            "建议提前准备体系核查自查报告，重点关注设计开发文档。",
        ]
        var day = today.adding(days: -365)
        while day <= today {
            defer { day = day.adding(days: 1) }
            guard (try? calendar.day(day, provisional: true).isWorkingDay) == true else { continue }
            for station in stations where roll(5) < 2 {
                let local = enterprises.filter { station.districts.contains($0.district) }
                guard !local.isEmpty else { continue }
                let enterprise = local[roll(local.count)]
                let owned = enterprise.id.flatMap { productsOf[$0] } ?? []
                let product = owned.isEmpty || roll(10) < 3 ? nil : owned[roll(owned.count)]
                var followUps: [GuidanceFollowUp] = []
                for _ in 0..<roll(3) {
                    let (item, owner) = items[roll(items.count)]
                    let days = [3, 5, 10, 15][roll(4)]
                    guard let due = try? calendar.addingWorkingDays(days, to: day, provisional: true).value else { continue }
                    let done: CivilDate? = due < today && roll(10) < 8 ? min(due, today) : nil
                    followUps.append(GuidanceFollowUp(item: item, owner: owner, dueInWorkingDays: days, dueOn: due, doneOn: done))
                }
                instant = instant.addingTimeInterval(60)
                rows.append(
                    guidanceRow(
                        id: TimeOrderedID.make(now: instant), enterprise: enterprise, product: product, desk: station.code, heldOn: day,
                        mode: [GuidanceMode.onSite, .video, .phone][roll(3)],
                        topics: Array(Set((0...roll(2)).map { _ in topics[roll(topics.count)] })).sorted(),
                        questions: "\(product.map { "“\($0.name)”" } ?? "企业")在注册路径、检验和临床评价方面的问题。", advice: advice[roll(advice.count)],
                        followUps: followUps, appointment: nil, by: "user:station-\(station.code)", at: instant))
            }
        }
        try await insertGuidance(rows, on: db)
        return rows.count
    }

    /// The key-varieties service list: about 130 products of about 100 enterprises (two at most
    /// each), most confirmed with their station, officer and a plan over the steps ahead (the
    /// earlier milestones done, a few overdue), some awaiting the regulator, a few declined.
    public static func generateKeyVarieties(today: CivilDate, now: Date, seed: UInt64 = DemoCity.seed, on db: any Database) async throws -> Int {
        var random = SplitMix64(seed: seed &+ 23)
        func roll(_ below: Int) -> Int { Int(random.next() % UInt64(max(below, 1))) }
        let stations = try ReferenceData.stations()
        let enterprises = Dictionary(
            try await EnterpriseModel.query(on: db).all().compactMap { model in model.id.map { ($0, model) } }, uniquingKeysWith: { a, _ in a })
        let products = try await ProductModel.query(on: db).sort(\.$id).all()
        var perEnterprise: [UUID: Int] = [:]
        var chosen: [ProductModel] = []
        for product in products where chosen.count < 132 && roll(4) == 0 {
            let owner = product.$enterprise.id
            guard perEnterprise[owner, default: 0] < 2 else { continue }
            perEnterprise[owner, default: 0] += 1
            chosen.append(product)
        }
        let counsellors = ["国家分中心 王敏", "国家分中心 刘畅", "国家分中心 陈思", nil, nil]
        var instant = now.addingTimeInterval(-200 * 86_400)
        var rows: [[BulkValue]] = []
        for (index, product) in chosen.enumerated() {
            guard let enterprise = enterprises[product.$enterprise.id], let productID = product.id else { continue }
            instant = instant.addingTimeInterval(3_600)
            let reason = KeyVarietyReason.allCases[roll(KeyVarietyReason.allCases.count)]
            let status: KeyVarietyStatus = index % 30 == 7 ? .declined : index % 16 == 3 ? .proposed : .confirmed
            let station = ServiceRouting.station(district: enterprise.district, park: enterprise.park, among: stations)?.code
            let proposedOn = today.adding(days: -(30 + roll(300)))
            var plan: [ServiceMilestone] = []
            if status == .confirmed {
                var due = proposedOn.adding(days: 60 + roll(90))
                for step in ServiceStep.allCases where roll(5) > 0 {
                    let done: CivilDate? = due < today && roll(6) > 0 ? due.adding(days: -roll(20)) : nil
                    plan.append(ServiceMilestone(step: step, title: "\(step.label)节点", dueOn: due, doneOn: done))
                    due = due.adding(days: 90 + roll(180))
                }
            }
            let values: [any BulkWritable] = [
                TimeOrderedID.make(now: instant), productID, product.name, enterprise.id, enterprise.uscc, enterprise.district, enterprise.park,
                reason.rawValue, "\(product.name)：\(reason.label)，拟申请创新医疗器械特别审查。", status.rawValue,
                station.map { "user:station-\($0)" } ?? "user:pudong", proposedOn, station,
                status == .confirmed ? station.map { "station-\($0)" } : nil,
                status == .confirmed ? counsellors[roll(counsellors.count)] : nil,
                status == .confirmed && reason == .majorProject ? "市药监局、市经信委、所在区联合工作专班" : nil,
                status == .proposed ? nil : "user:regulator", status == .proposed ? nil : proposedOn.adding(days: 10),
                status == .declined ? "暂不符合列入条件，建议完成型式检验后再推荐。" : nil, ServiceMilestone.storedText(of: plan), 1, instant, instant,
            ]
            rows.append(values.map(\.bulkValue))
        }
        try await BulkInsert.run(
            "key_varieties",
            columns: [
                "id", "product_id", "product_name", "enterprise_id", "uscc", "district_code", "park_code", "reason", "justification", "status",
                "proposed_by", "proposed_on", "station_code", "officer", "counsellor", "task_force", "decided_by", "decided_on", "decision_note",
                "milestones", "version", "created_at", "updated_at",
            ], rows: rows, on: db)
        return rows.count
    }
}
