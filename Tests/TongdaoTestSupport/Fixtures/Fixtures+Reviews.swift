import Foundation
import TongdaoCore
import TongdaoUseCases

extension Fixtures {
    /// Four Class II registrations (limit 60) in Pudong, as of Mon 1 Jun 2026 (`DigestTests.day`), reviewed by
    /// `li.ming` and followed by `pudong-officer` (with `xuhui-officer` and the city regulator `city`):
    /// * A, accepted Mon 5 Jan: 98 working days used — red;
    /// * B, accepted Mon 16 Mar: March 17–31 (11), April without Qingming 4–6 (21), May without
    ///   1–5 but with Sat 9 (19), 1 June (1) = 52 of 60, 87 % — amber;
    /// * C, accepted Wed 20 May: green, no warning;
    /// * D, accepted 2 Jun 2025, supplement requested 20 Jun 2025: the applicant's year ends on
    ///   20 Jun 2026, 19 days away, within the 30-day warning.
    public static func reviews(on platform: Platform) async throws -> [String: ApplicationRecord] {
        let (_, products) = try await enterprisesAndProducts(on: platform)
        guard let pudong = products.first(where: { $0.district == "310115" }) else { throw FixtureError.missing("a product in Pudong") }
        try await user("li.ming", role: .reviewer, scope: .city, on: platform)
        try await user("pudong-officer", role: .districtOfficer, scope: .district("310115"), on: platform)
        try await user("xuhui-officer", role: .districtOfficer, scope: .district("310104"), on: platform)
        try await user("city", role: .cityRegulator, scope: .city, on: platform)
        var made: [String: ApplicationRecord] = [:]
        for (name, accepted) in [("A", "2026-01-05"), ("B", "2026-03-16"), ("C", "2026-05-20"), ("D", "2025-06-02")] {
            made[name] = try await application(
                "SH-\(name)", product: pudong.id, acceptedOn: CivilDate(accepted)!, reviewer: "li.ming", responsibleOfficer: "pudong-officer",
                on: platform
            ).application
        }
        guard let d = made["D"] else { throw FixtureError.missing("application D") }
        made["D"] = try await record(ApplicationEvent(.supplementRequested, on: CivilDate("2025-06-20")!), on: d.id, platform: platform).application
        return made
    }
}

/// A fixture that could not be made as described.
public enum FixtureError: Error {
    case missing(String)
}
