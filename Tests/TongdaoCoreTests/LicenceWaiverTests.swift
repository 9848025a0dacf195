import Foundation
import Testing
import TongdaoCore

@Suite(
    "The licence-inspection waiver: a new manufacturer, inspected for registration at the same address, without an authenticity problem or a severe defect, and no centrally procured product"
)
struct LicenceWaiverTests {
    static let address = "上海市浦东新区张江路 123 号"

    static func inspection(_ day: String, site: String?, _ outcome: QMSOutcome?, number: String = "SQZ2026000001")
        -> LicenceWaiver.RegistrationInspection
    {
        LicenceWaiver.RegistrationInspection(
            application: UUID(), number: number, product: "康复机器人", completedOn: CivilDate(day)!, site: site, outcome: outcome)
    }

    static func facts(_ inspections: [LicenceWaiver.RegistrationInspection], licensed: [String] = [], centrallyProcured: Bool = false)
        -> LicenceWaiver.Facts
    {
        LicenceWaiver.Facts(address: address, centrallyProcured: centrallyProcured, licensed: licensed, inspections: inspections)
    }

    @Test("every condition holds: the waiver rests on the inspection at the address, written differently")
    func eligible() {
        let at = Self.inspection("2026-06-12", site: "浦东新区张江路１２３号", .passedAfterRectification)
        let elsewhere = Self.inspection("2026-08-01", site: "上海市闵行区剑川路 9 号", .authenticity, number: "SQZ2026000002")
        let assessment = LicenceWaiver.assess(Self.facts([at, elsewhere]))
        #expect(assessment.eligible)
        #expect(assessment.basis == at)
        #expect(assessment.conditions.map(\.met) == [true, true, true, true])
        #expect(assessment.conditions.map(\.label) == ["新开办生产企业", "已在同一生产地址通过注册体系核查", "不存在真实性问题或严重缺陷", "非集中带量采购中选产品"])
        #expect(assessment.conditions[1].detail == "康复机器人（SQZ2026000001）2026-06-12 注册体系核查：整改后通过核查")
        #expect(assessment.refusal.isEmpty)
    }

    @Test("each condition that fails is named, with why, and nothing to rest on")
    func refused() {
        let passed = Self.inspection("2026-06-12", site: Self.address, .passed)
        // A manufacturer already licensed is not new.
        let licensed = LicenceWaiver.assess(Self.facts([passed], licensed: ["康复机器人（SQZ2025000001）2025-03-01 已取得生产许可"]))
        #expect(!licensed.eligible && licensed.basis == nil)
        #expect(licensed.refusal == "新开办生产企业：康复机器人（SQZ2025000001）2025-03-01 已取得生产许可")
        // Inspected, but elsewhere (and one with no address recorded).
        let elsewhere = LicenceWaiver.assess(
            Self.facts([Self.inspection("2026-06-12", site: "上海市浦东新区张江路 132 号", .passed), Self.inspection("2026-07-01", site: nil, nil)]))
        #expect(!elsewhere.eligible)
        #expect(elsewhere.conditions[1].detail == "已完成的 2 次注册体系核查均不在该生产地址（其中 1 次未记录核查地址或结果）")
        #expect(LicenceWaiver.assess(Self.facts([])).conditions[1].detail == "该企业没有已完成的注册体系核查")
        // The latest inspection at the address found a severe defect, though an earlier one passed.
        let severe = LicenceWaiver.assess(
            Self.facts([passed, Self.inspection("2026-09-01", site: Self.address, .severeDefect, number: "SQZ2026000003")]))
        #expect(!severe.eligible && severe.conditions.map(\.met) == [true, true, false, true])
        #expect(severe.conditions[2].detail.hasSuffix("2026-09-01 注册体系核查：存在严重缺陷（未通过）"))
        // An authenticity problem at the address is not wiped out by a later pass.
        let authenticity = LicenceWaiver.assess(
            Self.facts([Self.inspection("2026-03-01", site: Self.address, .authenticity, number: "SQZ2026000004"), passed]))
        #expect(!authenticity.eligible && authenticity.conditions[2].detail.contains("存在真实性问题"))
        // A centrally procured product: inspected in full.
        let procured = LicenceWaiver.assess(Self.facts([passed], centrallyProcured: true))
        #expect(!procured.eligible && procured.refusal == "非集中带量采购中选产品：集中带量采购中选产品的生产企业应全项目检查")
    }

    @Test("addresses compare without spaces, punctuation, full-width digits or the city's name, and a different number is another place")
    func addresses() {
        #expect(LicenceWaiver.sameAddress("上海市浦东新区张江路１２３号", "浦东新区 张江路123号"))
        #expect(LicenceWaiver.sameAddress("中国上海市闵行区剑川路 9 号（3 幢）", "闵行区剑川路9号3幢"))
        #expect(LicenceWaiver.sameAddress("Zhangjiang Rd. 123", "zhangjiang rd 123"))
        #expect(!LicenceWaiver.sameAddress("浦东新区张江路123号", "浦东新区张江路132号"))
        #expect(!LicenceWaiver.sameAddress("", " "))
    }
}
