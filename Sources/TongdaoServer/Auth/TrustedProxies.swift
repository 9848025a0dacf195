import Foundation

/// The reverse proxies in front of the app (`TONGDAO_TRUSTED_PROXIES`), whose `X-Forwarded-For` is
/// believed. Behind a proxy every connection comes from the proxy's address, so the sign-in throttle
/// would count everyone's failures as one client's, and the audit trail would name the proxy.
///
/// The client is the connection's peer, unless the peer is a trusted proxy: then it is the rightmost
/// `X-Forwarded-For` address that is not a trusted proxy (the one the outermost trusted proxy saw).
/// Addresses left of it were written by the client and are never believed. With no proxy trusted
/// (the default) the header is ignored.
public struct TrustedProxies: Sendable, Equatable {
    /// An address or a network: the leading `prefix` bits of `bytes` (4 bytes for IPv4, 16 for IPv6).
    struct Network: Sendable, Equatable {
        var bytes: [UInt8]
        var prefix: Int

        func contains(_ address: [UInt8]) -> Bool {
            guard address.count == bytes.count else { return false }
            let whole = prefix / 8, rest = prefix % 8
            guard address[..<whole] == bytes[..<whole] else { return false }
            guard rest > 0 else { return true }
            let mask = UInt8(0xFF) << (8 - rest)
            return address[whole] & mask == bytes[whole] & mask
        }
    }

    var networks: [Network]

    public static let none = TrustedProxies(networks: [])

    init(networks: [Network]) {
        self.networks = networks
    }

    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public var entry: String
        public var description: String {
            "\(entry) is not an IP address or a network (such as 10.0.0.5, 10.0.0.0/8 or fd00::/8)"
        }
    }

    /// Addresses and networks separated by commas, such as `10.0.0.5, 172.16.0.0/12, ::1`.
    public init(parsing text: String) throws(ParseError) {
        var networks: [Network] = []
        for entry in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
            let parts = entry.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            guard let bytes = Self.bytes(of: String(parts[0])) else { throw ParseError(entry: entry) }
            var prefix = bytes.count * 8
            if parts.count == 2 {
                guard let length = Int(parts[1]), (0...prefix).contains(length) else {
                    throw ParseError(entry: entry)
                }
                prefix = length
            }
            networks.append(Network(bytes: bytes, prefix: prefix))
        }
        self.networks = networks
    }

    /// Whether `address` (textual IPv4 or IPv6) is one of the trusted proxies.
    public func contains(_ address: String) -> Bool {
        guard let bytes = Self.bytes(of: address) else { return false }
        return contains(bytes)
    }

    private func contains(_ bytes: [UInt8]) -> Bool {
        networks.contains { $0.contains(bytes) }
    }

    /// The client's address for a connection from `peer` carrying these `X-Forwarded-For` values
    /// (each may list several addresses, separated by commas, oldest first).
    public func client(peer: String?, forwardedFor: [String]) -> String? {
        guard let peer, !networks.isEmpty, contains(peer) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        for hop in hops.reversed() {
            // What the trusted proxy wrote; if it is not an address, the proxy is the best we know.
            guard let bytes = Self.bytes(of: hop) else { return peer }
            if !contains(bytes) { return hop }
        }
        // Every hop is a trusted proxy: the first of them is where the request came from.
        return hops.first ?? peer
    }

    /// The address's bytes, or nil when the text is neither an IPv4 nor an IPv6 address.
    static func bytes(of text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }
}
