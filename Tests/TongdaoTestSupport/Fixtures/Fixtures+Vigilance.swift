import Foundation
import TongdaoCore
import TongdaoUseCases

extension Fixtures {
    /// The GS1 UDI-DI `market` gives the first product.
    public static let gtin = "06901234567892"

    /// Approves each product (Class II, certificates 沪械注准20262210001, …02, … in order) and gives
    /// the first the GS1 DI `gtin`: products on the market, for adverse-event reports.
    public static func market(_ products: [ProductRecord], on platform: Platform) async throws {
        for (index, product) in products.enumerated() {
            let made = try await application("AE-\(index)", product: product.id, acceptedOn: CivilDate("2026-03-02")!, on: platform)
            _ = try await platform.applications.record(EventInput(type: "review_completed", on: "2026-05-08"), on: made.application.id, by: caller)
            _ = try await platform.applications.record(
                EventInput(type: "decision_made", on: "2026-05-12", decision: "approve", certificate: "沪械注准2026221000\(index + 1)"),
                on: made.application.id, by: caller)
        }
        _ = try await platform.udi.add(UDIInput(di: gtin, agency: "gs1", packaging: "unit"), to: products[0].id, by: caller)
    }

    public static let nationalExportHeader = [
        "报告编码", "注册证编号", "产品标识", "事件发生日期", "获知日期", "获知时间", "报告时间", "伤害程度", "患者结局", "事件术语", "报告人类别", "报告单位", "事件经过描述",
    ]

    /// The national monitoring system's export with three good rows (for `market`'s products): by certificate, by DI, by both; the second a death learnt of on 1 Nov and
    /// reported on the 9th (due the 8th: late); the third a group event reported 11 h 59 min after
    /// its awareness (on time), by a hospital.
    public static let nationalExport: [[String]] = [
        nationalExportHeader,
        [
            "32000020260001", "沪械注准20262210002", "", "2026-10-30", "2026-11-02", "", "2026-11-10 09:30", "严重伤害", "住院或延长住院时间", "断裂、DP002", "", "",
            "导管断裂。",
        ],
        ["32000020260002", "", Fixtures.gtin, "2026-10-31", "2026-11-01", "", "2026-11-09", "死亡", "死亡", "断裂", "注册人", "", "患者死亡。"],
        [
            "32000020260003", "沪械注准20262210001", Fixtures.gtin, "2026-11-20", "2026-11-20", "20:00", "2026-11-21 07:59", "群体不良事件", "好转", "DP003",
            "医疗机构", "示例医院", "多名患者出现堵塞。",
        ],
    ]
}
