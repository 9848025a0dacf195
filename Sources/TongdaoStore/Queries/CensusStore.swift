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
        var newEnterprises: [String: PlannedEnterprise] = [:]
        var seenProducts: [String: Int] = [:]
        var accepted: [(record: CensusRecord, enterprise: PlannedEnterprise, key: String)] = []
        accepted.reserveCapacity(records.count)
        for record in records {
            let draft = record.enterprise
            func reject(_ column: CensusSheet.Column, _ reason: String) {
                rejected.append(RowProblem(row: record.row, column: column.rawValue, reason: reason))
            }
            let enterprise: PlannedEnterprise
            if let existing = enterprises[draft.uscc] {
                guard scope.admits(existing.location) else { reject(.uscc, "该企业不在您的权限范围内"); continue }
                guard existing.district == draft.district else { reject(.district, "与企业名录中该企业的所属区不一致"); continue }
                enterprise = PlannedEnterprise(id: try existing.requireID(), draft: existing.draft, row: 0)
            } else if let pending = newEnterprises[draft.uscc] {
                guard pending.draft.district == draft.district, pending.draft.park == draft.park else {
                    reject(.district, "与第 \(pending.row) 行同一企业的所属区或园区不一致"); continue
                }
                enterprise = pending
            } else {
                guard scope.admits(draft.location) else { reject(.district, "不在您的权限范围内"); continue }
                enterprise = PlannedEnterprise(id: TimeOrderedID.make(), draft: draft, row: record.row)
                newEnterprises[draft.uscc] = enterprise
            }
            let key = productKey(uscc: draft.uscc, name: record.product.name, model: record.product.model)
            if let first = seenProducts[key] {
                reject(.productName, "与第 \(first) 行是同一产品（企业、产品名称、型号规格均相同）"); continue
            }
            seenProducts[key] = record.row
            accepted.append((record, enterprise, key))
        }
        // 3. Products and this year's declarations already stored.
        let knownIDs = Array(Set(accepted.compactMap { enterprises[$0.enterprise.draft.uscc]?.id }))
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
        // 4. The plan: rows to insert for what is new (plain values, no models), models for what changes.
        var report = Report(
            year: year, dryRun: dryRun, committed: false, rowsRead: rowsRead, added: 0, updated: 0, unchanged: 0,
            enterprisesCreated: newEnterprises.count, productsCreated: 0, rejected: rejected.sorted { ($0.row, $0.column) < ($1.row, $1.column) })
        let writes = report.rejected.isEmpty && !dryRun
        let now = Date()
        var newProducts: [NewProduct] = []
        var newIntentions: [NewIntention] = []
        var changedProducts: [ProductModel] = []
        var changedIntentions: [CensusIntentionModel] = []
        if writes {
            newProducts.reserveCapacity(accepted.count)
            newIntentions.reserveCapacity(accepted.count)
        }
        for (record, enterprise, key) in accepted {
            let declaration = CensusIntentionModel.Declaration(record)
            guard let existing = products[key] else {
                // A new product, and so a new declaration.
                report.productsCreated += 1
                report.added += 1
                guard writes else { continue }
                let productID = TimeOrderedID.make(now: now)
                newProducts.append(NewProduct(product: record.product, id: productID, enterprise: enterprise))
                newIntentions.append(
                    NewIntention(declaration: declaration, id: TimeOrderedID.make(now: now), productID: productID, enterprise: enterprise))
                continue
            }
            let productID = try existing.requireID()
            var rowChanged = false
            let stored = existing.draft
            var draft = stored
            draft.category = record.product.category
            draft.managementClass = record.product.managementClass
            draft.classificationCode = record.product.classificationCode
            draft.keyAreas = record.product.keyAreas
            let intention = intentions[productID]
            if updatesProducts, intention?.declaration != declaration { draft = declaration.plan(of: draft) }
            if draft != stored {
                existing.apply(draft)
                changedProducts.append(existing)
                rowChanged = true
            }
            if let intention {
                if intention.declaration != declaration {
                    intention.apply(declaration)
                    intention.submittedBy = actor.name
                    changedIntentions.append(intention)
                    rowChanged = true
                }
                if rowChanged { report.updated += 1 } else { report.unchanged += 1 }
            } else {
                report.added += 1
                guard writes else { continue }
                newIntentions.append(
                    NewIntention(declaration: declaration, id: TimeOrderedID.make(now: now), productID: productID, enterprise: enterprise))
            }
        }
        guard writes else { return report }
        // A sheet that changes nothing writes nothing, not even an audit row: re-importing is a no-op.
        guard report.added + report.updated + report.enterprisesCreated + report.productsCreated > 0 else {
            report.committed = true
            return report
        }

        // 5. One transaction: all or nothing.
        let summary = ImportSummary(
            year: year, rowsRead: rowsRead, added: report.added, updated: report.updated, unchanged: report.unchanged,
            enterprisesCreated: report.enterprisesCreated, productsCreated: report.productsCreated)
        let enterpriseRows = newEnterprises.values.sorted { $0.row < $1.row }.map { EnterpriseModel.insertRow($0.draft, id: $0.id, now: now) }
        let (productsToCreate, productUpdates) = (newProducts, changedProducts)
        let (intentionsToCreate, intentionUpdates) = (newIntentions, changedIntentions)
        let submittedBy = actor.name
        try await database.transaction { db in
            try await BulkInsert.run(
                EnterpriseModel.schema, columns: EnterpriseModel.insertColumns, rows: enterpriseRows, on: db,
                progress: { progress?("写入企业", $0, enterpriseRows.count) })
            // Rows are made as they are written, beside the database's work on the previous statement.
            try await BulkInsert.run(
                ProductModel.schema, columns: ProductModel.insertColumns, count: productsToCreate.count, on: db,
                progress: { progress?("写入产品", $0, productsToCreate.count) }
            ) { index in
                let new = productsToCreate[index]
                return ProductModel.insertRow(new.product, id: new.id, enterpriseID: new.enterprise.id, of: new.enterprise.draft, now: now)
            }
            try await BulkInsert.run(
                CensusIntentionModel.schema, columns: CensusIntentionModel.insertColumns, count: intentionsToCreate.count, on: db,
                progress: { progress?("写入意向", $0, intentionsToCreate.count) }
            ) { index in
                let new = intentionsToCreate[index]
                return CensusIntentionModel.insertRow(
                    new.declaration, id: new.id, year: year, productID: new.productID, enterpriseID: new.enterprise.id, of: new.enterprise.draft,
                    submittedBy: submittedBy, now: now)
            }
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
        progress?("提交", 1, 1)
        report.committed = true
        return report
    }

    /// An enterprise a sheet's rows belong to: stored already (`row` 0), or new from the first row naming it.
    private struct PlannedEnterprise: Sendable {
        var id: UUID
        var draft: EnterpriseDraft
        var row: Int
    }

    /// A product to create, and the declaration to create with it.
    private struct NewProduct: Sendable {
        var product: ProductDraft
        var id: UUID
        var enterprise: PlannedEnterprise
    }

    private struct NewIntention: Sendable {
        var declaration: CensusIntentionModel.Declaration
        var id: UUID
        var productID: UUID
        var enterprise: PlannedEnterprise
    }

    private struct ImportSummary: Encodable {
        var year, rowsRead, added, updated, unchanged, enterprisesCreated, productsCreated: Int
    }

    /// Makes or changes a product's declaration for a census year, as the enterprise or an officer
    /// submits it (the caller has found `product` within its scope). Validated first; then one
    /// transaction with one audit row. When `updatesProduct` (the current year's census), the
    /// product's own stage, expected filing and channels follow the declaration, as an import does.
    /// Returns the declaration as stored and whether it is new; an unchanged declaration writes nothing.
    public static func declare(
        _ declaration: CensusDeclaration, year: Int, for product: ProductModel, updatesProduct: Bool, by actor: AuditActor,
        on database: any Database
    ) async throws -> (intention: CensusIntentionModel, created: Bool) {
        let problems = declaration.problems(managementClass: product.managementClass)
        guard problems.isEmpty else { throw ProductStore.Problem.invalid(problems) }
        let productID = try product.requireID()
        let existing = try await CensusIntentionModel.query(on: database).filter(\.$year == year).filter(\.$product.$id == productID).first()
        let stored = product.draft
        let productDraft = updatesProduct ? declaration.plan(of: stored) : stored
        if let existing, existing.declaration == declaration, productDraft == stored { return (existing, false) }
        let intention = existing ?? CensusIntentionModel()
        let before = try existing.map { try Audit.json($0.declaration) }
        try await database.transaction { db in
            if existing == nil {
                intention.id = TimeOrderedID.make()
                intention.year = year
                intention.$product.id = productID
                intention.$enterprise.id = product.$enterprise.id
                intention.uscc = product.uscc
                intention.district = product.district
                intention.park = product.park
            }
            intention.apply(declaration)
            intention.submittedBy = actor.name
            try await intention.save(on: db)
            if productDraft != stored {
                product.apply(productDraft)
                try await product.update(on: db)
            }
            try await Audit.record(
                "census.declare", entityType: "census_intention", entityID: try intention.requireID().uuidString, before: before,
                after: try Audit.json(declaration), by: actor, on: db)
        }
        return (intention, existing == nil)
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
            let declaration = intention.declaration
            records.append(
                CensusRecord(enterprise: enterprise.draft, product: declaration.plan(of: product.draft), guidanceNeeds: declaration.guidanceNeeds))
        }
        return records.sorted {
            ($0.enterprise.district, $0.enterprise.uscc, $0.product.name, $0.product.model)
                < ($1.enterprise.district, $1.enterprise.uscc, $1.product.name, $1.product.model)
        }
    }
}
