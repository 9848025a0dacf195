import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import Vapor

@Suite("Joint inspections with a partner province and results recognised both ways")
struct DeltaInspectionUseCaseTests {
    static func fields(_ error: (any Error)?) -> [String] { (error as? UseCaseError)?.problems.map(\.field) ?? [] }

    /// The Delta's parties on a platform at the fixtures' day, the second Shanghai enterprise making a
    /// Hangzhou registrant's product, and Zhejiang's liaison.
    static func linkedToZhejiang(
        _ app: Application
    ) async throws -> (platform: Platform, world: DeltaFixture.World, target: EnterpriseRecord, zhejiang: Caller) {
        try await ReferenceData.load(on: app.db)
        let platform = app.testPlatform(clock: Fixtures.clock)
        let world = try await DeltaFixture.parties(on: platform)
        let target = world.enterprises[1]
        _ = try await platform.deltaLinks.create(DeltaFixture.entrusted(world.partners[1].uscc, target.uscc), by: Fixtures.caller)
        let zhejiang = try await Fixtures.caller("zhejiang", .partnerRegulator, .province(.zhejiang), on: platform)
        return (platform, world, target, zhejiang)
    }

    static func isConflict(_ error: (any Error)?) -> Bool {
        (error as? UseCaseError).map { if case .conflict = $0 { true } else { false } } ?? false
    }

    @Test(
        "a joint inspection: only an open inspection, a link involving the partner, one partner; the partner names its inspectors on the version read and reads it, another partner gets 404; the inspection's timeline records both",
        arguments: TestDatabase.enabled)
    func joint(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            try await ReferenceData.load(on: app.db)
            let platform = app.testPlatform(clock: Fixtures.clock)
            let world = try await DeltaFixture.parties(on: platform)
            let joints = platform.deltaJoint
            let link = try await platform.deltaLinks.create(
                DeltaFixture.entrusted(world.partners[0].uscc, world.enterprises[1].uscc), by: Fixtures.caller)
            let open = try await DeltaFixture.inspection(of: world.enterprises[1], status: .planned, on: app.db)
            let closed = try await DeltaFixture.inspection(of: world.enterprises[1], status: .completed, on: app.db)
            let jiangsu = try await Fixtures.caller("jiangsu", .partnerRegulator, .province(.jiangsu), on: platform)
            let zhejiang = try await Fixtures.caller("zhejiang", .partnerRegulator, .province(.zhejiang), on: platform)
            let audits = try await AuditEntryModel.query(on: app.db).count()

            let onClosed = DeltaJointInput(inspection: closed.uuidString, province: "JS")
            #expect(Self.fields(await #expect(throws: UseCaseError.self) { try await joints.plan(onClosed, by: Fixtures.caller) }) == ["inspection"])
            let wrongLink = DeltaJointInput(inspection: open.uuidString, province: "ZJ", link: link.id.uuidString)
            #expect(Self.fields(await #expect(throws: UseCaseError.self) { try await joints.plan(wrongLink, by: Fixtures.caller) }) == ["link"])
            let unnamed = DeltaJointInput(
                inspection: open.uuidString, province: "JS", members: [DeltaJointMemberInput(organisation: "苏州市市场监督管理局")])
            #expect(
                Self.fields(await #expect(throws: UseCaseError.self) { try await joints.plan(unnamed, by: Fixtures.caller) })
                    == ["members[0].name"])
            await #expect(throws: UseCaseError.forbidden(.writeDelta, role: .partnerRegulator)) {
                try await joints.plan(DeltaJointInput(inspection: open.uuidString, province: "JS"), by: jiangsu)
            }
            #expect(try await AuditEntryModel.query(on: app.db).count() == audits)

            let planned = try await joints.plan(
                DeltaJointInput(inspection: open.uuidString, province: "JS", link: link.id.uuidString, note: "串联检查"), by: Fixtures.caller)
            #expect(planned.province == .jiangsu && planned.members.isEmpty && planned.linkProduct == "示例注射液" && planned.status == .planned)
            let again = await #expect(throws: UseCaseError.self) {
                try await joints.plan(DeltaJointInput(inspection: open.uuidString, province: "ZJ"), by: Fixtures.caller)
            }
            #expect(Self.isConflict(again))

            // Jiangsu names its inspectors (a blank body is its regulator); Zhejiang reaches none of it.
            let members = [DeltaJointMemberInput(name: "陆文涛", title: "副组长"), DeltaJointMemberInput(name: "周敏", organisation: "江苏省药品检查中心")]
            let named = try await joints.setMembers(id: planned.id, members, expecting: planned.version, by: jiangsu)
            #expect(
                named.members == [
                    JointMember(name: "陆文涛", organisation: "江苏省药品监督管理局", title: "副组长"), JointMember(name: "周敏", organisation: "江苏省药品检查中心"),
                ])
            #expect(named.version == planned.version + 1)
            await #expect(throws: UseCaseError.stale(.deltaJoint, current: named.version)) {
                try await joints.setMembers(id: planned.id, members, expecting: planned.version, by: Fixtures.caller)
            }
            let twice = [DeltaJointMemberInput(name: "周敏"), DeltaJointMemberInput(name: "周敏")]
            #expect(
                Self.fields(
                    await #expect(throws: UseCaseError.self) {
                        try await joints.setMembers(id: planned.id, twice, expecting: named.version, by: jiangsu)
                    })
                    == ["members[1].name"])
            #expect(
                Self.fields(
                    await #expect(throws: UseCaseError.self) {
                        try await joints.setMembers(id: planned.id, [], expecting: named.version, by: jiangsu)
                    }) == ["members"])
            await #expect(throws: UseCaseError.notFound(.deltaJoint)) {
                try await joints.setMembers(id: planned.id, members, expecting: named.version, by: zhejiang)
            }
            await #expect(throws: UseCaseError.notFound(.deltaJoint)) { try await joints.detail(id: planned.id, by: zhejiang) }
            #expect(try await joints.list(by: zhejiang).isEmpty)
            #expect(try await joints.list(by: jiangsu).map(\.id) == [planned.id])
            #expect(try await joints.of(inspection: open, by: Fixtures.caller)?.id == planned.id)
            #expect(try await joints.of(inspection: open, by: jiangsu) == nil, "the inspection page is the city's")

            let events = try await InspectionTaskStore.events(of: open, on: app.db).map(\.kind)
            #expect(events == [InspectionEventKind.jointPlanned.rawValue, InspectionEventKind.jointTeam.rawValue])
            #expect(
                try await AuditEntryModel.query(on: app.db).filter(\.$action ~~ ["delta.joint.plan", "delta.joint.members"]).count() == 2)

            // Once carried out, the team is fixed; the partner then reads the conclusion and the findings, never the evidence.
            let model = try #require(try await InspectionModel.find(open, on: app.db))
            model.status = InspectionStatus.completed.rawValue
            model.conclusion = InspectionConclusion.compliant.rawValue
            model.closedOn = "2026-11-20"
            try await model.update(on: app.db)
            #expect(
                Self.fields(
                    await #expect(throws: UseCaseError.self) {
                        try await joints.setMembers(id: planned.id, members, expecting: named.version, by: jiangsu)
                    })
                    == ["status"])
            let read = try await joints.detail(id: planned.id, by: jiangsu)
            #expect(read.conclusion == .compliant && read.findings.count == 2 && read.findings.allSatisfy { $0.evidence == nil })
        }
    }

    @Test(
        "a partner's result of a linked Shanghai enterprise: recognised, it settles the planned inspection and the plan counts the target done with the reference; declined with a reason; decided once; the other way, a partner recognises what Shanghai shared",
        arguments: TestDatabase.enabled)
    func recognition(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let (platform, world, target, zhejiang) = try await Self.linkedToZhejiang(app)
            let results = platform.deltaResults
            let planned = try await DeltaFixture.inspection(of: target, status: .planned, on: app.db)
            let anhui = try await Fixtures.caller("anhui", .partnerRegulator, .province(.anhui), on: platform)
            let enterprise = try await Fixtures.caller("firm", .enterpriseUser, .enterprise(target.uscc), on: platform)

            var input = DeltaResultInput(
                creditCode: target.uscc, types: ["manufacturer"], completedOn: "2026-11-02", conclusion: "compliant", reference: "浙药监检〔2026〕31号",
                summary: "延伸检查受托生产质量管理情况")
            #expect(
                Self.fields(await #expect(throws: UseCaseError.self) { try await results.record(input, by: anhui) }) == ["creditCode"],
                "no link with Anhui")
            var licence = input
            licence.types = ["licence"]
            #expect(Self.fields(await #expect(throws: UseCaseError.self) { try await results.record(licence, by: zhejiang) }) == ["types"])
            var future = input
            future.completedOn = "2026-12-01"
            #expect(Self.fields(await #expect(throws: UseCaseError.self) { try await results.record(future, by: zhejiang) }) == ["completedOn"])
            var partnerFirm = input
            partnerFirm.creditCode = world.partners[1].uscc
            #expect(Self.fields(await #expect(throws: UseCaseError.self) { try await results.record(partnerFirm, by: zhejiang) }) == ["creditCode"])
            await #expect(throws: UseCaseError.forbidden(.respondDelta, role: .enterpriseUser)) { try await results.record(input, by: enterprise) }
            input.province = "ZJ"
            let cityRecorded = try await results.record(input, by: Fixtures.caller)
            #expect(cityRecorded.province == .zhejiang)

            input.province = nil
            let result = try await results.record(input, by: zhejiang)
            #expect(result.status == .recorded && result.targetName == target.name && result.province == .zhejiang)
            #expect(try await results.list(by: anhui).isEmpty)
            await #expect(throws: UseCaseError.notFound(.deltaResult)) { try await results.detail(id: result.id, by: anhui) }
            await #expect(throws: UseCaseError.forbidden(.writeDelta, role: .partnerRegulator)) {
                try await results.recognise(id: result.id, expecting: result.version, by: zhejiang)
            }

            // Recognised: the planned inspection settled on the partner's day with the reference; the plan counts it done.
            let recognised = try await results.recognise(id: result.id, expecting: result.version, by: Fixtures.caller)
            #expect(recognised.status == .recognised && recognised.inspectionID == planned && recognised.decidedOn == Fixtures.today)
            let settled = try #require(try await InspectionModel.find(planned, on: app.db))
            #expect(settled.status == InspectionStatus.recognised.rawValue && settled.completedOn == "2026-11-02")
            #expect(settled.conclusion == "compliant" && settled.conclusionReason?.contains("浙药监检〔2026〕31号") == true)
            let report = try await platform.inspectionPlan.plan(year: 2026, by: Fixtures.caller)
            let inPlan = try #require(report.targets.first { $0.facts.target.id == target.id })
            #expect(inPlan.facts.target.lastDone[.manufacturer] == CivilDate("2026-11-02"))
            #expect(inPlan.inspections.map(\.status) == [.recognised])
            let twice = await #expect(throws: UseCaseError.self) {
                try await results.recognise(id: result.id, expecting: recognised.version, by: Fixtures.caller)
            }
            #expect(Self.fields(twice) == ["status"] && Self.isConflict(twice))

            // None waiting: the second recognised result is recorded as an inspection of its own.
            let declined = try await results.decline(
                id: cityRecorded.id, reason: "检查范围未覆盖上市放行", expecting: cityRecorded.version, by: Fixtures.caller)
            #expect(declined.status == .declined && declined.declineReason == "检查范围未覆盖上市放行")
            let another = try await results.record(input, by: zhejiang)
            let alone = try await results.recognise(id: another.id, expecting: another.version, by: Fixtures.caller)
            let made = try #require(try await InspectionModel.find(try #require(alone.inspectionID), on: app.db))
            #expect(made.source == InspectionSource.recognition.rawValue && made.status == InspectionStatus.recognised.rawValue)
            #expect(
                try await AuditEntryModel.query(on: app.db).filter(
                    \.$action ~~ ["delta.result.record", "delta.result.recognise", "delta.result.decline", "inspection.recognise"]
                ).count() == 3 + 2 + 1 + 2)

            // The other way: Zhejiang recognises a result Shanghai shared with it, once.
            let closed = try await DeltaFixture.inspection(of: world.enterprises[2], closed: true, on: app.db)
            let shared = try await platform.deltaShares.share(
                DeltaShareInput(inspection: closed.uuidString, province: "ZJ", fields: ["conclusion"]), by: Fixtures.caller)
            let regulator = try await Fixtures.caller("regulator", .cityRegulator, .city, on: platform)
            await #expect(throws: UseCaseError.forbidden(.respondDelta, role: .cityRegulator)) {
                try await platform.deltaShares.recognise(id: shared.id, reference: "x", expecting: shared.version, by: regulator)
            }
            await #expect(throws: UseCaseError.notFound(.deltaShare)) {
                try await platform.deltaShares.recognise(id: shared.id, reference: "皖", expecting: shared.version, by: anhui)
            }
            let mutual = try await platform.deltaShares.recognise(id: shared.id, reference: "浙药监互认〔2026〕2号", expecting: shared.version, by: zhejiang)
            #expect(mutual.recognisedOn == Fixtures.today && mutual.recognitionReference == "浙药监互认〔2026〕2号")
            let again = await #expect(throws: UseCaseError.self) {
                try await platform.deltaShares.recognise(id: shared.id, reference: "again", expecting: mutual.version, by: zhejiang)
            }
            #expect(Self.isConflict(again))
        }
    }
}

extension DeltaInspectionUseCaseTests {
    @Test(
        "a partner's result covering part of a planned inspection (production, with a licence inspection combined): the production inspection settled in an inspection of its own in the same month, the licence one still planned, its timeline saying so",
        arguments: TestDatabase.enabled)
    func recognitionCoversPart(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let (platform, _, target, zhejiang) = try await Self.linkedToZhejiang(app)
            let planned = try await DeltaFixture.inspection(of: target, status: .planned, types: [.manufacturer, .licence], on: app.db)
            let result = try await platform.deltaResults.record(
                DeltaResultInput(
                    creditCode: target.uscc, types: ["manufacturer"], completedOn: "2026-11-02", conclusion: "compliant", reference: "浙药监检〔2026〕50号"),
                by: zhejiang)
            let recognised = try await platform.deltaResults.recognise(id: result.id, expecting: result.version, by: Fixtures.caller)

            let kept = try #require(try await InspectionModel.find(planned, on: app.db))
            #expect(kept.status == InspectionStatus.planned.rawValue && InspectorProfile.codes(kept.types, as: InspectionType.self) == [.licence])
            #expect(kept.version == 2 && kept.conclusion == nil)
            let made = try #require(try await InspectionModel.find(try #require(recognised.inspectionID), on: app.db))
            #expect(made.id != planned && made.status == InspectionStatus.recognised.rawValue && made.source == InspectionSource.recognition.rawValue)
            #expect(InspectorProfile.codes(made.types, as: InspectionType.self) == [.manufacturer] && made.plannedMonth == "2026-12")
            let events = try await InspectionEventModel.query(on: app.db).filter(\.$inspectionID == planned).all()
            #expect(events.contains { $0.kind == "recognised" && $0.detail?.hasSuffix("本任务保留医疗器械生产许可现场检查，仍按计划实施") == true })
            let report = try await platform.inspectionPlan.plan(year: 2026, by: Fixtures.caller)
            let inPlan = try #require(report.targets.first { $0.facts.target.id == target.id })
            #expect(inPlan.facts.target.lastDone[.manufacturer] == CivilDate("2026-11-02") && inPlan.facts.target.lastDone[.licence] == nil)
        }
    }

    @Test(
        "a recognised result counts as Shanghai's own: in the target's credit file with its reference, and in a listed target's compliant run — only if carried out since the listing",
        arguments: TestDatabase.enabled)
    func recognisedCounts(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let (platform, _, target, zhejiang) = try await Self.linkedToZhejiang(app)
            let list = platform.keySupervision
            let proposed = try await list.propose(targetKind: "enterprise", targetID: target.id.uuidString, reason: "受托生产质量风险", by: Fixtures.caller)
            _ = try await list.decide(id: proposed.id, confirm: true, reason: nil, expecting: proposed.version, by: Fixtures.caller)

            func recognised(_ day: String, _ conclusion: String, _ reference: String) async throws {
                let result = try await platform.deltaResults.record(
                    DeltaResultInput(
                        creditCode: target.uscc, types: ["manufacturer"], completedOn: day, conclusion: conclusion, reference: reference),
                    by: zhejiang)
                _ = try await platform.deltaResults.recognise(id: result.id, expecting: result.version, by: Fixtures.caller)
            }
            func status() async throws -> KeySupervisionStatus? {
                try await list.list(target: target.id.uuidString, by: Fixtures.caller).items.first?.status
            }
            // Listed on 23 November: a compliant result of that day, then one of 2 November (before the
            // listing, so outside the run): still listed; a second of the 23rd makes the run of two.
            try await recognised("2026-11-23", "compliant", "浙药监检〔2026〕40号")
            try await recognised("2026-11-02", "compliant", "浙药监检〔2026〕41号")
            #expect(try await status() == .listed)
            try await recognised("2026-11-23", "compliant", "浙药监检〔2026〕42号")
            let entry = try #require(try await list.list(target: target.id.uuidString, by: Fixtures.caller).items.first)
            #expect(entry.status == .removalProposed && entry.removalReason == "列入后连续 2 次检查结论为符合要求")
            try await recognised("2026-11-10", "non_compliant", "浙药监检〔2026〕43号")

            let file = try await platform.credit.file(kind: "enterprise", id: target.id, by: Fixtures.caller)
            let inspections = file.assessment.lines.map(\.event).filter { [.compliantInspection, .nonCompliantInspection].contains($0.kind) }
            #expect(inspections.filter { $0.kind == .compliantInspection }.count == 3)
            let failed = try #require(inspections.first { $0.kind == .nonCompliantInspection })
            #expect(failed.on == CivilDate("2026-11-10") && failed.detail.hasPrefix("医疗器械生产监督检查：不符合要求；互认浙江省药品监督管理局检查结果（浙药监检〔2026〕43号"))
        }
    }
}

@Suite("The Delta map's figures")
struct DeltaMapUseCaseTests {
    @Test(
        "by province: links, enterprises on them by city, applicants' applications; the links between provinces; a partner reads its own province's part and the flows that touch it",
        arguments: TestDatabase.enabled)
    func figures(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            try await ReferenceData.load(on: app.db)
            let platform = app.testPlatform(clock: Fixtures.clock)
            let (enterprises, products) = try await Fixtures.enterprisesAndProducts(on: platform)
            var partners: [EnterpriseRecord] = []
            for draft in [DeltaFixture.suzhou, DeltaFixture.hangzhou] {
                partners.append(try await platform.enterprises.create(EnterpriseInput(draft), by: Fixtures.caller))
            }
            _ = try await Fixtures.application("CQZ2026001", product: products[0].id, acceptedOn: CivilDate("2026-03-02")!, on: platform)
            _ = try await Fixtures.application("CQZ2025001", product: products[1].id, acceptedOn: CivilDate("2025-03-02")!, on: platform)
            let links = platform.deltaLinks
            _ = try await links.create(DeltaFixture.entrusted(enterprises[0].uscc, partners[0].uscc), by: Fixtures.caller)
            _ = try await links.create(DeltaFixture.entrusted(enterprises[1].uscc, partners[0].uscc, product: "二号"), by: Fixtures.caller)
            _ = try await links.create(DeltaFixture.entrusted(enterprises[0].uscc, partners[1].uscc, product: "三号"), by: Fixtures.caller)
            // Suzhou's product made in stages in Shanghai and Hangzhou: one link, three flows.
            var segmented = DeltaFixture.entrusted(partners[0].uscc, enterprises[1].uscc, product: "四号")
            segmented.kind = "segmented"
            segmented.sites = [DeltaSiteInput(uscc: enterprises[1].uscc, stage: "原液生产"), DeltaSiteInput(uscc: partners[1].uscc, stage: "制剂灌装")]
            _ = try await links.create(segmented, by: Fixtures.caller)
            let city = try await platform.deltaMap.figures(by: Fixtures.caller)
            let shanghai = try #require(city.provinces.first { $0.province == .shanghai })
            let jiangsu = try #require(city.provinces.first { $0.province == .jiangsu })
            #expect(shanghai.links == 4 && shanghai.parties == 2 && shanghai.openApplications == 2 && shanghai.acceptedThisYear == 1)
            #expect(jiangsu.links == 3 && jiangsu.parties == 1 && jiangsu.cities.map { "\($0.name) \($0.parties)" } == ["苏州市 1"] && !jiangsu.hidden)
            #expect(city.flows.map { "\($0.from.rawValue)-\($0.to.rawValue) \($0.links)" } == ["SH-JS 3", "SH-ZJ 2", "JS-ZJ 1"])
            #expect(city.links == 4, "four links, though their flows add up to six")
            #expect(city.countsApplications)
            // An enterprise reads the links it is party to, and no application figures (not zeros that would mislead).
            let firm = try await Fixtures.caller("firm", .enterpriseUser, .enterprise(enterprises[0].uscc), on: platform)
            let firms = try await platform.deltaMap.figures(by: firm)
            #expect(!firms.countsApplications && firms.links == 2 && firms.provinces.allSatisfy { $0.openApplications == 0 })

            let partner = try await Fixtures.caller("jiangsu", .partnerRegulator, .province(.jiangsu), on: platform)
            let own = try await platform.deltaMap.figures(by: partner)
            #expect(own.provinces.filter { !$0.hidden }.map(\.province) == [.jiangsu])
            #expect(own.provinces.first { $0.province == .shanghai }.map { $0.links == 0 && $0.openApplications == 0 } == true)
            #expect(own.flows.map { "\($0.from.rawValue)-\($0.to.rawValue) \($0.links)" } == ["SH-JS 3", "JS-ZJ 1"] && own.links == 3)
            #expect(own.countsApplications)
            let district = try await Fixtures.caller("pudong", .districtOfficer, .district("310115"), on: platform)
            await #expect(throws: UseCaseError.forbidden(.readDelta, role: .districtOfficer)) { try await platform.deltaMap.figures(by: district) }
        }
    }
}
