import FluentKit
import TongdaoCore

/// The procedure catalogue as stored: what review clocks use.
public enum ProcedureStore {
    /// Every procedure with its versions, ordered by code.
    public static func catalogue(on database: any Database) async throws -> [Procedure] {
        let rows = try await ProcedureVersionModel.query(on: database).sort(\.$code).sort(\.$effectiveFrom).all()
        var procedures: [Procedure] = []
        for row in rows {
            let version = try row.decoded()
            if procedures.last?.code == row.code {
                procedures[procedures.count - 1].versions.append(version)
            } else {
                procedures.append(Procedure(code: row.code, name: row.name, category: row.category, versions: [version]))
            }
        }
        return procedures
    }

    /// Every stored version, found by procedure code and version name: what an application keeps.
    public struct VersionIndex: Sendable {
        private let versions: [String: ProcedureVersion]

        init(_ catalogue: [Procedure]) {
            var versions: [String: ProcedureVersion] = [:]
            for procedure in catalogue {
                for version in procedure.versions { versions["\(procedure.code)\u{1F}\(version.version)"] = version }
            }
            self.versions = versions
        }

        /// The version an application was accepted under.
        public func version(of application: ApplicationModel) -> ProcedureVersion? {
            version(application.procedureCode, application.procedureVersion)
        }

        public func version(_ procedure: String, _ version: String) -> ProcedureVersion? {
            versions["\(procedure)\u{1F}\(version)"]
        }
    }

    public static func versionIndex(on database: any Database) async throws -> VersionIndex {
        VersionIndex(try await catalogue(on: database))
    }

    public static func procedure(code: String, on database: any Database) async throws -> Procedure? {
        try await catalogue(on: database).first { $0.code == code }
    }

    /// Adds or replaces one version of an existing procedure (inside the caller's transaction);
    /// returns the definitions before (nil for a new version) and after, or nil when no procedure has the code.
    public static func store(_ version: ProcedureVersion, code: String, on db: any Database) async throws -> (before: String?, after: String)? {
        guard let any = try await ProcedureVersionModel.query(on: db).filter(\.$code == code).first() else { return nil }
        let procedure = Procedure(code: code, name: any.name, category: any.category, versions: [version])
        let replacement = try ProcedureVersionModel(procedure: procedure, version: version)
        let existing = try await ProcedureVersionModel.query(on: db).filter(\.$code == code).filter(\.$version == version.version).first()
        let before = existing?.definition
        if let existing {
            existing.effectiveFrom = replacement.effectiveFrom
            existing.definition = replacement.definition
            try await existing.update(on: db)
        } else {
            try await replacement.create(on: db)
        }
        return (before, replacement.definition)
    }

    /// Adds the bundled versions that are not stored yet. Stored versions are never overwritten:
    /// once seeded, a version belongs to the administrators.
    @discardableResult
    public static func seedMissing(on database: any Database) async throws -> Int {
        try await database.transaction { db in
            let stored = Set(try await ProcedureVersionModel.query(on: db).all().map { "\($0.code)@\($0.version)" })
            var inserted = 0
            for procedure in ProcedureCatalogue.bundled() {
                for version in procedure.versions where !stored.contains("\(procedure.code)@\(version.version)") {
                    try await ProcedureVersionModel(procedure: procedure, version: version).create(on: db)
                    inserted += 1
                }
            }
            return inserted
        }
    }
}
