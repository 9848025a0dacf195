import Fluent
import OpenAPIRuntime
import OpenAPIVapor
import TongdaoAPI
import TongdaoUseCases
import Vapor

/// The largest form a page accepts. Vapor's default (16 KB) refused the longest fields a form allows
/// (three product texts of 2,000 Chinese characters are about 54 KB percent-encoded) and lost what
/// was typed; each field's own limit is the use case's, answered next to the field.
let maximumFormSize: ByteCount = "1mb"

func routes(_ app: Application, readiness: Readiness, openAPI: OpenAPIDocument) throws {
    app.routes.defaultMaxBodySize = maximumFormSize
    app.get(.constant(SiteURL.home.path.trimmingCharacters(in: ["/"])), use: HomeController.show)
    app.get("calendar", use: CalendarController.show)
    app.get("login", use: LoginController.show)
    app.post("login", use: LoginController.signIn)
    app.post("logout", use: LoginController.signOut)
    app.get("trials", use: TrialController.list)
    app.get("trials", "export", use: TrialController.export)
    app.get("trials", "matching", use: TrialController.matching)
    app.get("trials", "sheets", use: TrialController.sheets)
    app.on(
        .POST, "trials", "sheets", "uploads", body: .collect(maxSize: ByteCount(value: CensusSheets.maximumFileSize)),
        use: TrialController.uploadSheet)
    app.post("trials", "sheets", "uploads", ":id", "commit", use: TrialController.commitSheet)
    app.get("trials", ":id", use: TrialController.show)
    app.get("trial-institutions", ":id", use: TrialController.institution)
    app.get("investigators", ":id", use: TrialController.investigator)
    app.get("supervision", "pi-load", use: TrialController.piLoad)
    app.get("supervision", "investigator-duplicates", use: TrialController.duplicates)
    app.post("supervision", "investigator-duplicates", "merge", use: TrialController.merge)
    app.post("investigator-merges", ":id", "undo", use: TrialController.undoMerge)
    app.get("supervision", "trial-warnings", use: TrialController.warnings)
    app.get("supervision", "trial-warnings", ":id", use: TrialController.warning)
    app.post("supervision", "trial-warnings", ":id", use: TrialController.assess)
    app.get("inspections", "plan", use: InspectionPlanController.show)
    app.post("inspections", "plan", "schedule", use: InspectionPlanController.schedule)
    app.get("inspections", "notice", use: InspectionController.notice)
    app.get("inspections", "notice", "export", use: InspectionController.noticeExport)
    app.get("inspections", "key-supervision", use: InspectionController.keySupervision)
    app.post("inspections", "key-supervision", use: InspectionController.proposeKeySupervision)
    app.post("inspections", "key-supervision", ":id", use: InspectionController.decideKeySupervision)
    app.get("credit", "policy", use: InspectionController.creditPolicy)
    app.post("credit", "policy", use: InspectionController.setCreditPolicy)
    app.get("credit", ":kind", ":id", use: InspectionController.credit)
    app.post("credit", ":kind", ":id", "events", use: InspectionController.recordCredit)
    app.get("adverse-events", use: AdverseEventController.list)
    app.post("adverse-events", use: AdverseEventController.create)
    app.get("adverse-events", "new", use: AdverseEventController.new)
    app.get("adverse-events", "export", use: AdverseEventController.export)
    app.get("adverse-events", "import", use: AdverseEventController.importPage)
    app.on(
        .POST, "adverse-events", "import", "uploads", body: .collect(maxSize: ByteCount(value: CensusSheets.maximumFileSize)),
        use: AdverseEventController.uploadSheet)
    app.post("adverse-events", "import", "uploads", ":id", "commit", use: AdverseEventController.commitSheet)
    app.get("event-terms", "export", use: AdverseEventController.exportTerms)
    app.get("adverse-events", ":id", use: AdverseEventController.show)
    app.post("adverse-events", ":id", "follow-ups", use: AdverseEventController.followUp)
    app.post("adverse-events", ":id", "assessment", use: AdverseEventController.assess)
    app.get("products", ":id", "adverse-event-trend", use: AdverseEventController.trend)
    app.get("products", ":id", "udi", use: UDIController.page)
    app.post("products", ":id", "udi", use: UDIController.add)
    app.post("products", ":id", "udi", ":udi", "remove", use: UDIController.remove)
    app.get("risk-checklist", use: RiskController.checklist)
    app.get("products", ":id", "risk", use: RiskController.file)
    app.post("products", ":id", "risk", "items", use: RiskController.addItem)
    app.post("products", ":id", "risk", "items", ":item", "status", use: RiskController.changeItem)
    app.post("products", ":id", "risk", "meetings", use: RiskController.holdMeeting)
    app.post("products", ":id", "risk", "plans", use: RiskController.attachPlan)
    app.post("products", ":id", "risk", "periodic-reports", ":year", use: RiskController.submitPeriodicReport)
    app.get("obligations", use: ObligationController.list)
    app.post("obligations", use: ObligationController.create)
    app.get("obligations", "new", use: ObligationController.new)
    app.get("obligations", ":id", use: ObligationController.show)
    app.post("obligations", ":id", "evidence", use: ObligationController.evidence)
    app.post("obligations", ":id", "review", use: ObligationController.review)
    app.get("consultations", use: ConsultationController.list)
    app.post("consultations", use: ConsultationController.ask)
    app.get("consultations", "new", use: ConsultationController.new)
    app.get("consultations", ":id", use: ConsultationController.show)
    app.post("consultations", ":id", ":step", use: ConsultationController.step)
    app.get("appointments", use: AppointmentController.board)
    app.post("appointments", "slots", use: AppointmentController.publish)
    app.get("appointments", "slots", ":id", use: AppointmentController.slot)
    app.post("appointments", "slots", ":id", "bookings", use: AppointmentController.book)
    app.post("appointments", ":id", ":step", use: AppointmentController.step)
    app.get("guidance", use: GuidanceController.list)
    app.post("guidance", use: GuidanceController.record)
    app.get("guidance", "new", use: GuidanceController.new)
    app.get("guidance", ":id", use: GuidanceController.show)
    app.post("guidance", ":id", "follow-ups", ":item", "done", use: GuidanceController.done)
    app.get("signals", use: SignalController.detection)
    app.post("signals", use: SignalController.add)
    app.get("signals", "policy", use: SignalController.policy)
    app.post("signals", "policy", use: SignalController.setPolicy)
    app.get("signals", ":id", use: SignalController.show)
    app.post("signals", ":id", "status", use: SignalController.changeStatus)
    app.get("inspections", use: InspectionController.list)
    app.get("inspections", "new", use: InspectionController.new)
    app.post("inspections", use: InspectionController.create)
    app.get("inspections", ":id", use: InspectionController.show)
    app.post("inspections", ":id", ":step", use: InspectionController.step)
    app.post("inspections", ":id", "findings", ":finding", ":step", use: InspectionController.findingStep)
    app.get("inspectors", use: InspectorController.list)
    app.post("inspectors", use: InspectorController.create)
    app.get("inspectors", "new", use: InspectorController.new)
    app.get("inspectors", "export", use: InspectorController.export)
    app.get("inspectors", "sheet", use: InspectorController.sheet)
    app.on(
        .POST, "inspectors", "sheet", "uploads", body: .collect(maxSize: ByteCount(value: CensusSheets.maximumFileSize)),
        use: InspectorController.uploadSheet)
    app.post("inspectors", "sheet", "uploads", ":id", "commit", use: InspectorController.commitSheet)
    app.get("inspectors", ":id", use: InspectorController.show)
    app.post("inspectors", ":id", use: InspectorController.update)
    app.get("inspectors", ":id", "edit", use: InspectorController.edit)
    app.get("enterprises", use: EnterpriseController.list)
    app.post("enterprises", use: EnterpriseController.create)
    app.get("enterprises", "new", use: EnterpriseController.new)
    app.get("enterprises", ":id", use: EnterpriseController.show)
    app.post("enterprises", ":id", use: EnterpriseController.update)
    app.get("enterprises", ":id", "edit", use: EnterpriseController.edit)
    app.get("admin", "users", use: UserAdminController.list)
    app.post("admin", "users", use: UserAdminController.create)
    app.get("admin", "users", "new", use: UserAdminController.new)
    app.post("admin", "users", ":username", "disable", use: UserAdminController.disable)
    app.get("admin", "users", ":username", "password", use: UserAdminController.passwordForm)
    app.post("admin", "users", ":username", "password", use: UserAdminController.resetPassword)
    app.get("audit", use: AuditController.list)
    app.get("products", use: ProductController.list)
    app.post("products", use: ProductController.create)
    app.get("products", "new", use: ProductController.new)
    app.get("products", ":id", use: ProductController.show)
    app.post("products", ":id", use: ProductController.update)
    app.get("products", ":id", "edit", use: ProductController.edit)
    app.get("products", ":id", "trial-matches", use: ProductController.trialMatches)
    app.post("products", ":id", "census", use: ProductController.declare)
    app.get("dashboard", use: DashboardController.show)
    app.get("screen", use: ScreenController.show)
    app.get("screen", "panels", use: ScreenController.panels)
    app.get("live", use: ScreenController.live)
    app.get("applications", use: ApplicationController.list)
    app.get("applications", "new", use: ApplicationController.new)
    app.post("applications", use: ApplicationController.create)
    app.get("applications", "export", use: ApplicationController.export)
    app.get("applications", ":id", use: ApplicationController.show)
    app.post("applications", ":id", "events", use: ApplicationController.record)
    app.get("inbox", use: ApplicationController.inbox)
    app.get("census", use: CensusController.show)
    app.get("census", "export", use: CensusController.export)
    app.on(.POST, "census", "uploads", body: .collect(maxSize: ByteCount(value: CensusSheets.maximumFileSize)), use: CensusController.upload)
    app.post("census", "uploads", ":id", "commit", use: CensusController.commit)

    app.get("metrics") { req async throws -> Response in
        // Not for anyone who can reach the port: a token, or this machine only (404 otherwise).
        guard MetricsAccess.admits(req) else { throw Abort(.notFound) }
        _ = await readiness.check(req.db, logger: req.logger)
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/plain; version=0.0.4; charset=utf-8")
        return Response(status: .ok, headers: headers, body: .init(string: req.application.httpMetrics.text()))
    }
    app.get("openapi.yaml") { _ -> Response in
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "application/yaml; charset=utf-8")
        return Response(status: .ok, headers: headers, body: .init(data: openAPI.yaml))
    }
    app.get("openapi.json") { _ -> Response in
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(data: openAPI.json))
    }

    let transport = VaporTransport(routesBuilder: app)
    // Compact JSON (keys still sorted, so answers are stable): pretty-printing made list pages a
    // third larger and slower to encode (BENCHMARKS.md, application lists).
    try APIHandler(readiness: readiness).registerHandlers(
        on: transport, serverURL: Servers.Server1.url(), configuration: Configuration(jsonEncodingOptions: [.sortedKeys]))
}
