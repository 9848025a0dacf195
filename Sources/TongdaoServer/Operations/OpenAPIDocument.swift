import Foundation
import TongdaoAPI
import Yams

/// The contract served at `/openapi.yaml` and, converted once at start-up, `/openapi.json`.
struct OpenAPIDocument: @unchecked Sendable {
    let yaml: Data
    let json: Data
    /// The parsed document (immutable after load).
    let tree: [String: Any]

    static func load() throws -> OpenAPIDocument {
        let yaml = try Contract.yaml()
        let tree = try Yams.load(yaml: String(decoding: yaml, as: UTF8.self)) as? [String: Any] ?? [:]
        let json = try JSONSerialization.data(withJSONObject: tree, options: [.sortedKeys, .withoutEscapingSlashes])
        return OpenAPIDocument(yaml: yaml, json: json, tree: tree)
    }
}
