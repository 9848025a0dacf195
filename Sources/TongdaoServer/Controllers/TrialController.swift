import Foundation
import TongdaoCore
import TongdaoUseCases
import Vapor

/// The clinical-trial pages: thin adapters over the same use cases as the API.
enum TrialController {
    static let pageSize = 50

    /// `GET /trials`
    @Sendable static func list(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readTrials)
        let institution = req.query[String.self, at: "institution"] ?? "", investigator = req.query[String.self, at: "investigator"] ?? ""
        let page = try await req.platform.trials.trials(
            institution: institution.isEmpty ? nil : institution, investigator: investigator.isEmpty ? nil : investigator, limit: pageSize,
            cursor: req.query[String.self, at: "cursor"], by: caller)
        let names = try await req.platform.trials.names(of: page.items, by: caller)
        let nextQuery = page.next.flatMap { SiteURL.query([("institution", institution), ("investigator", investigator), ("cursor", $0)]) }
        return HTMLResponse.ok(TrialPages.list(page.items, names: names, nextQuery: nextQuery, viewer: viewer))
    }

    /// `GET /trials/matching`: the products at the clinical stage in the viewer's scope, each with
    /// the institutions ranked for its trial.
    @Sendable static func matching(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readProducts)
        let page = try await req.platform.trials.matches(limit: 20, cursor: req.query[String.self, at: "cursor"], by: caller)
        let enterprises = try await req.platform.products.enterpriseNames(of: page.items.map(\.product), by: caller)
        let nextQuery = page.next.flatMap { SiteURL.query([("cursor", $0)]) }
        return HTMLResponse.ok(TrialMatchPages.list(page.items, enterprises: enterprises, nextQuery: nextQuery, viewer: viewer))
    }

    /// `GET /trials/export?sheet=institutions|investigators|trials&format=csv|xlsx` — a sheet of the viewer's scope.
    @Sendable static func export(req: Request) async throws -> Response {
        let (_, caller) = try req.requireViewer(allowedTo: .readTrials)
        guard let sheet = TrialSheet(rawValue: req.query[String.self, at: "sheet"] ?? "") else {
            throw Abort(.badRequest, reason: "请选择要导出的表：institutions、investigators 或 trials")
        }
        let format = try FileDownload.format(req)
        let data = try await req.platform.trials.export(sheet, format: format, by: caller)
        return FileDownload.response(data, format: format, name: "trial-\(sheet.rawValue)")
    }

    struct SheetUploadForm: Content {
        var sheet: String?
        var file: File?
    }

    /// `GET /trials/sheets` — the registry's sheets: exports, and the upload form for their keepers.
    @Sendable static func sheets(req: Request) async throws -> Response {
        let (viewer, _) = try req.requireViewer(allowedTo: .readTrials)
        return HTMLResponse.ok(TrialSheetPages.page(form: .init(), viewer: viewer))
    }

    /// `POST /trials/sheets/uploads` — keep the file, dry-run it, show the report.
    @Sendable static func uploadSheet(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readTrials)
        try CSRF.verify(req)
        let form = try req.content.decode(SheetUploadForm.self)
        guard let sheet = form.sheet.flatMap(TrialSheet.init(rawValue:)) else {
            throw Abort(.badRequest, reason: "请选择登记表：institutions、investigators 或 trials")
        }
        func again(_ error: String) -> Response {
            HTMLResponse.page(TrialSheetPages.page(form: .init(sheet: sheet, error: error), viewer: viewer), status: .unprocessableEntity)
        }
        guard let file = form.file, file.data.readableBytes > 0 else { return again("请选择要上传的文件") }
        do {
            let (report, upload) = try await req.platform.trials.stageUpload(
                Data(file.data.readableBytesView), filename: file.filename, sheet: sheet, by: caller)
            return HTMLResponse.page(
                TrialSheetPages.report(report, uploadID: upload, filename: file.filename, viewer: viewer),
                status: report.rejected.isEmpty ? .ok : .unprocessableEntity)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty {
            return again(refusal.chinese)
        }
    }

    /// `POST /trials/sheets/uploads/:id/commit` — import the confirmed file, all rows or none.
    @Sendable static func commitSheet(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readTrials)
        try CSRF.verify(req)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw UseCaseError.notFound(.upload) }
        let (report, filename, kept) = try await req.platform.trials.commitUpload(id: id, by: caller)
        return HTMLResponse.page(
            TrialSheetPages.report(report, uploadID: kept, filename: filename, viewer: viewer), status: report.committed ? .ok : .unprocessableEntity)
    }

    /// `GET /trials/:id`
    @Sendable static func show(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readTrials)
        let detail = try await req.platform.trials.detail(id: try id(req, .trial), by: caller)
        let names = try await req.platform.trials.names(of: [detail.trial], by: caller)
        return HTMLResponse.ok(TrialPages.show(detail, names: names, viewer: viewer))
    }

    /// `GET /trial-institutions/:id`
    @Sendable static func institution(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readTrials)
        let institution = try await req.platform.trials.institution(id: try id(req, .institution), by: caller)
        let investigators = try await req.platform.trials.investigators(institution: institution.id.uuidString, limit: 200, by: caller).items
        let times = try await req.platform.trials.siteTimes(institution: institution.id, by: caller)
        let credit = req.platform.credit.reads(kind: .trialInstitution, id: institution.id, uscc: institution.code, by: caller)
        return HTMLResponse.ok(
            TrialPages.institution(institution, investigators: investigators, times: times, creditLink: credit, viewer: viewer))
    }

    /// `GET /investigators/:id`
    @Sendable static func investigator(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readTrials)
        return HTMLResponse.ok(try await investigatorPage(try id(req, .investigator), message: nil, viewer: viewer, caller: caller, on: req))
    }

    private static func investigatorPage(_ id: UUID, message: String?, viewer: Viewer, caller: Caller, on req: Request) async throws -> String {
        let trials = req.platform.trials
        let found = try await trials.investigator(id: id, by: caller)
        let institution = try await trials.institution(id: found.investigator.institutionID, by: caller)
        let merges = try await trials.merges(of: id, by: caller)
        let others = merges.flatMap { [$0.survivorID, $0.duplicateID] } + [found.investigator.mergedInto].compactMap { $0 }
        let names = try await trials.investigatorNames(of: others, by: caller)
        return TrialPages.investigator(
            found.investigator, sites: found.sites, institution: institution, merges: merges, names: names, message: message,
            today: req.platform.clock.today(), viewer: viewer)
    }

    /// `GET /supervision/investigator-duplicates`
    @Sendable static func duplicates(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .writeTrialRegistry)
        return HTMLResponse.ok(try await duplicatesPage(form: nil, viewer: viewer, caller: caller, on: req))
    }

    private static func duplicatesPage(form: TrialPages.MergeFormModel?, viewer: Viewer, caller: Caller, on req: Request) async throws -> String {
        let pairs = try await req.platform.trials.likelyDuplicates(by: caller)
        let institutions = try await req.platform.trials.institutionNames(of: pairs.map(\.first.institutionID), by: caller)
        return TrialPages.duplicates(pairs, institutions: institutions, form: form, viewer: viewer)
    }

    struct MergeForm: Content {
        var first: String?
        var second: String?
        /// The id of the record to keep: `first` or `second`.
        var keep: String?
        var reason: String?
    }

    /// `POST /supervision/investigator-duplicates/merge` — the other record of the pair into the one kept;
    /// a refusal shows the list again with the message at the pair and the reason kept.
    @Sendable static func merge(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .writeTrialRegistry)
        try CSRF.verify(req)
        let form = try req.content.decode(MergeForm.self)
        let pair = [form.first ?? "", form.second ?? ""]
        let keep = form.keep ?? ""
        let model = TrialPages.MergeFormModel(first: pair[0], second: pair[1], keep: keep, reason: form.reason ?? "")
        do {
            guard pair.contains(keep), let survivor = UUID(uuidString: keep) else {
                throw UseCaseError.invalid([FieldProblem("keep", "is one of the pair", chinese: "请选择保留哪一条记录")])
            }
            let duplicate = pair.first { $0 != keep }
            let merge = try await req.platform.trials.merge(duplicate: duplicate, into: survivor, reason: form.reason, by: caller)
            return req.redirect(to: SiteURL.investigator(id: merge.survivorID.uuidString).path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty {
            var failed = model
            failed.errors = refusal.fieldMessages
            return HTMLResponse.page(try await duplicatesPage(form: failed, viewer: viewer, caller: caller, on: req), status: refusal.status)
        }
    }

    /// `POST /investigator-merges/:id/undo` — back to the record kept; a refusal is said on its page.
    @Sendable static func undoMerge(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .writeTrialRegistry)
        try CSRF.verify(req)
        let id = try id(req, .merge)
        // The investigator page the form was on, to answer a refusal there.
        let from = req.query[String.self, at: "from"].flatMap(UUID.init(uuidString:))
        do {
            let merge = try await req.platform.trials.undoMerge(id, by: caller)
            return req.redirect(to: SiteURL.investigator(id: merge.duplicateID.uuidString).path, redirectType: .normal)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty {
            guard let from else { throw refusal }
            return HTMLResponse.page(
                try await investigatorPage(from, message: refusal.problems.first?.chinese, viewer: viewer, caller: caller, on: req),
                status: refusal.status)
        }
    }

    /// `GET /supervision/pi-load`
    @Sendable static func piLoad(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readTrials)
        let report = try await req.platform.trials.piLoad(by: caller)
        let institutions = try await req.platform.trials.institutionNames(of: report.investigators.map(\.institutionID), by: caller)
        return HTMLResponse.ok(TrialPages.piLoad(report, institutions: institutions, viewer: viewer))
    }

    /// `GET /supervision/trial-warnings` — by kind, assessment (the regulator's side) and whether live.
    @Sendable static func warnings(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readPILoad)
        let readsAssessment = caller.may(.readConfidentialReview)
        let filter = TrialWarningPages.Filter(
            kind: req.query[String.self, at: "kind"] ?? "", status: readsAssessment ? req.query[String.self, at: "status"] ?? "" : "",
            live: req.query[String.self, at: "live"] ?? "live")
        let page = try await req.platform.trials.warnings(
            kind: filter.kind, status: filter.status, live: filter.liveValue, limit: pageSize, cursor: req.query[String.self, at: "cursor"],
            by: caller)
        return HTMLResponse.ok(
            TrialWarningPages.list(
                page.items, filter: filter, nextQuery: page.next.flatMap { filter.query(cursor: $0) }, viewer: viewer,
                readsAssessment: readsAssessment))
    }

    /// `GET /supervision/trial-warnings/:id`
    @Sendable static func warning(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readPILoad)
        let warning = try await req.platform.trials.warning(id: try id(req, .warning), by: caller)
        return HTMLResponse.ok(TrialWarningPages.show(warning, form: nil, viewer: viewer, assesses: caller.may(.assessTrialWarnings)))
    }

    struct AssessmentForm: Content {
        var outcome: String?
        var reason: String?
        var version: Int?
    }

    /// `POST /supervision/trial-warnings/:id` — the regulator's assessment; a refusal shows the page
    /// again with the messages at the fields and what was typed kept (409 with what is saved now
    /// when another assessment came first).
    @Sendable static func assess(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .assessTrialWarnings)
        try CSRF.verify(req)
        let id = try id(req, .warning)
        let form = try req.content.decode(AssessmentForm.self)
        var model = TrialWarningPages.AssessmentForm(outcome: form.outcome ?? "", reason: form.reason ?? "", version: form.version)
        do {
            let warning = try await req.platform.trials.assess(
                warning: id, outcome: form.outcome, reason: form.reason, expecting: form.version, by: caller)
            return req.redirect(to: SiteURL.trialWarning(id: warning.id.uuidString).path, redirectType: .normal)
        } catch let refusal as UseCaseError where refusal.isStale {
            let stored = try await req.platform.trials.warning(id: id, by: caller)
            let (outcome, reason) = (stored.assessment?.status.rawValue ?? "", stored.assessment?.reason ?? "")
            model.version = stored.version
            model.message = refusal.staleMessage
            model.savedOutcome = outcome == model.outcome ? nil : outcome
            model.savedReason = reason == model.reason.trimmingWhitespace() ? nil : reason
            return HTMLResponse.page(TrialWarningPages.show(stored, form: model, viewer: viewer, assesses: true), status: refusal.status)
        } catch let refusal as UseCaseError where !refusal.problems.isEmpty {
            model.errors = refusal.fieldMessages
            let warning = try await req.platform.trials.warning(id: id, by: caller)
            return HTMLResponse.page(TrialWarningPages.show(warning, form: model, viewer: viewer, assesses: true), status: refusal.status)
        }
    }

    private static func id(_ req: Request, _ kind: UseCaseError.RecordKind) throws -> UUID {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw UseCaseError.notFound(kind) }
        return id
    }
}
