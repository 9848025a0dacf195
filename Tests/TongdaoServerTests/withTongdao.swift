import Foundation
import Testing
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import VaporTesting

/// The real application, in-process, on a fresh database of the given kind, migrated and seeded
/// with reference data exactly as `tongdao serve` does at start-up.
///
/// Not named `withApp`: VaporTesting exports a `withApp(_:)` of its own that builds an *unconfigured*
/// application, and a call without arguments would silently pick it.
func withTongdao(
    _ database: TestDatabase = .sqlite,
    migrate: Bool = true,
    _ body: (Application) async throws -> Void
) async throws {
    try await database.withFreshLocation { location in
        try await withConfiguredApp(location: location, migrate: migrate, body)
    }
}

func withConfiguredApp(location: DatabaseLocation, migrate: Bool = true, _ body: (Application) async throws -> Void) async throws {
    let app = try await Application.make(.testing)
    do {
        try await configure(app, configuration: AppConfiguration(database: location))
        try await prepareDatabase(app, migrate: migrate)
        try await body(app)
        try await app.asyncShutdown()
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
}

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
