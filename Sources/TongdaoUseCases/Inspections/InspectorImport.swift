import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

/// The inspector pool as a sheet (`InspectorSheet`), the census's way: every row checked by the
/// rules of a single write (`InspectorInput.profile`, the linked account's), rejected rows named
/// by row and column in Chinese, all rows or none, the export importing back unchanged. One
/// `inspector.import` audit row records what an import wrote.
extension InspectorUseCases {
    /// Reads a sheet (XLSX, or CSV in UTF-8 or GB18030), checks every row, and unless `dryRun` or a
    /// row is rejected writes it: in one transaction, or nothing.
    public func importFile(_ data: Data, dryRun: Bool, by caller: Caller) async throws -> InspectorImportReport {
        try caller.require(.manageInspectors)
        guard !data.isEmpty else {
            throw UseCaseError.malformed([FieldProblem("body", "is required: the sheet (CSV or XLSX)", chinese: "请上传检查员库表（CSV 或 XLSX）")])
        }
        return try await platform.imports.run {
            let (rows, headerProblems) = InspectorSheet.read(try CensusSheets.table(of: data, isUsableHeader: InspectorSheet.isUsableHeader))
            guard let rows else { return InspectorImportReport(dryRun: dryRun, rejected: headerProblems) }
            let today = platform.clock.today()
            if dryRun { return try await Self.plan(rows, dryRun: true, today: today, on: platform.database).report }
            do {
                return try await platform.write(by: caller, conflict: Self.linkedAlready) { write in
                    let plan = try await Self.plan(rows, dryRun: false, today: today, on: write.db)
                    guard plan.report.rejected.isEmpty else { throw RejectedInspectors(report: plan.report) }
                    var report = plan.report
                    guard report.added + report.updated > 0 else {
                        report.committed = true
                        return report
                    }
                    // A link moved from one inspector to another is let go first (one account, one inspector).
                    for change in plan.changes where change.model != nil && change.model?.userID != change.userID {
                        change.model?.userID = nil
                        try await change.model?.save(on: write.db)
                    }
                    // Each record written is audited as a single write of it is.
                    for change in plan.changes {
                        let after = try Audit.json(InspectorAudit(change.profile, username: change.username))
                        if let model = change.model {
                            try await InspectorStore.update(model, to: change.profile, userID: change.userID, on: write.db)
                            try await write.audit(
                                "inspector.update", entityType: "inspector", entityID: try model.requireID().uuidString,
                                before: try change.before.map(Audit.json), after: after)
                        } else {
                            let model = try await InspectorStore.insert(change.profile, userID: change.userID, on: write.db)
                            try await write.audit(
                                "inspector.create", entityType: "inspector", entityID: try model.requireID().uuidString, before: nil, after: after)
                        }
                    }
                    try await write.audit(
                        "inspector.import", entityType: "inspector_pool", entityID: "inspectors", before: nil,
                        after: try Audit.json([
                            "rows": String(report.rowsRead), "added": String(report.added), "updated": String(report.updated),
                        ]))
                    report.committed = true
                    return report
                }
            } catch let rejected as RejectedInspectors {
                return rejected.report
            }
        }
    }

    /// A sheet uploaded on the page: checked as a dry run, and kept for its confirmation when no row
    /// is rejected (one `inspector.upload` audit row). Returns the report and the kept upload.
    public func stageUpload(_ data: Data, filename: String, by caller: Caller) async throws -> (report: InspectorImportReport, upload: UUID?) {
        let report = try await importFile(data, dryRun: true, by: caller)
        guard report.rejected.isEmpty, let username = caller.username else { return (report, nil) }
        let id = try await platform.write(by: caller) { write in
            let id = try await InspectorStore.stageUpload(username: username, filename: filename, content: data, now: write.now, on: write.db)
            try await write.audit(
                "inspector.upload", entityType: "inspector_upload", entityID: id.uuidString, before: nil,
                after: try Audit.json(["filename": filename, "bytes": String(data.count)]))
            return id
        }
        return (report, id)
    }

    /// Imports a kept upload of the caller's own (anyone else's is the same as none), all rows or
    /// none; a committed upload is removed with the import. Returns the report, the file's name and
    /// the upload while it is still kept.
    public func commitUpload(id: UUID, by caller: Caller) async throws -> (report: InspectorImportReport, filename: String, upload: UUID?) {
        try caller.require(.manageInspectors)
        guard let username = caller.username, let upload = try await InspectorStore.upload(id: id, of: username, on: platform.database) else {
            throw UseCaseError.notFound(.upload)
        }
        let report = try await importFile(upload.content, dryRun: false, by: caller)
        if report.committed { try await upload.delete(on: platform.database) }
        return (report, upload.filename, report.committed ? nil : id)
    }

    // MARK: Planning

    /// An inspector the sheet adds (`model` nil) or changes.
    struct Change: @unchecked Sendable {
        var model: InspectorModel?
        var profile: InspectorProfile
        var userID: UUID?
        var username: String?
        /// The record before, for its audit row (nil for one the sheet adds).
        var before: InspectorAudit?
    }

    struct Plan: @unchecked Sendable {
        var report: InspectorImportReport
        var changes: [Change]
    }

    private struct RejectedInspectors: Error {
        var report: InspectorImportReport
    }

    /// Checks every row against the pool as stored: its id (one of ours, once in the sheet), its
    /// account (a user who inspects, linked to no other inspector once the sheet is in), the record
    /// by the rules of a single write; and sorts the rows into added, changed and unchanged. Inspectors
    /// the sheet does not name are left as they are.
    static func plan(_ rows: InspectorSheet.Rows, dryRun: Bool, today: CivilDate, on db: any Database) async throws -> Plan {
        var report = InspectorImportReport(dryRun: dryRun, rowsRead: rows.rows.count)
        let models = try await InspectorModel.query(on: db).all()
        let byID = Dictionary(models.compactMap { model in model.id.map { ($0, model) } }, uniquingKeysWith: { first, _ in first })
        let details = try await InspectorStore.details(of: Array(byID.keys), on: db)
        let named = Set(rows.rows.compactMap { rows.value($0.cells, .username) })
        let users = named.isEmpty ? [] : try await UserModel.query(on: db).filter(\.$username ~~ Array(named)).all()
        let accounts = Dictionary(users.map { ($0.username, $0) }, uniquingKeysWith: { first, _ in first })
        let linkedNames = Dictionary(
            try await UserModel.query(on: db).filter(\.$id ~~ models.compactMap(\.userID)).all().compactMap { user in
                user.id.map { ($0, user.username) }
            }, uniquingKeysWith: { first, _ in first })
        let linkedTo = Dictionary(models.compactMap { model in model.userID.map { ($0, model.id) } }, uniquingKeysWith: { first, _ in first })
        // The ids and accounts the sheet names, with the first row naming each.
        var idRows: [UUID: Int] = [:], accountRows: [String: Int] = [:]
        var planned: [(row: Int, change: Change)] = []
        for (number, cells) in rows.rows {
            var problems: [RowProblem] = []
            func reject(_ column: InspectorSheet.Column, _ reason: String) {
                problems.append(RowProblem(row: number, column: column.rawValue, reason: reason))
            }
            var model: InspectorModel?
            if let text = rows.value(cells, .id) {
                if let id = UUID(uuidString: text), let found = byID[id] {
                    if let first = idRows[id] { reject(.id, "与第 \(first) 行的检查员编号重复") } else { idRows[id] = number }
                    model = found
                } else {
                    reject(.id, "没有该编号的检查员（新增检查员请留空）")
                }
            }
            var userID: UUID?, account: String?
            if let username = rows.value(cells, .username) {
                if let first = accountRows[username] {
                    reject(.username, "与第 \(first) 行关联同一账号")
                } else {
                    accountRows[username] = number
                }
                if let user = accounts[username], let id = user.id {
                    account = username
                    if AccessPolicy.allows(user.role, .recordInspections) {
                        userID = id
                    } else {
                        reject(.username, "该用户的角色不承担检查工作，不能关联为检查员")
                    }
                } else {
                    reject(.username, "没有该用户名的用户")
                }
            }
            var input = InspectorInput(
                username: nil, name: rows.value(cells, .name), categories: InspectorSheet.parts(rows.cell(cells, .categories)),
                specialties: InspectorSheet.parts(rows.cell(cells, .specialties)), fullTime: false, rank: rows.value(cells, .rank),
                capacityDays: rows.value(cells, .capacityDays))
            if let fullTime = InspectorSheet.fullTime(rows.cell(cells, .fullTime)) {
                input.fullTime = fullTime
            } else {
                reject(.fullTime, "应为：专职、兼职")
            }
            if let active = InspectorSheet.active(rows.cell(cells, .status)) {
                input.active = active
            } else {
                reject(.status, "应为：在库、已退出（留空为在库）")
            }
            func entries(_ column: InspectorSheet.Column, format: String) -> [[String]] {
                switch InspectorSheet.entries(rows.cell(cells, column), fields: column.entryFields ?? 1) {
                case .success(let entries): return entries
                case .failure(let problem):
                    reject(column, "第 \(problem.entry) 条有 \(problem.found) 项，应为“\(format)”，各项以 | 分隔，每条一行")
                    return []
                }
            }
            input.employments = entries(.employments, format: "单位名称 | 统一社会信用代码 | 起始日期 | 结束日期").map {
                EmploymentInput(employer: $0[0], uscc: $0[1], from: $0[2], to: $0[3])
            }
            input.relationships = entries(.relationships, format: "关联单位 | 统一社会信用代码 | 关系类型 | 申报日期 | 说明").map {
                RelationshipInput(party: $0[0], uscc: $0[1], kind: $0[2], declaredOn: $0[3], note: $0[4])
            }
            input.trainings = entries(.trainings, format: "培训日期 | 培训课程 | 学时").map { TrainingInput(on: $0[0], course: $0[1], hours: $0[2]) }
            do {
                let profile = try input.profile(today: today)
                if problems.isEmpty { planned.append((number, Change(model: model, profile: profile, userID: userID, username: account))) }
            } catch UseCaseError.invalid(let fields), UseCaseError.malformed(let fields) {
                for field in fields {
                    let reason = InspectorSheet.entry(ofField: field.field).map { "第 \($0) 条：\(field.chinese)" } ?? field.chinese
                    problems.append(RowProblem(row: number, column: InspectorSheet.column(forField: field.field)?.rawValue ?? "", reason: reason))
                }
            }
            report.rejected += problems
        }
        // An account linked to another inspector stays theirs unless the sheet's row of that inspector lets it go.
        let byRow = Dictionary(planned.map { ($0.row, $0.change) }, uniquingKeysWith: { first, _ in first })
        for (username, row) in accountRows {
            guard let id = accounts[username]?.id, let holder = linkedTo[id] ?? nil else { continue }
            if byRow[row]?.model?.id == holder { continue }
            if let holderRow = idRows[holder], byRow[holderRow]?.userID != id { continue }
            report.rejected.append(RowProblem(row: row, column: InspectorSheet.Column.username.rawValue, reason: "该用户已关联其他检查员"))
        }
        report.rejected.sort { ($0.row, $0.column) < ($1.row, $1.column) }
        var changes: [Change] = []
        for (_, change) in planned {
            guard let model = change.model, let id = model.id else {
                report.added += 1
                changes.append(change)
                continue
            }
            let before = InspectorStore.profile(of: model, details[id])
            if before == change.profile && model.userID == change.userID {
                report.unchanged += 1
            } else {
                report.updated += 1
                var change = change
                change.before = InspectorAudit(before, username: model.userID.flatMap { linkedNames[$0] })
                changes.append(change)
            }
        }
        return Plan(report: report, changes: report.rejected.isEmpty ? changes : [])
    }
}
