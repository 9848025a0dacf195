import Foundation
import TongdaoAPI
import TongdaoCore
import TongdaoUseCases
import Vapor

extension APIHandler {
    /// `GET /api/v1/inspectors`
    func listInspectors(_ input: Operations.ListInspectors.Input) async throws -> Operations.ListInspectors.Output {
        let req = try RequestContext.require()
        let query = input.query
        let page = try await req.platform.inspectors.list(
            .init(
                category: query.category?.rawValue, specialty: query.specialty?.rawValue, fullTime: query.fullTime, rank: query.rank?.rawValue,
                text: query.q, activeOnly: !(query.all ?? false)),
            limit: query.limit ?? 50, cursor: query.cursor, by: try req.requireCaller())
        return .ok(.init(body: .json(.init(items: try page.items.map { try .init($0, today: req.platform.clock.today()) }, nextCursor: page.next))))
    }

    /// `POST /api/v1/inspectors`
    func createInspector(_ input: Operations.CreateInspector.Input) async throws -> Operations.CreateInspector.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let created = try await req.platform.inspectors.create(InspectorInput(body), by: try req.requireCaller())
        req.entityTag = created.version
        return .created(.init(body: .json(try .init(created, today: req.platform.clock.today()))))
    }

    /// `GET /api/v1/inspectors/{id}`
    func getInspector(_ input: Operations.GetInspector.Input) async throws -> Operations.GetInspector.Output {
        let req = try RequestContext.require()
        let record = try await req.platform.inspectors.find(id: try Self.id(input.path.id, .inspector), by: try req.requireCaller())
        req.entityTag = record.version
        return .ok(.init(body: .json(try .init(record, today: req.platform.clock.today()))))
    }

    /// `PUT /api/v1/inspectors/{id}`
    func updateInspector(_ input: Operations.UpdateInspector.Input) async throws -> Operations.UpdateInspector.Output {
        let req = try RequestContext.require()
        let caller = try req.requireCaller()
        let id = try Self.id(input.path.id, .inspector)
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let updated = try await req.platform.inspectors.update(
            id: id, InspectorInput(body), expecting: try EntityTag.version(ifMatch: input.headers.ifMatch), by: caller)
        req.entityTag = updated.version
        return .ok(.init(body: .json(try .init(updated, today: req.platform.clock.today()))))
    }

    /// `GET /api/v1/inspector-pool`
    func getInspectorPool(_ input: Operations.GetInspectorPool.Input) async throws -> Operations.GetInspectorPool.Output {
        let req = try RequestContext.require()
        let summary = try await req.platform.inspectors.summary(by: try req.requireCaller())
        return .ok(
            .init(
                body: .json(
                    .init(
                        total: summary.total,
                        categories: try InspectorCategory.allCases.map { category in
                            let count = summary.byCategory[category] ?? (0, 0)
                            return .init(category: try APIEnum.convert(category), inspectors: count.all, fullTime: count.fullTime)
                        }))))
    }
}

extension InspectorInput {
    init(_ body: Components.Schemas.InspectorInput) {
        self.init(
            username: body.username, name: body.name, categories: body.categories.map(\.rawValue), specialties: body.specialties.map(\.rawValue),
            fullTime: body.fullTime, rank: body.rank.rawValue, capacityDays: String(body.capacityDays), active: body.active ?? true,
            employments: (body.employments ?? []).map { EmploymentInput(employer: $0.employer, uscc: $0.uscc, from: $0.from, to: $0.to) },
            relationships: (body.relationships ?? []).map {
                RelationshipInput(party: $0.party, uscc: $0.uscc, kind: $0.kind.rawValue, declaredOn: $0.declaredOn, note: $0.note)
            },
            trainings: (body.trainings ?? []).map { TrainingInput(on: $0.on, course: $0.course, hours: String($0.hours)) })
    }
}

extension Components.Schemas.Inspector {
    init(_ record: InspectorRecord, today: CivilDate) throws {
        let profile = record.profile
        self.init(
            id: record.id.uuidString, username: record.username, accountName: record.accountName, name: profile.name,
            categories: try APIEnum.convert(profile.categories), specialties: try APIEnum.convert(profile.specialties), fullTime: profile.fullTime,
            rank: try APIEnum.convert(profile.rank), capacityDays: profile.capacityDays, active: profile.active, tiesShown: record.tiesShown,
            employments: record.tiesShown
                ? profile.employments.map {
                    .init(employer: $0.employer.name, uscc: $0.employer.uscc, from: $0.from.description, to: $0.to?.description)
                } : nil,
            relationships: record.tiesShown
                ? try profile.relationships.map {
                    .init(
                        party: $0.party.name, uscc: $0.party.uscc, kind: try APIEnum.convert($0.kind), declaredOn: $0.declaredOn.description,
                        note: $0.note)
                } : nil,
            trainings: profile.trainings.map { .init(on: $0.on.description, course: $0.course, hours: Double($0.tenthsOfHours) / 10) },
            trainingHoursThisYear: Double(profile.trainingTenths(in: today.year)) / 10, version: record.version)
    }
}

extension APIHandler {
    /// `GET /api/v1/inspectors/{id}/performance`
    func getInspectorPerformance(_ input: Operations.GetInspectorPerformance.Input) async throws -> Operations.GetInspectorPerformance.Output {
        let req = try RequestContext.require()
        let years = try await req.platform.inspectors.performance(id: try Self.id(input.path.id, .inspector), by: try req.requireCaller())
        return .ok(
            .init(
                body: .json(
                    .init(
                        items: years.map {
                            .init(
                                year: $0.year, inspections: $0.inspections, led: $0.led, onTime: $0.onTime, ratings: $0.ratings.count,
                                averageRating: $0.averageRating, summary: $0.summary)
                        }))))
    }
}
