import Crypto
import Foundation
import Vapor

/// Who may read `/metrics`: with `TONGDAO_METRICS_TOKEN` set, a request that presents it as a
/// bearer token; without it, only a request from this machine (a loopback peer, not forwarded by a
/// proxy). Anyone else is answered as for a path that does not exist.
enum MetricsAccess {
    static func admits(_ request: Request) -> Bool {
        if let token = request.application.tongdaoConfiguration.metricsToken {
            guard let presented = request.headers.bearerAuthorization?.token else { return false }
            // Compared as digests, in constant time, so the answer's timing says nothing of the token.
            return SHA256.hash(data: Data(presented.utf8)) == SHA256.hash(data: Data(token.utf8))
        }
        guard request.headers[.xForwardedFor].isEmpty, let peer = request.remoteAddress?.ipAddress else { return false }
        return peer == "127.0.0.1" || peer == "::1" || peer.hasPrefix("127.")
    }
}
