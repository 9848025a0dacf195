import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

/// An inspection made jointly with a partner province, as either side reads it: the inspection's
/// facts, Shanghai's team and the partner's, and — once closed — its conclusion and findings (never
/// an evidence note: those go only through a share under a commitment).
public struct DeltaJointRecord: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var version: Int
    public var inspectionID: UUID
    public var targetName: String
    public var targetUSCC: String?
    public var types: [InspectionType]
    public var status: InspectionStatus
    public var plannedMonth: YearMonth?
    public var onSiteFrom: CivilDate?
    public var onSiteTo: CivilDate?
    public var closedOn: CivilDate?
    public var province: DeltaProvince
    public var linkID: UUID?
    /// The link it follows, named by its product.
    public var linkProduct: String?
    public var note: String?
    public var plannedOn: CivilDate
    public var plannedBy: String
    /// Shanghai's inspectors who accepted, by name, the lead first.
    public var shanghaiTeam: [String]
    public var members: [JointMember]
    public var conclusion: InspectionConclusion?
    public var conclusionReason: String?
    public var findings: [DeltaShareRecord.Finding]

    /// Neither closed, cancelled nor settled otherwise.
    public var open: Bool { status.isOpen }
    /// Whether its partner's team may still change (`JointRules.takesTeam`: not after the visit).
    public var takesTeam: Bool { JointRules.takesTeam(status) }
}

/// A joint inspection as typed.
public struct DeltaJointInput: Sendable, Equatable {
    public var inspection: String?
    public var province: String?
    public var link: String?
    public var note: String?
    public var members: [DeltaJointMemberInput]

    public init(
        inspection: String? = nil, province: String? = nil, link: String? = nil, note: String? = nil, members: [DeltaJointMemberInput] = []
    ) {
        self.inspection = inspection
        self.province = province
        self.link = link
        self.note = note
        self.members = members
    }
}

/// A partner's inspector as typed.
public struct DeltaJointMemberInput: Sendable, Equatable {
    public var name: String?
    public var organisation: String?
    public var title: String?

    public init(name: String? = nil, organisation: String? = nil, title: String? = nil) {
        self.name = name
        self.organisation = organisation
        self.title = title
    }
}

/// Joint inspections with a partner province (联合检查, 人员交叉参与; issue 21): the city's regulator
/// makes one of its open inspections joint with a partner, optionally following a cross-province
/// link; the partner's regulator (or the city's) names the partner's inspectors on the team. Both
/// sides read it; the inspection's timeline records each step.
public struct DeltaJointUseCases: Sendable {
    let platform: Platform

    // MARK: Reads

    /// The joint inspections in reach: the city's side every one, a partner those made with it.
    public func list(by caller: Caller) async throws -> [DeltaJointRecord] {
        try caller.require(.readDelta)
        let models = try await DeltaStore.joints(scope: caller.filter, on: platform.database)
        return try await records(models, on: platform.database)
    }

    /// One joint inspection in reach (404 otherwise).
    public func detail(id: UUID, by caller: Caller) async throws -> DeltaJointRecord {
        try caller.require(.readDelta)
        guard let model = try await DeltaStore.joint(id, scope: caller.filter, on: platform.database) else {
            throw UseCaseError.notFound(.deltaJoint)
        }
        return try await records([model], on: platform.database)[0]
    }

    /// The joint inspection an inspection of Shanghai's is part of, for its page (the city's side).
    public func of(inspection: UUID, by caller: Caller) async throws -> DeltaJointRecord? {
        guard caller.may(.readDelta), caller.filter == .everything else { return nil }
        let models = try await DeltaStore.joints(scope: .everything, inspection: inspection, on: platform.database)
        return try await records(models, on: platform.database).first
    }

    /// The open inspections of enterprises that may be made joint, the earliest planned first: id
    /// and "target（month · status）".
    public func plannable(by caller: Caller) async throws -> [(id: UUID, label: String)] {
        try caller.require(.writeDelta)
        let open = InspectionStatus.allCases.filter(JointRules.takesTeam).map(\.rawValue)
        let joint = Set(try await DeltaJointModel.query(on: platform.database).all().map(\.inspectionID))
        return try await InspectionModel.query(on: platform.database).filter(\.$status ~~ open)
            .filter(\.$targetKind == InspectionTargetKind.enterprise.rawValue).sort(\.$plannedMonth).sort(\.$targetName).limit(500).all()
            .filter { !joint.contains($0.id ?? RecordID.none) }.prefix(300)
            .map { model in
                let status = InspectionStatus(rawValue: model.status)?.label ?? model.status
                return (try model.requireID(), "\(model.targetName)（\(model.plannedMonth ?? "计划外") · \(status)）")
            }
    }

    // MARK: Writes

    /// Makes an open inspection joint with a partner province (one partner an inspection: a second is
    /// 409), with the partner's inspectors when already known.
    public func plan(_ input: DeltaJointInput, by caller: Caller) async throws -> DeltaJointRecord {
        try caller.require(.writeDelta)
        var reader = FieldReader()
        let inspectionID = reader.id("inspection", input.inspection, label: "检查任务")
        let province = reader.partner("province", input.province, label: "联合检查的伙伴省份")
        let linkID = reader.id("link", input.link.nonBlank, label: "跨省委托生产关系", required: false)
        let note = reader.text("note", input.note, label: "说明", maximum: 500, required: false)
        let members = Self.members(input.members, province: province, reader: &reader, required: false)
        let problems = reader.problems
        return try await platform.write(by: caller) { write in
            var problems = problems
            var inspection: InspectionModel?
            if let inspectionID {
                inspection = try await InspectionModel.find(inspectionID, on: write.db)
                if let found = inspection {
                    let status = InspectionStatus(rawValue: found.status) ?? .planned
                    if !JointRules.takesTeam(status) {
                        problems.append(
                            FieldProblem("inspection", "is carried out already", chinese: "检查任务当前为“\(status.label)”，不能再商定联合检查"))
                    } else if found.targetKind != InspectionTargetKind.enterprise.rawValue {
                        problems.append(FieldProblem("inspection", "is not of an enterprise", chinese: "联合检查的对象应为企业"))
                    }
                } else {
                    problems.append(FieldProblem("inspection", "names no inspection", chinese: "没有该检查任务"))
                }
            }
            let link = try await DeltaStore.link(linkID, involving: province, problems: &problems, on: write.db)
            guard problems.isEmpty, let inspection, let province else { throw UseCaseError.invalid(problems) }
            if !(try await DeltaStore.joints(scope: .everything, inspection: inspectionID, on: write.db)).isEmpty {
                throw UseCaseError.conflict(FieldProblem("inspection", "is joint already", chinese: "该检查任务已商定联合检查"))
            }
            let model = DeltaJointModel()
            model.id = GuidanceStore.newID(now: write.now)
            model.inspectionID = try inspection.requireID()
            model.province = province.rawValue
            model.linkID = try link?.requireID()
            model.note = note
            model.plannedOn = ShanghaiTime.day(of: write.now).description
            model.plannedBy = caller.audit.name
            model.version = 1
            try await model.create(on: write.db)
            try await Self.replace(members, of: try model.requireID(), on: write.db)
            let detail = ["与\(province.regulator)联合检查", link.map { "（跨省委托生产：\($0.productName)）" }, note.map { "：\($0)" }]
                .compactMap { $0 }.joined()
            try await InspectionTaskStore.appendEvent(
                to: model.inspectionID, kind: .jointPlanned, on: ShanghaiTime.day(of: write.now), detail: detail, by: caller.audit.name,
                named: caller.displayName, at: write.now, on: write.db)
            try await write.audit(
                "delta.joint.plan", entityType: "delta_joint", entityID: try model.requireID().uuidString, before: nil,
                after: try Audit.json([
                    "inspection": model.inspectionID.uuidString, "province": province.rawValue, "members": members.map(\.name).joined(separator: "、"),
                ]))
            return try await records([model], on: write.db)[0]
        }
    }

    /// Names the partner's inspectors on a joint inspection, replacing the list, on the version read:
    /// the partner's regulator for its own, the city's regulator for any; until the inspection is
    /// carried out.
    public func setMembers(id: UUID, _ input: [DeltaJointMemberInput], expecting version: Int?, by caller: Caller) async throws -> DeltaJointRecord {
        guard caller.may(.respondDelta) || caller.may(.writeDelta) else { throw UseCaseError.forbidden(.respondDelta, role: caller.role) }
        return try await platform.write(by: caller) { write in
            guard let model = try await DeltaStore.joint(id, scope: caller.filter, on: write.db) else { throw UseCaseError.notFound(.deltaJoint) }
            try model.check(basedOn: version, .deltaJoint)
            var reader = FieldReader()
            let province = DeltaProvince(rawValue: model.province)
            let members = Self.members(input, province: province, reader: &reader, required: true)
            let inspection = try await InspectionModel.find(model.inspectionID, on: write.db)
            let status = inspection.flatMap { InspectionStatus(rawValue: $0.status) } ?? .cancelled
            if !JointRules.takesTeam(status) {
                reader.problems.append(
                    FieldProblem("status", "the inspection is carried out", chinese: "检查任务当前为“\(status.label)”，检查组不能再变更"))
            }
            guard reader.problems.isEmpty else { throw UseCaseError.invalid(reader.problems) }
            let before = try await DeltaStore.members(of: [id], on: write.db)[id]?.map(\.name) ?? []
            try await Self.replace(members, of: id, on: write.db)
            try await model.updateVersioned(on: write.db, always: true)
            try await InspectionTaskStore.appendEvent(
                to: model.inspectionID, kind: .jointTeam, on: ShanghaiTime.day(of: write.now),
                detail: "\(province?.regulator ?? model.province)：" + members.map { "\($0.name)（\($0.organisation)）" }.joined(separator: "、"),
                by: caller.audit.name, named: caller.displayName, at: write.now, on: write.db)
            try await write.audit(
                "delta.joint.members", entityType: "delta_joint", entityID: id.uuidString,
                before: try Audit.json(["members": before.joined(separator: "、")]),
                after: try Audit.json(["members": members.map(\.name).joined(separator: "、")]))
            return try await records([model], on: write.db)[0]
        }
    }

    // MARK: Parts

    /// The typed inspectors read into members, rows left wholly blank dropped; a blank body is the
    /// partner's regulator. `required`: none at all is a problem.
    static func members(
        _ input: [DeltaJointMemberInput], province: DeltaProvince?, reader: inout FieldReader, required: Bool
    ) -> [JointMember] {
        let typed = input.filter { [$0.name, $0.organisation, $0.title].contains { $0.nonBlank != nil } }
        var members: [JointMember] = []
        var fieldProblems = false
        for (index, row) in typed.enumerated() {
            var fields = FieldReader()
            let name = fields.text("members[\(index)].name", row.name, label: "第 \(index + 1) 名检查员的姓名", maximum: 50, required: false)
            let organisation = fields.text("members[\(index)].organisation", row.organisation, label: "所在单位", maximum: 100, required: false)
            let title = fields.text("members[\(index)].title", row.title, label: "职务或资格", maximum: 50, required: false)
            fieldProblems = fieldProblems || !fields.problems.isEmpty
            reader.problems += fields.problems
            members.append(JointMember(name: name ?? "", organisation: organisation ?? province?.regulator ?? "", title: title))
        }
        guard !fieldProblems, required || !members.isEmpty else { return members }
        reader.problems += JointRules.problems(members: members)
        return members
    }

    static func replace(_ members: [JointMember], of joint: UUID, on db: any Database) async throws {
        try await DeltaJointMemberModel.query(on: db).filter(\.$jointID == joint).delete()
        for (position, member) in members.enumerated() {
            let row = DeltaJointMemberModel()
            row.id = UUID()
            row.jointID = joint
            row.position = position
            row.name = member.name
            row.organisation = member.organisation
            row.title = member.title
            try await row.create(on: db)
        }
    }

    func records(_ models: [DeltaJointModel], on db: any Database) async throws -> [DeltaJointRecord] {
        let ids = models.compactMap(\.id)
        let inspectionIDs = Array(Set(models.map(\.inspectionID)))
        let inspections = try await DeltaStore.inspections(inspectionIDs, on: db)
        let links = try await DeltaStore.productNames(of: models.compactMap(\.linkID), on: db)
        let members = try await DeltaStore.members(of: ids, on: db)
        let teams = try await InspectionTaskStore.teams(of: inspectionIDs, on: db)
        let names = try await InspectionTaskStore.inspectorNames(teams.values.flatMap { $0.map(\.inspectorID) }, on: db)
        let findings = try await InspectionTaskStore.findings(of: inspectionIDs, on: db)
        let people = try await People.labels(usernames: [], actors: models.map(\.plannedBy), on: db)
        let today = platform.clock.today()
        return try models.map { model in
            let id = try model.requireID()
            let inspection = inspections[model.inspectionID]
            let status = inspection.flatMap { InspectionStatus(rawValue: $0.status) } ?? .planned
            let closed = status == .completed
            let team = (teams[model.inspectionID] ?? []).filter { $0.state == TeamMemberState.accepted.rawValue }
                .sorted { ($0.role == InspectorRank.lead.rawValue ? 0 : 1) < ($1.role == InspectorRank.lead.rawValue ? 0 : 1) }
                .map { row in
                    let name = names[row.inspectorID] ?? "—"
                    return row.role == InspectorRank.lead.rawValue ? "\(name)（组长）" : name
                }
            return DeltaJointRecord(
                id: id, version: model.version, inspectionID: model.inspectionID, targetName: inspection?.targetName ?? "",
                targetUSCC: inspection?.targetUSCC, types: InspectorProfile.codes(inspection?.types ?? ""), status: status,
                plannedMonth: inspection?.plannedMonth.flatMap(YearMonth.init), onSiteFrom: inspection?.onSiteFrom.flatMap(CivilDate.init),
                onSiteTo: inspection?.onSiteTo.flatMap(CivilDate.init), closedOn: inspection?.closedOn.flatMap(CivilDate.init),
                province: DeltaProvince(rawValue: model.province) ?? .jiangsu, linkID: model.linkID, linkProduct: model.linkID.flatMap { links[$0] },
                note: model.note, plannedOn: CivilDate(model.plannedOn) ?? today, plannedBy: people[model.plannedBy] ?? model.plannedBy,
                shanghaiTeam: team,
                members: (members[id] ?? []).map { JointMember(name: $0.name, organisation: $0.organisation, title: $0.title) },
                conclusion: closed ? inspection?.conclusion.flatMap(InspectionConclusion.init(rawValue:)) : nil,
                conclusionReason: closed ? inspection?.conclusionReason : nil,
                findings: closed
                    ? (findings[model.inspectionID] ?? []).map { DeltaShareRecord.Finding($0, evidence: false) } : [])
        }
    }
}

extension Platform {
    public var deltaJoint: DeltaJointUseCases { DeltaJointUseCases(platform: self) }
}
