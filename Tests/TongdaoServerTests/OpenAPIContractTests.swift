import Foundation
import Testing
import TongdaoTestSupport
import TongdaoUseCases
import TongdaoAPI
import VaporTesting
import Yams

@Suite("The OpenAPI contract is what the server serves")
struct OpenAPIContractTests {
    struct Operation: CustomStringConvertible {
        var method: String
        var path: String
        var description: String { "\(method.uppercased()) \(path)" }
    }

    static func operations() throws -> [Operation] {
        let document = try #require(try Yams.load(yaml: String(decoding: Contract.yaml(), as: UTF8.self)) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: Any])
        return paths.flatMap { path, item -> [Operation] in
            let methods = (item as? [String: Any])?.keys.filter { ["get", "put", "post", "patch", "delete"].contains($0) } ?? []
            return methods.map { Operation(method: $0, path: path) }
        }.sorted { $0.description < $1.description }
    }

    @Test("every operation in openapi.yaml has a route in the running app")
    func everyOperationIsServed() async throws {
        let operations = try Self.operations()
        #expect(operations.count >= 3)
        try await withTongdao { app in
            let routes = Set(
                app.routes.all.map { route in
                    "\(route.method.rawValue) /"
                        + route.path.map { component in
                            if case .parameter(let name) = component { "{\(name)}" } else { component.description }
                        }.joined(separator: "/")
                })
            for operation in operations {
                #expect(routes.contains("\(operation.method.uppercased()) \(operation.path)"), "\(operation) is in the contract but not served")
            }
        }
    }

    @Test("every parameterless GET in the contract answers without 404 or 5xx")
    func parameterlessGetsAnswer() async throws {
        let gets = try Self.operations().filter { $0.method == "get" && !$0.path.contains("{") }
        try await withTongdao { app in
            for operation in gets {
                try await app.testing().test(.GET, operation.path) { res in
                    #expect(res.status != .notFound && res.status.code < 500, "\(operation) answered \(res.status.code)")
                }
            }
        }
    }

    @Test("/openapi.yaml is the contract byte for byte; /openapi.json is the same document")
    func documentsAreServed() async throws {
        let source = try Contract.yaml()
        let contractPaths = Set(try Self.operations().map(\.path))
        try await withTongdao { app in
            try await app.testing().test(.GET, "/openapi.yaml") { res in
                #expect(res.status == .ok)
                #expect(Data(res.body.readableBytesView) == source)
            }
            try await app.testing().test(.GET, "/openapi.json") { res in
                #expect(res.status == .ok)
                let json = try #require(try JSONSerialization.jsonObject(with: Data(res.body.readableBytesView)) as? [String: Any])
                #expect(json["openapi"] as? String == "3.1.0")
                let paths = try #require(json["paths"] as? [String: Any])
                #expect(Set(paths.keys) == contractPaths)
            }
        }
    }
}
