import FluentKit
import FluentSQL
import Foundation
import SQLKit
import TongdaoCore

/// Signal detection's counts and the signal list as stored. No audit, transaction or permission here.
public enum SignalStore {
    /// A window of days split into the whole months inside it (`YYYY-MM`) and the days at its two
    /// ends outside them (`YYYY-MM-DD`).
    struct MonthlyWindow {
        var months: (first: String, last: String)?
        var days: [(first: String, last: String)] = []

        init(from: CivilDate, to: CivilDate) {
            // The first day of the first whole month, and the last day of the last.
            let start = from.day == 1 ? from : from.adding(days: CivilDate.daysIn(month: from.month, year: from.year) - from.day + 1)
            let end = to.adding(days: 1).day == 1 ? to : to.adding(days: -to.day)
            guard start < end else {
                days = [(from.description, to.description)]
                return
            }
            months = (String(start.description.prefix(7)), String(end.description.prefix(7)))
            if from < start { days.append((from.description, start.adding(days: -1).description)) }
            if end < to { days.append((end.adding(days: 1).description, to.description)) }
        }
    }

    /// The counts of the reports submitted from `from` to `to` (both included), by product or by the
    /// product's classification sub-catalogue (reports of a product without one count in the
    /// totals, under no subject). Subjects are product ids (upper case) or two-digit codes.
    ///
    /// The window's whole months are read from the monthly counts (migration 044) in their key's
    /// order; the days at its two ends outside them from the report rows. A report names a term
    /// once, so a term's reports are the sum of its pairs; the classification level sums the
    /// products' pairs by their sub-catalogue.
    public static func counts(level: SignalLevel, from: CivilDate, to: CivilDate, on database: any Database) async throws -> SignalCounts {
        guard let sql = database as? any SQLDatabase, from <= to else { return SignalCounts(pairs: [], subjects: [:], terms: [:], total: 0) }
        let window = MonthlyWindow(from: from, to: to)
        // The end days' pairs and products first (few), then the months' pairs with them added.
        var edgePairs: [ProductTerm: Int] = [:]
        var products: [UUID: Int] = [:]
        for days in window.days {
            for row in try await sql.select().column("product_id").column("term_code").column(SQLRaw("COUNT(*)"), as: "n")
                .from("adverse_event_report_terms").where("reported_on", .greaterThanOrEqual, SQLBind(days.first))
                .where("reported_on", .lessThanOrEqual, SQLBind(days.last)).groupBy("product_id").groupBy("term_code").rows()
            {
                edgePairs[ProductTerm(product: try row.uuid("product_id"), term: try row.text("term_code")), default: 0] += try row.int("n")
            }
            for row in try await sql.select().column("product_id").column(SQLRaw("COUNT(*)"), as: "n").from(AdverseEventReportModel.schema)
                .where("reported_on", .greaterThanOrEqual, SQLBind(days.first)).where("reported_on", .lessThanOrEqual, SQLBind(days.last))
                .groupBy("product_id").rows()
            {
                products[try row.uuid("product_id"), default: 0] += try row.int("n")
            }
        }
        var pairs: [(product: UUID, term: String, reports: Int)] = []
        if let months = window.months {
            // One row a product, its pairs as `term:count,…` (codes are letters, digits and `-_.`):
            // half a million rows cost the drivers more to hand over than the databases to sum.
            let concatenated =
                sql.dialect.name == "postgresql"
                ? "STRING_AGG(term_code || ':' || CAST(n AS TEXT), ',')" : "GROUP_CONCAT(term_code || ':' || n, ',')"
            let rows = try await sql.raw(
                """
                SELECT product_id, \(unsafeRaw: concatenated) AS pairs FROM (
                  SELECT product_id, term_code, SUM(reports) AS n FROM adverse_event_pair_months
                  WHERE month >= \(bind: months.first) AND month <= \(bind: months.last) GROUP BY product_id, term_code
                ) AS summed GROUP BY product_id
                """
            ).rows()
            pairs.reserveCapacity(rows.count * 256 + edgePairs.count)
            for row in rows {
                let product = try row.uuid("product_id")
                var text = try row.text("pairs")
                try text.withUTF8 { bytes in
                    // `term:count` after `term:count`, read byte by byte.
                    var start = 0
                    while start < bytes.count {
                        var colon = start
                        while colon < bytes.count && bytes[colon] != UInt8(ascii: ":") { colon += 1 }
                        var end = colon + 1
                        var reports = 0
                        while end < bytes.count && bytes[end] != UInt8(ascii: ",") {
                            let digit = Int(bytes[end]) - Int(UInt8(ascii: "0"))
                            guard (0...9).contains(digit) else { throw SignalCountsError.malformed(product) }
                            reports = reports * 10 + digit
                            end += 1
                        }
                        guard colon > start, end > colon + 1 else { throw SignalCountsError.malformed(product) }
                        let term = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<colon]), as: UTF8.self)
                        if !edgePairs.isEmpty, let more = edgePairs.removeValue(forKey: ProductTerm(product: product, term: term)) { reports += more }
                        pairs.append((product, term, reports))
                        start = end + 1
                    }
                }
            }
            for row in try await sql.select().column("product_id").column(SQLRaw("CAST(SUM(reports) AS BIGINT)"), as: "n").from(
                "adverse_event_product_months"
            )
            .where("month", .greaterThanOrEqual, SQLBind(months.first)).where("month", .lessThanOrEqual, SQLBind(months.last))
            .groupBy("product_id").rows() {
                products[try row.uuid("product_id"), default: 0] += try row.int("n")
            }
        }
        for (key, reports) in edgePairs { pairs.append((key.product, key.term, reports)) }

        var terms: [String: Int] = [:]
        for pair in pairs { terms[pair.term, default: 0] += pair.reports }
        let total = products.values.reduce(0, +)
        switch level {
        case .product:
            // One string a product, shared by its pairs.
            let names = Dictionary(uniqueKeysWithValues: products.keys.map { ($0, $0.uuidString) })
            return SignalCounts(
                pairs: pairs.map { SignalCounts.Pair(subject: names[$0.product] ?? $0.product.uuidString, term: $0.term, reports: $0.reports) },
                subjects: Dictionary(uniqueKeysWithValues: products.map { (names[$0.key] ?? $0.key.uuidString, $0.value) }), terms: terms,
                total: total)
        case .classification:
            let ids = Array(products.keys)
            var codes: [UUID: String] = [:]
            for chunk in stride(from: 0, to: ids.count, by: 1_000).map({ Array(ids[$0..<min($0 + 1_000, ids.count)]) }) {
                for product in try await ProductModel.query(on: database).filter(\.$id ~~ chunk).all() {
                    guard let id = product.id, let code = product.classificationCode, code.count >= 2 else { continue }
                    codes[id] = String(code.prefix(2))
                }
            }
            var byCode: [SubjectTerm: Int] = [:]
            for pair in pairs {
                guard let code = codes[pair.product] else { continue }
                byCode[SubjectTerm(subject: code, term: pair.term), default: 0] += pair.reports
            }
            var subjects: [String: Int] = [:]
            for (product, reports) in products { subjects[codes[product] ?? "", default: 0] += reports }
            return SignalCounts(
                pairs: byCode.map { SignalCounts.Pair(subject: $0.key.subject, term: $0.key.term, reports: $0.value) }, subjects: subjects,
                terms: terms,
                total: total)
        }
    }

    enum SignalCountsError: Error {
        /// A product's pairs as the database joined them could not be read.
        case malformed(UUID)
    }

    private struct ProductTerm: Hashable {
        var product: UUID
        var term: String
    }

    private struct SubjectTerm: Hashable {
        var subject: String
        var term: String
    }

    /// Counts the monthly counts again from every report written (after a bulk write that left
    /// them aside); in the caller's transaction.
    public static func recountMonthly(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.delete(from: "adverse_event_pair_months").run()
        try await sql.delete(from: "adverse_event_product_months").run()
        try await sql.raw(
            """
            INSERT INTO adverse_event_pair_months (product_id, term_code, month, reports)
            SELECT product_id, term_code, SUBSTR(reported_on, 1, 7), COUNT(*) FROM adverse_event_report_terms
            GROUP BY product_id, term_code, SUBSTR(reported_on, 1, 7)
            """
        ).run()
        try await sql.raw(
            """
            INSERT INTO adverse_event_product_months (product_id, month, reports)
            SELECT product_id, SUBSTR(reported_on, 1, 7), COUNT(*) FROM adverse_event_reports GROUP BY product_id, SUBSTR(reported_on, 1, 7)
            """
        ).run()
    }

    /// Adds written reports to the monthly counts: each report once under its product and month,
    /// and once under each of its terms. Called in the transaction that writes them.
    static func addToMonthlyCounts(_ reports: [(product: UUID, reportedOn: String, terms: [String])], on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, !reports.isEmpty else { return }
        struct PairMonth: Hashable {
            var product: UUID
            var term: String
            var month: String
        }
        struct ProductMonth: Hashable {
            var product: UUID
            var month: String
        }
        var pairs: [PairMonth: Int] = [:]
        var products: [ProductMonth: Int] = [:]
        for report in reports {
            let month = String(report.reportedOn.prefix(7))
            products[ProductMonth(product: report.product, month: month), default: 0] += 1
            for term in report.terms { pairs[PairMonth(product: report.product, term: term, month: month), default: 0] += 1 }
        }
        let pairRows = pairs.map { key, n in [SQLBind(key.product), SQLBind(key.term), SQLBind(key.month), SQLBind(n)] as [any SQLExpression] }
        let productRows = products.map { key, n in [SQLBind(key.product), SQLBind(key.month), SQLBind(n)] as [any SQLExpression] }
        for (table, columns, keys, rows) in [
            ("adverse_event_pair_months", ["product_id", "term_code", "month", "reports"], ["product_id", "term_code", "month"], pairRows),
            ("adverse_event_product_months", ["product_id", "month", "reports"], ["product_id", "month"], productRows),
        ] {
            // 1,000 rows a statement: well under either database's limit on parameters.
            for start in stride(from: 0, to: rows.count, by: 1_000) {
                let insert = sql.insert(into: table).columns(columns)
                for row in rows[start..<min(start + 1_000, rows.count)] { insert.values(row) }
                try await insert.onConflict(with: keys) { $0.set(SQLColumn("reports"), to: SQLRaw("\(table).reports + excluded.reports")) }.run()
            }
        }
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
