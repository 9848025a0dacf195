import Foundation
import OpenAPIRuntime
import TongdaoAPI
import TongdaoCore
import TongdaoUseCases
import Vapor

extension APIHandler {
    /// `GET /api/v1/policies`
    func searchPolicies(_ input: Operations.SearchPolicies.Input) async throws -> Operations.SearchPolicies.Output {
        let req = try RequestContext.require()
        let query = input.query
        let records = try await req.platform.handbook.search(
            text: query.q, level: query.level?.rawValue, district: query.district, topic: query.topic?.rawValue,
            productCategory: query.productCategory?.rawValue, everyStatus: query.status == .all, limit: query.limit ?? 50, offset: query.offset ?? 0,
            by: try req.requireCaller())
        return .ok(.init(body: .json(.init(items: try records.map(Components.Schemas.Policy.init)))))
    }

    /// `POST /api/v1/policies`
    func recordPolicy(_ input: Operations.RecordPolicy.Input) async throws -> Operations.RecordPolicy.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.handbook.create(HandbookPolicyInput(body), by: try req.requireCaller())
        req.entityTag = record.version
        return .created(.init(body: .json(try .init(record))))
    }

    /// `GET /api/v1/policies/{id}`
    func getPolicy(_ input: Operations.GetPolicy.Input) async throws -> Operations.GetPolicy.Output {
        let req = try RequestContext.require()
        let record = try await req.platform.handbook.detail(id: try Self.id(input.path.id, .handbookPolicy), by: try req.requireCaller())
        req.entityTag = record.version
        return .ok(.init(body: .json(try .init(record))))
    }

    /// `PUT /api/v1/policies/{id}`
    func revisePolicy(_ input: Operations.RevisePolicy.Input) async throws -> Operations.RevisePolicy.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.handbook.revise(
            id: try Self.id(input.path.id, .handbookPolicy), HandbookPolicyInput(body),
            expecting: try EntityTag.version(ifMatch: input.headers.ifMatch), by: try req.requireCaller())
        req.entityTag = record.version
        return .ok(.init(body: .json(try .init(record))))
    }

    /// `POST /api/v1/policies/{id}/repeal`
    func repealPolicy(_ input: Operations.RepealPolicy.Input) async throws -> Operations.RepealPolicy.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.handbook.repeal(
            id: try Self.id(input.path.id, .handbookPolicy), on: body.repealedOn, reason: body.reason,
            expecting: try EntityTag.version(ifMatch: input.headers.ifMatch), by: try req.requireCaller())
        req.entityTag = record.version
        return .ok(.init(body: .json(try .init(record))))
    }

    /// `GET /api/v1/enterprises/{id}/policies`
    func listEnterprisePolicies(_ input: Operations.ListEnterprisePolicies.Input) async throws -> Operations.ListEnterprisePolicies.Output {
        let req = try RequestContext.require()
        let applicable = try await req.platform.handbook.applicable(
            toEnterprise: try Self.id(input.path.id, .enterprise), by: try req.requireCaller())
        return .ok(
            .init(
                body: .json(
                    .init(
                        enterprise: applicable.enterprise, districtName: applicable.districtName,
                        productCategories: try applicable.categories.map { try APIEnum.convert($0) },
                        items: try applicable.policies.map(Components.Schemas.Policy.init)))))
    }
}

extension HandbookPolicyInput {
    init(_ body: Components.Schemas.PolicyFiling) {
        self.init(
            level: body.level.rawValue, district: body.district, title: body.title, documentNumber: body.documentNumber, issuer: body.issuer,
            responsibleBody: body.responsibleBody, contact: body.contact, phone: body.phone, summary: body.summary,
            topics: body.topics.map(\.rawValue), categories: (body.productCategories ?? []).map(\.rawValue), effectiveOn: body.effectiveOn,
            expiresOn: body.expiresOn, sourceURL: body.sourceURL)
    }
}

extension Components.Schemas.Policy {
    init(_ record: HandbookPolicyRecord) throws {
        self.init(
            id: record.id.uuidString, version: record.version, level: try APIEnum.convert(record.level), levelLabel: record.level.label,
            district: record.district, districtName: record.districtName, issuedBy: record.issuedBy, title: record.title,
            documentNumber: record.documentNumber, issuer: record.issuer, responsibleBody: record.responsibleBody, contact: record.contact,
            phone: record.phone, summary: record.summary, topics: try record.topics.map { try APIEnum.convert($0) },
            topicLabels: record.topics.map(\.label), productCategories: try record.categories.map { try APIEnum.convert($0) },
            productCategoriesLabel: record.categoriesLabel, effectiveOn: record.effectiveOn.description, expiresOn: record.expiresOn?.description,
            repealedOn: record.repealedOn?.description, repealReason: record.repealReason, sourceURL: record.sourceURL,
            status: try APIEnum.convert(record.status), statusLabel: record.status.label, author: record.author)
    }
}
