import Foundation
import TongdaoAPI
import TongdaoCore
import TongdaoUseCases
import Vapor

extension APIHandler {
    /// `GET /api/v1/trial-institutions`
    func listTrialInstitutions(_ input: Operations.ListTrialInstitutions.Input) async throws -> Operations.ListTrialInstitutions.Output {
        let req = try RequestContext.require()
        let page = try await req.platform.trials.institutions(
            limit: input.query.limit ?? 50, cursor: input.query.cursor, by: try req.requireCaller())
        return .ok(.init(body: .json(.init(items: try page.items.map(Components.Schemas.TrialInstitution.init), nextCursor: page.next))))
    }

    /// `POST /api/v1/trial-institutions`
    func createTrialInstitution(_ input: Operations.CreateTrialInstitution.Input) async throws -> Operations.CreateTrialInstitution.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.trials.createInstitution(
            InstitutionInput(
                name: body.name, code: body.code, district: body.district, province: body.province, grade: body.grade.rawValue,
                drugFilingNumber: body.drugFilingNumber, drugFiledOn: body.drugFiledOn, deviceFilingNumber: body.deviceFilingNumber,
                deviceFiledOn: body.deviceFiledOn, specialties: (body.specialties ?? []).map { SpecialtyInput(name: $0.name, filedOn: $0.filedOn) }),
            by: try req.requireCaller())
        return .created(.init(body: .json(try .init(record))))
    }

    /// `GET /api/v1/trial-institutions/{id}`
    func getTrialInstitution(_ input: Operations.GetTrialInstitution.Input) async throws -> Operations.GetTrialInstitution.Output {
        let req = try RequestContext.require()
        let record = try await req.platform.trials.institution(id: try Self.id(input.path.id, .institution), by: try req.requireCaller())
        return .ok(.init(body: .json(try .init(record))))
    }

    /// `GET /api/v1/trial-institutions/{id}/site-times`
    func getInstitutionSiteTimes(_ input: Operations.GetInstitutionSiteTimes.Input) async throws -> Operations.GetInstitutionSiteTimes.Output {
        let req = try RequestContext.require()
        let report = try await req.platform.trials.siteTimes(institution: try Self.id(input.path.id, .institution), by: try req.requireCaller())
        return .ok(
            .init(
                body: .json(
                    .init(
                        overall: .init(report.overall),
                        bySpecialty: report.bySpecialty.map { .init(specialty: $0.specialty, times: .init($0.summary)) }))))
    }

    /// `GET /api/v1/investigators`
    func listInvestigators(_ input: Operations.ListInvestigators.Input) async throws -> Operations.ListInvestigators.Output {
        let req = try RequestContext.require()
        let page = try await req.platform.trials.investigators(
            institution: input.query.institution, limit: input.query.limit ?? 50, cursor: input.query.cursor, by: try req.requireCaller())
        return .ok(.init(body: .json(.init(items: try page.items.map(Components.Schemas.Investigator.init), nextCursor: page.next))))
    }

    /// `POST /api/v1/investigators`
    func createInvestigator(_ input: Operations.CreateInvestigator.Input) async throws -> Operations.CreateInvestigator.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.trials.createInvestigator(
            InvestigatorInput(
                institutionID: body.institutionId, name: body.name, specialty: body.specialty, title: body.title, senior: body.senior,
                earlierTrials: body.earlierTrials, gcpTrainedOn: body.gcpTrainedOn), by: try req.requireCaller())
        return .created(.init(body: .json(try .init(record))))
    }

    /// `GET /api/v1/investigators/{id}`
    func getInvestigator(_ input: Operations.GetInvestigator.Input) async throws -> Operations.GetInvestigator.Output {
        let req = try RequestContext.require()
        let found = try await req.platform.trials.investigator(id: try Self.id(input.path.id, .investigator), by: try req.requireCaller())
        return .ok(
            .init(body: .json(.init(investigator: try .init(found.investigator), sites: try found.sites.map(Components.Schemas.TrialSite.init)))))
    }

    /// `GET /api/v1/investigators/{id}/merges`
    func listInvestigatorMerges(_ input: Operations.ListInvestigatorMerges.Input) async throws -> Operations.ListInvestigatorMerges.Output {
        let req = try RequestContext.require()
        let merges = try await req.platform.trials.merges(of: try Self.id(input.path.id, .investigator), by: try req.requireCaller())
        return .ok(.init(body: .json(.init(items: merges.map(Components.Schemas.InvestigatorMerge.init)))))
    }

    /// `POST /api/v1/investigators/{id}/merges`
    func mergeInvestigator(_ input: Operations.MergeInvestigator.Input) async throws -> Operations.MergeInvestigator.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let merge = try await req.platform.trials.merge(
            duplicate: body.duplicateId, into: try Self.id(input.path.id, .investigator), reason: body.reason, by: try req.requireCaller())
        return .created(.init(body: .json(.init(merge))))
    }

    /// `POST /api/v1/investigator-merges/{id}/undo`
    func undoInvestigatorMerge(_ input: Operations.UndoInvestigatorMerge.Input) async throws -> Operations.UndoInvestigatorMerge.Output {
        let req = try RequestContext.require()
        let merge = try await req.platform.trials.undoMerge(try Self.id(input.path.id, .merge), by: try req.requireCaller())
        return .ok(.init(body: .json(.init(merge))))
    }

    /// `GET /api/v1/supervision/investigator-duplicates`
    func listLikelyDuplicates(_ input: Operations.ListLikelyDuplicates.Input) async throws -> Operations.ListLikelyDuplicates.Output {
        let req = try RequestContext.require()
        let pairs = try await req.platform.trials.likelyDuplicates(by: try req.requireCaller())
        return .ok(
            .init(
                body: .json(
                    .init(
                        items: try pairs.map { .init(first: try .init($0.first), second: try .init($0.second), matching: $0.matching) }))))
    }

    /// `GET /api/v1/trials`
    func listTrials(_ input: Operations.ListTrials.Input) async throws -> Operations.ListTrials.Output {
        let req = try RequestContext.require()
        let page = try await req.platform.trials.trials(
            institution: input.query.institution, investigator: input.query.investigator, limit: input.query.limit ?? 50, cursor: input.query.cursor,
            by: try req.requireCaller())
        return .ok(.init(body: .json(.init(items: try page.items.map(Components.Schemas.Trial.init), nextCursor: page.next))))
    }

    /// `POST /api/v1/trials`
    func createTrial(_ input: Operations.CreateTrial.Input) async throws -> Operations.CreateTrial.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let detail = try await req.platform.trials.createTrial(
            TrialInput(
                registrationNumber: body.registrationNumber, title: body.title, kind: body.kind.rawValue, phase: body.phase?.rawValue,
                sponsor: body.sponsor, productID: body.productId, approvedOn: body.approvedOn, pilot: body.pilot ?? false,
                firstConsentOn: body.firstConsentOn, deviceClass: body.deviceClass?.rawValue, innovative: body.innovative ?? false,
                needsApproval: body.needsApproval ?? false), by: try req.requireCaller())
        return .created(.init(body: .json(try .init(detail))))
    }

    /// `GET /api/v1/trials/{id}`
    func getTrial(_ input: Operations.GetTrial.Input) async throws -> Operations.GetTrial.Output {
        let req = try RequestContext.require()
        let detail = try await req.platform.trials.detail(id: try Self.id(input.path.id, .trial), by: try req.requireCaller())
        return .ok(.init(body: .json(try .init(detail))))
    }

    /// `POST /api/v1/trials/{id}/status`
    func recordTrialStatus(_ input: Operations.RecordTrialStatus.Input) async throws -> Operations.RecordTrialStatus.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let detail = try await req.platform.trials.recordStatus(
            body.status.rawValue, on: body.on, trial: try Self.id(input.path.id, .trial), by: try req.requireCaller())
        return .ok(.init(body: .json(try .init(detail))))
    }

    /// `POST /api/v1/trials/{id}/sites`
    func addTrialSite(_ input: Operations.AddTrialSite.Input) async throws -> Operations.AddTrialSite.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let detail = try await req.platform.trials.addSite(
            SiteInput(
                institutionID: body.institutionId, investigatorID: body.investigatorId, role: body.role.rawValue,
                ethicsApprovedOn: body.ethicsApprovedOn,
                activatedOn: body.activatedOn, firstSubjectOn: body.firstSubjectOn, targetEnrolment: body.targetEnrolment,
                actualEnrolment: body.actualEnrolment, closedOn: body.closedOn, exemption: body.exemption),
            to: try Self.id(input.path.id, .trial), by: try req.requireCaller())
        return .created(.init(body: .json(try .init(detail))))
    }

    /// `PUT /api/v1/trials/{id}/sites/{site}`
    func updateTrialSite(_ input: Operations.UpdateTrialSite.Input) async throws -> Operations.UpdateTrialSite.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let detail = try await req.platform.trials.updateSite(
            SiteInput(
                institutionID: nil, investigatorID: body.investigatorId, role: body.role.rawValue, ethicsApprovedOn: body.ethicsApprovedOn,
                activatedOn: body.activatedOn, firstSubjectOn: body.firstSubjectOn, targetEnrolment: body.targetEnrolment,
                actualEnrolment: body.actualEnrolment, closedOn: body.closedOn, exemption: body.exemption),
            site: try Self.id(input.path.site, .site), of: try Self.id(input.path.id, .trial),
            expecting: try EntityTag.version(ifMatch: input.headers.ifMatch), by: try req.requireCaller())
        return .ok(.init(body: .json(try .init(detail))))
    }

    /// `GET /api/v1/supervision/pi-load`
    func getPILoad(_ input: Operations.GetPILoad.Input) async throws -> Operations.GetPILoad.Output {
        let req = try RequestContext.require()
        let report = try await req.platform.trials.piLoad(by: try req.requireCaller())
        return .ok(
            .init(
                body: .json(
                    .init(
                        asOf: report.asOf.description, overloaded: report.overloaded, named: report.named,
                        investigators: try report.investigators.map(Components.Schemas.Investigator.init)))))
    }
}

extension Components.Schemas.TrialInstitution {
    init(_ record: InstitutionRecord) throws {
        self.init(
            id: record.id.uuidString, version: record.version, name: record.name, code: record.code, district: record.district,
            province: record.province, grade: try APIEnum.convert(record.grade), drugFilingNumber: record.drugFilingNumber,
            drugFiledOn: record.drugFiledOn, deviceFilingNumber: record.deviceFilingNumber, deviceFiledOn: record.deviceFiledOn,
            status: try APIEnum.convert(record.status), specialties: record.specialties.map { .init(name: $0.name, filedOn: $0.filedOn) })
    }
}

extension Components.Schemas.Investigator {
    init(_ record: InvestigatorRecord) throws {
        self.init(
            id: record.id.uuidString, version: record.version, institutionId: record.institutionID.uuidString, name: record.name,
            specialty: record.specialty, title: record.title, senior: record.senior, earlierTrials: record.earlierTrials,
            gcpTrainedOn: record.gcpTrainedOn, activeSites: record.activeSites, threshold: record.threshold, overloaded: record.overloaded,
            phaseLoads: try record.phaseLoads.map { .init(phase: try APIEnum.convert($0.phase), load: $0.load, limit: $0.limit) },
            mergedInto: record.mergedInto?.uuidString)
    }
}

extension Components.Schemas.InvestigatorMerge {
    init(_ record: MergeRecord) {
        self.init(
            id: record.id.uuidString, survivorId: record.survivorID.uuidString, duplicateId: record.duplicateID.uuidString,
            siteIds: record.siteIDs.map(\.uuidString), reason: record.reason, mergedBy: record.mergedBy, mergedAt: record.mergedAt,
            undone: record.undone, undoneBy: record.undoneBy, undoneAt: record.undoneAt)
    }
}

extension Components.Schemas.TrialSite {
    init(_ record: SiteRecord) throws {
        self.init(
            id: record.id.uuidString, version: record.version, trialId: record.trialID.uuidString, institutionId: record.institutionID.uuidString,
            investigatorId: record.investigatorID.uuidString, role: try APIEnum.convert(record.role),
            ethicsApprovedOn: record.dates.ethicsApprovedOn?.description, activatedOn: record.dates.activatedOn?.description,
            firstSubjectOn: record.dates.firstSubjectOn?.description, targetEnrolment: record.targetEnrolment,
            actualEnrolment: record.actualEnrolment,
            closedOn: record.dates.closedOn?.description, exemption: record.exemption)
    }
}

extension Components.Schemas.StartRule {
    init(_ reading: StartRule.Reading) throws {
        switch reading {
        case .notApplicable:
            self.init(state: .notApplicable)
        case .started(let on, let late):
            self.init(state: .started, startedOn: on.description, late: late)
        case .waiting(let level, let daysLeft, let due):
            self.init(state: .waiting, level: try APIEnum.convert(level), due: due.description, daysLeft: daysLeft)
        }
    }
}

extension Components.Schemas.Trial {
    init(_ record: TrialRecord) throws {
        self.init(
            id: record.id.uuidString, version: record.version, registrationNumber: record.registrationNumber, title: record.title,
            kind: try APIEnum.convert(record.kind), phase: try APIEnum.convert(record.phase), status: try APIEnum.convert(record.status),
            sponsorId: record.sponsorID.uuidString, uscc: record.uscc, district: record.district, park: record.park,
            productId: record.productID?.uuidString, approvedOn: record.approvedOn, pilot: record.pilot, firstConsentOn: record.firstConsentOn,
            deviceClass: try record.deviceClass.map { try APIEnum.convert($0) }, innovative: record.innovative, needsApproval: record.needsApproval,
            start: try .init(record.start), sites: try record.sites.map(Components.Schemas.TrialSite.init))
    }
}

extension Components.Schemas.TrialDetail {
    init(_ detail: TrialDetail) throws {
        self.init(
            trial: try .init(detail.trial),
            events: try detail.events.map { event in
                .init(
                    sequence: event.sequence, _type: try APIEnum.convert(event.kind), on: event.on,
                    status: try event.status.map { try APIEnum.convert($0) },
                    siteId: event.siteID?.uuidString, recordedBy: event.recordedBy)
            })
    }
}

extension APIHandler {
    /// `GET /api/v1/settings/pi-load`
    func getPILoadPolicy(_ input: Operations.GetPILoadPolicy.Input) async throws -> Operations.GetPILoadPolicy.Output {
        let req = try RequestContext.require()
        let versions = try await req.platform.trials.policies(by: try req.requireCaller())
        return .ok(.init(body: .json(Self.policies(versions, today: req.platform.clock.today()))))
    }

    /// `PUT /api/v1/settings/pi-load`
    func putPILoadPolicy(_ input: Operations.PutPILoadPolicy.Input) async throws -> Operations.PutPILoadPolicy.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let versions = try await req.platform.trials.setPolicy(
            PILoadPolicy(
                threshold: body.threshold, bySpecialty: body.bySpecialty?.additionalProperties ?? [:], byPhase: Self.phases(body.byPhase),
                effectiveFrom: body.effectiveFrom),
            by: try req.requireCaller())
        return .ok(.init(body: .json(Self.policies(versions, today: req.platform.clock.today()))))
    }

    /// The contract's phase limits as the policy holds them, by phase.
    private static func phases(_ body: Components.Schemas.PILoadPolicy.ByPhasePayload?) -> [TrialPhase: Int] {
        guard let body else { return [:] }
        let pairs: [(TrialPhase, Int?)] = [
            (.phase1, body.phase1), (.phase2, body.phase2), (.phase3, body.phase3), (.phase4, body.phase4),
            (.bioequivalence, body.bioequivalence), (.notApplicable, body.notApplicable),
        ]
        return Dictionary(uniqueKeysWithValues: pairs.compactMap { phase, value in value.map { (phase, $0) } })
    }

    private static func policies(_ versions: [PILoadPolicy], today: CivilDate) -> Components.Schemas.PILoadPolicies {
        func schema(_ policy: PILoadPolicy) -> Components.Schemas.PILoadPolicy {
            .init(
                threshold: policy.threshold, bySpecialty: .init(additionalProperties: policy.bySpecialty),
                byPhase: policy.byPhase.isEmpty
                    ? nil
                    : .init(
                        phase1: policy.byPhase[.phase1], phase2: policy.byPhase[.phase2], phase3: policy.byPhase[.phase3],
                        phase4: policy.byPhase[.phase4], bioequivalence: policy.byPhase[.bioequivalence],
                        notApplicable: policy.byPhase[.notApplicable]),
                effectiveFrom: policy.effectiveFrom)
        }
        return .init(inForce: schema(PILoadPolicy.inForce(on: today, among: versions)), versions: versions.map(schema))
    }
}

extension Components.Schemas.SiteTimes {
    init(_ summary: SiteTimes.Summary) {
        self.init(
            sites: summary.sites, ethicsSites: summary.ethicsSites, ethicsMedianDays: summary.ethicsMedianDays,
            activationSites: summary.activationSites,
            activationMedianDays: summary.activationMedianDays)
    }
}
