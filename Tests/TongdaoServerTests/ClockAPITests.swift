import Foundation
import Testing
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

@Suite("POST /api/v1/clock/preview and GET /api/v1/procedures")
struct ClockAPITests {
    struct ClockBody: Decodable, Equatable {
        struct Segment: Decodable, Equatable {
            var kind: String
            var from: String
            var to: String
            var workingDays: Int
        }

        var procedure: String
        var version: String
        var phase: String
        var state: String
        var limit: Int
        var used: Int
        var remaining: Int
        var deadline: String?
        var level: String
        var supplementExpired: Bool
        var provisional: Bool
        var segments: [Segment]
    }

    static func preview(_ json: String, on app: Application, _ check: @escaping (TestingHTTPResponse) throws -> Void) async throws {
        try await app.testing().test(
            .POST, "/api/v1/clock/preview",
            beforeRequest: { req in
                req.headers.contentType = .json
                req.body = ByteBuffer(string: json)
            }, afterResponse: { res in try check(res) })
    }

    struct InspectionBody: Decodable {
        struct Inspection: Decodable {
            var startBy: String?
            var startedOn: String?
            var completedOn: String?
            var limit: Int?
            var used: Int
            var late: Bool
            var level: String
        }

        var used: Int
        var restartedOn: String?
        var segments: [ClockBody.Segment]
        var inspection: Inspection?
    }

    // The scenario of ReviewClockTests.inspectionStopsTheReviewClock: 7 counted before the inspection,
    // 28 left out for it (its own clock: 28 of 30), 5 after it.
    @Test("the preview takes the QMS inspection's events: its time is left out, its own clock is read")
    func inspection() async throws {
        try await withTongdao { app in
            try await Self.preview(
                """
                {"procedure":"device.class3.registration","asOf":"2025-10-31","events":[
                  {"type":"accepted","on":"2025-09-01"},
                  {"type":"qms_inspection_started","on":"2025-09-10"},
                  {"type":"qms_inspection_completed","on":"2025-10-24"}]}
                """, on: app
            ) { res in
                #expect(res.status == .ok, "\(res.body.string)")
                let clock = try decode(InspectionBody.self, from: res)
                #expect(clock.used == 12 && clock.segments.map(\.kind) == ["counting", "inspection", "counting"])
                let inspection = try #require(clock.inspection)
                #expect(inspection.startBy == "2025-09-15" && inspection.startedOn == "2025-09-10" && inspection.completedOn == "2025-10-24")
                #expect(inspection.limit == 30 && inspection.used == 28 && !inspection.late && inspection.level == "amber")
            }
            // After a device's supplement the limit starts again, and the answer says since when.
            try await Self.preview(
                """
                {"procedure":"device.class2.registration","asOf":"2026-03-31","events":[
                  {"type":"accepted","on":"2025-12-01"},
                  {"type":"supplement_requested","on":"2026-01-15"},
                  {"type":"supplement_received","on":"2026-02-10"}]}
                """, on: app
            ) { res in
                let clock = try decode(InspectionBody.self, from: res)
                #expect(clock.restartedOn == "2026-02-10")
            }
        }
    }

    @Test("the clock of a timeline, explained segment by segment (the Spring Festival scenario)", arguments: TestDatabase.enabled)
    func springFestival(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            try await Self.preview(
                """
                {"procedure":"device.class2.registration","asOf":"2026-03-31","events":[
                  {"type":"accepted","on":"2025-12-01"},
                  {"type":"supplement_requested","on":"2026-01-15"},
                  {"type":"supplement_received","on":"2026-02-10"}]}
                """, on: app
            ) { res in
                #expect(res.status == .ok)
                let clock = try decode(ClockBody.self, from: res)
                #expect(clock.version == "2021")
                #expect(clock.phase == "review" && clock.state == "running")
                #expect(clock.limit == 60 && clock.used == 31 && clock.remaining == 29)
                #expect(clock.deadline == "2026-05-14")
                #expect(clock.level == "green")
                #expect(clock.segments.map(\.kind) == ["counting", "supplement", "counting"])
                #expect(clock.segments.first?.workingDays == 32)
            }
        }
    }

    @Test("an impossible timeline is a 422 naming the event")
    func impossible() async throws {
        try await withTongdao { app in
            try await Self.preview(
                """
                {"procedure":"device.class2.registration","asOf":"2026-03-31","events":[
                  {"type":"accepted","on":"2025-12-01"},{"type":"supplement_received","on":"2026-02-10"}]}
                """, on: app
            ) { res in
                #expect(res.status == .unprocessableEntity)
                let problem = try decode(ProblemBody.self, from: res)
                #expect(problem.type == "/problems/clock/impossible-event")
                #expect(problem.errors?.first?.field == "events[1]")
            }
        }
    }

    @Test(
        "bad input names every field at fault",
        arguments: [
            (
                #"{"procedure":"device.class2.registration","events":[{"type":"acepted","on":"2025-13-01"}]}"#, 400,
                ["events[0].type", "events[0].on"]
            ),
            (#"{"events":[]}"#, 400, ["procedure"]),
            (#"{"procedure":"x","events":[{"type":"accepted","on":5}]}"#, 400, ["events[0].on"]),
            (#"{"procedure":"device.class2.registration","asOf":"tomorrow","events":[]}"#, 400, ["asOf", "events"]),
            (#"{"procedure":"device.nothing","events":[{"type":"accepted","on":"2025-01-02"}]}"#, 422, ["procedure"]),
            (#"{"procedure":"device.class2.registration","events":[{"type":"accepted","on":"2020-01-02"}]}"#, 422, ["procedure"]),
        ])
    func badInput(json: String, status: Int, fields: [String]) async throws {
        try await withTongdao { app in
            try await Self.preview(json, on: app) { res in
                #expect(Int(res.status.code) == status)
                #expect(res.headers.contentType?.description.hasPrefix("application/problem+json") == true)
                let problem = try decode(ProblemBody.self, from: res)
                #expect(problem.errors?.map(\.field) == fields)
            }
        }
    }

    @Test("the catalogue is served from the database, seeded once and then left to administrators", arguments: TestDatabase.enabled)
    func procedures(database: TestDatabase) async throws {
        struct ListBody: Decodable {
            struct Item: Decodable {
                struct Version: Decodable {
                    var version: String
                    var effectiveFrom: String
                    var review: Int
                }

                var code: String
                var versions: [Version]
            }

            var items: [Item]
        }
        try await withTongdao(database) { app in
            try await app.testing().test(.GET, "/api/v1/procedures") { res in
                #expect(res.status == .ok)
                let body = try decode(ListBody.self, from: res)
                let codes = Set(body.items.map(\.code))
                for code in [
                    "device.class2.registration", "device.class3.registration", "device.class2.change", "device.class2.renewal",
                    "device.clinical-trial", "device.class2.priority.shanghai", "drug.clinical-trial", "drug.clinical-trial.pilot30",
                    "drug.supplement",
                ] {
                    #expect(codes.contains(code), "\(code)")
                }
                #expect(body.items.first { $0.code == "device.class3.registration" }?.versions.first?.review == 90)
            }
        }
    }
}
