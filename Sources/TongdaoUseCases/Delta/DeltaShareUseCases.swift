import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

/// A confidentiality commitment with a partner province's regulator.
public struct DeltaCommitmentRecord: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var province: DeltaProvince
    public var signedOn: CivilDate
    public var endsOn: CivilDate?
    public var reference: String
    public var recordedBy: String
    public var inForce: Bool
}

/// A closed inspection's result as shared with a partner: only the fields shared are filled.
public struct DeltaShareRecord: Sendable, Equatable, Identifiable {
    public struct Finding: Sendable, Equatable {
        public var number: Int
        public var clause: String
        public var grade: FindingGrade
        public var description: String
        /// Only when the evidence was shared.
        public var evidence: String?
    }

    public var id: UUID
    public var version: Int
    public var inspectionID: UUID
    public var targetName: String
    public var targetUSCC: String?
    public var closedOn: CivilDate?
    public var province: DeltaProvince
    public var fields: [SharedField]
    public var note: String?
    public var sharedOn: CivilDate
    public var sharedBy: String
    public var withdrawnOn: CivilDate?
    public var withdrawnBy: String?
    public var withdrawReason: String?
    /// The partner's recognition of the result (结果互认): when, by whom, under its reference.
    public var recognisedOn: CivilDate?
    public var recognisedBy: String?
    public var recognitionReference: String?
    public var conclusion: InspectionConclusion?
    public var conclusionReason: String?
    public var findings: [Finding]
}

/// A share as typed.
public struct DeltaShareInput: Sendable, Equatable {
    public var inspection: String?
    public var province: String?
    public var fields: [String]
    public var note: String?

    public init(inspection: String? = nil, province: String? = nil, fields: [String] = [], note: String? = nil) {
        self.inspection = inspection
        self.province = province
        self.fields = fields
        self.note = note
    }
}

/// A commitment as typed.
public struct DeltaCommitmentInput: Sendable, Equatable {
    public var province: String?
    public var signedOn: String?
    public var endsOn: String?
    public var reference: String?

    public init(province: String? = nil, signedOn: String? = nil, endsOn: String? = nil, reference: String? = nil) {
        self.province = province
        self.signedOn = signedOn
        self.endsOn = endsOn
        self.reference = reference
    }
}

/// Sharing with a partner province (issue 21): the city's regulator shares a closed inspection's
/// result with a partner's regulator field by field — its conclusion, its findings, and their
/// evidence notes only under a confidentiality commitment with that partner in force —, and may
/// withdraw a share, which the partner then no longer reads. Every share and withdrawal is audited.
public struct DeltaShareUseCases: Sendable {
    let platform: Platform

    // MARK: Reads

    /// The shares in reach: the city's side every one (withdrawn ones too), a partner those shared
    /// with it and still standing; optionally of one inspection.
    public func list(inspection: String? = nil, by caller: Caller) async throws -> [DeltaShareRecord] {
        try caller.require(.readDelta)
        var reader = FieldReader()
        let inspection = reader.id("inspection", inspection.nonBlank, label: "检查", required: false)
        try reader.check()
        let models = try await DeltaStore.shares(scope: caller.filter, inspection: inspection, on: platform.database)
        return try await records(models, on: platform.database)
    }

    /// One share in reach (a withdrawn one is as missing to the partner: 404).
    public func detail(id: UUID, by caller: Caller) async throws -> DeltaShareRecord {
        try caller.require(.readDelta)
        guard let model = try await DeltaStore.share(id, scope: caller.filter, on: platform.database) else {
            throw UseCaseError.notFound(.deltaShare)
        }
        return try await records([model], on: platform.database)[0]
    }

    /// The commitments on record: the city's side every one, a partner its own.
    public func commitments(by caller: Caller) async throws -> [DeltaCommitmentRecord] {
        try caller.require(.readDelta)
        let province: DeltaProvince?
        switch caller.filter {
        case .everything: province = nil
        case .province(let own): province = own
        case .districts, .park, .enterprise, .institution: return []
        }
        let today = platform.clock.today()
        return try await DeltaStore.commitments(province: province, on: platform.database).map { try Self.record($0, today: today) }
    }

    /// The closed inspections that may be shared, the latest closed first: id and "target（closed on）".
    public func shareable(by caller: Caller) async throws -> [(id: UUID, label: String)] {
        try caller.require(.writeDelta)
        return try await InspectionModel.query(on: platform.database).filter(\.$status == InspectionStatus.completed.rawValue)
            .filter(\.$closedOn != nil).sort(\.$closedOn, .descending).limit(300).all()
            .map { (try $0.requireID(), "\($0.targetName)（\($0.closedOn ?? "") 结案）") }
    }

    // MARK: Writes

    /// Shares a closed inspection's result with a partner province, the fields chosen.
    public func share(_ input: DeltaShareInput, by caller: Caller) async throws -> DeltaShareRecord {
        try caller.require(.writeDelta)
        var reader = FieldReader()
        let inspectionID = reader.id("inspection", input.inspection, label: "检查")
        let province = reader.partner("province", input.province, label: "共享对象")
        let fields = Set(reader.codes("fields", input.fields, label: "共享内容", as: SharedField.self))
        let note = reader.text("note", input.note, label: "说明", maximum: 1_000, required: false, multiline: true)
        let today = platform.clock.today()
        let problems = reader.problems
        return try await platform.write(by: caller) { write in
            var problems = problems
            var inspection: InspectionModel?
            if let inspectionID {
                inspection = try await InspectionModel.find(inspectionID, on: write.db)
                if inspection == nil { problems.append(FieldProblem("inspection", "names no inspection", chinese: "没有该检查")) }
            }
            if let inspection, let province, !problems.contains(where: { $0.field == "fields" }) {
                let commitments = try await DeltaStore.commitments(province: province, on: write.db)
                let inForce = try commitments.contains { try Self.record($0, today: today).inForce }
                problems += ShareRules.problems(
                    fields: fields, closed: inspection.status == InspectionStatus.completed.rawValue && inspection.closedOn != nil,
                    commitmentInForce: inForce, province: province)
                let standing = try await DeltaStore.shares(scope: .province(province), inspection: inspectionID, on: write.db)
                if problems.isEmpty, !standing.isEmpty {
                    throw UseCaseError.conflict(
                        FieldProblem("inspection", "is shared with this partner already", chinese: "该检查结果已与\(province.name)共享：如需改变共享内容，请先撤回"))
                }
            }
            guard problems.isEmpty, let inspection, let province else { throw UseCaseError.invalid(problems) }
            let model = DeltaShareModel()
            model.id = GuidanceStore.newID(now: write.now)
            model.inspectionID = try inspection.requireID()
            model.province = province.rawValue
            model.fields = InspectorProfile.stored(Array(fields))
            model.note = note
            model.sharedOn = ShanghaiTime.day(of: write.now).description
            model.sharedBy = caller.audit.name
            model.version = 1
            try await model.create(on: write.db)
            try await write.audit(
                "delta.share.create", entityType: "delta_share", entityID: try model.requireID().uuidString, before: nil,
                after: try Audit.json(["inspection": model.inspectionID.uuidString, "province": model.province, "fields": model.fields]))
            return try await records([model], on: write.db)[0]
        }
    }

    /// Withdraws a standing share, with why, on the version read: the partner no longer reads it.
    public func withdraw(id: UUID, reason: String?, expecting version: Int?, by caller: Caller) async throws -> DeltaShareRecord {
        try caller.require(.writeDelta)
        var reader = FieldReader()
        let reason = reader.text("reason", reason, label: "撤回原因", maximum: 500)
        let problems = reader.problems
        return try await platform.write(by: caller) { write in
            guard let model = try await DeltaStore.share(id, scope: .everything, on: write.db) else { throw UseCaseError.notFound(.deltaShare) }
            try model.check(basedOn: version, .deltaShare)
            guard model.withdrawnOn == nil else {
                throw UseCaseError.conflict(FieldProblem("reason", "is withdrawn already", chinese: "该共享已撤回"))
            }
            guard problems.isEmpty, let reason else { throw UseCaseError.invalid(problems) }
            model.withdrawnOn = ShanghaiTime.day(of: write.now).description
            model.withdrawnBy = caller.audit.name
            model.withdrawReason = reason
            try await model.updateVersioned(on: write.db)
            try await write.audit(
                "delta.share.withdraw", entityType: "delta_share", entityID: id.uuidString, before: try Audit.json(["withdrawn": "no"]),
                after: try Audit.json(["withdrawn": model.withdrawnOn ?? "", "reason": reason]))
            return try await records([model], on: write.db)[0]
        }
    }

    /// The partner recognises a standing share as its own inspection's result (结果互认), under its own
    /// reference, on the version read: once (a second is 409 naming `reference`).
    public func recognise(id: UUID, reference: String?, expecting version: Int?, by caller: Caller) async throws -> DeltaShareRecord {
        try caller.require(.respondDelta)
        var reader = FieldReader()
        let reference = reader.text("reference", reference, label: "互认文书编号", maximum: 100)
        let problems = reader.problems
        return try await platform.write(by: caller) { write in
            guard let model = try await DeltaStore.share(id, scope: caller.filter, on: write.db) else { throw UseCaseError.notFound(.deltaShare) }
            try model.check(basedOn: version, .deltaShare)
            guard model.recognisedOn == nil else {
                throw UseCaseError.conflict(FieldProblem("reference", "is recognised already", chinese: "该检查结果已互认"))
            }
            guard problems.isEmpty, let reference else { throw UseCaseError.invalid(problems) }
            model.recognisedOn = ShanghaiTime.day(of: write.now).description
            model.recognisedBy = caller.audit.name
            model.recognitionReference = reference
            try await model.updateVersioned(on: write.db)
            try await write.audit(
                "delta.share.recognise", entityType: "delta_share", entityID: id.uuidString, before: try Audit.json(["recognised": "no"]),
                after: try Audit.json(["recognised": model.recognisedOn ?? "", "reference": reference]))
            return try await records([model], on: write.db)[0]
        }
    }

    /// Records a confidentiality commitment with a partner province: signed on a day not to come,
    /// in force until its last day (none: until another is recorded).
    public func recordCommitment(_ input: DeltaCommitmentInput, by caller: Caller) async throws -> DeltaCommitmentRecord {
        try caller.require(.writeDelta)
        var reader = FieldReader()
        let today = platform.clock.today()
        let province = reader.partner("province", input.province, label: "省份")
        let signedOn = reader.day("signedOn", input.signedOn, label: "签署日期", today: today, required: true)
        let endsOn = reader.anyDay("endsOn", input.endsOn.nonBlank, label: "有效期至")
        if let signedOn, let endsOn, endsOn < signedOn {
            reader.problems.append(FieldProblem("endsOn", "is before it was signed", chinese: "有效期早于签署日期"))
        }
        let reference = reader.text("reference", input.reference, label: "文号", maximum: 100)
        let problems = reader.problems
        return try await platform.write(by: caller) { write in
            guard problems.isEmpty, let province, let signedOn, let reference else { throw UseCaseError.invalid(problems) }
            let model = DeltaCommitmentModel()
            model.id = GuidanceStore.newID(now: write.now)
            model.province = province.rawValue
            model.signedOn = signedOn.description
            model.endsOn = endsOn?.description
            model.reference = reference
            model.recordedBy = caller.audit.name
            try await model.create(on: write.db)
            try await write.audit(
                "delta.commitment.record", entityType: "delta_commitment", entityID: try model.requireID().uuidString, before: nil,
                after: try Audit.json(["province": province.rawValue, "signedOn": signedOn.description, "endsOn": endsOn?.description ?? ""]))
            return try Self.record(model, today: ShanghaiTime.day(of: write.now))
        }
    }

    // MARK: Parts

    static func record(_ model: DeltaCommitmentModel, today: CivilDate) throws -> DeltaCommitmentRecord {
        let signed = CivilDate(model.signedOn) ?? today
        let ends = model.endsOn.flatMap(CivilDate.init)
        return DeltaCommitmentRecord(
            id: try model.requireID(), province: DeltaProvince(rawValue: model.province) ?? .jiangsu, signedOn: signed, endsOn: ends,
            reference: model.reference, recordedBy: model.recordedBy, inForce: signed <= today && (ends.map { today <= $0 } ?? true))
    }

    func records(_ models: [DeltaShareModel], on db: any Database) async throws -> [DeltaShareRecord] {
        let ids = Array(Set(models.map(\.inspectionID)))
        let inspections = try await DeltaStore.inspections(ids, on: db)
        let findings = try await InspectionTaskStore.findings(of: ids, on: db)
        let people = try await People.labels(
            usernames: [], actors: models.flatMap { [$0.sharedBy] + [$0.withdrawnBy, $0.recognisedBy].compactMap { $0 } }, on: db)
        let today = platform.clock.today()
        return try models.map { model in
            let fields = InspectorProfile.codes(model.fields, as: SharedField.self)
            let inspection = inspections[model.inspectionID]
            return DeltaShareRecord(
                id: try model.requireID(), version: model.version, inspectionID: model.inspectionID, targetName: inspection?.targetName ?? "",
                targetUSCC: inspection?.targetUSCC, closedOn: inspection?.closedOn.flatMap(CivilDate.init),
                province: DeltaProvince(rawValue: model.province) ?? .jiangsu, fields: fields, note: model.note,
                sharedOn: CivilDate(model.sharedOn) ?? today, sharedBy: people[model.sharedBy] ?? model.sharedBy,
                withdrawnOn: model.withdrawnOn.flatMap(CivilDate.init), withdrawnBy: model.withdrawnBy.map { people[$0] ?? $0 },
                withdrawReason: model.withdrawReason, recognisedOn: model.recognisedOn.flatMap(CivilDate.init),
                recognisedBy: model.recognisedBy.map { people[$0] ?? $0 }, recognitionReference: model.recognitionReference,
                conclusion: fields.contains(.conclusion) ? inspection?.conclusion.flatMap(InspectionConclusion.init(rawValue:)) : nil,
                conclusionReason: fields.contains(.conclusion) ? inspection?.conclusionReason : nil,
                findings: fields.contains(.findings)
                    ? (findings[model.inspectionID] ?? []).map { DeltaShareRecord.Finding($0, evidence: fields.contains(.evidence)) } : [])
        }
    }
}

extension Platform {
    public var deltaShares: DeltaShareUseCases { DeltaShareUseCases(platform: self) }
}
