import FluentKit
import FluentSQL
import Foundation
import SQLKit
import TongdaoCore

/// A party's credit file as stored and as gathered: the events recorded by hand, and those read from
/// the inspections closed and the key-supervision list. No audit, transaction or permission here.
public enum CreditStore {
    /// Every version of the credit policy, by the day each is in force from.
    public static func policies(on database: any Database) async throws -> [CreditPolicy] {
        try await PolicyStore.versions(CreditPolicy.self, key: PlatformSetting.Key.creditPolicy, on: database)
    }

    /// A party as its credit file names it.
    public struct Party: Sendable, Equatable {
        public var kind: InspectionTargetKind
        public var id: UUID
        public var name: String
        public var uscc: String?
        public var district: String?
        public var park: String?

        public init(kind: InspectionTargetKind, id: UUID, name: String, uscc: String?, district: String?, park: String?) {
            self.kind = kind
            self.id = id
            self.name = name
            self.uscc = uscc
            self.district = district
            self.park = park
        }
    }

    /// The enterprise or institution of that id.
    public static func party(kind: InspectionTargetKind, id: UUID, on database: any Database) async throws -> Party? {
        switch kind {
        case .enterprise:
            guard let model = try await EnterpriseModel.find(id, on: database) else { return nil }
            return Party(kind: kind, id: id, name: model.name, uscc: model.uscc, district: model.district, park: model.park)
        case .trialInstitution:
            guard let model = try await TrialInstitutionModel.find(id, on: database) else { return nil }
            return Party(kind: kind, id: id, name: model.name, uscc: model.code, district: model.district, park: nil)
        }
    }

    /// Every event of a party's file: its inspections closed (compliant or not, and each finding
    /// left unrectified) and the partner provinces' results recognised in their stead (结果互认: the
    /// partner's conclusion, its reference in the detail), its stays on the key-supervision list
    /// (listed, removed), its adverse-event reports that came late, its conditional-approval obligations overdue by `today` (from the
    /// day after the due date), and the events recorded by hand.
    public static func events(of party: UUID, today: CivilDate, on database: any Database) async throws -> [CreditEvent] {
        var events: [CreditEvent] = []
        let inspections = try await InspectionModel.query(on: database).filter(\.$targetID == party)
            .filter(\.$status ~~ InspectionStatus.concluded.map(\.rawValue)).all()
        let findings = try await InspectionTaskStore.findings(of: inspections.compactMap(\.id), on: database)
        for inspection in inspections {
            guard let conclusion = inspection.conclusion.flatMap(InspectionConclusion.init(rawValue:)),
                let day = (inspection.closedOn ?? inspection.completedOn).flatMap(CivilDate.init)
            else { continue }
            let types = InspectorProfile.codes(inspection.types, as: InspectionType.self).map(\.label).joined(separator: "、")
            let kind: CreditEventKind = conclusion == .compliant ? .compliantInspection : .nonCompliantInspection
            // A recognised result's reason is the basis it was recognised on: the partner's conclusion goes before it.
            let detail =
                inspection.status == InspectionStatus.recognised.rawValue
                ? "\(conclusion.label)；\(inspection.conclusionReason ?? "互认检查结果")"
                : conclusion == .compliant ? conclusion.label : inspection.conclusionReason ?? conclusion.label
            events.append(CreditEvent(kind: kind, on: day, detail: "\(types)：\(detail)"))
            for finding in findings[inspection.id ?? UUID()] ?? [] where finding.unresolved {
                events.append(CreditEvent(kind: .unresolvedFinding, on: day, detail: "第 \(finding.number) 项（\(finding.clause)）逾期未整改"))
            }
        }
        for entry in try await KeySupervisionEntryModel.query(on: database).filter(\.$targetID == party).all() {
            if let day = entry.listedOn.flatMap(CivilDate.init) {
                events.append(CreditEvent(kind: .listed, on: day, detail: entry.reason))
            }
            if let day = entry.removedOn.flatMap(CivilDate.init) {
                events.append(CreditEvent(kind: .delisted, on: day, detail: entry.removalReason ?? "移出重点监管名单"))
            }
        }
        for report in try await AdverseEventStore.lateReports(of: party, on: database) {
            guard let day = CivilDate(report.reportedOn) else { continue }
            let seriousness = EventSeriousness(rawValue: report.seriousness)?.label ?? report.seriousness
            events.append(
                CreditEvent(
                    kind: .lateAdverseEventReport, on: day,
                    detail: "不良事件报告 \(report.number)（\(report.productName)，\(seriousness)）应于 \(report.due ?? "—") 前报告，\(report.reportedOn) 提交"))
        }
        for row in try await ObligationStore.of(enterprise: party, on: database) {
            guard let since = row.obligation?.overdueSince(today: today) else { continue }
            events.append(CreditEvent(kind: .overdueObligation, on: since, detail: "\(row.productName)：\(row.title)（应于 \(row.dueOn) 前履行）"))
        }
        for row in try await CreditEventModel.query(on: database).filter(\.$partyID == party).all() {
            guard let kind = CreditEventKind(rawValue: row.kind), let day = CivilDate(row.occurredOn) else { continue }
            events.append(CreditEvent(kind: kind, on: day, detail: row.detail))
        }
        return events
    }

    /// Records an event by hand.
    public static func record(_ event: CreditEvent, of party: Party, by actor: String, now: Date, on database: any Database) async throws {
        let row = CreditEventModel()
        row.id = TimeOrderedID.make(now: now)
        row.partyKind = party.kind.rawValue
        row.partyID = party.id
        row.partyName = party.name
        row.partyUSCC = party.uscc
        row.district = party.district
        row.park = party.park
        row.kind = event.kind.rawValue
        row.occurredOn = event.on.description
        row.detail = event.detail
        row.recordedBy = actor
        try await row.create(on: database)
    }
}
