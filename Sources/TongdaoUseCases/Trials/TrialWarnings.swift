import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

/// A warning the nightly sweep raised about a PI or a pilot trial, as a person reads it.
public struct TrialWarningRecord: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var version: Int
    public var kind: TrialWarningKind
    /// The investigator (PI overload) or the trial (late start).
    public var subjectID: UUID
    /// The PI's name, or the trial's registration number.
    public var subjectName: String
    /// The PI's specialty, or the trial's title.
    public var subjectDetail: String
    /// The PI's institution; a late start's lead site's institution (nil while it has none).
    public var institutionID: UUID?
    public var institutionName: String?
    public var level: ReviewClock.Level
    /// A PI's active sites and the threshold when raised.
    public var load: Int?
    public var threshold: Int?
    /// The phase whose limit the PI passed (nil: the threshold over all their sites).
    public var phase: TrialPhase?
    /// A late start's limit, 12 weeks after approval.
    public var dueOn: String?
    public var raisedOn: String
    /// The day the sweep found the condition gone, or grown past this warning (which raised another).
    public var endedOn: String?
    /// The regulator's assessment: for the roles that read confidential review content only (an
    /// institution's office is not told whether it is among the inspection's priorities).
    public var assessment: Assessment?

    public struct Assessment: Sendable, Equatable {
        public var status: TrialWarningStatus
        public var reason: String?
        public var assessedBy: String?
        public var assessedAt: Date?
    }

    public var live: Bool { endedOn == nil }

    /// What it says, in Chinese.
    public var message: String {
        switch kind {
        case .piOverload:
            "\(subjectName)（\(subjectDetail)）同期承担 \(load ?? 0) 个在研\(phase?.label ?? "")项目，超过\(phase?.label ?? "")预警阈值 \(threshold ?? 0) 个"
        case .lateStart:
            level == .red
                ? "\(subjectName) 按 30 日审评审批试点获批已超过 12 周（\(dueOn ?? "")到期），仍未首例受试者知情同意"
                : "\(subjectName) 按 30 日审评审批试点获批已满 8 周，须于 \(dueOn ?? "") 前首例受试者知情同意"
        }
    }
}

extension TrialUseCases {
    /// What a sweep found and did.
    public struct WarningSweepSummary: Sendable, Equatable, CustomStringConvertible {
        public var day: CivilDate
        public var overloaded: Int
        public var lateStarts: Int
        public var raised: Int
        public var ended: Int

        public var description: String {
            "trial warnings \(day): \(overloaded) PIs over their threshold, \(lateStarts) pilot trials late to start; "
                + "\(raised) warnings raised, \(ended) ended"
        }
    }

    /// The nightly sweep (`DigestScheduler`, the `trials warnings` command): finds the PIs over the
    /// policy in force on `day` (from the kept loads) and the pilot trials 8 weeks or more past
    /// approval without their first consent, raises a warning for each that has none live at that
    /// grade, and ends the live ones whose condition is gone or has grown past them
    /// (`TrialWarningSweep`); one transaction, one `trial.warning.sweep` audit row when anything
    /// changed. Running it again raises nothing twice, on any instance. The platform runs it.
    public func sweepWarnings(day: CivilDate, by caller: Caller) async throws -> WarningSweepSummary {
        try caller.require(.runDigest)
        let policy = try await TrialStore.loadPolicy(inForceOn: day, on: platform.database)
        return try await platform.write(by: caller, upsert: true) { write in
            let overloaded = try await Self.overloaded(under: policy, scope: .everything, on: write.db)
            let waiting = try await TrialWarningStore.waitingToStart(approvedBy: day.adding(days: -StartRule.amberAfterDays), on: write.db)
            var found: [TrialWarningStore.Raised] = []
            for loaded in overloaded {
                let investigator = loaded.model, excess = loaded.excesses[0]
                found.append(
                    .init(
                        kind: .piOverload, subject: investigator.id, institution: investigator.institutionID,
                        grade: investigator.activeSites, level: .red, load: excess.load, threshold: excess.limit, phase: excess.phase))
            }
            for (trial, lead) in waiting {
                let reading = StartRule.read(pilot: true, approvedOn: trial.approvedOn.flatMap(CivilDate.init), firstConsentOn: nil, today: day)
                guard let grade = TrialWarningSweep.lateStartGrade(reading), case .waiting(let level, _, let due) = reading else { continue }
                found.append(.init(kind: .lateStart, subject: try trial.requireID(), institution: lead, grade: grade, level: level, dueOn: due))
            }
            let live = try await TrialWarningStore.live(on: write.db)
            let plan = TrialWarningSweep.plan(
                conditions: found.map(\.condition),
                live: try live.map { .init(id: try $0.requireID(), kind: $0.kind, subject: $0.subject, grade: $0.grade) })
            try await TrialWarningStore.end(plan.end, on: day, on: write.db)
            let raising = Set(plan.raise)
            var raised: [UUID] = []
            for warning in found where raising.contains(warning.condition) {
                raised.append(try await TrialWarningStore.raise(warning, on: day, now: write.now, on: write.db).requireID())
            }
            if !raised.isEmpty || !plan.end.isEmpty {
                try await write.audit(
                    "trial.warning.sweep", entityType: "trial_warning", entityID: day.description, before: nil,
                    after: try Audit.json(SweepAudit(raised: raised.map(\.uuidString), ended: plan.end.map(\.uuidString))))
            }
            return WarningSweepSummary(
                day: day, overloaded: overloaded.count, lateStarts: found.count - overloaded.count, raised: raised.count, ended: plan.end.count)
        }
    }

    /// The warnings in the caller's scope, newest first: the regulator's side all, an institution's
    /// office its own (by status only for the roles that read the assessment).
    public func warnings(
        kind: String? = nil, status: String? = nil, live: Bool? = nil, limit: Int = 50, cursor: String? = nil, by caller: Caller
    ) async throws -> Page<TrialWarningRecord> {
        try caller.require(.readPILoad)
        var reader = FieldReader()
        let kind = reader.code("kind", kind, label: "预警类型", as: TrialWarningKind.self, required: false)
        let status = reader.code("status", status, label: "评估状态", as: TrialWarningStatus.self, required: false)
        if status != nil, !caller.may(.readConfidentialReview) {
            throw UseCaseError.fieldForbidden(FieldProblem("status", "only the regulator's side reads assessments", chinese: "您的角色无权按评估状态筛选"))
        }
        guard reader.problems.isEmpty else { throw UseCaseError.malformed(reader.problems) }
        let page = try await TrialWarningStore.warnings(
            .init(kind: kind, status: status, live: live), scope: caller.filter, limit: limit, after: try Cursor.parse(cursor, parts: 1),
            on: platform.database)
        return Page(items: try await records(page.rows, by: caller, on: platform.database), next: page.next?.token)
    }

    /// One warning in the caller's scope.
    public func warning(id: UUID, by caller: Caller) async throws -> TrialWarningRecord {
        try caller.require(.readPILoad)
        guard let model = try await TrialWarningStore.find(id: id, scope: caller.filter, on: platform.database) else {
            throw UseCaseError.notFound(.warning)
        }
        return try await records([model], by: caller, on: platform.database)[0]
    }

    /// What needs the caller's attention: the live warnings in scope, for the regulator those not
    /// assessed yet; an institution's office all of its own live ones. Most recent first; nil for
    /// the roles the warnings are not sent to.
    public func inboxWarnings(limit: Int = 50, by caller: Caller) async throws -> [TrialWarningRecord]? {
        if caller.role == .enterpriseUser, case .enterprise = caller.filter {
            // A sponsor: its own pilot trials late to start (a PI's load is not its to read).
            let rows = try await TrialWarningStore.liveLateStarts(sponsoredIn: caller.filter, limit: limit, on: platform.database)
            return try await records(rows, by: caller, on: platform.database)
        }
        guard caller.may(.assessTrialWarnings) || caller.role == .trialInstitutionOfficer else { return nil }
        let status: TrialWarningStatus? = caller.may(.assessTrialWarnings) ? .open : nil
        let page = try await TrialWarningStore.warnings(
            .init(status: status, live: true), scope: caller.filter, limit: limit, after: nil, on: platform.database)
        return try await records(page.rows, by: caller, on: platform.database)
    }

    /// The regulator's assessment of a warning: dismissed (with a reason) or put among the
    /// inspection's priorities (纳入检查重点); an assessment may be changed, naming the version read.
    /// One `trial.warning.assess` audit row.
    public func assess(
        warning id: UUID, outcome: String?, reason: String?, expecting version: Int?, by caller: Caller
    ) async throws -> TrialWarningRecord {
        try caller.require(.assessTrialWarnings)
        var reader = FieldReader()
        let outcome = reader.code("outcome", outcome, label: "评估结论", as: TrialWarningOutcome.self)
        let reason = reader.text(
            "reason", reason, label: "评估意见", maximum: TrialWarningOutcome.mostReasonCharacters, required: outcome == .dismissed)
        let problems = reader.problems
        return try await platform.write(by: caller) { write in
            guard let model = try await TrialWarningStore.find(id: id, scope: caller.filter, on: write.db) else {
                throw UseCaseError.notFound(.warning)
            }
            try model.check(basedOn: version, .warning)
            guard problems.isEmpty, let outcome else { throw UseCaseError.invalid(problems) }
            let before = try Audit.json(AssessmentAudit(model))
            model.status = outcome.status
            model.assessmentReason = reason
            model.assessedBy = caller.audit.name
            model.assessedAt = write.now
            try await model.updateVersioned(on: write.db)
            try await write.audit(
                "trial.warning.assess", entityType: "trial_warning", entityID: id.uuidString, before: before,
                after: try Audit.json(AssessmentAudit(model)))
            return try await records([model], by: caller, on: write.db)[0]
        }
    }

    /// The warnings as read: names for the ids, the assessment for the roles that read it.
    private func records(_ models: [TrialWarningModel], by caller: Caller, on db: any Database) async throws -> [TrialWarningRecord] {
        let investigators = try await TrialStore.investigators(ids: models.filter { $0.kind == .piOverload }.map(\.subject), on: db)
        let trials = try await TrialWarningStore.trials(ids: models.filter { $0.kind == .lateStart }.map(\.subject), on: db)
        let institutions = try await TrialStore.institutionNames(of: models.compactMap(\.institution), on: db)
        let assessed = caller.may(.readConfidentialReview)
        return try models.map { model in
            let (name, detail): (String, String) =
                switch model.kind {
                case .piOverload: investigators[model.subject].map { ($0.name, $0.specialty) } ?? ("—", "")
                case .lateStart: trials[model.subject].map { ($0.registrationNumber, $0.title) } ?? ("—", "")
                }
            return TrialWarningRecord(
                id: try model.requireID(), version: model.version, kind: model.kind, subjectID: model.subject, subjectName: name,
                subjectDetail: detail,
                institutionID: model.institution, institutionName: model.institution.flatMap { institutions[$0] }, level: model.level,
                load: model.load, threshold: model.threshold, phase: model.phase, dueOn: model.dueOn, raisedOn: model.raisedOn,
                endedOn: model.endedOn,
                assessment: assessed
                    ? .init(status: model.status, reason: model.assessmentReason, assessedBy: model.assessedBy, assessedAt: model.assessedAt)
                    : nil)
        }
    }
}

/// What the audit row of a sweep records.
private struct SweepAudit: Encodable {
    var raised: [String]
    var ended: [String]
}

/// What the audit row of an assessment records, before and after.
private struct AssessmentAudit: Encodable {
    var status: String
    var reason: String?
    var assessedBy: String?

    init(_ model: TrialWarningModel) {
        status = model.status.rawValue
        reason = model.assessmentReason
        assessedBy = model.assessedBy
    }
}
