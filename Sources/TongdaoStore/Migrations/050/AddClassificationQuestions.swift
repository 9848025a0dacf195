import FluentKit
import SQLKit

/// 050: classification questions (分类界定, issue 20 item 6) are consultations of their own kind.
///
/// `consultations` gains `kind` (`question` for every row before; `classification`), the class the
/// enterprise proposes, and the regulator's answer: the outcome (a class, or `not_device`), the
/// classification code it gave, and the class the product had before the answer changed it.
struct AddClassificationQuestions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("ALTER TABLE consultations ADD COLUMN kind TEXT NOT NULL DEFAULT 'question'").run()
        for column in ["proposed_class", "decided_class", "decided_code", "previous_class"] {
            try await sql.raw("ALTER TABLE consultations ADD COLUMN \(unsafeRaw: column) TEXT").run()
        }
        try await sql.create(index: "consultations_kind").on("consultations").column("kind").column("status").column("asked_on").run()
        // The dashboard counts the questions answered in a year, in the caller's scope.
        try await sql.create(index: "consultations_answered").on("consultations").column("answered_on").column("district_code").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "consultations_answered").run()
        try await sql.drop(index: "consultations_kind").run()
        for column in ["kind", "proposed_class", "decided_class", "decided_code", "previous_class"] {
            try await sql.raw("ALTER TABLE consultations DROP COLUMN \(unsafeRaw: column)").run()
        }
    }
}
