import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

extension Platform {
    /// Puts a version of a policy held as data in force from its day (a version from the same day
    /// replaced): `city_admin` only (`procedure.write`), checked figure by figure, stored with its
    /// audit row (every version before and after) in one write. The PI-load thresholds, the
    /// inspection plan's figures and the credit points all go this way.
    func putPolicy<Policy: VersionedPolicy>(_ policy: Policy, key: String, audit action: String, by caller: Caller) async throws -> [Policy] {
        try caller.require(.writeProcedure)
        let problems = policy.problems(today: clock.today())
        guard problems.isEmpty else { throw UseCaseError.invalid(problems) }
        return try await write(by: caller) { write in
            let before = try await PolicyStore.versions(Policy.self, key: key, on: write.db)
            let after = try await PolicyStore.store(policy, key: key, on: write.db)
            try await write.audit(action, entityType: "settings", entityID: key, before: try Audit.json(before), after: try Audit.json(after))
            return after
        }
    }
}
