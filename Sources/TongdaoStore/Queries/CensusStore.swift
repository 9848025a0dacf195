import FluentKit
import Foundation
import TongdaoCore

/// The yearly census: importing a district's or park's sheet (all rows or none) and exporting the
/// census of a scope. Work is done in bulk — a few queries per thousand rows, not per row.
public enum CensusStore {
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

    /// What an import of a sheet would do: its report, and (when nothing is rejected and it is no dry
    /// run) the rows to write, which `apply` writes inside the caller's transaction.
    public struct ImportPlan: Sendable {
        public var report: CensusImportReport
        /// Whether `apply` has anything to write (false for a dry run, a rejected row, or a sheet
        /// that changes nothing: re-importing the same sheet is a no-op).
        public var writes: Bool
        fileprivate var year: Int
        fileprivate var submittedBy: String
        fileprivate var now: Date
        fileprivate var enterprises: [[BulkValue]] = []
        fileprivate var newProducts: [NewProduct] = []
        fileprivate var newIntentions: [NewIntention] = []
        fileprivate var changedProducts: [ProductModel] = []
        fileprivate var changedIntentions: [CensusIntentionModel] = []

        /// The audit row's record of the import: its counts.
        public var auditSummary: String {
            get throws {
                try Audit.json(
                    ImportSummary(
                        year: year, rowsRead: report.rowsRead, added: report.added, updated: report.updated, unchanged: report.unchanged,
                        enterprisesCreated: report.enterprisesCreated, productsCreated: report.productsCreated))
            }
        }
    }

    /// Plans the import of the records read from a sheet (`sheetProblems` are the rows it could not
    /// read), in bulk reads: a few queries per thousand rows. Nothing is to be written when any row is
    /// rejected or when `dryRun`.
    ///
    /// `updatesProducts`: whether the declarations also become the products' current stage,
    /// expected filing and channels (true for the current year's census, not for past years).
    public static func plan(
        _ records: [CensusRecord], sheetProblems: [RowProblem], rowsRead: Int, year: Int, scope: ScopeFilter, updatesProducts: Bool,
        dryRun: Bool, submittedBy: String, now: Date, on database: any Database, progress: Progress? = nil
    ) async throws -> ImportPlan {
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
                enterprise = PlannedEnterprise(id: TimeOrderedID.make(now: now), draft: draft, row: record.row)
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
        var report = CensusImportReport(
            year: year, dryRun: dryRun, committed: false, rowsRead: rowsRead, added: 0, updated: 0, unchanged: 0,
            enterprisesCreated: newEnterprises.count, productsCreated: 0, rejected: rejected.sorted { ($0.row, $0.column) < ($1.row, $1.column) })
        let writes = report.rejected.isEmpty && !dryRun
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
                    intention.submittedBy = submittedBy
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
        var plan = ImportPlan(report: report, writes: false, year: year, submittedBy: submittedBy, now: now)
        // A sheet that changes nothing writes nothing, not even an audit row: re-importing is a no-op.
        guard writes, report.added + report.updated + report.enterprisesCreated + report.productsCreated > 0 else { return plan }
        plan.writes = true
        plan.enterprises = newEnterprises.values.sorted { $0.row < $1.row }.map { EnterpriseModel.insertRow($0.draft, id: $0.id, now: now) }
        plan.newProducts = newProducts
        plan.newIntentions = newIntentions
        plan.changedProducts = changedProducts
        plan.changedIntentions = changedIntentions
        return plan
    }

    /// Writes a plan's rows on the caller's transaction: all of them or, when anything fails, none.
    public static func apply(_ plan: ImportPlan, on db: any Database, progress: Progress? = nil) async throws {
        guard plan.writes else { return }
        let (enterpriseRows, productsToCreate, intentionsToCreate) = (plan.enterprises, plan.newProducts, plan.newIntentions)
        let (year, now, submittedBy) = (plan.year, plan.now, plan.submittedBy)
        // First, so a product changed since the plan read it stops the import before anything else is written.
        for (index, product) in plan.changedProducts.enumerated() {
            try await product.updateVersioned(on: db)
            if index % chunk == 0 { progress?("更新产品", index, plan.changedProducts.count) }
        }
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
        for (index, intention) in plan.changedIntentions.enumerated() {
            try await intention.update(on: db)
            if index % chunk == 0 { progress?("更新意向", index, plan.changedIntentions.count) }
        }
    }

    /// An enterprise a sheet's rows belong to: stored already (`row` 0), or new from the first row naming it.
    fileprivate struct PlannedEnterprise: Sendable {
        var id: UUID
        var draft: EnterpriseDraft
        var row: Int
    }

    /// A product to create, and the declaration to create with it.
    fileprivate struct NewProduct: Sendable {
        var product: ProductDraft
        var id: UUID
        var enterprise: PlannedEnterprise
    }

    fileprivate struct NewIntention: Sendable {
        var declaration: CensusIntentionModel.Declaration
        var id: UUID
        var productID: UUID
        var enterprise: PlannedEnterprise
    }

    fileprivate struct ImportSummary: Encodable {
        var year, rowsRead, added, updated, unchanged, enterprisesCreated, productsCreated: Int
    }

    /// A product's declaration for a census year, if it has one.
    public static func declaration(year: Int, of productID: UUID, on database: any Database) async throws -> CensusIntentionModel? {
        try await CensusIntentionModel.query(on: database).filter(\.$year == year).filter(\.$product.$id == productID).first()
    }

    /// A product's declarations, by year.
    public static func declarations(of productID: UUID, on database: any Database) async throws -> [CensusIntentionModel] {
        try await CensusIntentionModel.query(on: database).filter(\.$product.$id == productID).sort(\.$year).all()
    }

    /// Stores a checked declaration (new, or replacing `existing`) inside the caller's transaction;
    /// with `plan`, the product's own stage, expected filing and channels change to it too.
    public static func store(
        _ declaration: CensusDeclaration, year: Int, for product: ProductModel, replacing existing: CensusIntentionModel?,
        plan: ProductDraft?, submittedBy: String, now: Date, on db: any Database
    ) async throws -> CensusIntentionModel {
        let intention = existing ?? CensusIntentionModel()
        if existing == nil {
            intention.id = TimeOrderedID.make(now: now)
            intention.year = year
            intention.$product.id = try product.requireID()
            intention.$enterprise.id = product.$enterprise.id
            intention.uscc = product.uscc
            intention.district = product.district
            intention.park = product.park
        }
        intention.apply(declaration)
        intention.submittedBy = submittedBy
        try await intention.save(on: db)
        if let plan {
            product.apply(plan)
            try await product.updateVersioned(on: db)
        }
        return intention
    }

    /// Keeps an uploaded sheet until its uploader confirms the import.
    public static func stageUpload(
        year: Int, username: String, filename: String, content: Data, now: Date, on db: any Database
    ) async throws -> UUID {
        let upload = CensusUploadModel(year: year, username: username, filename: filename, content: content)
        upload.id = TimeOrderedID.make(now: now)
        try await upload.create(on: db)
        return try upload.requireID()
    }

    /// An upload of `username`'s, if there is one with the id (anyone else's is the same as none).
    public static func upload(id: UUID, of username: String, on db: any Database) async throws -> CensusUploadModel? {
        try await CensusUploadModel.query(on: db).filter(\.$id == id).filter(\.$username == username).first()
    }

    public static func deleteUpload(_ upload: CensusUploadModel, on db: any Database) async throws {
        try await upload.delete(on: db)
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
