import FluentKit
import SQLKit

/// 030: the active sites (activated, not closed) by investigator, as a partial index: every count of
/// a PI's load (`TrialStore.keepLoads` after each write, the recount that checks them, the phase
/// loads) reads it alone instead of each site's row. At a million sites a recount of every PI
/// falls from seconds to tens of milliseconds on SQLite.
struct IndexActiveSites: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw(
            "CREATE INDEX trial_sites_active ON trial_sites (investigator_id) WHERE activated_on IS NOT NULL AND closed_on IS NULL"
        ).run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("DROP INDEX trial_sites_active").run()
    }
}
