import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import Vapor

/// Lost updates: every editable record carries a version, a change names the version it was made
/// on, and a change made on an old one is refused, writing nothing.
@Suite("Record versions: a change made on what another write has changed since is refused, never lost")
struct RecordVersionTests {
    @Test(
        "a change names its version: none is versionRequired, an old one stale with the version now; neither writes", arguments: TestDatabase.enabled)
    func staleIsRefused(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let platform = app.platform
            let (enterprises, products) = try await Fixtures.enterprisesAndProducts(on: platform)
            let enterprise = enterprises[0], product = products[0]
            #expect(enterprise.version == 1 && product.version == 1)
            let changed = try await platform.enterprises.update(
                id: enterprise.id, EnterpriseInput(contactName: "张三"), expecting: 1, by: Fixtures.caller)
            #expect(changed.version == 2)
            let rows = try await AuditEntryModel.query(on: app.db).count()
            await #expect(throws: UseCaseError.versionRequired(.enterprise)) {
                try await platform.enterprises.update(id: enterprise.id, EnterpriseInput(contactPhone: "021-1"), expecting: nil, by: Fixtures.caller)
            }
            await #expect(throws: UseCaseError.stale(.enterprise, current: 2)) {
                try await platform.enterprises.update(id: enterprise.id, EnterpriseInput(contactPhone: "021-1"), expecting: 1, by: Fixtures.caller)
            }
            await #expect(throws: UseCaseError.stale(.product, current: 1)) {
                try await platform.products.update(id: product.id, ProductInput(model: "X-2"), expecting: 7, by: Fixtures.caller)
            }
            #expect(try await AuditEntryModel.query(on: app.db).count() == rows, "a refused change writes nothing")
            let stored = try await platform.enterprises.find(id: enterprise.id, by: Fixtures.caller)
            #expect(stored.contactName == "张三" && stored.contactPhone == enterprise.contactPhone && stored.version == 2)
            // An unchanged record keeps its version; a change moves it by one.
            #expect(
                try await platform.products.update(id: product.id, ProductInput(model: product.model), expecting: 1, by: Fixtures.caller).version == 1
            )
            #expect(try await platform.products.update(id: product.id, ProductInput(model: "X-2"), expecting: 1, by: Fixtures.caller).version == 2)
        }
    }

    /// Each of `count` editors reads the record and changes it on what it read, reading again
    /// whenever its change was made on a version another had changed since, as a person would.
    static func race(_ count: Int, change: @escaping @Sendable (Int) async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for editor in 0..<count {
                group.addTask {
                    for _ in 0..<(count * 4) {
                        do {
                            return try await change(editor)
                        } catch UseCaseError.stale {
                            // Told the record changed, a person reads it again a moment later.
                            try await Task.sleep(for: .milliseconds(Int.random(in: 1...20)))
                        }
                    }
                    Issue.record("editor \(editor) never got its change in")
                }
            }
            try await group.waitForAll()
        }
    }

    /// The audit rows of one record's changes, in the order they were made: each one's `before` is
    /// the `after` of the one before it, from `first` on, with none left over.
    static func chain<Draft: Decodable & Equatable>(
        _ type: Draft.Type, entityID: UUID, action: String, from first: Draft, on db: any Database
    ) async throws -> [Draft] {
        let rows = try await AuditEntryModel.query(on: db).filter(\.$action == action).filter(\.$entityID == entityID.uuidString).all()
        var left = try rows.map {
            (
                before: try JSONDecoder().decode(Draft.self, from: Data(($0.before ?? "").utf8)),
                after: try JSONDecoder().decode(Draft.self, from: Data(($0.after ?? "").utf8))
            )
        }
        var states = [first]
        while let next = left.firstIndex(where: { $0.before == states.last }) {
            states.append(left.remove(at: next).after)
        }
        #expect(left.isEmpty, "\(left.count) of \(rows.count) audit rows start from a state no change left: a lost update")
        return states
    }

    @Test(
        "50 people change different fields of one enterprise and append to one product's text at once: no change is lost, the audit chain is unbroken",
        arguments: TestDatabase.enabled)
    func fiftyEditors(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let platform = app.platform
            let (enterprises, products) = try await Fixtures.enterprisesAndProducts(on: platform)
            let enterprise = enterprises[0], product = products[0]
            let editors = 50

            // Different fields of one enterprise: a contact name, a phone, a name, by turns.
            try await Self.race(editors) { editor in
                let read = try await platform.enterprises.find(id: enterprise.id, by: Fixtures.caller)
                let input =
                    switch editor % 3 {
                    case 0: EnterpriseInput(contactName: "联系人\(editor)")
                    case 1: EnterpriseInput(contactPhone: "021-5000 \(1000 + editor)")
                    default: EnterpriseInput(name: "上海第\(editor)医疗科技有限公司")
                    }
                _ = try await platform.enterprises.update(id: enterprise.id, input, expecting: read.version, by: Fixtures.caller)
            }
            let storedEnterprise = try await platform.enterprises.find(id: enterprise.id, by: Fixtures.caller)
            #expect(storedEnterprise.version == 1 + editors)
            let states = try await Self.chain(
                EnterpriseDraft.self, entityID: enterprise.id, action: "enterprise.update", from: enterprise.draft, on: app.db)
            #expect(states.count == 1 + editors && states.last == storedEnterprise.draft)
            // Each state differs from the one before it in the one field its editor changed.
            for (before, after) in zip(states, states.dropFirst()) {
                let changed = [before.name != after.name, before.contactName != after.contactName, before.contactPhone != after.contactPhone]
                #expect(changed.count { $0 } == 1, "one field a change: \(before) → \(after)")
            }

            // Appends to one product's text: every editor's mark is there, once.
            try await Self.race(editors) { editor in
                let read = try await platform.products.find(id: product.id, by: Fixtures.caller)
                let text = (read.corePatents ?? "") + "[\(editor)]"
                _ = try await platform.products.update(id: product.id, ProductInput(corePatents: text), expecting: read.version, by: Fixtures.caller)
            }
            let storedProduct = try await platform.products.find(id: product.id, by: Fixtures.caller)
            #expect(storedProduct.version == 1 + editors)
            let marks = (storedProduct.corePatents ?? "").split(separator: "]").map { $0.dropFirst() }.compactMap { Int($0) }
            #expect(marks.sorted() == Array(0..<editors), "every change is kept, each once")
            let productStates = try await Self.chain(
                ProductDraft.self, entityID: product.id, action: "product.update", from: product.draft, on: app.db)
            #expect(productStates.count == 1 + editors && productStates.last == storedProduct.draft)
        }
    }

    @Test(
        "an import planned on a product that changed before it was written writes nothing of the plan, and is planned again",
        arguments: TestDatabase.enabled)
    func outdatedPlan(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let platform = app.platform
            let year = Fixtures.today.year
            var rows = CensusFixture.rows(count: 2)
            #expect(try await platform.census.importFile(CensusFixture.csv(rows), year: year, dryRun: false, by: Fixtures.caller).committed)
            // The same file with the first product at another stage: planned, then the product changes.
            let stage = CensusSheet.Column.allCases.firstIndex(of: .stage)!, name = CensusSheet.Column.allCases.firstIndex(of: .productName)!
            let product = try #require(try await ProductModel.query(on: app.db).filter(\.$name == rows[0][name]).first())
            let target: DevelopmentStage = product.stage == .clinical ? .typeTesting : .clinical
            rows[0][stage] = target.label
            let sheet = CensusSheet.read(
                try CensusSheets.rows(of: CensusFixture.csv(rows)), regions: CensusSheet.Regions(try await RegionQueries.list(on: app.db)))
            let plan = try await CensusStore.plan(
                sheet.records, sheetProblems: sheet.problems, rowsRead: sheet.rowsRead, year: year, scope: .everything, updatesProducts: true,
                dryRun: false, submittedBy: "test", now: platform.clock.now(), on: app.db)
            #expect(plan.writes)
            let id = try product.requireID()
            _ = try await platform.products.update(id: id, ProductInput(corePatents: "ZL2026 1 0000001.1"), expecting: 1, by: Fixtures.caller)
            await #expect(throws: RecordChanged.self) {
                try await app.db.transaction { db in try await CensusStore.apply(plan, on: db) }
            }
            let stored = try await platform.products.find(id: id, by: Fixtures.caller)
            #expect(stored.corePatents != nil && stored.stage == product.stage && stored.version == 2, "nothing of the plan was written")
            // Through the use case the file is planned on what is stored now: the product takes the
            // sheet's stage and keeps the change made in between.
            let report = try await platform.census.importFile(CensusFixture.csv(rows), year: year, dryRun: false, by: Fixtures.caller)
            #expect(report.committed)
            let imported = try await platform.products.find(id: id, by: Fixtures.caller)
            #expect(imported.stage == target && imported.corePatents == "ZL2026 1 0000001.1" && imported.version == 3)
        }
    }
}
