import Foundation
import Testing
import TongdaoAPI
import Yams

@Suite("openapi.yaml is a sound contract")
struct ContractTests {
    func document() throws -> [String: Any] {
        try #require(try Yams.load(yaml: String(decoding: Contract.yaml(), as: UTF8.self)) as? [String: Any])
    }

    @Test("the shipped resource is the source file")
    func resourceIsSource() throws {
        let source = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/TongdaoAPI/openapi.yaml")
        #expect(try Contract.yaml() == Data(contentsOf: source))
    }

    @Test("every operation has a unique operationId, a summary and a tag")
    func operationsAreNamed() throws {
        let paths = try #require(try document()["paths"] as? [String: [String: Any]])
        var ids: [String] = []
        for (path, item) in paths {
            for (method, value) in item where ["get", "put", "post", "patch", "delete"].contains(method) {
                let operation = try #require(value as? [String: Any])
                let id = try #require(operation["operationId"] as? String, "\(method) \(path) has no operationId")
                ids.append(id)
                #expect(operation["summary"] is String, "\(id) has no summary")
                #expect((operation["tags"] as? [String])?.isEmpty == false, "\(id) has no tag")
            }
        }
        #expect(Set(ids).count == ids.count)
    }

    @Test("every /api operation that takes input documents its problem answer: 400/422, or 404 when the input is only a path identifier")
    func parametersHaveBadRequest() throws {
        let paths = try #require(try document()["paths"] as? [String: [String: Any]])
        for (path, item) in paths where path.hasPrefix("/api/") {
            for (method, value) in item {
                guard let operation = value as? [String: Any], operation["parameters"] != nil || operation["requestBody"] != nil else { continue }
                let responses = try #require(operation["responses"] as? [String: Any])
                let parameters = operation["parameters"] as? [[String: Any]] ?? []
                // An unknown identifier in the path is a missing record (404), not a malformed request.
                let onlyPathIdentifiers =
                    operation["requestBody"] == nil && !parameters.isEmpty
                    && parameters.allSatisfy {
                        ($0["in"] as? String) == "path" || ($0["$ref"] as? String)?.hasSuffix("ID") == true
                            || ($0["$ref"] as? String)?.hasSuffix("Username") == true
                    }
                let documented = responses["400"] != nil || responses["422"] != nil || (onlyPathIdentifiers && responses["404"] != nil)
                #expect(documented, "\(method) \(path) takes input but documents no 400/422")
            }
        }
    }

    @Test("the Problem schema has the RFC 9457 members and field errors")
    func problemSchema() throws {
        let components = try #require(try document()["components"] as? [String: Any])
        let schemas = try #require(components["schemas"] as? [String: Any])
        let problem = try #require(schemas["Problem"] as? [String: Any])
        let properties = try #require(problem["properties"] as? [String: Any])
        #expect(Set(["type", "title", "status", "detail", "errors"]).isSubset(of: Set(properties.keys)))
        #expect(Set(problem["required"] as? [String] ?? []) == ["type", "title", "status"])
    }
}
