import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

/// Importing the national monitoring system's export (`AdverseEventSheet`) the census's way: every
/// row checked by the rules a report filed on the platform obeys, rejected rows named by row and
/// column in Chinese, all rows or none; a row whose 报告编码 the platform holds is left as it is, so
/// the same export imported twice adds nothing. The reports are written in bulk (each with its
/// terms and its submitted event) with one `adverse_event.import` audit row; lateness is judged by
/// the moment each reached the national system, and a late one counts on its registrant's credit
/// file as one filed here does.
extension AdverseEventUseCases {
    public typealias Progress = @Sendable (_ phase: String, _ done: Int, _ total: Int) -> Void

    /// Reads a sheet (XLSX, or CSV in UTF-8 or GB18030), checks every row, and unless `dryRun` or a
    /// row is rejected writes the new reports: in one transaction, or nothing.
    public func importFile(_ data: Data, dryRun: Bool, by caller: Caller, progress: Progress? = nil) async throws -> AdverseEventImportReport {
        try caller.require(.manageVigilance)
        guard !data.isEmpty else {
            throw UseCaseError.malformed([
                FieldProblem("body", "is required: the sheet (CSV or XLSX)", chinese: "请上传国家监测系统导出的不良事件报告表（CSV 或 XLSX）")
            ])
        }
        return try await platform.imports.run {
            let table = try CensusSheets.table(of: data, isUsableHeader: AdverseEventSheet.isUsableHeader)
            progress?("读取", table.count, table.count)
            let (rows, headerProblems) = AdverseEventSheet.read(table)
            guard let rows else { return AdverseEventImportReport(dryRun: dryRun, rejected: headerProblems) }
            if dryRun {
                return try await plan(rows, dryRun: true, by: caller, now: platform.clock.now(), on: platform.database, progress: progress).report
            }
            do {
                return try await platform.write(by: caller) { write in
                    let plan = try await plan(rows, dryRun: false, by: caller, now: write.now, on: write.db, progress: progress)
                    guard plan.report.rejected.isEmpty else { throw RejectedReports(report: plan.report) }
                    var report = plan.report
                    var reports = plan.reports
                    if !reports.isEmpty {
                        let numbers = try await AdverseEventStore.nextNumbers(
                            count: reports.count, year: ShanghaiTime.day(of: write.now).year, on: write.db)
                        for index in reports.indices { reports[index].number = numbers[index] }
                        try await AdverseEventStore.insertMany(reports, now: write.now, on: write.db)
                        try await write.audit(
                            "adverse_event.import", entityType: "adverse_event_import", entityID: numbers[0], before: nil,
                            after: try Audit.json([
                                "rows": String(report.rowsRead), "added": String(report.added), "unchanged": String(report.unchanged),
                                "late": String(report.late), "first": numbers[0], "last": numbers[numbers.count - 1],
                            ]))
                        progress?("提交", reports.count, reports.count)
                    }
                    report.committed = true
                    return report
                }
            } catch let rejected as RejectedReports {
                return rejected.report
            }
        }
    }

    private struct RejectedReports: Error {
        var report: AdverseEventImportReport
    }

    static let uploadKind = "adverse_events"

    /// An export uploaded on the page: checked as a dry run, and kept for its confirmation when no
    /// row is rejected (one `adverse_event.upload` audit row). Returns the report and the kept upload.
    public func stageUpload(_ data: Data, filename: String, by caller: Caller) async throws -> (report: AdverseEventImportReport, upload: UUID?) {
        let report = try await importFile(data, dryRun: true, by: caller)
        guard report.rejected.isEmpty, let username = caller.username else { return (report, nil) }
        let id = try await platform.write(by: caller) { write in
            let id = try await SheetUploadModel.stage(
                kind: Self.uploadKind, username: username, filename: filename, content: data, now: write.now, on: write.db)
            try await write.audit(
                "adverse_event.upload", entityType: "sheet_upload", entityID: id.uuidString, before: nil,
                after: try Audit.json(["filename": filename, "bytes": String(data.count)]))
            return id
        }
        return (report, id)
    }

    /// Imports a kept upload of the caller's own (anyone else's is the same as none), all rows or
    /// none; a committed upload is removed with the import. Returns the report, the file's name and
    /// the upload while it is still kept.
    public func commitUpload(id: UUID, by caller: Caller) async throws -> (report: AdverseEventImportReport, filename: String, upload: UUID?) {
        try caller.require(.manageVigilance)
        guard let username = caller.username,
            let upload = try await SheetUploadModel.find(id: id, kind: Self.uploadKind, of: username, on: platform.database)
        else { throw UseCaseError.notFound(.upload) }
        let report = try await importFile(upload.content, dryRun: false, by: caller)
        if report.committed { try await upload.delete(on: platform.database) }
        return (report, upload.filename, report.committed ? nil : id)
    }

    /// The report of a sheet and the reports it adds (numbered when written).
    struct ImportPlan: Sendable {
        var report: AdverseEventImportReport
        var reports: [AdverseEventStore.NewReport]
    }

    /// What the rows are checked against, read once for the whole sheet.
    private struct Lookups {
        var certificates: [String: UUID]
        var identifiers: [String: UUID]
        /// Each marketed product's latest certificate.
        var latestCertificate: [UUID: String]
        var products: [UUID: ProductModel]
        var registrants: [UUID: String]
        var institutions: [String: UUID]
        var terms: [String: String]
    }

    private func lookups(on db: any Database) async throws -> Lookups {
        var certificates: [String: UUID] = [:], latest: [UUID: String] = [:]
        for (certificate, product) in try await AdverseEventStore.certificates(on: db) {
            certificates[certificate] = certificates[certificate] ?? product
            latest[product] = latest[product] ?? certificate
        }
        let products = try await ProductModel.query(on: db).filter(\.$id ~~ Array(latest.keys)).all()
        let enterprises = try await EnterpriseModel.query(on: db).filter(\.$id ~~ Set(products.map(\.$enterprise.id))).all()
        return Lookups(
            certificates: certificates, identifiers: try await AdverseEventStore.allIdentifiers(on: db), latestCertificate: latest,
            products: Dictionary(products.compactMap { product in product.id.map { ($0, product) } }, uniquingKeysWith: { first, _ in first }),
            registrants: Dictionary(
                enterprises.compactMap { enterprise in enterprise.id.map { ($0, enterprise.name) } }, uniquingKeysWith: { first, _ in first }),
            institutions: Dictionary(
                try await TrialInstitutionModel.query(on: db).all().compactMap { institution in institution.id.map { (institution.name, $0) } },
                uniquingKeysWith: { first, _ in first }),
            terms: try await Self.activeTermCodes(on: db))
    }

    /// Checks every row: its 报告编码 (once in the sheet; one the platform holds is left alone), its
    /// product (a marketed product's certificate or UDI-DI, agreeing when both are given), its facts
    /// by the rules of a report filed here, its terms from the active list.
    func plan(
        _ rows: AdverseEventSheet.Rows, dryRun: Bool, by caller: Caller, now: Date, on db: any Database, progress: Progress?
    ) async throws -> ImportPlan {
        var report = AdverseEventImportReport(dryRun: dryRun, rowsRead: rows.rows.count)
        let lookups = try await lookups(on: db)
        let held = try await AdverseEventStore.heldNationalCodes(rows.rows.compactMap { rows.value($0.cells, .code) }, on: db)
        var codeRows: [String: Int] = [:]
        var reports: [AdverseEventStore.NewReport] = []
        for (position, (number, cells)) in rows.rows.enumerated() {
            if position % 1_000 == 999 { progress?("检查", position + 1, rows.rows.count) }
            var problems: [RowProblem] = []
            func reject(_ column: AdverseEventSheet.Column, _ reason: String) {
                problems.append(RowProblem(row: number, column: column.rawValue, reason: reason))
            }
            guard let code = rows.value(cells, .code) else {
                reject(.code, "必填")
                report.rejected += problems
                continue
            }
            if let first = codeRows[code] {
                reject(.code, "与第 \(first) 行的报告编码重复")
                report.rejected += problems
                continue
            }
            codeRows[code] = number
            if held.contains(code) {
                report.unchanged += 1
                continue
            }
            if code.count > 40 { reject(.code, "不能超过 40 个字符") }
            var reader = FieldReader()
            let eventOn = reader.anyDay("eventOn", rows.value(cells, .eventOn).map(Self.day), label: "事件发生日期", required: true)
            let awareOn = reader.anyDay("awareOn", rows.value(cells, .awareOn).map(Self.day), label: "获知日期", required: true)
            var awareMinute: Int?
            if let text = rows.value(cells, .awareTime) {
                awareMinute = AdverseEventFacts.minute(of: String(text.prefix(5)))
                if awareMinute == nil { reject(.awareTime, "应为时间（HH:mm）") }
            }
            let outcome = reader.code("outcome", rows.value(cells, .outcome), label: "患者结局", as: PatientOutcome.self)
            let narrative = reader.text("narrative", rows.value(cells, .narrative), label: "事件经过描述", maximum: 5_000)
            let lot = reader.text("lot", rows.value(cells, .lot), label: "批号", maximum: 20, required: false)
            let serial = reader.text("serial", rows.value(cells, .serial), label: "序列号", maximum: 20, required: false)
            let reporterName = reader.text("reporterName", rows.value(cells, .reporterName), label: "报告单位", maximum: 100, required: false)
            for problem in reader.problems {
                reject(AdverseEventSheet.column(forField: problem.field) ?? .reporterName, problem.chinese)
            }
            let seriousness = AdverseEventSheet.seriousness(rows.cell(cells, .seriousness))
            if seriousness == nil {
                reject(.seriousness, rows.cell(cells, .seriousness).isEmpty ? "必填" : "应为 死亡、严重伤害、其他（或 \(EventSeriousness.labelList)）之一")
            }
            let kind = AdverseEventSheet.reporterKind(rows.cell(cells, .reporterKind))
            if kind == nil { reject(.reporterKind, "应为 注册人、医疗机构 之一") }
            var submittedAt: Date?
            if let text = rows.value(cells, .reportedAt) {
                if let read = AdverseEventSheet.instant(text) {
                    submittedAt = read.at
                    if read.at > now { reject(.reportedAt, "不能晚于现在") }
                    if seriousness == .groupEvent, !read.hasTime { reject(.reportedAt, "群体不良事件的报告时间须精确到分钟（YYYY-MM-DD HH:mm）") }
                } else {
                    reject(.reportedAt, "应为日期时间（YYYY-MM-DD HH:mm）或日期")
                }
            } else {
                reject(.reportedAt, "必填")
            }
            // Terms, from the active list.
            var terms: [String] = []
            for text in AdverseEventSheet.terms(rows.cell(cells, .terms)) {
                if let term = lookups.terms[text] {
                    if !terms.contains(term) { terms.append(term) }
                } else {
                    reject(.terms, "“\(text)”不是事件术语表中的术语")
                }
            }
            if terms.isEmpty, !problems.contains(where: { $0.column == AdverseEventSheet.Column.terms.rawValue }) { reject(.terms, "必填") }
            if terms.count > Self.maximumTerms { reject(.terms, "不能超过 \(Self.maximumTerms) 个") }
            // The product: by certificate, by DI, or both agreeing.
            var productID: UUID?
            if let certificate = rows.value(cells, .certificate) {
                productID = lookups.certificates[certificate]
                if productID == nil { reject(.certificate, "没有产品持有注册证 \(certificate)") }
            }
            let di = rows.value(cells, .udiDI)
            if let di {
                if GTIN.hasWrongCheckDigit(di) {
                    reject(.udiDI, "校验位错误：\(di)")
                } else if let found = lookups.identifiers[di] {
                    if let productID, productID != found { reject(.udiDI, "与注册证编号指明的不是同一产品") }
                    productID = productID ?? found
                } else {
                    reject(.udiDI, "没有上市产品登记了产品标识 \(di)")
                }
            }
            if rows.value(cells, .certificate) == nil, di == nil { reject(.certificate, "请填写注册证编号或产品标识") }
            let product = productID.flatMap { lookups.products[$0] }
            if productID != nil, product == nil { reject(.certificate, "该产品未上市（没有注册证）") }
            if let eventOn, let awareOn, let seriousness, let outcome, let submittedAt {
                let facts = AdverseEventFacts(
                    eventOn: eventOn, awareOn: awareOn, awareMinute: awareMinute, seriousness: seriousness, outcome: outcome)
                for problem in facts.problems(submittedAt: submittedAt) {
                    // Measured against the moment of the report, not today.
                    let reason = problem.chinese.replacingOccurrences(of: "晚于今天", with: "晚于报告时间")
                        .replacingOccurrences(of: "晚于现在", with: "晚于报告时间")
                    reject(AdverseEventSheet.column(forField: problem.field) ?? .seriousness, reason)
                }
            }
            report.rejected += problems
            guard problems.isEmpty, let product, let productID, let eventOn, let awareOn, let seriousness, let outcome, let narrative,
                let submittedAt, let kind
            else { continue }
            let registrant = lookups.registrants[product.$enterprise.id] ?? product.uscc
            let institution = kind == .institution ? reporterName.flatMap { lookups.institutions[$0] } : nil
            let new = AdverseEventStore.NewReport(
                number: "", productID: productID, productName: product.name, enterpriseID: product.$enterprise.id, uscc: product.uscc,
                district: product.district, park: product.park, certificate: rows.value(cells, .certificate) ?? lookups.latestCertificate[productID],
                udiDI: di, lot: lot, serial: serial, reporterKind: kind, reporterInstitutionID: institution,
                reporterName: reporterName ?? (kind == .registrant ? registrant : "医疗机构"), eventOn: eventOn, awareOn: awareOn,
                awareMinute: awareMinute, seriousness: seriousness, outcome: outcome, terms: terms, narrative: narrative, submittedAt: submittedAt,
                source: .nationalImport, submittedBy: caller.audit.name, nationalCode: code)
            if new.late { report.late += 1 }
            reports.append(new)
        }
        report.rejected.sort { ($0.row, $0.column) < ($1.row, $1.column) }
        report.added = report.rejected.isEmpty ? reports.count : 0
        return ImportPlan(report: report, reports: report.rejected.isEmpty ? reports : [])
    }

    /// A date cell as a day (a spreadsheet's date-time cell keeps its day).
    private static func day(_ text: String) -> String {
        text.count > 10 ? String(text.prefix(10)) : text
    }
}

/// The term list imported and exported as a sheet (`EventTermSheet`): every row checked, all rows or
/// none; a term's Chinese name names one active term only (reports and imports find terms by it);
/// each term added or changed is audited as `event_term.create` / `event_term.update`.
extension AdverseEventUseCases {
    public func importTerms(_ data: Data, dryRun: Bool, by caller: Caller) async throws -> EventTermImportReport {
        try caller.require(.manageVigilance)
        guard !data.isEmpty else {
            throw UseCaseError.malformed([FieldProblem("body", "is required: the sheet (CSV or XLSX)", chinese: "请上传事件术语表（CSV 或 XLSX）")])
        }
        return try await platform.imports.run {
            let (rows, headerProblems) = EventTermSheet.read(try CensusSheets.table(of: data, isUsableHeader: EventTermSheet.isUsableHeader))
            guard let rows else { return EventTermImportReport(dryRun: dryRun, rejected: headerProblems) }
            if dryRun { return try await Self.planTerms(rows, dryRun: true, on: platform.database).report }
            do {
                return try await platform.write(by: caller) { write in
                    let plan = try await Self.planTerms(rows, dryRun: false, on: write.db)
                    guard plan.report.rejected.isEmpty else { throw RejectedTerms(report: plan.report) }
                    for change in plan.changes {
                        let after = try Audit.json(change.term)
                        if let model = change.model {
                            let before = try Audit.json(Self.record(model))
                            model.kind = change.term.kind.rawValue
                            model.chinese = change.term.chinese
                            model.english = change.term.english
                            model.active = change.term.active
                            try await model.update(on: write.db)
                            try await write.audit(
                                "event_term.update", entityType: "event_term", entityID: change.term.code, before: before, after: after)
                        } else {
                            let model = EventTermModel()
                            model.id = change.term.code
                            model.kind = change.term.kind.rawValue
                            model.chinese = change.term.chinese
                            model.english = change.term.english
                            model.active = change.term.active
                            try await model.create(on: write.db)
                            try await write.audit(
                                "event_term.create", entityType: "event_term", entityID: change.term.code, before: nil, after: after)
                        }
                    }
                    var report = plan.report
                    report.committed = true
                    return report
                }
            } catch let rejected as RejectedTerms {
                return rejected.report
            }
        }
    }

    /// The whole term list (retired terms too) as a sheet that imports back unchanged.
    public func exportTerms(format: CensusUseCases.Format, by caller: Caller) async throws -> Data {
        try caller.require(.readAdverseEvents)
        var rows = [EventTermSheet.Column.allCases.map(\.rawValue)]
        for term in try await terms(includingRetired: true) {
            rows.append([term.code, term.kind.label, term.chinese, term.english, term.active ? "启用" : "停用"])
        }
        return try CensusSheets.file(rows, sheetName: "事件术语表", format: format)
    }

    private struct RejectedTerms: Error {
        var report: EventTermImportReport
    }

    private struct TermChange: @unchecked Sendable {
        var model: EventTermModel?
        var term: EventTermRecord
    }

    private static func planTerms(_ rows: EventTermSheet.Rows, dryRun: Bool, on db: any Database) async throws -> (
        report: EventTermImportReport, changes: [TermChange]
    ) {
        var report = EventTermImportReport(dryRun: dryRun, rowsRead: rows.rows.count)
        let stored = try await AdverseEventStore.terms(includingRetired: true, on: db)
        let byCode = Dictionary(stored.compactMap { model in model.id.map { ($0, model) } }, uniquingKeysWith: { first, _ in first })
        var codeRows: [String: Int] = [:]
        var planned: [(row: Int, change: TermChange)] = []
        for (number, cells) in rows.rows {
            var problems: [RowProblem] = []
            func reject(_ column: EventTermSheet.Column, _ reason: String) {
                problems.append(RowProblem(row: number, column: column.rawValue, reason: reason))
            }
            let code = rows.cell(cells, .code)
            if !EventTermSheet.isValidCode(code) {
                reject(.code, code.isEmpty ? "必填" : "应为字母、数字或 - _ .，不超过 20 个字符")
            } else if let first = codeRows[code] {
                reject(.code, "与第 \(first) 行的术语编码重复")
            } else {
                codeRows[code] = number
            }
            let kind = EventTermKind(codeOrLabel: rows.cell(cells, .kind))
            if kind == nil { reject(.kind, "应为 \(EventTermKind.labelList) 之一") }
            var reader = FieldReader()
            let chinese = reader.text("chinese", rows.value(cells, .chinese), label: "中文名称", maximum: 100)
            let english = reader.text("english", rows.value(cells, .english), label: "英文名称", maximum: 200)
            for problem in reader.problems { reject(problem.field == "chinese" ? .chinese : .english, problem.chinese) }
            let active = EventTermSheet.active(rows.cell(cells, .status))
            if active == nil { reject(.status, "应为：启用、停用（留空为启用）") }
            report.rejected += problems
            guard problems.isEmpty, let kind, let chinese, let english, let active else { continue }
            planned.append(
                (
                    number,
                    TermChange(model: byCode[code], term: EventTermRecord(code: code, kind: kind, chinese: chinese, english: english, active: active))
                ))
        }
        // One active term a Chinese name, counting the stored terms the sheet leaves as they are.
        var activeNames: [String: (row: Int?, code: String)] = [:]
        for model in stored where model.active && codeRows[model.id ?? ""] == nil { activeNames[model.chinese] = (nil, model.id ?? "") }
        for (row, change) in planned where change.term.active {
            if let other = activeNames[change.term.chinese] {
                let holder = other.row.map { "第 \($0) 行" } ?? "启用中的术语 \(other.code)"
                report.rejected.append(RowProblem(row: row, column: EventTermSheet.Column.chinese.rawValue, reason: "与\(holder)的中文名称相同"))
            } else {
                activeNames[change.term.chinese] = (row, change.term.code)
            }
        }
        report.rejected.sort { ($0.row, $0.column) < ($1.row, $1.column) }
        var changes: [TermChange] = []
        for (_, change) in planned {
            if let model = change.model {
                if record(model) == change.term {
                    report.unchanged += 1
                    continue
                }
                report.updated += 1
            } else {
                report.added += 1
            }
            changes.append(change)
        }
        return (report, report.rejected.isEmpty ? changes : [])
    }
}

extension AdverseEventUseCases {
    /// The reports of the list's filters in the caller's scope as a sheet in the national export's
    /// columns (报告编码 is the national code, or the platform's number), which imports back adding
    /// nothing; then the platform's columns (number, lateness, assessment), which an import leaves
    /// alone. The narrative column only for the roles that read narratives.
    public func export(
        product: String? = nil, seriousness: String? = nil, status: String? = nil, lateOnly: Bool = false, format: CensusUseCases.Format,
        by caller: Caller
    ) async throws -> Data {
        var records: [AdverseEventRecord] = []
        var cursor: String?
        repeat {
            let page = try await list(
                product: product, seriousness: seriousness, status: status, lateOnly: lateOnly, limit: 1_000, cursor: cursor, by: caller)
            records += page.items
            cursor = page.next
        } while cursor != nil && records.count < 200_000
        let confidential = caller.may(.readAdverseEventNarratives)
        let columns = AdverseEventSheet.Column.allCases.filter { confidential || $0 != .narrative }
        var rows = [columns.map(\.rawValue) + ["平台编号", "报告来源", "法定时限", "是否迟报", "评价状态", "关联性评价"]]
        rows.reserveCapacity(records.count + 1)
        for record in records {
            let cells = columns.map { column -> String in
                switch column {
                case .code: record.nationalCode ?? record.number
                case .certificate: record.certificate ?? ""
                case .udiDI: record.udiDI ?? ""
                case .lot: record.lot ?? ""
                case .serial: record.serial ?? ""
                case .eventOn: record.eventOn.description
                case .awareOn: record.awareOn.description
                case .awareTime: record.awareTime ?? ""
                case .reportedAt: String(ShanghaiTime.dateTime(record.submittedAt).prefix(16))
                case .seriousness: record.seriousness.label
                case .outcome: record.outcome.label
                case .terms: record.terms.map(\.chinese).joined(separator: "、")
                case .reporterKind: record.reporterKind.label
                case .reporterName: record.reporterName
                case .narrative: record.narrative ?? ""
                }
            }
            rows.append(
                cells + [
                    record.number, record.source.label, record.due ?? "", record.late ? "迟报" : "", record.status.label, record.causality?.label ?? "",
                ])
        }
        return try CensusSheets.file(rows, sheetName: "不良事件报告", format: format)
    }
}
