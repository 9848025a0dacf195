import FluentKit
import Foundation
import SQLKit
import TongdaoCore

/// Multi-row `INSERT`s through SQLKit for bulk writes (census imports), bypassing Fluent's per-model
/// work. Values bind exactly as Fluent binds them (the same data encoders), so Fluent reads the rows
/// back unchanged.
enum BulkInsert {
    /// Bound parameters per statement: well under SQLite's limit (32,766) and PostgreSQL's (65,535).
    static let parametersPerStatement = 20_000

    static func run(
        _ table: String, columns: [String], rows: [[any Encodable & Sendable]], on db: any Database,
        progress: (@Sendable (Int) -> Void)? = nil
    ) async throws {
        guard !rows.isEmpty else { return }
        guard let sql = db as? any SQLDatabase else { throw BulkInsertError.notSQL }
        let size = max(1, parametersPerStatement / columns.count)
        for start in stride(from: 0, to: rows.count, by: size) {
            let builder = sql.insert(into: table).columns(columns)
            for row in rows[start..<min(start + size, rows.count)] {
                builder.values(row)
            }
            try await builder.run()
            progress?(min(start + size, rows.count))
        }
    }
}

enum BulkInsertError: Error {
    case notSQL
}

extension EnterpriseModel {
    static let insertColumns = [
        "id", "uscc", "name", "district_code", "park_code", "kind", "is_startup", "contact_name", "contact_phone", "created_at", "updated_at",
    ]

    func insertValues(now: Date) -> [any Encodable & Sendable] {
        [id, uscc, name, district, park, kind.rawValue, isStartup, contactName, contactPhone, now, now]
    }
}

extension ProductModel {
    static let insertColumns = [
        "id", "enterprise_id", "uscc", "district_code", "park_code", "name", "model", "category", "management_class", "classification_code",
        "key_areas", "stage", "expected_filing", "channels", "core_patents", "technical_features", "clinical_advantage", "udi_di",
        "created_at", "updated_at",
    ]

    func insertValues(now: Date) -> [any Encodable & Sendable] {
        [
            id, $enterprise.id, uscc, district, park, name, model, category.rawValue, managementClass.rawValue, classificationCode,
            keyAreasText, stage.rawValue, expectedFiling, channelsText, corePatents, technicalFeatures, clinicalAdvantage, udiDI, now, now,
        ]
    }
}

extension CensusIntentionModel {
    static let insertColumns = [
        "id", "year", "product_id", "enterprise_id", "uscc", "district_code", "park_code", "stage", "expected_filing", "channels",
        "submitted_by", "created_at", "updated_at",
    ]

    func insertValues(now: Date) -> [any Encodable & Sendable] {
        [id, year, $product.id, $enterprise.id, uscc, district, park, stage.rawValue, expectedFiling, channelsText, submittedBy, now, now]
    }
}
