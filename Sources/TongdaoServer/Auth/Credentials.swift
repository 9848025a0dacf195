import Crypto
import Foundation
import Vapor

/// Password and token hashing: bcrypt for passwords, SHA-256 for bearer tokens (which are long and
/// random, so a fast digest is enough and lets a token be found by its digest).
public enum Credentials {
    public static func hashPassword(_ password: String, cost: Int) throws -> String {
        try Bcrypt.hash(password, cost: cost)
    }

    public static func verifyPassword(_ password: String, hash: String) -> Bool {
        (try? Bcrypt.verify(password, created: hash)) ?? false
    }

    /// Verified against when the username is unknown, so that a wrong name takes as long as a wrong password.
    static let decoyHash = (try? Bcrypt.hash("tongdao-decoy", cost: 10)) ?? ""

    /// 32 random bytes, base64url: the token a client receives once.
    static func makeToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func digest(ofToken token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// Minimum password rules for accounts created on the platform.
public enum PasswordRules {
    public static func problem(with password: String) -> String? {
        if password.count < 10 { return "must be at least 10 characters" }
        if password.count > 72 { return "must be at most 72 characters (bcrypt's limit)" }
        return nil
    }
}
