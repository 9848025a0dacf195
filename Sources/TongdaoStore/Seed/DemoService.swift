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
        try await BulkInsert.run(
            "consultations",
            columns: [
                "id", "enterprise_id", "uscc", "district_code", "park_code", "product_id", "product_name", "topic", "title", "station_code", "status",
                "asked_on", "first_response_days", "resolution_days", "amber_fraction", "escalate_after_days", "clock_events", "first_response_on",
                "answered_on", "due_on", "amber_on", "red_on", "escalate_on", "rating", "asked_by", "version", "created_at", "updated_at",
            ], rows: consultations, on: db)
        try await BulkInsert.run(
            "consultation_messages", columns: ["id", "consultation_id", "kind", "on_day", "actor", "body", "rating", "occurred_at"], rows: messages,
            on: db)
        return consultations.count
    }

    /// A step's moment: noon in Shanghai on its day (04:00 UTC).
    static func noon(of day: CivilDate) -> Date {
        Date(timeIntervalSince1970: Double(day.dayNumber) * 86_400 + 4 * 3_600)
    }
}
