import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

/// A merge of an investigator registered twice into the other record: which sites it moved, why,
/// who did it and, once undone, who undid it.
public struct MergeRecord: Sendable, Equatable, Identifiable {
    public var id: UUID
    /// The record that stays.
    public var survivorID: UUID
    /// The record merged into it; it stays, naming the survivor.
    public var duplicateID: UUID
    public var siteIDs: [UUID]
    public var reason: String
    /// Who merged and who undid: for the registry's keepers and the regulator's reviewers.
    public var mergedBy: String?
    public var mergedAt: Date
    public var undoneBy: String?
    public var undoneAt: Date?

    public var undone: Bool { undoneAt != nil }

    init(_ model: InvestigatorMergeModel) throws {
        id = try model.requireID()
        survivorID = model.$survivor.id
        duplicateID = model.$duplicate.id
        siteIDs = model.siteIDs
        reason = model.reason
        mergedBy = model.mergedBy
        mergedAt = model.mergedAt
        undoneBy = model.undoneBy
        undoneAt = model.undoneAt
    }
}

/// Two people of one name at one institution who share something else besides: likely one person
/// registered twice, for an officer to merge or leave.
public struct LikelyDuplicatePair: Sendable, Equatable {
    public var first: InvestigatorRecord
    public var second: InvestigatorRecord
    /// What they share besides the name, in Chinese (专业、职称、GCP培训日期).
    public var matching: [String]
}

extension TrialUseCases {
    /// The likely duplicates among the investigators the caller keeps: every pair of one name at
    /// one institution that matches in another field (as the investigators sheet's import reports them).
    public func likelyDuplicates(by caller: Caller) async throws -> [LikelyDuplicatePair] {
        try caller.require(.writeTrialRegistry)
        let policy = try await self.policy()
        var pairs: [LikelyDuplicatePair] = []
        for group in try await TrialStore.namesakes(scope: caller.filter, on: platform.database) {
            for (index, a) in group.enumerated() {
                for b in group[(index + 1)...] {
                    let matching = LikelyDuplicate.matching((a.specialty, a.title, a.gcpTrainedOn), (b.specialty, b.title, b.gcpTrainedOn))
                    guard !matching.isEmpty else { continue }
                    pairs.append(
                        LikelyDuplicatePair(
                            first: try InvestigatorRecord(a, policy: policy), second: try InvestigatorRecord(b, policy: policy), matching: matching))
                }
            }
        }
        return pairs
    }

    /// The merges an investigator took part in, newest first.
    public func merges(of investigator: UUID, by caller: Caller) async throws -> [MergeRecord] {
        try caller.require(.readTrials)
        guard try await TrialStore.investigator(id: investigator, scope: caller.filter, on: platform.database) != nil else {
            throw UseCaseError.notFound(.investigator)
        }
        let named = caller.may(.writeTrialRegistry) || caller.may(.readConfidentialReview)
        return try await TrialStore.merges(of: investigator, on: platform.database).map { model in
            var merge = try MergeRecord(model)
            if !named { (merge.mergedBy, merge.undoneBy) = (nil, nil) }
            return merge
        }
    }

    /// Merges `duplicate` into `survivor` — the same person at the same institution registered
    /// twice: the duplicate's sites move to the survivor, whose load is counted again; the duplicate
    /// stays, naming the survivor, out of the lists. Each trial whose site moved gets a timeline
    /// event; one `investigator.merge` audit row. The registry's keepers only (an institution's
    /// office for its own people); undone by `undoMerge`.
    public func merge(duplicate: String?, into survivor: UUID, reason: String?, by caller: Caller) async throws -> MergeRecord {
        try caller.require(.writeTrialRegistry)
        var reader = FieldReader()
        let duplicateID = reader.id("duplicateId", duplicate, label: "要并入的研究者")
        let reason = reader.text("reason", reason, label: "合并理由", maximum: 500)
        let read = reader.problems
        return try await platform.write(by: caller) { write in
            guard let kept = try await TrialStore.investigator(id: survivor, scope: caller.filter, on: write.db) else {
                throw UseCaseError.notFound(.investigator)
            }
            var problems = read
            var merged: InvestigatorModel?
            if let duplicateID {
                merged = try await TrialStore.investigator(id: duplicateID, scope: caller.filter, on: write.db)
                if merged == nil {
                    problems.append(FieldProblem("duplicateId", "names no investigator you keep", chinese: "要并入的研究者不存在，或不在您的权限范围内"))
                } else if duplicateID == survivor {
                    problems.append(FieldProblem("duplicateId", "is the investigator itself", chinese: "不能把研究者并入其本人"))
                }
            }
            if kept.mergedInto != nil {
                problems.append(FieldProblem("id", "was merged into another record", chinese: "该研究者记录已并入另一条记录，不能再接收合并"))
            }
            if let merged, merged.id != kept.id {
                if merged.$institution.id != kept.$institution.id {
                    problems.append(FieldProblem("duplicateId", "works at another institution", chinese: "两位研究者不在同一机构，不能合并"))
                } else if merged.mergedInto != nil {
                    problems.append(FieldProblem("duplicateId", "was merged already", chinese: "该研究者记录已合并过"))
                }
            }
            guard problems.isEmpty, let merged, let reason else { throw UseCaseError.invalid(problems) }
            let mergedID = try merged.requireID()
            let sites = try await TrialStore.sites(ofInvestigator: mergedID, on: write.db)
            let siteIDs = try sites.map { try $0.requireID() }
            try await TrialStore.move(sites: siteIDs, to: survivor, on: write.db)
            merged.mergedInto = survivor
            try await merged.updateVersioned(on: write.db)
            try await TrialStore.keepLoads(of: [survivor, mergedID], on: write.db)
            let record = InvestigatorMergeModel()
            record.$survivor.id = survivor
            record.$duplicate.id = mergedID
            record.siteIDs = siteIDs
            record.reason = reason
            record.mergedBy = caller.audit.name
            record.mergedAt = write.now
            try await record.create(on: write.db)
            try await Self.appendMoves(
                sites, detail: "研究者合并：\(merged.name)（\(mergedID.uuidString.prefix(8))）并入 \(kept.name)（\(survivor.uuidString.prefix(8))）",
                write: write, caller: caller, today: platform.clock.today())
            let merge = try MergeRecord(record)
            try await write.audit(
                "investigator.merge", entityType: "investigator", entityID: survivor.uuidString, before: nil,
                after: try Audit.json(MergeAudit(merge)))
            return merge
        }
    }

    /// Undoes a merge: the sites it moved that are still with the survivor go back, the merged
    /// record is listed again, both loads are counted again; `investigator.merge.undo`.
    public func undoMerge(_ id: UUID, by caller: Caller) async throws -> MergeRecord {
        try caller.require(.writeTrialRegistry)
        return try await platform.write(by: caller) { write in
            guard let record = try await InvestigatorMergeModel.find(id, on: write.db),
                let survivor = try await TrialStore.investigator(id: record.$survivor.id, scope: caller.filter, on: write.db),
                let merged = try await TrialStore.investigator(id: record.$duplicate.id, scope: caller.filter, on: write.db)
            else { throw UseCaseError.notFound(.merge) }
            guard record.undoneAt == nil else {
                throw UseCaseError.conflict(FieldProblem("id", "was undone already", chinese: "该合并已撤销"))
            }
            // Its sites went on with the survivor: that merge is undone first.
            guard survivor.mergedInto == nil else {
                throw UseCaseError.conflict(
                    FieldProblem("id", "the survivor was merged into another record since", chinese: "保留的记录此后又并入了另一条记录，请先撤销那次合并"))
            }
            let (survivorID, mergedID) = (try survivor.requireID(), try merged.requireID())
            let stillThere = try await TrialStore.sites(ofInvestigator: survivorID, on: write.db).filter { site in
                site.id.map(record.siteIDs.contains) ?? false
            }
            try await TrialStore.move(sites: try stillThere.map { try $0.requireID() }, to: mergedID, on: write.db)
            merged.mergedInto = nil
            try await merged.updateVersioned(on: write.db)
            try await TrialStore.keepLoads(of: [survivorID, mergedID], on: write.db)
            record.undoneBy = caller.audit.name
            record.undoneAt = write.now
            try await record.update(on: write.db)
            try await Self.appendMoves(
                stillThere, detail: "撤销研究者合并：\(merged.name)（\(mergedID.uuidString.prefix(8))）恢复为单独记录", write: write, caller: caller,
                today: platform.clock.today())
            let undone = try MergeRecord(record)
            try await write.audit(
                "investigator.merge.undo", entityType: "investigator", entityID: survivorID.uuidString, before: try Audit.json(MergeAudit(undone)),
                after: try Audit.json(["undoneBy": caller.audit.name, "sitesMovedBack": "\(stillThere.count)"]))
            return undone
        }
    }

    /// One timeline event for each site a merge moved, on its trial.
    private static func appendMoves(_ sites: [TrialSiteModel], detail: String, write: Write, caller: Caller, today: CivilDate) async throws {
        for site in sites {
            try await TrialStore.append(
                .siteChanged, to: site.$trial.id, on: today, site: try site.requireID(), detail: detail, recordedBy: caller.audit.name, at: write.now,
                on: write.db)
        }
    }
}

/// What the audit row of a merge records.
private struct MergeAudit: Encodable {
    var mergeId: String
    var survivorId: String
    var duplicateId: String
    var siteIds: [String]
    var reason: String

    init(_ merge: MergeRecord) {
        mergeId = merge.id.uuidString
        survivorId = merge.survivorID.uuidString
        duplicateId = merge.duplicateID.uuidString
        siteIds = merge.siteIDs.map(\.uuidString)
        reason = merge.reason
    }
}
