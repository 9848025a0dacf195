import Foundation
import OpenAPIRuntime
import TongdaoAPI
import TongdaoCore
import TongdaoUseCases
import Vapor

// Post-market vigilance (issue 19): thin adapters over `platform.adverseEvents` and `platform.udi`.
extension APIHandler {
    /// `GET /api/v1/adverse-events`
    func listAdverseEvents(_ input: Operations.ListAdverseEvents.Input) async throws -> Operations.ListAdverseEvents.Output {
        let req = try RequestContext.require()
        let query = input.query
        let page = try await req.platform.adverseEvents.list(
            product: query.product, seriousness: query.seriousness?.rawValue, status: query.status?.rawValue, lateOnly: query.late ?? false,
            limit: query.limit ?? 50, cursor: query.cursor, by: try req.requireCaller())
        return .ok(.init(body: .json(.init(items: try page.items.map(Components.Schemas.AdverseEvent.init), nextCursor: page.next))))
    }

    /// `POST /api/v1/adverse-events`
    func fileAdverseEvent(_ input: Operations.FileAdverseEvent.Input) async throws -> Operations.FileAdverseEvent.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let filing = AdverseEventInput(
            product: body.productId, udiDI: body.udiDi, certificate: body.certificate, label: body.label, lot: body.lot, serial: body.serial,
            eventOn: body.eventOn, awareOn: body.awareOn, awareTime: body.awareTime, seriousness: body.seriousness.rawValue,
            outcome: body.outcome.rawValue, terms: body.terms, narrative: body.narrative)
        let report = try await req.platform.adverseEvents.file(filing, source: body.label == nil ? .platform : .scan, by: try req.requireCaller())
        req.entityTag = report.version
        return .created(.init(body: .json(try .init(report))))
    }

    /// `GET /api/v1/adverse-events/{id}`
    func getAdverseEvent(_ input: Operations.GetAdverseEvent.Input) async throws -> Operations.GetAdverseEvent.Output {
        let req = try RequestContext.require()
        let report = try await req.platform.adverseEvents.detail(id: try Self.id(input.path.id, .adverseEvent), by: try req.requireCaller())
        req.entityTag = report.version
        return .ok(.init(body: .json(try .init(report))))
    }

    /// `POST /api/v1/adverse-events/{id}/follow-ups`
    func addAdverseEventFollowUp(_ input: Operations.AddAdverseEventFollowUp.Input) async throws -> Operations.AddAdverseEventFollowUp.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let report = try await req.platform.adverseEvents.followUp(
            id: try Self.id(input.path.id, .adverseEvent), text: body.text, outcome: body.outcome?.rawValue, by: try req.requireCaller())
        req.entityTag = report.version
        return .ok(.init(body: .json(try .init(report))))
    }

    /// `POST /api/v1/adverse-events/{id}/assessment`
    func assessAdverseEvent(_ input: Operations.AssessAdverseEvent.Input) async throws -> Operations.AssessAdverseEvent.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let report = try await req.platform.adverseEvents.assess(
            id: try Self.id(input.path.id, .adverseEvent), causality: body.causality.rawValue, note: body.note,
            expecting: try EntityTag.version(ifMatch: input.headers.ifMatch), by: try req.requireCaller())
        req.entityTag = report.version
        return .ok(.init(body: .json(try .init(report))))
    }

    /// `GET /api/v1/event-terms`
    func listEventTerms(_ input: Operations.ListEventTerms.Input) async throws -> Operations.ListEventTerms.Output {
        let req = try RequestContext.require()
        let terms = try await req.platform.adverseEvents.terms(includingRetired: input.query.all ?? false)
        return .ok(.init(body: .json(.init(items: try terms.map(Components.Schemas.EventTerm.init)))))
    }

    /// `GET /api/v1/udi/lookup`
    func lookupUDI(_ input: Operations.LookupUDI.Input) async throws -> Operations.LookupUDI.Output {
        let req = try RequestContext.require()
        let found = try await req.platform.udi.lookup(label: input.query.label, by: try req.requireCaller())
        let label = found.label
        return .ok(
            .init(
                body: .json(
                    .init(
                        elements: label.elements.map { .init(ai: $0.ai, value: $0.value) }, deviceIdentifier: label.deviceIdentifier, lot: label.lot,
                        serial: label.serial, productionDate: label.productionDate?.description, expiryDate: label.expiryDate?.description,
                        productId: found.productID.uuidString, productName: found.productName, certificate: found.certificate))))
    }

    /// `GET /api/v1/products/{id}/udi`
    func listProductUDIs(_ input: Operations.ListProductUDIs.Input) async throws -> Operations.ListProductUDIs.Output {
        let req = try RequestContext.require()
        let items = try await req.platform.udi.list(product: try Self.id(input.path.id, .product), by: try req.requireCaller())
        return .ok(.init(body: .json(.init(items: try items.map(Components.Schemas.UDIEntry.init)))))
    }

    /// `POST /api/v1/products/{id}/udi`
    func addProductUDI(_ input: Operations.AddProductUDI.Input) async throws -> Operations.AddProductUDI.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.udi.add(
            UDIInput(di: body.di, agency: body.agency.rawValue, packaging: body.packaging.rawValue, quantity: body.quantity),
            to: try Self.id(input.path.id, .product), by: try req.requireCaller())
        return .created(.init(body: .json(try .init(record))))
    }

    /// `DELETE /api/v1/products/{id}/udi/{udiId}`
    func removeProductUDI(_ input: Operations.RemoveProductUDI.Input) async throws -> Operations.RemoveProductUDI.Output {
        let req = try RequestContext.require()
        try await req.platform.udi.remove(
            try Self.id(input.path.udiId, .udi), from: try Self.id(input.path.id, .product), by: try req.requireCaller())
        return .noContent(.init())
    }
}

extension Components.Schemas.EventTerm {
    init(_ term: EventTermRecord) throws {
        self.init(code: term.code, kind: try APIEnum.convert(term.kind), chinese: term.chinese, english: term.english, active: term.active)
    }
}

extension Components.Schemas.AdverseEvent {
    init(_ report: AdverseEventRecord) throws {
        self.init(
            id: report.id.uuidString, version: report.version, number: report.number, nationalCode: report.nationalCode,
            productId: report.productID.uuidString,
            productName: report.productName, registrant: report.registrant, certificate: report.certificate, udiDi: report.udiDI, lot: report.lot,
            serial: report.serial, reporterKind: try APIEnum.convert(report.reporterKind), reporterName: report.reporterName,
            eventOn: report.eventOn.description, awareOn: report.awareOn.description, awareTime: report.awareTime,
            seriousness: try APIEnum.convert(report.seriousness), seriousnessLabel: report.seriousness.label,
            outcome: try APIEnum.convert(report.outcome),
            outcomeLabel: report.outcome.label, terms: try report.terms.map(Components.Schemas.EventTerm.init), narrative: report.narrative,
            submittedAt: report.submittedAt, reportedOn: report.reportedOn.description, due: report.due, dueLabel: report.dueLabel, late: report.late,
            source: try APIEnum.convert(report.source), status: try APIEnum.convert(report.status), statusLabel: report.status.label,
            causality: try report.causality.map { try APIEnum.convert($0) }, causalityLabel: report.causality?.label,
            assessmentNote: report.assessmentNote, assessedBy: report.assessedBy, assessedOn: report.assessedOn?.description,
            submittedBy: report.submittedBy,
            timeline: try report.timeline.map { entry in
                .init(kind: try APIEnum.convert(entry.kind), kindLabel: entry.kind.label, at: entry.at, by: entry.by, detail: entry.detail)
            })
    }
}

extension Components.Schemas.UDIEntry {
    init(_ record: UDIRecord) throws {
        self.init(
            id: record.id.uuidString, productId: record.productID.uuidString, di: record.di, agency: try APIEnum.convert(record.agency),
            agencyLabel: record.agency.label, packaging: try APIEnum.convert(record.packaging), packagingLabel: record.packaging.label,
            quantity: record.quantity)
    }
}

// Signal detection and the signal list: thin adapters over `platform.signals`.
extension APIHandler {
    /// `GET /api/v1/signals/detection`
    func detectSignals(_ input: Operations.DetectSignals.Input) async throws -> Operations.DetectSignals.Output {
        let req = try RequestContext.require()
        let query = input.query
        let run = try await req.platform.signals.detect(
            level: query.level?.rawValue, from: query.from, to: query.to, onlySignals: !(query.all ?? false), limit: query.limit ?? 200,
            by: try req.requireCaller())
        return .ok(
            .init(
                body: .json(
                    .init(
                        level: try APIEnum.convert(run.level), from: run.from.description, to: run.to.description, reports: run.reports,
                        pairs: run.pairs,
                        signals: run.signals, policy: .init(run.policy),
                        rows: try run.rows.map { row in
                            .init(
                                subject: row.subject, subjectName: row.subjectName, term: try .init(row.term), measures: .init(row.measures),
                                methods: try APIEnum.convert(row.methods), signalId: row.listed?.uuidString,
                                signalStatus: try row.listedStatus.map { try APIEnum.convert($0) })
                        }))))
    }

    /// `GET /api/v1/signals`
    func listSignals(_ input: Operations.ListSignals.Input) async throws -> Operations.ListSignals.Output {
        let req = try RequestContext.require()
        let items = try await req.platform.signals.list(status: input.query.status?.rawValue, by: try req.requireCaller())
        return .ok(.init(body: .json(.init(items: try items.map(Components.Schemas.Signal.init)))))
    }

    /// `POST /api/v1/signals`
    func addSignal(_ input: Operations.AddSignal.Input) async throws -> Operations.AddSignal.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let signal = try await req.platform.signals.add(
            level: body.level?.rawValue, subject: body.subject, term: body.term, from: body.from, to: body.to, note: body.note,
            by: try req.requireCaller())
        req.entityTag = signal.version
        return .created(.init(body: .json(try .init(signal))))
    }

    /// `GET /api/v1/signals/{id}`
    func getSignal(_ input: Operations.GetSignal.Input) async throws -> Operations.GetSignal.Output {
        let req = try RequestContext.require()
        let signal = try await req.platform.signals.detail(id: try Self.id(input.path.id, .signal), by: try req.requireCaller())
        req.entityTag = signal.version
        return .ok(.init(body: .json(try .init(signal))))
    }

    /// `POST /api/v1/signals/{id}/status`
    func changeSignalStatus(_ input: Operations.ChangeSignalStatus.Input) async throws -> Operations.ChangeSignalStatus.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let signal = try await req.platform.signals.changeStatus(
            id: try Self.id(input.path.id, .signal), status: body.status.rawValue, note: body.note,
            expecting: try EntityTag.version(ifMatch: input.headers.ifMatch), by: try req.requireCaller())
        req.entityTag = signal.version
        return .ok(.init(body: .json(try .init(signal))))
    }

    /// `GET /api/v1/settings/signal-policy`
    func getSignalPolicy(_ input: Operations.GetSignalPolicy.Input) async throws -> Operations.GetSignalPolicy.Output {
        let req = try RequestContext.require()
        let (inForce, versions) = try await req.platform.signals.policies(by: try req.requireCaller())
        return .ok(.init(body: .json(.init(inForce: .init(inForce), versions: versions.map(Components.Schemas.SignalPolicy.init)))))
    }

    /// `PUT /api/v1/settings/signal-policy`
    func putSignalPolicy(_ input: Operations.PutSignalPolicy.Input) async throws -> Operations.PutSignalPolicy.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let versions = try await req.platform.signals.setPolicy(
            SignalPolicy(
                effectiveFrom: body.effectiveFrom, minimumCases: body.minimumCases, prrAtLeast: body.prrAtLeast,
                chiSquareAtLeast: body.chiSquareAtLeast,
                rorLowerAbove: body.rorLowerAbove, ic025Above: body.ic025Above), by: try req.requireCaller())
        let inForce = SignalPolicy.inForce(on: req.platform.clock.today(), among: versions)
        return .ok(.init(body: .json(.init(inForce: .init(inForce), versions: versions.map(Components.Schemas.SignalPolicy.init)))))
    }
}

extension Components.Schemas.SignalPolicy {
    init(_ policy: SignalPolicy) {
        self.init(
            effectiveFrom: policy.effectiveFrom, minimumCases: policy.minimumCases, prrAtLeast: policy.prrAtLeast,
            chiSquareAtLeast: policy.chiSquareAtLeast, rorLowerAbove: policy.rorLowerAbove, ic025Above: policy.ic025Above)
    }
}

extension Components.Schemas.ContingencyTable {
    init(_ table: ContingencyTable) { self.init(a: table.a, b: table.b, c: table.c, d: table.d) }
}

extension Components.Schemas.SignalMeasures {
    init(_ measures: Disproportionality) {
        self.init(
            table: .init(measures.table), corrected: measures.corrected, prr: measures.prr, chiSquare: measures.chiSquare, ror: measures.ror,
            rorLower: measures.rorLower, rorUpper: measures.rorUpper, expected: measures.expected, ic: measures.ic, ic025: measures.ic025)
    }
}

extension Components.Schemas.Signal {
    init(_ signal: SignalRecord) throws {
        self.init(
            id: signal.id.uuidString, version: signal.version, level: try APIEnum.convert(signal.level), subject: signal.subject,
            subjectName: signal.subjectName, term: try .init(signal.term), status: try APIEnum.convert(signal.status),
            statusLabel: signal.status.label,
            detectedOn: signal.detectedOn.description, from: signal.from.description, to: signal.to.description, table: .init(signal.table),
            prr: signal.prr, chiSquare: signal.chiSquare, rorLower: signal.rorLower, ic025: signal.ic025,
            methods: try APIEnum.convert(signal.methods),
            listedBy: signal.listedBy,
            notes: try signal.notes.map { note in .init(status: try APIEnum.convert(note.status), note: note.note, by: note.by, at: note.at) })
    }
}

extension APIHandler {
    /// `GET /api/v1/products/{id}/adverse-event-trend`
    func getAdverseEventTrend(_ input: Operations.GetAdverseEventTrend.Input) async throws -> Operations.GetAdverseEventTrend.Output {
        let req = try RequestContext.require()
        let report = try await req.platform.adverseEvents.trend(
            product: try Self.id(input.path.id, .product), months: input.query.months ?? 24, by: try req.requireCaller())
        return .ok(
            .init(
                body: .json(
                    .init(
                        productId: report.productID.uuidString, productName: report.productName, registrant: report.registrant,
                        certificate: report.certificate, generatedOn: report.generatedOn.description, total: report.total, late: report.late,
                        months: report.trend.months.map { month in
                            .init(
                                month: month.month.description, count: month.count, expected: month.expected, lower: month.lower, upper: month.upper,
                                above: month.above)
                        },
                        bySeriousness: try report.bySeriousness.map { .init(seriousness: try APIEnum.convert($0.seriousness), count: $0.count) },
                        topTerms: try report.topTerms.map { .init(term: try .init($0.term), count: $0.count) }))))
    }
}

extension APIHandler {
    /// `POST /api/v1/adverse-events/imports`
    func importAdverseEvents(_ input: Operations.ImportAdverseEvents.Input) async throws -> Operations.ImportAdverseEvents.Output {
        let req = try RequestContext.require()
        let body: HTTPBody =
            switch input.body {
            case .csv(let body), .binary(let body), .applicationVnd_openxmlformatsOfficedocument_spreadsheetml_sheet(let body): body
            }
        let data = try await Self.sheet(body)
        let dryRun = input.query.dryRun ?? false
        let report = try await req.platform.adverseEvents.importFile(data, dryRun: dryRun, by: try req.requireCaller())
        if !dryRun, !report.committed { throw Self.rowsRejected(report.rejected, type: "adverse-events/rows-rejected") }
        let json = Components.Schemas.AdverseEventImportReport(
            dryRun: report.dryRun, committed: report.committed, rowsRead: report.rowsRead, added: report.added, unchanged: report.unchanged,
            late: report.late, rejected: report.rejected.map { .init(row: $0.row, column: $0.column, reason: $0.reason) })
        return dryRun ? .ok(.init(body: .json(json))) : .created(.init(body: .json(json)))
    }

    /// `GET /api/v1/adverse-events/export`
    func exportAdverseEvents(_ input: Operations.ExportAdverseEvents.Input) async throws -> Operations.ExportAdverseEvents.Output {
        let req = try RequestContext.require()
        let query = input.query
        let format: CensusSheets.Format = try query.format.map { try APIEnum.convert($0) } ?? .csv
        let data = try await req.platform.adverseEvents.export(
            product: query.product, seriousness: query.seriousness?.rawValue, status: query.status?.rawValue, lateOnly: query.late ?? false,
            format: format, by: try req.requireCaller())
        return switch format {
        case .csv: .ok(.init(body: .csv(HTTPBody(data))))
        case .xlsx: .ok(.init(body: .applicationVnd_openxmlformatsOfficedocument_spreadsheetml_sheet(HTTPBody(data))))
        }
    }

    /// `POST /api/v1/event-terms/imports`
    func importEventTerms(_ input: Operations.ImportEventTerms.Input) async throws -> Operations.ImportEventTerms.Output {
        let req = try RequestContext.require()
        let body: HTTPBody =
            switch input.body {
            case .csv(let body), .binary(let body), .applicationVnd_openxmlformatsOfficedocument_spreadsheetml_sheet(let body): body
            }
        let data = try await Self.sheet(body)
        let dryRun = input.query.dryRun ?? false
        let report = try await req.platform.adverseEvents.importTerms(data, dryRun: dryRun, by: try req.requireCaller())
        if !dryRun, !report.committed { throw Self.rowsRejected(report.rejected, type: "event-terms/rows-rejected") }
        let json = Components.Schemas.EventTermImportReport(
            dryRun: report.dryRun, committed: report.committed, rowsRead: report.rowsRead, added: report.added, updated: report.updated,
            unchanged: report.unchanged, rejected: report.rejected.map { .init(row: $0.row, column: $0.column, reason: $0.reason) })
        return dryRun ? .ok(.init(body: .json(json))) : .created(.init(body: .json(json)))
    }

    /// `GET /api/v1/event-terms/export`
    func exportEventTerms(_ input: Operations.ExportEventTerms.Input) async throws -> Operations.ExportEventTerms.Output {
        let req = try RequestContext.require()
        let format: CensusSheets.Format = try input.query.format.map { try APIEnum.convert($0) } ?? .csv
        let data = try await req.platform.adverseEvents.exportTerms(format: format, by: try req.requireCaller())
        return switch format {
        case .csv: .ok(.init(body: .csv(HTTPBody(data))))
        case .xlsx: .ok(.init(body: .applicationVnd_openxmlformatsOfficedocument_spreadsheetml_sheet(HTTPBody(data))))
        }
    }
}

// Conditional-approval obligations: thin adapters over `platform.obligations`.
extension APIHandler {
    /// `GET /api/v1/obligations`
    func listObligations(_ input: Operations.ListObligations.Input) async throws -> Operations.ListObligations.Output {
        let req = try RequestContext.require()
        let query = input.query
        let records = try await req.platform.obligations.list(
            product: query.product, status: query.status?.rawValue, alert: query.alert?.rawValue, officer: query.officer, by: try req.requireCaller())
        return .ok(.init(body: .json(.init(items: try records.map(Components.Schemas.Obligation.init)))))
    }

    /// `POST /api/v1/obligations`
    func createObligation(_ input: Operations.CreateObligation.Input) async throws -> Operations.CreateObligation.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.obligations.create(
            ObligationInput(product: body.productId, kind: body.kind.rawValue, title: body.title, dueOn: body.dueOn, officer: body.officer),
            by: try req.requireCaller())
        req.entityTag = record.version
        return .created(.init(body: .json(try .init(record))))
    }

    /// `GET /api/v1/obligations/{id}`
    func getObligation(_ input: Operations.GetObligation.Input) async throws -> Operations.GetObligation.Output {
        let req = try RequestContext.require()
        let record = try await req.platform.obligations.detail(id: try Self.id(input.path.id, .obligation), by: try req.requireCaller())
        req.entityTag = record.version
        return .ok(.init(body: .json(try .init(record))))
    }

    /// `POST /api/v1/obligations/{id}/evidence`
    func submitObligationEvidence(_ input: Operations.SubmitObligationEvidence.Input) async throws -> Operations.SubmitObligationEvidence.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.obligations.submitEvidence(
            id: try Self.id(input.path.id, .obligation), text: body.evidence, expecting: try EntityTag.version(ifMatch: input.headers.ifMatch),
            by: try req.requireCaller())
        req.entityTag = record.version
        return .ok(.init(body: .json(try .init(record))))
    }

    /// `POST /api/v1/obligations/{id}/review`
    func reviewObligation(_ input: Operations.ReviewObligation.Input) async throws -> Operations.ReviewObligation.Output {
        let req = try RequestContext.require()
        guard case .json(let body) = input.body else { throw ProblemDetails.status(.unsupportedMediaType) }
        let record = try await req.platform.obligations.review(
            id: try Self.id(input.path.id, .obligation), decision: body.decision.rawValue, note: body.note,
            expecting: try EntityTag.version(ifMatch: input.headers.ifMatch), by: try req.requireCaller())
        req.entityTag = record.version
        return .ok(.init(body: .json(try .init(record))))
    }
}

extension Components.Schemas.Obligation {
    init(_ record: ObligationRecord) throws {
        self.init(
            id: record.id.uuidString, version: record.version, productId: record.productID.uuidString, productName: record.productName,
            registrant: record.registrant, certificate: record.certificate, kind: try APIEnum.convert(record.kind), kindLabel: record.kind.label,
            title: record.title, dueOn: record.dueOn.description, officer: record.officer, officerName: record.officerName,
            status: try APIEnum.convert(record.status), statusLabel: record.status.label, alert: try APIEnum.convert(record.alert),
            alertLabel: record.alert.label, daysLeft: record.daysLeft, submittedOn: record.submittedOn?.description,
            satisfiedOn: record.satisfiedOn?.description, overdueSince: record.overdueSince?.description, evidence: record.evidence,
            createdBy: record.createdBy,
            events: try record.events.map {
                .init(kind: try APIEnum.convert($0.kind), kindLabel: $0.kind.label, at: $0.at, by: $0.by, detail: $0.detail)
            }
        )
    }
}
