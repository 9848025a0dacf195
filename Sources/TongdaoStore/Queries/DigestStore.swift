import FluentKit
import SQLKit
import Foundation
import TongdaoCore

/// The warning thresholds of the installation, and the daily digests.
public enum DigestStore {
    /// The stored policy, or the standard one.
    public static func warningPolicy(on database: any Database) async throws -> WarningPolicy {
        guard let row = try await PlatformSetting.find(PlatformSetting.Key.warningPolicy, on: database),
            let policy = try? JSONDecoder().decode(WarningPolicy.self, from: Data(row.value.utf8))
        else { return .standard }
        return policy
    }

    /// Stores a checked policy; when the amber threshold changed, every open application's clock
    /// snapshot is recomputed with it (inside the caller's transaction).
    public static func store(_ policy: WarningPolicy, replacing before: WarningPolicy, today: CivilDate, on db: any Database) async throws {
        let value = try Audit.json(policy)
        if let row = try await PlatformSetting.find(PlatformSetting.Key.warningPolicy, on: db) {
            row.value = value
            try await row.update(on: db)
        } else {
            try await PlatformSetting(key: PlatformSetting.Key.warningPolicy, value: value).create(on: db)
        }
        if before.amberFraction != policy.amberFraction {
            try await refreshSnapshots(amberFraction: policy.amberFraction, asOf: today, on: db)
        }
    }

    /// Recomputes the clock snapshot of every open application (after the amber threshold changed).
    static func refreshSnapshots(amberFraction: Double, asOf today: CivilDate, on database: any Database) async throws {
        let calendar = try await CalendarStore.load(on: database)
        let versions = try await ProcedureStore.versionIndex(on: database)
        try await forEachOpenApplication(on: database) { batch in
            for (application, events) in batch {
                guard let version = versions.version(of: application),
                    let stored = try? ApplicationLifecycle.stored(
                        events, version: version, asOf: today, calendar: calendar, amberFraction: amberFraction)
                else { continue }
                application.apply(stored.snapshot)
                try await application.update(on: database)
            }
        }
    }

    /// Open applications (not decided or withdrawn) with their timelines, a thousand at a time.
    public static func forEachOpenApplication(
        on database: any Database, _ body: ([(application: ApplicationModel, events: [ApplicationEvent])]) async throws -> Void
    ) async throws {
        var cursor: UUID?
        while true {
            let query = ApplicationModel.query(on: database).filter(\.$isOpen == true)
            if let cursor { query.filter(\.$id > cursor) }
            let rows = try await query.sort(\.$id).limit(1_000).all()
            guard let last = rows.last?.id else { return }
            let timelines = try await ApplicationStore.timelines(of: rows.compactMap(\.id), on: database)
            try await body(rows.map { ($0, timelines[$0.id ?? UUID()] ?? []) })
            cursor = last
        }
    }

    /// The supervisors red items are escalated to: the district's officers and the city's regulators.
    public static func supervisors(on database: any Database) async throws -> (city: [String], byDistrict: [String: [String]]) {
        var city: [String] = []
        var byDistrict: [String: [String]] = [:]
        for user in try await UserModel.query(on: database).filter(\.$disabled == false).sort(\.$username).all() {
            switch (user.role, user.scope) {
            case (.cityRegulator, _): city.append(user.username)
            case (.districtOfficer, .district(let code)): byDistrict[code, default: []].append(user.username)
            default: break
            }
        }
        return (city, byDistrict)
    }

    /// Inserts a person's digest of a day unless one is there already; true when it was written.
    /// `ON CONFLICT DO NOTHING` on the unique key, so two instances running the same day at once
    /// write each digest once, and neither fails.
    public static func insertIfAbsent(
        day: CivilDate, recipient: String, items: [DigestItem], now: Date, on database: any Database
    ) async throws -> Bool {
        guard let sql = database as? any SQLDatabase else { throw BulkInsertError.notSQL }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let rows = try await sql.insert(into: DigestModel.schema)
            .columns("id", "day", "recipient", "items", "escalated", "created_at")
            .values(
                SQLBind(TimeOrderedID.make(now: now)), SQLBind(day.description), SQLBind(recipient),
                SQLBind(String(decoding: try encoder.encode(items), as: UTF8.self)), SQLBind(items.filter(\.escalated).count), SQLBind(now)
            )
            .ignoringConflicts(with: ["day", "recipient"])
            .returning("id")
            .all()
        return !rows.isEmpty
    }

    /// A person's digests, newest first.
    public static func digests(for recipient: String, limit: Int = 30, on database: any Database) async throws -> [DigestModel] {
        try await DigestModel.query(on: database).filter(\.$recipient == recipient).sort(\.$day, .descending).limit(limit).all()
    }
}
