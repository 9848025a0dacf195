import Foundation
import TongdaoCore
import TongdaoUseCases

/// Every path the site serves, in one place: views and routes name paths only through this enum.
enum SiteURL: Sendable, Equatable {
    case home
    case healthz
    case readyz
    case metrics
    case openAPIYAML
    case openAPIJSON
    case stylesheet
    case region(code: String)
    /// The working-day calendar of a year (the current one when nil).
    case calendar(year: Int?)
    /// A navigation section whose feature has not landed yet: shown, not linked.
    case pending(Section)
    /// The sign-in form; `next` is where to go afterwards (a local path).
    case login(next: String?)
    case logout
    /// The enterprise list, with its query string (filters, cursor) when given.
    case enterprises(query: String?)
    case enterpriseNew
    case enterprise(id: String)
    case enterpriseEdit(id: String)
    case users
    case userNew
    case userDisable(username: String)
    case userPassword(username: String)
    /// The audit trail, with its query string when given.
    case audit(query: String?)
    /// A year's census figures (the current year when nil).
    case census(year: Int?)
    case censusExport(year: Int, format: CensusSheets.Format)
    case censusUploads
    case censusCommit(id: String)
    case uploadScript
    /// The product list, with its query string when given.
    case products(query: String?)
    /// The product form, for an enterprise (an enterprise user's own when nil).
    case productNew(enterprise: String?)
    case product(id: String)
    case productEdit(id: String)
    /// Every institution ranked for a product's clinical trial.
    case productTrialMatches(id: String)
    /// The application list, with its query string when given.
    case applications(query: String?)
    /// The form that registers an accepted application, for a product when given.
    case applicationNew(product: String?)
    /// The list as a file (`format=csv|xlsx` and the list's filters in the query).
    case applicationsExport(query: String)
    case application(id: String)
    case applicationEvents(id: String)
    case inbox
    case dashboard(query: String?)
    case screen
    case screenPanels
    case screenScript
    case live
    /// The trial list, with its query string (institution, investigator, cursor) when given.
    case trials(query: String?)
    case trial(id: String)
    /// The products at the clinical stage in the caller's scope, each with the institutions ranked
    /// for its trial (with the list's cursor when given).
    case trialMatching(query: String?)
    case trialInstitution(id: String)
    case investigator(id: String)
    /// The investigators carrying more trials than the threshold.
    case piLoad
    /// Investigators of one name at one institution who look like one person, for a merge.
    case investigatorDuplicates
    case investigatorMerge
    case investigatorMergeUndo(id: String)
    /// The trial warnings, with the list's query string (kind, status, live, cursor) when given.
    case trialWarnings(query: String?)
    /// A trial warning and, for the regulator, its assessment form (which posts to the same path).
    case trialWarning(id: String)
    case trialSheetExport(sheet: TrialSheet, format: CensusSheets.Format)
    /// The registry's sheets: export, and the upload → dry-run report → confirmation.
    case trialSheets
    case trialSheetUploads
    case trialSheetCommit(id: String)
    /// The inspector pool (检查员库), filtered by the query.
    case inspectors(query: String?)
    case inspectorNew
    case inspector(id: String)
    case inspectorEdit(id: String)
    /// The year's inspection plan (this year when nil), the page of its targets' list.
    case inspectionPlan(year: Int?, page: Int?)
    case inspectionPlanSchedule
    /// Inspections as tasks (检查任务): the list, a new one for cause, one inspection, a step of it.
    case inspections(query: String?)
    case inspectionNew
    case inspection(id: String)
    case inspectionStep(id: String, step: String)
    case findingStep(id: String, finding: String, step: String)
    /// The key-supervision list (重点监管名单): the live entries, or every one.
    case keySupervision(all: Bool)
    case keySupervisionDecision(id: String)
    /// A party's credit file (信用档案), by `enterprise` or `trial_institution` and its id.
    case credit(kind: String, id: String)
    case creditEvents(kind: String, id: String)
    /// The credit policy (信用计分规则): its versions, and the form that adds one.
    case creditPolicy
    /// The inspector pool as a file, with this year's record.
    case inspectorsExport(format: String)
    /// The inspector pool's sheet: its export and, for its managers, its upload and confirmation.
    case inspectorSheet
    case inspectorSheetUploads
    case inspectorSheetCommit(id: String)
    /// The yearly notice of the trial institutions' inspection results (检查结果信息通报), and its file.
    case inspectionNotice(year: Int?)
    case inspectionNoticeExport(year: Int, format: String)
    /// Adverse-event reports (不良事件报告): the list, the form, one report and its follow-up and assessment.
    case adverseEvents(query: String?)
    case adverseEventNew
    case adverseEvent(id: String)
    case adverseEventFollowUp(id: String)
    case adverseEventAssessment(id: String)
    case adverseEventsExport(query: String)
    case adverseEventImport
    case adverseEventImportUploads
    case adverseEventImportCommit(id: String)
    case eventTermsExport(format: String)
    case obligations(query: String?)
    case obligationNew
    case obligation(id: String)
    case obligationEvidence(id: String)
    case obligationReview(id: String)
    case riskChecklist
    case productUDI(id: String)
    case productUDIRemove(id: String, udi: String)
    case productRisk(id: String)
    case productRiskItems(id: String)
    case productRiskItemStatus(id: String, item: String)
    case productRiskMeetings(id: String)
    case productRiskPlans(id: String)
    case productPeriodicReport(id: String, year: Int)
    /// A product's adverse-event trend report (趋势报告).
    case productTrend(id: String)
    /// Signal detection and the signal list.
    case signals(query: String?)
    /// The signal thresholds (信号阈值) and their versions.
    case signalPolicy
    case signal(id: String)
    case signalStatus(id: String)
    /// Consultations (咨询): the queue, the question form, one consultation and its steps.
    case consultations(query: String?)
    case consultationNew
    case classificationNew
    case classifications
    case consultation(id: String)
    case consultationStep(id: String, step: String)
    /// Appointments (预约咨询): the board, publishing, a slot, its bookings, a booking's steps.
    case appointments(query: String?)
    case appointmentSlots
    case appointmentSlot(id: String)
    case appointmentBookings(slot: String)
    case appointmentStep(id: String, step: String)
    /// Guidance records (一对一服务记录).
    case guidance(query: String?)
    case guidanceNew(query: String?)
    case guidanceRecord(id: String)
    case guidanceFollowUp(id: String, item: Int)
    /// The key-varieties service list (在研重点品种服务清单).
    case keyVarieties(query: String?)
    case keyVarietyNew(product: String)
    case keyVariety(id: String)
    case keyVarietyStep(id: String, step: String)
    case library(query: String?)
    case libraryNew(consultation: String?)
    case libraryDrafts(query: String?)
    case libraryEntry(id: String)
    case libraryEdit(id: String)
    case libraryStep(id: String, step: String)
    /// The policy handbook (政策手册): search, export, a policy, its form and steps.
    case policies(query: String?)
    case policiesExport(query: String?)
    case policyNew
    case policy(id: String)
    case policyEdit(id: String)
    case policyStep(id: String, step: String)
    /// Landing projects (产业化落地): the list, export, a project, its steps, a problem's resolution, the meetings.
    case landing(query: String?)
    case landingExport(query: String?)
    case landingProject(id: String)
    case landingStep(id: String, step: String)
    case landingProblemResolve(id: String, problem: String)
    case landingMeetings
    /// The Delta's entrustment links: the list, its export, the new link's form, a link, its filings.
    case deltaLinks(query: String?)
    case deltaLinksExport(query: String?)
    case deltaLinkNew
    case deltaLink(id: String)
    case deltaLinkEvents(id: String)
    /// What is shared with the partner provinces: the shares and commitments, a share, its withdrawal.
    case deltaShares
    case deltaShare(id: String)
    case deltaShareWithdrawal(id: String)
    case deltaCommitments
    case deltaShareRecognition(id: String)
    /// Joint inspections and partners' results (结果互认).
    case deltaInspections
    /// Their page with the joint inspection's form filled in for a link and a partner (from the link's page).
    case deltaJointPlanning(link: String, province: String)
    case deltaJoints
    case deltaJoint(id: String)
    case deltaJointMembers(id: String)
    case deltaResults
    case deltaResult(id: String)
    case deltaResultRecognition(id: String)
    case deltaResultDeclination(id: String)
    /// Risk notices and requests for assistance.
    case deltaNotices
    /// Their page with the form filled in for a link and a partner (from the link's page).
    case deltaNoticeDrafting(link: String, province: String)
    /// The notices as a file (`format=csv|xlsx`, `status=` when given).
    case deltaNoticesExport(query: String)
    case deltaNotice(id: String)
    case deltaNoticeAnswer(id: String)
    /// The periodic assessments of the stations and districts, and their export.
    case assessments(year: Int?)
    case assessmentsExport(year: Int, format: String)

    /// The sections of the platform's navigation, in menu order.
    enum Section: String, Sendable, CaseIterable {
        case home, enterprises, products, applications, calendar, dashboard, screen, trials, inspections, postMarket, service, delta

        var label: String {
            switch self {
            case .home: "首页"
            case .enterprises: "企业"
            case .products: "产品与普查"
            case .applications: "审评进度"
            case .calendar: "工作日历"
            case .dashboard: "数据看板"
            case .screen: "大屏"
            case .trials: "临床试验监管"
            case .inspections: "检查"
            case .postMarket: "上市后监管"
            case .service: "企业服务"
            case .delta: "长三角协同"
            }
        }

        /// What a role must be allowed to use the section (nil: everyone, signed in or not); the menu
        /// offers a signed-in user only the sections their role may use.
        var requiredAction: Action? {
            switch self {
            case .home, .calendar: nil
            case .postMarket: .readAdverseEvents
            case .service: .readConsultations
            case .delta: .readDelta
            case .trials: .readTrials
            case .inspections: .readInspections
            case .enterprises: .readEnterprises
            case .products: .readCensus
            case .applications, .dashboard, .screen: .readProducts
            }
        }

        /// Where the section lives, once it exists.
        var url: SiteURL {
            switch self {
            case .home: .home
            case .calendar: .calendar(year: nil)
            case .enterprises: .enterprises(query: nil)
            case .products: .census(year: nil)
            case .applications: .applications(query: nil)
            case .dashboard: .dashboard(query: nil)
            case .screen: .screen
            case .trials: .trials(query: nil)
            case .inspections: .inspections(query: nil)
            case .postMarket: .adverseEvents(query: nil)
            case .service: .consultations(query: nil)
            case .delta: .deltaLinks(query: nil)
            }
        }
    }

    var path: String {
        switch self {
        case .home: "/"
        case .healthz: "/healthz"
        case .readyz: "/readyz"
        case .metrics: "/metrics"
        case .openAPIYAML: "/openapi.yaml"
        case .openAPIJSON: "/openapi.json"
        case .stylesheet: "/css/app.css"
        case .region(let code): "/#region-\(code)"
        case .calendar(let year): year.map { "/calendar?year=\($0)" } ?? "/calendar"
        case .pending: ""
        case .login(let next): next.map { "/login?next=\(Self.percentEncoded($0))" } ?? "/login"
        case .logout: "/logout"
        case .enterprises(let query): query.map { "/enterprises?\($0)" } ?? "/enterprises"
        case .enterpriseNew: "/enterprises/new"
        case .enterprise(let id): "/enterprises/\(Self.percentEncoded(id))"
        case .enterpriseEdit(let id): "/enterprises/\(Self.percentEncoded(id))/edit"
        case .users: "/admin/users"
        case .userNew: "/admin/users/new"
        case .userDisable(let name): "/admin/users/\(Self.percentEncoded(name))/disable"
        case .userPassword(let name): "/admin/users/\(Self.percentEncoded(name))/password"
        case .audit(let query): query.map { "/audit?\($0)" } ?? "/audit"
        case .census(let year): year.map { "/census?year=\($0)" } ?? "/census"
        case .censusExport(let year, let format): "/census/export?year=\(year)&format=\(format.rawValue)"
        case .censusUploads: "/census/uploads"
        case .censusCommit(let id): "/census/uploads/\(Self.percentEncoded(id))/commit"
        case .uploadScript: "/js/upload-progress.js"
        case .products(let query): query.map { "/products?\($0)" } ?? "/products"
        case .productNew(let enterprise): enterprise.map { "/products/new?enterprise=\(Self.percentEncoded($0))" } ?? "/products/new"
        case .product(let id): "/products/\(Self.percentEncoded(id))"
        case .productEdit(let id): "/products/\(Self.percentEncoded(id))/edit"
        case .productTrialMatches(let id): "/products/\(Self.percentEncoded(id))/trial-matches"
        case .trialMatching(let query): query.map { "/trials/matching?\($0)" } ?? "/trials/matching"
        case .applications(let query): query.map { "/applications?\($0)" } ?? "/applications"
        case .dashboard(let query): query.map { "/dashboard?\($0)" } ?? "/dashboard"
        case .application(let id): "/applications/\(Self.percentEncoded(id))"
        case .applicationNew(let product): product.map { "/applications/new?product=\(Self.percentEncoded($0))" } ?? "/applications/new"
        case .applicationsExport(let query): "/applications/export?\(query)"
        case .applicationEvents(let id): "/applications/\(Self.percentEncoded(id))/events"
        case .inbox: "/inbox"
        case .screen: "/screen"
        case .screenPanels: "/screen/panels"
        case .screenScript: "/js/screen.js"
        case .live: "/live"
        case .trials(let query): query.map { "/trials?\($0)" } ?? "/trials"
        case .trial(let id): "/trials/\(Self.percentEncoded(id))"
        case .trialInstitution(let id): "/trial-institutions/\(Self.percentEncoded(id))"
        case .investigator(let id): "/investigators/\(Self.percentEncoded(id))"
        case .piLoad: "/supervision/pi-load"
        case .investigatorDuplicates: "/supervision/investigator-duplicates"
        case .investigatorMerge: "/supervision/investigator-duplicates/merge"
        case .investigatorMergeUndo(let id): "/investigator-merges/\(Self.percentEncoded(id))/undo"
        case .trialWarnings(let query): query.map { "/supervision/trial-warnings?\($0)" } ?? "/supervision/trial-warnings"
        case .trialWarning(let id): "/supervision/trial-warnings/\(Self.percentEncoded(id))"
        case .trialSheetExport(let sheet, let format): "/trials/export?sheet=\(sheet.rawValue)&format=\(format.rawValue)"
        case .trialSheets: "/trials/sheets"
        case .trialSheetUploads: "/trials/sheets/uploads"
        case .trialSheetCommit(let id): "/trials/sheets/uploads/\(Self.percentEncoded(id))/commit"
        case .inspectors(let query): query.map { "/inspectors?\($0)" } ?? "/inspectors"
        case .inspectorNew: "/inspectors/new"
        case .inspector(let id): "/inspectors/\(Self.percentEncoded(id))"
        case .inspectorEdit(let id): "/inspectors/\(Self.percentEncoded(id))/edit"
        case .inspectionPlan(let year, let page):
            "/inspections/plan"
                + (Self.query([("year", year.map(String.init)), ("page", page.flatMap { $0 > 0 ? String($0) : nil })]).map { "?\($0)" } ?? "")
        case .inspectionPlanSchedule: "/inspections/plan/schedule"
        case .inspections(let query): query.map { "/inspections?\($0)" } ?? "/inspections"
        case .keySupervision(let all): all ? "/inspections/key-supervision?all=1" : "/inspections/key-supervision"
        case .keySupervisionDecision(let id): "/inspections/key-supervision/\(Self.percentEncoded(id))"
        case .credit(let kind, let id): "/credit/\(Self.percentEncoded(kind))/\(Self.percentEncoded(id))"
        case .creditEvents(let kind, let id): "/credit/\(Self.percentEncoded(kind))/\(Self.percentEncoded(id))/events"
        case .creditPolicy: "/credit/policy"
        case .adverseEvents(let query): query.map { "/adverse-events?\($0)" } ?? "/adverse-events"
        case .adverseEventNew: "/adverse-events/new"
        case .adverseEvent(let id): "/adverse-events/\(Self.percentEncoded(id))"
        case .adverseEventFollowUp(let id): "/adverse-events/\(Self.percentEncoded(id))/follow-ups"
        case .adverseEventAssessment(let id): "/adverse-events/\(Self.percentEncoded(id))/assessment"
        case .adverseEventsExport(let query): "/adverse-events/export?\(query)"
        case .adverseEventImport: "/adverse-events/import"
        case .adverseEventImportUploads: "/adverse-events/import/uploads"
        case .adverseEventImportCommit(let id): "/adverse-events/import/uploads/\(Self.percentEncoded(id))/commit"
        case .eventTermsExport(let format): "/event-terms/export?format=\(Self.percentEncoded(format))"
        case .obligations(let query): query.map { "/obligations?\($0)" } ?? "/obligations"
        case .obligationNew: "/obligations/new"
        case .obligation(let id): "/obligations/\(Self.percentEncoded(id))"
        case .obligationEvidence(let id): "/obligations/\(Self.percentEncoded(id))/evidence"
        case .obligationReview(let id): "/obligations/\(Self.percentEncoded(id))/review"
        case .riskChecklist: "/risk-checklist"
        case .productUDI(let id): "/products/\(Self.percentEncoded(id))/udi"
        case .productUDIRemove(let id, let udi): "/products/\(Self.percentEncoded(id))/udi/\(Self.percentEncoded(udi))/remove"
        case .productRisk(let id): "/products/\(Self.percentEncoded(id))/risk"
        case .productRiskItems(let id): "/products/\(Self.percentEncoded(id))/risk/items"
        case .productRiskItemStatus(let id, let item): "/products/\(Self.percentEncoded(id))/risk/items/\(Self.percentEncoded(item))/status"
        case .productRiskMeetings(let id): "/products/\(Self.percentEncoded(id))/risk/meetings"
        case .productRiskPlans(let id): "/products/\(Self.percentEncoded(id))/risk/plans"
        case .productPeriodicReport(let id, let year): "/products/\(Self.percentEncoded(id))/risk/periodic-reports/\(year)"
        case .productTrend(let id): "/products/\(Self.percentEncoded(id))/adverse-event-trend"
        case .signals(let query): query.map { "/signals?\($0)" } ?? "/signals"
        case .signalPolicy: "/signals/policy"
        case .signal(let id): "/signals/\(Self.percentEncoded(id))"
        case .signalStatus(let id): "/signals/\(Self.percentEncoded(id))/status"
        case .consultations(let query): query.map { "/consultations?\($0)" } ?? "/consultations"
        case .consultationNew: "/consultations/new"
        case .classificationNew: "/consultations/classification/new"
        case .classifications: "/consultations/classification"
        case .consultation(let id): "/consultations/\(Self.percentEncoded(id))"
        case .consultationStep(let id, let step): "/consultations/\(Self.percentEncoded(id))/\(Self.percentEncoded(step))"
        case .appointments(let query): query.map { "/appointments?\($0)" } ?? "/appointments"
        case .appointmentSlots: "/appointments/slots"
        case .appointmentSlot(let id): "/appointments/slots/\(Self.percentEncoded(id))"
        case .appointmentBookings(let slot): "/appointments/slots/\(Self.percentEncoded(slot))/bookings"
        case .appointmentStep(let id, let step): "/appointments/\(Self.percentEncoded(id))/\(Self.percentEncoded(step))"
        case .guidance(let query): query.map { "/guidance?\($0)" } ?? "/guidance"
        case .keyVarieties(let query): query.map { "/key-varieties?\($0)" } ?? "/key-varieties"
        case .keyVarietyNew(let product): "/key-varieties/new?product=\(Self.percentEncoded(product))"
        case .keyVariety(let id): "/key-varieties/\(Self.percentEncoded(id))"
        case .keyVarietyStep(let id, let step): "/key-varieties/\(Self.percentEncoded(id))/\(Self.percentEncoded(step))"
        case .library(let query): query.map { "/library?\($0)" } ?? "/library"
        case .libraryNew(let consultation): consultation.map { "/library/new?consultation=\(Self.percentEncoded($0))" } ?? "/library/new"
        case .libraryDrafts(let query): query.map { "/library/drafts?\($0)" } ?? "/library/drafts"
        case .libraryEntry(let id): "/library/\(Self.percentEncoded(id))"
        case .libraryEdit(let id): "/library/\(Self.percentEncoded(id))/edit"
        case .libraryStep(let id, let step): "/library/\(Self.percentEncoded(id))/\(Self.percentEncoded(step))"
        case .policies(let query): query.map { "/policies?\($0)" } ?? "/policies"
        case .policiesExport(let query): query.map { "/policies/export?\($0)" } ?? "/policies/export"
        case .policyNew: "/policies/new"
        case .policy(let id): "/policies/\(Self.percentEncoded(id))"
        case .policyEdit(let id): "/policies/\(Self.percentEncoded(id))/edit"
        case .policyStep(let id, let step): "/policies/\(Self.percentEncoded(id))/\(Self.percentEncoded(step))"
        case .landing(let query): query.map { "/landing?\($0)" } ?? "/landing"
        case .landingExport(let query): query.map { "/landing/export?\($0)" } ?? "/landing/export"
        case .landingProject(let id): "/landing/\(Self.percentEncoded(id))"
        case .landingStep(let id, let step): "/landing/\(Self.percentEncoded(id))/\(Self.percentEncoded(step))"
        case .landingProblemResolve(let id, let problem): "/landing/\(Self.percentEncoded(id))/problems/\(Self.percentEncoded(problem))/resolve"
        case .landingMeetings: "/landing/meetings"
        case .deltaLinks(let query): query.map { "/delta?\($0)" } ?? "/delta"
        case .deltaLinksExport(let query): query.map { "/delta/export?\($0)" } ?? "/delta/export"
        case .deltaLinkNew: "/delta/links/new"
        case .deltaLink(let id): "/delta/links/\(Self.percentEncoded(id))"
        case .deltaLinkEvents(let id): "/delta/links/\(Self.percentEncoded(id))/events"
        case .deltaShares: "/delta/shares"
        case .deltaShare(let id): "/delta/shares/\(Self.percentEncoded(id))"
        case .deltaShareWithdrawal(let id): "/delta/shares/\(Self.percentEncoded(id))/withdrawal"
        case .deltaCommitments: "/delta/commitments"
        case .deltaShareRecognition(let id): "/delta/shares/\(Self.percentEncoded(id))/recognition"
        case .deltaInspections: "/delta/inspections"
        case .deltaJointPlanning(let link, let province):
            "/delta/inspections?\(Self.query([("link", link), ("province", province)]) ?? "")#plan-joint"
        case .deltaJoints: "/delta/joint"
        case .deltaJoint(let id): "/delta/joint/\(Self.percentEncoded(id))"
        case .deltaJointMembers(let id): "/delta/joint/\(Self.percentEncoded(id))/members"
        case .deltaResults: "/delta/results"
        case .deltaResult(let id): "/delta/results/\(Self.percentEncoded(id))"
        case .deltaResultRecognition(let id): "/delta/results/\(Self.percentEncoded(id))/recognition"
        case .deltaResultDeclination(let id): "/delta/results/\(Self.percentEncoded(id))/declination"
        case .deltaNotices: "/delta/notices"
        case .deltaNoticesExport(let query): "/delta/notices/export?\(query)"
        case .deltaNoticeDrafting(let link, let province):
            "/delta/notices?\(Self.query([("link", link), ("province", province)]) ?? "")#send-notice"
        case .deltaNotice(let id): "/delta/notices/\(Self.percentEncoded(id))"
        case .deltaNoticeAnswer(let id): "/delta/notices/\(Self.percentEncoded(id))/answer"
        case .assessments(let year): "/assessments" + (year.map { "?year=\($0)" } ?? "")
        case .assessmentsExport(let year, let format): "/assessments/export?year=\(year)&format=\(Self.percentEncoded(format))"
        case .guidanceNew(let query): query.map { "/guidance/new?\($0)" } ?? "/guidance/new"
        case .guidanceRecord(let id): "/guidance/\(Self.percentEncoded(id))"
        case .guidanceFollowUp(let id, let item): "/guidance/\(Self.percentEncoded(id))/follow-ups/\(item)/done"
        case .inspectorsExport(let format): "/inspectors/export?format=\(Self.percentEncoded(format))"
        case .inspectorSheet: "/inspectors/sheet"
        case .inspectorSheetUploads: "/inspectors/sheet/uploads"
        case .inspectorSheetCommit(let id): "/inspectors/sheet/uploads/\(Self.percentEncoded(id))/commit"
        case .inspectionNotice(let year): "/inspections/notice" + (year.map { "?year=\($0)" } ?? "")
        case .inspectionNoticeExport(let year, let format): "/inspections/notice/export?year=\(year)&format=\(Self.percentEncoded(format))"
        case .inspectionNew: "/inspections/new"
        case .inspection(let id): "/inspections/\(Self.percentEncoded(id))"
        case .inspectionStep(let id, let step): "/inspections/\(Self.percentEncoded(id))/\(Self.percentEncoded(step))"
        case .findingStep(let id, let finding, let step):
            "/inspections/\(Self.percentEncoded(id))/findings/\(Self.percentEncoded(finding))/\(Self.percentEncoded(step))"
        }
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// Percent-encodes everything but unreserved characters (RFC 3986), for paths and query values.
    static func percentEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    /// A query string from name–value pairs, skipping empty values.
    static func query(_ items: [(String, String?)]) -> String? {
        let parts = items.compactMap { name, value in value.flatMap { $0.isEmpty ? nil : "\(name)=\(percentEncoded($0))" } }
        return parts.isEmpty ? nil : parts.joined(separator: "&")
    }

    /// Whether `path` is a local path safe to redirect to after sign-in (no scheme, no other host).
    static func isLocalPath(_ path: String) -> Bool {
        path.hasPrefix("/") && !path.hasPrefix("//") && !path.hasPrefix("/\\") && !path.contains(where: { $0.isNewline })
    }

    var isAvailable: Bool {
        if case .pending = self { false } else { true }
    }
}
