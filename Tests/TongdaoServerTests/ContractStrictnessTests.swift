import Foundation
import Testing
import TongdaoCore
import TongdaoTestSupport
import VaporTesting

/// What the contract forbids is refused before anything is done, with a 400 naming the field.
@Suite("The contract refuses what it forbids")
struct ContractStrictnessTests {
    @Test("out-of-range paths, over-long queries, a null where none is allowed, a missing body: 400 naming the field, nothing stored")
    func refused() async throws {
        try await withTongdao { app in
            try await TestUsers.create("admin", role: .cityAdmin, scope: .city, on: app)
            let token = try await TestUsers.token("admin", on: app)
            func problem(
                _ method: HTTPMethod, _ path: String, json: String? = nil, type: String = "application/json"
            ) async throws -> (HTTPStatus, [String]) {
                var answer: (HTTPStatus, [String]) = (.internalServerError, [])
                var headers = bearer(token)
                if json != nil { headers.replaceOrAdd(name: .contentType, value: type) }
                try await app.testing().test(
                    method, path, headers: headers,
                    beforeRequest: { req in
                        if let json { req.body = ByteBuffer(string: json) }
                    },
                    afterResponse: { res in
                        answer = (res.status, decoded(ProblemBody.self, from: res)?.errors?.map(\.field) ?? [])
                    })
                return answer
            }
            let long = String(repeating: "x", count: 101)
            #expect(try await problem(.GET, "/api/v1/census/1999/export") == (.badRequest, ["year"]))
            #expect(try await problem(.POST, "/api/v1/census/2026/imports?dryRun=true") == (.badRequest, ["body"]))
            #expect(try await problem(.POST, "/api/v1/census/2026/imports", json: "", type: "text/csv") == (.badRequest, ["body"]))
            #expect(
                try await problem(.POST, "/api/v1/clock/preview", json: #"{"procedure":"device.class2.registration","asOf":null,"events":[]}"#)
                    == (.badRequest, ["asOf"]))
            let version = String(repeating: "v", count: 41)
            #expect(
                try await problem(.PUT, "/api/v1/procedures/device.class2.registration/versions/\(version)", json: "{}").1.contains("version"))
            for (name, value) in [("district", "3101150"), ("park", long), ("reviewer", long), ("responsible", long)] {
                #expect(try await problem(.GET, "/api/v1/applications?\(name)=\(value)") == (.badRequest, [name]), "\(name)")
            }
            #expect(try await problem(.GET, "/api/v1/enterprises?district=\(long)") == (.badRequest, ["district"]))
            #expect(try await problem(.GET, "/api/v1/dashboard/summary?district=1234567") == (.badRequest, ["district"]))
        }
    }
}
