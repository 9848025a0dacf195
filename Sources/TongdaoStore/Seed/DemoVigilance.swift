import FluentKit
import Foundation
import TongdaoCore

/// The demo city's post-market history: a GS1 UDI-DI on every marketed product (a package DI on
/// every third), and about three years of adverse-event reports on them — most from the
/// registrants, a quarter from the trial institutions as medical institutions, the older ones
/// imported from the national system and most of those assessed, about one serious report in
/// fourteen late — with a planted signal: the `signal` product's reports name an algorithm error and a
/// delayed diagnosis far more often than any other product's (the detection must find it).
public enum DemoVigilance {
    /// The planted signal's terms: 算法输出错误, 诊断或治疗延误.
    public static let signalTerms = ["DP038", "PE011"]

    /// Writes the DIs and the reports (inside the caller's transaction); returns how many reports.
    public static func generate(
        today: CivilDate, now: Date, signal: UUID?, seed: UInt64 = DemoCity.seed, assessor: String, on db: any Database
    ) async throws -> Int {
        var random = SplitMix64(seed: seed &+ 19)
        let approvals = try await ApplicationModel.query(on: db).filter(\.$certificate != nil).sort(\.$approvedOn).all()
        var certificates: [UUID: String] = [:]
        for approval in approvals { certificates[approval.$product.id] = approval.certificate }
        let products = try await ProductModel.query(on: db).filter(\.$id ~~ Array(certificates.keys)).sort(\.$id).all()
        let enterprises = Dictionary(
            try await EnterpriseModel.query(on: db).filter(\.$id ~~ Set(products.map { $0.$enterprise.id })).all().compactMap { model in
                model.id.map { ($0, model.name) }
            }, uniquingKeysWith: { a, _ in a })
        let institutions = try await TrialInstitutionModel.query(on: db).sort(\.$id).all()
        let terms = try await AdverseEventStore.terms(on: db).compactMap(\.id)
        let deviceTerms = terms.filter { $0.hasPrefix("DP") }
        let patientTerms = terms.filter { $0.hasPrefix("PE") }
        guard !products.isEmpty, !deviceTerms.isEmpty else { return 0 }

        // A GTIN-14 for each product (company prefix 690 + the product's index), a package DI for every third.
        var dis: [UUID: String] = [:]
        for (index, product) in products.enumerated() {
            guard let id = product.id else { continue }
            let unit = gtin(body: "0690" + String(format: "%09d", 100_000 + index * 10))
            dis[id] = unit
            _ = try await AdverseEventStore.addIdentifier(
                unit, agency: .gs1, packaging: .unit, quantity: 1, to: product, by: "demo", now: now, on: db)
            if index % 3 == 0 {
                _ = try await AdverseEventStore.addIdentifier(
                    gtin(body: "1690" + String(format: "%09d", 100_000 + index * 10)), agency: .gs1, packaging: .package, quantity: 10, to: product,
                    by: "demo", now: now, on: db)
            }
        }

        let start = CivilDate(year: today.year - 2, month: 1, day: 1) ?? today
        let span = today.dayNumber - start.dayNumber
        var reports: [AdverseEventStore.NewReport] = []
        func report(_ product: ProductModel, on awareOn: CivilDate, terms chosen: [String]) {
            guard let id = product.id else { return }
            let roll = Double(random.next() % 1_000) / 1_000
            let seriousness: EventSeriousness =
                roll < 0.02 ? .death : roll < 0.30 ? .seriousInjury : roll < 0.33 ? .overseasSerious : roll < 0.335 ? .groupEvent : .nonSerious
            let outcome: PatientOutcome =
                switch seriousness {
                case .death: .death
                case .seriousInjury, .overseasSerious, .groupEvent: [.hospitalisation, .intervention, .lifeThreatening][Int(random.next() % 3)]
                case .nonSerious: [.recovered, .recovering, .unknown][Int(random.next() % 3)]
                }
            let minute = seriousness == .groupEvent || random.next() % 3 == 0 ? Int(random.next() % 1_440) : nil
            let eventOn = awareOn.adding(days: -Int(random.next() % 10))
            // Most serious reports on time; about one in fourteen late.
            let late = seriousness != .nonSerious && random.next() % 14 == 0
            var submittedAt: Date
            switch seriousness.limit {
            case .days(let days):
                let delay = late ? days + 1 + Int(random.next() % 20) : Int(random.next() % UInt64(days))
                submittedAt = ShanghaiTime.start(of: awareOn.adding(days: delay)).addingTimeInterval(TimeInterval(9 * 3600 + random.next() % 28_800))
            case .hours(let hours):
                let aware = ShanghaiTime.start(of: awareOn).addingTimeInterval(TimeInterval((minute ?? 0) * 60))
                submittedAt = aware.addingTimeInterval(TimeInterval((late ? hours * 3600 + 7_200 : 3_600) + Int(random.next() % 3_000)))
            case nil:
                submittedAt = ShanghaiTime.start(of: awareOn.adding(days: Int(random.next() % 30))).addingTimeInterval(10 * 3600)
            }
            let latest = now.addingTimeInterval(-3_600)
            if submittedAt > latest { submittedAt = latest }
            let byInstitution = !institutions.isEmpty && random.next() % 4 == 0
            let institution = byInstitution ? institutions[Int(random.next() % UInt64(institutions.count))] : nil
            let registrant = enterprises[product.$enterprise.id] ?? product.uscc
            let imported = awareOn.year < today.year
            let assessed = ShanghaiTime.day(of: submittedAt).adding(days: 30) < today && random.next() % 10 < 7
            let causality: Causality = [.probable, .possible, .possible, .unlikely, .indeterminate][Int(random.next() % 5)]
            reports.append(
                AdverseEventStore.NewReport(
                    number: "", productID: id, productName: product.name, enterpriseID: product.$enterprise.id, uscc: product.uscc,
                    district: product.district, park: product.park, certificate: certificates[id], udiDI: dis[id],
                    lot: "L\(awareOn.year % 100)\(String(format: "%04d", random.next() % 10_000))", serial: nil,
                    reporterKind: institution == nil ? .registrant : .institution, reporterInstitutionID: institution?.id,
                    reporterName: institution?.name ?? registrant, eventOn: eventOn, awareOn: awareOn, awareMinute: minute, seriousness: seriousness,
                    outcome: outcome, terms: chosen, narrative: narrative(product.name, chosen), submittedAt: submittedAt,
                    source: imported ? .nationalImport : .platform, submittedBy: imported ? "国家医疗器械不良事件监测信息系统" : institution?.name ?? registrant,
                    assessment: assessed
                        ? (causality, assessor, submittedAt.addingTimeInterval(TimeInterval(86_400 * (5 + Int(random.next() % 20))))) : nil
                ))
        }
        for product in products {
            // Each product its own few device problems, and some patient effects.
            let profile = (0..<4).map { _ in deviceTerms[Int(random.next() % UInt64(deviceTerms.count))] }
            let count = 6 + Int(random.next() % 25)
            for _ in 0..<count {
                var chosen = [profile[Int(random.next() % 4)]]
                if random.next() % 3 == 0 { chosen.append(patientTerms[Int(random.next() % UInt64(patientTerms.count))]) }
                report(product, on: start.adding(days: Int(random.next() % UInt64(span))), terms: Array(Set(chosen)).sorted())
            }
        }
        // The planted signal: the last eight months, many of the product's reports name both terms.
        if let signal, let product = products.first(where: { $0.id == signal }) {
            for index in 0..<36 {
                report(product, on: today.adding(days: -240 + index * 6 + Int(random.next() % 5)), terms: signalTerms)
            }
        }
        // Numbered by year in the order they came in.
        reports.sort { $0.submittedAt < $1.submittedAt }
        var serials: [Int: Int] = [:]
        for index in reports.indices {
            let year = ShanghaiTime.day(of: reports[index].submittedAt).year
            serials[year, default: 0] += 1
            reports[index].number = "AE-\(year)-" + String(format: "%07d", serials[year] ?? 0)
        }
        return try await AdverseEventStore.insertMany(reports, now: now, on: db)
    }

    /// The 13 digits followed by their GS1 check digit.
    static func gtin(body: String) -> String {
        body + (GTIN.checkDigit(for: body).map(String.init) ?? "")
    }

    static func narrative(_ product: String, _ terms: [String]) -> String {
        if terms == signalTerms {
            return "使用\(product)分析时给出的结果与后续检查结论不符，患者诊断延误，经复核后调整治疗方案。"
        }
        return "使用\(product)过程中出现异常（见事件术语），已按说明书处理，企业正在调查原因。"
    }
}
