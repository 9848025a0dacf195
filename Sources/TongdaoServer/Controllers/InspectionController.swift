import Foundation
import TongdaoCore
import TongdaoUseCases
import Vapor

/// Inspections as tasks: thin adapters over `platform.inspections`, the same use cases as the API.
/// A refused step shows the inspection's page again with the Chinese message next to each field
/// and what was typed kept (422); a step on an inspection that has moved on shows it as it is now
/// with the reason (409).
enum InspectionController {
    /// `GET /inspections?status=&targetKind=&source=&year=&cursor=`
    @Sendable static func list(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readInspections)
        let filter = InspectionTaskPages.Filter(
            status: req.query[String.self, at: "status"] ?? "", targetKind: req.query[String.self, at: "targetKind"] ?? "",
            source: req.query[String.self, at: "source"] ?? "", year: req.query[String.self, at: "year"] ?? "")
        let year: Int?
        if filter.year.isEmpty {
            year = nil
        } else if let number = Int(filter.year) {
            year = number
        } else {
            throw UseCaseError.malformed([FieldProblem("year", "must be a year", chinese: "年度应为四位数字")])
        }
        let page = try await req.platform.inspections.list(
            .init(
                status: filter.status.isEmpty ? nil : filter.status, targetKind: filter.targetKind.isEmpty ? nil : filter.targetKind,
                source: filter.source.isEmpty ? nil : filter.source, year: year),
            limit: 50, cursor: req.query[String.self, at: "cursor"], by: caller)
        return HTMLResponse.ok(InspectionTaskPages.list(page, filter: filter, viewer: viewer))
    }

    /// `GET /inspections/new`
    @Sendable static func new(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .manageInspections)
        let targets = try await req.platform.inspections.targets(by: caller)
        return HTMLResponse.ok(InspectionTaskPages.new(targets: targets, form: .init(step: "create"), viewer: viewer))
    }

    struct NewForm: Content {
        var type: String?
        var target: String?
        var plannedMonth: String?
        var reason: String?
        var address: String?
        var centrallyProcured: String?

        var values: [String: String] {
            [
                "type": type ?? "", "target": target ?? "", "plannedMonth": plannedMonth ?? "", "reason": reason ?? "", "address": address ?? "",
                "centrallyProcured": centrallyProcured ?? "",
            ]
        }
    }

    /// `POST /inspections`
    @Sendable static func create(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let form = try req.content.decode(NewForm.self)
        let parts = (form.target ?? "").split(separator: ":", maxSplits: 1).map(String.init)
        do {
            let created = try await req.platform.inspections.create(
                NewInspectionInput(
                    type: form.type, targetKind: parts.first, targetID: parts.count == 2 ? parts[1] : nil, plannedMonth: form.plannedMonth,
                    reason: form.reason, address: form.address, centrallyProcured: form.centrallyProcured == "true"),
                by: caller)
            return req.redirect(to: SiteURL.inspection(id: created.id.uuidString).path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty {
            let targets = try await req.platform.inspections.targets(by: caller)
            let typed = InspectionTaskPages.StepForm(step: "create", values: form.values, errors: refusal.fieldMessages)
            return HTMLResponse.page(InspectionTaskPages.new(targets: targets, form: typed, viewer: viewer), status: .unprocessableEntity)
        }
    }

    /// `GET /inspections/:id`
    @Sendable static func show(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readInspections)
        return HTMLResponse.ok(try await page(req, id: try id(req), form: nil, viewer: viewer, caller: caller))
    }

    /// Every field a step's form may post (each list as parallel arrays).
    struct StepFields: Content {
        var version: String?
        var lead: String?
        var members: [String]?
        var overrideID: [String]?
        var overrideReason: [String]?
        var accept: String?
        var declareNoConflict: String?
        var note: String?
        var noticeOn: String?
        var onSiteFrom: String?
        var onSiteTo: String?
        var clause: String?
        var grade: String?
        var description: String?
        var evidence: String?
        var conclusion: String?
        var report: String?
        var ratingID: [String]?
        var rating: [String]?
        var reason: String?
        var rectification: String?
        var accepted: String?

        /// The form's values as typed, by field (lists by their rows' ids), to show again.
        var values: [String: String] {
            var values: [String: String] = [:]
            let single: [(String, String?)] = [
                ("lead", lead), ("accept", accept), ("declareNoConflict", declareNoConflict), ("note", note), ("noticeOn", noticeOn),
                ("onSiteFrom", onSiteFrom), ("onSiteTo", onSiteTo), ("clause", clause), ("grade", grade), ("description", description),
                ("evidence", evidence), ("conclusion", conclusion), ("report", report), ("reason", reason), ("rectification", rectification),
                ("accepted", accepted),
            ]
            for (name, value) in single { if let value { values[name] = value } }
            values["members"] = (members ?? []).joined(separator: ",")
            for (id, reason) in zip(overrideID ?? [], overrideReason ?? []) { values["override-\(id)"] = reason }
            for (id, rating) in zip(ratingID ?? [], rating ?? []) { values["rating-\(id)"] = rating }
            return values
        }

        var versionNumber: Int? { version.flatMap { Int($0) } }
    }

    /// `POST /inspections/:id/:step`
    @Sendable static func step(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let id = try id(req)
        let step = req.parameters.get("step") ?? ""
        let form = try req.content.decode(StepFields.self)
        let tasks = req.platform.inspections
        return try await respond(req, id: id, step: step, finding: nil, form: form, viewer: viewer, caller: caller) {
            switch step {
            case "team":
                var overrides: [String: String] = [:]
                for (inspector, reason) in zip(form.overrideID ?? [], form.overrideReason ?? []) where !reason.trimmingWhitespace().isEmpty {
                    overrides[inspector] = reason
                }
                _ = try await tasks.formTeam(
                    id: id, TeamInput(lead: form.lead, members: form.members ?? [], overrides: overrides), expecting: form.versionNumber, by: caller)
            case "answer":
                _ = try await tasks.answer(
                    id: id, AnswerInput(accept: form.accept == "true", declareNoConflict: form.declareNoConflict == "true", note: form.note),
                    by: caller)
            case "notice":
                _ = try await tasks.sendNotice(
                    id: id, NoticeInput(noticeOn: form.noticeOn, onSiteFrom: form.onSiteFrom, onSiteTo: form.onSiteTo), expecting: form.versionNumber,
                    by: caller)
            case "visit":
                _ = try await tasks.startVisit(id: id, onSiteFrom: form.onSiteFrom, by: caller)
            case "findings":
                _ = try await tasks.recordFinding(
                    id: id, FindingInput(clause: form.clause, grade: form.grade, description: form.description, evidence: form.evidence), by: caller)
            case "conclusion":
                _ = try await tasks.conclude(
                    id: id,
                    ConclusionInput(onSiteTo: form.onSiteTo, conclusion: form.conclusion.flatMap { $0.isEmpty ? nil : $0 }, report: form.report),
                    expecting: form.versionNumber, by: caller)
            case "close":
                var ratings: [String: Int] = [:]
                for (inspector, rating) in zip(form.ratingID ?? [], form.rating ?? []) {
                    if let value = Int(rating) { ratings[inspector] = value }
                }
                _ = try await tasks.close(id: id, ratings: ratings, expecting: form.versionNumber, by: caller)
            case "cancel":
                _ = try await tasks.cancel(id: id, reason: form.reason, expecting: form.versionNumber, by: caller)
            case "waiver":
                _ = try await tasks.waive(id: id, note: form.note, expecting: form.versionNumber, by: caller)
            default:
                throw Abort(.notFound)
            }
        }
    }

    /// `POST /inspections/:id/findings/:finding/:step`
    @Sendable static func findingStep(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let id = try id(req)
        guard let finding = req.parameters.get("finding").flatMap(UUID.init(uuidString:)) else { throw UseCaseError.notFound(.finding) }
        let step = req.parameters.get("step") ?? ""
        let form = try req.content.decode(StepFields.self)
        let tasks = req.platform.inspections
        return try await respond(req, id: id, step: step, finding: finding, form: form, viewer: viewer, caller: caller) {
            switch step {
            case "rectification":
                _ = try await tasks.submitRectification(id: id, finding: finding, text: form.rectification, by: caller)
            case "verification":
                _ = try await tasks.verify(
                    id: id, finding: finding, VerificationInput(accepted: form.accepted.flatMap { $0.isEmpty ? nil : $0 == "true" }, note: form.note),
                    by: caller)
            case "raise":
                _ = try await tasks.raiseGrade(id: id, finding: finding, reason: form.reason, by: caller)
            default:
                throw Abort(.notFound)
            }
        }
    }

    /// Takes a step: back to the inspection on success; on a refusal naming fields, its page again
    /// with the messages and what was typed (422; a stale one 409 with the page as it is now).
    private static func respond(
        _ req: Request, id: UUID, step: String, finding: UUID?, form: StepFields, viewer: Viewer, caller: Caller, _ take: () async throws -> Void
    ) async throws -> Response {
        do {
            try await take()
            return req.redirect(
                to: SiteURL.inspection(id: id.uuidString).path + (finding.map { "#finding-\($0.uuidString)" } ?? ""), redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty || isStale(refusal) {
            var typed = InspectionTaskPages.StepForm(step: step, finding: finding, values: form.values, errors: refusal.fieldMessages)
            if isStale(refusal) { typed.message = "检查任务已被他人更新，请核对当前情况后重新提交。" }
            if case .conflict(let problem) = refusal { typed.message = problem.chinese }
            if typed.errors.count == 1, let only = typed.errors["status"] ?? typed.errors["finding"] { typed.message = only }
            let status: HTTPResponseStatus = isStale(refusal) ? .conflict : .unprocessableEntity
            return HTMLResponse.page(try await page(req, id: id, form: typed, viewer: viewer, caller: caller), status: status)
        }
    }

    // MARK: The cross-department notice

    /// `GET /inspections/notice?year=` — printable.
    @Sendable static func notice(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readInspectionNotice)
        let year = try noticeYear(req)
        let notice = try await req.platform.inspections.notice(year: year, by: caller)
        return HTMLResponse.ok(InspectionNoticePage.render(notice, today: req.platform.clock.today(), viewer: viewer))
    }

    /// `GET /inspections/notice/export?year=&format=csv|xlsx`
    @Sendable static func noticeExport(req: Request) async throws -> Response {
        let (_, caller) = try req.requireViewer(allowedTo: .readInspectionNotice)
        let format = try FileDownload.format(req, default: .xlsx)
        let year = try noticeYear(req) ?? req.platform.clock.today().year
        let data = try await req.platform.inspections.noticeFile(year: year, format: format, by: caller)
        return FileDownload.response(data, format: format, name: "inspection-notice-\(year)")
    }

    private static func noticeYear(_ req: Request) throws -> Int? {
        guard let text = req.query[String.self, at: "year"], !text.isEmpty else { return nil }
        guard let year = Int(text), (2000...2100).contains(year) else { throw Abort(.badRequest, reason: "年份应在 2000 至 2100 之间") }
        return year
    }

    // MARK: Credit files

    /// `GET /credit/:kind/:id`
    @Sendable static func credit(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readCredit)
        let (kind, id) = try party(req)
        return HTMLResponse.ok(CreditPage.render(try await req.platform.credit.file(kind: kind, id: id, by: caller), form: nil, viewer: viewer))
    }

    /// `GET /credit/policy`
    @Sendable static func creditPolicy(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readCredit)
        let (inForce, versions) = try await req.platform.credit.policies(by: caller)
        return HTMLResponse.ok(
            CreditPage.policy(inForce: inForce, versions: versions, form: nil, today: req.platform.clock.today(), viewer: viewer))
    }

    /// `POST /credit/policy`: a version from the form; refused, the page again with each message at
    /// its field and what was typed kept.
    @Sendable static func setCreditPolicy(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let typed = try req.content.decode([String: String].self)
        var points: [String: String] = [:]
        for kind in CreditEventKind.allCases { points[kind.rawValue] = typed["points.\(kind.rawValue)"] }
        let input = CreditPolicyInput(
            effectiveFrom: typed["effectiveFrom"], base: typed["base"], years: typed["years"], gradeA: typed["gradeA"], gradeB: typed["gradeB"],
            gradeC: typed["gradeC"], points: points)
        do {
            _ = try await req.platform.credit.setPolicy(input, by: caller)
            return req.redirect(to: SiteURL.creditPolicy.path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty {
            let (inForce, versions) = try await req.platform.credit.policies(by: caller)
            let form = InspectionTaskPages.StepForm(step: "policy", values: typed.filter { $0.key != "_csrf" }, errors: refusal.fieldMessages)
            return HTMLResponse.page(
                CreditPage.policy(inForce: inForce, versions: versions, form: form, today: req.platform.clock.today(), viewer: viewer),
                status: .unprocessableEntity)
        }
    }

    struct CreditForm: Content {
        var kind: String?
        var occurredOn: String?
        var detail: String?
    }

    /// `POST /credit/:kind/:id/events`
    @Sendable static func recordCredit(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let (kind, id) = try party(req)
        let form = try req.content.decode(CreditForm.self)
        do {
            _ = try await req.platform.credit.record(kind: kind, id: id, event: form.kind, on: form.occurredOn, detail: form.detail, by: caller)
            return req.redirect(to: SiteURL.credit(kind: kind, id: id.uuidString).path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty {
            let typed = InspectionTaskPages.StepForm(
                step: "credit", values: ["kind": form.kind ?? "", "occurredOn": form.occurredOn ?? "", "detail": form.detail ?? ""],
                errors: refusal.fieldMessages)
            let file = try await req.platform.credit.file(kind: kind, id: id, by: caller)
            return HTMLResponse.page(CreditPage.render(file, form: typed, viewer: viewer), status: .unprocessableEntity)
        }
    }

    private static func party(_ req: Request) throws -> (String, UUID) {
        let kind = req.parameters.get("kind") ?? ""
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else {
            throw UseCaseError.notFound(kind == "enterprise" ? .enterprise : .institution)
        }
        return (kind, id)
    }

    // MARK: The key-supervision list

    /// `GET /inspections/key-supervision?all=&cursor=`
    @Sendable static func keySupervision(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readInspectors)
        return HTMLResponse.ok(try await keySupervisionPage(req, form: nil, viewer: viewer, caller: caller))
    }

    private static func keySupervisionPage(
        _ req: Request, form: InspectionTaskPages.StepForm?, viewer: Viewer, caller: Caller
    ) async throws -> String {
        let all = req.query[String.self, at: "all"] == "1"
        let page = try await req.platform.keySupervision.list(all: all, cursor: req.query[String.self, at: "cursor"], by: caller)
        let targets = viewer.may(.manageInspections) ? try await req.platform.inspections.targets(by: caller) : nil
        return KeySupervisionPage.render(.init(page: page, all: all, targets: targets, form: form), viewer: viewer)
    }

    struct KeySupervisionForm: Content {
        var target: String?
        var reason: String?
        var confirm: String?
        var version: String?
    }

    /// `POST /inspections/key-supervision`: a proposal for a systemic risk.
    @Sendable static func proposeKeySupervision(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        let form = try req.content.decode(KeySupervisionForm.self)
        let parts = (form.target ?? "").split(separator: ":", maxSplits: 1).map(String.init)
        do {
            _ = try await req.platform.keySupervision.propose(
                targetKind: parts.first, targetID: parts.count == 2 ? parts[1] : nil, reason: form.reason, by: caller)
            return req.redirect(to: SiteURL.keySupervision(all: false).path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty {
            var typed = InspectionTaskPages.StepForm(
                step: "propose", values: ["target": form.target ?? "", "reason": form.reason ?? ""], errors: refusal.fieldMessages)
            if case .conflict(let problem) = refusal { typed.message = problem.chinese }
            return HTMLResponse.page(try await keySupervisionPage(req, form: typed, viewer: viewer, caller: caller), status: .unprocessableEntity)
        }
    }

    /// `POST /inspections/key-supervision/:id`: the regulator's decision.
    @Sendable static func decideKeySupervision(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer()
        try CSRF.verify(req)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw UseCaseError.notFound(.keySupervision) }
        let form = try req.content.decode(KeySupervisionForm.self)
        do {
            _ = try await req.platform.keySupervision.decide(
                id: id, confirm: form.confirm == "true", reason: form.reason, expecting: form.version.flatMap { Int($0) }, by: caller)
            return req.redirect(to: SiteURL.keySupervision(all: false).path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty || isStale(refusal) {
            var typed = InspectionTaskPages.StepForm(
                step: "decide", finding: id, values: ["confirm": form.confirm ?? "", "reason": form.reason ?? ""], errors: refusal.fieldMessages)
            if isStale(refusal) { typed.message = "该记录已被他人处理，请核对当前情况。" }
            if let only = typed.errors["status"] { typed.message = only }
            return HTMLResponse.page(
                try await keySupervisionPage(req, form: typed, viewer: viewer, caller: caller),
                status: isStale(refusal) ? .conflict : .unprocessableEntity)
        }
    }

    private static func isStale(_ error: UseCaseError) -> Bool {
        if case .stale = error { return true }
        return false
    }

    private static func page(_ req: Request, id: UUID, form: InspectionTaskPages.StepForm?, viewer: Viewer, caller: Caller) async throws -> String {
        let record = try await req.platform.inspections.detail(id: id, by: caller)
        let proposal =
            record.may.manage && [.planned, .staffing, .staffed].contains(record.status)
            ? try await req.platform.inspections.proposal(id: id, by: caller) : nil
        let joint = try await req.platform.deltaJoint.of(inspection: id, by: caller)
        return InspectionTaskPages.show(
            record, proposal: proposal, joint: joint, form: form, today: req.platform.clock.today(), viewer: viewer)
    }

    private static func id(_ req: Request) throws -> UUID {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw UseCaseError.notFound(.inspection) }
        return id
    }
}
