import FluentKit
import Foundation
import TongdaoCore

/// The yearly census: importing a district's or park's sheet (all rows or none) and exporting the
/// census of a scope. Work is done in bulk — a few queries per thousand rows, not per row.
public enum CensusStore {
    /// What an import did, or would do.
    public struct Report: Sendable, Equatable, Codable {
        public var year: Int
        public var dryRun: Bool
        /// Whether the rows were written (false for a dry run and for a sheet with rejected rows).
        public var committed: Bool
        public var rowsRead: Int
        /// Declarations new this year.
        public var added: Int
        /// Rows that change a stored product or declaration.
        public var updated: Int
        public var unchanged: Int
        public var enterprisesCreated: Int
        public var productsCreated: Int
        public var rejected: [RowProblem]
    }

    /// Progress of a long import: which phase, and how far through it.
    public typealias Progress = @Sendable (_ phase: String, _ done: Int, _ total: Int) -> Void

    static let chunk = 500

    /// Runs `body` on `chunk` values at a time (so that an `IN` list stays short), with how many are done.
    private static func forEachChunk<V: Sendable>(of values: [V], _ body: (_ part: [V], _ done: Int) async throws -> Void) async throws {
        for start in stride(from: 0, to: values.count, by: chunk) {
            let end = min(start + chunk, values.count)
            try await body(Array(values[start..<end]), end)
        }
    }

    /// A product's identity within the census: enterprise, name and model.
    static func productKey(uscc: String, name: String, model: String) -> String { "\(uscc)\u{1F}\(name)\u{1F}\(model)" }

    /// Imports the records read from a sheet (`sheetProblems` are the rows it could not read).
    /// Nothing is written when any row is rejected or when `dryRun`; otherwise everything is written
    /// in one transaction, with one audit row for the import.
    ///
    /// `updatesProducts`: whether the declarations also become the products' current stage,
    /// expected filing and channels (true for the current year's census, not for past years).
    public static func importRecords(
        _ records: [CensusRecord], sheetProblems: [RowProblem], rowsRead: Int, year: Int, scope: ScopeFilter,
        updatesProducts: Bool, dryRun: Bool, by actor: AuditActor, on database: any Database, progress: Progress? = nil
    ) async throws -> Report {
        var rejected = sheetProblems
        // 1. Enterprises already registered, by USCC.
        let usccs = Array(Set(records.map(\.enterprise.uscc)))
        var enterprises: [String: EnterpriseModel] = [:]
        try await forEachChunk(of: usccs) { part, done in
            for model in try await EnterpriseModel.query(on: database).filter(\.$uscc ~~ part).all() { enterprises[model.uscc] = model }
            progress?("企业", done, usccs.count)
        }
        // 2. Row by row: scope, consistency, duplicates.
        var newEnterprises: [String: (model: EnterpriseModel, row: Int)] = [:]
        var seenProducts: [String: Int] = [:]
        var accepted: [(record: CensusRecord, enterprise: EnterpriseModel)] = []
        for record in records {
            let draft = record.enterprise
            func reject(_ column: CensusSheet.Column, _ reason: String) {
                rejected.append(RowProblem(row: record.row, column: column.rawValue, reason: reason))
            }
            let enterprise: EnterpriseModel
            if let existing = enterprises[draft.uscc] {
                guard scope.admits(existing.location) else { reject(.uscc, "该企业不在您的权限范围内"); continue }
                guard existing.district == draft.district else { reject(.district, "与企业名录中该企业的所属区不一致"); continue }
                enterprise = existing
            } else if let pending = newEnterprises[draft.uscc] {
                guard pending.model.district == draft.district, pending.model.park == draft.park else {
                    reject(.district, "与第 \(pending.row) 行同一企业的所属区或园区不一致"); continue
                }
                enterprise = pending.model
            } else {
                guard scope.admits(draft.location) else { reject(.district, "不在您的权限范围内"); continue }
                let model = EnterpriseModel(draft)
                model.id = UUID()
                newEnterprises[draft.uscc] = (model, record.row)
                enterprise = model
            }
            let key = productKey(uscc: draft.uscc, name: record.product.name, model: record.product.model)
            if let first = seenProducts[key] {
                reject(.productName, "与第 \(first) 行是同一产品（企业、产品名称、型号规格均相同）"); continue
            }
            seenProducts[key] = record.row
            accepted.append((record, enterprise))
        }
        // 3. Products and this year's declarations already stored.
        let knownIDs = Array(Set(accepted.compactMap { enterprises[$0.enterprise.uscc]?.id }))
        var products: [String: ProductModel] = [:]
        try await forEachChunk(of: knownIDs) { part, done in
            for model in try await ProductModel.query(on: database).filter(\.$enterprise.$id ~~ part).all() {
                products[productKey(uscc: model.uscc, name: model.name, model: model.model)] = model
            }
            progress?("产品", done, knownIDs.count)
        }
        let productIDs = products.values.compactMap(\.id)
        var intentions: [UUID: CensusIntentionModel] = [:]
        try await forEachChunk(of: productIDs) { part, _ in
            for model in try await CensusIntentionModel.query(on: database).filter(\.$year == year).filter(\.$product.$id ~~ part).all() {
                intentions[model.$product.id] = model
            }
        }
        // 4. The plan.
        var report = Report(
            year: year, dryRun: dryRun, committed: false, rowsRead: rowsRead, added: 0, updated: 0, unchanged: 0,
            enterprisesCreated: newEnterprises.count, productsCreated: 0, rejected: rejected.sorted { ($0.row, $0.column) < ($1.row, $1.column) })
        var createProducts: [ProductModel] = []
        var changedProducts: [ProductModel] = []
        var createIntentions: [CensusIntentionModel] = []
        var changedIntentions: [CensusIntentionModel] = []
        for (record, enterprise) in accepted {
            let key = productKey(uscc: record.enterprise.uscc, name: record.product.name, model: record.product.model)
            let declaration = CensusIntentionModel.Declaration(record.product)
            let product: ProductModel
            var rowChanged = false
            if let existing = products[key] {
                product = existing
                var draft = existing.draft
                draft.category = record.product.category
                draft.managementClass = record.product.managementClass
                draft.classificationCode = record.product.classificationCode
                draft.keyAreas = record.product.keyAreas
                let intention = intentions[try existing.requireID()]
                if updatesProducts, intention?.declaration != declaration {
                    draft.stage = declaration.stage
                    draft.expectedFiling = declaration.expectedFiling
                    draft.channels = declaration.channels
                }
                if draft != existing.draft {
                    existing.apply(draft)
                    changedProducts.append(existing)
                    rowChanged = true
                }
            } else {
                product = try ProductModel(record.product, enterprise: enterprise)
                createProducts.append(product)
                products[key] = product
                report.productsCreated += 1
            }
            let productID = try product.requireID()
            if let intention = intentions[productID] {
                if intention.declaration != declaration {
                    intention.apply(declaration)
                    intention.submittedBy = actor.name
                    changedIntentions.append(intention)
                    rowChanged = true
                }
                if rowChanged { report.updated += 1 } else { report.unchanged += 1 }
            } else {
                let intention = CensusIntentionModel()
                intention.id = TimeOrderedID.make()
                intention.year = year
                intention.$product.id = productID
                intention.$enterprise.id = try enterprise.requireID()
                intention.uscc = enterprise.uscc
                intention.district = enterprise.district
                intention.park = enterprise.park
                intention.apply(declaration)
                intention.submittedBy = actor.name
                createIntentions.append(intention)
                intentions[productID] = intention
                report.added += 1
            }
        }
        guard report.rejected.isEmpty, !dryRun else { return report }
        // A sheet that changes nothing writes nothing, not even an audit row: re-importing is a no-op.
        guard report.added + report.updated + report.enterprisesCreated + report.productsCreated > 0 else {
            report.committed = true
            return report
        }

        // 5. One transaction: all or nothing.
        let summary = ImportSummary(
            year: year, rowsRead: rowsRead, added: report.added, updated: report.updated, unchanged: report.unchanged,
            enterprisesCreated: report.enterprisesCreated, productsCreated: report.productsCreated)
        let enterprisesToCreate = newEnterprises.values.map(\.model)
        let (newProducts, productUpdates) = (createProducts, changedProducts)
        let (newIntentions, intentionUpdates) = (createIntentions, changedIntentions)
        try await database.transaction { db in
            let now = Date()
            try await BulkInsert.run(
                EnterpriseModel.schema, columns: EnterpriseModel.insertColumns, rows: enterprisesToCreate.map { $0.insertValues(now: now) }, on: db,
                progress: { progress?("写入企业", $0, enterprisesToCreate.count) })
            try await BulkInsert.run(
                ProductModel.schema, columns: ProductModel.insertColumns, rows: newProducts.map { $0.insertValues(now: now) }, on: db,
                progress: { progress?("写入产品", $0, newProducts.count) })
            try await BulkInsert.run(
                CensusIntentionModel.schema, columns: CensusIntentionModel.insertColumns, rows: newIntentions.map { $0.insertValues(now: now) }, on: db,
                progress: { progress?("写入意向", $0, newIntentions.count) })
            for (index, product) in productUpdates.enumerated() {
                try await product.update(on: db)
                if index % chunk == 0 { progress?("更新产品", index, productUpdates.count) }
            }
            for (index, intention) in intentionUpdates.enumerated() {
                try await intention.update(on: db)
                if index % chunk == 0 { progress?("更新意向", index, intentionUpdates.count) }
            }
            try await Audit.record(
                "census.import", entityType: "census", entityID: String(year), before: nil, after: try Audit.json(summary), by: actor, on: db)
        }
        report.committed = true
        return report
    }

    private struct ImportSummary: Encodable {
        var year, rowsRead, added, updated, unchanged, enterprisesCreated, productsCreated: Int
    }

    /// The census of a year in the scope, as records ordered by district, enterprise and product.
    public static func export(year: Int, scope: ScopeFilter, on database: any Database) async throws -> [CensusRecord] {
        let intentions = try await CensusIntentionModel.query(on: database).filter(\.$year == year).scoped(to: scope).all()
        var products: [UUID: ProductModel] = [:]
        var enterprises: [UUID: EnterpriseModel] = [:]
        let productIDs = intentions.map(\.$product.id)
        try await forEachChunk(of: productIDs) { part, _ in
            for model in try await ProductModel.query(on: database).filter(\.$id ~~ part).all() { products[try model.requireID()] = model }
        }
        let enterpriseIDs = Array(Set(intentions.map(\.$enterprise.id)))
        try await forEachChunk(of: enterpriseIDs) { part, _ in
            for model in try await EnterpriseModel.query(on: database).filter(\.$id ~~ part).all() { enterprises[try model.requireID()] = model }
        }
        var records: [CensusRecord] = []
        for intention in intentions {
            guard let product = products[intention.$product.id], let enterprise = enterprises[intention.$enterprise.id] else { continue }
            var draft = product.draft
            let declaration = intention.declaration
            draft.stage = declaration.stage
            draft.expectedFiling = declaration.expectedFiling
            draft.channels = declaration.channels
            records.append(CensusRecord(enterprise: enterprise.draft, product: draft))
        }
        return records.sorted {
            ($0.enterprise.district, $0.enterprise.uscc, $0.product.name, $0.product.model)
                < ($1.enterprise.district, $1.enterprise.uscc, $1.product.name, $1.product.model)
        }
    }
}
