import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import Vapor

@Suite("The Delta's parties: enterprises registered in a partner province, and the partner provinces' regulators")
struct DeltaPartyTests {
    static func fields(_ error: (any Error)?) -> [String] { (error as? UseCaseError)?.problems.map(\.field) ?? [] }
    static let suzhouUSCC = USCC.completing("91320506MA1K00001")!

    @Test(
        "the city registers an enterprise of a partner province in its city (its credit code says which); a district cannot; Shanghai's inspection plan leaves it to its province; its regulator reads nothing of the registry",
        arguments: TestDatabase.enabled)
    func partnerEnterprise(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            try await ReferenceData.load(on: app.db)
            let platform = app.testPlatform(clock: Fixtures.clock)
            let input = EnterpriseInput(uscc: Self.suzhouUSCC, name: "苏州示例生物制药有限公司", district: "320500", kind: "cdmo")
            let pudong = try await Fixtures.caller("pudong", .districtOfficer, .district("310115"), on: platform)
            let audits = try await AuditEntryModel.query(on: app.db).count()

            // The wrong province, a city the platform does not know, a park, a district officer: refused at the field, nothing written.
            var hangzhou = input
            hangzhou.district = "330100"
            #expect(
                Self.fields(await #expect(throws: UseCaseError.self) { try await platform.enterprises.create(hangzhou, by: Fixtures.caller) }) == [
                    "district"
                ])
            var xuzhou = input
            xuzhou.district = "320300"
            #expect(
                Self.fields(await #expect(throws: UseCaseError.self) { try await platform.enterprises.create(xuzhou, by: Fixtures.caller) }) == [
                    "district"
                ])
            var parked = input
            parked.park = "zhangjiang"
            #expect(
                Self.fields(await #expect(throws: UseCaseError.self) { try await platform.enterprises.create(parked, by: Fixtures.caller) }) == [
                    "park"
                ])
            #expect(
                Self.fields(await #expect(throws: UseCaseError.self) { try await platform.enterprises.create(input, by: pudong) }) == ["district"])
            #expect(try await AuditEntryModel.query(on: app.db).count() == audits)

            // The province itself stands for a city the platform does not name.
            var province = input
            province.uscc = USCC.completing("91321300MA1K00002")!
            province.name = "宿迁示例医疗器械有限公司"
            province.district = "320000"
            let suqian = try await platform.enterprises.create(province, by: Fixtures.caller)
            #expect(suqian.district == "320000")
            let suzhou = try await platform.enterprises.create(input, by: Fixtures.caller)
            #expect(suzhou.district == "320500")
            #expect(try await platform.enterprises.list(.init(district: "320500"), by: Fixtures.caller).items.map(\.id) == [suzhou.id])
            #expect(try await platform.enterprises.list(.init(), by: pudong).items.isEmpty, "a district sees none of another province's")

            // A Shanghai manufacturer is in the city's plan; Suzhou's is Jiangsu's to inspect.
            let shanghai = try await platform.enterprises.create(
                EnterpriseInput(uscc: USCC.completing("91310115MA1K00009")!, name: "上海示例生产有限公司", district: "310115", kind: "manufacturer"),
                by: Fixtures.caller)
            let targets = try await platform.inspectionPlan.plan(by: Fixtures.caller).targets.map(\.facts.target.id)
            #expect(targets.contains(shanghai.id) && !targets.contains(suzhou.id))

            // Jiangsu's regulator: its scope admits Suzhou's record, but its role reads no registry.
            let jiangsu = try await Fixtures.caller("jiangsu", .partnerRegulator, .province(.jiangsu), on: platform)
            #expect(jiangsu.filter.admits(RecordLocation(district: suzhou.district, enterprise: suzhou.uscc)))
            await #expect(throws: UseCaseError.forbidden(.readEnterprises, role: .partnerRegulator)) {
                try await platform.enterprises.find(id: suzhou.id, by: jiangsu)
            }
            await #expect(throws: UseCaseError.forbidden(.readTrials, role: .partnerRegulator)) {
                try await platform.trials.institutions(by: jiangsu)
            }
            await #expect(throws: UseCaseError.forbidden(.readPolicies, role: .partnerRegulator)) {
                try await platform.handbook.search(by: jiangsu)
            }
        }
    }

    @Test("a user of a partner province's regulator holds a province scope, and only that role does", arguments: TestDatabase.enabled)
    func accounts(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            try await ReferenceData.load(on: app.db)
            let platform = app.testPlatform(clock: Fixtures.clock)
            let made = try await platform.users.create(
                NewUserInput(username: "zj-mpa", displayName: "浙江省局联络员", role: "partner_regulator", scope: "province:ZJ", password: "Delta-2026-zj!"),
                by: Fixtures.caller)
            #expect(made.role == .partnerRegulator && made.scope == .province(.zhejiang))
            let wrongScope = await #expect(throws: UseCaseError.self) {
                try await platform.users.create(
                    NewUserInput(username: "js-mpa", displayName: "", role: "partner_regulator", scope: "city", password: "Delta-2026-js!"),
                    by: Fixtures.caller)
            }
            #expect(Self.fields(wrongScope) == ["scope"])
            let shanghai = await #expect(throws: UseCaseError.self) {
                try await platform.users.create(
                    NewUserInput(username: "sh-mpa", displayName: "", role: "partner_regulator", scope: "province:SH", password: "Delta-2026-sh!"),
                    by: Fixtures.caller)
            }
            #expect(Self.fields(shanghai) == ["scope"])
            let listed = try await platform.users.list(by: Fixtures.caller).first { $0.username == "zj-mpa" }
            #expect(listed?.scopeLabel == "浙江省")
        }
    }
}
