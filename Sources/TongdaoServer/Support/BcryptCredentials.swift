import Crypto
import Foundation
import TongdaoUseCases
import Vapor

/// Credential hashing for the use cases: bcrypt for passwords, off the event loop (slow on purpose);
/// SHA-256 for bearer tokens and session cookies, which are long and random, so a fast digest is
/// enough and lets a token be found by its digest.
public struct BcryptCredentials: CredentialHashing {
    public let cost: Int
    public let threadPool: NIOThreadPool

    /// Verified against when the username is unknown, made at the same cost as real hashes, so that
    /// a wrong name takes as long as a wrong password.
    public let decoyHash: String

    public init(cost: Int, threadPool: NIOThreadPool) {
        self.cost = cost
        self.threadPool = threadPool
        decoyHash = (try? Bcrypt.hash(BcryptCredentials.randomToken(), cost: cost)) ?? ""
    }

    public func hashPassword(_ password: String) async throws -> String {
        let cost = cost
        return try await threadPool.runIfActive { try Bcrypt.hash(password, cost: cost) }
    }

    public func verifyPassword(_ password: String, against hash: String) async throws -> Bool {
        try await threadPool.runIfActive { (try? Bcrypt.verify(password, created: hash)) ?? false }
    }

    public func makeToken() -> String { Self.randomToken() }

    /// 32 random bytes, base64url: the token a client receives once.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    public func digest(ofToken token: String) -> String {
        // Read on every request: hexadecimal by table, not `String(format:)` per byte.
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: Data(token.utf8)) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    /// A password hash at `cost`, for a command that makes one without a running server.
    public static func hash(_ password: String, cost: Int) throws -> String {
        try Bcrypt.hash(password, cost: cost)
    }
}
