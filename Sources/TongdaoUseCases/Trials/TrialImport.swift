import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

/// Importing and exporting the trial registry's sheets (institutions, investigators, trials with
/// their sites) the census's way: every row checked by the rules a single write obeys, rejected
/// rows named by row and column in Chinese, all rows or none, a re-import of the same sheet
/// changing nothing. One `trial_registry.import` audit row records what an import wrote.
extension TrialUseCases {
    public typealias Progress = @Sendable (_ phase: String, _ done: Int, _ total: Int) -> Void

    /// Reads a sheet (XLSX, or CSV in UTF-8 or GB18030), checks every row against the rules and the
    /// caller's scope, and unless `dryRun` or a row is rejected writes it: in one transaction, or nothing.
    public func importFile(
        _ data: Data, sheet: TrialSheet, dryRun: Bool, by caller: Caller, progress: Progress? = nil
    ) async throws -> TrialImportReport {
        try caller.require(sheet == .trials ? .writeTrials : .writeTrialRegistry)
        if sheet == .trials, case .institution = caller.filter { throw UseCaseError.forbidden(.writeTrials, role: caller.role) }
        guard !data.isEmpty else {
            throw UseCaseError.malformed([FieldProblem("body", "is required: the sheet (CSV or XLSX)", chinese: "请上传\(sheet.label)表（CSV 或 XLSX）")])
        }
        return try await platform.imports.run {
            let table = try CensusSheets.table(of: data, isUsableHeader: sheet.isUsableHeader)
            progress?("读取", table.count, table.count)
            let (rows, headerProblems) = sheet.read(table)
            guard let rows else { return TrialImportReport(sheet: sheet, dryRun: dryRun, rejected: headerProblems) }
            let districts = try await RegionQueries.list(on: platform.database).filter { $0.level == .district }
            let context = SheetContext(
                caller: caller, today: platform.clock.today(), now: platform.clock.now(),
                districts: Dictionary(districts.flatMap { [($0.code, $0.code), ($0.name, $0.code)] }, uniquingKeysWith: { first, _ in first }),
                dryRun: dryRun, progress: progress)
            if dryRun {
                return try await plan(rows, context: context, on: platform.database).report
            }
            do {
                return try await platform.write(by: caller) { write in
                    // A large sheet of trials writes its new trials in bulk while it is checked.
                    try await TrialStore.writingInBulk(if: sheet == .trials && rows.rows.count >= 20_000, on: write.db) {
                        let plan = try await plan(rows, context: context, on: write.db, writing: write)
                        guard plan.report.rejected.isEmpty else { throw RejectedSheet(report: plan.report) }
                        var report = plan.report
                        if plan.writes {
                            try await plan.apply(write)
                            try await write.audit(
                                "trial_registry.import", entityType: "trial_registry", entityID: sheet.rawValue, before: nil,
                                after: try Audit.json([
                                    "sheet": sheet.rawValue, "rows": String(report.rowsRead), "added": String(report.added),
                                    "updated": String(report.updated),
                                ]))
                            progress?("提交", 1, 1)
                        }
                        report.committed = true
                        return report
                    }
                }
            } catch let rejected as RejectedSheet {
                return rejected.report
            }
        }
    }

    /// A sheet uploaded on the page: checked as a dry run, and kept for its confirmation when no row
    /// is rejected (one `trial_registry.upload` audit row). Returns the report and the kept upload.
    public func stageUpload(_ data: Data, filename: String, sheet: TrialSheet, by caller: Caller) async throws -> (
        report: TrialImportReport, upload: UUID?
    ) {
        let report = try await importFile(data, sheet: sheet, dryRun: true, by: caller)
        guard report.rejected.isEmpty, let username = caller.username else { return (report, nil) }
        let id = try await platform.write(by: caller) { write in
            let id = try await TrialStore.stageUpload(sheet, username: username, filename: filename, content: data, now: write.now, on: write.db)
            try await write.audit(
                "trial_registry.upload", entityType: "trial_upload", entityID: id.uuidString, before: nil,
                after: try Audit.json(["sheet": sheet.rawValue, "filename": filename, "bytes": String(data.count)]))
            return id
        }
        return (report, id)
    }

    /// Imports a kept upload of the caller's own (anyone else's is the same as none), all rows or
    /// none; a committed upload is removed. Returns the report, the sheet, the file's name and the
    /// upload while it is still kept.
    public func commitUpload(id: UUID, by caller: Caller) async throws -> (
        report: TrialImportReport, filename: String, upload: UUID?
    ) {
        guard let username = caller.username, let upload = try await TrialStore.upload(id: id, of: username, on: platform.database) else {
            throw UseCaseError.notFound(.upload)
        }
        let report = try await importFile(upload.content, sheet: upload.sheet, dryRun: false, by: caller)
        if report.committed { try await upload.delete(on: platform.database) }
        return (report, upload.filename, report.committed ? nil : id)
    }

    /// A sheet of the caller's scope as a file that imports back unchanged.
    public func export(_ sheet: TrialSheet, format: CensusSheets.Format, by caller: Caller) async throws -> Data {
        try caller.require(.readTrials)
        let db = platform.database
        // The trials sheet names the institutions of every site its trials have; the others the caller's own.
        let institutions = try await TrialStore.institutionsByCode(scope: sheet == .trials ? .everything : caller.filter, on: db)
        let codes = Dictionary(institutions.values.map { ($0.id ?? UUID(), $0.code) }, uniquingKeysWith: { first, _ in first })
        var rows = [sheet.columns.map(\.rawValue)]
        switch sheet {
        case .institutions:
            let specialties = try await TrialStore.specialties(of: Array(codes.keys), on: db)
            for institution in institutions.values.sorted(by: { ($0.name, $0.code) < ($1.name, $1.code) }) {
                let filed = (specialties[institution.id ?? UUID()] ?? []).map { (name: $0.name, filedOn: $0.filedOn) }
                rows.append(
                    sheet.columns.map { column in
                        switch column {
                        case .institutionName: institution.name
                        case .institutionCode: institution.code
                        case .district: institution.district.flatMap { ReferenceData.label(of: .district($0)) } ?? ""
                        case .province: institution.province
                        case .grade: institution.grade.label
                        case .drugFilingNumber: institution.drugFilingNumber ?? ""
                        case .drugFiledOn: institution.drugFiledOn ?? ""
                        case .deviceFilingNumber: institution.deviceFilingNumber ?? ""
                        case .deviceFiledOn: institution.deviceFiledOn ?? ""
                        case .specialties: TrialSheet.specialtiesCell(filed)
                        default: ""
                        }
                    })
            }
        case .investigators:
            for investigator in try await TrialStore.investigators(ofInstitutions: Array(codes.keys), on: db) {
                rows.append(
                    sheet.columns.map { column in
                        switch column {
                        case .investigatorID: investigator.id?.uuidString ?? ""
                        case .investigatorName: investigator.name
                        case .institutionCode: codes[investigator.$institution.id] ?? ""
                        case .specialty: investigator.specialty
                        case .title: investigator.title
                        case .senior: TrialSheet.yesNo(investigator.senior)
                        case .earlierTrials: String(investigator.earlierTrials)
                        case .gcpTrainedOn: investigator.gcpTrainedOn ?? ""
                        default: ""
                        }
                    })
            }
        case .trials:
            let trials = try await TrialStore.export(scope: caller.filter, on: db)
            let people = try await TrialStore.investigatorNames(of: trials.flatMap { $0.sites.map(\.$investigator.id) }, on: db)
            for (trial, sites) in trials {
                for site in sites.isEmpty ? [nil] : sites.map(Optional.some) {
                    rows.append(
                        sheet.columns.map { column in
                            switch column {
                            case .registrationNumber: trial.registrationNumber
                            case .trialTitle: trial.title
                            case .kind: trial.kind.label
                            case .phase: trial.phase.label
                            case .status: trial.status.label
                            case .sponsor: trial.uscc
                            case .approvedOn: trial.approvedOn ?? ""
                            case .pilot: TrialSheet.yesNo(trial.pilot)
                            case .firstConsentOn: trial.firstConsentOn ?? ""
                            case .deviceClass: trial.deviceClass?.label ?? ""
                            case .innovative: TrialSheet.yesNo(trial.innovative)
                            case .needsApproval: TrialSheet.yesNo(trial.needsApproval)
                            case .institutionCode: site.map { codes[$0.$institution.id] ?? "" } ?? ""
                            case .investigatorID: site?.$investigator.id.uuidString ?? ""
                            case .investigatorName: site.map { people[$0.$investigator.id] ?? "" } ?? ""
                            case .role: site?.role.label ?? ""
                            case .ethicsApprovedOn: site?.ethicsApprovedOn ?? ""
                            case .activatedOn: site?.activatedOn ?? ""
                            case .firstSubjectOn: site?.firstSubjectOn ?? ""
                            case .targetEnrolment: site?.targetEnrolment.map(String.init) ?? ""
                            case .actualEnrolment: site?.actualEnrolment.map(String.init) ?? ""
                            case .closedOn: site?.closedOn ?? ""
                            default: ""
                            }
                        })
                }
            }
        }
        return try CensusSheets.file(rows, sheetName: sheet.label, format: format)
    }

    // MARK: Planning

    private struct SheetContext: Sendable {
        let caller: Caller
        let today: CivilDate
        let now: Date
        /// District names and codes → codes.
        let districts: [String: String]
        let dryRun: Bool
        let progress: Progress?
    }

    /// What an import will write, and the report of it.
    private struct Plan: Sendable {
        var report: TrialImportReport
        var writes: Bool { report.added + report.updated > 0 }
        let apply: @Sendable (Write) async throws -> Void
    }

    private struct RejectedSheet: Error {
        let report: TrialImportReport
    }

    /// What a sheet will write; `write` is the import's transaction (nil for a dry run), which the
    /// trials sheet writes its new trials into while it is still checking the rest.
    private func plan(_ rows: TrialSheet.Rows, context: SheetContext, on db: any Database, writing write: Write? = nil) async throws -> Plan {
        switch rows.sheet {
        case .institutions: try await planInstitutions(rows, context: context, on: db)
        case .investigators: try await planInvestigators(rows, context: context, on: db)
        case .trials: try await planTrials(rows, context: context, on: db, writing: write)
        }
    }

    /// The problems of a row, each in the column its field is.
    private static func rowProblems(_ problems: [FieldProblem], row: Int, sheet: TrialSheet) -> [RowProblem] {
        problems.map { RowProblem(row: row, column: sheet.column(forField: $0.field)?.rawValue ?? "", reason: $0.chinese) }
    }

    private func planInstitutions(_ rows: TrialSheet.Rows, context: SheetContext, on db: any Database) async throws -> Plan {
        let stored = try await TrialStore.institutionsByCode(scope: .everything, on: db)
        let specialties = try await TrialStore.specialties(of: stored.values.compactMap(\.id), on: db)
        var report = TrialImportReport(sheet: .institutions, dryRun: context.dryRun, rowsRead: rows.rows.count)
        var changes: [(CheckedInstitution, TrialInstitutionModel?)] = []
        var seen: [String: Int] = [:]
        for (number, cells) in rows.rows {
            var reader = FieldReader()
            let districtCell = rows.value(cells, .district)
            let filed = TrialSheet.specialties(rows.cell(cells, .specialties))
            if filed == nil {
                reader.problems.append(FieldProblem("specialties", "each is name：date", chinese: "备案专业应写作“专业：YYYY-MM-DD”，以“；”分隔"))
            }
            let input = InstitutionInput(
                name: rows.value(cells, .institutionName), code: rows.value(cells, .institutionCode),
                district: districtCell.map { context.districts[$0] ?? $0 }, province: rows.value(cells, .province),
                grade: rows.value(cells, .grade), drugFilingNumber: rows.value(cells, .drugFilingNumber),
                drugFiledOn: rows.value(cells, .drugFiledOn), deviceFilingNumber: rows.value(cells, .deviceFilingNumber),
                deviceFiledOn: rows.value(cells, .deviceFiledOn),
                specialties: (filed ?? []).map { SpecialtyInput(name: $0.name, filedOn: $0.filedOn) })
            let checked = input.checked(today: context.today, districts: Set(context.districts.values), into: &reader)
            if let code = checked?.code {
                if let first = seen[code] {
                    reader.problems.append(FieldProblem("code", "twice in the sheet", chinese: "机构代码与第 \(first) 行重复"))
                }
                seen[code] = seen[code] ?? number
            }
            let existing = checked.flatMap { stored[$0.code] }
            if let checked, !TrialStore.admitsInstitution(existing?.id ?? UUID(), scope: context.caller.filter) {
                reader.problems.append(FieldProblem("code", "is not an institution you keep", chinese: "机构“\(checked.name)”不在您的权限范围内"))
            }
            guard reader.problems.isEmpty, let checked else {
                report.rejected += Self.rowProblems(reader.problems, row: number, sheet: .institutions)
                continue
            }
            if let existing {
                if CheckedInstitution(existing, specialties: specialties[existing.id ?? UUID()] ?? []) == checked {
                    report.unchanged += 1
                    continue
                }
                report.updated += 1
            } else {
                report.added += 1
            }
            changes.append((checked, existing))
        }
        context.progress?("校验", rows.rows.count, rows.rows.count)
        let planned = changes
        return Plan(report: report) { write in
            for (index, (checked, existing)) in planned.enumerated() {
                let model = existing ?? TrialInstitutionModel()
                checked.set(on: model)
                if existing == nil {
                    model.status = .active
                    model.version = 1
                    try await model.create(on: write.db)
                } else {
                    try await model.updateVersioned(on: write.db)
                }
                _ = try await TrialStore.replaceSpecialties(
                    of: try model.requireID(), with: checked.specialties.map { ($0.name, $0.filedOn) }, on: write.db)
                context.progress?("写入", index + 1, planned.count)
            }
        }
    }

    private func planInvestigators(_ rows: TrialSheet.Rows, context: SheetContext, on db: any Database) async throws -> Plan {
        let institutions = try await TrialStore.institutionsByCode(scope: .everything, on: db)
        let people = try await TrialStore.investigators(ofInstitutions: institutions.values.compactMap(\.id), on: db)
        let byID = Dictionary(people.map { ($0.id ?? UUID(), $0) }, uniquingKeysWith: { first, _ in first })
        let byNameAt = Dictionary(grouping: people, by: { NameAt(name: $0.name, institution: $0.$institution.id) })
        var report = TrialImportReport(sheet: .investigators, dryRun: context.dryRun, rowsRead: rows.rows.count)
        var changes: [(CheckedInvestigator, InvestigatorModel?)] = []
        var seen: [UUID: Int] = [:]
        for (number, cells) in rows.rows {
            var reader = FieldReader()
            let code = rows.value(cells, .institutionCode)
            let institution = code.flatMap { institutions[$0] }
            if code != nil, institution == nil {
                reader.problems.append(FieldProblem("institutionId", "names no institution", chinese: "机构代码未登记（请先导入机构表）"))
            } else if let institution, !TrialStore.admitsInstitution(institution.id ?? UUID(), scope: context.caller.filter) {
                reader.problems.append(FieldProblem("institutionId", "is not an institution you keep", chinese: "该机构不在您的权限范围内"))
            }
            let senior = TrialSheet.yesNo(rows.cell(cells, .senior))
            if senior == nil { reader.problems.append(FieldProblem("senior", "is 是 or 否", chinese: "高级职称应填“是”或“否”")) }
            let earlierCell = rows.cell(cells, .earlierTrials)
            let earlier = earlierCell.isEmpty ? 0 : Int(earlierCell)
            if earlier == nil { reader.problems.append(FieldProblem("earlierTrials", "is a whole number", chinese: "既往承担试验数应为整数")) }
            let input = InvestigatorInput(
                institutionID: institution?.id?.uuidString ?? (code == nil ? nil : UUID().uuidString), name: rows.value(cells, .investigatorName),
                specialty: rows.value(cells, .specialty), title: rows.value(cells, .title), senior: senior ?? false, earlierTrials: earlier,
                gcpTrainedOn: rows.value(cells, .gcpTrainedOn))
            let checked = input.checked(today: context.today, into: &reader)
            // Who the row is: the person of its id, or the one of that name and specialty at the institution.
            var existing: InvestigatorModel?
            if let idCell = rows.value(cells, .investigatorID) {
                let id = UUID(uuidString: idCell)
                var person = id.flatMap { byID[$0] }
                if let id, person == nil { person = try await TrialStore.investigators(ids: [id], on: db)[id] }
                if let person {
                    if let survivor = person.mergedInto {
                        reader.problems.append(
                            FieldProblem("id", "was merged into \(survivor.uuidString)", chinese: "该研究者记录已合并，请使用编号 \(survivor.uuidString)"))
                    } else if TrialStore.admitsInstitution(person.$institution.id, scope: context.caller.filter) {
                        existing = person
                    } else {
                        reader.problems.append(FieldProblem("id", "is not a person you keep", chinese: "该研究者不在您的权限范围内"))
                    }
                } else {
                    reader.problems.append(FieldProblem("id", "names no investigator", chinese: "研究者编号不存在（新研究者请留空）"))
                }
            } else if let checked {
                let namesakes = (byNameAt[NameAt(name: checked.name, institution: checked.institutionID)] ?? []).filter {
                    $0.specialty == checked.specialty
                }
                if namesakes.count > 1 {
                    reader.problems.append(
                        FieldProblem("id", "several people have this name and specialty", chinese: "该机构有多位同名同专业的研究者，请填写研究者编号"))
                }
                existing = namesakes.count == 1 ? namesakes[0] : nil
            }
            if let id = existing?.id {
                if let first = seen[id] { reader.problems.append(FieldProblem("id", "twice in the sheet", chinese: "与第 \(first) 行是同一位研究者")) }
                seen[id] = seen[id] ?? number
            }
            guard reader.problems.isEmpty, let checked else {
                report.rejected += Self.rowProblems(reader.problems, row: number, sheet: .investigators)
                continue
            }
            // Someone else of the name at the institution who matches in another field.
            for other in byNameAt[NameAt(name: checked.name, institution: checked.institutionID)] ?? [] where other.id != existing?.id {
                let matching = LikelyDuplicate.matching(
                    (other.specialty, other.title, other.gcpTrainedOn), (checked.specialty, checked.title, checked.gcpTrainedOn))
                if !matching.isEmpty, let id = other.id {
                    report.likelyDuplicates.append(LikelyDuplicate(row: number, name: checked.name, investigatorID: id, matching: matching))
                }
            }
            if let existing {
                if CheckedInvestigator(existing) == checked {
                    report.unchanged += 1
                    continue
                }
                report.updated += 1
            } else {
                report.added += 1
            }
            changes.append((checked, existing))
        }
        context.progress?("校验", rows.rows.count, rows.rows.count)
        let planned = changes
        return Plan(report: report) { write in
            var moved: Set<UUID> = []
            for (index, (checked, existing)) in planned.enumerated() {
                let model = existing ?? InvestigatorModel()
                checked.set(on: model)
                if existing == nil {
                    model.activeSites = 0
                    model.version = 1
                    try await model.create(on: write.db)
                } else {
                    try await model.updateVersioned(on: write.db)
                    moved.insert(try model.requireID())
                }
                context.progress?("写入", index + 1, planned.count)
            }
            try await TrialStore.keepLoads(of: moved, on: write.db)
        }
    }

    private struct NameAt: Hashable {
        let name: String
        let institution: UUID
    }

    private func planTrials(_ rows: TrialSheet.Rows, context: SheetContext, on db: any Database, writing write: Write?) async throws -> Plan {
        let writer = NewTrials(write, by: context.caller, today: context.today)
        do {
            return try await planTrials(rows, context: context, on: db, newTrials: writer)
        } catch {
            await writer.stop()
            throw error
        }
    }

    private func planTrials(_ rows: TrialSheet.Rows, context: SheetContext, on db: any Database, newTrials: NewTrials) async throws -> Plan {
        let caller = context.caller
        let institutions = try await TrialStore.institutionsByCode(scope: .everything, on: db)
        let numbers = rows.rows.compactMap { rows.value($0.cells, .registrationNumber) }
        let stored = try await TrialStore.trials(registrationNumbers: numbers, on: db)
        let storedSites = try await TrialStore.sites(of: stored.values.compactMap(\.id), on: db)
        let usccs = Set(rows.rows.compactMap { rows.value($0.cells, .sponsor) } + stored.values.map(\.uscc))
        let sponsors = try await EnterpriseStore.find(usccs: usccs, on: db)
        let namedIDs = rows.rows.compactMap { rows.value($0.cells, .investigatorID).flatMap(UUID.init(text:)) }
        var people = try await TrialStore.investigatorRows(ids: namedIDs, on: db)
        // The people of an institution, for the rows that name their PI by name alone.
        let namedAt = Set(
            rows.rows.filter { rows.value($0.cells, .investigatorID) == nil }.compactMap {
                rows.value($0.cells, .institutionCode).flatMap { institutions[$0]?.id }
            })
        let atInstitutions = try await TrialStore.investigators(ofInstitutions: namedAt, on: db)
        for person in atInstitutions { people[try person.requireID()] = try InvestigatorRow(person) }
        let byNameAt = Dictionary(grouping: atInstitutions, by: { NameAt(name: $0.name, institution: $0.$institution.id) })

        var report = TrialImportReport(sheet: .trials, dryRun: context.dryRun, rowsRead: rows.rows.count)
        var groups: [String: TrialChange] = [:]
        var order: [String] = []
        var rejectedTrials: Set<String> = []
        for (number, cells) in rows.rows {
            var reader = FieldReader()
            let pilot = TrialSheet.yesNo(rows.cell(cells, .pilot)), innovative = TrialSheet.yesNo(rows.cell(cells, .innovative))
            let needsApproval = TrialSheet.yesNo(rows.cell(cells, .needsApproval))
            for (field, value, label) in [("pilot", pilot, "30日试点"), ("innovative", innovative, "创新产品"), ("needsApproval", needsApproval, "需审批")]
            where value == nil {
                reader.problems.append(FieldProblem(field, "is 是 or 否", chinese: "\(label)应填“是”或“否”"))
            }
            let input = TrialInput(
                registrationNumber: rows.value(cells, .registrationNumber), title: rows.value(cells, .trialTitle), kind: rows.value(cells, .kind),
                phase: rows.value(cells, .phase), sponsor: rows.value(cells, .sponsor), approvedOn: rows.value(cells, .approvedOn),
                pilot: pilot ?? false, firstConsentOn: rows.value(cells, .firstConsentOn), deviceClass: rows.value(cells, .deviceClass),
                innovative: innovative ?? false, needsApproval: needsApproval ?? false)
            var checked = input.checked(today: context.today, into: &reader)
            let status = rows.value(cells, .status).map { reader.code("status", $0, label: "试验状态", as: TrialStatus.self) }
            let existing = checked.flatMap { stored[$0.registrationNumber] }
            // The product stays as registered: a sheet does not name it.
            if let existing { checked?.productID = existing.$product.id }
            if let checked {
                let sponsor = sponsors[checked.sponsor]
                if sponsor == nil || !caller.admits(sponsor!.location) {
                    reader.problems.append(FieldProblem("sponsor", "names no enterprise in your scope", chinese: "申办者未登记，或不在您的权限范围内"))
                } else if let existing, existing.uscc != checked.sponsor {
                    reader.problems.append(FieldProblem("registrationNumber", "is registered to another sponsor", chinese: "该登记号已登记在其他申办者名下"))
                }
                if let group = groups[checked.registrationNumber], group.trial != checked || group.status != status ?? nil {
                    reader.problems.append(
                        FieldProblem("registrationNumber", "differs from an earlier row of the trial", chinese: "与第 \(group.row) 行的试验信息不一致"))
                }
            }
            // The site, when the row names an institution.
            var site: (CheckedSite, TrialSiteModel?)?
            let code = rows.value(cells, .institutionCode)
            if let checked, reader.problems.isEmpty, let code {
                let institution = institutions[code]
                var investigatorID = rows.value(cells, .investigatorID)
                if investigatorID == nil, let institution, let name = rows.value(cells, .investigatorName) {
                    let namesakes = byNameAt[NameAt(name: name, institution: institution.id ?? UUID())] ?? []
                    if namesakes.count == 1 {
                        investigatorID = namesakes[0].id?.uuidString
                    } else {
                        reader.problems.append(
                            namesakes.isEmpty
                                ? FieldProblem("investigatorId", "names no investigator", chinese: "该机构没有这位研究者（请先导入研究者表）")
                                : FieldProblem("investigatorId", "several people have this name", chinese: "该机构有多位同名研究者，请填写研究者编号"))
                    }
                }
                let kept = existing.flatMap { trial in
                    (storedSites[trial.id ?? UUID()] ?? []).first { $0.$institution.id == institution?.id }
                }
                var targetCell = rows.cell(cells, .targetEnrolment), actualCell = rows.cell(cells, .actualEnrolment)
                for (field, cell, label) in [("targetEnrolment", targetCell, "计划入组例数"), ("actualEnrolment", actualCell, "实际入组例数")]
                where !cell.isEmpty && Int(cell) == nil {
                    reader.problems.append(FieldProblem(field, "is a whole number", chinese: "\(label)应为整数"))
                }
                if !reader.problems.isEmpty { (targetCell, actualCell) = ("", "") }
                let siteInput = SiteInput(
                    institutionID: institution?.id?.uuidString ?? UUID().uuidString, investigatorID: investigatorID,
                    role: rows.value(cells, .role), ethicsApprovedOn: rows.value(cells, .ethicsApprovedOn),
                    activatedOn: rows.value(cells, .activatedOn), firstSubjectOn: rows.value(cells, .firstSubjectOn),
                    targetEnrolment: Int(targetCell), actualEnrolment: Int(actualCell), closedOn: rows.value(cells, .closedOn))
                if reader.problems.isEmpty {
                    let person = investigatorID.flatMap(UUID.init(text:)).flatMap { people[$0] }
                    // The trial as its sites are checked against: as stored, or as the row has it.
                    if let checkedSite = try siteInput.checked(
                        trial: existing?.qualification ?? checked.qualification, institution: institution, investigator: person,
                        kept: kept.map { ($0.$investigator.id, $0.$institution.id, $0.exemption) }, today: context.today, by: caller,
                        into: &reader)
                    {
                        if let earlier = groups[checked.registrationNumber]?.sites.first(where: { $0.site.institutionID == checkedSite.institutionID }
                        ) {
                            reader.problems.append(
                                FieldProblem("institutionId", "the trial has this site twice", chinese: "该试验在这家机构的中心与第 \(earlier.row) 行重复"))
                        }
                        site = (checkedSite, kept)
                    }
                }
            }
            guard reader.problems.isEmpty, let checked else {
                report.rejected += Self.rowProblems(reader.problems, row: number, sheet: .trials)
                if let number = checked?.registrationNumber { rejectedTrials.insert(number) }
                await newTrials.stop()
                continue
            }
            if groups[checked.registrationNumber] == nil {
                order.append(checked.registrationNumber)
                groups[checked.registrationNumber] = TrialChange(
                    row: number, trial: checked, status: status ?? nil, existing: existing, sponsor: sponsors[checked.sponsor]!)
            }
            if let site { groups[checked.registrationNumber]?.sites.append((number, site.0, site.1)) }
            if existing == nil, let group = groups[checked.registrationNumber] { try await newTrials.add(group, site: site?.0) }
        }
        try await newTrials.finish()
        // What changes: a trial, each of its sites.
        var planned: [TrialChange] = []
        for number in order where !rejectedTrials.contains(number) {
            guard var change = groups[number] else { continue }
            if let existing = change.existing {
                let same = CheckedTrial(existing) == change.trial && (change.status == nil || change.status == existing.status)
                change.trialChanges = !same
                if same { report.unchanged += 1 } else { report.updated += 1 }
            } else {
                report.added += 1
            }
            change.sites = change.sites.filter { entry in
                guard let stored = entry.stored else {
                    report.added += 1
                    return true
                }
                if entry.site.matches(stored) {
                    report.unchanged += 1
                    return false
                }
                report.updated += 1
                return true
            }
            if change.existing == nil || change.trialChanges || !change.sites.isEmpty { planned.append(change) }
        }
        context.progress?("校验", rows.rows.count, rows.rows.count)
        let changes = planned
        return Plan(report: report) { write in
            var touched: Set<UUID> = []
            // New trials and their sites are written already (`NewTrials`); changes to stored
            // trials go a row at a time, after their timelines.
            for (index, change) in changes.enumerated() {
                for entry in change.sites { touched.insert(entry.site.investigatorID) }
                guard let model = change.existing else { continue }
                let before = model.status
                try change.trial.set(on: model, sponsor: change.sponsor)
                if let status = change.status { model.status = status }
                if change.trialChanges { try await model.updateVersioned(on: write.db) }
                if let status = change.status, status != before {
                    try await TrialStore.append(
                        .statusChanged, to: try model.requireID(), on: context.today, status: status, recordedBy: caller.audit.name,
                        at: write.now, on: write.db)
                }
                let trialID = try model.requireID()
                for (_, checked, stored) in change.sites {
                    let site = stored ?? TrialSiteModel()
                    if let stored { touched.insert(stored.$investigator.id) }
                    site.$trial.id = trialID
                    checked.set(on: site, by: caller)
                    if stored == nil {
                        site.version = 1
                        try await site.create(on: write.db)
                    } else {
                        try await site.updateVersioned(on: write.db)
                    }
                    try await TrialStore.append(
                        stored == nil ? .siteAdded : .siteChanged, to: trialID, on: context.today, site: try site.requireID(),
                        recordedBy: caller.audit.name, at: write.now, on: write.db)
                }
                context.progress?("写入", index + 1, changes.count)
            }
            try await TrialStore.keepLoads(of: touched, on: write.db)
        }
    }

    /// The new trials of an imported sheet, their sites and the start of their timelines (registered,
    /// then each site added), written in bulk while the rest of the sheet is still being checked: a
    /// few thousand rows at a time, so the database writes while the checks run. Only in an import's
    /// transaction (none for a dry run); once a row is rejected nothing more is sent, and the
    /// rejection rolls back what was.
    private final class NewTrials {
        private let write: Write?
        private let caller: Caller
        private let today: CivilDate
        /// Rows gathered before they are sent: few for the first batch, so the database starts soon.
        private var chunk = 1_000
        /// Each new trial's id and the sites it has so far.
        private var written: [String: (id: UUID, sites: Int)] = [:]
        private var trials: [TrialModel] = [], sites: [TrialSiteRow] = [], events: [TrialEventRow] = []
        private var sending: Task<Void, any Error>?
        /// Whether a row was rejected: nothing more is gathered or sent.
        private var halted = false

        init(_ write: Write?, by caller: Caller, today: CivilDate) {
            self.write = write
            self.caller = caller
            self.today = today
        }

        /// A row of a new trial, accepted: the trial with its first row, and the row's site.
        func add(_ change: TrialChange, site: CheckedSite?) async throws {
            guard let write, !halted else { return }
            let number = change.trial.registrationNumber
            if written[number] == nil {
                let model = TrialModel()
                try change.trial.set(on: model, sponsor: change.sponsor)
                model.id = TrialStore.newID(now: write.now)
                model.status = change.status ?? (change.trial.firstConsentOn == nil ? .approved : .recruiting)
                model.version = 1
                trials.append(model)
                events.append(
                    TrialEventRow(
                        .registered, trial: try model.requireID(), sequence: 1, on: change.trial.approvedOn.flatMap(CivilDate.init) ?? today,
                        status: model.status, recordedBy: caller.audit.name, at: write.now))
                written[number] = (try model.requireID(), 0)
            }
            if let site, let trial = written[number] {
                let row = site.row(trial: trial.id, by: caller, now: write.now)
                sites.append(row)
                events.append(
                    TrialEventRow(
                        .siteAdded, trial: trial.id, sequence: trial.sites + 2, on: today, site: row.id, recordedBy: caller.audit.name,
                        at: write.now))
                written[number]?.sites += 1
            }
            if sites.count + trials.count >= chunk { try await send() }
        }

        /// Sends what is gathered, once the last batch is in.
        private func send() async throws {
            guard let write, !halted else { return }
            try await sending?.value
            // The sites by PI: the PI index of a million sites then takes each batch in order.
            let batch = (trials, sites.sorted { $0.investigator < $1.investigator }, events)
            (trials, sites, events) = ([], [], [])
            chunk = 5_000
            let db = write.db, now = write.now
            sending = Task { try await TrialStore.insertInBulk(trials: batch.0, sites: batch.1, events: batch.2, now: now, on: db) }
        }

        /// Sends the rest (nothing once stopped) and waits for every batch.
        func finish() async throws {
            try await send()
            try await sending?.value
            sending = nil
        }

        /// Sends nothing more and waits for the batch on its way (the transaction rolls back after):
        /// at the first rejected row, or when the planning fails.
        func stop() async {
            halted = true
            _ = try? await sending?.value
            sending = nil
        }
    }

    /// A trial of a sheet and its sites, as planned.
    private struct TrialChange: @unchecked Sendable {
        /// The first row of the trial.
        let row: Int
        let trial: CheckedTrial
        let status: TrialStatus?
        let existing: TrialModel?
        let sponsor: EnterpriseModel
        var trialChanges = false
        var sites: [(row: Int, site: CheckedSite, stored: TrialSiteModel?)] = []

        init(row: Int, trial: CheckedTrial, status: TrialStatus?, existing: TrialModel?, sponsor: EnterpriseModel) {
            self.row = row
            self.trial = trial
            self.status = status
            self.existing = existing
            self.sponsor = sponsor
        }
    }
}
