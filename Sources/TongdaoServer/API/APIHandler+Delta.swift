import Foundation
import OpenAPIRuntime
import TongdaoAPI
import TongdaoCore
import TongdaoUseCases
import Vapor

extension APIHandler {
    /// `GET /api/v1/delta/links`
    func listDeltaLinks(_ input: Operations.ListDeltaLinks.Input) async throws -> Operations.ListDeltaLinks.Output {
        let req = try RequestContext.require()
        let records = try await req.platform.deltaLinks.list(
            kind: input.query.kind?.rawValue, province: input.query.province?.rawValue, by: try req.requireCaller())
        return .ok(.init(body: .json(.init(items: try records.map(Components.Schemas.DeltaLink.init)))))
    }

    /// `POST /api/v1/delta/links`
    func recordDeltaLink(_ input: Operations.RecordDeltaLink.Input) async throws -> Operations.RecordDeltaLink.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.deltaLinks.create(
            DeltaLinkInput(
                kind: body.kind.rawValue, productName: body.productName, productCategory: body.productCategory.rawValue, product: body.product,
                registrant: body.registrant, sites: body.sites.map { DeltaSiteInput(uscc: $0.uscc, stage: $0.stage) }, startsOn: body.startsOn,
                endsOn: body.endsOn, agreementSignedOn: body.agreementSignedOn, agreementEndsOn: body.agreementEndsOn),
            by: try req.requireCaller())
        req.entityTag = record.version
        return .created(.init(body: .json(try .init(record))))
    }

    /// `GET /api/v1/delta/links/{id}`
    func getDeltaLink(_ input: Operations.GetDeltaLink.Input) async throws -> Operations.GetDeltaLink.Output {
        let req = try RequestContext.require()
        let record = try await req.platform.deltaLinks.detail(id: try Self.id(input.path.id, .deltaLink), by: try req.requireCaller())
        req.entityTag = record.version
        return .ok(.init(body: .json(try .init(record))))
    }

    /// `POST /api/v1/delta/links/{id}/events`
    func fileDeltaLinkEvent(_ input: Operations.FileDeltaLinkEvent.Input) async throws -> Operations.FileDeltaLinkEvent.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.deltaLinks.file(
            link: try Self.id(input.path.id, .deltaLink),
            DeltaLinkEventInput(kind: body.kind.rawValue, on: body.on, summary: body.summary, agreementEndsOn: body.agreementEndsOn),
            expecting: try EntityTag.version(ifMatch: input.headers.ifMatch), by: try req.requireCaller())
        req.entityTag = record.version
        return .created(.init(body: .json(try .init(record))))
    }
}

extension Components.Schemas.DeltaLink {
    init(_ record: DeltaLinkRecord) throws {
        self.init(
            id: record.id.uuidString, version: record.version, kind: try APIEnum.convert(record.kind), kindLabel: record.kind.label,
            productName: record.productName, productCategory: try APIEnum.convert(record.productCategory), productId: record.productID?.uuidString,
            registrantId: record.registrantID.uuidString, registrant: record.registrant, registrantUscc: record.registrantUSCC,
            registrantProvince: try APIEnum.convert(record.registrantProvince), registrantPlaceName: record.registrantPlaceName,
            registrantAuthority: record.registrantAuthority,
            sites: try record.sites.map { site in
                .init(
                    enterpriseId: site.enterpriseID.uuidString, enterprise: site.enterprise, uscc: site.uscc,
                    province: try APIEnum.convert(site.province),
                    provinceName: site.province.name, placeName: site.placeName, stage: site.stage, authority: site.authority)
            },
            startsOn: record.startsOn.description, endsOn: record.endsOn.description, agreementSignedOn: record.agreementSignedOn.description,
            agreementEndsOn: record.agreementEndsOn.description, endedOn: record.endedOn?.description, status: try APIEnum.convert(record.status),
            statusLabel: record.status.label, provinces: try record.provinces.map { try APIEnum.convert($0) }, recordedBy: record.recordedBy,
            recordedOn: record.recordedOn.description,
            events: try record.events.map { event in
                .init(
                    id: event.id.uuidString, kind: try APIEnum.convert(event.kind), kindLabel: event.kind.label,
                    occurredOn: event.occurredOn.description, summary: event.summary, recordedBy: event.recordedBy)
            })
    }
}

extension APIHandler {
    /// `GET /api/v1/delta/shares`
    func listDeltaShares(_ input: Operations.ListDeltaShares.Input) async throws -> Operations.ListDeltaShares.Output {
        let req = try RequestContext.require()
        let records = try await req.platform.deltaShares.list(inspection: input.query.inspection, by: try req.requireCaller())
        return .ok(.init(body: .json(.init(items: try records.map(Components.Schemas.DeltaShare.init)))))
    }

    /// `POST /api/v1/delta/shares`
    func shareInspectionResult(_ input: Operations.ShareInspectionResult.Input) async throws -> Operations.ShareInspectionResult.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.deltaShares.share(
            DeltaShareInput(inspection: body.inspection, province: body.province.rawValue, fields: body.fields.map(\.rawValue), note: body.note),
            by: try req.requireCaller())
        req.entityTag = record.version
        return .created(.init(body: .json(try .init(record))))
    }

    /// `GET /api/v1/delta/shares/{id}`
    func getDeltaShare(_ input: Operations.GetDeltaShare.Input) async throws -> Operations.GetDeltaShare.Output {
        let req = try RequestContext.require()
        let record = try await req.platform.deltaShares.detail(id: try Self.id(input.path.id, .deltaShare), by: try req.requireCaller())
        req.entityTag = record.version
        return .ok(.init(body: .json(try .init(record))))
    }

    /// `POST /api/v1/delta/shares/{id}/withdrawal`
    func withdrawDeltaShare(_ input: Operations.WithdrawDeltaShare.Input) async throws -> Operations.WithdrawDeltaShare.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.deltaShares.withdraw(
            id: try Self.id(input.path.id, .deltaShare), reason: body.reason, expecting: try EntityTag.version(ifMatch: input.headers.ifMatch),
            by: try req.requireCaller())
        req.entityTag = record.version
        return .ok(.init(body: .json(try .init(record))))
    }

    /// `GET /api/v1/delta/commitments`
    func listDeltaCommitments(_ input: Operations.ListDeltaCommitments.Input) async throws -> Operations.ListDeltaCommitments.Output {
        let req = try RequestContext.require()
        let records = try await req.platform.deltaShares.commitments(by: try req.requireCaller())
        return .ok(.init(body: .json(.init(items: try records.map(Components.Schemas.DeltaCommitment.init)))))
    }

    /// `POST /api/v1/delta/commitments`
    func recordDeltaCommitment(_ input: Operations.RecordDeltaCommitment.Input) async throws -> Operations.RecordDeltaCommitment.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.deltaShares.recordCommitment(
            DeltaCommitmentInput(province: body.province.rawValue, signedOn: body.signedOn, endsOn: body.endsOn, reference: body.reference),
            by: try req.requireCaller())
        return .created(.init(body: .json(try .init(record))))
    }
}

extension Components.Schemas.DeltaCommitment {
    init(_ record: DeltaCommitmentRecord) throws {
        self.init(
            id: record.id.uuidString, province: try APIEnum.convert(record.province), provinceName: record.province.name,
            signedOn: record.signedOn.description, endsOn: record.endsOn?.description, reference: record.reference, recordedBy: record.recordedBy,
            inForce: record.inForce)
    }
}

extension Components.Schemas.DeltaShare {
    init(_ record: DeltaShareRecord) throws {
        self.init(
            id: record.id.uuidString, version: record.version, inspectionId: record.inspectionID.uuidString, targetName: record.targetName,
            targetUscc: record.targetUSCC, closedOn: record.closedOn?.description, province: try APIEnum.convert(record.province),
            provinceName: record.province.name, fields: try record.fields.map { try APIEnum.convert($0) }, note: record.note,
            sharedOn: record.sharedOn.description, sharedBy: record.sharedBy, withdrawnOn: record.withdrawnOn?.description,
            withdrawnBy: record.withdrawnBy, withdrawReason: record.withdrawReason, recognisedOn: record.recognisedOn?.description,
            recognisedBy: record.recognisedBy, recognitionReference: record.recognitionReference,
            conclusion: try record.conclusion.map { try APIEnum.convert($0) },
            conclusionLabel: record.conclusion?.label, conclusionReason: record.conclusionReason,
            findings: try record.findings.map { finding in
                .init(
                    number: finding.number, clause: finding.clause, grade: try APIEnum.convert(finding.grade), gradeLabel: finding.grade.label,
                    description: finding.description, evidence: finding.evidence)
            })
    }
}
