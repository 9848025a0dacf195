import FluentKit
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

    public static func setWarningPolicy(_ policy: WarningPolicy, today: CivilDate, by actor: AuditActor, on database: any Database) async throws {
        let problems = policy.problems()
        guard problems.isEmpty else { throw ApplicationStore.Problem.invalid(problems) }
        let before = try await warningPolicy(on: database)
        guard before != policy else { return }
        try await database.transaction { db in
            let value = try Audit.json(policy)
            if let row = try await PlatformSetting.find(PlatformSetting.Key.warningPolicy, on: db) {
                row.value = value
                try await row.update(on: db)
            } else {
                try await PlatformSetting(key: PlatformSetting.Key.warningPolicy, value: value).create(on: db)
            }
            try await Audit.record(
                "settings.warnings", entityType: "settings", entityID: PlatformSetting.Key.warningPolicy,
                before: try Audit.json(before), after: value, by: actor, on: db)
            if before.amberFraction != policy.amberFraction {
                try await refreshSnapshots(amberFraction: policy.amberFraction, asOf: today, on: db)
            }
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

    /// Writes the digests of `day` that are not written yet; returns how many were written and how
    /// many already existed. Each is its own insert, so two instances running the same day at once
    /// write each digest once (the other insert meets the unique key and is counted as existing).
    /// Writes the day's digests that are not there yet; a run that writes any leaves one audit row
    /// with its counts (each digest is created on its own, so that another instance's run of the same
    /// day only costs it the rows it lost the race for).
    public static func write(
        _ digests: [(recipient: String, items: [DigestItem])], day: CivilDate, by actor: AuditActor, on database: any Database
    ) async throws -> (written: Int, existing: Int) {
        let already = Set(try await DigestModel.query(on: database).filter(\.$day == day.description).all().map(\.recipient))
        var written = 0
        var existing = 0
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for (recipient, items) in digests.sorted(by: { $0.recipient < $1.recipient }) {
            guard !already.contains(recipient) else { existing += 1; continue }
            let row = DigestModel()
            row.id = TimeOrderedID.make()
            row.day = day.description
            row.recipient = recipient
            row.itemsJSON = String(decoding: try encoder.encode(items), as: UTF8.self)
            row.escalated = items.filter(\.escalated).count
            do {
                try await row.create(on: database)
                written += 1
            } catch let error as any DatabaseError where error.isConstraintFailure {
                existing += 1
            }
        }
        if written > 0 {
            try await Audit.record(
                "digest.write", entityType: "digest", entityID: day.description, before: nil,
                after: try Audit.json(["written": written, "existing": existing]), by: actor, on: database)
        }
        return (written, existing)
    }

    /// A person's digests, newest first.
    public static func digests(for recipient: String, limit: Int = 30, on database: any Database) async throws -> [DigestModel] {
        try await DigestModel.query(on: database).filter(\.$recipient == recipient).sort(\.$day, .descending).limit(limit).all()
    }
}
