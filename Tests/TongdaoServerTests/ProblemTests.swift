import Foundation
import Testing
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

@Suite("Errors: problem details for machines, a Chinese page for people, nothing internal")
struct ProblemTests {
    struct LeakyFailure: Error, CustomStringConvertible {
        var description: String { "SELECT secret FROM users at /work/main/Sources/Secret.swift:42" }
    }

    @Test("an unknown /api path is a 404 problem document")
    func unknownAPIPath() async throws {
        try await withTongdao { app in
            try await app.testing().test(.GET, "/api/v1/nothing-here") { res in
                #expect(res.status == .notFound)
                #expect(res.headers.contentType?.description.hasPrefix("application/problem+json") == true)
                let problem = try decode(ProblemBody.self, from: res)
                #expect(problem.type == "/problems/not-found")
                #expect(problem.status == 404)
                #expect(problem.title == "Not Found")
            }
        }
    }

    @Test("a method the path does not serve is a 405 problem with Allow (TRACE too), the literal path's; a path the contract lacks stays 404")
    func wrongMethod() async throws {
        try await withTongdao { app in
            for method in [HTTPMethod.DELETE, .TRACE, .PATCH] {
                try await app.testing().test(method, "/api/v1/regions") { res in
                    #expect(res.status == .methodNotAllowed, "\(method)")
                    #expect(res.headers.first(name: "Allow") == "GET, HEAD")
                    #expect(res.headers.contentType?.description.hasPrefix("application/problem+json") == true)
                }
            }
            try await app.testing().test(.TRACE, "/api/v1/enterprises/\(UUID().uuidString)") { res in
                #expect(res.status == .methodNotAllowed && res.headers.first(name: "Allow") == "GET, HEAD, PATCH")
            }
            // A literal segment is the path's, not its parameter sibling's (`imports`, not `{id}`).
            try await app.testing().test(.OPTIONS, "/api/v1/adverse-events/imports") { res in
                #expect(res.status == .methodNotAllowed && res.headers.first(name: "Allow") == "POST")
            }
            try await app.testing().test(.OPTIONS, "/api/v1/adverse-events/\(UUID().uuidString)") { res in
                #expect(res.headers.first(name: "Allow") == "GET, HEAD")
            }
            try await app.testing().test(.DELETE, "/api/v1/nothing") { res in #expect(res.status == .notFound) }
        }
    }

    @Test("a server fault answers a generic 500 and reveals no SQL, path or trace")
    func serverFaultIsOpaque() async throws {
        try await withTongdao { app in
            // given: a route that fails with an error whose text is internal
            app.get("api", "v1", "test-fault") { _ -> String in throw LeakyFailure() }
            app.get("test-fault") { _ -> String in throw LeakyFailure() }
            // then
            try await app.testing().test(.GET, "/api/v1/test-fault") { res in
                #expect(res.status == .internalServerError)
                let problem = try decode(ProblemBody.self, from: res)
                #expect(problem.type == "/problems/internal")
                #expect(!res.body.string.contains("SELECT"))
                #expect(!res.body.string.contains("Sources/"))
            }
            try await app.testing().test(.GET, "/test-fault") { res in
                #expect(res.status == .internalServerError)
                #expect(res.body.string.contains("服务器内部错误"))
                #expect(!res.body.string.contains("SELECT"))
            }
        }
    }

    @Test("an unknown page is a Chinese 404 page with the request ID")
    func unknownPage() async throws {
        try await withTongdao { app in
            try await app.testing().test(.GET, "/no-such-page", headers: ["X-Request-ID": "req-42"]) { res in
                #expect(res.status == .notFound)
                #expect(res.headers.contentType == .html)
                #expect(res.body.string.contains("页面不存在"))
                #expect(res.body.string.contains("req-42"))
                #expect(res.body.string.contains(#"<html lang="zh-CN">"#))
            }
        }
    }
}
