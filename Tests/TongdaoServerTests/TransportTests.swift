import AsyncHTTPClient
import Foundation
import NIOCore
import Testing
@testable import TongdaoServer
import TongdaoTestSupport
import VaporTesting

/// What only a real connection shows: who the peer is. `/metrics` for a token or this machine, and
/// TLS (the Secure cookie, HSTS) believed from a trusted proxy only.
@Suite("Over real connections: /metrics for a token or this machine; TLS believed only from a trusted proxy")
struct TransportTests {
    static let metricsToken = "scrape-0123456789abcdef"

    struct Answer {
        var status: HTTPResponseStatus
        var headers: HTTPHeaders
        var text: String
    }

    /// A GET over a real connection: the status, the headers and the body's text.
    static func get(_ client: HTTPClient, _ url: String, headers: [(String, String)] = []) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await client.execute(request, deadline: .now() + .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 22)
        return Answer(status: response.status, headers: response.headers, text: String(buffer: body))
    }

    static func withClient(_ body: (HTTPClient) async throws -> Void) async throws {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            try await body(client)
            try await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    @Test("without a token /metrics answers this machine only, not a request a proxy forwarded; with one, only its bearer")
    func metrics() async throws {
        try await withTongdao { app in
            try await Self.withClient { client in
                try await withRunningServer(app) { base in
                    let local = try await Self.get(client, "\(base)/metrics")
                    #expect(local.status == .ok && local.text.contains("tongdao_db_up"))
                    let forwarded = try await Self.get(client, "\(base)/metrics", headers: [("X-Forwarded-For", "203.0.113.7")])
                    #expect(forwarded.status == .notFound && !forwarded.text.contains("tongdao_db_up"))

                    app.tongdaoConfiguration.metricsToken = Self.metricsToken
                    #expect(try await Self.get(client, "\(base)/metrics").status == .notFound, "a token is set: this machine needs it too")
                    let wrong = try await Self.get(client, "\(base)/metrics", headers: [("Authorization", "Bearer scrape-0123456789abcdeX")])
                    #expect(wrong.status == .notFound)
                    let right = try await Self.get(client, "\(base)/metrics", headers: [("Authorization", "Bearer \(Self.metricsToken)")])
                    #expect(right.status == .ok && right.text.contains("tongdao_db_up"))
                }
            }
        }
    }

    @Test("TONGDAO_METRICS_TOKEN is read; a short one is refused naming the variable")
    func metricsConfiguration() throws {
        #expect(try AppConfiguration.from(environment: ["TONGDAO_METRICS_TOKEN": Self.metricsToken]).metricsToken == Self.metricsToken)
        #expect(try AppConfiguration.from(environment: [:]).metricsToken == nil)
        #expect {
            try AppConfiguration.from(environment: ["TONGDAO_METRICS_TOKEN": "short"])
        } throws: { error in
            (error as? AppConfiguration.Problem)?.variable == "TONGDAO_METRICS_TOKEN"
        }
    }

    @Test("X-Forwarded-Proto: https from a trusted proxy gives HSTS and a Secure cookie; from anyone else neither")
    func forwardedTLS() async throws {
        for trusted in [true, false] {
            try await withTongdao { app in
                if trusted { app.tongdaoConfiguration.trustedProxies = try TrustedProxies(parsing: "127.0.0.1, ::1") }
                try await Self.withClient { client in
                    try await withRunningServer(app) { base in
                        let login = try await Self.get(client, "\(base)/login", headers: [("X-Forwarded-Proto", "https")])
                        #expect(login.status == .ok)
                        let cookies = login.headers["Set-Cookie"]
                        #expect(!cookies.isEmpty)
                        #expect(cookies.allSatisfy { $0.contains("Secure") } == trusted, "trusted: \(trusted), \(cookies)")
                        #expect((login.headers.first(name: "Strict-Transport-Security") == "max-age=31536000") == trusted)
                        let plain = try await Self.get(client, "\(base)/login")
                        #expect(plain.headers.first(name: "Strict-Transport-Security") == nil, "plain HTTP never gets HSTS")
                    }
                }
            }
        }
    }
}
