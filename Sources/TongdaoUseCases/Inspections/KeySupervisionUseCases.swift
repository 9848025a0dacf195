import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

/// One stay of a target on the key-supervision list, as its pages and the API show it.
public struct KeySupervisionRecord: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var version: Int
    public var targetKind: InspectionTargetKind
    public var targetID: UUID
    public var targetName: String
    public var district: String?
    public var status: KeySupervisionStatus
    public var reason: String
    /// The inspection whose conclusion proposed it.
    public var inspectionID: UUID?
    public var proposedOn: CivilDate
    /// Who proposed it, by name (the platform itself for a conclusion's proposal).
    public var proposedBy: String
    public var decidedOn: CivilDate?
    public var decidedBy: String?
    public var decisionReason: String?
    public var listedOn: CivilDate?
    public var removalReason: String?
    public var removalProposedOn: CivilDate?
    public var removedOn: CivilDate?
}

/// The key-supervision list (重点监管名单, issue 18 item 4): proposed by a conclusion with a severe
/// finding or by the regulator for a systemic risk; confirmed or declined with a reason; listed
/// targets planned at the list's frequency; proposed for removal after the policy's compliant
/// inspections in a row, and removed or kept by the regulator. Each entry is kept: the history.
public struct KeySupervisionUseCases: Sendable {
    let platform: Platform

    /// The entries, newest first: the live ones (proposed, listed, proposed for removal) unless all
    /// are asked for; a target's history when it is named.
    public func list(
        status: String? = nil, all: Bool = false, target: String? = nil, limit: Int = 50, cursor: String? = nil, by caller: Caller
    ) async throws -> Page<KeySupervisionRecord> {
        try caller.require(.readInspectors)
        var reader = FieldReader()
        let status = reader.code("status", status, label: "名单状态", as: KeySupervisionStatus.self, required: false)
        guard reader.problems.isEmpty else { throw UseCaseError.malformed(reader.problems) }
        let statuses = status.map { [$0] } ?? (all || target != nil ? nil : KeySupervisionStatus.allCases.filter(\.isLive))
        let page = try await KeySupervisionStore.list(
            statuses: statuses, target: RecordID.filter(target), limit: limit, after: try Cursor.id(cursor), on: platform.database)
        return Page(
            items: try await records(page.rows, on: platform.database), next: page.more ? page.rows.last?.id.map { PageCursor(id: $0).token } : nil)
    }

    /// The regulator proposes a target for a systemic risk.
    public func propose(targetKind: String?, targetID: String?, reason: String?, by caller: Caller) async throws -> KeySupervisionRecord {
        try caller.require(.manageInspections)
        let today = platform.clock.today()
        var reader = FieldReader()
        let kind = reader.code("targetKind", targetKind, label: "对象类型", as: InspectionTargetKind.self)
        let id = reader.id("targetID", targetID, label: "对象")
        let reason = reader.text("reason", reason, label: "列入理由", maximum: 500)
        let problems = reader.problems
        let targets = try await InspectionStore.targets(on: platform.database)
        return try await platform.write(by: caller, conflict: Self.listedAlready) { write in
            guard problems.isEmpty, let kind, let id, let reason else { throw UseCaseError.invalid(problems) }
            guard let facts = targets.first(where: { $0.target.id == id && $0.target.kind == kind }) else {
                throw UseCaseError.invalid([FieldProblem("targetID", "names no inspection target", chinese: "没有该检查对象")])
            }
            guard
                let entry = try await KeySupervisionStore.propose(
                    .init(facts), reason: reason, inspection: nil, on: today, by: caller.audit.name, now: write.now, on: write.db)
            else { throw UseCaseError.conflict(Self.listedAlready) }
            try await write.audit(
                "key_supervision.propose", entityType: "key_supervision", entityID: try entry.requireID().uuidString, before: nil,
                after: try Audit.json(["target": facts.target.name, "reason": reason]))
            return try await records([entry], on: write.db)[0]
        }
    }

    public static let listedAlready = FieldProblem(
        "targetID", "is on the list or proposed already", chinese: "该对象已在重点监管名单中或已被提议列入")

    /// The regulator's decision on a proposal (list it, or decline with the reason) or on a proposed
    /// removal (remove it, or keep it with the reason).
    public func decide(id: UUID, confirm: Bool, reason: String?, expecting version: Int?, by caller: Caller) async throws -> KeySupervisionRecord {
        try caller.require(.manageInspections)
        let today = platform.clock.today()
        var reader = FieldReader()
        let reason = reader.text("reason", reason, label: "决定理由", maximum: 500, required: !confirm)
        let problems = reader.problems
        return try await platform.write(by: caller) { write in
            guard let entry = try await KeySupervisionStore.find(id: id, on: write.db) else { throw UseCaseError.notFound(.keySupervision) }
            try entry.check(basedOn: version, .keySupervision)
            guard problems.isEmpty else { throw UseCaseError.invalid(problems) }
            let before = entry.state
            switch (before, confirm) {
            case (.proposed, true):
                entry.set(.listed)
                entry.listedOn = today.description
            case (.proposed, false):
                entry.set(.declined)
            case (.removalProposed, true):
                entry.set(.removed)
                entry.removedOn = today.description
            case (.removalProposed, false):
                // Kept on the list: the compliant run counts again from today.
                entry.set(.listed)
                entry.listedOn = today.description
                entry.removalProposedOn = nil
            default:
                throw UseCaseError.invalid([
                    FieldProblem("status", "has nothing to decide", chinese: "该名单记录当前为“\(before.label)”，没有待决定的事项")
                ])
            }
            entry.decidedOn = today.description
            entry.decidedBy = caller.audit.name
            entry.decisionReason = reason
            try await entry.updateVersioned(on: write.db)
            try await write.audit(
                "key_supervision.decide", entityType: "key_supervision", entityID: id.uuidString, before: try Audit.json(["status": before.rawValue]),
                after: try Audit.json(["status": entry.status, "reason": reason ?? ""]))
            return try await records([entry], on: write.db)[0]
        }
    }

    /// After a conclusion (or a grade raised, or a closure, or a partner's result recognised) inside
    /// its write, before the inspection is saved: a severe finding proposes the target; a listed
    /// target's compliant run (`conclusions` since it was listed, this one last — if it too was
    /// carried out since) proposes its removal. Each with its audit row.
    static func review(
        _ inspection: InspectionModel, grades: [FindingGrade], closedWith conclusion: InspectionConclusion?, policy: InspectionPolicy,
        today: CivilDate,
        write: Write
    ) async throws {
        if let reason = KeySupervisionRule.proposal(for: grades),
            let entry = try await KeySupervisionStore.propose(
                .init(inspection), reason: reason, inspection: inspection.id, on: today, by: write.caller.audit.name, now: write.now, on: write.db)
        {
            try await write.audit(
                "key_supervision.propose", entityType: "key_supervision", entityID: try entry.requireID().uuidString, before: nil,
                after: try Audit.json(["target": inspection.targetName, "reason": reason]))
        }
        guard let conclusion, let entry = try await KeySupervisionStore.live(target: inspection.targetID, on: write.db), entry.state == .listed,
            let listedOn = entry.listedOn, (inspection.completedOn ?? today.description) >= listedOn
        else { return }
        let earlier = try await KeySupervisionStore.conclusions(of: inspection.targetID, since: listedOn, on: write.db)
        guard let reason = KeySupervisionRule.removal(conclusions: earlier + [conclusion], needed: policy.keySupervisionExitCompliant) else { return }
        entry.set(.removalProposed)
        entry.removalReason = reason
        entry.removalProposedOn = today.description
        try await entry.updateVersioned(on: write.db)
        try await write.audit(
            "key_supervision.removal_propose", entityType: "key_supervision", entityID: try entry.requireID().uuidString,
            before: try Audit.json(["status": KeySupervisionStatus.listed.rawValue]),
            after: try Audit.json(["status": entry.status, "reason": reason]))
    }

    func records(_ models: [KeySupervisionEntryModel], on db: any Database) async throws -> [KeySupervisionRecord] {
        let actors = models.flatMap { [$0.proposedBy] + ($0.decidedBy.map { [$0] } ?? []) }
        let names = try await People.labels(usernames: [], actors: actors, on: db)
        return try models.map { model in
            KeySupervisionRecord(
                id: try model.requireID(), version: model.version, targetKind: InspectionTargetKind(rawValue: model.targetKind) ?? .enterprise,
                targetID: model.targetID, targetName: model.targetName, district: model.district, status: model.state, reason: model.reason,
                inspectionID: model.inspectionID, proposedOn: CivilDate(model.proposedOn) ?? platform.clock.today(),
                proposedBy: names[model.proposedBy] ?? model.proposedBy, decidedOn: model.decidedOn.flatMap(CivilDate.init),
                decidedBy: model.decidedBy.map { names[$0] ?? $0 }, decisionReason: model.decisionReason,
                listedOn: model.listedOn.flatMap(CivilDate.init),
                removalReason: model.removalReason, removalProposedOn: model.removalProposedOn.flatMap(CivilDate.init),
                removedOn: model.removedOn.flatMap(CivilDate.init))
        }
    }
}

extension Platform {
    public var keySupervision: KeySupervisionUseCases { KeySupervisionUseCases(platform: self) }
}
