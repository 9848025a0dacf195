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

    public static func procedure(code: String, on database: any Database) async throws -> Procedure? {
        try await catalogue(on: database).first { $0.code == code }
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
