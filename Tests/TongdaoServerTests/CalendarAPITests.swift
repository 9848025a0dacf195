import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

@Suite("GET /api/v1/calendar/…")
struct CalendarAPITests {
    struct DayBody: Decodable, Equatable {
        var date: String
        var workingDay: Bool
        var kind: String
        var holiday: String?
        var provisional: Bool
    }

    struct AddBody: Decodable, Equatable {
        var from: String
        var days: Int
        var date: String
        var provisional: Bool
    }

    struct BetweenBody: Decodable, Equatable {
        var from: String
        var to: String
        var workingDays: Int
        var provisional: Bool
    }

    @Test("a day says whether it is worked, and why")
    func days() async throws {
        try await withTongdao { app in
            try await app.testing().test(.GET, "/api/v1/calendar/days/2026-02-14") { res in
                let body = try decode(DayBody.self, from: res)
                #expect(body == DayBody(date: "2026-02-14", workingDay: true, kind: "adjusted_workday", holiday: "春节", provisional: false))
            }
            try await app.testing().test(.GET, "/api/v1/calendar/days/2026-02-17") { res in
                let body = try decode(DayBody.self, from: res)
                #expect(body == DayBody(date: "2026-02-17", workingDay: false, kind: "holiday", holiday: "春节", provisional: false))
            }
            try await app.testing().test(.GET, "/api/v1/calendar/days/2026-03-01") { res in
                let body = try decode(DayBody.self, from: res)
                #expect(body.kind == "weekend")
            }
        }
    }

    @Test("adding and counting working days across the Spring Festival and National Day", arguments: TestDatabase.enabled)
    func arithmetic(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            try await app.testing().test(.GET, "/api/v1/calendar/add-working-days?from=2026-02-13&days=2") { res in
                let body = try decode(AddBody.self, from: res)
                #expect(body == AddBody(from: "2026-02-13", days: 2, date: "2026-02-24", provisional: false))
            }
            try await app.testing().test(.GET, "/api/v1/calendar/working-days-between?from=2025-09-30&to=2025-10-11") { res in
                let body = try decode(BetweenBody.self, from: res)
                #expect(body == BetweenBody(from: "2025-09-30", to: "2025-10-11", workingDays: 3, provisional: false))
            }
        }
    }

    @Test("an unpublished year is a 422 naming the year, unless provisional=true")
    func unpublished() async throws {
        try await withTongdao { app in
            try await app.testing().test(.GET, "/api/v1/calendar/add-working-days?from=2026-12-20&days=20") { res in
                #expect(res.status == .unprocessableEntity)
                let problem = try decode(YearProblem.self, from: res)
                #expect(problem.type == "/problems/calendar/schedule-not-published")
                #expect(problem.year == 2027)
            }
            try await app.testing().test(.GET, "/api/v1/calendar/days/2027-03-01") { res in
                #expect(res.status == .unprocessableEntity)
            }
            // 2026-12-31 is a Thursday; weekends only in 2027: Fri 1 Jan, Mon 4 Jan.
            try await app.testing().test(.GET, "/api/v1/calendar/add-working-days?from=2026-12-31&days=2&provisional=true") { res in
                let body = try decode(AddBody.self, from: res)
                #expect(body == AddBody(from: "2026-12-31", days: 2, date: "2027-01-04", provisional: true))
            }
            try await app.testing().test(.GET, "/api/v1/calendar/working-days-between?from=2026-12-31&to=2027-01-04&provisional=true") { res in
                let body = try decode(BetweenBody.self, from: res)
                #expect(body == BetweenBody(from: "2026-12-31", to: "2027-01-04", workingDays: 2, provisional: true))
            }
        }
    }

    struct YearProblem: Decodable {
        var type: String
        var status: Int
        var year: Int?
    }

    @Test(
        "bad parameters are 400 problems naming each one",
        arguments: [
            ("/api/v1/calendar/days/2026-02-30", ["date"]),
            ("/api/v1/calendar/days/tomorrow", ["date"]),
            ("/api/v1/calendar/add-working-days?from=2026-02-13&days=abc", ["days"]),
            ("/api/v1/calendar/add-working-days?from=2026-02-13&days=-1", ["days"]),
            ("/api/v1/calendar/add-working-days?from=2026-02-13&days=100000", ["days"]),
            ("/api/v1/calendar/add-working-days?days=3", ["from"]),
            ("/api/v1/calendar/add-working-days?from=13/02/2026&days=x&provisional=maybe", ["from", "days", "provisional"]),
            ("/api/v1/calendar/working-days-between?from=2026-01-01", ["to"]),
            ("/api/v1/calendar/working-days-between?from=2026-01-01&to=3001-01-01", ["to"]),
        ])
    func badParameters(path: String, fields: [String]) async throws {
        try await withTongdao { app in
            try await app.testing().test(.GET, path) { res in
                #expect(res.status == .badRequest)
                #expect(res.headers.contentType?.description.hasPrefix("application/problem+json") == true)
                let body = try decode(ProblemBody.self, from: res)
                #expect(body.errors?.map(\.field) == fields)
            }
        }
    }

    @Test("a year stored in the database is used at once, without a restart", arguments: TestDatabase.enabled)
    func importedYearIsPickedUp(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            try await app.testing().test(.GET, "/api/v1/calendar/days/2027-02-08") { res in
                #expect(res.status == .unprocessableEntity)
            }
            // when: the 2027 schedule is stored (as `tongdao calendar import` does)
            _ = try await app.platform.settings.importYears(
                "year 2027\nholiday 2027-02-06..2027-02-12 春节\nworkday 2027-02-13 春节\n", source: "test", by: Fixtures.caller)
            // then
            try await app.testing().test(.GET, "/api/v1/calendar/days/2027-02-08") { res in
                let body = try decode(DayBody.self, from: res)
                #expect(body == DayBody(date: "2027-02-08", workingDay: false, kind: "holiday", holiday: "春节", provisional: false))
            }
        }
    }
}
