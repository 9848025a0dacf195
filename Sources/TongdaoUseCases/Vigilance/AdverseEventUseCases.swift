import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

/// Adverse-event reports (issue 19 item 2): filed by the registrant on its own marketed products or
/// by a medical institution's office (the trial institutions' role, scoped to the institution), on
/// the reporting clock of `ReportingDeadline`; a late one is marked late and counts on the
/// reporter's credit file. Follow-ups and the regulator's causality assessment are timeline events.
public struct AdverseEventUseCases: Sendable {
    let platform: Platform

    public static let maximumTerms = 10

    // MARK: Reads

    /// Reports in the caller's scope, newest first.
    public func list(
        product: String? = nil, seriousness: String? = nil, status: String? = nil, lateOnly: Bool = false, limit: Int = 50, cursor: String? = nil,
        by caller: Caller
    ) async throws -> Page<AdverseEventRecord> {
        try caller.require(.readAdverseEvents)
        var reader = FieldReader()
        let product = reader.id("product", product, label: "产品", required: false)
        let seriousness = reader.code("seriousness", seriousness, label: "严重程度", as: EventSeriousness.self, required: false)
        let status = reader.code("status", status, label: "评价状态", as: ReportStatus.self, required: false)
        guard reader.problems.isEmpty else { throw UseCaseError.malformed(reader.problems) }
        let filter = AdverseEventStore.Filter(product: product, seriousness: seriousness, status: status, lateOnly: lateOnly)
        let page = try await AdverseEventStore.list(filter, scope: caller.filter, limit: limit, after: try Cursor.id(cursor), on: platform.database)
        return Page(
            items: try await records(page.rows, withTimeline: false, by: caller, on: platform.database),
            next: page.more ? page.rows.last?.id.map { PageCursor(id: $0).token } : nil)
    }

    /// One report in the caller's scope, with its timeline.
    public func detail(id: UUID, by caller: Caller) async throws -> AdverseEventRecord {
        try caller.require(.readAdverseEvents)
        guard let model = try await AdverseEventStore.find(id: id, scope: caller.filter, on: platform.database) else {
            throw UseCaseError.notFound(.adverseEvent)
        }
        return try await records([model], withTimeline: true, by: caller, on: platform.database)[0]
    }

    /// A product's trend report over its last `months` months (the regulator's side, and the
    /// registrant on its own product; anyone else does not find the product).
    public func trend(product id: UUID, months: Int = 24, by caller: Caller) async throws -> TrendReportRecord {
        try caller.require(.readAdverseEvents)
        let db = platform.database
        guard let product = try await ProductStore.find(id: id, scope: caller.filter, on: db) else { throw UseCaseError.notFound(.product) }
        let today = platform.clock.today()
        guard let last = YearMonth(year: today.year, month: today.month), let first = last.adding(months: -(max(1, min(months, 120)) - 1)),
            let history = first.adding(months: -12), let since = CivilDate(year: history.year, month: history.month, day: 1),
            let start = CivilDate(year: first.year, month: first.month, day: 1)
        else { throw UseCaseError.malformed([FieldProblem("months", "is out of range", chinese: "月份数超出范围")]) }
        // The window's figures, and the year before it for the first months' bands.
        let monthly = try await AdverseEventStore.monthly(product: id, since: since, on: db)
        let byMonth = monthly.reduce(into: [YearMonth: Int]()) { $0[$1.month, default: 0] += $1.count }
        let window = monthly.filter { $0.month >= first }
        let byTerm = try await AdverseEventStore.termCounts(of: id, since: start, on: db)
        let terms = try await TermNames.read(on: db)
        let signals =
            caller.may(.readSignals)
            ? try await platform.signals.list(by: caller).filter { $0.level == .product && $0.subject == id.uuidString } : []
        let registrant = try await EnterpriseModel.find(product.$enterprise.id, on: db)?.name ?? product.uscc
        return TrendReportRecord(
            productID: id, productName: product.name, registrant: registrant, certificate: try await AdverseEventStore.certificate(of: id, on: db),
            generatedOn: today, trend: ReportTrend(counts: byMonth, first: first, last: last, historyFrom: byMonth.keys.min()),
            total: window.reduce(0) { $0 + $1.count }, late: window.filter(\.late).reduce(0) { $0 + $1.count },
            bySeriousness: EventSeriousness.allCases.compactMap { seriousness in
                let n = window.filter { $0.seriousness == seriousness }.reduce(0) { $0 + $1.count }
                return n > 0 ? (seriousness, n) : nil
            },
            topTerms: byTerm.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(10).map { code, count in
                (terms[code], count)
            }, signals: signals)
    }

    /// The dashboard's vigilance panel for whoever reads the dashboard (`product.read`): the last
    /// twelve months' reports in the caller's scope by month and seriousness, the late ones, the
    /// conditional-approval obligations overdue, and the open signals for the roles that read signals. Counts only; narrowed to a district of the
    /// caller's scope as the dashboard is.
    public func panel(district: String? = nil, by caller: Caller) async throws -> VigilancePanelRecord {
        let scope = try await platform.dashboard.liveScope(district: district, by: caller)
        let today = platform.clock.today()
        guard let last = YearMonth(year: today.year, month: today.month), let first = last.adding(months: -11),
            let since = CivilDate(year: first.year, month: first.month, day: 1)
        else { throw UseCaseError.malformed([]) }
        let rows = try await AdverseEventStore.monthly(scope: scope, since: since, on: platform.database)
        var byMonth: [YearMonth: [EventSeriousness: Int]] = [:]
        for row in rows { byMonth[row.month, default: [:]][row.seriousness, default: 0] += row.count }
        let months = (0..<12).compactMap { first.adding(months: $0) }.map { ($0, byMonth[$0] ?? [:]) }
        let openSignals =
            caller.may(.readSignals)
            ? try await platform.signals.list(by: caller).filter { $0.status == .new || $0.status == .underAssessment }.count : nil
        return VigilancePanelRecord(
            months: months, reports: rows.reduce(0) { $0 + $1.count },
            serious: rows.filter { $0.seriousness != .nonSerious }.reduce(0) { $0 + $1.count },
            late: rows.filter(\.late).reduce(0) { $0 + $1.count }, openSignals: openSignals,
            overdueObligations: try await platform.obligations.overdueCount(scope: scope))
    }

    /// The controlled term list (the active terms unless all are asked for).
    public func terms(includingRetired: Bool = false) async throws -> [EventTermRecord] {
        try await AdverseEventStore.terms(includingRetired: includingRetired, on: platform.database).map(Self.record)
    }

    /// The marketed products a caller may report on: a registrant its own, the regulator and a
    /// medical institution every one.
    public func reportableProducts(by caller: Caller) async throws -> [(id: UUID, name: String, model: String, certificate: String)] {
        try caller.require(.reportAdverseEvents)
        return try await AdverseEventStore.marketedProducts(scope: productScope(of: caller), on: platform.database)
    }

    // MARK: Writes

    /// Files a report: the product found (by id, UDI-DI, certificate or scanned label), the facts
    /// checked, the deadline computed and lateness decided at this moment; report, terms, timeline
    /// and audit in one transaction.
    public func file(_ input: AdverseEventInput, source: ReportSource = .platform, by caller: Caller) async throws -> AdverseEventRecord {
        try caller.require(.reportAdverseEvents)
        let today = platform.clock.today()
        var reader = FieldReader()
        let eventOn = reader.anyDay("eventOn", input.eventOn, label: "事件发生日期", required: true)
        let awareOn = reader.anyDay("awareOn", input.awareOn, label: "获知日期", required: true)
        var awareMinute: Int?
        if let text = input.awareTime?.trimmingWhitespace(), !text.isEmpty {
            awareMinute = AdverseEventFacts.minute(of: text)
            if awareMinute == nil { reader.problems.append(FieldProblem("awareTime", "must be a time HH:mm", chinese: "获知时间应为时间（HH:mm）")) }
        }
        let seriousness = reader.code("seriousness", input.seriousness, label: "严重程度", as: EventSeriousness.self)
        let outcome = reader.code("outcome", input.outcome, label: "患者结局", as: PatientOutcome.self)
        let narrative = reader.text("narrative", input.narrative, label: "事件经过描述", maximum: 5_000)
        var lot = reader.text("lot", input.lot, label: "批号", maximum: 20, required: false)
        var serial = reader.text("serial", input.serial, label: "序列号", maximum: 20, required: false)
        var labelDI: String?
        if let text = input.label, !text.trimmingWhitespace().isEmpty {
            switch GS1ElementString.parse(text, today: today) {
            case .success(let read):
                labelDI = read.deviceIdentifier
                if labelDI == nil {
                    reader.problems.append(FieldProblem("label", "carries no device identifier (01)", chinese: "条码中没有产品标识 (01)"))
                }
                lot = lot ?? read.lot
                serial = serial ?? read.serial
            case .failure(let problem):
                reader.problems.append(FieldProblem("label", "cannot be read: \(problem.message)", chinese: "条码无法识别：\(problem.message)"))
            }
        }
        let termCodes = try await checkedTerms(input.terms, reader: &reader)
        var problems = reader.problems
        if let eventOn, let awareOn, let seriousness, let outcome {
            problems += AdverseEventFacts(eventOn: eventOn, awareOn: awareOn, awareMinute: awareMinute, seriousness: seriousness, outcome: outcome)
                .problems(submittedAt: platform.clock.now())
        }
        let found = try await product(input, labelDI: labelDI, by: caller, problems: &problems)
        let reporter = try await reporter(of: caller, registrant: found?.product)
        return try await platform.write(by: caller, upsert: true) { [problems, awareMinute, lot, serial] write in
            guard problems.isEmpty, let eventOn, let awareOn, let seriousness, let outcome, let narrative, let found else {
                throw UseCaseError.invalid(problems)
            }
            let new = AdverseEventStore.NewReport(
                number: try await AdverseEventStore.nextNumber(year: ShanghaiTime.day(of: write.now).year, on: write.db),
                productID: try found.product.requireID(), productName: found.product.name, enterpriseID: found.product.$enterprise.id,
                uscc: found.product.uscc, district: found.product.district, park: found.product.park, certificate: found.certificate,
                udiDI: found.di, lot: lot, serial: serial, reporterKind: reporter.kind, reporterInstitutionID: reporter.institution,
                reporterName: reporter.name, eventOn: eventOn, awareOn: awareOn, awareMinute: awareMinute, seriousness: seriousness,
                outcome: outcome, terms: termCodes, narrative: narrative, submittedAt: write.now, source: source, submittedBy: caller.audit.name)
            let report = try await AdverseEventStore.insert(new, on: write.db)
            let id = try report.requireID()
            try await write.audit(
                "adverse_event.report", entityType: "adverse_event", entityID: id.uuidString, before: nil,
                after: try Audit.json([
                    "number": report.number, "product": report.productName, "seriousness": seriousness.rawValue, "late": report.late ? "yes" : "no",
                    "terms": termCodes.joined(separator: ","),
                ]))
            return try await records([report], withTimeline: true, by: caller, on: write.db)[0]
        }
    }

    /// A follow-up (补充报告): its text on the timeline, and the patient's outcome when it changed. The
    /// reporter, the registrant of the product, or the regulator.
    public func followUp(id: UUID, text: String?, outcome: String?, by caller: Caller) async throws -> AdverseEventRecord {
        try caller.require(.reportAdverseEvents)
        var reader = FieldReader()
        let text = reader.text("text", text, label: "随访内容", maximum: 5_000)
        let outcome = reader.code("outcome", outcome, label: "患者结局", as: PatientOutcome.self, required: false)
        let problems = reader.problems
        return try await platform.write(by: caller) { write in
            guard let report = try await AdverseEventStore.find(id: id, scope: caller.filter, on: write.db) else {
                throw UseCaseError.notFound(.adverseEvent)
            }
            guard problems.isEmpty, let text else { throw UseCaseError.invalid(problems) }
            let before = report.outcome
            var detail = text
            if let outcome, outcome.rawValue != report.outcome {
                report.outcome = outcome.rawValue
                detail = "患者结局改为“\(outcome.label)”。" + text
            }
            try await report.updateVersioned(on: write.db, always: true)
            try await AdverseEventStore.addTimeline(.followUp, to: id, detail: detail, by: caller.audit.name, at: write.now, on: write.db)
            try await write.audit(
                "adverse_event.follow_up", entityType: "adverse_event", entityID: id.uuidString, before: try Audit.json(["outcome": before]),
                after: try Audit.json(["outcome": report.outcome]))
            return try await records([report], withTimeline: true, by: caller, on: write.db)[0]
        }
    }

    /// The regulator's causality assessment (关联性评价), on the version it read.
    public func assess(id: UUID, causality: String?, note: String?, expecting version: Int?, by caller: Caller) async throws -> AdverseEventRecord {
        try caller.require(.assessAdverseEvents)
        let today = platform.clock.today()
        var reader = FieldReader()
        let causality = reader.code("causality", causality, label: "关联性评价", as: Causality.self)
        let note = reader.text("note", note, label: "评价意见", maximum: 2_000, required: false)
        let problems = reader.problems
        return try await platform.write(by: caller) { write in
            guard let report = try await AdverseEventStore.find(id: id, scope: caller.filter, on: write.db) else {
                throw UseCaseError.notFound(.adverseEvent)
            }
            try report.check(basedOn: version, .adverseEvent)
            guard problems.isEmpty, let causality else { throw UseCaseError.invalid(problems) }
            let before = try Audit.json(["status": report.status, "causality": report.causality ?? ""])
            report.status = ReportStatus.assessed.rawValue
            report.causality = causality.rawValue
            report.assessmentNote = note
            report.assessedBy = caller.audit.name
            report.assessedOn = today.description
            try await report.updateVersioned(on: write.db)
            try await AdverseEventStore.addTimeline(.assessed, to: id, detail: causality.label, by: caller.audit.name, at: write.now, on: write.db)
            try await write.audit(
                "adverse_event.assess", entityType: "adverse_event", entityID: id.uuidString, before: before,
                after: try Audit.json(["status": report.status, "causality": causality.rawValue]))
            return try await records([report], withTimeline: true, by: caller, on: write.db)[0]
        }
    }

    // MARK: Parts

    /// The scope a caller finds products to report on in: a registrant its own; a medical
    /// institution and the regulator every marketed product.
    func productScope(of caller: Caller) -> ScopeFilter {
        if case .institution = caller.filter { return .everything }
        return caller.filter
    }

    /// The terms read against the active list: codes (or the Chinese) kept in order, each at most once.
    private func checkedTerms(_ values: [String], reader: inout FieldReader) async throws -> [String] {
        let active = try await Self.activeTermCodes(on: platform.database)
        var codes: [String] = []
        for (index, value) in values.map({ $0.trimmingWhitespace() }).enumerated() where !value.isEmpty {
            guard let code = active[value] else {
                reader.problems.append(
                    FieldProblem("terms[\(index)]", "is not a term of the list", chinese: "“\(value)”不是事件术语表中的术语"))
                continue
            }
            if !codes.contains(code) { codes.append(code) }
        }
        if codes.isEmpty, !reader.problems.contains(where: { $0.field.hasPrefix("terms") }) {
            reader.problems.append(FieldProblem("terms", "needs at least one term", chinese: "请至少选择一个事件术语"))
        }
        if codes.count > Self.maximumTerms {
            reader.problems.append(
                FieldProblem("terms", "must be at most \(Self.maximumTerms)", chinese: "事件术语不能超过 \(Self.maximumTerms) 个"))
        }
        return codes
    }

    /// The active terms by code and by Chinese name (a code first: a name never hides one), each to
    /// its code: how a report, typed or imported, names its terms.
    static func activeTermCodes(on db: any Database) async throws -> [String: String] {
        var codes: [String: String] = [:]
        let terms = try await AdverseEventStore.terms(on: db)
        for code in terms.compactMap(\.id) { codes[code] = code }
        for term in terms { if let code = term.id { codes[term.chinese] = codes[term.chinese] ?? code } }
        return codes
    }

    /// The product a report names, found in what the caller may report on, with its certificate
    /// and DI; every way of naming it must agree.
    private func product(
        _ input: AdverseEventInput, labelDI: String?, by caller: Caller, problems: inout [FieldProblem]
    ) async throws -> (product: ProductModel, certificate: String, di: String?)? {
        let db = platform.database
        var candidates: [(field: String, id: UUID)] = []
        var di: String?
        for (field, value) in [("udiDI", input.udiDI?.trimmingWhitespace()), ("label", labelDI)] {
            guard let value, !value.isEmpty else { continue }
            if GTIN.hasWrongCheckDigit(value) {
                problems.append(FieldProblem(field, "has a wrong check digit", chinese: "产品标识（UDI-DI）校验位错误：\(value)"))
                continue
            }
            guard let row = try await AdverseEventStore.identifier(value, on: db) else {
                problems.append(FieldProblem(field, "names no product's UDI-DI", chinese: "没有上市产品登记了产品标识 \(value)"))
                continue
            }
            di = value
            candidates.append((field, row.productID))
        }
        if let text = input.certificate?.trimmingWhitespace(), !text.isEmpty {
            if let id = try await AdverseEventStore.product(certificate: text, on: db) {
                candidates.append(("certificate", id))
            } else {
                problems.append(FieldProblem("certificate", "names no approved product", chinese: "没有产品持有注册证 \(text)"))
            }
        }
        if let text = input.product?.trimmingWhitespace(), !text.isEmpty {
            if let id = UUID(text: text) {
                candidates.append(("product", id))
            } else {
                problems.append(FieldProblem("product", "must be an id", chinese: "产品无效"))
            }
        }
        guard let first = candidates.first else {
            if !problems.contains(where: { ["udiDI", "label", "certificate", "product"].contains($0.field) }) {
                problems.append(
                    FieldProblem("product", "is required: a product, a UDI-DI, a certificate or a scanned label", chinese: "请选择产品，或填写产品标识、注册证号，或扫描标签")
                )
            }
            return nil
        }
        if let other = candidates.first(where: { $0.id != first.id }) {
            problems.append(FieldProblem(other.field, "names another product than \(first.field)", chinese: "与其他方式指明的产品不一致"))
            return nil
        }
        guard let marketed = try await AdverseEventStore.marketed(product: first.id, scope: productScope(of: caller), on: db) else {
            problems.append(
                FieldProblem(first.field, "names no marketed product you may report on", chinese: "没有该上市产品（已取得注册证），或不在您的权限范围内"))
            return nil
        }
        return (marketed.product, marketed.certificate, di)
    }

    /// Who reports: a medical institution's office reports as its institution; anyone else as (or
    /// for) the registrant.
    private func reporter(of caller: Caller, registrant: ProductModel?) async throws -> (kind: ReporterKind, institution: UUID?, name: String) {
        if case .institution(let id) = caller.filter {
            let name = try await TrialInstitutionModel.find(id, on: platform.database)?.name ?? "医疗机构"
            return (.institution, id, name)
        }
        guard let registrant else { return (.registrant, nil, "") }
        let name = try await EnterpriseModel.find(registrant.$enterprise.id, on: platform.database)?.name ?? registrant.uscc
        return (.registrant, nil, name)
    }

    static func record(_ model: EventTermModel) -> EventTermRecord {
        EventTermRecord(
            code: model.id ?? "", kind: EventTermKind(rawValue: model.kind) ?? .device, chinese: model.chinese, english: model.english,
            active: model.active)
    }

    func records(_ models: [AdverseEventReportModel], withTimeline: Bool, by caller: Caller, on db: any Database) async throws
        -> [AdverseEventRecord]
    {
        let confidential = caller.may(.readAdverseEventNarratives)
        let terms = try await TermNames.read(on: db)
        let enterprises = try await EnterpriseModel.query(on: db).filter(\.$id ~~ Set(models.map(\.enterpriseID))).all()
        let registrants = Dictionary(enterprises.compactMap { model in model.id.map { ($0, model.name) } }, uniquingKeysWith: { a, _ in a })
        var timelines: [UUID: [AdverseEventTimelineModel]] = [:]
        if withTimeline {
            for model in models { timelines[try model.requireID()] = try await AdverseEventStore.timeline(of: try model.requireID(), on: db) }
        }
        let actors = models.flatMap { [$0.submittedBy] + ($0.assessedBy.map { [$0] } ?? []) } + timelines.values.flatMap { $0.map(\.actor) }
        let names = try await People.labels(usernames: [], actors: actors, on: db)
        return try models.map { model in
            let id = try model.requireID()
            let seriousness = EventSeriousness(rawValue: model.seriousness) ?? .nonSerious
            let awareOn = CivilDate(model.awareOn) ?? platform.clock.today()
            let deadline = ReportingDeadline(seriousness: seriousness, awareOn: awareOn, awareMinute: model.awareMinute)
            return AdverseEventRecord(
                id: id, version: model.version, number: model.number, nationalCode: model.nationalCode, productID: model.productID,
                productName: model.productName,
                registrant: registrants[model.enterpriseID] ?? model.uscc, certificate: model.certificate, udiDI: model.udiDI, lot: model.lot,
                serial: model.serial, reporterKind: ReporterKind(rawValue: model.reporterKind) ?? .registrant, reporterName: model.reporterName,
                eventOn: CivilDate(model.eventOn) ?? awareOn, awareOn: awareOn, awareTime: model.awareMinute.map(AdverseEventFacts.time(of:)),
                seriousness: seriousness, outcome: PatientOutcome(rawValue: model.outcome) ?? .unknown,
                terms: model.terms.map { terms[$0] },
                narrative: confidential ? model.narrative : nil, submittedAt: model.submittedAt,
                reportedOn: CivilDate(model.reportedOn) ?? awareOn, due: model.due, dueLabel: deadline?.label, late: model.late,
                source: ReportSource(rawValue: model.source) ?? .platform, status: ReportStatus(rawValue: model.status) ?? .submitted,
                causality: model.causality.flatMap(Causality.init(rawValue:)), assessmentNote: confidential ? model.assessmentNote : nil,
                assessedBy: model.assessedBy.map { names[$0] ?? $0 }, assessedOn: model.assessedOn.flatMap(CivilDate.init),
                submittedBy: names[model.submittedBy] ?? model.submittedBy,
                timeline: (timelines[id] ?? []).map { row in
                    let kind = ReportTimelineKind(rawValue: row.kind) ?? .followUp
                    return AdverseEventTimelineEntry(
                        kind: kind, at: row.occurredAt, by: names[row.actor] ?? row.actor,
                        detail: kind == .followUp && !confidential ? "" : row.detail)
                })
        }
    }
}

/// The whole term list by code (retired terms too), naming the codes stored on reports and signals;
/// a code no longer on the list is named by itself.
struct TermNames {
    let byCode: [String: EventTermRecord]

    static func read(on db: any Database) async throws -> TermNames {
        let records = try await AdverseEventStore.terms(includingRetired: true, on: db).map(AdverseEventUseCases.record)
        return TermNames(byCode: Dictionary(records.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first }))
    }

    subscript(code: String) -> EventTermRecord {
        byCode[code] ?? EventTermRecord(code: code, kind: .device, chinese: code, english: code, active: false)
    }
}

extension Platform {
    public var adverseEvents: AdverseEventUseCases { AdverseEventUseCases(platform: self) }
}
