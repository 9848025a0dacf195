import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import Vapor

@Suite("Adverse-event reports: filed by UDI-DI, certificate or label, late ones on the credit file, each reader its own, narratives confidential")
struct AdverseEventTests {
    static let gtin = Fixtures.gtin

    struct World {
        var platform: Platform
        var marketed: ProductRecord
        var other: ProductRecord
        var registrant: Caller, rival: Caller, office: Caller, reviewer: Caller, district: Caller, regulator: Caller
        var institution: InstitutionRecord
    }

    /// The demo enterprises with a product each; products 0 and 1 approved (certificates), product 0
    /// with a GS1 DI; the registrant of product 0, that of product 1, a trial institution's office,
    /// a reviewer, a district officer and the regulator.
    static func world(_ app: Application) async throws -> World {
        try await ReferenceData.load(on: app.db)
        let platform = app.testPlatform(clock: Fixtures.clock)
        let (enterprises, products) = try await Fixtures.enterprisesAndProducts(on: platform)
        try await Fixtures.market(Array(products.prefix(2)), on: platform)
        let institution = try await Fixtures.trialInstitution(on: platform)
        func user(_ name: String, _ role: Role, _ scope: Scope) async throws -> Caller {
            let user = try await Fixtures.user(name, role: role, scope: scope, on: platform)
            return .user(id: user.id, username: user.username, displayName: name, role: role, scope: scope)
        }
        return World(
            platform: platform, marketed: products[0], other: products[1],
            registrant: try await user("maker", .enterpriseUser, .enterprise(enterprises[0].uscc)),
            rival: try await user("rival", .enterpriseUser, .enterprise(enterprises[1].uscc)),
            office: try await user("hospital", .trialInstitutionOfficer, .institution(institution.id.uuidString)),
            reviewer: try await user("reviewer", .reviewer, .city),
            district: try await user("district", .districtOfficer, .district(enterprises[0].district)),
            regulator: try await user("regulator", .cityRegulator, .city), institution: institution)
    }

    static func input(
        udi: String? = gtin, event: String = "2026-11-18", aware: String = "2026-11-20", seriousness: String = "serious_injury",
        terms: [String] = ["DP001"]
    ) -> AdverseEventInput {
        AdverseEventInput(
            udiDI: udi, eventOn: event, awareOn: aware, seriousness: seriousness, outcome: "hospitalisation", terms: terms,
            narrative: "术中导管断裂，患者住院观察。")
    }

    static func fields(_ error: (any Error)?) -> [String] { (error as? UseCaseError)?.problems.map(\.field) ?? [] }

    @Test(
        "filed on time by UDI-DI; a death learnt of 15 days ago is late and counts on the registrant's credit file", arguments: TestDatabase.enabled)
    func fileAndLate(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let world = try await Self.world(app)
            let events = world.platform.adverseEvents
            let onTime = try await events.file(Self.input(), by: world.registrant)
            #expect(onTime.productID == world.marketed.id && onTime.certificate == "沪械注准20262210001" && onTime.udiDI == Self.gtin)
            #expect(onTime.number == "AE-2026-0000001" && !onTime.late && onTime.due == "2026-12-10" && onTime.reporterKind == .registrant)
            #expect(onTime.terms.map(\.chinese) == ["断裂"] && onTime.timeline.map(\.kind) == [.submitted])
            let late = try await events.file(Self.input(event: "2026-11-08", aware: "2026-11-08", seriousness: "death"), by: world.registrant)
            #expect(late.late && late.due == "2026-11-15" && late.number == "AE-2026-0000002")
            #expect(late.timeline.first?.detail.contains("迟报") == true)
            let file = try await world.platform.credit.file(kind: "enterprise", id: world.marketed.enterpriseID, by: world.regulator)
            #expect(file.assessment.lines.map(\.event.kind) == [.lateAdverseEventReport])
            #expect(file.assessment.lines.first?.event.detail.contains("AE-2026-0000002") == true)
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "adverse_event.report").count() == 2)
        }
    }

    @Test("bad input is refused with the field named and writes nothing", arguments: TestDatabase.enabled)
    func refusals(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let world = try await Self.world(app)
            let events = world.platform.adverseEvents
            func refused(_ input: AdverseEventInput, by caller: Caller? = nil) async -> [String] {
                Self.fields(await #expect(throws: UseCaseError.self) { try await events.file(input, by: caller ?? world.registrant) })
            }
            #expect(await refused(Self.input(udi: "06901234567893")) == ["udiDI"], "a bad check digit")
            #expect(await refused(Self.input(udi: "06901234567885")) == ["udiDI"], "a DI no product carries")
            #expect(await refused(Self.input(terms: ["DP001", "XX999"])) == ["terms[1]"])
            #expect(await refused(Self.input(event: "2026-11-21", aware: "2026-11-20")) == ["awareOn"])
            #expect(await refused(Self.input(aware: "2026-11-30")) == ["awareOn"])
            #expect(await refused(Self.input(seriousness: "group_event")) == ["awareTime"])
            // Another registrant's product is not one it may report on.
            #expect(await refused(Self.input(), by: world.rival) == ["udiDI"])
            // Two ways of naming the product that disagree.
            var both = Self.input()
            both.certificate = "沪械注准20262210002"
            #expect(await refused(both) == ["certificate"])
            // A product without a certificate is not on the market.
            #expect(await refused(AdverseEventInput(product: world.marketed.id.uuidString), by: world.regulator).contains("eventOn"))
            #expect(try await AdverseEventReportModel.query(on: app.db).count() == 0)
            await #expect(throws: UseCaseError.forbidden(.reportAdverseEvents, role: .districtOfficer)) {
                try await events.file(Self.input(), by: world.district)
            }
        }
    }

    @Test("a medical institution reports any marketed product by its scanned label; each reader sees what is theirs", arguments: TestDatabase.enabled)
    func readers(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let world = try await Self.world(app)
            let events = world.platform.adverseEvents
            var scanned = Self.input(udi: nil)
            scanned.label = "]d201\(Self.gtin)17281231" + "10LOT7\u{1D}21S99"
            let byHospital = try await events.file(scanned, source: .scan, by: world.office)
            #expect(byHospital.reporterKind == .institution && byHospital.reporterName == world.institution.name)
            #expect(byHospital.lot == "LOT7" && byHospital.serial == "S99" && byHospital.source == .scan && byHospital.udiDI == Self.gtin)
            let byRegulator = try await events.file(
                AdverseEventInput(
                    certificate: "沪械注准20262210002", eventOn: "2026-11-01", awareOn: "2026-11-02", seriousness: "non_serious", outcome: "recovered",
                    terms: ["软件故障"], narrative: "软件偶发重启。"), by: world.regulator)
            #expect(
                byRegulator.productID == world.other.id && byRegulator.due == nil && !byRegulator.late && byRegulator.terms.map(\.code) == ["DP016"])

            // The registrant sees the hospital's report on its product, narrative included; the
            // rival sees only its own; the reviewer reads without the narrative.
            #expect(try await events.list(by: world.registrant).items.map(\.id) == [byHospital.id])
            #expect(try await events.detail(id: byHospital.id, by: world.registrant).narrative != nil)
            #expect(try await events.list(by: world.rival).items.map(\.id) == [byRegulator.id])
            await #expect(throws: UseCaseError.notFound(.adverseEvent)) { try await events.detail(id: byHospital.id, by: world.rival) }
            #expect(try await events.list(by: world.office).items.map(\.id) == [byHospital.id])
            let reviewed = try await events.detail(id: byHospital.id, by: world.reviewer)
            #expect(reviewed.narrative == nil && reviewed.lot == "LOT7")
            await #expect(throws: UseCaseError.forbidden(.readAdverseEvents, role: .districtOfficer)) { try await events.list(by: world.district) }

            // A follow-up to another registrant's report is refused as not found; the reporter's is on the timeline.
            await #expect(throws: UseCaseError.notFound(.adverseEvent)) {
                try await events.followUp(id: byHospital.id, text: "补充", outcome: nil, by: world.rival)
            }
            let followed = try await events.followUp(id: byHospital.id, text: "患者已出院。", outcome: "recovered", by: world.office)
            #expect(followed.outcome == .recovered && followed.timeline.map(\.kind) == [.submitted, .followUp])
            #expect(try await events.detail(id: byHospital.id, by: world.reviewer).timeline.last?.detail == "", "a follow-up's text is confidential")

            // The regulator assesses on the version it read; a stale version is refused.
            let assessed = try await events.assess(
                id: byHospital.id, causality: "possible", note: "需关注同批次", expecting: followed.version, by: world.regulator)
            #expect(assessed.status == .assessed && assessed.causality == .possible && assessed.assessedBy == "regulator")
            await #expect(throws: UseCaseError.stale(.adverseEvent, current: assessed.version)) {
                try await events.assess(id: byHospital.id, causality: "probable", note: nil, expecting: followed.version, by: world.regulator)
            }
            await #expect(throws: UseCaseError.forbidden(.assessAdverseEvents, role: .enterpriseUser)) {
                try await events.assess(id: byHospital.id, causality: "probable", note: nil, expecting: assessed.version, by: world.registrant)
            }
        }
    }

    @Test("UDI-DIs: one DI once, a unit of use holds one, only on a marketed product in scope", arguments: TestDatabase.enabled)
    func identifiers(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let world = try await Self.world(app)
            let udi = world.platform.udi
            await #expect(throws: UseCaseError.conflict(UDIUseCases.takenAlready)) {
                try await udi.add(UDIInput(di: Self.gtin, agency: "gs1", packaging: "package", quantity: 10), to: world.other.id, by: Fixtures.caller)
            }
            let refusal = await #expect(throws: UseCaseError.self) {
                try await udi.add(
                    UDIInput(di: "06901234567885", agency: "gs1", packaging: "unit", quantity: 5), to: world.marketed.id, by: world.registrant)
            }
            #expect(Self.fields(refusal) == ["quantity"])
            let package = try await udi.add(
                UDIInput(di: "MA.156.M0.100001.77", agency: "ma", packaging: "package", quantity: 10), to: world.marketed.id, by: world.registrant)
            #expect(
                try await udi.list(product: world.marketed.id, by: world.registrant).map(\.di).sorted() == ["06901234567892", "MA.156.M0.100001.77"])
            await #expect(throws: UseCaseError.notFound(.product)) {
                try await udi.add(UDIInput(di: "06901234567885", agency: "gs1", packaging: "unit"), to: world.marketed.id, by: world.rival)
            }
            let lookup = try await udi.lookup(label: "(01)\(Self.gtin)(10)A1", by: world.office)
            #expect(lookup.productID == world.marketed.id && lookup.label.lot == "A1" && lookup.certificate == "沪械注准20262210001")
            try await udi.remove(package.id, from: world.marketed.id, by: world.registrant)
            #expect(try await udi.list(product: world.marketed.id, by: world.registrant).map(\.di) == [Self.gtin])
        }
    }
}
