import FluentKit
import Foundation
import SQLKit
import TongdaoCore

/// The year's figures the assessments are made of, each counted by the database in one grouped
/// statement (the consultations answered are read row by row: whether each met its target is its
/// clock's to say, paused days excluded).
public enum AssessmentStore {
    /// A desk's guidance sessions in a year and the distinct enterprises and products they served.
    public struct Served: Sendable, Equatable {
        public var sessions: Int
        public var enterprises: Int
        public var products: Int

        public init(sessions: Int, enterprises: Int, products: Int) {
            self.sessions = sessions
            self.enterprises = enterprises
            self.products = products
        }
    }

    static func bounds(_ year: Int) -> (String, String) { ("\(year)-01-01", "\(year)-12-31") }

    /// Guidance sessions by desk.
    public static func served(year: Int, on database: any Database) async throws -> [String: Served] {
        guard let sql = database as? any SQLDatabase else { return [:] }
        let (from, to) = bounds(year)
        var result: [String: Served] = [:]
        for row in try await sql.raw(
            """
            SELECT desk, COUNT(*) AS sessions, COUNT(DISTINCT enterprise_id) AS enterprises, COUNT(DISTINCT product_id) AS products
            FROM guidance_records WHERE held_on >= \(bind: from) AND held_on <= \(bind: to) GROUP BY desk
            """
        ).rows() {
            result[try row.text("desk")] = Served(
                sessions: try row.int("sessions"), enterprises: try row.int("enterprises"), products: try row.int("products"))
        }
        return result
    }

    /// The consultations a station answered in a year (their clocks to be read).
    public static func answered(year: Int, on database: any Database) async throws -> [ConsultationModel] {
        let (from, to) = bounds(year)
        return try await ConsultationModel.query(on: database).filter(\.$answeredOn >= from).filter(\.$answeredOn <= to).filter(\.$station != nil)
            .all()
    }

    /// Appointments attended, by desk, on slots of the year.
    public static func attended(year: Int, on database: any Database) async throws -> [String: Int] {
        guard let sql = database as? any SQLDatabase else { return [:] }
        let (from, to) = bounds(year)
        var result: [String: Int] = [:]
        for row in try await sql.raw(
            """
            SELECT s.desk AS desk, COUNT(*) AS n FROM appointments a JOIN appointment_slots s ON s.id = a.slot_id
            WHERE a.status = 'attended' AND s.day >= \(bind: from) AND s.day <= \(bind: to) GROUP BY s.desk
            """
        ).rows() {
            result[try row.text("desk")] = try row.int("n")
        }
        return result
    }

    /// The approvals of a year (a certificate granted): district, accepted and approved days.
    public static func approvals(year: Int, on database: any Database) async throws -> [(district: String, acceptedOn: String, approvedOn: String)] {
        let (from, to) = bounds(year)
        return try await ApplicationModel.query(on: database).filter(\.$certificate != nil).filter(\.$approvedOn >= from).filter(\.$approvedOn <= to)
            .all().compactMap { model in model.approvedOn.map { (model.district, model.acceptedOn, $0) } }
    }

    /// Landing projects by district: how many, how many producing, their open problems.
    public static func landing(on database: any Database) async throws -> [String: (projects: Int, producing: Int, openProblems: Int)] {
        guard let sql = database as? any SQLDatabase else { return [:] }
        var result: [String: (projects: Int, producing: Int, openProblems: Int)] = [:]
        for row in try await sql.raw(
            """
            SELECT district_code AS district, COUNT(*) AS projects, SUM(CASE WHEN status = 'producing' THEN 1 ELSE 0 END) AS producing
            FROM landing_projects GROUP BY district_code
            """
        ).rows() {
            result[try row.text("district")] = (try row.int("projects"), try row.int("producing"), 0)
        }
        for row in try await sql.raw(
            """
            SELECT p.district_code AS district, COUNT(*) AS n FROM landing_problems q JOIN landing_projects p ON p.id = q.project_id
            WHERE q.status = 'open' GROUP BY p.district_code
            """
        ).rows() {
            result[try row.text("district"), default: (0, 0, 0)].openProblems = try row.int("n")
        }
        return result
    }
}
