import FluentKit
import FluentSQL
import Foundation
import SQLKit
import TongdaoCore

/// Post-market vigilance as stored: marketed products and their UDI-DIs, the term list, the
/// adverse-event reports with their terms and timelines. No audit, transaction or permission here:
/// those are the use case's.
public enum AdverseEventStore {
    /// A product on the market: the product and the certificate of its approval in force.
    public struct Marketed: Sendable {
        public var product: ProductModel
        public var certificate: String
    }

    /// The product, in the caller's scope, with the certificate of its latest approval; nil when it
    /// is not found in scope or has no certificate (not on the market).
    public static func marketed(product id: UUID, scope: ScopeFilter, on database: any Database) async throws -> Marketed? {
        guard let product = try await ProductModel.query(on: database).filter(\.$id == id).scoped(to: scope).first() else { return nil }
        guard let certificate = try await certificate(of: id, on: database) else { return nil }
        return Marketed(product: product, certificate: certificate)
    }

    /// The certificate of a product's latest approval.
    public static func certificate(of product: UUID, on database: any Database) async throws -> String? {
        try await ApplicationModel.query(on: database).filter(\.$product.$id == product).filter(\.$certificate != nil)
            .sort(\.$approvedOn, .descending).sort(\.$id, .descending).first()?.certificate
    }

    /// The product a certificate number names (its latest approval's), in any scope.
    public static func product(certificate: String, on database: any Database) async throws -> UUID? {
        try await ApplicationModel.query(on: database).filter(\.$certificate == certificate).sort(\.$approvedOn, .descending).first()?
            .$product.id
    }

    /// The UDI-DI row of a device identifier, in any scope.
    public static func identifier(_ di: String, on database: any Database) async throws -> UDIDeviceIdentifierModel? {
        try await UDIDeviceIdentifierModel.query(on: database).filter(\.$di == di).first()
    }

    /// A product's UDI-DIs, by packaging level and DI.
    public static func identifiers(of product: UUID, on database: any Database) async throws -> [UDIDeviceIdentifierModel] {
        try await UDIDeviceIdentifierModel.query(on: database).filter(\.$productID == product).sort(\.$packaging).sort(\.$di).all()
    }

    /// The products on the market in scope, with their certificates, by name (for the report form).
    public static func marketedProducts(scope: ScopeFilter, limit: Int = 2_000, on database: any Database) async throws -> [(
        id: UUID, name: String, model: String, certificate: String
    )] {
        let approvals = try await ApplicationModel.query(on: database).filter(\.$certificate != nil).scoped(to: scope)
            .sort(\.$approvedOn, .descending).all()
        var certificates: [UUID: String] = [:]
        for approval in approvals where certificates[approval.$product.id] == nil { certificates[approval.$product.id] = approval.certificate }
        guard !certificates.isEmpty else { return [] }
        let products = try await ProductModel.query(on: database).filter(\.$id ~~ Array(certificates.keys)).sort(\.$name).sort(\.$id)
            .limit(limit).all()
        return products.compactMap { product in
            guard let id = product.id, let certificate = certificates[id] else { return nil }
            return (id, product.name, product.model, certificate)
        }
    }

    /// Records a DI on a product (placed by the product's registrant).
    public static func addIdentifier(
        _ di: String, agency: UDIAgency, packaging: PackagingLevel, quantity: Int, to product: ProductModel, by actor: String, now: Date,
        on database: any Database
    ) async throws -> UDIDeviceIdentifierModel {
        let row = UDIDeviceIdentifierModel()
        row.id = TimeOrderedID.make(now: now)
        row.productID = try product.requireID()
        row.uscc = product.uscc
        row.district = product.district
        row.park = product.park
        row.di = di
        row.agency = agency.rawValue
        row.packaging = packaging.rawValue
        row.quantity = quantity
        row.recordedBy = actor
        try await row.create(on: database)
        return row
    }

    // MARK: Terms

    /// The term list, by code (the active ones only unless asked for all).
    public static func terms(includingRetired: Bool = false, on database: any Database) async throws -> [EventTermModel] {
        let query = EventTermModel.query(on: database)
        if !includingRetired { query.filter(\.$active == true) }
        return try await query.sort(\.$id).all()
    }

    // MARK: Reports

    /// A report in the caller's scope: a registrant's reports are those on its products; an
    /// institution's office sees the reports its institution filed.
    public static func find(id: UUID, scope: ScopeFilter, on database: any Database) async throws -> AdverseEventReportModel? {
        try await scoped(AdverseEventReportModel.query(on: database).filter(\.$id == id), scope).first()
    }

    @discardableResult
    static func scoped(_ query: QueryBuilder<AdverseEventReportModel>, _ scope: ScopeFilter) -> QueryBuilder<AdverseEventReportModel> {
        if case .institution(let id) = scope { return query.filter(\.$reporterInstitutionID == id) }
        return query.scoped(to: scope)
    }

    /// What a list of reports is narrowed to.
    public struct Filter: Sendable, Equatable {
        public var product: UUID?
        public var seriousness: EventSeriousness?
        public var status: ReportStatus?
        public var lateOnly: Bool

        public init(product: UUID? = nil, seriousness: EventSeriousness? = nil, status: ReportStatus? = nil, lateOnly: Bool = false) {
            self.product = product
            self.seriousness = seriousness
            self.status = status
            self.lateOnly = lateOnly
        }
    }

    /// Reports in scope, newest first.
    public static func list(_ filter: Filter, scope: ScopeFilter, limit: Int, after: UUID?, on database: any Database) async throws -> (
        rows: [AdverseEventReportModel], more: Bool
    ) {
        let query = scoped(AdverseEventReportModel.query(on: database), scope)
        if let product = filter.product { query.filter(\.$productID == product) }
        if let seriousness = filter.seriousness { query.filter(\.$seriousness == seriousness.rawValue) }
        if let status = filter.status { query.filter(\.$status == status.rawValue) }
        if filter.lateOnly { query.filter(\.$late == true) }
        if let after { query.filter(\.$id < after) }
        return try await query.sort(\.$id, .descending).page(limit: limit)
    }

    /// The next report number of a year: `AE-2026-0000001`, one more than the year's highest.
    public static func nextNumber(year: Int, on database: any Database) async throws -> String {
        try await nextNumbers(count: 1, year: year, on: database)[0]
    }

    /// The next `count` report numbers of a year, in order (for reports written together).
    public static func nextNumbers(count: Int, year: Int, on database: any Database) async throws -> [String] {
        let prefix = "AE-\(year)-"
        let last = try await AdverseEventReportModel.query(on: database).filter(\.$number >= prefix).filter(\.$number < "AE-\(year)~")
            .sort(\.$number, .descending).first()?.number
        let after = last.flatMap { Int($0.dropFirst(prefix.count)) } ?? 0
        return (0..<max(count, 0)).map { prefix + String(format: "%07d", after + 1 + $0) }
    }

    /// Which of these 报告编码 the platform already holds: the national system's, or its own numbers
    /// (so the platform's export imports back adding nothing).
    public static func heldNationalCodes(_ codes: [String], on database: any Database) async throws -> Set<String> {
        var held: Set<String> = []
        for chunk in stride(from: 0, to: codes.count, by: 500).map({ Array(codes[$0..<min($0 + 500, codes.count)]) }) {
            let rows = try await AdverseEventReportModel.query(on: database).group(.or) {
                $0.filter(\.$nationalCode ~~ chunk).filter(\.$number ~~ chunk)
            }
            .field(\.$nationalCode).field(\.$number).all()
            held.formUnion(rows.compactMap(\.nationalCode))
            held.formUnion(rows.map(\.number).filter(Set(chunk).contains))
        }
        return held
    }

    /// Every UDI-DI with the product it identifies.
    public static func allIdentifiers(on database: any Database) async throws -> [String: UUID] {
        let rows = try await UDIDeviceIdentifierModel.query(on: database).all()
        return Dictionary(rows.map { ($0.di, $0.productID) }, uniquingKeysWith: { first, _ in first })
    }

    /// Every certificate with the product it was granted to, the latest approvals first.
    public static func certificates(on database: any Database) async throws -> [(certificate: String, product: UUID)] {
        try await ApplicationModel.query(on: database).filter(\.$certificate != nil).sort(\.$approvedOn, .descending).all().compactMap { approval in
            approval.certificate.map { ($0, approval.$product.id) }
        }
    }

    /// Writes one new report (its id made from its moment of submission) with its term rows and its
    /// submitted event; the model written.
    public static func insert(_ new: NewReport, on database: any Database) async throws -> AdverseEventReportModel {
        let report = AdverseEventReportModel()
        let deadline = new.deadline
        report.id = TimeOrderedID.make(now: new.submittedAt)
        report.number = new.number
        report.nationalCode = new.nationalCode
        report.productID = new.productID
        report.productName = new.productName
        report.enterpriseID = new.enterpriseID
        report.uscc = new.uscc
        report.district = new.district
        report.park = new.park
        report.certificate = new.certificate
        report.udiDI = new.udiDI
        report.lot = new.lot
        report.serial = new.serial
        report.reporterKind = new.reporterKind.rawValue
        report.reporterInstitutionID = new.reporterInstitutionID
        report.reporterName = new.reporterName
        report.eventOn = new.eventOn.description
        report.awareOn = new.awareOn.description
        report.awareMinute = new.awareMinute
        report.seriousness = new.seriousness.rawValue
        report.outcome = new.outcome.rawValue
        report.termsText = "," + new.terms.joined(separator: ",") + ","
        report.narrative = new.narrative
        report.submittedAt = new.submittedAt
        report.reportedOn = ShanghaiTime.day(of: new.submittedAt).description
        report.due = deadline?.dueText
        report.late = new.late
        report.source = new.source.rawValue
        report.status = ReportStatus.submitted.rawValue
        report.submittedBy = new.submittedBy
        report.version = 1
        try await report.create(on: database)
        guard let sql = database as? any SQLDatabase, let id = report.id else { return report }
        for term in new.terms {
            try await sql.insert(into: "adverse_event_report_terms").columns("report_id", "term_code", "product_id", "reported_on")
                .values(SQLBind(id), SQLBind(term), SQLBind(new.productID), SQLBind(report.reportedOn)).run()
        }
        try await SignalStore.addToMonthlyCounts([(new.productID, report.reportedOn, new.terms)], on: database)
        try await addTimeline(.submitted, to: id, detail: new.summary, by: new.submittedBy, at: new.submittedAt, on: database)
        return report
    }

    /// Adds an event to a report's timeline.
    public static func addTimeline(
        _ kind: ReportTimelineKind, to report: UUID, detail: String, by actor: String, at instant: Date, on database: any Database
    ) async throws {
        let row = AdverseEventTimelineModel()
        row.id = TimeOrderedID.make(now: instant)
        row.reportID = report
        row.kind = kind.rawValue
        row.occurredAt = instant
        row.actor = actor
        row.detail = detail
        try await row.create(on: database)
    }

    /// A report's timeline, oldest first.
    public static func timeline(of report: UUID, on database: any Database) async throws -> [AdverseEventTimelineModel] {
        try await AdverseEventTimelineModel.query(on: database).filter(\.$reportID == report).sort(\.$occurredAt).sort(\.$id).all()
    }

    /// One month's reports of a seriousness, late or on time.
    public struct MonthlyCount: Sendable, Equatable {
        public var month: YearMonth
        public var seriousness: EventSeriousness
        public var late: Bool
        public var count: Int
    }

    /// Reports in scope from a day on, by month, seriousness and lateness (the dashboard's counts).
    public static func monthly(scope: ScopeFilter, since day: CivilDate, on database: any Database) async throws -> [MonthlyCount] {
        let condition: any SQLExpression =
            if case .institution(let id) = scope {
                SQLBinaryExpression(SQLColumn("reporter_institution_id"), .equal, SQLBind(id))
            } else {
                scope.sql
            }
        return try await monthly(where: condition, since: day, on: database)
    }

    /// A product's reports from a day on, by month, seriousness and lateness (its trend report).
    public static func monthly(product: UUID, since day: CivilDate, on database: any Database) async throws -> [MonthlyCount] {
        try await monthly(where: SQLBinaryExpression(SQLColumn("product_id"), .equal, SQLBind(product)), since: day, on: database)
    }

    private static func monthly(where condition: any SQLExpression, since day: CivilDate, on database: any Database) async throws -> [MonthlyCount] {
        guard let sql = database as? any SQLDatabase else { return [] }
        let rows = try await sql.select().column(SQLRaw("SUBSTR(reported_on, 1, 7)"), as: "month").column(SQLColumn("seriousness"))
            .column(SQLColumn("late")).column(SQLRaw("COUNT(*)"), as: "n").from(AdverseEventReportModel.schema).where(condition)
            .where(SQLColumn("reported_on"), .greaterThanOrEqual, SQLBind(day.description))
            .groupBy(SQLRaw("1")).groupBy(SQLRaw("2")).groupBy(SQLRaw("3")).all()
        return try rows.compactMap { row in
            guard let month = YearMonth(try row.decode(column: "month", as: String.self)),
                let seriousness = EventSeriousness(rawValue: try row.decode(column: "seriousness", as: String.self))
            else { return nil }
            return MonthlyCount(
                month: month, seriousness: seriousness, late: try row.decode(column: "late", as: Bool.self),
                count: try row.decode(column: "n", as: Int.self))
        }
    }

    /// A product's reports from a day on naming each term.
    public static func termCounts(of product: UUID, since day: CivilDate, on database: any Database) async throws -> [String: Int] {
        guard let sql = database as? any SQLDatabase else { return [:] }
        let rows = try await sql.select().column(SQLColumn("term_code")).column(SQLRaw("COUNT(*)"), as: "n").from("adverse_event_report_terms")
            .where(SQLColumn("product_id"), .equal, SQLBind(product)).where(SQLColumn("reported_on"), .greaterThanOrEqual, SQLBind(day.description))
            .groupBy(SQLRaw("1")).all()
        var counts: [String: Int] = [:]
        for row in rows { counts[try row.decode(column: "term_code", as: String.self)] = try row.decode(column: "n", as: Int.self) }
        return counts
    }

    /// A party's late reports, for its credit file: those a registrant filed on its products, or
    /// those an institution filed.
    public static func lateReports(of party: UUID, on database: any Database) async throws -> [AdverseEventReportModel] {
        try await AdverseEventReportModel.query(on: database).filter(\.$late == true)
            .group(.or) { either in
                either.group(.and) { $0.filter(\.$reporterKind == ReporterKind.registrant.rawValue).filter(\.$enterpriseID == party) }
                either.filter(\.$reporterInstitutionID == party)
            }
            .sort(\.$reportedOn).all()
    }
}

extension AdverseEventStore {
    /// A report written in bulk (the demo's history, an import of the national system's export, the
    /// benchmark's scale): every column as stored, its terms and its timeline.
    public struct NewReport: Sendable {
        public var number: String
        public var productID: UUID
        public var productName: String
        public var enterpriseID: UUID
        public var uscc: String
        public var district: String
        public var park: String?
        public var certificate: String?
        public var udiDI: String?
        public var lot: String?
        public var serial: String?
        public var reporterKind: ReporterKind
        public var reporterInstitutionID: UUID?
        public var reporterName: String
        public var eventOn: CivilDate
        public var awareOn: CivilDate
        public var awareMinute: Int?
        public var seriousness: EventSeriousness
        public var outcome: PatientOutcome
        public var terms: [String]
        public var narrative: String
        public var submittedAt: Date
        public var source: ReportSource
        public var submittedBy: String
        /// The causality assessment, when the report has been assessed: by whom and when.
        public var assessment: (causality: Causality, by: String, at: Date)?
        /// The national monitoring system's 报告编码, for a report imported from it.
        public var nationalCode: String?

        public init(
            number: String, productID: UUID, productName: String, enterpriseID: UUID, uscc: String, district: String, park: String?,
            certificate: String?, udiDI: String?, lot: String?, serial: String?, reporterKind: ReporterKind, reporterInstitutionID: UUID?,
            reporterName: String, eventOn: CivilDate, awareOn: CivilDate, awareMinute: Int?, seriousness: EventSeriousness, outcome: PatientOutcome,
            terms: [String], narrative: String, submittedAt: Date, source: ReportSource, submittedBy: String,
            assessment: (causality: Causality, by: String, at: Date)? = nil, nationalCode: String? = nil
        ) {
            self.number = number
            self.productID = productID
            self.productName = productName
            self.enterpriseID = enterpriseID
            self.uscc = uscc
            self.district = district
            self.park = park
            self.certificate = certificate
            self.udiDI = udiDI
            self.lot = lot
            self.serial = serial
            self.reporterKind = reporterKind
            self.reporterInstitutionID = reporterInstitutionID
            self.reporterName = reporterName
            self.eventOn = eventOn
            self.awareOn = awareOn
            self.awareMinute = awareMinute
            self.seriousness = seriousness
            self.outcome = outcome
            self.terms = terms
            self.narrative = narrative
            self.submittedAt = submittedAt
            self.source = source
            self.submittedBy = submittedBy
            self.assessment = assessment
            self.nationalCode = nationalCode
        }

        /// The deadline from its facts, and whether its submission came after it.
        public var deadline: ReportingDeadline? { ReportingDeadline(seriousness: seriousness, awareOn: awareOn, awareMinute: awareMinute) }
        public var late: Bool { deadline?.isLate(submittedAt: submittedAt) ?? false }

        /// The submitted event's text: the seriousness, and the deadline met or missed.
        public var summary: String { seriousness.label + "；" + (deadline.map { (late ? "迟报，" : "") + $0.label } ?? "无法定时限") }
    }

    static let reportColumns = [
        "id", "number", "product_id", "product_name", "enterprise_id", "uscc", "district_code", "park_code", "certificate", "udi_di", "lot",
        "serial", "reporter_kind", "reporter_institution_id", "reporter_name", "event_on", "aware_on", "aware_minute", "seriousness", "outcome",
        "terms", "narrative", "submitted_at", "reported_on", "due", "late", "source", "status", "causality", "assessment_note", "assessed_by",
        "assessed_on", "submitted_by", "version", "created_at", "updated_at", "national_code",
    ]

    /// Writes reports with their terms and timelines (submitted, and assessed where they were), in
    /// bulk; returns how many.
    /// `monthlyCounts: false` leaves signal detection's monthly counts to the caller, who recounts
    /// them once it has written all it writes (`SignalStore.recountMonthly`): the benchmark's
    /// millions of reports, whose batches would each update most of the counts again.
    @discardableResult
    public static func insertMany(_ reports: [NewReport], now: Date, monthlyCounts: Bool = true, on db: any Database) async throws -> Int {
        let ids = reports.map { TimeOrderedID.make(now: $0.submittedAt < now ? now : $0.submittedAt) }
        try await BulkInsert.run("adverse_event_reports", columns: reportColumns, count: reports.count, on: db) { index in
            let report = reports[index]
            let deadline = report.deadline
            let reported = ShanghaiTime.day(of: report.submittedAt)
            let values: [any BulkWritable] = [
                ids[index], report.number, report.productID, report.productName, report.enterpriseID, report.uscc, report.district, report.park,
                report.certificate, report.udiDI, report.lot, report.serial, report.reporterKind.rawValue, report.reporterInstitutionID,
                report.reporterName, report.eventOn, report.awareOn, report.awareMinute, report.seriousness.rawValue, report.outcome.rawValue,
                "," + report.terms.joined(separator: ",") + ",", report.narrative, report.submittedAt, reported, deadline?.dueText,
                deadline?.isLate(submittedAt: report.submittedAt) ?? false, report.source.rawValue,
                (report.assessment == nil ? ReportStatus.submitted : .assessed).rawValue, report.assessment?.causality.rawValue, String?.none,
                report.assessment?.by, report.assessment.map { ShanghaiTime.day(of: $0.at) }, report.submittedBy,
                report.assessment == nil ? 1 : 2, now, now, report.nationalCode,
            ]
            return values.map(\.bulkValue)
        }
        var terms: [[BulkValue]] = []
        var timeline: [[BulkValue]] = []
        for (index, report) in reports.enumerated() {
            let reported = ShanghaiTime.day(of: report.submittedAt)
            for term in report.terms {
                terms.append([ids[index].bulkValue, term.bulkValue, report.productID.bulkValue, reported.bulkValue])
            }
            timeline.append([
                TimeOrderedID.make(now: now).bulkValue, ids[index].bulkValue, ReportTimelineKind.submitted.rawValue.bulkValue,
                report.submittedAt.bulkValue, report.submittedBy.bulkValue, report.summary.bulkValue,
            ])
            if let assessment = report.assessment {
                timeline.append([
                    TimeOrderedID.make(now: now).bulkValue, ids[index].bulkValue, ReportTimelineKind.assessed.rawValue.bulkValue,
                    assessment.at.bulkValue, assessment.by.bulkValue, assessment.causality.label.bulkValue,
                ])
            }
        }
        try await BulkInsert.run("adverse_event_report_terms", columns: ["report_id", "term_code", "product_id", "reported_on"], rows: terms, on: db)
        if monthlyCounts {
            try await SignalStore.addToMonthlyCounts(
                reports.map { ($0.productID, ShanghaiTime.day(of: $0.submittedAt).description, $0.terms) }, on: db)
        }
        try await BulkInsert.run(
            "adverse_event_timeline", columns: ["id", "report_id", "kind", "occurred_at", "actor", "detail"], rows: timeline, on: db)
        return reports.count
    }
}
