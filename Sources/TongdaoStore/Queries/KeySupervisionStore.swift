import FluentKit
import FluentSQL
import Foundation
import SQLKit
import TongdaoCore

/// The key-supervision list as stored. No audit, transaction or permission here: those are the use
/// case's.
public enum KeySupervisionStore {
    /// A target's live entry (proposed, listed or proposed for removal), if any.
    public static func live(target: UUID, on database: any Database) async throws -> KeySupervisionEntryModel? {
        try await KeySupervisionEntryModel.query(on: database).filter(\.$targetID == target).filter(\.$live == true).first()
    }

    /// The targets planned at the list's frequency (listed, or listed and proposed for removal).
    public static func supervised(on database: any Database) async throws -> Set<UUID> {
        let rows = try await KeySupervisionEntryModel.query(on: database)
            .filter(\.$status ~~ [KeySupervisionStatus.listed.rawValue, KeySupervisionStatus.removalProposed.rawValue]).all()
        return Set(rows.map(\.targetID))
    }

    /// Entries in these states (every one when nil), newest first; a target's whole history when named.
    public static func list(
        statuses: [KeySupervisionStatus]?, target: UUID? = nil, limit: Int, after: UUID?, on database: any Database
    ) async throws -> (rows: [KeySupervisionEntryModel], more: Bool) {
        let query = KeySupervisionEntryModel.query(on: database)
        if let statuses { query.filter(\.$status ~~ statuses.map(\.rawValue)) }
        if let target { query.filter(\.$targetID == target) }
        if let after { query.filter(\.$id < after) }
        return try await query.sort(\.$id, .descending).page(limit: limit)
    }

    public static func find(id: UUID, on database: any Database) async throws -> KeySupervisionEntryModel? {
        try await KeySupervisionEntryModel.find(id, on: database)
    }

    /// A target as the list names and places it.
    public struct Target: Sendable, Equatable {
        public var kind: InspectionTargetKind
        public var id: UUID
        public var name: String
        public var uscc: String?
        public var district: String?
        public var park: String?

        public init(_ inspection: InspectionModel) {
            kind = InspectionTargetKind(rawValue: inspection.targetKind) ?? .enterprise
            id = inspection.targetID
            name = inspection.targetName
            uscc = inspection.targetUSCC
            district = inspection.district
            park = inspection.park
        }

        public init(_ facts: InspectionStore.TargetFacts) {
            kind = facts.target.kind
            id = facts.target.id
            name = facts.target.name
            uscc = facts.uscc
            district = facts.target.district
            park = facts.park
        }
    }

    /// Proposes a target unless it has a live entry already; the new entry, or nil.
    public static func propose(
        _ target: Target, reason: String, inspection: UUID?, on day: CivilDate, by actor: String, now: Date, on database: any Database
    ) async throws -> KeySupervisionEntryModel? {
        guard try await live(target: target.id, on: database) == nil else { return nil }
        let entry = KeySupervisionEntryModel()
        entry.id = TimeOrderedID.make(now: now)
        entry.targetKind = target.kind.rawValue
        entry.targetID = target.id
        entry.targetName = target.name
        entry.targetUSCC = target.uscc
        entry.district = target.district
        entry.park = target.park
        entry.set(.proposed)
        entry.reason = reason
        entry.inspectionID = inspection
        entry.proposedOn = day.description
        entry.proposedBy = actor
        entry.version = 1
        try await entry.create(on: database)
        return entry
    }

    /// The conclusions of a target's inspections carried out on or after a day, oldest first — a
    /// partner's result recognised in an inspection's stead counting as its conclusion.
    public static func conclusions(of target: UUID, since day: String, on database: any Database) async throws -> [InspectionConclusion] {
        try await InspectionModel.query(on: database).filter(\.$targetID == target)
            .filter(\.$status ~~ InspectionStatus.concluded.map(\.rawValue))
            .filter(\.$completedOn >= day).sort(\.$completedOn).sort(\.$id).all()
            .compactMap { $0.conclusion.flatMap(InspectionConclusion.init(rawValue:)) }
    }
}
