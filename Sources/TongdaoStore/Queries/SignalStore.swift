import FluentKit
import FluentSQL
import Foundation
import SQLKit
import TongdaoCore

/// Signal detection's counts and the signal list as stored. No audit, transaction or permission here.
public enum SignalStore {
    /// The counts of the reports submitted from `from` to `to` (both included), by product or by the
    /// product's classification sub-catalogue (reports of a product without one count in the
    /// totals, under no subject). Subjects are product ids (upper case) or two-digit codes.
    public static func counts(level: SignalLevel, from: CivilDate, to: CivilDate, on database: any Database) async throws -> SignalCounts {
        guard let sql = database as? any SQLDatabase else { return SignalCounts(pairs: [], subjects: [:], terms: [:], total: 0) }
        let (first, last) = (SQLBind(from.description), SQLBind(to.description))
        let subject: any SQLExpression =
            level == .product ? SQLRaw("CAST(r.product_id AS TEXT)") : SQLRaw("COALESCE(SUBSTR(p.classification_code, 1, 2), '')")
        func joined(_ select: SQLSelectBuilder, _ table: String) -> SQLSelectBuilder {
            select.from(SQLAlias(SQLIdentifier(table), as: SQLIdentifier("r")))
            if level == .classification {
                select.join(SQLAlias(SQLIdentifier(ProductModel.schema), as: SQLIdentifier("p")), on: SQLRaw("p.id = r.product_id"))
            }
            return select.where(SQLColumn("reported_on", table: "r"), .greaterThanOrEqual, first)
                .where(SQLColumn("reported_on", table: "r"), .lessThanOrEqual, last)
        }
        async let pairRows = joined(
            sql.select().column(subject, as: "subject").column(SQLColumn("term_code", table: "r"), as: "term").column(SQLRaw("COUNT(*)"), as: "n"),
            "adverse_event_report_terms"
        ).groupBy(SQLRaw("1")).groupBy(SQLRaw("2")).all()
        async let subjectRows = joined(
            sql.select().column(subject, as: "subject").column(SQLRaw("COUNT(*)"), as: "n"), AdverseEventReportModel.schema
        ).groupBy(SQLRaw("1")).all()
        async let termRows = sql.select().column(SQLColumn("term_code"), as: "term").column(SQLRaw("COUNT(*)"), as: "n")
            .from("adverse_event_report_terms").where(SQLColumn("reported_on"), .greaterThanOrEqual, first)
            .where(SQLColumn("reported_on"), .lessThanOrEqual, last).groupBy(SQLRaw("1")).all()
        func key(_ text: String) -> String { level == .product ? text.uppercased() : text }
        var pairs: [SignalCounts.Pair] = []
        for row in try await pairRows {
            let name = key(try row.decode(column: "subject", as: String.self))
            guard !name.isEmpty else { continue }
            pairs.append(
                .init(subject: name, term: try row.decode(column: "term", as: String.self), reports: try row.decode(column: "n", as: Int.self)))
        }
        var subjects: [String: Int] = [:]
        var total = 0
        for row in try await subjectRows {
            let n = try row.decode(column: "n", as: Int.self)
            total += n
            subjects[key(try row.decode(column: "subject", as: String.self)), default: 0] += n
        }
        var terms: [String: Int] = [:]
        for row in try await termRows { terms[try row.decode(column: "term", as: String.self)] = try row.decode(column: "n", as: Int.self) }
        return SignalCounts(pairs: pairs, subjects: subjects, terms: terms, total: total)
    }

    /// The signal list, by status then newest first (one status when given).
    public static func list(status: SignalStatus?, on database: any Database) async throws -> [SignalModel] {
        let query = SignalModel.query(on: database)
        if let status { query.filter(\.$status == status.rawValue) }
        return try await query.sort(\.$id, .descending).all()
    }

    public static func find(id: UUID, on database: any Database) async throws -> SignalModel? {
        try await SignalModel.find(id, on: database)
    }

    /// The listed pairs of a level, by subject and term.
    public static func listed(level: SignalLevel, on database: any Database) async throws -> [String: SignalModel] {
        let rows = try await SignalModel.query(on: database).filter(\.$level == level.rawValue).all()
        return Dictionary(rows.map { ("\($0.subject)|\($0.termCode)", $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Puts a pair on the list with the figures it was found with.
    public static func insert(
        level: SignalLevel, finding: SignalFinding, subjectName: String, from: CivilDate, to: CivilDate, on day: CivilDate, by actor: String,
        now: Date, on database: any Database
    ) async throws -> SignalModel {
        let row = SignalModel()
        row.id = TimeOrderedID.make(now: now)
        row.level = level.rawValue
        row.subject = finding.subject
        row.subjectName = subjectName
        row.termCode = finding.term
        row.status = SignalStatus.new.rawValue
        row.detectedOn = day.description
        row.windowFrom = from.description
        row.windowTo = to.description
        let table = finding.measures.table
        (row.a, row.b, row.c, row.d) = (table.a, table.b, table.c, table.d)
        row.prr = finding.measures.prr
        row.chiSquare = finding.measures.chiSquare
        row.rorLower = finding.measures.rorLower
        row.ic025 = finding.measures.ic025
        row.methods = finding.methods.map(\.rawValue).joined(separator: ",")
        row.listedBy = actor
        row.version = 1
        try await row.create(on: database)
        return row
    }

    /// Adds a note of an assessment step.
    public static func addNote(to signal: UUID, status: SignalStatus, note: String, by actor: String, at instant: Date, on database: any Database)
        async throws
    {
        let row = SignalNoteModel()
        row.id = TimeOrderedID.make(now: instant)
        row.signalID = signal
        row.status = status.rawValue
        row.note = note
        row.actor = actor
        row.at = instant
        try await row.create(on: database)
    }

    public static func notes(of signal: UUID, on database: any Database) async throws -> [SignalNoteModel] {
        try await SignalNoteModel.query(on: database).filter(\.$signalID == signal).sort(\.$at).sort(\.$id).all()
    }
}
