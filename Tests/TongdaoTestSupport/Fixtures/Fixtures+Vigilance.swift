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
}
