import AsyncHTTPClient
import Fluent
import Foundation
import Testing
import TongdaoCore
@testable import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

@Suite("Behind a reverse proxy: the client's address from X-Forwarded-For, only when the proxy is trusted")
struct TrustedProxiesTests {
    @Test("addresses and networks, IPv4 and IPv6, are parsed; anything else names the entry")
    func parsing() throws {
        let proxies = try TrustedProxies(parsing: " 10.0.0.5, 172.16.0.0/12 ,fd00::/8, ::1,")
        #expect(proxies.contains("10.0.0.5") && !proxies.contains("10.0.0.6"))
        #expect(
            proxies.contains("172.16.0.1") && proxies.contains("172.31.255.255") && !proxies.contains("172.32.0.0")
                && !proxies.contains("172.15.255.255"))
        #expect(proxies.contains("fd12:3456::1") && !proxies.contains("fe80::1"))
        #expect(proxies.contains("::1") && !proxies.contains("::2"))
        #expect(!proxies.contains("10.0.0.5.1") && !proxies.contains("") && !proxies.contains("proxy.local"))
        #expect(try TrustedProxies(parsing: "0.0.0.0/0").contains("203.0.113.7"))
        #expect(!(try TrustedProxies(parsing: "0.0.0.0/0").contains("::1")), "an IPv4 network holds no IPv6 address")
        #expect(try TrustedProxies(parsing: "") == .none)
        for bad in ["10.0.0.0/33", "fd00::/129", "10.0.0.0/", "10.0.0.0/-1", "10.0.0", "proxy.local", "10.0.0.1/8/8"] {
            #expect(throws: TrustedProxies.ParseError(entry: bad), "\(bad)") { try TrustedProxies(parsing: "10.0.0.9, \(bad)") }
        }
    }

    @Test("the client is the rightmost forwarded address that is not a trusted proxy; without a trusted peer the header is ignored")
    func client() throws {
        let proxies = try TrustedProxies(parsing: "10.0.0.0/8")
        // A direct client: whatever it writes in the header is ignored.
        #expect(proxies.client(peer: "203.0.113.7", forwardedFor: ["198.51.100.1"]) == "203.0.113.7")
        #expect(TrustedProxies.none.client(peer: "10.0.0.5", forwardedFor: ["198.51.100.1"]) == "10.0.0.5")
        // Through the proxy: the address it saw, not what the client claimed before it.
        #expect(proxies.client(peer: "10.0.0.5", forwardedFor: ["198.51.100.1, 203.0.113.7"]) == "203.0.113.7")
        #expect(
            proxies.client(peer: "10.0.0.5", forwardedFor: ["198.51.100.1", "203.0.113.7, 10.0.0.9"]) == "203.0.113.7", "two proxies, two headers")
        // Only proxies in the chain: the first of them; no header, or garbage from the proxy: the peer.
        #expect(proxies.client(peer: "10.0.0.5", forwardedFor: ["10.0.0.7, 10.0.0.9"]) == "10.0.0.7")
        #expect(proxies.client(peer: "10.0.0.5", forwardedFor: []) == "10.0.0.5")
        #expect(proxies.client(peer: "10.0.0.5", forwardedFor: ["198.51.100.1, unknown"]) == "10.0.0.5")
        #expect(proxies.client(peer: nil, forwardedFor: ["198.51.100.1"]) == nil)
    }

    @Test("TONGDAO_TRUSTED_PROXIES is read, and a bad entry is refused with the variable named")
    func configuration() throws {
        let configured = try AppConfiguration.from(environment: ["TONGDAO_TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/8"])
        #expect(configured.trustedProxies.contains("10.1.2.3") && configured.trustedProxies.contains("127.0.0.1"))
        #expect(try AppConfiguration.from(environment: [:]).trustedProxies == .none)
        #expect {
            try AppConfiguration.from(environment: ["TONGDAO_TRUSTED_PROXIES": "10.0.0.0/99"])
        } throws: { error in
            (error as? AppConfiguration.Problem)?.variable == "TONGDAO_TRUSTED_PROXIES"
                && (error as? AppConfiguration.Problem)?.message.contains("10.0.0.0/99") == true
        }
    }

    /// `POST /api/v1/auth/tokens` over a real connection from 127.0.0.1, with an `X-Forwarded-For`.
    static func signIn(_ client: HTTPClient, _ base: String, _ username: String, _ password: String, forwardedFor: String) async throws
        -> HTTPResponseStatus
    {
        try await postJSON(
            client, "\(base)/api/v1/auth/tokens", headers: [("X-Forwarded-For", forwardedFor)],
            json: ["username": username, "password": password]
        ).status
    }

    @Test(
        "behind a trusted proxy the throttle counts each forwarded client apart and audit rows name it; untrusted, the header changes nothing",
        arguments: TestDatabase.enabled)
    func throttleBehindProxy(database: TestDatabase) async throws {
        for trusted in [true, false] {
            try await withTongdao(database) { app in
                if trusted { app.tongdaoConfiguration.trustedProxies = try TrustedProxies(parsing: "127.0.0.1, ::1") }
                try await TestUsers.create("first", role: .cityRegulator, scope: .city, on: app)
                try await TestUsers.create("second", role: .cityRegulator, scope: .city, on: app)
                let client = HTTPClient(eventLoopGroupProvider: .singleton)
                do {
                    try await withRunningServer(app) { base in
                        for _ in 0..<5 {
                            #expect(try await Self.signIn(client, base, "first", "guess guess guess", forwardedFor: "203.0.113.7") == .unauthorized)
                        }
                        // The address that failed five times is throttled, whoever it signs in as.
                        #expect(
                            try await Self.signIn(client, base, "second", TestUsers.password, forwardedFor: "198.51.100.1, 203.0.113.7")
                                == .tooManyRequests)
                        // Another client behind the same proxy: free only when the proxy is trusted.
                        let other = try await Self.signIn(client, base, "second", TestUsers.password, forwardedFor: "198.51.100.9")
                        #expect(other == (trusted ? .created : .tooManyRequests), "trusted: \(trusted)")
                    }
                    try await client.shutdown()
                } catch {
                    try? await client.shutdown()
                    throw error
                }
                let failures = try await LoginFailureModel.query(on: app.db).all().map(\.address)
                #expect(failures.count == 5 && Set(failures) == [trusted ? "203.0.113.7" : "127.0.0.1"], "\(failures)")
                if trusted {
                    let issued = try await AuditEntryModel.query(on: app.db).filter(\.$actor == "user:second").all()
                    #expect(!issued.isEmpty && issued.allSatisfy { $0.clientAddress == "198.51.100.9" }, "\(issued.map(\.clientAddress))")
                }
            }
        }
    }
}
