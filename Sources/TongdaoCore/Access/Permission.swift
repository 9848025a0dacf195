/// Actions on the platform's resources, checked by one pure function. The full matrix is in
/// docs/ACCESS.md and grows with each feature.
public enum Action: String, Sendable, CaseIterable {
    /// Publish or replace a year's holiday schedule.
    case writeCalendarYear = "calendar.year.write"
    /// Change a procedure version's limits.
    case writeProcedure = "procedure.write"
    /// Read the audit trail.
    case readAudit = "audit.read"
    /// Create, list and disable users and reset their passwords.
    case manageUsers = "users.manage"
    /// Read and list enterprises (always within the caller's scope).
    case readEnterprises = "enterprise.read"
    /// Register an enterprise or change its record (within the caller's scope).
    case writeEnterprises = "enterprise.write"
    /// Read and list products under development (always within the caller's scope).
    case readProducts = "product.read"
    /// Submit a product or change it (within the caller's scope).
    case writeProducts = "product.write"
    /// Import a census sheet (rows within the caller's scope).
    case importCensus = "census.import"
    /// Read and export the census (within the caller's scope).
    case readCensus = "census.read"
    /// Read confidential review content: reviewer notes, inspection findings before closure.
    case readConfidentialReview = "review.confidential.read"
    /// Register an application at acceptance and record the events of its review.
    case writeApplications = "application.write"
    /// Record the QMS inspection's events (its start, its completion and findings).
    case recordInspections = "inspection.write"
    /// Write the daily digests of warnings (the platform runs it: the scheduler in `serve` and the
    /// `digest` command; no user does).
    case runDigest = "digest.run"
    /// Read trial institutions, investigators, trials and their sites (within the caller's scope).
    case readTrials = "trial.read"
    /// Register a trial or a site, or change one (a sponsor its own trials; an institution office
    /// the sites at its institution; the regulator any).
    case writeTrials = "trial.write"
    /// Register or change trial institutions and their investigators (an institution office its
    /// own; the regulator any).
    case writeTrialRegistry = "trial.registry.write"
    /// Read which investigators carry too many trials, by name (others read the counts).
    case readPILoad = "trial.pi_load.read"
    /// Assess a trial warning: dismiss it with a reason, or put it among the inspection's priorities
    /// (the regulator only; the warnings themselves are read with `readPILoad`).
    case assessTrialWarnings = "trial.warning.assess"
    /// Read the inspector pool: who inspects, in which categories and specialties (the regulator's
    /// side and the inspectors themselves; an inspector's declared ties are for the managers and the
    /// inspector alone).
    case readInspectors = "inspector.read"
    /// Keep the inspector pool: register inspectors, their employments, declared ties and trainings.
    case manageInspectors = "inspector.manage"
    /// Plan the year's inspections (the regulator).
    case planInspections = "inspection.plan"
    /// Read inspections: how much of one is `InspectionReader`'s (the office all of it, a team its
    /// own, the inspected party its own from the notice, everyone else closed ones in their scope).
    case readInspections = "inspection.read"
    /// Make inspections for cause, send teams (overriding a conflict with a reason), notices,
    /// cancel and close (the regulator).
    case manageInspections = "inspection.manage"
    /// Carry an inspection out as its team: answer the invitation, the visit, findings, the
    /// conclusion, verification, raising a grade, closing and rating (an inspector on the team; the
    /// regulator on its behalf).
    case conductInspections = "inspection.conduct"
    /// Submit the rectification of one's own findings (the inspected party; the regulator on its behalf).
    case rectifyInspections = "inspection.rectify"
    /// Read a credit file (信用档案): the regulator's side and the inspectors any; an enterprise or an
    /// institution's office its own.
    case readCredit = "credit.read"
    /// Record 告诫约谈 and 行政处罚 on a credit file (the regulator).
    case recordCredit = "credit.write"
    /// Read the yearly notice of the trial institutions' inspection results (检查结果信息通报) shared
    /// with the health commission.
    case readInspectionNotice = "inspection.notice.read"
    /// 报告不良事件: a registrant on its own products, a medical institution's office from its
    /// institution, the regulator for either.
    case reportAdverseEvents = "adverse_event.report"
    /// Read adverse-event reports (a registrant those on its products, an institution those it filed).
    case readAdverseEvents = "adverse_event.read"
    /// A report's narrative and follow-ups' text, and the assessment's note (confidential).
    case readAdverseEventNarratives = "adverse_event.narrative.read"
    /// The regulator's causality assessment of a report.
    case assessAdverseEvents = "adverse_event.assess"
    /// The controlled term list, the signal policy and the signal list's statuses.
    case manageVigilance = "vigilance.manage"
    /// Run signal detection and read the signal list with its notes (the regulator's side).
    case readSignals = "vigilance.signal.read"
    /// Read conditional-approval obligations (a registrant its own; the regulator's side every one).
    case readObligations = "obligation.read"
    /// An obligation's evidence (confidential: the registrant and the regulator).
    case readObligationEvidence = "obligation.evidence.read"
    /// Set an approval's conditions and decide on their evidence (the regulator).
    case manageObligations = "obligation.manage"
    /// Submit evidence of an obligation (the registrant on its own, the regulator for it).
    case answerObligations = "obligation.answer"
    /// Read the risk checklist of innovative products: risk items, consultation meetings, special
    /// plans (the regulator's side).
    case readRiskChecklist = "risk.read"
    /// Keep the risk checklist: record items and change them, hold meetings, attach special plans.
    case manageRiskChecklist = "risk.manage"
    /// The periodic risk evaluation reports: a registrant submits and reads its own (the regulator
    /// may record one).
    case reportPeriodicRisk = "risk.periodic_report"
    /// Read consultations (an enterprise its own; a station, a district or a park those in its
    /// scope; the regulator every one).
    case readConsultations = "consultation.read"
    /// Ask a consultation: an enterprise for itself, the regulator for an enterprise that phoned;
    /// then reply to a request, ask again after an answer, rate or withdraw it.
    case askConsultations = "consultation.ask"
    /// Answer consultations: a station those sent to it, the regulator any (and city-level ones);
    /// ask the enterprise to clarify, transfer.
    case answerConsultations = "consultation.answer"
    /// Publish appointment slots and record who came: a station for its own desk, the regulator
    /// for any desk and the review centre.
    case manageAppointments = "appointment.manage"
    /// Book a seat and cancel it: an enterprise for itself, the regulator for an enterprise.
    case bookAppointments = "appointment.book"
    /// Read guidance records (一对一服务记录) with their questions, advice and follow-ups: an
    /// enterprise its own, a station, a district or a park those in its scope, the regulator every one.
    case readGuidance = "guidance.read"
    /// Count guidance sessions by desk and month (the industry department reads counts only).
    case countGuidance = "guidance.count"
    /// Record a guidance session and its follow-ups, mark follow-ups done (a station for the
    /// enterprises of its districts, the regulator any).
    case recordGuidance = "guidance.write"
    /// Propose a product for the key-varieties service list (a district, a park or a station for a
    /// product in its scope; the regulator any).
    case proposeKeyVarieties = "key_variety.propose"
    /// Confirm or decline a proposed key variety, name its station, officer, counsellor and task force (the regulator).
    case decideKeyVarieties = "key_variety.decide"
    /// Keep a key variety's service plan: its milestones and their completion (the serving station, the regulator).
    case planKeyVarieties = "key_variety.plan"
    /// Read and search the published FAQ and case library (every signed-in user).
    case readLibrary = "library.read"
    /// Write FAQ entries and cases (from scratch or from an answered consultation) and change those
    /// of one's own desk: a station officer, the regulator.
    case writeLibrary = "library.write"
    /// Review and publish entries written by others, take published ones down: the regulator.
    case publishLibrary = "library.publish"
    /// Read and search the policy handbook (every signed-in user); an enterprise sees those that apply to it.
    case readPolicies = "policy.read"
    /// Record, change and repeal policies of the handbook: the city's side any level, a district its own district's.
    case writePolicies = "policy.write"
    /// Read landing projects (产业化落地) in scope with their problems and meetings.
    case readLanding = "landing.read"
    /// Record a landing project of a marketed product in scope, move it forward, raise its problems.
    case writeLanding = "landing.write"
    /// Resolve landing problems and record the meetings (会商) of the industry department and the regulator.
    case manageLanding = "landing.manage"
    /// Read the periodic assessments of the stations and districts (a station or a district its own row).
    case readAssessments = "assessment.read"
    /// Read the Delta's entrustment links (跨省委托生产) with their timelines: the city's regulator
    /// every one, a partner province's regulator those involving its province, an enterprise those
    /// it is a party to.
    case readDelta = "delta.read"
    /// Record entrustment links, renew their quality agreements and end them (the city's regulator).
    case writeDelta = "delta.write"
    /// File a post-approval change of a linked product on the link (a party to it, or the regulator).
    case fileDelta = "delta.file"
    /// Answer Shanghai as a partner province's regulator: name its inspectors on a joint inspection,
    /// record its inspection results of Shanghai's linked enterprises, recognise a result Shanghai
    /// shared.
    case respondDelta = "delta.respond"
}

extension Action {
    /// What the action is, in Chinese, for the message that refuses it (“您的角色（园区）无权记录审评事件”).
    public var label: String {
        switch self {
        case .writeCalendarYear: "发布节假日安排"
        case .writeProcedure: "修改审评程序和预警设置"
        case .readAudit: "查看审计日志"
        case .manageUsers: "管理用户"
        case .readEnterprises: "查看企业名录"
        case .writeEnterprises: "登记或修改企业信息"
        case .readProducts: "查看在研产品和审评进度"
        case .writeProducts: "提交或修改产品信息"
        case .importCensus: "导入年度注册意向调查表"
        case .readCensus: "查看年度注册意向"
        case .readConfidentialReview: "查看审评意见和核查发现"
        case .writeApplications: "登记申报事项或记录审评事件"
        case .recordInspections: "记录体系核查"
        case .runDigest: "生成每日提醒"
        case .readTrials: "查看临床试验"
        case .writeTrials: "登记或修改临床试验"
        case .writeTrialRegistry: "登记或修改临床试验机构和研究者"
        case .readPILoad: "查看研究者承担项目预警名单"
        case .assessTrialWarnings: "评估临床试验预警"
        case .readInspectors: "查看检查员库"
        case .manageInspectors: "管理检查员库"
        case .planInspections: "制定检查计划"
        case .readInspections: "查看检查任务"
        case .manageInspections: "派出检查组和管理检查任务"
        case .conductInspections: "实施检查"
        case .rectifyInspections: "提交整改情况"
        case .readCredit: "查看信用档案"
        case .recordCredit: "记录信用事件"
        case .readInspectionNotice: "查看检查结果信息通报"
        case .reportAdverseEvents: "报告不良事件"
        case .readAdverseEvents: "查看不良事件报告"
        case .readAdverseEventNarratives: "查看不良事件经过描述"
        case .assessAdverseEvents: "评价不良事件报告"
        case .manageVigilance: "管理事件术语、信号阈值和信号"
        case .readSignals: "查看信号检测结果和信号清单"
        case .readObligations: "查看附条件批准义务"
        case .readObligationEvidence: "查看附条件批准义务的履行证据"
        case .manageObligations: "设定附条件批准义务并审核履行证据"
        case .answerObligations: "提交附条件批准义务的履行证据"
        case .readRiskChecklist: "查看创新产品风险排查清单"
        case .manageRiskChecklist: "维护风险排查清单、风险会商和专项方案"
        case .reportPeriodicRisk: "提交定期风险评价报告"
        case .readConsultations: "查看咨询"
        case .askConsultations: "提出咨询"
        case .answerConsultations: "答复咨询"
        case .manageAppointments: "发布预约时段和登记到场"
        case .bookAppointments: "预约咨询"
        case .readGuidance: "查看一对一服务记录"
        case .countGuidance: "查看一对一服务统计"
        case .recordGuidance: "记录一对一服务"
        case .proposeKeyVarieties: "推荐在研重点品种"
        case .decideKeyVarieties: "确认在研重点品种服务清单"
        case .planKeyVarieties: "制定和更新重点品种服务计划"
        case .readLibrary: "查阅常见问题和案例"
        case .writeLibrary: "编写常见问题和案例"
        case .publishLibrary: "审核发布常见问题和案例"
        case .readPolicies: "查阅政策手册"
        case .writePolicies: "维护政策手册"
        case .readLanding: "查看产业化落地项目"
        case .writeLanding: "登记产业化落地项目和反映问题"
        case .manageLanding: "协调解决落地问题和记录会商"
        case .readAssessments: "查看工作站和各区定期考核"
        case .readDelta: "查看长三角协同事项"
        case .writeDelta: "登记跨省委托生产、共享和互认检查结果"
        case .fileDelta: "提交跨省委托生产变更备案"
        case .respondDelta: "以伙伴省份身份参与联合检查和结果互认"
        }
    }
}

public enum AccessPolicy {
    /// Whether `role` may perform `action` at all (scope is checked separately, in the query).
    public static func allows(_ role: Role, _ action: Action) -> Bool {
        switch action {
        case .writeCalendarYear, .writeProcedure, .manageUsers:
            role == .cityAdmin
        case .runDigest:
            false
        case .readAudit:
            role == .cityAdmin || role == .cityRegulator
        case .importCensus:
            [.cityAdmin, .cityRegulator, .districtOfficer, .parkOfficer].contains(role)
        case .readEnterprises, .readProducts, .readCensus:
            role != .healthOfficer && role != .partnerRegulator
        case .readTrials, .readInspections, .readLibrary, .readPolicies:
            // A partner province's regulator reads only the Delta's records (links, what is shared).
            role != .partnerRegulator
        case .writePolicies:
            [.cityAdmin, .cityRegulator, .industryOfficer, .districtOfficer].contains(role)
        case .readLanding, .writeLanding:
            [.cityAdmin, .cityRegulator, .industryOfficer, .districtOfficer, .parkOfficer, .enterpriseUser].contains(role)
        case .manageLanding:
            [.cityAdmin, .cityRegulator, .industryOfficer].contains(role)
        case .readAssessments:
            [.cityAdmin, .cityRegulator, .industryOfficer, .districtOfficer, .stationOfficer].contains(role)
        case .readDelta:
            [.cityAdmin, .cityRegulator, .reviewer, .inspector, .enterpriseUser, .partnerRegulator].contains(role)
        case .writeDelta:
            role == .cityAdmin || role == .cityRegulator
        case .fileDelta:
            [.cityAdmin, .cityRegulator, .enterpriseUser].contains(role)
        case .respondDelta:
            role == .partnerRegulator
        case .readInspectionNotice:
            [.cityAdmin, .cityRegulator, .reviewer, .inspector, .healthOfficer].contains(role)
        case .writeTrials:
            [.cityAdmin, .cityRegulator, .enterpriseUser, .trialInstitutionOfficer].contains(role)
        case .writeTrialRegistry:
            [.cityAdmin, .cityRegulator, .trialInstitutionOfficer].contains(role)
        case .readPILoad:
            [.cityAdmin, .cityRegulator, .reviewer, .inspector, .trialInstitutionOfficer].contains(role)
        case .assessTrialWarnings, .manageInspectors, .planInspections, .manageInspections, .recordCredit, .assessAdverseEvents, .manageVigilance,
            .manageObligations, .manageRiskChecklist:
            role == .cityAdmin || role == .cityRegulator
        case .readInspectors:
            [.cityAdmin, .cityRegulator, .inspector].contains(role)
        case .writeEnterprises, .writeProducts:
            [.cityAdmin, .cityRegulator, .districtOfficer, .parkOfficer, .enterpriseUser].contains(role)
        case .readConfidentialReview:
            [.cityAdmin, .cityRegulator, .reviewer, .inspector].contains(role)
        case .writeApplications:
            [.cityAdmin, .cityRegulator, .reviewer].contains(role)
        case .recordInspections:
            [.cityAdmin, .cityRegulator, .reviewer, .inspector].contains(role)
        case .conductInspections:
            [.cityAdmin, .cityRegulator, .inspector].contains(role)
        case .rectifyInspections:
            [.cityAdmin, .cityRegulator, .enterpriseUser, .trialInstitutionOfficer].contains(role)
        case .reportAdverseEvents, .readAdverseEventNarratives:
            [.cityAdmin, .cityRegulator, .enterpriseUser, .trialInstitutionOfficer].contains(role)
        case .readAdverseEvents:
            [.cityAdmin, .cityRegulator, .reviewer, .inspector, .enterpriseUser, .trialInstitutionOfficer].contains(role)
        case .readSignals:
            [.cityAdmin, .cityRegulator, .reviewer, .inspector].contains(role)
        case .readObligations:
            [.cityAdmin, .cityRegulator, .reviewer, .inspector, .enterpriseUser].contains(role)
        case .readRiskChecklist:
            [.cityAdmin, .cityRegulator, .reviewer, .inspector].contains(role)
        case .readObligationEvidence, .answerObligations, .reportPeriodicRisk:
            [.cityAdmin, .cityRegulator, .enterpriseUser].contains(role)
        case .readConsultations:
            [.cityAdmin, .cityRegulator, .stationOfficer, .districtOfficer, .parkOfficer, .enterpriseUser].contains(role)
        case .askConsultations:
            [.cityAdmin, .cityRegulator, .enterpriseUser].contains(role)
        case .readGuidance:
            [.cityAdmin, .cityRegulator, .stationOfficer, .districtOfficer, .parkOfficer, .enterpriseUser].contains(role)
        case .countGuidance:
            [.cityAdmin, .cityRegulator, .stationOfficer, .districtOfficer, .parkOfficer, .industryOfficer].contains(role)
        case .proposeKeyVarieties:
            [.cityAdmin, .cityRegulator, .districtOfficer, .parkOfficer, .stationOfficer].contains(role)
        case .decideKeyVarieties, .publishLibrary:
            role == .cityAdmin || role == .cityRegulator
        case .answerConsultations, .manageAppointments, .recordGuidance, .planKeyVarieties, .writeLibrary:
            [.cityAdmin, .cityRegulator, .stationOfficer].contains(role)
        case .bookAppointments:
            [.cityAdmin, .cityRegulator, .enterpriseUser].contains(role)
        case .readCredit:
            [.cityAdmin, .cityRegulator, .reviewer, .inspector, .enterpriseUser, .trialInstitutionOfficer].contains(role)
        }
    }
}
