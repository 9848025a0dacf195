import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import Vapor
import SQLKit

@Suite("Signal detection in the platform: the pairs of a window with their measures, the signal list's statuses audited")
struct SignalTests {
    /// Product 0: six reports of an algorithm error (DP038) and two of a break (DP001); product 1:
    /// twelve breaks and one algorithm error.
    static func world(_ app: Application) async throws -> (platform: Platform, products: [ProductRecord]) {
        try await ReferenceData.load(on: app.db)
        let platform = app.testPlatform(clock: Fixtures.clock)
        let (_, products) = try await Fixtures.enterprisesAndProducts(on: platform)
        try await Fixtures.market([products[0], products[1]], on: platform)
        func file(_ product: ProductRecord, _ term: String, times: Int) async throws {
            for _ in 0..<times {
                _ = try await platform.adverseEvents.file(
                    AdverseEventInput(
                        product: product.id.uuidString, eventOn: "2026-11-01", awareOn: "2026-11-02", seriousness: "non_serious",
                        outcome: "recovered",
                        terms: [term], narrative: "x"), by: Fixtures.caller)
            }
        }
        try await file(products[0], "DP038", times: 6)
        try await file(products[0], "DP001", times: 2)
        try await file(products[1], "DP001", times: 12)
        try await file(products[1], "DP038", times: 1)
        return (platform, products)
    }

    @Test(
        "the benchmark's generator, at a small size: the reports, term rows and terms it promises, each product's usual terms most named, all of it in the detection's window",
        arguments: TestDatabase.enabled)
    func scale(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            try await ReferenceData.load(on: app.db)
            let platform = app.testPlatform(clock: Fixtures.clock)
            let summary = try await VigilanceScale.generate(
                .init(products: 20, terms: 70, reports: 3_000, batch: 1_000), today: Fixtures.today, now: platform.clock.now(),
                by: Fixtures.caller.audit, on: app.db)
            #expect(summary.products == 20 && summary.terms == 70 && summary.reports == 3_000)
            #expect(try await AdverseEventReportModel.query(on: app.db).count() == 3_000)
            #expect(try await EventTermModel.query(on: app.db).count() == 70)
            let counts = try await SignalStore.counts(level: .product, from: Fixtures.today.adding(days: -3 * 365), to: Fixtures.today, on: app.db)
            #expect(counts.total == 3_000 && counts.pairs.reduce(0) { $0 + $1.reports } == summary.termRows)
            #expect(counts.subjects.count == 20 && (3_300...4_300).contains(summary.termRows), "about one report in three names two terms")
            // A product's most named term stands well above its share of the whole.
            let detection = try await platform.signals.detect(from: Fixtures.today.adding(days: -3 * 365).description, by: Fixtures.caller)
            #expect(detection.reports == 3_000 && detection.signals > 0)
        }
    }

    @Test(
        "a window's counts from the monthly counts and the end days' rows equal those counted row by row, whatever its ends (month edges, one day, across a leap February, years)",
        arguments: TestDatabase.enabled)
    func monthlyCounts(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            // Reports filed one at a time (the same pair six times in a month), then written in bulk
            // batches that add to months already counted.
            let (platform, _) = try await Self.world(app)
            _ = try await VigilanceScale.generate(
                .init(products: 6, terms: 40, reports: 2_500, batch: 700), today: Fixtures.today, now: platform.clock.now(),
                by: Fixtures.caller.audit,
                on: app.db)
            let sql = try #require(app.db as? any SQLDatabase)
            struct TermRow: Decodable {
                var product_id: UUID
                var term_code: String
                var reported_on: String
            }
            struct ReportRow: Decodable {
                var product_id: UUID
                var reported_on: String
            }
            let termRows = try await sql.select().columns("product_id", "term_code", "reported_on").from("adverse_event_report_terms")
                .all(decoding: TermRow.self)
            let reportRows = try await sql.select().columns("product_id", "reported_on").from("adverse_event_reports").all(decoding: ReportRow.self)
            let today = Fixtures.today
            let windows: [(String, String)] = [
                ("2023-11-01", today.description), ("2024-01-01", "2024-12-31"), ("2024-02-01", "2024-02-29"), ("2024-02-15", "2024-03-14"),
                ("2024-01-31", "2024-03-01"), ("2025-06-30", "2025-07-01"), ("2025-07-04", "2025-07-04"), ("2024-02-29", "2026-02-28"),
                ("2025-12-01", "2025-12-30"), ("2025-12-02", "2025-12-31"), ("2021-01-01", "2021-12-31"),
                (today.adding(days: -365).description, today.description),
            ]
            for (from, to) in windows {
                let counts = try await SignalStore.counts(level: .product, from: CivilDate(from)!, to: CivilDate(to)!, on: app.db)
                var pairs: [String: Int] = [:]
                var subjects: [String: Int] = [:]
                for row in termRows where from <= row.reported_on && row.reported_on <= to {
                    pairs[row.product_id.uuidString + "|" + row.term_code, default: 0] += 1
                }
                for row in reportRows where from <= row.reported_on && row.reported_on <= to { subjects[row.product_id.uuidString, default: 0] += 1 }
                let read = Dictionary(uniqueKeysWithValues: counts.pairs.map { ($0.subject + "|" + $0.term, $0.reports) })
                #expect(read == pairs, "\(from) to \(to)")
                #expect(counts.subjects == subjects && counts.total == subjects.values.reduce(0, +), "\(from) to \(to)")
                var terms: [String: Int] = [:]
                for row in termRows where from <= row.reported_on && row.reported_on <= to { terms[row.term_code, default: 0] += 1 }
                #expect(counts.terms == terms, "\(from) to \(to)")
            }
            #expect(termRows.count > 3_000, "the generator wrote the rows compared")
        }
    }

    @Test(
        "the planted pair is found first with the hand-worked table and figures; its mirror (product 1's breaks) signals too, the rest do not",
        arguments: TestDatabase.enabled)
    func detect(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let (platform, products) = try await Self.world(app)
            let run = try await platform.signals.detect(by: Fixtures.caller)
            #expect(run.reports == 21 && run.pairs == 4 && run.signals == 2)
            let row = try #require(run.rows.first)
            // Two products and two terms: product 1 × DP001's table is product 0 × DP038's mirrored (12, 1, 2, 6), as disproportionate.
            #expect(run.rows.last?.subject == products[1].id.uuidString && run.rows.last?.term.code == "DP001")
            #expect(
                run.rows.count == 2 && row.subject == products[0].id.uuidString && row.subjectName == products[0].name && row.term.code == "DP038")
            #expect(row.measures.table == ContingencyTable(a: 6, b: 2, c: 1, d: 12))
            #expect(abs(row.measures.prr - 9.75) < 1e-12)  // (6/8) / (1/13)
            #expect(abs(row.measures.chiSquare - 21 * 59.5 * 59.5 / (8.0 * 13 * 7 * 14)) < 1e-12)  // Yates: N(|ad − bc| − N/2)² / margins
            #expect(row.methods.contains(.prr) && row.listed == nil)
            let all = try await platform.signals.detect(onlySignals: false, by: Fixtures.caller)
            #expect(all.rows.count == 4 && all.rows.dropFirst(2).allSatisfy { $0.methods.isEmpty })
            // By classification sub-catalogue: product 0 in 21 (medical software), product 1 in 07; the same tables.
            for (product, code) in [(products[0], "21-04"), (products[1], "07")] {
                let model = try #require(try await ProductModel.find(product.id, on: app.db))
                model.classificationCode = code
                try await model.update(on: app.db)
            }
            let byClass = try await platform.signals.detect(level: "classification", by: Fixtures.caller)
            #expect(byClass.reports == 21 && byClass.rows.map(\.subject) == ["21", "07"] && byClass.rows.first?.subjectName == "21 医用软件")
            #expect(byClass.rows.first?.measures.table == ContingencyTable(a: 6, b: 2, c: 1, d: 12))
            // A window with no reports: nothing, no fault.
            let empty = try await platform.signals.detect(from: "2020-01-01", to: "2020-12-31", by: Fixtures.caller)
            #expect(empty.reports == 0 && empty.rows.isEmpty)
            await #expect(throws: UseCaseError.self) { try await platform.signals.detect(from: "2026-12-01", to: "2026-01-01", by: Fixtures.caller) }
            // A stricter policy, in force from today, finds none.
            _ = try await platform.signals.setPolicy(
                SignalPolicy(effectiveFrom: Fixtures.today.description, prrAtLeast: 20, rorLowerAbove: 100, ic025Above: 5), by: Fixtures.caller)
            #expect(try await platform.signals.detect(by: Fixtures.caller).signals == 0)
        }
    }

    @Test(
        "listed once, moved through its statuses with notes on the version read, each step audited; read by the regulator's side only",
        arguments: TestDatabase.enabled)
    func list(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let (platform, products) = try await Self.world(app)
            let signals = platform.signals
            let subject = products[0].id.uuidString
            let added = try await signals.add(
                level: "product", subject: subject, term: "DP038", from: nil, to: nil, note: "月度检测发现", by: Fixtures.caller)
            #expect(added.status == .new && added.table.a == 6 && added.subjectName == products[0].name && added.notes.map(\.note) == ["月度检测发现"])
            await #expect(throws: UseCaseError.conflict(SignalUseCases.listedAlready)) {
                try await signals.add(level: "product", subject: subject, term: "DP038", from: nil, to: nil, note: nil, by: Fixtures.caller)
            }
            #expect(try await signals.detect(by: Fixtures.caller).rows.first?.listedStatus == .new)
            let assessing = try await signals.changeStatus(
                id: added.id, status: "under_assessment", note: "要求企业提交算法版本与病例", expecting: added.version, by: Fixtures.caller)
            await #expect(throws: UseCaseError.stale(.signal, current: assessing.version)) {
                try await signals.changeStatus(id: added.id, status: "confirmed", note: "x", expecting: added.version, by: Fixtures.caller)
            }
            let refusal = await #expect(throws: UseCaseError.self) {
                try await signals.changeStatus(id: added.id, status: "new", note: "x", expecting: assessing.version, by: Fixtures.caller)
            }
            #expect(refusal?.problems.map(\.field) == ["status"])
            let confirmed = try await signals.changeStatus(
                id: added.id, status: "confirmed", note: "确认与 2.0 版本算法相关", expecting: assessing.version, by: Fixtures.caller)
            #expect(confirmed.status == .confirmed && confirmed.notes.map(\.status) == [.new, .underAssessment, .confirmed])
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$entityType == "signal").count() == 3)

            let reviewer = try await Fixtures.user("reviewer", role: .reviewer, scope: .city, on: platform)
            let asReviewer = Caller.user(id: reviewer.id, username: reviewer.username, role: .reviewer, scope: .city)
            #expect(try await signals.list(by: asReviewer).map(\.id) == [added.id])
            await #expect(throws: UseCaseError.forbidden(.manageVigilance, role: .reviewer)) {
                try await signals.changeStatus(id: added.id, status: "under_assessment", note: "x", expecting: confirmed.version, by: asReviewer)
            }
            for (name, role, scope) in [
                ("firm", Role.enterpriseUser, Scope.enterprise(products[0].uscc)), ("pudong", .districtOfficer, .district("310115")),
            ] {
                let user = try await Fixtures.user(name, role: role, scope: scope, on: platform)
                let caller = Caller.user(id: user.id, username: user.username, role: role, scope: scope)
                await #expect(throws: UseCaseError.forbidden(.readSignals, role: role)) { try await signals.detect(by: caller) }
            }
        }
    }
}
