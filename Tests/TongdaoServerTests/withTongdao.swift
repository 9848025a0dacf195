import Foundation
import Testing
import TongdaoServer
import TongdaoStore
import TongdaoUseCases
import TongdaoCore
import TongdaoTestSupport
import VaporTesting

/// Decodes a JSON body, failing the test with the body's text if it does not decode.
func decode<T: Decodable>(_ type: T.Type, from response: TestingHTTPResponse) throws -> T {
    try JSONDecoder().decode(T.self, from: Data(response.body.readableBytesView))
}

/// Problem documents as the tests read them.
struct ProblemBody: Decodable, Equatable {
    struct FieldError: Decodable, Equatable {
        var field: String
        var message: String
    }

    var type: String
    var title: String
    var status: Int
    var detail: String?
    var errors: [FieldError]?
    var requestId: String?
}

/// `decode`, for use inside `#expect` (which cannot take a throwing call in these closures): nil
/// when the body does not decode, which fails the comparison it sits in.
func decoded<T: Decodable>(_ type: T.Type, from response: TestingHTTPResponse) -> T? {
    try? decode(type, from: response)
}

/// Users for tests (the fixtures' password, bcrypt at its lowest cost) and their API tokens.
enum TestUsers {
    static let password = Fixtures.password

    @discardableResult
    static func create(_ username: String, role: Role, scope: Scope, on app: Application) async throws -> UserRecord {
        try await Fixtures.user(username, role: role, scope: scope, on: app.platform)
    }

    static func token(_ username: String, password: String = TestUsers.password, on app: Application) async throws -> String {
        var token = ""
        try await app.testing().test(
            .POST, "/api/v1/auth/tokens",
            beforeRequest: { req in
                try req.content.encode(["username": username, "password": password])
            },
            afterResponse: { res in
                #expect(res.status == .created, "sign-in of \(username) failed: \(res.body.string)")
                token = try decode([String: String].self, from: res)["token"] ?? ""
            })
        return token
    }
}
