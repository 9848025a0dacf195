import FluentKit

/// 028: a PI-overload warning names the phase whose limit the PI passed (`PILoadPolicy.byPhase`);
/// none for the threshold over all their sites, and for the warnings raised before phases had limits.
struct AddWarningPhase: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("trial_warnings").field("phase", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("trial_warnings").deleteField("phase").update()
    }
}
