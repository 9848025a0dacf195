import FluentKit
import Foundation
import TongdaoCore

/// Applications in every state for demo mode and benchmarks, generated from a fixed seed: in review,
/// waiting for supplements (some across the Spring Festival), under expert review or inspection,
/// decided, licensed, landed, refused, withdrawn, and some overdue. Every timeline is replayed through
/// `ApplicationLifecycle` before it is stored, so the data obeys the same rules as recorded events.
public enum DemoApplications {
    public typealias Progress = @Sendable (_ done: Int, _ total: Int) -> Void

    /// What the generator needs of a product: a stored one, or one the national-scale seed just wrote.
    public struct Candidate: Sendable {
        public var id: UUID
        public var enterpriseID: UUID
        public var uscc: String
        public var district: String
        public var park: String?
        public var managementClass: ManagementClass
        public var classificationCode: String?
        public var channels: [FilingChannel]

        public init(
            id: UUID, enterpriseID: UUID, uscc: String, district: String, park: String?, managementClass: ManagementClass,
            classificationCode: String?, channels: [FilingChannel]
        ) {
            self.id = id
            self.enterpriseID = enterpriseID
            self.uscc = uscc
            self.district = district
            self.park = park
            self.managementClass = managementClass
            self.classificationCode = classificationCode
            self.channels = channels
        }

        init(_ product: ProductModel) throws {
            self.init(
                id: try product.requireID(), enterpriseID: product.$enterprise.id, uscc: product.uscc, district: product.district,
                park: product.park, managementClass: product.managementClass, classificationCode: product.classificationCode,
                channels: product.draft.channels)
        }
    }

    /// Generates `count` applications for devices among the stored products and writes them in bulk,
    /// with one audit row. Returns how many were written.
    public static func generate(
        count: Int, today: CivilDate, now: Date, seed: UInt64 = DemoCity.seed, by actor: AuditActor, on database: any Database,
        progress: Progress? = nil
    ) async throws -> Int {
        let products = try await ProductModel.query(on: database).filter(\.$category ~~ [.device, .ivd]).sort(\.$id).all().map(Candidate.init)
        return try await generate(count: count, among: products, today: today, now: now, seed: seed, by: actor, on: database, progress: progress)
    }

    /// The same among given products, written every `batch` applications (so that a national-scale
    /// run never holds more than a batch of rows), in one transaction with one audit row.
    public static func generate(
        count: Int, among products: [Candidate], today: CivilDate, now: Date, seed: UInt64 = DemoCity.seed, batch: Int = 10_000,
        by actor: AuditActor, on database: any Database, progress: Progress? = nil
    ) async throws -> Int {
        guard !products.isEmpty else { return 0 }
        let calendar = try await CalendarStore.load(on: database)
        let policy = try await DigestStore.warningPolicy(on: database)
        let catalogue = Dictionary(uniqueKeysWithValues: try await ProcedureStore.catalogue(on: database).map { ($0.code, $0) })
        let officers = Dictionary(
            uniqueKeysWithValues: DemoData.users.compactMap { user -> (String, String)? in
                switch user.scope {
                case .district(let code): (code, user.username)
                case .park(let code): ("park:" + code, user.username)
                default: nil
                }
            })
        // Numbers continue after the applications already stored, so that a second run adds to the first.
        let offset = try await ApplicationModel.query(on: database).count()
        return try await database.transaction { db in
            var generator = SplitMix64(seed: seed &+ 6 &+ UInt64(offset))
            var applications: [[BulkValue]] = []
            var events: [[BulkValue]] = []
            var eventCount = 0
            var made = 0
            var attempts = 0
            func flush() async throws {
                try await BulkInsert.run("applications", columns: applicationColumns, rows: applications, on: db)
                try await BulkInsert.run("application_events", columns: eventColumns, rows: events, on: db)
                eventCount += events.count
                applications.removeAll(keepingCapacity: true)
                events.removeAll(keepingCapacity: true)
                progress?(made, count)
            }
            while made < count, attempts < count * 3 {
                attempts += 1
                let product = products[Int.random(in: 0..<products.count, using: &generator)]
                let code =
                    product.managementClass == .three
                    ? "device.class3.registration"
                    : (Int.random(in: 0..<5, using: &generator) == 0 ? "device.class2.priority.shanghai" : "device.class2.registration")
                let accepted = today.adding(days: -Int.random(in: 5...900, using: &generator))
                guard let procedure = catalogue[code], let version = procedure.version(inForceOn: accepted) else { continue }
                let serial = offset + made + 1
                let category = product.classificationCode.map { String($0.prefix(2)) } ?? "01"
                let certificate =
                    product.managementClass == .three
                    ? "国械注准\(accepted.year + 1)3\(category)\(String(format: "%04d", serial % 10_000))"
                    : "沪械注准\(accepted.year + 1)2\(category)\(String(format: "%04d", serial % 10_000))"
                let timeline = journey(
                    accepted: accepted, today: today, certificate: certificate, calendar: calendar, version: version, using: &generator)
                guard
                    let (state, snapshot) = try? ApplicationLifecycle.stored(
                        timeline, version: version, asOf: today, calendar: calendar, amberFraction: policy.amberFraction)
                else { continue }
                let id = TimeOrderedID.make(now: now)
                let channel: ReviewChannel =
                    code == "device.class2.priority.shanghai"
                    ? .shanghaiPriority
                    : (product.channels.contains(.nationalInnovative) && product.managementClass == .three ? .nationalInnovative : .normal)
                let application: [any BulkWritable] =
                    [
                        id, product.id, product.enterpriseID, product.uscc, product.district, product.park, code, version.version,
                        (product.managementClass == .three ? ApplicationAuthority.cmde : .shanghaiMPA).rawValue,
                        "\(product.managementClass == .three ? "CQZ" : "SQZ")\(accepted.year)\(String(format: "%06d", serial))", channel.rawValue,
                        "reviewer", product.park.flatMap { officers["park:" + $0] } ?? officers[product.district],
                        accepted.description, state.status.rawValue, state.certificate, now, now,
                    ] + ApplicationModel.snapshotValues(snapshot) + [state.status.isOpen]
                applications.append(application.map(\.bulkValue))
                for (index, event) in timeline.enumerated() {
                    // A QMS inspection's completion names the site inspected and what was found.
                    // (The note is drawn all the same, so that the rest of the demo stays as it was.)
                    let qms = event.kind == .qmsInspectionCompleted ? DemoSites.outcome(uscc: product.uscc, serial: serial) : nil
                    let drawn = note(event.kind, using: &generator)
                    let row: [any BulkWritable] = [
                        TimeOrderedID.make(now: now), id, index + 1, event.kind.rawValue, event.on.description, event.days, event.decision?.rawValue,
                        event.certificate, event.reason, qms.map(DemoSites.note) ?? drawn, "demo", now,
                        qms == nil ? nil : DemoSites.address(uscc: product.uscc), qms?.rawValue,
                    ]
                    events.append(row.map(\.bulkValue))
                }
                made += 1
                if applications.count >= batch { try await flush() }
            }
            try await flush()
            try await Audit.record(
                "demo.applications", entityType: "application", entityID: "*", before: nil,
                after: try Audit.json(["applications": String(made), "events": String(eventCount)]), by: actor, on: db, at: now)
            return made
        }
    }

    static let applicationColumns =
        [
            "id", "product_id", "enterprise_id", "uscc", "district_code", "park_code", "procedure_code", "procedure_version", "authority",
            "application_number", "channel", "reviewer", "responsible_officer", "accepted_on", "status", "certificate", "created_at", "updated_at",
        ] + ApplicationModel.snapshotColumns + ["is_open"]
    static let eventColumns = [
        "id", "application_id", "sequence", "kind", "occurred_on", "days", "decision", "certificate", "reason", "note", "recorded_by",
        "recorded_at", "site", "qms_outcome",
    ]

    private static func note(_ kind: ApplicationEventKind, using generator: inout SplitMix64) -> String? {
        switch kind {
        case .supplementRequested: ["临床评价资料不充分，请补充同品种比对数据", "产品技术要求中性能指标需细化", "请补充软件版本命名规则及网络安全资料"].randomElement(using: &generator)
        case .qmsInspectionCompleted: ["未发现严重缺陷", "发现一般缺陷 2 项，已整改"].randomElement(using: &generator)
        case .reviewCompleted: "技术审评结论：符合要求"
        default: nil
        }
    }

    /// A plausible timeline: each step a few working days to a few months after the last, stopping at
    /// today, with the journey's end drawn at random (some stall and run late, some are refused).
    private static func journey(
        accepted: CivilDate, today: CivilDate, certificate: String, calendar: WorkCalendar, version: ProcedureVersion,
        using generator: inout SplitMix64
    ) -> [ApplicationEvent] {
        var events = [ApplicationEvent(.accepted, on: accepted)]
        var last = accepted
        func after(_ low: Int, _ high: Int, using generator: inout SplitMix64) -> CivilDate? {
            let days = Int.random(in: low...high, using: &generator)
            guard let date = try? calendar.addingWorkingDays(days, to: last, provisional: true).value, date <= today else { return nil }
            return date
        }
        func add(
            _ kind: ApplicationEventKind, _ low: Int, _ high: Int, using generator: inout SplitMix64, days: Int? = nil,
            decision: ApprovalDecision? = nil, certificate: String? = nil, reason: String? = nil
        ) -> Bool {
            guard let date = after(low, high, using: &generator) else { return false }
            events.append(ApplicationEvent(kind, on: date, days: days, decision: decision, certificate: certificate, reason: reason))
            last = date
            return true
        }
        let limit = version.review
        // Most ask for a supplement once; a few go to experts; some stall past the limit.
        if Int.random(in: 0..<10, using: &generator) < 7 {
            guard add(.supplementRequested, limit / 4, limit * 3 / 4, using: &generator) else { return events }
            guard add(.supplementReceived, 20, 200, using: &generator) else { return events }
        }
        if Int.random(in: 0..<6, using: &generator) == 0 {
            guard add(.expertReviewStarted, 5, 15, using: &generator) else { return events }
            guard add(.expertReviewEnded, 10, 30, using: &generator) else { return events }
        }
        if Int.random(in: 0..<8, using: &generator) == 0 {
            guard add(.extensionGranted, 10, 20, using: &generator, days: max(1, limit / 4), reason: "需补充专家论证") else { return events }
        }
        let stalls = Int.random(in: 0..<7, using: &generator) == 0
        let inspects = version.qmsInspection != nil || Int.random(in: 0..<3, using: &generator) == 0
        if inspects {
            guard add(.qmsInspectionStarted, 5, 20, using: &generator) else { return events }
            guard add(.qmsInspectionCompleted, 10, 30, using: &generator) else { return events }
        }
        // Half the stalled reviews of the last year are still open: running late, past their limit
        // once the limit's working days have gone by (the QMS inspection's time is not counted).
        if stalls, accepted.adding(days: 365) > today, Int.random(in: 0..<2, using: &generator) == 0 { return events }
        guard add(.reviewCompleted, stalls ? limit + 10 : 5, stalls ? limit + 40 : limit / 2, using: &generator) else { return events }
        switch Int.random(in: 0..<12, using: &generator) {
        case 0:
            _ = add(.decisionMade, 3, 15, using: &generator, decision: .refuse)
            return events
        case 1:
            _ = add(.withdrawn, 1, 5, using: &generator)
            return events
        default:
            guard add(.decisionMade, 3, 15, using: &generator, decision: .approve, certificate: certificate) else { return events }
        }
        guard add(.productionLicenceGranted, 20, 80, using: &generator) else { return events }
        _ = add(.industrialised, 40, 160, using: &generator)
        return events
    }
}
