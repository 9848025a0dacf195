import FluentKit
import Foundation
import TongdaoCore

/// Adverse-event reports at the size of the vigilance issue's benchmark (`tongdao seed --demo
/// --scale vigilance`), from a fixed seed: 2,000 marketed devices of 200 manufacturers, the term list
/// brought to 500, and 5,000,000 reports over the last three years. Each product has its own dozen
/// usual terms (a few named far more than the others) and now and then any other; one report in
/// three names a second term. Written through `AdverseEventStore.insertMany` (report, term rows and
/// submitted event), in transactions of `batch` reports; signal detection's monthly counts are counted
/// once at the end (`SignalStore.recountMonthly`).
public enum VigilanceScale {
    public struct Size: Sendable {
        public var products: Int
        public var terms: Int
        public var reports: Int
        public var years: Int
        public var batch: Int

        public init(products: Int = 2_000, terms: Int = 500, reports: Int = 5_000_000, years: Int = 3, batch: Int = 20_000) {
            self.products = products
            self.terms = terms
            self.reports = reports
            self.years = years
            self.batch = batch
        }
    }

    public struct Summary: Sendable, Equatable {
        public var products = 0
        public var terms = 0
        public var reports = 0
        public var termRows = 0
    }

    public typealias Progress = @Sendable (_ phase: String, _ done: Int, _ total: Int) -> Void

    public static func generate(
        _ size: Size, today: CivilDate, now: Date, seed: UInt64 = DemoCity.seed &+ 211, by actor: AuditActor, on database: any Database,
        progress: Progress? = nil
    ) async throws -> Summary {
        var random = SplitMix64(seed: seed)
        var summary = Summary()
        // The manufacturers, their products (approved), and the term list brought to its size.
        let (products, enterpriseRows, productRows) = plannedProducts(size.products, now: now, random: &random)
        try await database.transaction { db in
            try await BulkInsert.run("enterprises", columns: EnterpriseModel.insertColumns, rows: enterpriseRows, on: db)
            try await BulkInsert.run("products", columns: ProductModel.insertColumns, rows: productRows, on: db)
        }
        summary.products = products.count
        let terms = try await database.transaction { db in
            try await extendTerms(to: size.terms, on: db)
        }
        summary.terms = terms.count
        guard !products.isEmpty, !terms.isEmpty else { return summary }
        // Each product's usual terms: a dozen, the first few named far more often.
        let profiles = products.indices.map { _ in (0..<12).map { _ in terms[Int(random.next() % UInt64(terms.count))] } }
        let start = today.adding(days: -365 * size.years)
        let span = UInt64(max(1, today.dayNumber - start.dayNumber))
        var written = 0
        while written < size.reports {
            let count = min(size.batch, size.reports - written)
            var reports: [AdverseEventStore.NewReport] = []
            reports.reserveCapacity(count)
            for index in 0..<count {
                let which = Int(random.next() % UInt64(products.count))
                let product = products[which]
                let profile = profiles[which]
                func term() -> String {
                    // Nine in ten from the product's own, skewed to its first; otherwise any term.
                    guard random.next() % 10 != 0 else { return terms[Int(random.next() % UInt64(terms.count))] }
                    let roll = Int(random.next() % 78)
                    var rank = 0, bound = 12
                    while roll >= bound && rank < 11 {
                        rank += 1
                        bound += 12 - rank
                    }
                    return profile[rank]
                }
                var chosen = [term()]
                if random.next() % 3 == 0 {
                    let second = term()
                    if second != chosen[0] { chosen.append(second) }
                }
                let awareOn = start.adding(days: Int(random.next() % span))
                let roll = random.next() % 100
                let seriousness: EventSeriousness = roll < 1 ? .death : roll < 20 ? .seriousInjury : .nonSerious
                let submittedAt = ShanghaiTime.start(of: awareOn.adding(days: Int(random.next() % 6))).addingTimeInterval(TimeInterval(36_000))
                reports.append(
                    AdverseEventStore.NewReport(
                        number: "AE-S-" + String(format: "%09d", written + index + 1), productID: product.id, productName: product.name,
                        enterpriseID: product.enterpriseID, uscc: product.uscc, district: product.district, park: nil,
                        certificate: product.certificate, udiDI: nil, lot: nil, serial: nil, reporterKind: .registrant, reporterInstitutionID: nil,
                        reporterName: product.registrant, eventOn: awareOn, awareOn: awareOn, awareMinute: nil, seriousness: seriousness,
                        outcome: seriousness == .death ? .death : seriousness == .seriousInjury ? .hospitalisation : .recovered,
                        terms: chosen.sorted(),
                        narrative: "规模测试报告", submittedAt: min(submittedAt, now), source: .nationalImport, submittedBy: "规模测试"))
                summary.termRows += chosen.count
            }
            let batch = reports
            try await database.transaction { db in
                _ = try await AdverseEventStore.insertMany(batch, now: now, monthlyCounts: false, on: db)
            }
            written += count
            summary.reports = written
            progress?("不良事件报告", written, size.reports)
        }
        // Signal detection's monthly counts, once over everything written.
        try await database.transaction { db in try await SignalStore.recountMonthly(on: db) }
        try await Audit.record(
            "seed.vigilance", entityType: "adverse_event", entityID: "*", before: nil,
            after: try Audit.json([
                "products": String(summary.products), "terms": String(summary.terms), "reports": String(summary.reports),
            ]), by: actor, on: database, at: now)
        return summary
    }

    /// A product of the scale, with what its reports carry.
    struct Product {
        var id: UUID
        var name: String
        var enterpriseID: UUID
        var uscc: String
        var district: String
        var certificate: String
        var registrant: String
    }

    /// The manufacturers (one for each ten products) and their Class II and III devices, at the
    /// approval stage, as rows to write; their reports carry a certificate number (detection reads the
    /// reports alone, so no application is written).
    private static func plannedProducts(_ count: Int, now: Date, random: inout SplitMix64) -> (
        products: [Product], enterprises: [[BulkValue]], rows: [[BulkValue]]
    ) {
        let devices = DemoCity.catalogue.values.flatMap { $0 }.filter { $0.category != .drug && $0.managementClass != .one }
            .sorted { ($0.name, $0.code ?? "") < ($1.name, $1.code ?? "") }
        var enterpriseRows: [[BulkValue]] = [], productRows: [[BulkValue]] = []
        var products: [Product] = []
        var enterprise: (id: UUID, draft: EnterpriseDraft)?
        for number in 0..<count {
            if number % 10 == 0 {
                let draft = NationalScale.scaleEnterprise(
                    number / 10, series: "NX", word: "警戒规模测试", kind: .manufacturer, phone: "021-6200", random: &random)
                let id = TimeOrderedID.make(now: now)
                enterpriseRows.append(EnterpriseModel.insertRow(draft, id: id, now: now))
                enterprise = (id, draft)
            }
            guard let enterprise else { continue }
            let entry = devices[Int(random.next() % UInt64(devices.count))]
            let draft = ProductDraft(
                name: "\(entry.name)（V\(number)）", model: "V\(number)", category: entry.category, managementClass: entry.managementClass,
                classificationCode: entry.code, keyAreas: [], stage: .approval, channels: [])
            let id = TimeOrderedID.make(now: now)
            productRows.append(ProductModel.insertRow(draft, id: id, enterpriseID: enterprise.id, of: enterprise.draft, now: now))
            products.append(
                Product(
                    id: id, name: draft.name, enterpriseID: enterprise.id, uscc: enterprise.draft.uscc, district: enterprise.draft.district,
                    certificate: "沪械注准2024" + String(format: "%08d", number), registrant: enterprise.draft.name))
        }
        return (products, enterpriseRows, productRows)
    }

    /// The term list's codes, brought to `total` with device problems `SDnnn` and patient effects `SPnnn`.
    private static func extendTerms(to total: Int, on db: any Database) async throws -> [String] {
        var codes = try await AdverseEventStore.terms(on: db).compactMap(\.id)
        var number = 0
        while codes.count < total {
            number += 1
            let device = number % 4 != 0
            let term = EventTermModel()
            term.id = (device ? "SD" : "SP") + String(format: "%03d", number)
            term.kind = (device ? EventTermKind.device : .patient).rawValue
            term.chinese = (device ? "规模测试器械问题 " : "规模测试伤害表现 ") + String(number)
            term.english = (device ? "Scale device problem " : "Scale patient effect ") + String(number)
            term.active = true
            try await term.create(on: db)
            codes.append(term.id ?? "")
        }
        return codes
    }
}
