import Foundation
import TongdaoAPI
import TongdaoCore
import TongdaoUseCases
import Vapor

extension APIHandler {
    /// `GET /api/v1/applications`
    func listApplications(_ input: Operations.ListApplications.Input) async throws -> Operations.ListApplications.Output {
        let req = try RequestContext.require()
        let query = input.query
        let filter = ApplicationUseCases.Filter(
            district: query.district, park: query.park, product: query.product, procedure: query.procedure,
            channel: try query.channel.map { try APIEnum.convert($0) }, status: try query.status.map { try APIEnum.convert($0) },
            reviewer: query.reviewer, responsibleOfficer: query.responsible, level: try query.level.map { try APIEnum.convert($0) },
            overdue: query.overdue, byRemaining: query.sort == .remaining, open: query.open)
        let page = try await req.platform.applications.list(filter, limit: query.limit ?? 50, cursor: query.cursor, by: try req.requireCaller())
        return .ok(.init(body: .json(.init(items: try page.items.map { try Components.Schemas.Application($0) }, nextCursor: page.next))))
    }

    /// `POST /api/v1/applications`
    func createApplication(_ input: Operations.CreateApplication.Input) async throws -> Operations.CreateApplication.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let detail = try await req.platform.applications.create(
            AcceptanceInput(
                productID: body.productId, procedure: body.procedure, authority: body.authority.rawValue, applicationNumber: body.applicationNumber,
                channel: body.channel.rawValue, reviewer: body.reviewer, responsibleOfficer: body.responsibleOfficer, acceptedOn: body.acceptedOn),
            by: try req.requireCaller())
        return .created(.init(body: .json(try .init(detail))))
    }

    /// `GET /api/v1/applications/{id}`
    func getApplication(_ input: Operations.GetApplication.Input) async throws -> Operations.GetApplication.Output {
        let req = try RequestContext.require()
        let detail = try await req.platform.applications.detail(id: try Self.id(input.path.id, .application), by: try req.requireCaller())
        return .ok(.init(body: .json(try .init(detail))))
    }

    /// `POST /api/v1/applications/{id}/events`
    func recordApplicationEvent(_ input: Operations.RecordApplicationEvent.Input) async throws -> Operations.RecordApplicationEvent.Output {
        let req = try RequestContext.require()
        let caller = try req.requireCaller()
        let id = try Self.id(input.path.id, .application)
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let detail = try await req.platform.applications.record(
            EventInput(
                type: body._type.rawValue, on: body.on, days: body.days.map(String.init), decision: body.decision?.rawValue,
                certificate: body.certificate, supersedes: body.supersedes, reason: body.reason, note: body.note, site: body.site,
                outcome: body.outcome?.rawValue),
            on: id, by: caller)
        return .created(.init(body: .json(try .init(detail))))
    }

    /// `GET /api/v1/inbox`
    func getInbox(_ input: Operations.GetInbox.Input) async throws -> Operations.GetInbox.Output {
        let req = try RequestContext.require()
        let caller = try req.requireCaller()
        let items = try await req.platform.applications.inbox(by: caller)
        let digests = try await req.platform.digest.mine(by: caller)
        return .ok(
            .init(
                body: .json(
                    .init(
                        items: try items.map { item in
                            .init(
                                application: try .init(item.item),
                                warnings: try item.warnings.map { .init(kind: try APIEnum.convert($0.kind), message: $0.message) },
                                roles: try APIEnum.convert(item.roles))
                        },
                        digests: digests.map { digest in
                            .init(
                                day: digest.day,
                                items: digest.items.map {
                                    .init(
                                        applicationId: $0.applicationID.uuidString, applicationNumber: $0.applicationNumber, warnings: $0.warnings,
                                        escalated: $0.escalated)
                                })
                        }))))
    }

    /// `GET /api/v1/settings/warnings`
    func getWarningPolicy(_ input: Operations.GetWarningPolicy.Input) async throws -> Operations.GetWarningPolicy.Output {
        let req = try RequestContext.require()
        _ = try req.requireCaller()
        let policy = try await req.platform.settings.warningPolicy()
        return .ok(.init(body: .json(.init(amberFraction: policy.amberFraction, supplementWarningDays: policy.supplementWarningDays))))
    }

    /// `PUT /api/v1/settings/warnings`
    func putWarningPolicy(_ input: Operations.PutWarningPolicy.Input) async throws -> Operations.PutWarningPolicy.Output {
        let req = try RequestContext.require()
        let caller = try req.requireCaller()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let policy = try await req.platform.settings.setWarningPolicy(
            WarningPolicy(amberFraction: body.amberFraction, supplementWarningDays: body.supplementWarningDays), by: caller)
        return .ok(.init(body: .json(.init(amberFraction: policy.amberFraction, supplementWarningDays: policy.supplementWarningDays))))
    }
}

extension Components.Schemas.Application {
    /// An application in a list: its clock, no timeline.
    init(_ item: ApplicationItem, events: [ApplicationEventRecord]? = nil) throws {
        let application = item.application
        self.init(
            id: application.id.uuidString, productId: application.productID.uuidString, enterpriseId: application.enterpriseID.uuidString,
            uscc: application.uscc, district: application.district, park: application.park, procedure: application.procedure,
            procedureVersion: application.procedureVersion, authority: try APIEnum.convert(application.authority),
            applicationNumber: application.applicationNumber, channel: try APIEnum.convert(application.channel),
            reviewer: application.reviewer, responsibleOfficer: application.responsibleOfficer, acceptedOn: application.acceptedOn,
            status: try APIEnum.convert(application.status), certificate: application.certificate,
            clock: try item.clock.map { try .init($0, procedure: application.procedure, version: application.procedureVersion, asOf: item.asOf) },
            events: try events?.map { event in
                .init(
                    id: event.id.uuidString, sequence: event.sequence, _type: try APIEnum.convert(event.event.kind), on: event.event.on.description,
                    days: event.event.days, decision: try event.event.decision.map { try APIEnum.convert($0) },
                    certificate: event.event.certificate, supersedes: event.event.supersedes?.uuidString, superseded: event.superseded ? true : nil,
                    reason: event.event.reason, site: event.event.site, outcome: try event.event.qmsOutcome.map { try APIEnum.convert($0) },
                    note: event.note, recordedBy: event.recordedBy)
            })
    }

    /// One application with its timeline.
    init(_ detail: ApplicationDetail) throws {
        try self.init(detail.item, events: detail.events)
    }
}
