import FluentKit
import Foundation
import TongdaoCore

/// A national-size data set for benchmarks (`tongdao seed --scale national`), from a fixed seed:
/// by default 1,000,000 products of 200,000 enterprises spread over the city as the demo city's are,
/// each product declared in up to four annual censuses, and 300,000 applications with their
/// timelines. With the declarations, that is about 5,000,000 timeline events (a product's timeline
/// is its declarations and its applications' events, as `GET /api/v1/products/{id}/timeline` shows).
///
/// Rows go in bulk (multi-row `INSERT` on SQLite, `COPY` on PostgreSQL), a batch at a time, so the
/// run never holds more than a batch; the rollups' triggers run as for any other write.
public enum NationalScale {
    public typealias Progress = @Sendable (_ step: String, _ done: Int, _ total: Int) -> Void

    public struct Size: Sendable {
        public var products = 1_000_000
        public var applications = 300_000
        public var productsPerEnterprise = 5
        /// The chance that a product was declared in each census year, this year first.
        public var declared = [1.0, 0.9, 0.75, 0.55]

        public init(products: Int = 1_000_000, applications: Int = 300_000) {
            self.products = products
            self.applications = applications
        }
    }

    public struct Summary: Sendable, Equatable {
        public var enterprises = 0
        public var products = 0
        public var declarations = 0
        public var applications = 0
        public var events = 0
    }

    public static func generate(
        _ size: Size, today: CivilDate, now: Date, seed: UInt64 = DemoCity.seed &+ 77, batch: Int = 20_000, by actor: AuditActor,
        on database: any Database,
        progress: Progress? = nil
    ) async throws -> Summary {
        let areas = Array(DemoCity.catalogue.keys).sorted { $0.rawValue < $1.rawValue }
        let stages = DevelopmentStage.allCases
        let year = today.components.year
        let (made, candidates) = try await database.transaction { db -> (Summary, [DemoApplications.Candidate]) in
            var generator = SplitMix64(seed: seed)
            var summary = Summary()
            var candidates: [DemoApplications.Candidate] = []
            candidates.reserveCapacity(size.products)
            var enterpriseRows: [[BulkValue]] = [], productRows: [[BulkValue]] = [], declarationRows: [[BulkValue]] = []
            func flush(_ db: any Database) async throws {
                try await BulkInsert.run("enterprises", columns: EnterpriseModel.insertColumns, rows: enterpriseRows, on: db)
                try await BulkInsert.run("products", columns: ProductModel.insertColumns, rows: productRows, on: db)
                try await BulkInsert.run("census_intentions", columns: CensusIntentionModel.insertColumns, rows: declarationRows, on: db)
                summary.enterprises += enterpriseRows.count
                summary.products += productRows.count
                summary.declarations += declarationRows.count
                enterpriseRows.removeAll(keepingCapacity: true)
                productRows.removeAll(keepingCapacity: true)
                declarationRows.removeAll(keepingCapacity: true)
                progress?("产品与普查", summary.products, size.products)
            }

            let enterpriseCount = (size.products + size.productsPerEnterprise - 1) / size.productsPerEnterprise
            for number in 0..<enterpriseCount {
                let enterprise = scaleEnterprise(number, series: "NA", word: "规模测试", kind: .registrant, phone: "021-6000", random: &generator)
                let enterpriseID = TimeOrderedID.make(now: now)
                enterpriseRows.append(EnterpriseModel.insertRow(enterprise, id: enterpriseID, now: now))
                for index in 0..<min(size.productsPerEnterprise, size.products - number * size.productsPerEnterprise) {
                    let area = areas.randomElement(using: &generator)!
                    let entry = DemoCity.catalogue[area]!.randomElement(using: &generator)!
                    var keyAreas = [area]
                    if area != .ai, Int.random(in: 0..<5, using: &generator) == 0 { keyAreas.append(.ai) }
                    var channels: [FilingChannel] = []
                    if entry.managementClass == .three, Bool.random(using: &generator) { channels.append(.nationalInnovative) }
                    var stage = Int.random(in: 0..<stages.count, using: &generator)
                    let product = ProductDraft(
                        name: entry.name, model: "N\(number)-\(index)", category: entry.category, managementClass: entry.managementClass,
                        classificationCode: entry.code, keyAreas: keyAreas, stage: stages[stage], channels: channels)
                    let productID = TimeOrderedID.make(now: now)
                    productRows.append(ProductModel.insertRow(product, id: productID, enterpriseID: enterpriseID, of: enterprise, now: now))
                    // Declared this year and, by chance, in earlier years, at earlier stages.
                    for (back, chance) in size.declared.enumerated() where back == 0 || Double.random(in: 0..<1, using: &generator) < chance {
                        let declaration = CensusDeclaration(stage: stages[stage], expectedFiling: nil, channels: channels)
                        declarationRows.append(
                            CensusIntentionModel.insertRow(
                                declaration, id: TimeOrderedID.make(now: now), year: year - back, productID: productID, enterpriseID: enterpriseID,
                                of: enterprise, submittedBy: "seed", now: now))
                        stage = max(0, stage - Int.random(in: 0...1, using: &generator))
                    }
                    if entry.category != .drug {
                        candidates.append(
                            .init(
                                id: productID, enterpriseID: enterpriseID, uscc: enterprise.uscc, district: enterprise.district,
                                park: enterprise.park,
                                managementClass: entry.managementClass, classificationCode: entry.code, channels: channels))
                    }
                }
                if productRows.count >= batch { try await flush(db) }
            }
            try await flush(db)
            try await Audit.record(
                "seed.national", entityType: "product", entityID: "*", before: nil,
                after: try Audit.json([
                    "enterprises": String(summary.enterprises), "products": String(summary.products), "declarations": String(summary.declarations),
                ]), by: actor, on: db, at: now)
            return (summary, candidates)
        }
        var summary = made
        let before = try await ApplicationEventModel.query(on: database).count()
        summary.applications = try await DemoApplications.generate(
            count: size.applications, among: candidates, today: today, now: now, seed: seed, by: actor, on: database,
            progress: { progress?("申报事项", $0, $1) })
        summary.events = try await ApplicationEventModel.query(on: database).count() - before
        return summary
    }

    /// The `number`th enterprise of a scale data set, placed over the city as the demo's are: its
    /// credit code "91", the district, `series` and a serial in the code's own alphabet (unique within
    /// a series, and never one of the demo city's "MA"), its name 上海<字号>`word`<number><后缀>.
    static func scaleEnterprise(
        _ number: Int, series: String, word: String, kind: EnterpriseKind, phone: String, random: inout SplitMix64
    ) -> EnterpriseDraft {
        var pick = Int.random(in: 0..<DemoCity.places.reduce(0) { $0 + $1.weight }, using: &random)
        let place =
            DemoCity.places.first {
                pick -= $0.weight; return pick < 0
            } ?? DemoCity.places[0]
        var serial = "", rest = number
        for _ in 0..<7 {
            serial.append(USCC.alphabet[rest % USCC.alphabet.count])
            rest /= USCC.alphabet.count
        }
        return EnterpriseDraft(
            uscc: USCC.completing("91" + place.district + series + serial)!,
            name: "上海" + DemoCity.firmWords.randomElement(using: &random)! + "\(word)\(number)" + DemoCity.firmSuffixes.randomElement(
                using: &random)!,
            district: place.district, park: place.park, kind: kind, isStartup: Bool.random(using: &random), contactName: "联系人",
            contactPhone: "\(phone) \(String(format: "%04d", number % 10_000))")
    }
}
