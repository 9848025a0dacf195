import Vapor

extension Request {
    private struct RequestIDKey: StorageKey { typealias Value = String }

    /// The ID that the response's `X-Request-ID` and every log line of this request carry.
    var effectiveRequestID: String {
        storage[RequestIDKey.self] ?? id
    }

    fileprivate func setEffectiveRequestID(_ value: String) {
        storage[RequestIDKey.self] = value
    }
}

/// Echoes the request ID on every response. Vapor adopts a client's `X-Request-ID` verbatim; one
/// that is too long or holds characters a log reader could trip on is replaced by a fresh one.
struct RequestIDMiddleware: AsyncMiddleware {
    static let header = "X-Request-ID"

    static func isAcceptable(_ id: String) -> Bool {
        (1...128).contains(id.utf8.count)
            && id.unicodeScalars.allSatisfy {
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.:".unicodeScalars.contains($0))
            }
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if !Self.isAcceptable(request.id) {
            let fresh = UUID().uuidString
            request.setEffectiveRequestID(fresh)
            request.logger[metadataKey: "request-id"] = .string(fresh)
        }
        let response = try await next.respond(to: request)
        response.headers.replaceOrAdd(name: Self.header, value: request.effectiveRequestID)
        return response
    }
}
