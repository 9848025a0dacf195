import Fluent
import Foundation
import TongdaoAPI
import TongdaoCore
import TongdaoStore
import Vapor

extension APIHandler {
    /// `GET /api/v1/applications`
    func listApplications(_ input: Operations.ListApplications.Input) async throws -> Operations.ListApplications.Output {
        let req = try RequestContext.require()
        let user = try req.requireUser(allowedTo: .readProducts)
        let query = input.query
        var filter = ApplicationStore.ListFilter(
            district: query.district, park: query.park, procedure: query.procedure, reviewer: query.reviewer,
            responsibleOfficer: query.responsible)
        filter.byRemaining = query.sort == .remaining
        var after: PageCursor?
        if let token = query.cursor {
            guard let cursor = PageCursor(token: token, count: filter.byRemaining ? 2 : 1) else { throw Self.badCursor }
            after = cursor
        }
        if let product = query.product { filter.productID = UUID(uuidString: product) ?? Self.noSuchID }
        filter.channel = query.channel.flatMap { ReviewChannel(rawValue: $0.rawValue) }
        filter.status = query.status.flatMap { ApplicationStatus(rawValue: $0.rawValue) }
        let clocks = try await ApplicationClocks.load(on: req)
        let page = try await ApplicationListing.page(
            filter, level: query.level.flatMap { ReviewClock.Level(rawValue: $0.rawValue) }, overdue: query.overdue, scope: user.scopeFilter,
            limit: query.limit ?? 50, after: after, clocks: clocks, on: req.db)
        let items = try page.items.map { try Components.Schemas.Application($0.application, clock: $0.clock, clocks: clocks) }
        return .ok(.init(body: .json(.init(items: items, nextCursor: page.next?.token))))
    }

    /// `POST /api/v1/applications`
    func createApplication(_ input: Operations.CreateApplication.Input) async throws -> Operations.CreateApplication.Output {
        let req = try RequestContext.require()
        let user = try req.requireUser(allowedTo: .writeApplications)
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        guard let acceptedOn = CivilDate(body.acceptedOn) else { throw ProblemDetails.badRequest(field: "acceptedOn", "must be a date YYYY-MM-DD") }
        guard acceptedOn <= ShanghaiClock.today() else {
            throw ProblemDetails.unprocessable(field: "acceptedOn", "cannot be after today")
        }
        let new = ApplicationStore.NewApplication(
            productID: UUID(uuidString: body.productId) ?? Self.noSuchID, procedure: body.procedure,
            authority: ApplicationAuthority(rawValue: body.authority.rawValue) ?? .shanghaiMPA, applicationNumber: body.applicationNumber,
            channel: ReviewChannel(rawValue: body.channel.rawValue) ?? .normal, reviewer: body.reviewer, responsibleOfficer: body.responsibleOfficer,
            acceptedOn: acceptedOn)
        let clocks = try await ApplicationClocks.load(on: req)
        let (model, notice) = try await ApplicationStore.create(
            new, scope: user.scopeFilter, calendar: clocks.calendar, today: clocks.today, by: req.auditActor, on: req.db)
        req.application.liveFeed.announce(notice)
        return .created(.init(body: .json(try await Self.detail(model, for: user, clocks: clocks, on: req))))
    }

    /// `GET /api/v1/applications/{id}`
    func getApplication(_ input: Operations.GetApplication.Input) async throws -> Operations.GetApplication.Output {
        let req = try RequestContext.require()
        let user = try req.requireUser(allowedTo: .readProducts)
        let model = try await Self.application(input.path.id, in: user.scopeFilter, on: req.db)
        return .ok(.init(body: .json(try await Self.detail(model, for: user, clocks: ApplicationClocks.load(on: req), on: req))))
    }

    /// `POST /api/v1/applications/{id}/events`
    func recordApplicationEvent(_ input: Operations.RecordApplicationEvent.Input) async throws -> Operations.RecordApplicationEvent.Output {
        let req = try RequestContext.require()
        let user = try req.requireUser()
        let model = try await Self.application(input.path.id, in: user.scopeFilter, on: req.db)
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let kind = ApplicationEventKind(rawValue: body._type.rawValue) ?? .accepted
        try user.ensureAllowed(kind.requiredAction)

        var errors: [ProblemDetails.FieldError] = []
        let date = CivilDate(body.on)
        if date == nil { errors.append(.init(field: "on", message: "must be a date YYYY-MM-DD")) }
        let clocks = try await ApplicationClocks.load(on: req)
        if let date, date > clocks.today { errors.append(.init(field: "on", message: "cannot be after today")) }
        if let days = body.days, !(1...10_000).contains(days) { errors.append(.init(field: "days", message: "must be between 1 and 10000")) }
        var supersedes: UUID?
        if let text = body.supersedes {
            supersedes = UUID(uuidString: text)
            if supersedes == nil { errors.append(.init(field: "supersedes", message: "must be an event id")) }
        }
        guard errors.isEmpty, let date else { throw ProblemDetails.unprocessable(errors) }
        guard let version = clocks.version(of: model) else {
            throw ProblemDetails.status(
                .conflict, detail: "The procedure version \(model.procedureVersion) of \(model.procedureCode) is no longer in the catalogue.")
        }
        let event = ApplicationEvent(
            kind, on: date, days: body.days, decision: body.decision.flatMap { ApprovalDecision(rawValue: $0.rawValue) },
            certificate: body.certificate, supersedes: supersedes, reason: body.reason)
        let (updated, notice) = try await ApplicationStore.record(
            .init(event, note: body.note), on: model, version: version, calendar: clocks.calendar, today: clocks.today, by: req.auditActor, on: req.db
        )
        req.application.liveFeed.announce(notice)
        return .created(.init(body: .json(try await Self.detail(updated, for: user, clocks: clocks, on: req))))
    }

    /// `GET /api/v1/products/{id}/timeline`
    func getProductTimeline(_ input: Operations.GetProductTimeline.Input) async throws -> Operations.GetProductTimeline.Output {
        let req = try RequestContext.require()
        let user = try req.requireUser(allowedTo: .readProducts)
        let product = try await Self.product(input.path.id, in: user.scopeFilter, on: req.db)
        let productID = try product.requireID()
        let declarations = try await CensusIntentionModel.query(on: req.db).filter(\.$product.$id == productID).sort(\.$year).all()
        let applications = try await ApplicationModel.query(on: req.db).filter(\.$product.$id == productID).scoped(to: user.scopeFilter)
            .sort(\.$id).all()
        let clocks = try await ApplicationClocks.load(on: req)
        let timelines = try await ApplicationStore.events(of: applications.compactMap(\.id), on: req.db)
        let confidential = AccessPolicy.allows(user.role, .readConfidentialReview)
        return .ok(
            .init(
                body: .json(
                    .init(
                        product: try .init(product),
                        census: declarations.map(Components.Schemas.CensusDeclaration.init),
                        applications: try applications.map { application in
                            let events = timelines[try application.requireID()] ?? []
                            return try Components.Schemas.Application(
                                application, clock: clocks.reading(application, events.map(\.event)), clocks: clocks, events: events,
                                confidential: confidential)
                        }))))
    }

    static func application(_ id: String, in scope: ScopeFilter, on db: any Database) async throws -> ApplicationModel {
        guard let uuid = UUID(uuidString: id), let model = try await ApplicationStore.find(id: uuid, scope: scope, on: db) else {
            throw ProblemDetails.status(.notFound, detail: "No application has this id.")
        }
        return model
    }

    /// An application with its timeline and clock, notes only for the regulator's roles.
    static func detail(
        _ model: ApplicationModel, for user: AuthenticatedUser, clocks: ApplicationClocks, on req: Request
    ) async throws -> Components.Schemas.Application {
        let id = try model.requireID()
        let events = try await ApplicationStore.events(of: [id], on: req.db)[id] ?? []
        return try Components.Schemas.Application(
            model, clock: clocks.reading(model, events.map(\.event)), clocks: clocks, events: events,
            confidential: AccessPolicy.allows(user.role, .readConfidentialReview))
    }
}

extension ApplicationStore.Problem: ProblemDetailsConvertible {
    var problemDetails: ProblemDetails {
        switch self {
        case .invalid(let problems):
            .unprocessable(problems)
        case .duplicateNumber:
            .conflict(field: "applicationNumber", "another application has this number", detail: description)
        case .impossible(let event, let reason):
            ProblemDetails(
                type: ProblemDetails.typeURI("applications/impossible-event"), title: "Impossible event", status: .unprocessableEntity,
                detail: description, errors: [.init(field: "type", message: "\(event) \(reason)")])
        case .concurrentChange:
            ProblemDetails.status(.conflict, detail: description)
        }
    }
}

extension Components.Schemas.Application {
    init(
        _ model: ApplicationModel, clock: ReviewClock.Reading?, clocks: ApplicationClocks, events: [ApplicationEventModel]? = nil,
        confidential: Bool = false
    ) throws {
        let superseded = Set(events?.compactMap(\.supersedes) ?? [])
        self.init(
            id: try model.requireID().uuidString, productId: model.$product.id.uuidString, enterpriseId: model.$enterprise.id.uuidString,
            uscc: model.uscc, district: model.district, park: model.park, procedure: model.procedureCode, procedureVersion: model.procedureVersion,
            authority: .init(rawValue: model.authority.rawValue) ?? .shanghaiMpa, applicationNumber: model.applicationNumber,
            channel: .init(rawValue: model.channel.rawValue) ?? .normal, reviewer: model.reviewer, responsibleOfficer: model.responsibleOfficer,
            acceptedOn: model.acceptedOn, status: .init(rawValue: model.status.rawValue) ?? .inReview, certificate: model.certificate,
            clock: clock.map { .init($0, procedure: model.procedureCode, version: model.procedureVersion, asOf: clocks.today) },
            events: try events?.map { event in
                .init(
                    id: try event.requireID().uuidString, sequence: event.sequence, _type: .init(rawValue: event.kind.rawValue) ?? .accepted,
                    on: event.occurredOn, days: event.days, decision: event.decision.flatMap { .init(rawValue: $0.rawValue) },
                    certificate: event.certificate, supersedes: event.supersedes?.uuidString,
                    superseded: superseded.contains(try event.requireID()) ? true : nil, reason: event.reason,
                    note: confidential ? event.note : nil, recordedBy: confidential ? event.recordedBy : nil)
            })
    }
}

extension APIHandler {
    /// `GET /api/v1/inbox`
    func getInbox(_ input: Operations.GetInbox.Input) async throws -> Operations.GetInbox.Output {
        let req = try RequestContext.require()
        let user = try req.requireUser()
        let clocks = try await ApplicationClocks.load(on: req)
        let items = try await Inbox.items(for: user.username, scope: user.scopeFilter, clocks: clocks, on: req.db)
        let digests = try await DigestStore.digests(for: user.username, on: req.db)
        return .ok(
            .init(
                body: .json(
                    .init(
                        items: try items.map { item in
                            .init(
                                application: try .init(item.application, clock: item.clock, clocks: clocks),
                                warnings: item.warnings.map { .init(kind: .init(rawValue: $0.kind.rawValue) ?? .overdue, message: $0.message) },
                                roles: item.roles.compactMap { .init(rawValue: $0) })
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
        _ = try req.requireUser()
        let policy = try await DigestStore.warningPolicy(on: req.db)
        return .ok(.init(body: .json(.init(amberFraction: policy.amberFraction, supplementWarningDays: policy.supplementWarningDays))))
    }

    /// `PUT /api/v1/settings/warnings`
    func putWarningPolicy(_ input: Operations.PutWarningPolicy.Input) async throws -> Operations.PutWarningPolicy.Output {
        let req = try RequestContext.require()
        _ = try req.requireUser(allowedTo: .writeProcedure)
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let policy = WarningPolicy(amberFraction: body.amberFraction, supplementWarningDays: body.supplementWarningDays)
        try await DigestStore.setWarningPolicy(policy, today: ShanghaiClock.today(), by: req.auditActor, on: req.db)
        return .ok(.init(body: .json(body)))
    }
}

/// A person's open applications that need attention, most urgent first.
enum Inbox {
    struct Item {
        var application: ApplicationModel
        var clock: ReviewClock.Reading?
        var warnings: [ApplicationWarning]
        var roles: [String]
    }

    static func items(for username: String, scope: ScopeFilter, clocks: ApplicationClocks, on db: any Database) async throws -> [Item] {
        let applications = try await ApplicationModel.query(on: db)
            .group(.or) { $0.filter(\.$reviewer == username).filter(\.$responsibleOfficer == username) }
            .filter(\.$isOpen == true).scoped(to: scope).sort(\.$id).all()
        let timelines = try await ApplicationStore.timelines(of: applications.compactMap(\.id), on: db)
        var items: [Item] = []
        for application in applications {
            let events = timelines[application.id ?? UUID()] ?? []
            let warnings = clocks.warnings(application, events)
            guard !warnings.isEmpty else { continue }
            var roles: [String] = []
            if application.reviewer == username { roles.append("reviewer") }
            if application.responsibleOfficer == username { roles.append("responsible") }
            items.append(Item(application: application, clock: clocks.reading(application, events), warnings: warnings, roles: roles))
        }
        return items.sorted { a, b in
            let (redA, redB) = (a.warnings.contains(where: \.isRed), b.warnings.contains(where: \.isRed))
            if redA != redB { return redA }
            return (a.clock?.remaining ?? .max) < (b.clock?.remaining ?? .max)
        }
    }
}
