import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore
import TongdaoXLSX

/// An inspection as a task end to end (issue 18 item 3): made from the plan, for cause or from a
/// trial warning; a team without conflicts of interest; the inspectors' answers; the notice; the
/// visit and its graded findings; the conclusion by the rule; rectification and its verification; a
/// grade raised at the follow-up; closure with the lead's ratings. Each step in one write: the
/// inspection (its version moved, so two steps at once are one after the other), the timeline
/// event, the audit row.
public struct InspectionTaskUseCases: Sendable {
    let platform: Platform

    // MARK: Reading

    /// How the caller reads inspections: as the office, a team, the inspected party, or an observer
    /// of closed ones in their scope.
    struct Viewpoint: Sendable {
        var reader: InspectionReader
        var reach: InspectionTaskStore.Reach
        /// The caller's own inspector record, for an inspector.
        var inspectorID: UUID?

        var visible: [InspectionStatus] { InspectionStatus.allCases.filter(reader.sees) }
    }

    func viewpoint(_ caller: Caller, on db: any Database) async throws -> Viewpoint {
        try caller.require(.readInspections)
        guard let role = caller.role else { return Viewpoint(reader: .office, reach: .everything) }
        switch role {
        case .cityAdmin, .cityRegulator, .reviewer:
            return Viewpoint(reader: .office, reach: .everything)
        case .inspector:
            let mine = try await caller.userID.asyncMap { try await InspectorStore.find(userID: $0, on: db) }??.id
            return Viewpoint(reader: .team, reach: .team(inspector: mine ?? RecordID.none), inspectorID: mine)
        case .enterpriseUser:
            guard case .enterprise(let uscc) = caller.scope else { return Viewpoint(reader: .party, reach: .institution(RecordID.none)) }
            return Viewpoint(reader: .party, reach: .enterprise(uscc: uscc))
        case .trialInstitutionOfficer:
            guard case .institution(let id) = caller.scope, let institution = UUID(uuidString: id) else {
                return Viewpoint(reader: .party, reach: .institution(RecordID.none))
            }
            return Viewpoint(reader: .party, reach: .institution(institution))
        case .industryOfficer, .districtOfficer, .parkOfficer, .stationOfficer:
            return Viewpoint(reader: .observer, reach: .scope(caller.filter))
        case .healthOfficer:
            // The health commission: the trial institutions' inspections, once closed.
            return Viewpoint(reader: .observer, reach: .trialInstitutions)
        case .partnerRegulator:
            // Refused above (`inspection.read`); what Shanghai shares with a partner is read as shares.
            return Viewpoint(reader: .observer, reach: .scope(.districts([])))
        }
    }

    public struct ListFilter: Sendable, Equatable {
        public var status: String?
        public var targetKind: String?
        public var source: String?
        public var year: Int?
        public var targetID: String?

        public init(status: String? = nil, targetKind: String? = nil, source: String? = nil, year: Int? = nil, targetID: String? = nil) {
            self.status = status
            self.targetKind = targetKind
            self.source = source
            self.year = year
            self.targetID = targetID
        }
    }

    /// The inspections the caller reads, newest first.
    public func list(_ filter: ListFilter, limit: Int = 50, cursor: String? = nil, by caller: Caller) async throws -> Page<InspectionRecord> {
        var reader = FieldReader()
        let status = reader.code("status", filter.status, label: "检查状态", as: InspectionStatus.self, required: false)
        let kind = reader.code("targetKind", filter.targetKind, label: "检查对象类型", as: InspectionTargetKind.self, required: false)
        let source = reader.code("source", filter.source, label: "检查来源", as: InspectionSource.self, required: false)
        guard reader.problems.isEmpty else { throw UseCaseError.malformed(reader.problems) }
        let db = platform.database
        let view = try await viewpoint(caller, on: db)
        let stored = InspectionTaskStore.Filter(
            statuses: status.map { [$0] }, targetKind: kind, targetID: RecordID.filter(filter.targetID), source: source,
            year: try filter.year.map { try InspectionPlanUseCases.year($0, today: platform.clock.today()) })
        let page = try await InspectionTaskStore.list(
            stored, reach: view.reach, visible: view.visible, limit: limit, after: try Cursor.id(cursor), on: db)
        let context = try await readingContext()
        let items = try await records(page.rows, view: view, caller: caller, context: context, on: db)
        return Page(items: items, next: page.more ? page.rows.last?.id.map { PageCursor(id: $0).token } : nil)
    }

    /// One inspection, with its timeline.
    public func detail(id: UUID, by caller: Caller) async throws -> InspectionRecord {
        let db = platform.database
        let view = try await viewpoint(caller, on: db)
        guard let model = try await InspectionTaskStore.find(id: id, reach: view.reach, visible: view.visible, on: db) else {
            throw UseCaseError.notFound(.inspection)
        }
        return try await records([model], view: view, caller: caller, context: try await readingContext(), withEvents: true, on: db)[0]
    }

    /// What needs the caller's attention: open inspections with a step amber or red, and an
    /// inspector's unanswered invitations.
    public func inbox(limit: Int = 50, by caller: Caller) async throws -> [InspectionRecord] {
        guard caller.may(.readInspections),
            caller.role.map({ ![.industryOfficer, .districtOfficer, .parkOfficer, .stationOfficer, .healthOfficer].contains($0) }) ?? true
        else {
            return []
        }
        let db = platform.database
        let view = try await viewpoint(caller, on: db)
        let open = InspectionStatus.allCases.filter(\.isOpen)
        var found: [InspectionRecord] = []
        var after: UUID?
        let context = try await readingContext()
        while true {
            let page = try await InspectionTaskStore.list(
                .init(statuses: open), reach: view.reach, visible: view.visible, limit: 500, after: after, on: db)
            let records = try await records(page.rows, view: view, caller: caller, context: context, on: db)
            found += records.filter { $0.level != .green || $0.may.answer }
            guard page.more, let last = page.rows.last?.id else { break }
            after = last
        }
        return Array(
            found.sorted {
                ($1.level.severity, $0.steps.first?.dueBy.dayNumber ?? .max) < ($0.level.severity, $1.steps.first?.dueBy.dayNumber ?? .max)
            }.prefix(limit))
    }

    /// A team proposed for an inspection (read only; `formTeam` sends it): the lead and members
    /// without conflicts, the least-loaded first, and who was left out and why.
    public func proposal(id: UUID, by caller: Caller) async throws -> TeamProposal {
        try caller.require(.manageInspections)
        let db = platform.database
        guard let model = try await InspectionTaskStore.find(id: id, reach: .everything, visible: InspectionStatus.allCases, on: db) else {
            throw UseCaseError.notFound(.inspection)
        }
        let today = platform.clock.today()
        let policy = try await InspectionStore.policy(inForceOn: today, on: db)
        let year = model.plannedMonth.flatMap(YearMonth.init)?.year ?? today.year
        let team = try await InspectionTaskStore.teams(of: [id], on: db)[id] ?? []
        var candidates = try await InspectionTaskStore.candidates(year: year, on: db)
        // The inspection's own team does not count against them here.
        let onTeam = Set(team.filter { TeamMemberState(rawValue: $0.state)?.isOnTeam ?? false }.map(\.inspectorID))
        for index in candidates.indices where onTeam.contains(candidates[index].id) { candidates[index].load -= 1 }
        var planner = TeamPlanner(candidates: candidates, policy: policy)
        let declined = Set(team.filter { $0.state == TeamMemberState.declined.rawValue }.map(\.inspectorID))
        return planner.propose(
            specialties: try await specialties(of: model, on: db), target: party(of: model), on: today, excludingIDs: declined, commit: false)
    }

    /// An inspection of the plan with the team proposed for it.
    public struct PlannedProposal: Sendable, Equatable {
        public var inspection: UUID
        public var targetName: String
        public var plannedMonth: YearMonth?
        public var types: [InspectionType]
        public var proposal: TeamProposal
    }

    /// Teams proposed for the year's planned inspections still without one (this year unless told),
    /// the earliest month first, `limit` at most (read only; each sent with `formTeam`): one planner
    /// over the pool, so that each inspector's load grows with every team they are proposed for and
    /// the year's proposals spread over the pool.
    public func proposals(year: Int? = nil, limit: Int = 100, by caller: Caller) async throws -> [PlannedProposal] {
        try caller.require(.manageInspections)
        guard (1...5_000).contains(limit) else {
            throw UseCaseError.malformed([FieldProblem("limit", "must be between 1 and 5000", chinese: "数量应在 1 至 5000 之间")])
        }
        let today = platform.clock.today()
        let year = try InspectionPlanUseCases.year(year, today: today)
        let db = platform.database
        let models = try await InspectionModel.query(on: db).filter(\.$status == InspectionStatus.planned.rawValue)
            .filter(\.$plannedMonth >= "\(year)-01").filter(\.$plannedMonth <= "\(year)-12").sort(\.$plannedMonth).sort(\.$id).limit(limit).all()
        guard !models.isEmpty else { return [] }
        let policy = try await InspectionStore.policy(inForceOn: today, on: db)
        var planner = TeamPlanner(candidates: try await InspectionTaskStore.candidates(year: year, on: db), policy: policy)
        let institutions = Dictionary(
            try await TrialInstitutionModel.query(on: db).all().compactMap { model in model.id.map { ($0, Self.filings(of: model)) } },
            uniquingKeysWith: { first, _ in first })
        return try models.map { model in
            let required = Self.specialties(of: model, filed: institutions[model.targetID])
            return PlannedProposal(
                inspection: try model.requireID(), targetName: model.targetName, plannedMonth: model.plannedMonth.flatMap(YearMonth.init),
                types: InspectorProfile.codes(model.types),
                proposal: planner.propose(specialties: required, target: party(of: model), on: today, explain: false))
        }
    }

    /// The targets an inspection may be made of, by kind then name (the form's choice).
    public func targets(by caller: Caller) async throws -> [(id: UUID, kind: InspectionTargetKind, name: String)] {
        try caller.require(.manageInspections)
        return try await InspectionStore.inspectable(on: platform.database).map { ($0.target.id, $0.target.kind, $0.target.name) }
            .sorted { ($0.kind == .trialInstitution ? 0 : 1, $0.name) < ($1.kind == .trialInstitution ? 0 : 1, $1.name) }
    }

    // MARK: Making one

    /// An inspection for cause, or from a trial warning the regulator put among the inspection's
    /// priorities (its institution the target, its subject the reason).
    public func create(_ input: NewInspectionInput, by caller: Caller) async throws -> InspectionRecord {
        try caller.require(.manageInspections)
        let today = platform.clock.today()
        var reader = FieldReader()
        let type = input.type.map { $0.trimmingWhitespace() }.flatMap { $0.isEmpty ? nil : $0 } ?? InspectionType.forCause.rawValue
        let licence = type == InspectionType.licence.rawValue
        if !licence && type != InspectionType.forCause.rawValue {
            reader.problems.append(FieldProblem("type", "must be for_cause or licence", chinese: "请选择检查类型（有因检查或生产许可现场检查）"))
        }
        let warningID = reader.id("warningID", input.warningID, label: "临床试验预警", required: false)
        let kind = reader.code("targetKind", input.targetKind, label: "检查对象类型", as: InspectionTargetKind.self, required: warningID == nil)
        let targetID = reader.id("targetID", input.targetID, label: "检查对象", required: warningID == nil)
        let reason = reader.text("reason", input.reason, label: "检查事由", maximum: 500, required: warningID == nil && !licence)
        let address = reader.text("address", input.address, label: "生产地址", maximum: 200, required: licence)
        if licence {
            if warningID != nil {
                reader.problems.append(FieldProblem("warningID", "a licence inspection comes from no warning", chinese: "生产许可现场检查不由临床试验预警生成"))
            }
            if kind == .trialInstitution {
                reader.problems.append(FieldProblem("targetKind", "a licence inspection is of an enterprise", chinese: "生产许可现场检查的对象应为企业"))
            }
        } else if input.address.nonBlank != nil || input.centrallyProcured {
            reader.problems.append(FieldProblem("address", "is recorded only for a licence inspection", chinese: "只有生产许可现场检查记录生产地址"))
        }
        var month = YearMonth(year: today.year, month: today.month)
        if let text = input.plannedMonth?.trimmingWhitespace(), !text.isEmpty {
            if let typed = YearMonth(text), month.map({ typed >= $0 }) ?? true {
                month = typed
            } else {
                reader.problems.append(FieldProblem("plannedMonth", "must be this month or later, YYYY-MM", chinese: "计划月份应为本月或以后（YYYY-MM）"))
            }
        }
        let problems = reader.problems
        let plannedMonth = month
        let facts = try await InspectionStore.inspectable(on: platform.database)
        let context = try await readingContext()
        return try await platform.write(by: caller) { write in
            var source = licence ? InspectionSource.licence : .cause
            var target: InspectionStore.TargetFacts?
            var why = licence ? reason ?? "新开办医疗器械生产企业申请生产许可" : reason
            if let warningID {
                guard let warning = try await TrialWarningStore.find(id: warningID, scope: .everything, on: write.db) else {
                    throw UseCaseError.notFound(.warning)
                }
                guard warning.status == .focus, let institution = warning.institution else {
                    throw UseCaseError.invalid([
                        FieldProblem("warningID", "must be a warning put among the inspection's priorities", chinese: "只有已“纳入检查重点”的预警才能生成检查任务")
                    ])
                }
                source = .warning
                target = facts.first { $0.target.id == institution }
                let warningText = warning.kind == .piOverload ? "研究者承担项目超过阈值" : "试验批准后逾期未启动"
                why = [reason, "临床试验预警（\(warningText)，\(warning.raisedOn) 发出）纳入检查重点"].compactMap { $0 }.joined(separator: "；")
            } else if let targetID {
                target = facts.first { $0.target.id == targetID && $0.target.kind == kind }
            }
            guard problems.isEmpty, let target else {
                throw UseCaseError.invalid(problems.isEmpty ? [FieldProblem("targetID", "names no inspection target", chinese: "没有该检查对象")] : problems)
            }
            let new = InspectionStore.NewInspection(
                target: target, types: [licence ? .licence : .forCause], source: source, status: .planned, plannedMonth: plannedMonth, dueBy: nil)
            let id = try await InspectionStore.insertInBulk([new], now: write.now, on: write.db)[0]
            guard let model = try await InspectionModel.find(id, on: write.db) else { throw UseCaseError.notFound(.inspection) }
            model.reason = why
            model.warningID = warningID
            if licence {
                model.address = address
                model.centrallyProcured = input.centrallyProcured
            }
            try await model.update(on: write.db)
            try await InspectionTaskStore.appendEvent(
                to: id, kind: .created, on: today, detail: "\(source.label)：\(why ?? "")", by: caller.audit.name, named: caller.displayName,
                at: write.now, on: write.db)
            try await write.audit(
                "inspection.create", entityType: "inspection", entityID: id.uuidString, before: nil,
                after: try Audit.json([
                    "target": target.target.name, "source": source.rawValue, "reason": why ?? "", "plannedMonth": plannedMonth?.description ?? "",
                    "address": address ?? "", "centrallyProcured": licence ? String(input.centrallyProcured) : "",
                ]))
            return try await records(
                [model], view: Viewpoint(reader: .office, reach: .everything), caller: caller, context: context, withEvents: true, on: write.db)[0]
        }
    }

    // MARK: The team

    /// Sends a team: its lead and members, none with a conflict of interest unless the regulator
    /// records why. Those already on it keep their answers; those left off are taken off.
    public func formTeam(id: UUID, _ input: TeamInput, expecting version: Int?, by caller: Caller) async throws -> InspectionRecord {
        try caller.require(.manageInspections)
        let today = platform.clock.today()
        var reader = FieldReader()
        let lead = reader.id("lead", input.lead, label: "检查组组长")
        var chosen: [UUID] = []
        for (index, text) in input.members.enumerated() {
            if let member = reader.id("members[\(index)]", text, label: "检查组成员"), member != lead, !chosen.contains(member) { chosen.append(member) }
        }
        let policy = try await InspectionStore.policy(inForceOn: today, on: platform.database)
        let problems = reader.problems
        let members = chosen
        return try await step(
            id, expecting: version, requireVersion: true, by: caller, allowed: [.planned, .staffing, .staffed], action: .manageInspections
        ) { write, model, _ in
            try check(problems)
            guard let lead else { throw UseCaseError.invalid(problems) }
            let team = [lead] + members
            var problems: [FieldProblem] = []
            if team.count < 2 || team.count > 9 {
                problems.append(FieldProblem("members", "a team has 2 to 9 inspectors", chinese: "检查组应有 2 至 9 名检查员（含组长）"))
            }
            let inspectors = try await InspectorModel.query(on: write.db).filter(\.$id ~~ team).all()
            let byID = Dictionary(inspectors.compactMap { model in model.id.map { ($0, model) } }, uniquingKeysWith: { a, _ in a })
            let details = try await InspectorStore.details(of: team, on: write.db)
            let target = party(of: model)
            var overridden: [UUID: (conflicts: String, reason: String)] = [:]
            for (index, member) in team.enumerated() {
                let field = index == 0 ? "lead" : "members[\(index - 1)]"
                guard let inspector = byID[member], inspector.active else {
                    problems.append(FieldProblem(field, "names no inspector in the pool", chinese: "检查员库中没有该检查员"))
                    continue
                }
                if index == 0, inspector.rank != InspectorRank.lead.rawValue {
                    problems.append(FieldProblem(field, "must be an inspector who leads", chinese: "\(inspector.name)不具备组长资格"))
                }
                let ties = InspectorTies(employments: details[member]?.employments ?? [], relationships: details[member]?.relationships ?? [])
                let conflicts = ConflictOfInterest.reasons(ties, target: target, on: today, rule: policy.conflictRule)
                guard !conflicts.isEmpty else { continue }
                let text = conflicts.map(\.chinese).joined(separator: "；")
                if let reason = input.overrides[member.uuidString]?.trimmingWhitespace(), !reason.isEmpty {
                    guard reason.count <= 500 else {
                        problems.append(FieldProblem("overrides.\(member.uuidString)", "must be at most 500 characters", chinese: "豁免理由不能超过 500 个字"))
                        continue
                    }
                    overridden[member] = (text, reason)
                } else {
                    problems.append(
                        FieldProblem(field, "has a conflict of interest: \(text)", chinese: "\(inspector.name)应当回避：\(text)。如确需派出，须填写豁免理由"))
                }
            }
            let held = Set(team.compactMap { byID[$0] }.flatMap { InspectorProfile.codes($0.specialties, as: InspectionSpecialty.self) })
            let missing = try await specialties(of: model, on: write.db).filter { !held.contains($0) }
            if !missing.isEmpty {
                problems.append(
                    FieldProblem(
                        "members", "the team holds none of: \(missing.map(\.rawValue).joined(separator: ", "))",
                        chinese: "检查组缺少以下专业的检查员：\(missing.map(\.label).joined(separator: "、"))"))
            }
            guard problems.isEmpty else { throw UseCaseError.invalid(problems) }
            let existing = try await InspectionTaskStore.teams(of: [id], on: write.db)[id] ?? []
            for row in existing where TeamMemberState(rawValue: row.state)?.isOnTeam ?? false && !team.contains(row.inspectorID) {
                row.state = TeamMemberState.removed.rawValue
                try await row.update(on: write.db)
            }
            for member in team {
                let role = member == lead ? InspectorRank.lead : .member
                if let row = existing.first(where: { $0.inspectorID == member && (TeamMemberState(rawValue: $0.state)?.isOnTeam ?? false) }) {
                    row.role = role.rawValue
                    if let override = overridden[member] {
                        row.overriddenConflicts = override.conflicts
                        row.overrideReason = override.reason
                    }
                    try await row.update(on: write.db)
                } else {
                    let row = InspectionTeamMemberModel()
                    row.id = InspectionTaskStore.newID(now: write.now)
                    row.inspectionID = id
                    row.inspectorID = member
                    row.role = role.rawValue
                    row.state = TeamMemberState.invited.rawValue
                    row.invitedOn = today.description
                    row.overriddenConflicts = overridden[member]?.conflicts
                    row.overrideReason = overridden[member]?.reason
                    try await row.create(on: write.db)
                }
            }
            let now = try await InspectionTaskStore.teams(of: [id], on: write.db)[id] ?? []
            model.status = Self.staffingStatus(now).rawValue
            let names = team.compactMap { byID[$0]?.name }
            var detail = "组长 \(names.first ?? "")；成员 \(names.dropFirst().joined(separator: "、"))"
            if !overridden.isEmpty {
                detail += "；经豁免派出：" + overridden.keys.compactMap { byID[$0]?.name }.joined(separator: "、")
            }
            return Outcome(
                event: .teamProposed, detail: detail, audit: "inspection.team",
                after: ["team": names.joined(separator: ","), "overrides": String(overridden.count)])
        }
    }

    /// `staffed` when every inspector on the team accepted (a lead among them), else `staffing`.
    static func staffingStatus(_ rows: [InspectionTeamMemberModel]) -> InspectionStatus {
        let onTeam = rows.filter { TeamMemberState(rawValue: $0.state)?.isOnTeam ?? false }
        let ready =
            onTeam.count >= 2 && onTeam.allSatisfy { $0.state == TeamMemberState.accepted.rawValue }
            && onTeam.contains { $0.role == InspectorRank.lead.rawValue }
        return ready ? .staffed : .staffing
    }

    /// The caller's answer to their invitation: accept, declaring no conflict of interest, or decline.
    public func answer(id: UUID, _ input: AnswerInput, by caller: Caller) async throws -> InspectionRecord {
        try caller.require(.conductInspections)
        let today = platform.clock.today()
        var reader = FieldReader()
        let note = reader.text("note", input.note, label: "回避或谢绝的理由", maximum: 500, required: !input.accept)
        if input.accept && !input.declareNoConflict {
            reader.problems.append(
                FieldProblem("declareNoConflict", "must be declared to accept", chinese: "接受任务前须声明与被检查单位不存在利益冲突"))
        }
        let onBehalf = reader.id("inspectorID", input.inspectorID, label: "检查员", required: false)
        if onBehalf != nil && !caller.may(.manageInspections) {
            throw UseCaseError.fieldForbidden(
                FieldProblem("inspectorID", "only the regulator answers for an inspector", chinese: "只有监管人员可以代为登记检查员的答复"))
        }
        let problems = reader.problems
        return try await step(id, expecting: nil, by: caller, allowed: [.staffing, .staffed], action: .conductInspections) { write, model, view in
            let rows = try await InspectionTaskStore.teams(of: [id], on: write.db)[id] ?? []
            guard let mine = onBehalf ?? view.inspectorID,
                let row = rows.first(where: { $0.inspectorID == mine && $0.state == TeamMemberState.invited.rawValue })
            else {
                throw UseCaseError.invalid([FieldProblem("accept", "you have no invitation to answer", chinese: "您没有待确认的检查邀请")])
            }
            try check(problems)
            row.state = (input.accept ? TeamMemberState.accepted : .declined).rawValue
            row.answeredOn = today.description
            row.answerNote = note
            try await row.update(on: write.db)
            model.status = Self.staffingStatus(rows).rawValue
            return Outcome(
                event: input.accept ? .accepted : .declined,
                detail: (input.accept ? "声明与被检查单位不存在利益冲突" : note ?? "") + (onBehalf == nil ? "" : "（由监管人员代为登记）"),
                audit: input.accept ? "inspection.accept" : "inspection.decline", after: ["inspector": mine.uuidString])
        }
    }

    // MARK: Notice, visit, findings, conclusion

    public func sendNotice(id: UUID, _ input: NoticeInput, expecting version: Int?, by caller: Caller) async throws -> InspectionRecord {
        try caller.require(.conductInspections)
        let today = platform.clock.today()
        var reader = FieldReader()
        let noticeOn = reader.day("noticeOn", input.noticeOn, label: "通知日期", today: today, required: true)
        let from = reader.anyDay("onSiteFrom", input.onSiteFrom, label: "现场检查开始日期", required: true)
        let to = reader.anyDay("onSiteTo", input.onSiteTo, label: "现场检查结束日期", required: true)
        reader.problems += TaskDates.visitProblems(noticeOn: noticeOn, from: from, to: to, today: nil)
        let problems = reader.problems
        return try await step(id, expecting: version, by: caller, allowed: [.staffed], action: .conductInspections, lead: true) { _, model, _ in
            try check(problems)
            model.noticeOn = noticeOn?.description
            model.onSiteFrom = from?.description
            model.onSiteTo = to?.description
            model.status = InspectionStatus.notified.rawValue
            let days = "\(from?.description ?? "") 至 \(to?.description ?? "")"
            return Outcome(
                event: .noticeSent, detail: "现场检查 \(days)", audit: "inspection.notice",
                after: ["noticeOn": noticeOn?.description ?? "", "onSite": days])
        }
    }

    /// The team arrives: the first day on site (today or earlier, not before the notice).
    public func startVisit(id: UUID, onSiteFrom text: String?, by caller: Caller) async throws -> InspectionRecord {
        try caller.require(.conductInspections)
        let today = platform.clock.today()
        var reader = FieldReader()
        let from = reader.day("onSiteFrom", text, label: "现场检查开始日期", today: today, required: true)
        let problems = reader.problems
        return try await step(id, expecting: nil, by: caller, allowed: [.notified], action: .conductInspections) { _, model, _ in
            try check(problems)
            try check(TaskDates.visitProblems(noticeOn: model.noticeOn.flatMap(CivilDate.init), from: from, to: nil, today: today))
            model.onSiteFrom = from?.description
            model.onSiteTo = nil
            model.status = InspectionStatus.onSite.rawValue
            return Outcome(
                event: .visitStarted, detail: "现场检查自 \(from?.description ?? "") 开始", audit: "inspection.visit",
                after: ["onSiteFrom": from?.description ?? ""])
        }
    }

    public func recordFinding(id: UUID, _ input: FindingInput, by caller: Caller) async throws -> InspectionRecord {
        try caller.require(.conductInspections)
        let today = platform.clock.today()
        var reader = FieldReader()
        let clause = reader.text("clause", input.clause, label: "依据条款", maximum: FindingInput.mostClauseCharacters)
        let grade = reader.code("grade", input.grade, label: "缺陷等级", as: FindingGrade.self)
        let description = reader.text("description", input.description, label: "缺陷描述", maximum: FindingInput.mostTextCharacters)
        let evidence = reader.text("evidence", input.evidence, label: "证据记录", maximum: FindingInput.mostEvidenceCharacters, required: false)
        let problems = reader.problems
        return try await step(id, expecting: nil, by: caller, allowed: [.onSite], action: .conductInspections) { write, _, _ in
            try check(problems)
            guard let clause, let grade, let description else { throw UseCaseError.invalid(problems) }
            let finding = InspectionFindingModel()
            finding.id = InspectionTaskStore.newID(now: write.now)
            finding.inspectionID = id
            finding.number = try await InspectionTaskStore.nextFindingNumber(of: id, on: write.db)
            finding.clause = clause
            finding.grade = grade.rawValue
            finding.originalGrade = grade.rawValue
            finding.description = description
            finding.evidence = evidence
            finding.unresolved = false
            finding.recordedOn = today.description
            try await finding.create(on: write.db)
            // The timeline names the finding, never its evidence.
            return Outcome(
                event: .findingRecorded, detail: "第 \(finding.number) 项：\(grade.label)，\(clause)", audit: "inspection.finding",
                after: ["number": String(finding.number), "grade": grade.rawValue, "clause": clause])
        }
    }

    /// The conclusion: the last day on site, the conclusion by the rule in force (a stated one that
    /// differs is refused), the report; findings get their rectification's deadline. Without findings
    /// the inspection closes.
    public func conclude(id: UUID, _ input: ConclusionInput, expecting version: Int?, by caller: Caller) async throws -> InspectionRecord {
        try caller.require(.conductInspections)
        let today = platform.clock.today()
        var reader = FieldReader()
        let to = reader.day("onSiteTo", input.onSiteTo, label: "现场检查结束日期", today: today, required: true)
        let stated = reader.code("conclusion", input.conclusion, label: "检查结论", as: InspectionConclusion.self, required: false)
        let report = reader.text("report", input.report, label: "检查报告摘要", maximum: FindingInput.mostEvidenceCharacters, required: false)
        let policy = try await InspectionStore.policy(inForceOn: today, on: platform.database)
        let calendar = try await platform.calendar()
        let problems = reader.problems
        return try await step(id, expecting: version, by: caller, allowed: [.onSite], action: .conductInspections, lead: true) { write, model, _ in
            try check(problems)
            try check(TaskDates.visitProblems(noticeOn: nil, from: model.onSiteFrom.flatMap(CivilDate.init), to: to, today: today))
            let findings = try await InspectionTaskStore.findings(of: [id], on: write.db)[id] ?? []
            let grades = findings.compactMap { FindingGrade(rawValue: $0.grade) }
            let (conclusion, why) = policy.task.conclusionRule.explained(grades)
            if let stated, stated != conclusion {
                throw UseCaseError.invalid([
                    FieldProblem(
                        "conclusion", "contradicts the rule: the findings make it \(conclusion.rawValue)",
                        chinese: "检查结论与判定规则不符：按规则应为“\(conclusion.label)”（\(why)）")
                ])
            }
            let deadline = (try? calendar.addingWorkingDays(policy.task.rectificationWorkingDays, to: today, provisional: true).value) ?? today
            for finding in findings {
                finding.rectifyBy = deadline.description
                try await finding.update(on: write.db)
            }
            model.onSiteTo = to?.description
            model.completedOn = to?.description
            model.conclusion = conclusion.rawValue
            model.conclusionReason = why
            model.report = report
            if findings.isEmpty {
                model.status = InspectionStatus.completed.rawValue
                model.closedOn = today.description
            } else {
                model.status = InspectionStatus.rectifying.rawValue
            }
            try await KeySupervisionUseCases.review(
                model, grades: grades, closedWith: findings.isEmpty ? conclusion : nil, policy: policy, today: today, write: write)
            let detail = findings.isEmpty ? "\(conclusion.label)（\(why)），无需整改，结案" : "\(conclusion.label)（\(why)）；整改期限 \(deadline)"
            return Outcome(
                event: .concluded, detail: detail, audit: "inspection.conclude", after: ["conclusion": conclusion.rawValue, "reason": why])
        }
    }

    // MARK: Rectification, follow-up, closure

    /// The inspected party's rectification of one finding (the regulator may record it for them).
    public func submitRectification(id: UUID, finding findingID: UUID, text: String?, by caller: Caller) async throws -> InspectionRecord {
        try caller.require(.rectifyInspections)
        let today = platform.clock.today()
        var reader = FieldReader()
        let text = reader.text("rectification", text, label: "整改情况", maximum: FindingInput.mostTextCharacters)
        let problems = reader.problems
        return try await step(id, expecting: nil, by: caller, allowed: [.rectifying, .completed], action: .rectifyInspections) { write, model, _ in
            try Self.notClosed(model)
            let finding = try await Self.finding(findingID, of: id, on: write.db)
            guard finding.verifiedOn == nil, finding.submittedOn == nil else {
                throw UseCaseError.invalid([
                    FieldProblem("finding", "is verified or awaits verification", chinese: "该项整改已提交，待核实或已通过核实")
                ])
            }
            try check(problems)
            finding.rectification = text
            finding.submittedOn = today.description
            finding.verificationNote = nil
            try await finding.update(on: write.db)
            return Outcome(
                event: .rectificationSubmitted, detail: "第 \(finding.number) 项", audit: "inspection.rectification",
                after: ["finding": String(finding.number)])
        }
    }

    /// The team's verification of a submitted rectification: accepted, or returned with the reason.
    public func verify(id: UUID, finding findingID: UUID, _ input: VerificationInput, by caller: Caller) async throws -> InspectionRecord {
        try caller.require(.conductInspections)
        let today = platform.clock.today()
        var reader = FieldReader()
        if input.accepted == nil { reader.problems.append(FieldProblem("accepted", "is required", chinese: "请选择核实结论")) }
        let note = reader.text("note", input.note, label: "核实意见", maximum: 500, required: input.accepted == false)
        let problems = reader.problems
        return try await step(id, expecting: nil, by: caller, allowed: [.rectifying, .completed], action: .conductInspections) { write, model, _ in
            try Self.notClosed(model)
            let finding = try await Self.finding(findingID, of: id, on: write.db)
            guard finding.submittedOn != nil, finding.verifiedOn == nil else {
                throw UseCaseError.invalid([FieldProblem("finding", "has no rectification awaiting verification", chinese: "该项没有待核实的整改")])
            }
            try check(problems)
            let accepted = input.accepted == true
            if accepted {
                finding.verifiedOn = today.description
            } else {
                finding.submittedOn = nil
            }
            finding.verificationNote = note
            try await finding.update(on: write.db)
            return Outcome(
                event: accepted ? .rectificationVerified : .rectificationReturned,
                detail: "第 \(finding.number) 项" + (note.map { "：\($0)" } ?? ""), audit: "inspection.verify",
                after: ["finding": String(finding.number), "accepted": String(accepted)])
        }
    }

    /// A finding still open after its deadline raised one grade, with the reason: a new deadline, the
    /// conclusion counted again.
    public func raiseGrade(id: UUID, finding findingID: UUID, reason: String?, by caller: Caller) async throws -> InspectionRecord {
        try caller.require(.conductInspections)
        let today = platform.clock.today()
        var reader = FieldReader()
        let reason = reader.text("reason", reason, label: "升级理由", maximum: 500)
        let policy = try await InspectionStore.policy(inForceOn: today, on: platform.database)
        let calendar = try await platform.calendar()
        let problems = reader.problems
        return try await step(id, expecting: nil, by: caller, allowed: [.rectifying, .completed], action: .conductInspections, lead: true) {
            write, model, _ in
            try Self.notClosed(model)
            let finding = try await Self.finding(findingID, of: id, on: write.db)
            guard finding.verifiedOn == nil, let due = finding.rectifyBy.flatMap(CivilDate.init), due < today else {
                throw UseCaseError.invalid([
                    FieldProblem("finding", "can be raised only when still open after its deadline", chinese: "只有整改期限届满仍未整改到位的发现才能升级")
                ])
            }
            guard let grade = FindingGrade(rawValue: finding.grade), let raised = grade.raised else {
                throw UseCaseError.invalid([FieldProblem("finding", "is severe already", chinese: "严重缺陷不能再升级")])
            }
            try check(problems)
            finding.grade = raised.rawValue
            finding.raisedReason = reason
            finding.raisedOn = today.description
            finding.submittedOn = nil
            finding.rectifyBy =
                ((try? calendar.addingWorkingDays(policy.task.rectificationWorkingDays, to: today, provisional: true).value) ?? today).description
            try await finding.update(on: write.db)
            let findings = try await InspectionTaskStore.findings(of: [id], on: write.db)[id] ?? []
            let before = model.conclusion.flatMap(InspectionConclusion.init(rawValue:))
            let (conclusion, why) = policy.task.conclusionRule.explained(findings.compactMap { FindingGrade(rawValue: $0.grade) })
            model.conclusion = conclusion.rawValue
            model.conclusionReason = why
            try await KeySupervisionUseCases.review(
                model, grades: findings.compactMap { FindingGrade(rawValue: $0.grade) }, closedWith: nil, policy: policy, today: today, write: write)
            var detail = "第 \(finding.number) 项由\(grade.label)升为\(raised.label)：\(reason ?? "")"
            if before != conclusion { detail += "；结论由“\(before?.label ?? "—")”改为“\(conclusion.label)”" }
            return Outcome(
                event: .gradeRaised, detail: detail, audit: "inspection.raise", after: ["finding": String(finding.number), "grade": raised.rawValue])
        }
    }

    /// Closes the inspection: every finding's rectification verified or past its deadline (those are
    /// closed unresolved); a conclusion to be judged after rectification becomes compliant when every
    /// one was verified, not compliant otherwise; the lead's ratings (1 to 5) and whether each
    /// inspector was on time recorded for their performance.
    public func close(id: UUID, ratings: [String: Int], expecting version: Int?, by caller: Caller) async throws -> InspectionRecord {
        try caller.require(.conductInspections)
        let today = platform.clock.today()
        let policy = try await InspectionStore.policy(inForceOn: today, on: platform.database)
        let calendar = try await platform.calendar()
        return try await step(id, expecting: version, by: caller, allowed: [.rectifying], action: .conductInspections, lead: true) {
            write, model, view in
            let findings = try await InspectionTaskStore.findings(of: [id], on: write.db)[id] ?? []
            let pending = findings.filter { finding in
                finding.verifiedOn == nil && (finding.rectifyBy.flatMap(CivilDate.init).map { $0 >= today } ?? true)
            }
            guard pending.isEmpty else {
                throw UseCaseError.invalid([
                    FieldProblem(
                        "findings", "have rectifications still within their deadline or awaiting verification",
                        chinese: "第 \(pending.map { String($0.number) }.joined(separator: "、")) 项尚在整改期限内或待核实，不能结案")
                ])
            }
            let rows = try await InspectionTaskStore.teams(of: [id], on: write.db)[id] ?? []
            let accepted = rows.filter { $0.state == TeamMemberState.accepted.rawValue }
            var problems: [FieldProblem] = []
            for (key, rating) in ratings {
                guard let member = UUID(uuidString: key), accepted.contains(where: { $0.inspectorID == member }), member != view.inspectorID else {
                    problems.append(FieldProblem("ratings.\(key)", "names no other member of the team", chinese: "只能为检查组其他成员评分"))
                    continue
                }
                if !InspectionTaskPolicy.ratings.contains(rating) {
                    problems.append(FieldProblem("ratings.\(key)", "must be 1 to 5", chinese: "评分应为 1 至 5 分"))
                }
            }
            try check(problems)
            let events = try await InspectionTaskStore.events(of: id, on: write.db)
            let concludedOn = events.last { $0.kind == InspectionEventKind.concluded.rawValue }.flatMap { CivilDate($0.occurredOn) }
            let reportDue = model.onSiteFrom.flatMap(CivilDate.init).flatMap {
                try? calendar.addingWorkingDays(policy.task.reportWorkingDays, to: $0, provisional: true).value
            }
            let reportOnTime = concludedOn.flatMap { concluded in reportDue.map { concluded <= $0 } } ?? true
            for row in accepted {
                var answeredOnTime = true
                if let invited = CivilDate(row.invitedOn), let answered = row.answeredOn.flatMap(CivilDate.init) {
                    answeredOnTime =
                        answered
                        <= ((try? calendar.addingWorkingDays(policy.task.acceptWorkingDays, to: invited, provisional: true).value) ?? invited)
                }
                row.onTime = answeredOnTime && reportOnTime
                if let rating = ratings[row.inspectorID.uuidString] { row.rating = rating }
                try await row.update(on: write.db)
            }
            let unresolved = findings.filter { $0.verifiedOn == nil }
            for finding in unresolved {
                finding.unresolved = true
                try await finding.update(on: write.db)
            }
            if model.conclusion == InspectionConclusion.rectify.rawValue {
                let settled: InspectionConclusion = unresolved.isEmpty ? .compliant : .nonCompliant
                model.conclusion = settled.rawValue
                model.conclusionReason =
                    (model.conclusionReason ?? "") + (unresolved.isEmpty ? "；整改全部核实通过，符合要求" : "；\(unresolved.count) 项逾期未整改，不符合要求")
            }
            model.status = InspectionStatus.completed.rawValue
            model.closedOn = today.description
            try await KeySupervisionUseCases.review(
                model, grades: [], closedWith: model.conclusion.flatMap(InspectionConclusion.init(rawValue:)), policy: policy, today: today,
                write: write)
            let detail = unresolved.isEmpty ? "整改全部核实通过" : "第 \(unresolved.map { String($0.number) }.joined(separator: "、")) 项逾期未整改"
            return Outcome(
                event: .closed, detail: detail, audit: "inspection.close",
                after: ["conclusion": model.conclusion ?? "", "unresolved": String(unresolved.count)])
        }
    }

    // MARK: The cross-department notice

    /// The year's notice of the trial institutions' inspection results (检查结果信息通报): every
    /// inspection of a trial institution closed in the year (this year unless told), its conclusion
    /// and findings by grade — never an evidence note.
    public func notice(year: Int? = nil, by caller: Caller) async throws -> InspectionNotice {
        try caller.require(.readInspectionNotice)
        let today = platform.clock.today()
        let year = try InspectionPlanUseCases.year(year, today: today)
        let db = platform.database
        let models = try await InspectionModel.query(on: db).filter(\.$targetKind == InspectionTargetKind.trialInstitution.rawValue)
            .filter(\.$status == InspectionStatus.completed.rawValue).filter(\.$closedOn >= "\(year)-01-01").filter(\.$closedOn <= "\(year)-12-31")
            .all()
        let findings = try await InspectionTaskStore.findings(of: models.compactMap(\.id), on: db)
        let listed = try await KeySupervisionStore.supervised(on: db)
        let names = try await platform.dashboard.regionNames()
        let rows = try models.compactMap { model -> InspectionNotice.Row? in
            let id = try model.requireID()
            guard let closed = model.closedOn.flatMap(CivilDate.init) else { return nil }
            let grades = (findings[id] ?? []).compactMap { FindingGrade(rawValue: $0.grade) }
            let onSite = model.onSiteFrom.map { from in model.onSiteTo.map { $0 == from ? from : "\(from) 至 \($0)" } ?? from }
            return InspectionNotice.Row(
                inspection: id, institution: model.targetName, district: model.district.map { names[$0] ?? $0 },
                types: InspectorProfile.codes(model.types), onSite: onSite, closedOn: closed,
                conclusion: model.conclusion.flatMap(InspectionConclusion.init(rawValue:)), severe: grades.count { $0 == .severe },
                major: grades.count { $0 == .major }, general: grades.count { $0 == .general },
                unresolved: (findings[id] ?? []).count(where: \.unresolved), listed: listed.contains(model.targetID))
        }
        return InspectionNotice(year: year, rows: rows)
    }

    /// The notice as a file: CSV (UTF-8 with BOM) or XLSX, its summary above the table.
    public func noticeFile(year: Int? = nil, format: CensusUseCases.Format, by caller: Caller) async throws -> Data {
        let notice = try await notice(year: year, by: caller)
        let rows = [["\(notice.year) 年临床试验机构检查结果信息通报"], [notice.summary], []] + notice.table
        return try CensusSheets.file(rows, sheetName: "检查结果通报", format: format)
    }

    // MARK: The licence-inspection waiver

    /// Whether a licence inspection may be waived, each condition explained (the office's reading).
    public func waiver(id: UUID, by caller: Caller) async throws -> LicenceWaiver.Assessment {
        try caller.require(.manageInspections)
        let db = platform.database
        guard let model = try await InspectionTaskStore.find(id: id, reach: .everything, visible: InspectionStatus.allCases, on: db) else {
            throw UseCaseError.notFound(.inspection)
        }
        guard let facts = try await Self.waiverFacts(model, on: db) else {
            throw UseCaseError.invalid([FieldProblem("type", "is not a licence inspection", chinese: "只有生产许可现场检查可以减免")])
        }
        return LicenceWaiver.assess(facts)
    }

    /// Spares a licence inspection not yet carried out its visit (减免现场检查), when every condition
    /// of the waiver holds on the records as they are at the write: the registration inspection it
    /// rests on kept with it, the inspection settled today.
    public func waive(id: UUID, note: String?, expecting version: Int?, by caller: Caller) async throws -> InspectionRecord {
        try caller.require(.manageInspections)
        var reader = FieldReader()
        let note = reader.text("note", note, label: "减免说明", maximum: 500, required: false)
        let problems = reader.problems
        let today = platform.clock.today()
        return try await step(id, expecting: version, by: caller, allowed: [.planned, .staffing, .staffed], action: .manageInspections) {
            write, model, _ in
            try check(problems)
            guard let facts = try await Self.waiverFacts(model, on: write.db) else {
                throw UseCaseError.invalid([FieldProblem("type", "is not a licence inspection", chinese: "只有生产许可现场检查可以减免")])
            }
            let assessment = LicenceWaiver.assess(facts)
            guard assessment.eligible, let basis = assessment.basis else {
                throw UseCaseError.invalid([
                    FieldProblem(
                        "waiver", "the waiver's conditions do not hold (GET /api/v1/inspections/{id}/waiver names each)",
                        chinese: "不符合减免生产许可现场检查的条件：\(assessment.refusal)")
                ])
            }
            let basisText = "依据\(basis.summary)（核查地址：\(basis.site ?? "")）"
            model.status = InspectionStatus.waived.rawValue
            model.waiverBasis = basisText
            model.completedOn = today.description
            model.closedOn = today.description
            return Outcome(
                event: .waived, detail: [basisText, note].compactMap { $0 }.joined(separator: "；"), audit: "inspection.waive",
                after: ["basis": basisText, "note": note ?? ""])
        }
    }

    /// A licence inspection's waiver facts; nil for any other inspection.
    static func waiverFacts(_ model: InspectionModel, on db: any Database) async throws -> LicenceWaiver.Facts? {
        guard InspectorProfile.codes(model.types).contains(InspectionType.licence), let uscc = model.targetUSCC else { return nil }
        return try await LicenceWaiverStore.facts(
            uscc: uscc, targetID: model.targetID, excluding: try model.requireID(), address: model.address ?? "",
            centrallyProcured: model.centrallyProcured ?? false, on: db)
    }

    /// Cancels an inspection not yet carried out, with the reason.
    public func cancel(id: UUID, reason: String?, expecting version: Int?, by caller: Caller) async throws -> InspectionRecord {
        try caller.require(.manageInspections)
        var reader = FieldReader()
        let reason = reader.text("reason", reason, label: "取消理由", maximum: 500)
        let problems = reader.problems
        return try await step(id, expecting: version, by: caller, allowed: [.planned, .staffing, .staffed, .notified], action: .manageInspections) {
            _, model, _ in
            try check(problems)
            model.status = InspectionStatus.cancelled.rawValue
            return Outcome(event: .cancelled, detail: reason, audit: "inspection.cancel", after: ["reason": reason ?? ""])
        }
    }

    // MARK: One step's write

    struct Outcome {
        var event: InspectionEventKind
        var detail: String?
        var audit: String
        var after: [String: String]
    }

    /// One step: the inspection found where the caller reads it (else `notFound`), the caller's part
    /// in it (the office, or for `.conductInspections` an inspector who accepted — the lead for
    /// `lead` steps — or for `.rectifyInspections` the inspected party), its state among `allowed`
    /// (else `invalid` naming `status`), the version named (`requireVersion`: a change that must name
    /// one) still the record's, then `body`; the inspection's version moved, the event and
    /// the audit row written.
    private func step(
        _ id: UUID, expecting version: Int?, requireVersion: Bool = false, by caller: Caller, allowed: [InspectionStatus], action: Action,
        lead: Bool = false, _ body: @escaping @Sendable (Write, InspectionModel, Viewpoint) async throws -> Outcome
    ) async throws -> InspectionRecord {
        let today = platform.clock.today()
        let context = try await readingContext()
        return try await platform.write(by: caller) { write in
            let view = try await viewpoint(caller, on: write.db)
            guard let model = try await InspectionTaskStore.find(id: id, reach: view.reach, visible: view.visible, on: write.db) else {
                throw UseCaseError.notFound(.inspection)
            }
            if version != nil || requireVersion { try model.check(basedOn: version, .inspection) }
            if view.reader == .team, action == .conductInspections {
                let rows = try await InspectionTaskStore.teams(of: [id], on: write.db)[id] ?? []
                let mine = rows.first { $0.inspectorID == view.inspectorID && (TeamMemberState(rawValue: $0.state)?.isOnTeam ?? false) }
                let answering = allowed.contains(.staffing) && mine?.state == TeamMemberState.invited.rawValue
                guard let mine, answering || mine.state == TeamMemberState.accepted.rawValue, !lead || mine.role == InspectorRank.lead.rawValue else {
                    throw UseCaseError.forbidden(action, role: caller.role)
                }
            }
            if view.reader == .team && action != .conductInspections { throw UseCaseError.forbidden(action, role: caller.role) }
            let status = InspectionStatus(rawValue: model.status) ?? .planned
            guard allowed.contains(status) else {
                throw UseCaseError.invalid([
                    FieldProblem("status", "cannot be taken while the inspection is \(status.rawValue)", chinese: "检查任务当前为“\(status.label)”，不能进行此操作")
                ])
            }
            let before = model.status
            let outcome = try await body(write, model, view)
            try await model.updateVersioned(on: write.db, always: true)
            try await InspectionTaskStore.appendEvent(
                to: id, kind: outcome.event, on: today, detail: outcome.detail, by: caller.audit.name, named: caller.displayName, at: write.now,
                on: write.db)
            var after = outcome.after
            after["status"] = model.status
            try await write.audit(
                outcome.audit, entityType: "inspection", entityID: id.uuidString, before: try Audit.json(["status": before]),
                after: try Audit.json(after))
            return try await records([model], view: view, caller: caller, context: context, withEvents: true, on: write.db)[0]
        }
    }

    private func check(_ problems: [FieldProblem]) throws {
        guard problems.isEmpty else { throw UseCaseError.invalid(problems) }
    }

    private static func notClosed(_ model: InspectionModel) throws {
        guard model.status != InspectionStatus.completed.rawValue else {
            throw UseCaseError.invalid([FieldProblem("status", "the inspection is closed", chinese: "检查任务已结案，不能再提交或修改整改")])
        }
    }

    private static func finding(_ id: UUID, of inspection: UUID, on db: any Database) async throws -> InspectionFindingModel {
        guard let finding = try await InspectionFindingModel.query(on: db).filter(\.$id == id).filter(\.$inspectionID == inspection).first() else {
            throw UseCaseError.notFound(.finding)
        }
        return finding
    }

    // MARK: Records

    /// What reading records needs besides the rows: today, the policy in force, the calendar.
    struct ReadingContext: Sendable {
        var today: CivilDate
        var policy: InspectionPolicy
        var calendar: WorkCalendar
    }

    func readingContext() async throws -> ReadingContext {
        let today = platform.clock.today()
        let policy = try await InspectionStore.policy(inForceOn: today, on: platform.database)
        return ReadingContext(today: today, policy: policy, calendar: try await platform.calendar())
    }

    func records(
        _ models: [InspectionModel], view: Viewpoint, caller: Caller, context: ReadingContext, withEvents: Bool = false, on db: any Database
    ) async throws -> [InspectionRecord] {
        let ids = models.compactMap(\.id)
        let teams = try await InspectionTaskStore.teams(of: ids, on: db)
        let findings = try await InspectionTaskStore.findings(of: ids, on: db)
        let names = try await InspectionTaskStore.inspectorNames(teams.values.flatMap { $0.map(\.inspectorID) }, on: db)
        var records: [InspectionRecord] = []
        for model in models {
            let id = try model.requireID()
            let status = InspectionStatus(rawValue: model.status) ?? .planned
            let rows = teams[id] ?? []
            let team = rows.compactMap { row -> InspectionRecord.Member? in
                guard let state = TeamMemberState(rawValue: row.state), state != .removed || view.reader.readsStaffing else { return nil }
                return InspectionRecord.Member(
                    inspectorID: row.inspectorID, name: names[row.inspectorID] ?? "—", role: InspectorRank(rawValue: row.role) ?? .member,
                    state: state,
                    invitedOn: CivilDate(row.invitedOn) ?? context.today, answeredOn: row.answeredOn.flatMap(CivilDate.init),
                    answerNote: view.reader.readsStaffing ? row.answerNote : nil,
                    overriddenConflicts: view.reader.readsStaffing ? row.overriddenConflicts : nil,
                    overrideReason: view.reader.readsStaffing ? row.overrideReason : nil,
                    rating: view.reader == .office || view.reader == .team ? row.rating : nil,
                    onTime: view.reader == .office || view.reader == .team ? row.onTime : nil)
            }
            let stored = findings[id] ?? []
            let readsEvidence = view.reader.readsEvidence(status)
            let found =
                view.reader.readsFindings(status)
                ? stored.map { row in
                    InspectionRecord.Finding(
                        id: row.id ?? RecordID.none, number: row.number, clause: row.clause, grade: FindingGrade(rawValue: row.grade) ?? .general,
                        originalGrade: FindingGrade(rawValue: row.originalGrade) ?? .general, description: row.description,
                        evidence: readsEvidence ? row.evidence : nil, raisedReason: row.raisedReason, raisedOn: row.raisedOn.flatMap(CivilDate.init),
                        rectifyBy: row.rectifyBy.flatMap(CivilDate.init), rectification: row.rectification,
                        submittedOn: row.submittedOn.flatMap(CivilDate.init), verifiedOn: row.verifiedOn.flatMap(CivilDate.init),
                        verificationNote: row.verificationNote, unresolved: row.unresolved, recordedOn: CivilDate(row.recordedOn) ?? context.today)
                } : nil
            let progress = TaskProgress(
                status: status, plannedMonth: model.plannedMonth.flatMap(YearMonth.init),
                pendingInvitations: rows.filter { $0.state == TeamMemberState.invited.rawValue }.compactMap { CivilDate($0.invitedOn) },
                onSiteFrom: model.onSiteFrom.flatMap(CivilDate.init),
                findings: stored.map {
                    FindingProgress(
                        grade: FindingGrade(rawValue: $0.grade) ?? .general, rectifyBy: $0.rectifyBy.flatMap(CivilDate.init),
                        submittedOn: $0.submittedOn.flatMap(CivilDate.init), verifiedOn: $0.verifiedOn.flatMap(CivilDate.init))
                })
            let steps = progress.steps(policy: context.policy.task, today: context.today, calendar: context.calendar)
            var may = InspectionRecord.Permitted()
            let office = view.reader == .office && caller.may(.manageInspections)
            let mine = rows.first { $0.inspectorID == view.inspectorID && (TeamMemberState(rawValue: $0.state)?.isOnTeam ?? false) }
            may.manage = office
            may.conduct = office || mine?.state == TeamMemberState.accepted.rawValue
            may.lead = office || (mine?.state == TeamMemberState.accepted.rawValue && mine?.role == InspectorRank.lead.rawValue)
            may.answer = mine?.state == TeamMemberState.invited.rawValue
            may.rectify = status == .rectifying && caller.may(.rectifyInspections) && (view.reader == .party || office)
            var events: [InspectionRecord.Event] = []
            if withEvents {
                let rows = try await InspectionTaskStore.events(of: id, on: db)
                let actors = try await People.labels(usernames: [], actors: rows.filter { $0.recordedByName == nil }.map(\.recordedBy), on: db)
                events = rows.compactMap { row in
                    guard let kind = InspectionEventKind(rawValue: row.kind) else { return nil }
                    return InspectionRecord.Event(
                        kind: kind, occurredOn: CivilDate(row.occurredOn) ?? context.today, detail: row.detail,
                        by: row.recordedByName ?? actors[row.recordedBy] ?? row.recordedBy, recordedAt: row.recordedAt)
                }
            }
            records.append(
                InspectionRecord(
                    id: id, version: model.version, targetKind: InspectionTargetKind(rawValue: model.targetKind) ?? .enterprise,
                    targetID: model.targetID,
                    targetName: model.targetName, district: model.district, types: InspectorProfile.codes(model.types),
                    source: InspectionSource(rawValue: model.source) ?? .plan,
                    status: status, plannedMonth: model.plannedMonth.flatMap(YearMonth.init), dueBy: model.dueBy.flatMap(CivilDate.init),
                    reason: model.reason, warningID: model.warningID, noticeOn: model.noticeOn.flatMap(CivilDate.init),
                    onSiteFrom: model.onSiteFrom.flatMap(CivilDate.init), onSiteTo: model.onSiteTo.flatMap(CivilDate.init),
                    completedOn: model.completedOn.flatMap(CivilDate.init),
                    conclusion: model.conclusion.flatMap(InspectionConclusion.init(rawValue:)),
                    conclusionReason: model.conclusionReason, report: view.reader.readsFindings(status) ? model.report : nil,
                    closedOn: model.closedOn.flatMap(CivilDate.init), team: team, findings: found, steps: steps,
                    level: steps.map(\.level).max { $0.severity < $1.severity } ?? .green, events: events, reader: view.reader, may: may))
            records[records.count - 1].address = model.address
            records[records.count - 1].centrallyProcured = model.centrallyProcured ?? false
            records[records.count - 1].waiverBasis = model.waiverBasis
            if withEvents, view.reader == .office, status.isBeforeVisit, status != .notified, let facts = try await Self.waiverFacts(model, on: db) {
                records[records.count - 1].waiver = LicenceWaiver.assess(facts)
            }
        }
        return records
    }

    /// The party an inspection is made of, as conflicts are matched.
    private func party(of model: InspectionModel) -> PartyRef {
        PartyRef(name: model.targetName, uscc: model.targetUSCC)
    }

    /// The specialties its team must hold.
    private func specialties(of model: InspectionModel, on db: any Database) async throws -> [InspectionSpecialty] {
        let institution =
            model.targetKind == InspectionTargetKind.trialInstitution.rawValue ? try await TrialInstitutionModel.find(model.targetID, on: db) : nil
        return Self.specialties(of: model, filed: institution.map(Self.filings))
    }

    /// An institution's filings as the specialties read them: for drug trials, for device trials.
    private static func filings(of institution: TrialInstitutionModel) -> (drug: Bool, device: Bool) {
        (institution.drugFiledOn != nil, institution.deviceFiledOn != nil)
    }

    /// The specialties a team must hold for an inspection's types, its target's kind and, for a trial
    /// institution, its filings (an enterprise has none: `filed` is nil, or ignored).
    private static func specialties(of model: InspectionModel, filed: (drug: Bool, device: Bool)?) -> [InspectionSpecialty] {
        let kind = InspectionTargetKind(rawValue: model.targetKind) ?? .enterprise
        let filed = kind == .trialInstitution ? filed : nil
        return requiredSpecialties(
            of: InspectorProfile.codes(model.types), drugFiled: filed?.drug ?? false, deviceFiled: filed?.device ?? false, targetKind: kind)
    }
}

extension Platform {
    public var inspections: InspectionTaskUseCases { InspectionTaskUseCases(platform: self) }
}
