import Foundation
import TongdaoCore
import TongdaoUseCases
import Vapor

/// The pages of appointments: thin adapters over `platform.appointments`.
enum AppointmentController {
    /// `GET /appointments?desk=`
    @Sendable static func board(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readConsultations)
        return HTMLResponse.ok(
            try await boardPage(req, desk: req.query[String.self, at: "desk"], typed: nil, skipped: [], viewer: viewer, caller: caller))
    }

    private static func boardPage(
        _ req: Request, desk: String?, typed: TypedForm?, skipped: [AppointmentUseCases.Skipped], viewer: Viewer, caller: Caller
    ) async throws -> String {
        let desk = desk.flatMap { $0.isEmpty ? nil : $0 }
        let appointments = req.platform.appointments
        let desks =
            try req.platform.consultations.stations().map { (code: $0.code, name: $0.name) } + [
                (code: AppointmentDesk.reviewCentreCode, name: AppointmentDesk.reviewCentreName)
            ]
        return AppointmentPages.board(
            .init(
                slots: try await appointments.slots(desk: desk, by: caller), bookings: Array(try await appointments.bookings(by: caller).prefix(50)),
                desk: desk, desks: desks, topics: try await req.platform.consultations.topics(), typed: typed, skipped: skipped), viewer: viewer)
    }

    struct Form: Content {
        var desk: String?
        var day: String?
        var weekday: String?
        var from: String?
        var through: String?
        var startsAt: String?
        var endsAt: String?
        var seats: String?
        var topic: String?
        var enterprise: String?
        var question: String?
        var reason: String?
        var status: String?
        var note: String?
        var version: String?

        var typed: [String: String] {
            [
                "desk": desk, "day": day, "weekday": weekday, "from": from, "through": through, "startsAt": startsAt, "endsAt": endsAt,
                "seats": seats, "topic": topic, "enterprise": enterprise, "question": question, "reason": reason, "status": status, "note": note,
            ].compactMapValues { $0 }
        }
    }

    /// `POST /appointments/slots`: published, the board again with the days left out; refused, the
    /// form again with what was typed.
    @Sendable static func publish(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let form = try req.content.decode(Form.self)
        do {
            let published = try await req.platform.appointments.publish(
                SlotInput(
                    desk: form.desk.flatMap { $0.isEmpty ? nil : $0 }, day: form.day, weekday: form.weekday, from: form.from, through: form.through,
                    startsAt: form.startsAt, endsAt: form.endsAt, seats: form.seats, topic: form.topic.flatMap { $0.isEmpty ? nil : $0 }), by: caller)
            guard published.skipped.isEmpty else {
                return HTMLResponse.page(
                    try await boardPage(req, desk: nil, typed: nil, skipped: published.skipped, viewer: viewer, caller: caller), status: .created)
            }
            return req.redirect(to: SiteURL.appointments(query: nil).path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty {
            let typed = TypedForm(values: form.typed, errors: refusal.fieldMessages)
            return HTMLResponse.page(
                try await boardPage(req, desk: nil, typed: typed, skipped: [], viewer: viewer, caller: caller), status: .unprocessableEntity)
        }
    }

    /// `GET /appointments/slots/:id`
    @Sendable static func slot(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readConsultations)
        return HTMLResponse.ok(try await slotPage(req, id: try id(req, .appointmentSlot), typed: nil, step: nil, viewer: viewer, caller: caller))
    }

    private static func slotPage(_ req: Request, id: UUID, typed: TypedForm?, step: String?, viewer: Viewer, caller: Caller) async throws -> String {
        // The regulator books for an enterprise it picks; an enterprise books for itself.
        let forOthers = caller.may(.bookAppointments) && viewer.role != .enterpriseUser
        let enterprises = forOthers ? try await req.platform.consultations.askOptions(by: caller).enterprises : []
        return AppointmentPages.slot(
            try await req.platform.appointments.slot(id: id, by: caller), topics: try await req.platform.consultations.topics(),
            enterprises: enterprises, today: req.platform.clock.today(), typed: typed, step: step, viewer: viewer)
    }

    /// `POST /appointments/slots/:id/bookings`
    @Sendable static func book(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let slot = try id(req, .appointmentSlot)
        let form = try req.content.decode(Form.self)
        do {
            _ = try await req.platform.appointments.book(
                slot: slot, BookingInput(enterprise: form.enterprise, topic: form.topic, question: form.question), by: caller)
            return req.redirect(to: SiteURL.appointmentSlot(id: slot.uuidString).path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty {
            var typed = TypedForm(values: form.typed, errors: refusal.fieldMessages)
            var status = HTTPStatus.unprocessableEntity
            if case .conflict(let problem) = refusal {
                typed.message = problem.chinese
                status = .conflict
            }
            return HTMLResponse.page(try await slotPage(req, id: slot, typed: typed, step: "book", viewer: viewer, caller: caller), status: status)
        }
    }

    /// `POST /appointments/:id/(cancellation|attendance)`: done, back to its slot; refused, the
    /// slot's page with the message.
    @Sendable static func step(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let id = try id(req, .appointment)
        let step = req.parameters.get("step") ?? ""
        let form = try req.content.decode(Form.self)
        let version = form.version.flatMap { Int($0) }
        let appointments = req.platform.appointments
        do {
            let record =
                switch step {
                case "cancellation": try await appointments.cancel(id: id, reason: form.reason, expecting: version, by: caller)
                case "attendance":
                    try await appointments.recordAttendance(id: id, status: form.status, note: form.note, expecting: version, by: caller)
                default: throw Abort(.notFound)
                }
            return req.redirect(to: SiteURL.appointmentSlot(id: record.slotID.uuidString).path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty || refusal.isStale {
            var typed = TypedForm(values: form.typed, errors: refusal.fieldMessages)
            typed.message = refusal.isStale ? "该预约已被他人更新，请核对当前情况后再提交。" : refusal.problems.first?.chinese
            let slot = try await appointments.bookings(by: caller).first { $0.id == id }?.slotID
            guard let slot else { throw refusal }
            return HTMLResponse.page(
                try await slotPage(req, id: slot, typed: typed, step: step, viewer: viewer, caller: caller),
                status: refusal.formStatus)
        }
    }

    private static func id(_ req: Request, _ kind: UseCaseError.RecordKind) throws -> UUID {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw UseCaseError.notFound(kind) }
        return id
    }
}
