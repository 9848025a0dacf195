import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

@Suite("Appointments over HTTP: slots published and booked through the API (a full slot 409 naming it), the pages keeping what was typed")
struct AppointmentHTTPTests {
    struct Slot: Decodable {
        var id: String
        var free: Int
        var day: String
        var bookable: Bool
    }

    struct Publication: Decodable {
        struct Skipped: Decodable { var day: String }
        var items: [Slot]
        var skipped: [Skipped]
    }

    struct Booking: Decodable {
        var id: String
        var version: Int
        var status: String
    }

    struct Problem: Decodable {
        struct Field: Decodable { var field: String }
        var errors: [Field]?
    }

    @Test("published (a holiday refused naming `day`), booked until full (409 naming `slot`), cancelled on If-Match", arguments: TestDatabase.enabled)
    func api(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            _ = try await ConsultationHTTPTests.scene(app)
            let station = try await TestUsers.token("zj-station", on: app)
            let maker = try await TestUsers.token("maker", on: app)
            let rival = try await TestUsers.token("rival", on: app)
            let holiday = #"{"day": "2026-11-29", "startsAt": "13:00", "endsAt": "16:00", "seats": 1}"#
            try await app.testing().test(
                .POST, "/api/v1/appointment-slots", headers: bearer(station), beforeRequest: { $0.body = ByteBuffer(string: holiday) }
            ) { res in
                #expect(res.status == .unprocessableEntity && decoded(Problem.self, from: res)?.errors?.map(\.field) == ["day"], "\(res.body.string)")
            }
            let weekly = #"{"weekday": 5, "from": "2026-11-23", "through": "2026-12-11", "startsAt": "13:00", "endsAt": "16:00", "seats": 1}"#
            var made: Publication?
            try await app.testing().test(
                .POST, "/api/v1/appointment-slots", headers: bearer(station), beforeRequest: { $0.body = ByteBuffer(string: weekly) }
            ) { res in
                #expect(res.status == .created, "\(res.body.string)")
                made = decoded(Publication.self, from: res)
            }
            let publication = try #require(made)
            #expect(publication.items.map(\.day) == ["2026-11-27", "2026-12-04", "2026-12-11"] && publication.skipped.isEmpty)
            let slot = publication.items[0].id
            let booking = #"{"topic": "dossier", "question": "申报资料目录？"}"#
            var mine: Booking?
            try await app.testing().test(
                .POST, "/api/v1/appointment-slots/\(slot)/bookings", headers: bearer(maker), beforeRequest: { $0.body = ByteBuffer(string: booking) }
            ) { res in
                #expect(res.status == .created && res.headers.first(name: .eTag) == "\"1\"")
                mine = decoded(Booking.self, from: res)
            }
            try await app.testing().test(
                .POST, "/api/v1/appointment-slots/\(slot)/bookings", headers: bearer(rival), beforeRequest: { $0.body = ByteBuffer(string: booking) }
            ) { res in
                #expect(res.status == .conflict && decoded(Problem.self, from: res)?.errors?.map(\.field) == ["slot"], "\(res.body.string)")
            }
            try await app.testing().test(.GET, "/api/v1/appointment-slots?desk=zhangjiang", headers: bearer(rival)) { res in
                #expect(decoded([String: [Slot]].self, from: res)?["items"]?.map(\.free) == [0, 1, 1])
            }
            let booked = try #require(mine)
            let path = "/api/v1/appointments/\(booked.id)/cancellation"
            try await app.testing().test(.POST, path, headers: bearer(maker), beforeRequest: { $0.body = ByteBuffer(string: "{}") }) { res in
                #expect(res.status == .preconditionRequired)
            }
            try await app.testing().test(.POST, path, headers: bearer(rival, ifMatch: 1), beforeRequest: { $0.body = ByteBuffer(string: "{}") }) {
                res in
                #expect(res.status == .notFound, "another enterprise's booking")
            }
            try await app.testing().test(
                .POST, path, headers: bearer(maker, ifMatch: 1), beforeRequest: { $0.body = ByteBuffer(string: #"{"reason": "改期"}"#) }
            ) { res in
                #expect(res.status == .ok && decoded(Booking.self, from: res)?.status == "cancelled")
            }
            try await app.testing().test(.GET, "/api/v1/appointments", headers: bearer(maker)) { res in
                #expect(decoded([String: [Booking]].self, from: res)?["items"]?.map(\.status) == ["cancelled"])
            }
            try await app.testing().test(.GET, "/api/v1/appointments?status=lost", headers: bearer(maker)) { res in #expect(res.status == .badRequest)
            }
        }
    }

    @Test(
        "the pages: a refused publication keeps what was typed; a slot booked on its page; the board and the inbox", arguments: TestDatabase.enabled)
    func pages(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            _ = try await ConsultationHTTPTests.scene(app)
            let station = Browser(app)
            #expect(try await station.signIn("zj-station") == .seeOther)
            let board = try await station.get("/appointments")
            #expect(board.status == .ok && board.html.contains("发布预约时段"))
            let token = try #require(Browser.csrf(in: board.html))
            let refused = try await station.post(
                "/appointments/slots", ["_csrf": token, "day": "2026-11-28", "startsAt": "13:00", "endsAt": "12:00", "seats": "3"])
            #expect(refused.status == .unprocessableEntity && refused.html.contains("结束时间应晚于开始时间"))
            #expect(refused.html.contains(#"value="2026-11-28""#))
            let weekend = try await station.post(
                "/appointments/slots", ["_csrf": token, "day": "2026-11-28", "startsAt": "13:00", "endsAt": "16:00", "seats": "3"])
            #expect(weekend.status == .unprocessableEntity && weekend.html.contains("2026-11-28 不是工作日（周末）"))
            let made = try await station.post(
                "/appointments/slots", ["_csrf": token, "day": "2026-11-24", "startsAt": "13:00", "endsAt": "16:00", "seats": "3"])
            #expect(made.status == .seeOther)
            let slot = try #require(try await AppointmentSlotModel.query(on: app.db).first())

            let maker = Browser(app)
            #expect(try await maker.signIn("maker") == .seeOther)
            let page = try await maker.get("/appointments/slots/\(try slot.requireID())")
            #expect(page.html.contains("拟咨询的问题") && !page.html.contains("登记"))
            let makerToken = try #require(Browser.csrf(in: page.html))
            let empty = try await maker.post(
                "/appointments/slots/\(try slot.requireID())/bookings", ["_csrf": makerToken, "topic": "dossier", "question": ""])
            #expect(empty.status == .unprocessableEntity && empty.html.contains("请填写拟咨询的问题"))
            let booked = try await maker.post(
                "/appointments/slots/\(try slot.requireID())/bookings", ["_csrf": makerToken, "topic": "dossier", "question": "资料目录怎么编？"])
            #expect(booked.status == .seeOther)
            let after = try await maker.get("/appointments/slots/\(try slot.requireID())")
            #expect(after.html.contains("取消预约（截止 2026-11-23）") && after.html.contains("资料目录怎么编？"))
            let inbox = try await maker.get("/inbox")
            #expect(inbox.html.contains("近期预约（1）") && inbox.html.contains("张江工作站"))
            #expect(try await station.get("/appointments").html.contains("资料目录怎么编？") == false, "the board lists bookings, not questions")
            #expect(try await station.get("/appointments/slots/\(try slot.requireID())").html.contains("资料目录怎么编？"))
        }
    }
}
