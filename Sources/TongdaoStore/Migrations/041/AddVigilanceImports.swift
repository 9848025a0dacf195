import FluentKit
import SQLKit

/// 041: importing the national monitoring system's export (issue 19 item 2). A report imported from
/// it keeps that system's 报告编码 (`national_code`, unique where present), so importing the same
/// export twice adds nothing. `sheet_uploads` keeps a sheet uploaded on a page between its dry run
/// and its confirmation, by `kind` (one table for every sheet from here on; the census's, the trial
/// registry's and the inspector pool's keep their own tables), deleted once imported.
struct AddVigilanceImports: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("adverse_event_reports").field("national_code", .string).update()
        try await database.schema("sheet_uploads")
            .id()
            .field("kind", .string, .required)
            .field("username", .string, .required)
            .field("filename", .string, .required)
            .field("content", .data, .required)
            .field("created_at", .datetime)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "adverse_event_reports_national_code").unique().on("adverse_event_reports").column("national_code").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("sheet_uploads").delete()
        if let sql = database as? any SQLDatabase {
            try await sql.drop(index: "adverse_event_reports_national_code").run()
        }
        try await database.schema("adverse_event_reports").deleteField("national_code").update()
    }
}
