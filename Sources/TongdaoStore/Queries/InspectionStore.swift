import FluentKit
import Foundation
import SQLKit
import TongdaoCore

/// Inspections as stored, the plan's policy and its targets. No audit, transaction or permission
/// here: those are the use case's.
public enum InspectionStore {
    // MARK: Policy

    /// Every version of the plan's policy, by the day each is in force from.
    public static func policies(on database: any Database) async throws -> [InspectionPolicy] {
        try await PolicyStore.versions(InspectionPolicy.self, key: PlatformSetting.Key.inspectionPolicy, on: database)
    }

    public static func policy(inForceOn day: CivilDate, on database: any Database) async throws -> InspectionPolicy {
        try await PolicyStore.inForce(InspectionPolicy.self, key: PlatformSetting.Key.inspectionPolicy, on: day, on: database)
    }

    /// Holds the plan for the rest of the write, as its first statement: of two writers planning at
    /// once, the second waits for the first and then reads what it planned (on PostgreSQL a row
    /// lock; the first time, two inserts of the row meet its key and the loser starts again).
    public static func holdPlan(on database: any Database) async throws {
        if let row = try await PlatformSetting.find(PlatformSetting.Key.inspectionPlanHold, on: database) {
            guard let sql = database as? any SQLDatabase else { return }
            try await sql.update(PlatformSetting.schema).set("value", to: SQLColumn("value")).where("key", .equal, row.id ?? "").run()
        } else {
            try await PlatformSetting(key: PlatformSetting.Key.inspectionPlanHold, value: "").create(on: database)
        }
    }

    // MARK: Targets

    /// A target as the plan and its pages name it.
    /// A target as the plan reads it (`PlanTargetFacts` in Core).
    public typealias TargetFacts = PlanTargetFacts

    /// Every target the plan covers: the active trial institutions (with their filings and filed
    /// specialties) and the manufacturers (生产企业 and 受托生产企业, with the highest class of their
    /// products), each with the day its last completed inspection of each type was completed.
    public static func targets(on database: any Database) async throws -> [TargetFacts] {
        guard let sql = database as? any SQLDatabase else { throw BulkInsertError.notSQL }
        let lastDone = try await lastDone(on: database)
        let supervised = try await KeySupervisionStore.supervised(on: database)
        var targets: [TargetFacts] = []
        let institutions = try await TrialInstitutionModel.query(on: database).filter(\.$status == .active).sort(\.$name).all()
        let specialties = try await TrialStore.specialties(of: institutions.compactMap(\.id), on: database)
        for institution in institutions {
            guard let id = institution.id else { continue }
            let filed = (specialties[id] ?? []).compactMap { row in CivilDate(row.filedOn).map { (name: row.name, filedOn: $0) } }
            targets.append(
                TargetFacts(
                    target: PlanTarget(
                        id: id, kind: .trialInstitution, name: institution.name, district: institution.district,
                        drugFiledOn: institution.drugFiledOn.flatMap(CivilDate.init),
                        deviceFiledOn: institution.deviceFiledOn.flatMap(CivilDate.init),
                        specialties: filed, keySupervised: supervised.contains(id), lastDone: lastDone[id] ?? [:]),
                    uscc: institution.code, park: nil))
        }
        targets += try await enterprises(of: [.manufacturer, .cdmo], lastDone: lastDone, supervised: supervised, on: database)
        return targets
    }

    /// Every party an inspection may be made of: the plan's targets, and the registrants too (for
    /// cause, or a registrant's licence inspection as it becomes a manufacturer).
    public static func inspectable(on database: any Database) async throws -> [TargetFacts] {
        let lastDone = try await lastDone(on: database)
        let supervised = try await KeySupervisionStore.supervised(on: database)
        return try await targets(on: database)
            + enterprises(of: [.registrant], lastDone: lastDone, supervised: supervised, on: database)
    }

    /// The enterprises of some kinds registered in Shanghai as targets, with the highest class of
    /// their products, by name.
    private static func enterprises(
        of kinds: [EnterpriseKind], lastDone: [UUID: [InspectionType: CivilDate]], supervised: Set<UUID>, on database: any Database
    ) async throws -> [TargetFacts] {
        guard let sql = database as? any SQLDatabase else { throw BulkInsertError.notSQL }
        var targets: [TargetFacts] = []
        let rows = try await sql.select()
            .column(SQLColumn("id", table: "enterprises")).column(SQLColumn("name", table: "enterprises"))
            .column(SQLColumn("uscc", table: "enterprises")).column(SQLColumn("district_code", table: "enterprises"))
            .column(SQLColumn("park_code", table: "enterprises"))
            .column(SQLFunction("MAX", args: SQLColumn("management_class", table: "products")), as: "class")
            .from("enterprises")
            .join(
                "products", method: SQLJoinMethod.left, on: SQLColumn("enterprise_id", table: "products"), .equal,
                SQLColumn("id", table: "enterprises")
            )
            .where(SQLColumn("kind", table: "enterprises"), .in, SQLBind.group(kinds.map(\.rawValue)))
            // Shanghai's own: an enterprise of a partner province is its province's to inspect.
            .where(ScopeFilter.province(.shanghai).sql(table: "enterprises"))
            .groupBy(SQLColumn("id", table: "enterprises")).groupBy(SQLColumn("name", table: "enterprises"))
            .groupBy(SQLColumn("uscc", table: "enterprises")).groupBy(SQLColumn("district_code", table: "enterprises"))
            .groupBy(SQLColumn("park_code", table: "enterprises"))
            .orderBy(SQLColumn("name", table: "enterprises"))
            .rows()
        for row in rows {
            let id = try row.uuid("id")
            // "I" < "II" < "III": the highest class is the longest code.
            let managementClass = try row.optionalText("class").flatMap(ManagementClass.init(rawValue:)).map {
                switch $0 {
                case .one: 1
                case .two: 2
                case .three: 3
                }
            }
            targets.append(
                TargetFacts(
                    target: PlanTarget(
                        id: id, kind: .enterprise, name: try row.text("name"), district: try row.text("district_code"),
                        managementClass: managementClass ?? 2, keySupervised: supervised.contains(id), lastDone: lastDone[id] ?? [:]),
                    uscc: try row.text("uscc"), park: try row.optionalText("park_code")))
        }
        return targets
    }

    /// The day each target's last inspection of each type was carried out (its last day on site: an
    /// inspection still rectifying counts as done).
    static func lastDone(on database: any Database) async throws -> [UUID: [InspectionType: CivilDate]] {
        guard let sql = database as? any SQLDatabase else { throw BulkInsertError.notSQL }
        var last: [UUID: [InspectionType: CivilDate]] = [:]
        let rows = try await sql.select().column("target_id").column("types").column("completed_on").from(InspectionModel.schema)
            .where("status", .notEqual, InspectionStatus.cancelled.rawValue).where("completed_on", .isNot, SQLLiteral.null).rows()
        for row in rows {
            guard let day = CivilDate(try row.text("completed_on")) else { continue }
            let target = try row.uuid("target_id")
            for type in InspectorProfile.codes(try row.text("types"), as: InspectionType.self) where last[target]?[type].map({ $0 < day }) ?? true {
                last[target, default: [:]][type] = day
            }
        }
        return last
    }

    /// The closed inspections of every trial institution with their conclusions, by institution
    /// (what the trial matching ranks by; never a finding nor a note).
    public static func closedOfTrialInstitutions(on database: any Database) async throws -> [UUID: [TrialMatching.Inspected]] {
        guard let sql = database as? any SQLDatabase else { throw BulkInsertError.notSQL }
        let rows = try await sql.select().column("target_id").column("types").column("closed_on").column("conclusion")
            .from(InspectionModel.schema).where("target_kind", .equal, InspectionTargetKind.trialInstitution.rawValue)
            .where("status", .equal, InspectionStatus.completed.rawValue).where("closed_on", .isNot, SQLLiteral.null)
            .where("conclusion", .isNot, SQLLiteral.null).rows()
        var closed: [UUID: [TrialMatching.Inspected]] = [:]
        for row in rows {
            guard let day = CivilDate(try row.text("closed_on")), let conclusion = InspectionConclusion(rawValue: try row.text("conclusion")) else {
                continue
            }
            closed[try row.uuid("target_id"), default: []].append(
                TrialMatching.Inspected(closedOn: day, types: InspectorProfile.codes(try row.text("types")), conclusion: conclusion))
        }
        return closed
    }

    // MARK: Inspections

    /// An inspection as lists and the plan read it (`InspectionListing` in Core).
    public typealias Row = InspectionListing

    /// The inspections a year's plan holds: planned for a month of it, or completed in it, and every
    /// one not yet carried out (planned for an earlier month).
    public static func inspections(ofYear year: Int, on database: any Database) async throws -> [Row] {
        guard let sql = database as? any SQLDatabase else { throw BulkInsertError.notSQL }
        let (first, last) = ("\(year)-01", "\(year)-12")
        return try await sql.select().columns(Row.columns.map { SQLColumn($0) }).from(InspectionModel.schema)
            .where { group in
                group.where(SQLColumn("planned_month"), .greaterThanOrEqual, SQLBind(first))
                    .where(SQLColumn("planned_month"), .lessThanOrEqual, SQLBind(last))
            }
            .orWhere { group in
                group.where(SQLColumn("completed_on"), .greaterThanOrEqual, SQLBind("\(year)-01-01"))
                    .where(SQLColumn("completed_on"), .lessThanOrEqual, SQLBind("\(year)-12-31"))
            }
            .orWhere(SQLColumn("status"), .in, SQLBind.group(InspectionStatus.allCases.filter { $0.isBeforeVisit || $0 == .onSite }.map(\.rawValue)))
            .orderBy("planned_month").orderBy("id")
            .rows().map(Row.init)
    }

    /// An inspection to write in bulk.
    public struct NewInspection: Sendable, Equatable {
        public var target: TargetFacts
        public var types: [InspectionType]
        public var source: InspectionSource
        public var status: InspectionStatus
        public var plannedMonth: YearMonth?
        public var dueBy: CivilDate?
        public var completedOn: CivilDate?
        /// A closed inspection's conclusion and why (the history the demo records): closed the day it
        /// was carried out.
        public var conclusion: Concluded?

        public struct Concluded: Sendable, Equatable {
            public var conclusion: InspectionConclusion
            public var reason: String

            public init(_ conclusion: InspectionConclusion, reason: String) {
                self.conclusion = conclusion
                self.reason = reason
            }
        }

        public init(
            target: TargetFacts, types: [InspectionType], source: InspectionSource, status: InspectionStatus, plannedMonth: YearMonth?,
            dueBy: CivilDate?, completedOn: CivilDate? = nil, conclusion: Concluded? = nil
        ) {
            self.target = target
            self.types = types
            self.source = source
            self.status = status
            self.plannedMonth = plannedMonth
            self.dueBy = dueBy
            self.completedOn = completedOn
            self.conclusion = conclusion
        }
    }

    /// Writes inspections as plain rows (`BulkInsert`); returns their ids, in order.
    @discardableResult
    public static func insertInBulk(_ inspections: [NewInspection], now: Date, on database: any Database) async throws -> [UUID] {
        var ids: [UUID] = []
        let rows = inspections.map { inspection -> [BulkValue] in
            let id = TimeOrderedID.make(now: now)
            ids.append(id)
            let target = inspection.target
            let values: [any BulkWritable] = [
                id, target.target.kind.rawValue, target.target.id, target.target.name, target.uscc, target.target.district, target.park,
                InspectorProfile.stored(inspection.types), inspection.source.rawValue, inspection.status.rawValue, inspection.plannedMonth,
                inspection.dueBy, inspection.completedOn, inspection.conclusion?.conclusion.rawValue, inspection.conclusion?.reason,
                inspection.conclusion == nil ? nil : inspection.completedOn, 1, now, now,
            ]
            return values.map(\.bulkValue)
        }
        try await BulkInsert.run(
            InspectionModel.schema,
            columns: [
                "id", "target_kind", "target_id", "target_name", "target_uscc", "district_code", "park_code", "types", "source", "status",
                "planned_month", "due_by", "completed_on", "conclusion", "conclusion_reason", "closed_on", "version", "created_at", "updated_at",
            ], rows: rows, on: database)
        return ids
    }
}

extension InspectionListing {
    static let columns = [
        "id", "target_kind", "target_id", "target_name", "district_code", "types", "source", "status", "planned_month", "due_by",
        "completed_on", "version",
    ]

    init(_ row: RowReader) throws {
        self.init(
            id: try row.uuid("id"), targetKind: try row.value("target_kind", as: InspectionTargetKind.self), targetID: try row.uuid("target_id"),
            targetName: try row.text("target_name"), district: try row.optionalText("district_code"),
            types: InspectorProfile.codes(try row.text("types")), source: try row.value("source", as: InspectionSource.self),
            status: try row.value("status", as: InspectionStatus.self), plannedMonth: try row.optionalText("planned_month").flatMap(YearMonth.init),
            dueBy: try row.optionalText("due_by").flatMap(CivilDate.init), completedOn: try row.optionalText("completed_on").flatMap(CivilDate.init),
            version: try row.int("version"))
    }
}
