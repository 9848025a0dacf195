import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

/// The yearly census of registration intentions (年度注册意向): a product's declaration by its
/// enterprise or officer, sheets imported by district and park officers (all rows or none), the
/// figures and the export of the caller's scope.
public struct CensusUseCases: Sendable {
    let platform: Platform

    public typealias Format = CensusSheets.Format

    // MARK: Declarations

    /// A declaration as the product page's form or `PUT /api/v1/products/{id}/census/{year}` sends it.
    public struct DeclarationInput: Sendable, Equatable {
        /// A `DevelopmentStage` code.
        public var stage: String?
        /// `YYYY-MM`, or blank.
        public var expectedFiling: String?
        /// `FilingChannel` codes.
        public var channels: [String]
        public var guidanceNeeds: String?

        public init(stage: String?, expectedFiling: String?, channels: [String], guidanceNeeds: String?) {
            self.stage = stage
            self.expectedFiling = expectedFiling
            self.channels = channels
            self.guidanceNeeds = guidanceNeeds
        }
    }

    /// A product's declaration of a year, as stored.
    public struct DeclarationRecord: Sendable, Equatable {
        public var id: UUID
        public var year: Int
        public var declaration: CensusDeclaration

        init(_ model: CensusIntentionModel) throws {
            id = try model.requireID()
            year = model.year
            declaration = model.declaration
        }
    }

    /// Makes or changes a product's declaration for a year (this year or next; officers correct past
    /// years too): `census.declare`. This year's declaration also becomes the product's own stage,
    /// expected filing and channels. An unchanged declaration writes nothing. Returns the declaration
    /// and whether it is new. No year means this year.
    public func declare(
        _ input: DeclarationInput, year: Int?, productID: UUID, by caller: Caller
    ) async throws -> (declaration: DeclarationRecord, created: Bool) {
        let thisYear = platform.clock.today().year
        let year = year ?? thisYear
        // Two declarations of one product and year at once: the second replaces the first.
        return try await platform.write(by: caller, upsert: true) { write in
            try await ProductModel.hold(id: productID, on: write.db)
            guard let product = try await ProductStore.find(id: productID, scope: caller.filter, on: write.db) else {
                throw UseCaseError.notFound(.product)
            }
            try caller.require(.writeProducts)
            var problems: [FieldProblem] = []
            if let problem = CensusDeclaration.yearProblem(year, thisYear: thisYear, byEnterprise: caller.role == .enterpriseUser) {
                problems.append(problem)
            }
            let stage = input.stage.nonBlank.flatMap(DevelopmentStage.init(rawValue:))
            if stage == nil { problems.append(FieldProblem("stage", "must be a development stage code", chinese: "请选择研发阶段")) }
            let channels = input.channels.compactMap(FilingChannel.init(rawValue:))
            if channels.count != input.channels.count {
                problems.append(FieldProblem("channels", "must be filing channel codes", chinese: "请从列表中选择"))
            }
            var expectedFiling: YearMonth?
            if let text = input.expectedFiling.nonBlank {
                expectedFiling = YearMonth(text)
                if expectedFiling == nil { problems.append(FieldProblem("expectedFiling", "must be a month YYYY-MM", chinese: "应为 YYYY-MM 格式的年月")) }
            }
            guard problems.isEmpty, let stage else { throw UseCaseError.invalid(problems) }
            let declaration = CensusDeclaration(stage: stage, expectedFiling: expectedFiling, channels: channels, guidanceNeeds: input.guidanceNeeds)
            let ruleProblems = declaration.problems(managementClass: product.managementClass)
            guard ruleProblems.isEmpty else { throw UseCaseError.invalid(ruleProblems) }
            let existing = try await CensusStore.declaration(year: year, of: productID, on: write.db)
            let stored = product.draft
            let planned = year >= thisYear ? declaration.plan(of: stored) : stored
            if let existing, existing.declaration == declaration, planned == stored { return (try DeclarationRecord(existing), false) }
            let before = try existing.map { try Audit.json($0.declaration) }
            let intention = try await CensusStore.store(
                declaration, year: year, for: product, replacing: existing, plan: planned == stored ? nil : planned,
                submittedBy: caller.audit.name, now: write.now, on: write.db)
            try await write.audit(
                "census.declare", entityType: "census_intention", entityID: try intention.requireID().uuidString, before: before,
                after: try Audit.json(declaration))
            return (try DeclarationRecord(intention), existing == nil)
        }
    }

    // MARK: Imports

    /// Reads a census file (XLSX, or CSV in UTF-8 or GB18030) for `year`, checks every row against
    /// the caller's scope, and unless `dryRun` or a row is rejected imports it: every row in one
    /// transaction with one `census.import` audit row, or nothing.
    public func importFile(
        _ data: Data, year: Int, dryRun: Bool, by caller: Caller, progress: CensusStore.Progress? = nil
    ) async throws -> CensusImportReport {
        try caller.require(.importCensus)
        guard !data.isEmpty else {
            throw UseCaseError.malformed([FieldProblem("body", "is required: the census sheet (CSV or XLSX)", chinese: "请上传普查表文件（CSV 或 XLSX）")])
        }
        return try await platform.imports.run {
            try await importRows(data, year: year, dryRun: dryRun, by: caller, progress: progress)
        }
    }

    private func importRows(
        _ data: Data, year: Int, dryRun: Bool, by caller: Caller, progress: CensusStore.Progress?
    ) async throws -> CensusImportReport {
        let regions = CensusSheet.Regions(try await RegionQueries.list(on: platform.database))
        // The rows live only until they are read into records: the plan holds the records alone.
        let sheet: (records: [CensusRecord], problems: [RowProblem], rowsRead: Int)
        do {
            let rows = try CensusSheets.table(of: data)
            progress?("读取", rows.count, rows.count)
            sheet = CensusSheet.read(rows, regions: regions)
            progress?("校验", rows.count, rows.count)
        }
        // A plan is written once: its rows are made and its products changed as they are written. A
        // write that meets a competing writer, or a product changed since the plan read it, is planned
        // anew on what is stored then.
        for attempt in 1...Self.planAttempts {
            let plan = try await CensusStore.plan(
                sheet.records, sheetProblems: sheet.problems, rowsRead: sheet.rowsRead, year: year, scope: caller.filter,
                updatesProducts: year >= platform.clock.today().year, dryRun: dryRun, submittedBy: caller.audit.name,
                now: platform.clock.now(), on: platform.database, progress: progress)
            var report = plan.report
            guard !dryRun, report.rejected.isEmpty else { return report }
            if plan.writes {
                do {
                    try await platform.write(by: caller, retrying: false) { write in
                        try await CensusStore.apply(plan, on: write.db, progress: progress)
                        try await write.audit(
                            "census.import", entityType: "census", entityID: String(year), before: nil, after: try plan.auditSummary)
                    }
                } catch  where TransientFailure.matches(error) {
                    guard attempt < Self.planAttempts else { break }
                    progress?("重新校验", attempt, Self.planAttempts)
                    continue
                }
                progress?("提交", 1, 1)
            }
            report.committed = true
            return report
        }
        throw UseCaseError.conflict(
            FieldProblem(
                "body", "records of the file were changed by others while it was imported; import it again",
                chinese: "导入期间，文件中的记录被其他人修改，请重新导入"))
    }

    /// How often an import is planned anew when its write met another.
    static let planAttempts = 4

    /// An upload from the census page: checked as a dry run and, when every row passes, kept until
    /// its uploader confirms (`census.upload`). Returns the report and the kept upload's id.
    public func stageUpload(_ data: Data, filename: String, year: Int?, by caller: Caller) async throws -> (report: CensusImportReport, upload: UUID?)
    {
        let year = try Self.year(year, thisYear: platform.clock.today().year)
        let report = try await importFile(data, year: year, dryRun: true, by: caller)
        guard report.rejected.isEmpty, let username = caller.username else { return (report, nil) }
        let id = try await platform.write(by: caller) { write in
            let id = try await CensusStore.stageUpload(
                year: year, username: username, filename: filename, content: data, now: write.now, on: write.db)
            try await write.audit(
                "census.upload", entityType: "census_upload", entityID: id.uuidString, before: nil,
                after: try Audit.json(["year": String(year), "filename": filename, "bytes": String(data.count)]))
            return id
        }
        return (report, id)
    }

    /// Imports a kept upload of the caller's own (anyone else's is the same as none); a committed
    /// upload is removed. Returns the report and the upload's filename.
    public func commitUpload(id: UUID, by caller: Caller) async throws -> (report: CensusImportReport, filename: String, upload: UUID?) {
        try caller.require(.importCensus)
        guard let username = caller.username, let upload = try await CensusStore.upload(id: id, of: username, on: platform.database) else {
            throw UseCaseError.notFound(.upload)
        }
        let report = try await importFile(upload.content, year: upload.year, dryRun: false, by: caller)
        if report.committed { try await CensusStore.deleteUpload(upload, on: platform.database) }
        return (report, upload.filename, report.committed ? nil : id)
    }

    // MARK: Figures and export

    /// The census page's figures: a year's declarations in the caller's scope, by district (the city
    /// or a station's districts) or by park (a district, a park, an enterprise), with the names of
    /// the regions and the years that can be shown.
    public struct Figures: Sendable, Equatable {
        public var year: Int
        public var years: [Int]
        public var grouping: CensusQuality.Grouping
        public var summaries: [CensusQuality.Summary]
        public var regionNames: [String: String]
        /// Whether the year before holds declarations in the scope: without them there is nothing to
        /// compare with (every declaration would count as new).
        public var previousYearHasData: Bool
    }

    public func figures(year: Int?, by caller: Caller) async throws -> Figures {
        try caller.require(.readCensus)
        let thisYear = platform.clock.today().year
        let year = try Self.year(year, thisYear: thisYear)
        let grouping: CensusQuality.Grouping =
            switch caller.filter {
            case .everything: .district
            case .districts(let codes): codes.count == 1 ? .park : .district
            case .park, .enterprise, .institution, .province: .park
            }
        let regions = try await RegionQueries.list(on: platform.database)
        return Figures(
            year: year, years: Array((thisYear - 2)...thisYear), grouping: grouping,
            summaries: try await CensusStore.summaries(year: year, scope: caller.filter, by: grouping, on: platform.database),
            regionNames: Dictionary(regions.map { ($0.code, $0.name) }, uniquingKeysWith: { first, _ in first }),
            previousYearHasData: try await CensusStore.hasDeclarations(year: year - 1, scope: caller.filter, on: platform.database))
    }

    /// The census of a year (this year when nil) in the caller's scope as a file (CSV or XLSX),
    /// which imports back unchanged.
    public func export(year: Int?, format: Format, by caller: Caller) async throws -> (data: Data, year: Int) {
        try caller.require(.readCensus)
        let year = try Self.year(year, thisYear: platform.clock.today().year)
        let records = try await CensusStore.export(year: year, scope: caller.filter, on: platform.database)
        let regions = CensusSheet.Regions(try await RegionQueries.list(on: platform.database))
        return (try CensusSheets.file(CensusSheet.rows(records, regions: regions), year: year, format: format), year)
    }

    /// The year asked for (this year when none): 2000–2100.
    static func year(_ year: Int?, thisYear: Int) throws(UseCaseError) -> Int {
        guard let year else { return thisYear }
        guard (2000...2100).contains(year) else {
            throw .malformed([FieldProblem("year", "must be between 2000 and 2100", chinese: "年度须为 2000–2100 之间的整数")])
        }
        return year
    }
}

extension Platform {
    public var census: CensusUseCases { CensusUseCases(platform: self) }
}
