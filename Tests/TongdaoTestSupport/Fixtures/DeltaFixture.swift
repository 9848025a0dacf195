import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore
import TongdaoUseCases

/// The Delta's parties for tests: the demo enterprises of Shanghai, and one enterprise in each
/// partner province (Suzhou, Hangzhou, Hefei), with a link between Shanghai and each.
public enum DeltaFixture {
    public static let suzhou = EnterpriseDraft(
        uscc: USCC.completing("91320506MA1K00001")!, name: "苏州示例生物制药有限公司", district: "320500", kind: .cdmo)
    public static let hangzhou = EnterpriseDraft(
        uscc: USCC.completing("91330100MA1K00003")!, name: "杭州示例医疗科技有限公司", district: "330100", kind: .manufacturer)
    public static let hefei = EnterpriseDraft(
        uscc: USCC.completing("91340100MA1K00005")!, name: "合肥示例医疗器械有限公司", district: "340100", kind: .registrant)

    public struct World: Sendable {
        public var enterprises: [EnterpriseRecord]
        /// Suzhou, Hangzhou, Hefei.
        public var partners: [EnterpriseRecord]
    }

    /// The demo enterprises and the three partner enterprises, stored.
    public static func parties(on platform: Platform) async throws -> World {
        let enterprises = try await Fixtures.enterprises(on: platform)
        var partners: [EnterpriseRecord] = []
        for draft in [suzhou, hangzhou, hefei] {
            partners.append(try await platform.enterprises.create(EnterpriseInput(draft), by: Fixtures.caller))
        }
        return World(enterprises: enterprises, partners: partners)
    }

    /// An entrusted link as typed: `registrant` entrusts `manufacturer`, for a year from 2026-01-01.
    public static func entrusted(_ registrant: String, _ manufacturer: String, product: String = "示例注射液") -> DeltaLinkInput {
        DeltaLinkInput(
            kind: "entrusted", productName: product, productCategory: "drug", registrant: registrant, sites: [DeltaSiteInput(uscc: manufacturer)],
            startsOn: "2026-01-01", endsOn: "2027-12-31", agreementSignedOn: "2025-12-15", agreementEndsOn: "2027-12-31")
    }

    /// An inspection of `enterprise` in a given state (closed: concluded 待整改后评定 with two
    /// findings, one with its evidence note), written as the inspection workflow leaves it.
    public static func inspection(of enterprise: EnterpriseRecord, closed: Bool, on db: any Database) async throws -> UUID {
        try await inspection(of: enterprise, status: closed ? .completed : .onSite, on: db)
    }

    /// An inspection of `enterprise` in `status` (a production inspection unless told): a completed one
    /// closed with two findings, a planned one for December 2026.
    public static func inspection(
        of enterprise: EnterpriseRecord, status: InspectionStatus, types: [InspectionType] = [.manufacturer], on db: any Database
    ) async throws -> UUID {
        let closed = status == .completed
        let model = InspectionModel()
        model.targetKind = InspectionTargetKind.enterprise.rawValue
        model.targetID = enterprise.id
        model.targetName = enterprise.name
        model.targetUSCC = enterprise.uscc
        model.district = enterprise.district
        model.types = InspectorProfile.stored(types)
        model.source = InspectionSource.plan.rawValue
        model.status = status.rawValue
        model.plannedMonth = "2026-12"
        model.completedOn = closed ? "2026-10-20" : nil
        model.closedOn = closed ? "2026-11-10" : nil
        model.conclusion = closed ? InspectionConclusion.rectify.rawValue : nil
        model.conclusionReason = closed ? "存在主要缺陷 1 项，整改后评定" : nil
        model.version = 1
        try await model.create(on: db)
        let id = try model.requireID()
        for (number, grade, description, evidence) in [
            (1, FindingGrade.major, "洁净区压差记录不完整", "抽查 2026 年 9 月压差记录，缺 3 天"), (2, .general, "培训档案未及时归档", nil),
        ] {
            let finding = InspectionFindingModel()
            finding.inspectionID = id
            finding.number = number
            finding.clause = "附录 \(number)"
            finding.grade = grade.rawValue
            finding.originalGrade = grade.rawValue
            finding.description = description
            finding.evidence = evidence
            finding.unresolved = false
            finding.recordedOn = "2026-10-18"
            try await finding.create(on: db)
        }
        return id
    }
}
