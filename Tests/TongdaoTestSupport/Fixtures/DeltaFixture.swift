import Foundation
import TongdaoCore
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
}
