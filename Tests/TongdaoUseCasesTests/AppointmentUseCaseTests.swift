import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import Vapor

@Suite("Appointments: slots on working days only, booked and cancelled until the cutoff, no seat sold twice, attendance recorded by the desk")
struct AppointmentUseCaseTests {
    static func fields(_ error: (any Error)?) -> [String] { (error as? UseCaseError)?.problems.map(\.field) ?? [] }

    static func on(_ app: Application, _ day: String) -> AppointmentUseCases {
        app.testPlatform(clock: .starting(on: CivilDate(day)!)).appointments
    }

    static let fridays = SlotInput(weekday: "5", from: "2026-09-14", through: "2026-10-16", startsAt: "13:00", endsAt: "16:00", seats: "2")

    @Test(
        "published on working days (中秋 and 国庆 left out, the worked Saturday taken); booked, cancelled until the cutoff; attendance",
        arguments: TestDatabase.enabled)
    func lifecycle(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let world = try await ConsultationUseCaseTests.world(app)
            let september = Self.on(app, "2026-09-14")
            let published = try await september.publish(Self.fridays, by: world.zhangjiang)
            #expect(published.slots.map(\.day.description) == ["2026-09-18", "2026-10-09", "2026-10-16"])
            #expect(published.skipped.map(\.reason) == ["中秋节", "国庆节"] && published.slots.allSatisfy { $0.desk == "zhangjiang" && $0.seats == 2 })
            #expect(published.slots[0].lastDay == CivilDate("2026-09-17") && published.slots[0].deskName == "张江工作站")
            let again = await #expect(throws: UseCaseError.self) { try await september.publish(Self.fridays, by: world.zhangjiang) }
            #expect(Self.fields(again) == ["weekday"], "published already")

            // One day: a holiday refused at `day` with its name; the worked Saturday accepted; bad figures named.
            func refused(_ input: SlotInput, by caller: Caller) async -> [String] {
                Self.fields(await #expect(throws: UseCaseError.self) { try await september.publish(input, by: caller) })
            }
            let holiday = SlotInput(day: "2026-10-02", startsAt: "09:00", endsAt: "11:00", seats: "5")
            let error = await #expect(throws: UseCaseError.self) { try await september.publish(holiday, by: world.zhangjiang) }
            #expect(Self.fields(error) == ["day"] && error?.problems.first?.chinese.contains("国庆节") == true)
            let saturday = try await september.publish(
                SlotInput(day: "2026-10-10", startsAt: "09:00", endsAt: "11:00", seats: "5"), by: world.zhangjiang)
            #expect(saturday.slots.map(\.day.description) == ["2026-10-10"])
            #expect(
                await refused(SlotInput(desk: "xuhui", day: "2026-10-12", startsAt: "09:00", endsAt: "11:00", seats: "5"), by: world.zhangjiang) == [
                    "desk"
                ])
            #expect(
                await refused(SlotInput(day: "2026-10-12", startsAt: "11:00", endsAt: "09:00", seats: "0"), by: world.zhangjiang) == [
                    "endsAt", "seats",
                ])
            #expect(await refused(SlotInput(day: "2026-10-10", startsAt: "09:00", endsAt: "11:00", seats: "5"), by: world.zhangjiang) == ["startsAt"])
            await #expect(throws: UseCaseError.forbidden(.manageAppointments, role: .enterpriseUser)) {
                try await september.publish(SlotInput(day: "2026-10-12", startsAt: "09:00", endsAt: "11:00", seats: "5"), by: world.maker)
            }
            let review = try await september.publish(
                SlotInput(desk: "review-centre", day: "2026-10-12", startsAt: "09:00", endsAt: "11:00", seats: "5"), by: world.regulator)
            #expect(review.slots.first?.deskName == "市审评核查中心")

            // Booking the 18 September slot: two seats.
            let slot = published.slots[0].id
            let booking = BookingInput(topic: "clinical-trial", question: "临床试验方案的样本量如何估算？")
            let mine = try await september.book(slot: slot, booking, by: world.maker)
            #expect(mine.status == .booked && mine.deskName == "张江工作站" && mine.lastDay == CivilDate("2026-09-17"))
            #expect(
                Self.fields(await #expect(throws: UseCaseError.self) { try await september.book(slot: slot, booking, by: world.maker) }) == ["slot"])
            _ = try await september.book(slot: slot, booking, by: world.rival)
            let full = await #expect(throws: UseCaseError.self) {
                try await september.book(
                    slot: slot, BookingInput(enterprise: world.enterprises[1].id.uuidString, topic: "dossier", question: "资料？"), by: world.regulator)
            }
            #expect(Self.fields(full) == ["slot"] && full?.problems.first?.chinese.contains("约满") == true)
            #expect(
                Self.fields(
                    await #expect(throws: UseCaseError.self) { try await september.book(slot: slot, BookingInput(topic: "nothing"), by: world.maker) }
                )
                    == ["question", "topic"])

            // What each sees: the enterprise its own booking; the desk every one.
            #expect(try await september.slot(id: slot, by: world.maker).bookings.map(\.id) == [mine.id])
            #expect(try await september.slot(id: slot, by: world.zhangjiang).bookings.count == 2)
            #expect(
                try await september.slot(id: slot, by: world.xuhui).bookings.map(\.enterprise) == [world.enterprises[3].name],
                "another station: only the bookings of the enterprises in its districts")
            #expect(try await september.slot(id: slot, by: world.zhangjiang).bookable == false, "full")
            await #expect(throws: UseCaseError.notFound(.appointment)) {
                try await september.cancel(id: mine.id, reason: nil, expecting: mine.version, by: world.rival)
            }

            // Cancelled: the seat is free again and the regulator books it for 临港's enterprise.
            let cancelled = try await september.cancel(id: mine.id, reason: "改期", expecting: mine.version, by: world.maker)
            #expect(cancelled.status == .cancelled && cancelled.note == "改期")
            let forOther = try await september.book(
                slot: slot, BookingInput(enterprise: world.enterprises[1].id.uuidString, topic: "dossier", question: "资料要求？"), by: world.regulator)
            #expect(forOther.enterprise == world.enterprises[1].name)

            // The cutoff: booking closes on 17 September (the Thursday); cancelling too.
            #expect(
                Self.fields(
                    await #expect(throws: UseCaseError.self) { try await Self.on(app, "2026-09-18").book(slot: slot, booking, by: world.maker) }) == [
                        "slot"
                    ])
            #expect(
                Self.fields(
                    await #expect(throws: UseCaseError.self) {
                        try await Self.on(app, "2026-09-18").cancel(id: forOther.id, reason: nil, expecting: forOther.version, by: world.regulator)
                    }) == ["status"])
            _ = try await Self.on(app, "2026-09-17").book(slot: published.slots[1].id, booking, by: world.maker)

            // Attendance: on the day or later, by the desk.
            #expect(
                Self.fields(
                    await #expect(throws: UseCaseError.self) {
                        try await september.recordAttendance(
                            id: forOther.id, status: "attended", note: nil, expecting: forOther.version, by: world.zhangjiang)
                    }) == ["status"])
            let onTheDay = Self.on(app, "2026-09-18")
            await #expect(throws: UseCaseError.notFound(.appointment)) {
                try await onTheDay.recordAttendance(id: forOther.id, status: "attended", note: nil, expecting: forOther.version, by: world.xuhui)
            }
            let attended = try await onTheDay.recordAttendance(
                id: forOther.id, status: "attended", note: "讨论了申报资料目录。", expecting: forOther.version, by: world.zhangjiang)
            #expect(attended.status == .attended)
            #expect(
                Self.fields(
                    await #expect(throws: UseCaseError.self) {
                        try await onTheDay.recordAttendance(
                            id: attended.id, status: "booked", note: nil, expecting: attended.version, by: world.zhangjiang)
                    }) == ["status"])
            #expect(try await onTheDay.bookings(by: world.maker).map(\.status) == [.booked, .cancelled])
            let audited = try await AuditEntryModel.query(on: app.db).filter(\.$entityType ~~ ["appointment", "appointment_slot"]).count()
            #expect(audited == 3 + 4 + 1 + 1)
        }
    }

    @Test("fifty bookings at once for the last seat: exactly one gets it, the others are told the slot is full", arguments: TestDatabase.enabled)
    func lastSeat(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let world = try await ConsultationUseCaseTests.world(app)
            let appointments = world.platform.appointments
            let slot = try await appointments.publish(
                SlotInput(day: "2026-11-27", startsAt: "13:00", endsAt: "16:00", seats: "3"), by: world.zhangjiang
            ).slots[0]
            let booking = BookingInput(topic: "dossier", question: "申报资料的格式要求？")
            _ = try await appointments.book(slot: slot.id, booking, by: world.maker)
            _ = try await appointments.book(slot: slot.id, booking, by: world.rival)
            var callers: [Caller] = []
            for index in 0..<50 {
                let uscc = USCC.completing("91310115MA2B" + String(format: "%05d", index))!
                _ = try await world.platform.enterprises.create(
                    EnterpriseInput(EnterpriseDraft(uscc: uscc, name: "竞约企业 \(index)", district: "310115", kind: .registrant)), by: Fixtures.caller)
                callers.append(.user(id: UUID(), username: "racer-\(index)", role: .enterpriseUser, scope: .enterprise(uscc)))
            }
            let outcomes = await withTaskGroup(of: String.self) { group in
                for caller in callers {
                    group.addTask {
                        do {
                            _ = try await appointments.book(slot: slot.id, booking, by: caller)
                            return "booked"
                        } catch let refusal as UseCaseError {
                            if case .conflict(let problem) = refusal, problem.field == "slot" { return "full" }
                            return "refused: \(refusal)"
                        } catch {
                            return "fault: \(error)"
                        }
                    }
                }
                var outcomes: [String] = []
                for await outcome in group { outcomes.append(outcome) }
                return outcomes
            }
            #expect(outcomes.count { $0 == "booked" } == 1, "\(Set(outcomes))")
            #expect(outcomes.count { $0 == "full" } == 49, "\(Set(outcomes))")
            let after = try await appointments.slot(id: slot.id, by: world.zhangjiang)
            #expect(after.booked == 3 && after.bookings.count == 3)
            #expect(try await AppointmentModel.query(on: app.db).filter(\.$slotID == slot.id).count() == 3, "nothing else written")
        }
    }
}
