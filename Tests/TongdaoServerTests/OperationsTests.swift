import Foundation
import Testing
import TongdaoStore
@testable import TongdaoServer
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

@Suite("Health, readiness, request IDs, metrics")
struct OperationsTests {
    @Test("/healthz and /readyz answer ok while the database answers", arguments: TestDatabase.enabled)
    func healthy(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            for path in ["/healthz", "/readyz"] {
                try await app.testing().test(.GET, path) { res in
                    #expect(res.status == .ok, "\(path)")
                    let body = try decode([String: String].self, from: res)
                    #expect(body == ["status": "ok"], "\(path)")
                }
            }
        }
    }

    @Test("/readyz is 503 problem+json when PostgreSQL does not answer, while /healthz stays 200")
    func notReadyWithoutDatabase() async throws {
        // given: a PostgreSQL URL on a loopback port where nothing listens
        let port = try FreePort.find()
        try await withConfiguredApp(location: .postgres(url: "postgres://tongdao@127.0.0.1:\(port)/tongdao"), migrate: false) { app in
            // then
            try await app.testing().test(.GET, "/readyz") { res in
                #expect(res.status == .serviceUnavailable)
                #expect(res.headers.contentType?.description.hasPrefix("application/problem+json") == true)
                let problem = try decode(ProblemBody.self, from: res)
                #expect(problem.type == "/problems/database-unavailable")
                #expect(!res.body.string.contains(String(port)), "the answer must not reveal connection details")
            }
            try await app.testing().test(.GET, "/healthz") { res in
                #expect(res.status == .ok)
            }
            app.tongdaoConfiguration.metricsToken = TransportTests.metricsToken
            try await app.testing().test(.GET, "/metrics", headers: bearer(TransportTests.metricsToken)) { res in
                #expect(res.body.string.contains(#"tongdao_db_up{database="postgresql"} 0"#))
            }
        }
    }

    @Test("a client's X-Request-ID is echoed; none or an unusable one gets a fresh ID")
    func requestIDs() async throws {
        try await withTongdao { app in
            try await app.testing().test(.GET, "/healthz", headers: ["X-Request-ID": "abc-123.def"]) { res in
                #expect(res.headers.first(name: "X-Request-ID") == "abc-123.def")
            }
            try await app.testing().test(.GET, "/healthz") { res in
                let id = try #require(res.headers.first(name: "X-Request-ID"))
                #expect(UUID(uuidString: id) != nil)
            }
            let hostile = String(repeating: "x", count: 300)
            try await app.testing().test(.GET, "/api/v1/regions?level=foo", headers: ["X-Request-ID": hostile]) { res in
                let id = try #require(res.headers.first(name: "X-Request-ID"))
                #expect(UUID(uuidString: id) != nil)
                #expect(try decode(ProblemBody.self, from: res).requestId == id, "the problem quotes the same ID")
            }
        }
    }

    @Test("/metrics counts requests by route pattern and status, with latency histograms and the database pool")
    func metrics() async throws {
        try await withTongdao { app in
            // given
            try await app.testing().test(.GET, "/api/v1/regions?level=district") { #expect($0.status == .ok) }
            try await app.testing().test(.GET, "/api/v1/regions?level=district") { #expect($0.status == .ok) }
            try await app.testing().test(.GET, "/api/v1/regions?level=bad") { #expect($0.status == .badRequest) }
            try await app.testing().test(.GET, "/no/such/page") { #expect($0.status == .notFound) }
            // when
            app.tongdaoConfiguration.metricsToken = TransportTests.metricsToken
            try await app.testing().test(.GET, "/metrics", headers: bearer(TransportTests.metricsToken)) { res in
                // then
                #expect(res.status == .ok)
                #expect(res.headers.first(name: .contentType)?.hasPrefix("text/plain; version=0.0.4") == true)
                let text = res.body.string
                #expect(text.contains(#"http_requests_total{method="GET",route="/api/v1/regions",status="200"} 2"#))
                #expect(text.contains(#"http_requests_total{method="GET",route="/api/v1/regions",status="400"} 1"#))
                #expect(text.contains(#"http_requests_total{method="GET",route="unmatched",status="404"} 1"#))
                #expect(text.contains(#"http_request_duration_seconds_count{method="GET",route="/api/v1/regions"} 3"#))
                #expect(text.contains(#"tongdao_db_up{database="sqlite"} 1"#))
                #expect(text.contains(#"tongdao_db_pool_max_connections{database="sqlite"}"#))
                #expect(text.contains("# HELP http_requests_total HTTP requests answered, by route pattern and status."))
                #expect(text.contains("# HELP tongdao_db_up 1 when the last database ping answered."))
                #expect(!text.contains("/no/such/page"), "raw paths never become labels")
            }
        }
    }
}

enum FreePort {
    /// A loopback TCP port nothing listens on (bound and released at once).
    static func find() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafeMutablePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                guard bind(fd, raw, length) == 0, getsockname(fd, raw, &length) == 0 else { throw POSIXError(.EADDRINUSE) }
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
