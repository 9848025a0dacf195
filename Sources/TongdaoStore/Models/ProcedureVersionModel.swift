import FluentKit
import Foundation
import TongdaoCore

/// A row of `procedure_versions`: one version of one procedure's limits.
public final class ProcedureVersionModel: Model, @unchecked Sendable {
    public static let schema = "procedure_versions"

    @ID(key: .id) public var id: UUID?
    @Field(key: "code") public var code: String
    @Field(key: "name") public var name: String
    @Field(key: "category") public var category: String
    @Field(key: "version") public var version: String
    /// `YYYY-MM-DD`, so that text order is date order on every database.
    @Field(key: "effective_from") public var effectiveFrom: String
    /// The version's limits as JSON (`ProcedureVersion`).
    @Field(key: "definition") public var definition: String

    public init() {}

    public init(procedure: Procedure, version: ProcedureVersion) throws {
        code = procedure.code
        name = procedure.name
        category = procedure.category
        self.version = version.version
        effectiveFrom = version.effectiveFrom.description
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        definition = String(decoding: try encoder.encode(version), as: UTF8.self)
    }

    public func decoded() throws -> ProcedureVersion {
        try JSONDecoder().decode(ProcedureVersion.self, from: Data(definition.utf8))
    }
}
