import FluentKit
import Foundation
import TongdaoCore

/// Inspection targets at the size of the inspection issue's benchmark (`tongdao seed --demo --scale
/// inspections`), from a fixed seed: the demo city's targets brought to 5,000 — trial institutions
/// to 300 in all, filed for drugs and devices, the rest manufacturers of a Class II or III device —
/// with three years of history each as the demo's (`DemoInspections`), so that planning the year
/// finds dues in every state. The demo's 1,062 inspectors are the pool the teams are proposed from.
public enum InspectionScale {
    public struct Size: Sendable {
        public var targets: Int
        public var institutions: Int

        public init(targets: Int = 5_000, institutions: Int = 300) {
            self.targets = targets
            self.institutions = institutions
        }
    }

    public struct Summary: Sendable, Equatable {
        public var institutions = 0
        public var manufacturers = 0
        public var inspections = 0
    }

    public static func generate(
        _ size: Size, today: CivilDate, now: Date, seed: UInt64 = DemoCity.seed &+ 113, by actor: AuditActor, on database: any Database
    ) async throws -> Summary {
        try await database.transaction { db in
            var random = SplitMix64(seed: seed)
            var summary = Summary()
            let existing = try await InspectionStore.targets(on: db)
            summary.institutions = max(0, size.institutions - existing.count { $0.target.kind == .trialInstitution })
            summary.manufacturers = max(0, size.targets - existing.count - summary.institutions)
            let institutions = try await TrialScale.writeInstitutions(
                summary.institutions, code: "SCALE-INSP-", name: "检查规模测试医院", specialties: Array(DemoTrials.specialties.prefix(4)), today: today,
                now: now, random: &random, on: db)
            var added = Set(institutions.compactMap(\.id))

            // Manufacturers: one device each, Class II or III, spread over the city as the demo's enterprises are.
            let devices = DemoCity.catalogue.values.flatMap { $0 }.filter { $0.category != .drug && $0.managementClass != .one }
                .sorted { ($0.name, $0.code ?? "") < ($1.name, $1.code ?? "") }
            var enterpriseRows: [[BulkValue]] = [], productRows: [[BulkValue]] = []
            for number in 0..<summary.manufacturers {
                let enterprise = NationalScale.scaleEnterprise(
                    number, series: "NB", word: "检查规模测试", kind: .manufacturer, phone: "021-6100", random: &random)
                let enterpriseID = TimeOrderedID.make(now: now)
                added.insert(enterpriseID)
                enterpriseRows.append(EnterpriseModel.insertRow(enterprise, id: enterpriseID, now: now))
                let entry = devices[Int.random(in: 0..<devices.count, using: &random)]
                let product = ProductDraft(
                    name: entry.name, model: "I\(number)", category: entry.category, managementClass: entry.managementClass,
                    classificationCode: entry.code, keyAreas: [], stage: .approval, channels: [])
                productRows.append(
                    ProductModel.insertRow(product, id: TimeOrderedID.make(now: now), enterpriseID: enterpriseID, of: enterprise, now: now))
            }
            try await BulkInsert.run("enterprises", columns: EnterpriseModel.insertColumns, rows: enterpriseRows, on: db)
            try await BulkInsert.run("products", columns: ProductModel.insertColumns, rows: productRows, on: db)
            summary.inspections = try await DemoInspections.generate(today: today, now: now, seed: seed, only: added, on: db)
            try await Audit.record(
                "seed.inspections", entityType: "inspection", entityID: "*", before: nil,
                after: try Audit.json([
                    "institutions": String(summary.institutions), "manufacturers": String(summary.manufacturers),
                    "inspections": String(summary.inspections),
                ]), by: actor, on: db, at: now)
            return summary
        }
    }
}
