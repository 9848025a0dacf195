import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import Vapor

@Suite("Cross-province entrustment links: recorded by the regulator, read by each side as far as it is involved, filed on once for both")
struct DeltaLinkUseCaseTests {
    static func fields(_ error: (any Error)?) -> [String] { (error as? UseCaseError)?.problems.map(\.field) ?? [] }

    @Test(
        "two parties in one province, an unknown party, periods that end before they start: refused at the field, nothing written; a segmented link across three provinces",
        arguments: TestDatabase.enabled)
    func rules(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            try await ReferenceData.load(on: app.db)
            let platform = app.testPlatform(clock: Fixtures.clock)
            let world = try await DeltaFixture.parties(on: platform)
            let links = platform.deltaLinks
            let firm = world.enterprises[0].uscc, other = world.enterprises[3].uscc
            let suzhou = world.partners[0].uscc, hangzhou = world.partners[1].uscc, hefei = world.partners[2].uscc
            let audits = try await AuditEntryModel.query(on: app.db).count()

            let sameProvince = DeltaFixture.entrusted(firm, other)
            #expect(Self.fields(await #expect(throws: UseCaseError.self) { try await links.create(sameProvince, by: Fixtures.caller) }) == ["sites"])
            var backwards = DeltaFixture.entrusted(firm, suzhou)
            backwards.endsOn = "2025-12-31"
            backwards.agreementEndsOn = "2025-12-01"
            #expect(
                Self.fields(await #expect(throws: UseCaseError.self) { try await links.create(backwards, by: Fixtures.caller) })
                    == ["endsOn", "agreementEndsOn"])
            let unknown = DeltaFixture.entrusted(firm, USCC.completing("91320200MA1K00009")!)
            #expect(Self.fields(await #expect(throws: UseCaseError.self) { try await links.create(unknown, by: Fixtures.caller) }) == ["sites"])
            var oneStage = DeltaFixture.entrusted(firm, suzhou)
            oneStage.kind = "segmented"
            oneStage.sites = [DeltaSiteInput(uscc: suzhou, stage: "原液")]
            #expect(Self.fields(await #expect(throws: UseCaseError.self) { try await links.create(oneStage, by: Fixtures.caller) }) == ["sites"])
            var notTheirs = DeltaFixture.entrusted(firm, suzhou)
            notTheirs.product = UUID().uuidString
            #expect(Self.fields(await #expect(throws: UseCaseError.self) { try await links.create(notTheirs, by: Fixtures.caller) }) == ["product"])
            #expect(try await DeltaLinkModel.query(on: app.db).count() == 0)
            #expect(try await AuditEntryModel.query(on: app.db).count() == audits)

            // Hefei's registrant has its product made in stages in Shanghai and Zhejiang.
            let segmented = try await links.create(
                DeltaLinkInput(
                    kind: "segmented", productName: "示例单抗注射液", productCategory: "drug", registrant: hefei,
                    sites: [DeltaSiteInput(uscc: firm, stage: "原液生产"), DeltaSiteInput(uscc: hangzhou, stage: "制剂灌装")], startsOn: "2026-03-01",
                    endsOn: "2029-02-28", agreementSignedOn: "2026-02-20", agreementEndsOn: "2028-02-29"),
                by: Fixtures.caller)
            #expect(segmented.kind == .segmented && segmented.registrantProvince == .anhui)
            #expect(segmented.provinces == [.shanghai, .zhejiang, .anhui])
            #expect(segmented.sites.map(\.stage) == ["原液生产", "制剂灌装"])
            #expect(segmented.sites.map(\.authority) == ["上海市药品监督管理局", "浙江省药品监督管理局"])
            #expect(segmented.registrantAuthority == "安徽省药品监督管理局" && segmented.registrantPlaceName == "合肥市")
            #expect(segmented.status == .active)
            #expect(segmented.events.map(\.kind) == [.filed] && segmented.events[0].occurredOn == CivilDate("2026-03-01"))
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "delta.link.create").count() == 1)
        }
    }

    @Test(
        "a partner reads the links of its province only (404 otherwise); each party its own; a change filed once is read by both sides; a filing on an older read is a conflict; an ended link takes no more",
        arguments: TestDatabase.enabled)
    func reach(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            try await ReferenceData.load(on: app.db)
            let platform = app.testPlatform(clock: Fixtures.clock)
            let world = try await DeltaFixture.parties(on: platform)
            let links = platform.deltaLinks
            let firm = world.enterprises[0].uscc
            let suzhou = world.partners[0].uscc, hangzhou = world.partners[1].uscc
            let withSuzhou = try await links.create(DeltaFixture.entrusted(firm, suzhou), by: Fixtures.caller)
            let withHangzhou = try await links.create(DeltaFixture.entrusted(firm, hangzhou, product: "示例骨科植入物"), by: Fixtures.caller)

            let jiangsu = try await Fixtures.caller("jiangsu", .partnerRegulator, .province(.jiangsu), on: platform)
            let anhui = try await Fixtures.caller("anhui", .partnerRegulator, .province(.anhui), on: platform)
            let registrant = try await Fixtures.caller("firm", .enterpriseUser, .enterprise(firm), on: platform)
            let manufacturer = try await Fixtures.caller("suzhou", .enterpriseUser, .enterprise(suzhou), on: platform)
            let stranger = try await Fixtures.caller("stranger", .enterpriseUser, .enterprise(world.enterprises[3].uscc), on: platform)
            let pudong = try await Fixtures.caller("pudong", .districtOfficer, .district("310115"), on: platform)

            #expect(try await links.list(by: jiangsu).map(\.id) == [withSuzhou.id])
            #expect(try await links.detail(id: withSuzhou.id, by: jiangsu).productName == "示例注射液")
            await #expect(throws: UseCaseError.notFound(.deltaLink)) { try await links.detail(id: withHangzhou.id, by: jiangsu) }
            #expect(try await links.list(by: anhui).isEmpty)
            #expect(Set(try await links.list(by: registrant).map(\.id)) == [withSuzhou.id, withHangzhou.id])
            #expect(try await links.list(by: manufacturer).map(\.id) == [withSuzhou.id])
            #expect(try await links.list(by: stranger).isEmpty)
            await #expect(throws: UseCaseError.notFound(.deltaLink)) { try await links.detail(id: withSuzhou.id, by: stranger) }
            await #expect(throws: UseCaseError.forbidden(.readDelta, role: .districtOfficer)) { try await links.list(by: pudong) }
            #expect(try await links.list(province: "JS", by: Fixtures.caller).map(\.id) == [withSuzhou.id])
            #expect(try await links.list(kind: "segmented", by: Fixtures.caller).isEmpty)

            // The registrant files a change once; Jiangsu and the manufacturer read it.
            let change = DeltaLinkEventInput(kind: "change", on: "2026-11-20", summary: "变更原料药供应商，已完成可比性研究")
            let filed = try await links.file(link: withSuzhou.id, change, expecting: withSuzhou.version, by: registrant)
            #expect(filed.version == withSuzhou.version + 1)
            for reader in [jiangsu, manufacturer, Fixtures.caller] {
                #expect(try await links.detail(id: withSuzhou.id, by: reader).events.map(\.kind) == [.filed, .change])
            }
            // Filed on the version read before: a conflict; an enterprise renews nothing; a partner files nothing.
            await #expect(throws: UseCaseError.stale(.deltaLink, current: filed.version)) {
                try await links.file(link: withSuzhou.id, change, expecting: withSuzhou.version, by: manufacturer)
            }
            let renewal = DeltaLinkEventInput(kind: "agreement_renewed", on: "2026-11-20", summary: "质量协议续签三年", agreementEndsOn: "2030-12-31")
            #expect(
                Self.fields(
                    await #expect(throws: UseCaseError.self) {
                        try await links.file(link: withSuzhou.id, renewal, expecting: filed.version, by: registrant)
                    })
                    == ["kind"])
            await #expect(throws: UseCaseError.forbidden(.fileDelta, role: .partnerRegulator)) {
                try await links.file(link: withSuzhou.id, change, expecting: filed.version, by: jiangsu)
            }
            await #expect(throws: UseCaseError.notFound(.deltaLink)) {
                try await links.file(link: withSuzhou.id, change, expecting: filed.version, by: stranger)
            }
            var early = renewal
            early.agreementEndsOn = "2027-06-30"
            #expect(
                Self.fields(
                    await #expect(throws: UseCaseError.self) {
                        try await links.file(link: withSuzhou.id, early, expecting: filed.version, by: Fixtures.caller)
                    })
                    == ["agreementEndsOn"])
            let renewed = try await links.file(link: withSuzhou.id, renewal, expecting: filed.version, by: Fixtures.caller)
            #expect(renewed.agreementEndsOn == CivilDate("2030-12-31"))
            let ended = try await links.file(
                link: withSuzhou.id, DeltaLinkEventInput(kind: "ended", on: "2026-11-23", summary: "注册人收回生产"), expecting: renewed.version,
                by: Fixtures.caller)
            #expect(ended.status == .ended && ended.endedOn == Fixtures.today)
            let late = await #expect(throws: UseCaseError.self) {
                try await links.file(link: withSuzhou.id, change, expecting: ended.version, by: registrant)
            }
            #expect((late as? UseCaseError).map { if case .conflict = $0 { true } else { false } } == true)
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "delta.link.file").count() == 3)
            #expect(try await DeltaLinkEventModel.query(on: app.db).filter(\.$linkID == withSuzhou.id).count() == 4)
        }
    }
}
