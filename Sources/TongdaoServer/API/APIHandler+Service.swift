import Foundation
import OpenAPIRuntime
import TongdaoAPI
import TongdaoCore
import TongdaoUseCases
import Vapor

extension APIHandler {
    /// `GET /api/v1/service-topics`
    func listServiceTopics(_ input: Operations.ListServiceTopics.Input) async throws -> Operations.ListServiceTopics.Output {
        let req = try RequestContext.require()
        let topics = try await req.platform.consultations.topics()
        return .ok(.init(body: .json(.init(items: topics.map { .init(code: $0.code, label: $0.label, cityLevel: $0.cityLevel) }))))
    }

    /// `GET /api/v1/consultations`
    func listConsultations(_ input: Operations.ListConsultations.Input) async throws -> Operations.ListConsultations.Output {
        let req = try RequestContext.require()
        let query = input.query
        let page = try await req.platform.consultations.list(
            status: query.status?.rawValue, desk: query.desk, topic: query.topic, level: query.level?.rawValue, escalated: query.escalated ?? false,
            kind: query.kind?.rawValue, limit: query.limit ?? 50, cursor: query.cursor, by: try req.requireCaller())
        return .ok(.init(body: .json(.init(items: try page.items.map(Components.Schemas.Consultation.init), nextCursor: page.next))))
    }

    /// `POST /api/v1/consultations`
    func askConsultation(_ input: Operations.AskConsultation.Input) async throws -> Operations.AskConsultation.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.consultations.ask(
            ConsultationInput(enterprise: body.enterpriseId, product: body.productId, topic: body.topic, title: body.title, question: body.question),
            by: try req.requireCaller())
        req.entityTag = record.version
        return .created(.init(body: .json(try .init(record))))
    }

    /// `POST /api/v1/classification-requests`
    func requestClassification(_ input: Operations.RequestClassification.Input) async throws -> Operations.RequestClassification.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.consultations.requestClassification(
            ClassificationInput(
                enterprise: body.enterpriseId, product: body.productId, intendedUse: body.intendedUse, structure: body.structure,
                principle: body.principle, proposedClass: body.proposedClass?.rawValue), by: try req.requireCaller())
        req.entityTag = record.version
        return .created(.init(body: .json(try .init(record))))
    }

    /// `POST /api/v1/consultations/{id}/classification`
    func decideClassification(_ input: Operations.DecideClassification.Input) async throws -> Operations.DecideClassification.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.consultations.decideClassification(
            id: try Self.id(input.path.id, .consultation), outcome: body.outcome.rawValue, classificationCode: body.classificationCode,
            text: body.text, expecting: try EntityTag.version(ifMatch: input.headers.ifMatch), by: try req.requireCaller())
        req.entityTag = record.version
        return .ok(.init(body: .json(try .init(record))))
    }

    /// `GET /api/v1/consultations/{id}`
    func getConsultation(_ input: Operations.GetConsultation.Input) async throws -> Operations.GetConsultation.Output {
        let req = try RequestContext.require()
        let record = try await req.platform.consultations.detail(id: try Self.id(input.path.id, .consultation), by: try req.requireCaller())
        req.entityTag = record.version
        return .ok(.init(body: .json(try .init(record))))
    }

    /// `POST /api/v1/consultations/{id}/responses`
    func respondToConsultation(_ input: Operations.RespondToConsultation.Input) async throws -> Operations.RespondToConsultation.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.consultations.respond(
            id: try Self.id(input.path.id, .consultation), response: body.response.rawValue, text: body.text,
            expecting: try EntityTag.version(ifMatch: input.headers.ifMatch), by: try req.requireCaller())
        req.entityTag = record.version
        return .ok(.init(body: .json(try .init(record))))
    }

    /// `POST /api/v1/consultations/{id}/replies`
    func replyToConsultation(_ input: Operations.ReplyToConsultation.Input) async throws -> Operations.ReplyToConsultation.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.consultations.reply(
            id: try Self.id(input.path.id, .consultation), text: body.text, expecting: try EntityTag.version(ifMatch: input.headers.ifMatch),
            by: try req.requireCaller())
        req.entityTag = record.version
        return .ok(.init(body: .json(try .init(record))))
    }

    /// `POST /api/v1/consultations/{id}/transfer`
    func transferConsultation(_ input: Operations.TransferConsultation.Input) async throws -> Operations.TransferConsultation.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.consultations.transfer(
            id: try Self.id(input.path.id, .consultation), to: body.to, reason: body.reason,
            expecting: try EntityTag.version(ifMatch: input.headers.ifMatch), by: try req.requireCaller())
        req.entityTag = record.version
        return .ok(.init(body: .json(try .init(record))))
    }

    /// `POST /api/v1/consultations/{id}/rating`
    func rateConsultation(_ input: Operations.RateConsultation.Input) async throws -> Operations.RateConsultation.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.consultations.rate(
            id: try Self.id(input.path.id, .consultation), rating: body.rating, comment: body.comment,
            expecting: try EntityTag.version(ifMatch: input.headers.ifMatch), by: try req.requireCaller())
        req.entityTag = record.version
        return .ok(.init(body: .json(try .init(record))))
    }

    /// `POST /api/v1/consultations/{id}/withdrawal`
    func withdrawConsultation(_ input: Operations.WithdrawConsultation.Input) async throws -> Operations.WithdrawConsultation.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.consultations.withdraw(
            id: try Self.id(input.path.id, .consultation), reason: body.reason, expecting: try EntityTag.version(ifMatch: input.headers.ifMatch),
            by: try req.requireCaller())
        req.entityTag = record.version
        return .ok(.init(body: .json(try .init(record))))
    }

    /// `GET /api/v1/settings/service-policy`
    func getServicePolicy(_ input: Operations.GetServicePolicy.Input) async throws -> Operations.GetServicePolicy.Output {
        let req = try RequestContext.require()
        let (inForce, versions) = try await req.platform.consultations.policies()
        return .ok(.init(body: .json(.init(inForce: .init(inForce), versions: versions.map(Components.Schemas.ServicePolicy.init)))))
    }

    /// `PUT /api/v1/settings/service-policy`
    func putServicePolicy(_ input: Operations.PutServicePolicy.Input) async throws -> Operations.PutServicePolicy.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let versions = try await req.platform.consultations.setPolicy(
            ServicePolicy(
                effectiveFrom: body.effectiveFrom, firstResponseDays: body.firstResponseDays, resolutionDays: body.resolutionDays,
                amberFraction: body.amberFraction, escalateAfterDays: body.escalateAfterDays, classificationDays: body.classificationDays,
                appointmentCutoffDays: body.appointmentCutoffDays),
            by: try req.requireCaller())
        let inForce = ServicePolicy.inForce(on: req.platform.clock.today(), among: versions)
        return .ok(.init(body: .json(.init(inForce: .init(inForce), versions: versions.map(Components.Schemas.ServicePolicy.init)))))
    }
}

extension APIHandler {
    /// `GET /api/v1/appointment-slots`
    func listAppointmentSlots(_ input: Operations.ListAppointmentSlots.Input) async throws -> Operations.ListAppointmentSlots.Output {
        let req = try RequestContext.require()
        let slots = try await req.platform.appointments.slots(from: input.query.from, desk: input.query.desk, by: try req.requireCaller())
        return .ok(.init(body: .json(.init(items: try slots.map(Components.Schemas.AppointmentSlot.init)))))
    }

    /// `POST /api/v1/appointment-slots`
    func publishAppointmentSlots(_ input: Operations.PublishAppointmentSlots.Input) async throws -> Operations.PublishAppointmentSlots.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let published = try await req.platform.appointments.publish(
            SlotInput(
                desk: body.desk, day: body.day, weekday: body.weekday.map(String.init), from: body.from, through: body.through,
                startsAt: body.startsAt,
                endsAt: body.endsAt, seats: String(body.seats), topic: body.topic), by: try req.requireCaller())
        return .created(
            .init(
                body: .json(
                    .init(
                        items: try published.slots.map(Components.Schemas.AppointmentSlot.init),
                        skipped: published.skipped.map { .init(day: $0.day.description, reason: $0.reason) }))))
    }

    /// `GET /api/v1/appointment-slots/{id}`
    func getAppointmentSlot(_ input: Operations.GetAppointmentSlot.Input) async throws -> Operations.GetAppointmentSlot.Output {
        let req = try RequestContext.require()
        let slot = try await req.platform.appointments.slot(id: try Self.id(input.path.id, .appointmentSlot), by: try req.requireCaller())
        return .ok(.init(body: .json(try .init(slot))))
    }

    /// `POST /api/v1/appointment-slots/{id}/bookings`
    func bookAppointment(_ input: Operations.BookAppointment.Input) async throws -> Operations.BookAppointment.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.appointments.book(
            slot: try Self.id(input.path.id, .appointmentSlot),
            BookingInput(enterprise: body.enterpriseId, topic: body.topic, question: body.question),
            by: try req.requireCaller())
        req.entityTag = record.version
        return .created(.init(body: .json(try .init(record))))
    }

    /// `GET /api/v1/appointments`
    func listAppointments(_ input: Operations.ListAppointments.Input) async throws -> Operations.ListAppointments.Output {
        let req = try RequestContext.require()
        let records = try await req.platform.appointments.bookings(status: input.query.status?.rawValue, by: try req.requireCaller())
        return .ok(.init(body: .json(.init(items: try records.map(Components.Schemas.Appointment.init)))))
    }

    /// `POST /api/v1/appointments/{id}/cancellation`
    func cancelAppointment(_ input: Operations.CancelAppointment.Input) async throws -> Operations.CancelAppointment.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.appointments.cancel(
            id: try Self.id(input.path.id, .appointment), reason: body.reason, expecting: try EntityTag.version(ifMatch: input.headers.ifMatch),
            by: try req.requireCaller())
        req.entityTag = record.version
        return .ok(.init(body: .json(try .init(record))))
    }

    /// `POST /api/v1/appointments/{id}/attendance`
    func recordAppointmentAttendance(_ input: Operations.RecordAppointmentAttendance.Input) async throws
        -> Operations.RecordAppointmentAttendance.Output
    {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.appointments.recordAttendance(
            id: try Self.id(input.path.id, .appointment), status: body.status.rawValue, note: body.note,
            expecting: try EntityTag.version(ifMatch: input.headers.ifMatch), by: try req.requireCaller())
        req.entityTag = record.version
        return .ok(.init(body: .json(try .init(record))))
    }
}

extension APIHandler {
    /// `GET /api/v1/guidance-records`
    func listGuidanceRecords(_ input: Operations.ListGuidanceRecords.Input) async throws -> Operations.ListGuidanceRecords.Output {
        let req = try RequestContext.require()
        let query = input.query
        let records = try await req.platform.guidance.list(
            productText: query.product, desk: query.desk, openOnly: query.open ?? false, by: try req.requireCaller())
        return .ok(.init(body: .json(.init(items: try records.map(Components.Schemas.GuidanceRecord.init)))))
    }

    /// `POST /api/v1/guidance-records`
    func recordGuidance(_ input: Operations.RecordGuidance.Input) async throws -> Operations.RecordGuidance.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.guidance.record(
            GuidanceInput(
                enterprise: body.enterpriseId, product: body.productId, desk: body.desk, heldOn: body.heldOn, mode: body.mode.rawValue,
                attendees: body.attendees, topics: body.topics, questions: body.questions, advice: body.advice,
                followUps: (body.followUps ?? []).map { FollowUpInput(item: $0.item, owner: $0.owner, days: String($0.days)) }),
            by: try req.requireCaller())
        req.entityTag = record.version
        return .created(.init(body: .json(try .init(record))))
    }

    /// `GET /api/v1/guidance-records/{id}`
    func getGuidanceRecord(_ input: Operations.GetGuidanceRecord.Input) async throws -> Operations.GetGuidanceRecord.Output {
        let req = try RequestContext.require()
        let record = try await req.platform.guidance.detail(id: try Self.id(input.path.id, .guidance), by: try req.requireCaller())
        req.entityTag = record.version
        return .ok(.init(body: .json(try .init(record))))
    }

    /// `POST /api/v1/guidance-records/{id}/follow-ups/{item}/completion`
    func completeGuidanceFollowUp(_ input: Operations.CompleteGuidanceFollowUp.Input) async throws -> Operations.CompleteGuidanceFollowUp.Output {
        let req = try RequestContext.require()
        let record = try await req.platform.guidance.completeFollowUp(
            id: try Self.id(input.path.id, .guidance), item: input.path.item, expecting: try EntityTag.version(ifMatch: input.headers.ifMatch),
            by: try req.requireCaller())
        req.entityTag = record.version
        return .ok(.init(body: .json(try .init(record))))
    }

    /// `GET /api/v1/guidance-counts`
    func getGuidanceCounts(_ input: Operations.GetGuidanceCounts.Input) async throws -> Operations.GetGuidanceCounts.Output {
        let req = try RequestContext.require()
        let counts = try await req.platform.guidance.counts(year: input.query.year, by: try req.requireCaller())
        let stations = try req.platform.consultations.stationNames()
        return .ok(
            .init(
                body: .json(
                    .init(
                        items: counts.map {
                            .init(
                                desk: $0.desk, deskName: GuidanceUseCases.deskName($0.desk, stations: stations), month: $0.month,
                                sessions: $0.sessions,
                                enterprises: $0.enterprises, products: $0.products)
                        }))))
    }
}

extension APIHandler {
    /// `GET /api/v1/key-varieties`
    func listKeyVarieties(_ input: Operations.ListKeyVarieties.Input) async throws -> Operations.ListKeyVarieties.Output {
        let req = try RequestContext.require()
        let records = try await req.platform.keyVarieties.list(status: input.query.status?.rawValue, by: try req.requireCaller())
        return .ok(.init(body: .json(.init(items: try records.map(Components.Schemas.KeyVariety.init)))))
    }

    /// `POST /api/v1/key-varieties`
    func proposeKeyVariety(_ input: Operations.ProposeKeyVariety.Input) async throws -> Operations.ProposeKeyVariety.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.keyVarieties.propose(
            KeyVarietyProposal(product: body.productId, reason: body.reason.rawValue, justification: body.justification), by: try req.requireCaller())
        req.entityTag = record.version
        return .created(.init(body: .json(try .init(record))))
    }

    /// `GET /api/v1/key-varieties/{id}`
    func getKeyVariety(_ input: Operations.GetKeyVariety.Input) async throws -> Operations.GetKeyVariety.Output {
        let req = try RequestContext.require()
        let record = try await req.platform.keyVarieties.detail(id: try Self.id(input.path.id, .keyVariety), by: try req.requireCaller())
        req.entityTag = record.version
        return .ok(.init(body: .json(try .init(record))))
    }

    /// `POST /api/v1/key-varieties/{id}/decision`
    func decideKeyVariety(_ input: Operations.DecideKeyVariety.Input) async throws -> Operations.DecideKeyVariety.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.keyVarieties.decide(
            id: try Self.id(input.path.id, .keyVariety),
            KeyVarietyDecision(
                decision: body.decision.rawValue, station: body.station, officer: body.officer, counsellor: body.counsellor,
                taskForce: body.taskForce,
                note: body.note), expecting: try EntityTag.version(ifMatch: input.headers.ifMatch), by: try req.requireCaller())
        req.entityTag = record.version
        return .ok(.init(body: .json(try .init(record))))
    }

    /// `PUT /api/v1/key-varieties/{id}/plan`
    func setKeyVarietyPlan(_ input: Operations.SetKeyVarietyPlan.Input) async throws -> Operations.SetKeyVarietyPlan.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.keyVarieties.setPlan(
            id: try Self.id(input.path.id, .keyVariety),
            milestones: body.milestones.map { MilestoneInput(step: $0.step.rawValue, title: $0.title, dueOn: $0.dueOn) },
            expecting: try EntityTag.version(ifMatch: input.headers.ifMatch), by: try req.requireCaller())
        req.entityTag = record.version
        return .ok(.init(body: .json(try .init(record))))
    }

    /// `POST /api/v1/key-varieties/{id}/milestones/{step}/completion`
    func completeKeyVarietyMilestone(_ input: Operations.CompleteKeyVarietyMilestone.Input) async throws
        -> Operations.CompleteKeyVarietyMilestone.Output
    {
        let req = try RequestContext.require()
        let record = try await req.platform.keyVarieties.completeMilestone(
            id: try Self.id(input.path.id, .keyVariety), step: input.path.step.rawValue,
            expecting: try EntityTag.version(ifMatch: input.headers.ifMatch), by: try req.requireCaller())
        req.entityTag = record.version
        return .ok(.init(body: .json(try .init(record))))
    }
}

extension Components.Schemas.KeyVariety {
    init(_ record: KeyVarietyRecord) throws {
        self.init(
            id: record.id.uuidString, version: record.version, productId: record.productID.uuidString, productName: record.productName,
            enterpriseId: record.enterpriseID.uuidString, enterprise: record.enterprise, reason: try APIEnum.convert(record.reason),
            reasonLabel: record.reason.label, justification: record.justification, status: try APIEnum.convert(record.status),
            statusLabel: record.status.label, proposedBy: record.proposedBy, proposedOn: record.proposedOn.description, station: record.station,
            stationName: record.stationName, officer: record.officer, officerName: record.officerName, counsellor: record.counsellor,
            taskForce: record.taskForce, decidedBy: record.decidedBy, decidedOn: record.decidedOn?.description, decisionNote: record.decisionNote,
            overdue: record.overdue,
            milestones: try record.milestones.map {
                .init(
                    step: try APIEnum.convert($0.step), stepLabel: $0.step.label, title: $0.title, dueOn: $0.dueOn.description,
                    doneOn: $0.doneOn?.description)
            })
    }
}

extension Components.Schemas.GuidanceRecord {
    init(_ record: GuidanceRecord) throws {
        self.init(
            id: record.id.uuidString, version: record.version, enterpriseId: record.enterpriseID.uuidString, enterprise: record.enterprise,
            productId: record.productID?.uuidString, productName: record.productName, desk: record.desk, deskName: record.deskName,
            heldOn: record.heldOn.description, mode: try APIEnum.convert(record.mode), modeLabel: record.mode.label, attendees: record.attendees,
            topics: record.topics.map { .init(code: $0.code, label: $0.label, cityLevel: $0.cityLevel) }, questions: record.questions,
            advice: record.advice,
            followUps: record.followUps.map {
                .init(
                    item: $0.item, owner: $0.owner, dueInWorkingDays: $0.dueInWorkingDays, dueOn: $0.dueOn.description,
                    doneOn: $0.doneOn?.description)
            }, appointmentId: record.appointmentID?.uuidString, recordedBy: record.recordedBy)
    }
}

extension Components.Schemas.Appointment {
    init(_ record: AppointmentRecord) throws {
        self.init(
            id: record.id.uuidString, version: record.version, slotId: record.slotID.uuidString, deskName: record.deskName,
            day: record.day.description, startsAt: record.startsAt, endsAt: record.endsAt, enterpriseId: record.enterpriseID.uuidString,
            enterprise: record.enterprise, topic: record.topic, topicLabel: record.topicLabel, question: record.question,
            status: try APIEnum.convert(record.status), statusLabel: record.status.label, note: record.note, bookedBy: record.bookedBy,
            lastDay: record.lastDay.description)
    }
}

extension Components.Schemas.AppointmentSlot {
    init(_ record: AppointmentSlotRecord) throws {
        self.init(
            id: record.id.uuidString, version: record.version, desk: record.desk, deskName: record.deskName, day: record.day.description,
            startsAt: record.startsAt, endsAt: record.endsAt, seats: record.seats, booked: record.booked, free: record.free, topic: record.topic,
            topicLabel: record.topicLabel, lastDay: record.lastDay.description, bookable: record.bookable,
            bookings: try record.bookings.map(Components.Schemas.Appointment.init))
    }
}

extension Components.Schemas.ServicePolicy {
    init(_ policy: ServicePolicy) {
        self.init(
            effectiveFrom: policy.effectiveFrom, firstResponseDays: policy.firstResponseDays, resolutionDays: policy.resolutionDays,
            amberFraction: policy.amberFraction, escalateAfterDays: policy.escalateAfterDays, classificationDays: policy.classificationDays,
            appointmentCutoffDays: policy.appointmentCutoffDays)
    }
}

extension Components.Schemas.ServiceTarget {
    init(_ target: ServiceClock.Target) throws {
        self.init(
            limit: target.limit, used: target.used, remaining: target.remaining, metOn: target.metOn?.description,
            withinTarget: target.withinTarget, deadline: target.deadline?.description, level: try APIEnum.convert(target.level),
            levelLabel: target.level.label)
    }
}

extension Components.Schemas.Consultation {
    init(_ record: ConsultationRecord) throws {
        self.init(
            id: record.id.uuidString, version: record.version, enterpriseId: record.enterpriseID.uuidString, enterprise: record.enterprise,
            productId: record.productID?.uuidString, productName: record.productName, kind: try APIEnum.convert(record.kind),
            kindLabel: record.kind.label, proposedClass: try record.proposedClass.map { try APIEnum.convert($0) },
            outcome: try record.outcome.map { try APIEnum.convert($0) }, outcomeLabel: record.outcome?.label, decidedCode: record.decidedCode,
            previousClass: try record.previousClass.map { try APIEnum.convert($0) }, topic: record.topic, topicLabel: record.topicLabel,
            title: record.title, station: record.station, desk: record.desk, status: try APIEnum.convert(record.status),
            statusLabel: record.status.label, askedOn: record.askedOn.description, askedBy: record.askedBy, running: record.clock.running,
            level: try APIEnum.convert(record.clock.level), levelLabel: record.clock.level.label, escalated: record.clock.escalated,
            firstResponse: try .init(record.clock.firstResponse), resolution: try .init(record.clock.resolution), rating: record.rating,
            messages: try record.messages.map {
                .init(
                    kind: try APIEnum.convert($0.kind), kindLabel: $0.kind.label, day: $0.on.description, at: $0.at, by: $0.by, body: $0.body,
                    transferredTo: $0.transferredTo, rating: $0.rating)
            })
    }
}
