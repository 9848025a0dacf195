import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

/// A partner province's inspection result of a Shanghai enterprise, and Shanghai's decision on it.
public struct DeltaResultRecord: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var version: Int
    public var province: DeltaProvince
    public var enterpriseID: UUID
    public var targetName: String
    public var targetUSCC: String
    public var types: [InspectionType]
    public var completedOn: CivilDate
    public var conclusion: InspectionConclusion
    public var reference: String
    public var summary: String?
    public var recordedOn: CivilDate
    public var recordedBy: String
    public var status: PartnerResultStatus
    /// The inspection of Shanghai's it settled, once recognised.
    public var inspectionID: UUID?
    public var decidedOn: CivilDate?
    public var decidedBy: String?
    public var declineReason: String?
}

/// A partner's result as typed.
public struct DeltaResultInput: Sendable, Equatable {
    /// The partner province: taken from a partner's own scope; the city's side names it (a result
    /// received on paper).
    public var province: String?
    public var creditCode: String?
    public var types: [String]
    public var completedOn: String?
    public var conclusion: String?
    public var reference: String?
    public var summary: String?

    public init(
        province: String? = nil, creditCode: String? = nil, types: [String] = [], completedOn: String? = nil, conclusion: String? = nil,
        reference: String? = nil, summary: String? = nil
    ) {
        self.province = province
        self.creditCode = creditCode
        self.types = types
        self.completedOn = completedOn
        self.conclusion = conclusion
        self.reference = reference
        self.summary = summary
    }
}

/// Recognising inspection results across the Delta (结果互认; issue 21). A partner province's
/// regulator records its inspection of a Shanghai enterprise that is a party to a link with it (an
/// extension inspection of the manufacturer its registrant entrusted, say); the city's regulator
/// recognises it — the target's next planned inspection of those types settled as recognised, or one
/// recorded as such, so the year's plan counts it done with the partner's reference — or declines
/// it with the reason. The other way round, a partner recognises what Shanghai shared with it
/// (`DeltaShareUseCases.recognise`).
public struct DeltaResultUseCases: Sendable {
    let platform: Platform

    // MARK: Reads

    /// The results in reach — the city's side every one, a partner its own —, optionally in one state.
    public func list(status: String? = nil, by caller: Caller) async throws -> [DeltaResultRecord] {
        try caller.require(.readDelta)
        var reader = FieldReader()
        let status = reader.code("status", status, label: "互认状态", as: PartnerResultStatus.self, required: false)
        guard reader.problems.isEmpty else { throw UseCaseError.malformed(reader.problems) }
        let models = try await DeltaStore.results(scope: caller.filter, status: status, on: platform.database)
        return try await records(models, on: platform.database)
    }

    /// One result in reach (404 otherwise).
    public func detail(id: UUID, by caller: Caller) async throws -> DeltaResultRecord {
        try caller.require(.readDelta)
        guard let model = try await DeltaStore.result(id, scope: caller.filter, on: platform.database) else {
            throw UseCaseError.notFound(.deltaResult)
        }
        return try await records([model], on: platform.database)[0]
    }

    // MARK: Writes

    /// Records a partner's inspection result of a Shanghai enterprise linked with that partner: a
    /// partner's regulator for its own province, the city's regulator naming the province.
    public func record(_ input: DeltaResultInput, by caller: Caller) async throws -> DeltaResultRecord {
        guard caller.may(.respondDelta) || caller.may(.writeDelta) else { throw UseCaseError.forbidden(.respondDelta, role: caller.role) }
        var reader = FieldReader()
        let today = platform.clock.today()
        let province: DeltaProvince?
        if case .province(let own) = caller.filter {
            province = own
        } else {
            province = reader.partner("province", input.province, label: "检查所在省份")
        }
        let uscc = reader.uscc("creditCode", input.creditCode, label: "被检查企业的统一社会信用代码")
        if uscc == nil, !reader.problems.contains(where: { $0.field == "creditCode" }) {
            reader.problems.append(FieldProblem("creditCode", "is required", chinese: "请填写被检查企业的统一社会信用代码"))
        }
        let types = reader.codes("types", input.types, label: "检查类型", as: InspectionType.self)
        if !reader.problems.contains(where: { $0.field == "types" }) { reader.problems += JointRules.problems(types: types) }
        let completedOn = reader.day("completedOn", input.completedOn, label: "检查完成日期", today: today, required: true)
        let conclusion = reader.code("conclusion", input.conclusion, label: "检查结论", as: InspectionConclusion.self)
        let reference = reader.text("reference", input.reference, label: "文书编号", maximum: 100)
        let summary = reader.text("summary", input.summary, label: "检查情况", maximum: 1_000, required: false, multiline: true)
        let problems = reader.problems
        return try await platform.write(by: caller) { write in
            var problems = problems
            var enterprise: EnterpriseModel?
            if let uscc, let province {
                enterprise = try await EnterpriseStore.find(usccs: [uscc], on: write.db)[uscc]
                if enterprise == nil {
                    problems.append(FieldProblem("creditCode", "names no registered enterprise", chinese: "平台上没有该统一社会信用代码的企业"))
                } else if DeltaProvince(uscc: uscc) != .shanghai {
                    problems.append(FieldProblem("creditCode", "is not a Shanghai enterprise", chinese: "互认的检查对象应为上海市的企业"))
                } else if !(try await DeltaStore.isLinked(uscc: uscc, with: province, on: write.db)) {
                    problems.append(
                        FieldProblem(
                            "creditCode", "is party to no link with the partner",
                            chinese: "该企业与\(province.name)的企业没有跨省委托生产关系，不在互认范围内"))
                }
            }
            guard problems.isEmpty, let enterprise, let province, let completedOn, let conclusion, let reference else {
                throw UseCaseError.invalid(problems)
            }
            let model = DeltaResultModel()
            model.id = GuidanceStore.newID(now: write.now)
            model.province = province.rawValue
            model.enterpriseID = try enterprise.requireID()
            model.targetName = enterprise.name
            model.targetUSCC = enterprise.uscc
            model.types = InspectorProfile.stored(types)
            model.completedOn = completedOn.description
            model.conclusion = conclusion.rawValue
            model.reference = reference
            model.summary = summary
            model.recordedOn = ShanghaiTime.day(of: write.now).description
            model.recordedBy = caller.audit.name
            model.status = PartnerResultStatus.recorded.rawValue
            model.version = 1
            try await model.create(on: write.db)
            try await write.audit(
                "delta.result.record", entityType: "delta_result", entityID: try model.requireID().uuidString, before: nil,
                after: try Audit.json([
                    "province": province.rawValue, "enterprise": enterprise.uscc, "types": model.types, "completedOn": model.completedOn,
                    "conclusion": conclusion.rawValue, "reference": reference,
                ]))
            return try await records([model], on: write.db)[0]
        }
    }

    /// Recognises a recorded result on the version read: the target's earliest inspection of the plan
    /// of those types still without a team is settled as recognised on the partner's day, with its
    /// conclusion and reference; where none waits, one is recorded so. A waiting inspection that also
    /// plans types the result does not cover (a licence inspection combined with a production one)
    /// keeps those, still planned, and the result is recorded as an inspection of its own in the same
    /// month. The plan counts the covered types done; the
    /// target's credit file reads it, and the key-supervision review weighs it as Shanghai's own.
    public func recognise(id: UUID, expecting version: Int?, by caller: Caller) async throws -> DeltaResultRecord {
        try caller.require(.writeDelta)
        return try await platform.write(by: caller) { write in
            let model = try await Self.undecided(id, expecting: version, on: write.db)
            let province = DeltaProvince(rawValue: model.province) ?? .jiangsu
            let types: [InspectionType] = InspectorProfile.codes(model.types)
            let today = ShanghaiTime.day(of: write.now)
            let completedOn = CivilDate(model.completedOn) ?? today
            let basis = JointRules.basis(province: province, reference: model.reference, completedOn: completedOn, summary: model.summary)
            let waiting = try await InspectionModel.query(on: write.db).filter(\.$targetID == model.enterpriseID)
                .filter(\.$status == InspectionStatus.planned.rawValue).sort(\.$plannedMonth).sort(\.$id).all()
                .first { !Set(InspectorProfile.codes($0.types, as: InspectionType.self)).isDisjoint(with: types) }
            // The waiting inspection's types the result does not cover stay planned on it.
            let planned = waiting.map { InspectorProfile.codes($0.types, as: InspectionType.self) } ?? []
            let uncovered = planned.filter { !types.contains($0) }
            if let waiting, !uncovered.isEmpty {
                let covered = planned.filter(types.contains)
                let before = waiting.types
                waiting.types = InspectorProfile.stored(uncovered)
                try await waiting.updateVersioned(on: write.db)
                let detail =
                    "\(covered.map(\.label).joined(separator: "、"))：\(basis)；本任务保留\(uncovered.map(\.label).joined(separator: "、"))，仍按计划实施"
                try await InspectionTaskStore.appendEvent(
                    to: try waiting.requireID(), kind: .recognised, on: today, detail: detail, by: caller.audit.name,
                    named: caller.displayName, at: write.now, on: write.db)
                try await write.audit(
                    "inspection.recognise", entityType: "inspection", entityID: try waiting.requireID().uuidString,
                    before: try Audit.json(["types": before]), after: try Audit.json(["types": waiting.types, "basis": basis]))
            }
            let settled = uncovered.isEmpty ? waiting : nil
            let inspection: InspectionModel
            if let settled {
                inspection = settled
            } else {
                guard let enterprise = try await EnterpriseModel.find(model.enterpriseID, on: write.db) else {
                    throw UseCaseError.notFound(.enterprise)
                }
                inspection = InspectionModel()
                inspection.id = InspectionTaskStore.newID(now: write.now)
                inspection.targetKind = InspectionTargetKind.enterprise.rawValue
                inspection.targetID = model.enterpriseID
                inspection.targetName = enterprise.name
                inspection.targetUSCC = enterprise.uscc
                inspection.district = enterprise.district
                inspection.park = enterprise.park
                inspection.types = model.types
                inspection.source = InspectionSource.recognition.rawValue
                inspection.plannedMonth = waiting?.plannedMonth
            }
            let before = settled?.status
            inspection.status = InspectionStatus.recognised.rawValue
            inspection.completedOn = completedOn.description
            inspection.closedOn = completedOn.description
            inspection.conclusion = model.conclusion
            inspection.conclusionReason = basis
            try await KeySupervisionUseCases.review(
                inspection, grades: [], closedWith: InspectionConclusion(rawValue: model.conclusion),
                policy: try await InspectionStore.policy(inForceOn: today, on: write.db), today: today, write: write)
            if settled == nil {
                inspection.version = 1
                try await inspection.create(on: write.db)
            } else {
                try await inspection.updateVersioned(on: write.db, always: true)
            }
            let inspectionID = try inspection.requireID()
            try await InspectionTaskStore.appendEvent(
                to: inspectionID, kind: .recognised, on: today, detail: basis, by: caller.audit.name,
                named: caller.displayName, at: write.now, on: write.db)
            try await write.audit(
                "inspection.recognise", entityType: "inspection", entityID: inspectionID.uuidString,
                before: try before.map { try Audit.json(["status": $0]) },
                after: try Audit.json(["status": inspection.status, "basis": basis]))
            model.status = PartnerResultStatus.recognised.rawValue
            model.inspectionID = inspectionID
            model.decidedOn = today.description
            model.decidedBy = caller.audit.name
            try await model.updateVersioned(on: write.db)
            try await write.audit(
                "delta.result.recognise", entityType: "delta_result", entityID: id.uuidString,
                before: try Audit.json(["status": PartnerResultStatus.recorded.rawValue]),
                after: try Audit.json(["status": model.status, "inspection": inspectionID.uuidString]))
            return try await records([model], on: write.db)[0]
        }
    }

    /// Declines a recorded result with the reason, on the version read.
    public func decline(id: UUID, reason: String?, expecting version: Int?, by caller: Caller) async throws -> DeltaResultRecord {
        try caller.require(.writeDelta)
        var reader = FieldReader()
        let reason = reader.text("reason", reason, label: "不予互认的理由", maximum: 500)
        let problems = reader.problems
        return try await platform.write(by: caller) { write in
            let model = try await Self.undecided(id, expecting: version, on: write.db)
            guard problems.isEmpty, let reason else { throw UseCaseError.invalid(problems) }
            model.status = PartnerResultStatus.declined.rawValue
            model.decidedOn = ShanghaiTime.day(of: write.now).description
            model.decidedBy = caller.audit.name
            model.declineReason = reason
            try await model.updateVersioned(on: write.db)
            try await write.audit(
                "delta.result.decline", entityType: "delta_result", entityID: id.uuidString,
                before: try Audit.json(["status": PartnerResultStatus.recorded.rawValue]),
                after: try Audit.json(["status": model.status, "reason": reason]))
            return try await records([model], on: write.db)[0]
        }
    }

    // MARK: Parts

    /// A result not yet decided, on the version read (a decided one is 409 naming `status`).
    private static func undecided(_ id: UUID, expecting version: Int?, on db: any Database) async throws -> DeltaResultModel {
        guard let model = try await DeltaStore.result(id, scope: .everything, on: db) else { throw UseCaseError.notFound(.deltaResult) }
        try model.check(basedOn: version, .deltaResult)
        guard model.status == PartnerResultStatus.recorded.rawValue else {
            let status = PartnerResultStatus(rawValue: model.status) ?? .recorded
            throw UseCaseError.conflict(FieldProblem("status", "is decided already", chinese: "该检查结果已认定（\(status.label)），不能再次认定"))
        }
        return model
    }

    func records(_ models: [DeltaResultModel], on db: any Database) async throws -> [DeltaResultRecord] {
        let people = try await People.labels(
            usernames: [], actors: models.flatMap { [$0.recordedBy] + ($0.decidedBy.map { [$0] } ?? []) }, on: db)
        let today = platform.clock.today()
        return try models.map { model in
            DeltaResultRecord(
                id: try model.requireID(), version: model.version, province: DeltaProvince(rawValue: model.province) ?? .jiangsu,
                enterpriseID: model.enterpriseID, targetName: model.targetName, targetUSCC: model.targetUSCC,
                types: InspectorProfile.codes(model.types), completedOn: CivilDate(model.completedOn) ?? today,
                conclusion: InspectionConclusion(rawValue: model.conclusion) ?? .compliant, reference: model.reference, summary: model.summary,
                recordedOn: CivilDate(model.recordedOn) ?? today, recordedBy: people[model.recordedBy] ?? model.recordedBy,
                status: PartnerResultStatus(rawValue: model.status) ?? .recorded, inspectionID: model.inspectionID,
                decidedOn: model.decidedOn.flatMap(CivilDate.init), decidedBy: model.decidedBy.map { people[$0] ?? $0 },
                declineReason: model.declineReason)
        }
    }
}

extension Platform {
    public var deltaResults: DeltaResultUseCases { DeltaResultUseCases(platform: self) }
}
