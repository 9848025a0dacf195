import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import Vapor

@Suite("Clinical trials: the registry, kept PI loads, the 12-week start rule, who sees what")
struct TrialTests {
    static let today = Fixtures.today

    struct World {
        var platform: Platform
        var enterprises: [EnterpriseRecord]
        var xuhui: InstitutionRecord
        var pudong: InstitutionRecord
        var oncologist: InvestigatorRecord
        var cardiologist: InvestigatorRecord
    }

    static func world(_ app: Application) async throws -> World {
        try await ReferenceData.load(on: app.db)
        let platform = app.testPlatform(clock: .starting(on: today))
        let enterprises = try await Fixtures.enterprises(on: platform)
        let trials = platform.trials
        let xuhui = try await trials.createInstitution(
            InstitutionInput(
                name: "复旦大学附属中山医院", code: "12310000425005166U", district: "310104", grade: "3a", drugFilingNumber: "药物临床机构备字2019001",
                drugFiledOn: "2019-12-20", specialties: [SpecialtyInput(name: "肿瘤科", filedOn: "2019-12-20")]), by: Fixtures.caller)
        let pudong = try await trials.createInstitution(
            InstitutionInput(
                name: "上海市浦东新区人民医院", code: "12310115425034091X", district: "310115", grade: "2a", drugFilingNumber: "药物临床机构备字2020017",
                drugFiledOn: "2020-06-01", deviceFilingNumber: "械临机构备202100123", deviceFiledOn: "2021-03-01"), by: Fixtures.caller)
        let oncologist = try await trials.createInvestigator(
            InvestigatorInput(
                institutionID: xuhui.id.uuidString, name: "王明", specialty: "肿瘤科", title: "主任医师", senior: true, earlierTrials: 12,
                gcpTrainedOn: "2025-06-01"), by: Fixtures.caller)
        let cardiologist = try await trials.createInvestigator(
            InvestigatorInput(institutionID: pudong.id.uuidString, name: "李华", specialty: "心内科", title: "副主任医师", senior: true, earlierTrials: 4),
            by: Fixtures.caller)
        return World(platform: platform, enterprises: enterprises, xuhui: xuhui, pudong: pudong, oncologist: oncologist, cardiologist: cardiologist)
    }

    static func drugTrial(_ number: String, sponsor: EnterpriseRecord, approvedDaysAgo: Int = 30, pilot: Bool = false, on platform: Platform)
        async throws -> TrialDetail
    {
        try await platform.trials.createTrial(
            TrialInput(
                registrationNumber: number, title: "注射用 \(number) 在晚期实体瘤患者中的 I 期研究", kind: "drug", phase: "phase_1",
                sponsor: sponsor.uscc, approvedOn: today.adding(days: -approvedDaysAgo).description, pilot: pilot), by: Fixtures.caller)
    }

    /// Every kept load equals a count of the raw rows.
    static func loadsAgree(_ app: Application) async throws {
        let recounted = try await TrialStore.recountedLoads(on: app.db)
        for investigator in try await InvestigatorModel.query(on: app.db).all() {
            #expect(investigator.activeSites == recounted[try investigator.requireID()] ?? 0, "\(investigator.name)")
        }
    }

    @Test(
        "a PI's load is kept by every write to a site and equals a recount; past the threshold the PI is listed, by name only for the roles that may read it",
        arguments: TestDatabase.enabled)
    func loads(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let world = try await Self.world(app)
            let trials = world.platform.trials
            var made: [TrialDetail] = []
            for index in 0..<6 {
                let trial = try await Self.drugTrial("CTR2026\(1000 + index)", sponsor: world.enterprises[index % 2], on: world.platform)
                made.append(
                    try await trials.addSite(
                        SiteInput(
                            institutionID: world.xuhui.id.uuidString, investigatorID: world.oncologist.id.uuidString, role: "lead",
                            ethicsApprovedOn: Self.today.adding(days: -20).description, activatedOn: Self.today.adding(days: -10).description),
                        to: trial.trial.id, by: Fixtures.caller))
                try await Self.loadsAgree(app)
            }
            #expect(try await trials.investigator(id: world.oncologist.id, by: Fixtures.caller).investigator.activeSites == 6)
            let report = try await trials.piLoad(by: Fixtures.caller)
            #expect(report.overloaded == 1 && report.named && report.investigators.map(\.name) == ["王明"])
            #expect(report.investigators.first?.threshold == 5 && report.investigators.first?.overloaded == true)
            // The industry department counts, without names.
            let industry = Caller.user(id: UUID(), username: "industry", role: .industryOfficer, scope: .city)
            let counted = try await trials.piLoad(by: industry)
            #expect(counted.overloaded == 1 && !counted.named && counted.investigators.isEmpty)
            // Closing a site, and moving one to another PI, count both PIs again.
            let first = made[0].trial
            let site = try #require(first.sites.first)
            var input = SiteInput(
                institutionID: world.xuhui.id.uuidString, investigatorID: world.oncologist.id.uuidString, role: "lead",
                ethicsApprovedOn: Self.today.adding(days: -20).description, activatedOn: Self.today.adding(days: -10).description,
                closedOn: Self.today.description)
            let closed = try await trials.updateSite(input, site: site.id, of: first.id, expecting: site.version, by: Fixtures.caller)
            try await Self.loadsAgree(app)
            #expect(try await trials.piLoad(by: Fixtures.caller).overloaded == 0, "five active sites are within the threshold")
            // A stale version is refused, nothing written.
            input.closedOn = nil
            let stale = await #expect(throws: UseCaseError.self) {
                try await trials.updateSite(input, site: site.id, of: first.id, expecting: site.version, by: Fixtures.caller)
            }
            #expect(stale == .stale(.site, current: site.version + 1))
            #expect(closed.events.map(\.kind) == [.registered, .siteAdded, .siteChanged])
            // Another institution's PI cannot run a site here.
            input.investigatorID = world.cardiologist.id.uuidString
            let elsewhere = await #expect(throws: UseCaseError.self) {
                try await trials.updateSite(input, site: site.id, of: first.id, expecting: site.version + 1, by: Fixtures.caller)
            }
            #expect(elsewhere?.problems.map(\.field) == ["investigatorId"])
            try await Self.loadsAgree(app)
            let audit = try await AuditEntryModel.query(on: app.db).filter(\.$action ~~ ["trial.site.create", "trial.site.update"]).count()
            #expect(audit == 7)
        }
    }

    @Test("bad input is refused naming the field, and nothing is written", arguments: TestDatabase.enabled)
    func badInput(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let world = try await Self.world(app)
            let trials = world.platform.trials
            let rows = try await AuditEntryModel.query(on: app.db).count()
            func fields(_ body: () async throws -> Any) async -> [String] {
                do {
                    _ = try await body()
                    return []
                } catch let error as UseCaseError {
                    if case .conflict(let problem) = error { return ["conflict:" + problem.field] }
                    return error.problems.map(\.field)
                } catch {
                    return ["\(error)"]
                }
            }
            let sponsor = world.enterprises[0].uscc
            #expect(
                await fields {
                    try await trials.createTrial(
                        TrialInput(registrationNumber: "CTR-12", title: "x", kind: "drug", phase: "phase_1", sponsor: sponsor), by: Fixtures.caller)
                } == ["registrationNumber"])
            #expect(
                await fields {
                    try await trials.createTrial(
                        TrialInput(registrationNumber: "CTR20260001", title: "x", kind: "drug", phase: "not_applicable", sponsor: sponsor),
                        by: Fixtures.caller)
                } == ["phase"])
            #expect(
                await fields {
                    try await trials.createTrial(
                        TrialInput(registrationNumber: "CTR20260001", title: "x", kind: "drug", phase: "phase_2", sponsor: "91310000000000000X"),
                        by: Fixtures.caller)
                } == ["sponsor"])
            #expect(
                await fields {
                    try await trials.createTrial(
                        TrialInput(
                            registrationNumber: "CTR20260001", title: "x", kind: "drug", phase: "phase_2", sponsor: sponsor,
                            approvedOn: Self.today.adding(days: 1).description), by: Fixtures.caller)
                } == ["approvedOn"])
            let trial = try await Self.drugTrial("CTR20260001", sponsor: world.enterprises[0], on: world.platform)
            #expect(
                await fields { try await Self.drugTrial("CTR20260001", sponsor: world.enterprises[0], on: world.platform) } == [
                    "conflict:registrationNumber"
                ])
            let site = { (ethics: String?, activated: String?, investigator: UUID) in
                SiteInput(
                    institutionID: world.xuhui.id.uuidString, investigatorID: investigator.uuidString, role: "participating",
                    ethicsApprovedOn: ethics,
                    activatedOn: activated)
            }
            let (early, late) = (Self.today.adding(days: -20).description, Self.today.adding(days: -5).description)
            #expect(
                await fields { try await trials.addSite(site(late, early, world.oncologist.id), to: trial.trial.id, by: Fixtures.caller) } == [
                    "activatedOn"
                ])
            #expect(
                await fields { try await trials.addSite(site(early, late, world.cardiologist.id), to: trial.trial.id, by: Fixtures.caller) } == [
                    "investigatorId"
                ])
            #expect(
                await fields { try await trials.addSite(site("2026-13-01", nil, world.oncologist.id), to: trial.trial.id, by: Fixtures.caller) } == [
                    "ethicsApprovedOn"
                ])
            _ = try await trials.addSite(site(early, late, world.oncologist.id), to: trial.trial.id, by: Fixtures.caller)
            #expect(
                await fields { try await trials.addSite(site(early, late, world.oncologist.id), to: trial.trial.id, by: Fixtures.caller) } == [
                    "conflict:institutionId"
                ])
            #expect(
                await fields {
                    try await trials.createInstitution(
                        InstitutionInput(
                            name: "某医院", code: "12310000425005166U", district: "310104", grade: "3a", drugFilingNumber: "x", drugFiledOn: "2020-01-01"
                        ), by: Fixtures.caller)
                } == ["conflict:code"])
            #expect(
                await fields {
                    try await trials.createInstitution(
                        InstitutionInput(name: "某医院", code: "X1", district: "310199", grade: "五甲"), by: Fixtures.caller)
                } == ["grade", "drugFilingNumber", "district"])
            // Two trials and one site were written, each with its audit row.
            #expect(try await AuditEntryModel.query(on: app.db).count() == rows + 2)
            #expect(try await TrialSiteModel.query(on: app.db).count() == 1)
        }
    }

    @Test(
        "an institution's office sees its own institution, investigators and the trials run there; a sponsor its own trials; 404 outside",
        arguments: TestDatabase.enabled)
    func scopes(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let world = try await Self.world(app)
            let trials = world.platform.trials
            let here = try await Self.drugTrial("CTR20261001", sponsor: world.enterprises[0], on: world.platform)
            let there = try await Self.drugTrial("CTR20261002", sponsor: world.enterprises[1], on: world.platform)
            let hereSite = try await trials.addSite(
                SiteInput(institutionID: world.xuhui.id.uuidString, investigatorID: world.oncologist.id.uuidString, role: "lead"), to: here.trial.id,
                by: Fixtures.caller)
            _ = try await trials.addSite(
                SiteInput(institutionID: world.pudong.id.uuidString, investigatorID: world.cardiologist.id.uuidString, role: "lead"),
                to: there.trial.id,
                by: Fixtures.caller)
            let office = Caller.user(
                id: UUID(), username: "zhongshan.office", role: .trialInstitutionOfficer, scope: .institution(world.xuhui.id.uuidString))
            #expect(try await trials.trials(by: office).items.map(\.id) == [here.trial.id])
            #expect(try await trials.institutions(by: office).items.map(\.id) == [world.xuhui.id])
            #expect(try await trials.investigators(institution: nil, by: office).items.map(\.id) == [world.oncologist.id])
            for refused in [
                { _ = try await trials.detail(id: there.trial.id, by: office) },
                { _ = try await trials.institution(id: world.pudong.id, by: office) },
                { _ = try await trials.investigator(id: world.cardiologist.id, by: office) },
            ] as [() async throws -> Void] {
                await #expect(throws: UseCaseError.self) { try await refused() }
            }
            // The office keeps its own sites: it records the activation; it adds none and registers no trial.
            let site = try #require(hereSite.trial.sites.first)
            let activated = try await trials.updateSite(
                SiteInput(
                    institutionID: nil, investigatorID: world.oncologist.id.uuidString, role: "lead",
                    ethicsApprovedOn: Self.today.adding(days: -3).description, activatedOn: Self.today.description),
                site: site.id, of: here.trial.id, expecting: site.version, by: office)
            #expect(activated.trial.sites.first?.dates.activatedOn == Self.today)
            #expect(activated.events.allSatisfy { $0.recordedBy == nil }, "who recorded is for the regulator's roles")
            await #expect(throws: UseCaseError.forbidden(.writeTrials, role: .trialInstitutionOfficer)) {
                try await trials.createTrial(
                    TrialInput(registrationNumber: "CTR20261003", title: "x", kind: "drug", phase: "phase_1", sponsor: world.enterprises[0].uscc),
                    by: office)
            }
            // A sponsor's account sees its own trial, not another sponsor's.
            let sponsor = Caller.user(id: UUID(), username: "sponsor", role: .enterpriseUser, scope: .enterprise(world.enterprises[0].uscc))
            #expect(try await trials.trials(by: sponsor).items.map(\.id) == [here.trial.id])
            await #expect(throws: UseCaseError.notFound(.trial)) { try await trials.detail(id: there.trial.id, by: sponsor) }
            let registered = try await trials.createTrial(
                TrialInput(registrationNumber: "械临备20260042", title: "冠脉支架系统临床试验", kind: "device", phase: nil, sponsor: world.enterprises[0].uscc),
                by: sponsor)
            #expect(registered.trial.phase == .notApplicable && registered.trial.uscc == world.enterprises[0].uscc)
            await #expect(throws: UseCaseError.self) {
                try await trials.createTrial(
                    TrialInput(registrationNumber: "械临备20260043", title: "x", kind: "device", phase: nil, sponsor: world.enterprises[1].uscc),
                    by: sponsor)
            }
            // The city regulator reads everything.
            let regulator = Caller.user(id: UUID(), username: "regulator", role: .cityRegulator, scope: .city)
            #expect(Set(try await trials.trials(by: regulator).items.map(\.id)) == [here.trial.id, there.trial.id, registered.trial.id])
        }
    }

    @Test("the 12-week start rule: green, amber from 8 weeks, red after 12, and a start after the limit is late")
    func startRule() {
        let approved = CivilDate("2026-01-05")!
        func read(_ days: Int, consent: Int? = nil) -> StartRule.Reading {
            StartRule.read(
                pilot: true, approvedOn: approved, firstConsentOn: consent.map { approved.adding(days: $0) }, today: approved.adding(days: days))
        }
        #expect(read(55) == .waiting(level: .green, daysLeft: 29, due: approved.adding(days: 84)))
        #expect(read(56) == .waiting(level: .amber, daysLeft: 28, due: approved.adding(days: 84)))
        #expect(read(84) == .waiting(level: .amber, daysLeft: 0, due: approved.adding(days: 84)))
        #expect(read(85) == .waiting(level: .red, daysLeft: -1, due: approved.adding(days: 84)))
        #expect(read(100, consent: 84) == .started(on: approved.adding(days: 84), late: false))
        #expect(read(100, consent: 85) == .started(on: approved.adding(days: 85), late: true))
        #expect(StartRule.read(pilot: false, approvedOn: approved, firstConsentOn: nil, today: approved.adding(days: 200)) == .notApplicable)
    }

    @Test("site dates come in order and never after today; a site is active from its activation until the day it closes")
    func siteDates() {
        let day = CivilDate("2026-06-01")!
        let ordered = SiteDates(
            ethicsApprovedOn: day, activatedOn: day.adding(days: 3), firstSubjectOn: day.adding(days: 9), closedOn: day.adding(days: 30))
        #expect(ordered.problems(today: day.adding(days: 30)).isEmpty)
        #expect(ordered.problems(today: day.adding(days: 29)).map(\.field) == ["closedOn"])
        #expect(!ordered.isActive(on: day.adding(days: 2)) && ordered.isActive(on: day.adding(days: 3)) && ordered.isActive(on: day.adding(days: 29)))
        #expect(!ordered.isActive(on: day.adding(days: 30)))
        let backwards = SiteDates(ethicsApprovedOn: day.adding(days: 5), activatedOn: day, firstSubjectOn: day.adding(days: 2))
        #expect(backwards.problems(today: day.adding(days: 10)).map(\.field) == ["activatedOn", "firstSubjectOn"])
        #expect(SiteDates(firstSubjectOn: day).problems(today: day).map(\.field) == ["activatedOn"])
    }

    @Test("registration numbers: CTR and digits for drug trials, a filing number for devices")
    func registrationNumbers() {
        #expect(TrialRegistrationNumber.problem("CTR20241234", kind: .drug) == nil)
        for bad in ["CTR2024", "ctr20241234", "CTR2024123X", "20241234", "CTR 20241234"] {
            #expect(TrialRegistrationNumber.problem(bad, kind: .drug)?.field == "registrationNumber", "\(bad)")
        }
        #expect(TrialRegistrationNumber.problem("械临备20260042", kind: .device) == nil)
        #expect(TrialRegistrationNumber.problem("械临 备", kind: .ivd) != nil)
    }

    @Test(
        "who may run a site: a senior PI with three earlier trials where the rules ask, at a filed institution of the right grade; else refused naming the rule, unless the regulator records an exemption",
        arguments: TestDatabase.enabled)
    func qualifications(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let world = try await Self.world(app)
            let trials = world.platform.trials
            let junior = try await trials.createInvestigator(
                InvestigatorInput(
                    institutionID: world.xuhui.id.uuidString, name: "赵新", specialty: "肿瘤科", title: "主治医师", senior: false, earlierTrials: 1),
                by: Fixtures.caller)
            let trial = try await Self.drugTrial("CTR20267001", sponsor: world.enterprises[0], on: world.platform)
            let site = SiteInput(institutionID: world.xuhui.id.uuidString, investigatorID: junior.id.uuidString, role: "lead")
            let refused = await #expect(throws: UseCaseError.self) { try await trials.addSite(site, to: trial.trial.id, by: Fixtures.caller) }
            #expect(refused?.problems.map(\.field) == ["investigatorId", "investigatorId"])
            #expect(refused?.problems.first?.chinese.contains("高级职称") == true && refused?.problems.last?.chinese.contains("3 项以上") == true)
            // The sponsor may not exempt; the regulator may, with a reason kept on the site and in the audit row.
            let sponsor = Caller.user(id: UUID(), username: "sponsor", role: .enterpriseUser, scope: .enterprise(world.enterprises[0].uscc))
            var exempted = site
            exempted.exemption = "罕见病领域，经专家论证同意"
            await #expect(throws: UseCaseError.fieldForbidden(FieldProblem("exemption", "is recorded by the regulator", chinese: "资格豁免由市药监局登记"))) {
                try await trials.addSite(exempted, to: trial.trial.id, by: sponsor)
            }
            let regulator = Caller.user(id: UUID(), username: "regulator", role: .cityRegulator, scope: .city)
            let added = try await trials.addSite(exempted, to: trial.trial.id, by: regulator)
            let stored = try #require(added.trial.sites.first)
            #expect(stored.exemption == "罕见病领域，经专家论证同意")
            let audit = try #require(try await AuditEntryModel.query(on: app.db).filter(\.$action == "trial.site.create").sort(\.$at).all().last)
            #expect(audit.after?.contains("罕见病领域") == true && audit.actor == "user:regulator")
            // The sponsor changes the dates; the exemption holds while the PI stays.
            var dated = site
            dated.activatedOn = Self.today.description
            let changed = try await trials.updateSite(dated, site: stored.id, of: trial.trial.id, expecting: stored.version, by: sponsor)
            #expect(changed.trial.sites.first?.exemption == stored.exemption && changed.trial.sites.first?.dates.activatedOn == Self.today)
            // A device trial that needs approval, at a 二级甲等 hospital: refused naming the institution.
            let device = try await trials.createTrial(
                TrialInput(
                    registrationNumber: "械临备20267002", title: "植入式心脏起搏器临床试验", kind: "device", phase: nil, sponsor: world.enterprises[0].uscc,
                    deviceClass: "III", needsApproval: true), by: Fixtures.caller)
            let grade = await #expect(throws: UseCaseError.self) {
                try await trials.addSite(
                    SiteInput(institutionID: world.pudong.id.uuidString, investigatorID: world.cardiologist.id.uuidString, role: "lead"),
                    to: device.trial.id,
                    by: Fixtures.caller)
            }
            #expect(grade?.problems.map(\.field) == ["institutionId"] && grade?.problems.first?.chinese.contains("三级甲等") == true)
            // A drug-only institution runs no device trial.
            let filing = await #expect(throws: UseCaseError.self) {
                try await trials.addSite(
                    SiteInput(institutionID: world.xuhui.id.uuidString, investigatorID: world.oncologist.id.uuidString, role: "lead"),
                    to: device.trial.id,
                    by: Fixtures.caller)
            }
            #expect(filing?.problems.map(\.chinese) == ["该机构未备案为医疗器械临床试验机构"])
        }
    }

    @Test("the qualification rules, one by one")
    func qualificationRules() {
        let senior = SiteQualification.Investigator(senior: true, earlierTrials: 3)
        let novice = SiteQualification.Investigator(senior: true, earlierTrials: 2)
        let filed = SiteQualification.Institution(grade: .tertiaryA, drugFiled: true, deviceFiled: true)
        #expect(SiteQualification.problems(.init(kind: .drug), investigator: senior, institution: filed).isEmpty)
        #expect(SiteQualification.problems(.init(kind: .drug), investigator: novice, institution: filed).map(\.field) == ["investigatorId"])
        #expect(SiteQualification.problems(.init(kind: .device), investigator: novice, institution: filed).isEmpty, "a Class II device trial")
        #expect(SiteQualification.problems(.init(kind: .device, classThree: true), investigator: novice, institution: filed).count == 1)
        #expect(SiteQualification.problems(.init(kind: .ivd, innovative: true), investigator: novice, institution: filed).count == 1)
        let secondary = SiteQualification.Institution(grade: .secondaryA, drugFiled: false, deviceFiled: true)
        #expect(SiteQualification.problems(.init(kind: .device), investigator: senior, institution: secondary).isEmpty)
        #expect(SiteQualification.problems(.init(kind: .device, needsApproval: true), investigator: senior, institution: secondary).count == 1)
        #expect(
            SiteQualification.problems(
                .init(kind: .device), investigator: senior, institution: .init(grade: .secondaryB, drugFiled: false, deviceFiled: true)
            )
            .map(\.field) == ["institutionId"])
        #expect(SiteQualification.problems(.init(kind: .drug), investigator: senior, institution: secondary).map(\.field) == ["institutionId"])
    }

    @Test(
        "the PI-load threshold is policy held as data: a version in force from a day, overrides by specialty, city_admin only",
        arguments: TestDatabase.enabled)
    func loadPolicy(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let world = try await Self.world(app)
            let trials = world.platform.trials
            for index in 0..<4 {
                let trial = try await Self.drugTrial("CTR2026\(3000 + index)", sponsor: world.enterprises[0], on: world.platform)
                _ = try await trials.addSite(
                    SiteInput(
                        institutionID: world.xuhui.id.uuidString, investigatorID: world.oncologist.id.uuidString, role: "lead",
                        activatedOn: Self.today.adding(days: -3).description), to: trial.trial.id, by: Fixtures.caller)
            }
            let none = try await trials.policies(by: Fixtures.caller), standard = try await trials.policy()
            #expect(none.isEmpty && standard == .standard)
            #expect(try await trials.piLoad(by: Fixtures.caller).overloaded == 0, "4 active sites are within the standard 5")
            // From today, 3; from tomorrow, 10 for the oncologists.
            _ = try await trials.setPolicy(PILoadPolicy(threshold: 3, effectiveFrom: Self.today.description), by: Fixtures.caller)
            let versions = try await trials.setPolicy(
                PILoadPolicy(threshold: 3, bySpecialty: [" 肿瘤科 ": 10], effectiveFrom: Self.today.adding(days: 1).description), by: Fixtures.caller)
            #expect(versions.map(\.effectiveFrom) == [Self.today.description, Self.today.adding(days: 1).description])
            #expect(versions.last?.bySpecialty == ["肿瘤科": 10])
            let report = try await trials.piLoad(by: Fixtures.caller)
            #expect(report.overloaded == 1 && report.investigators.first?.threshold == 3)
            let tomorrow = app.testPlatform(clock: .starting(on: Self.today.adding(days: 1))).trials
            #expect(try await tomorrow.piLoad(by: Fixtures.caller).overloaded == 0)
            #expect(try await tomorrow.investigator(id: world.oncologist.id, by: Fixtures.caller).investigator.threshold == 10)
            // Bad versions name their field; a regulator may not change it.
            let past = await #expect(throws: UseCaseError.self) {
                try await trials.setPolicy(PILoadPolicy(threshold: 0, effectiveFrom: Self.today.adding(days: -1).description), by: Fixtures.caller)
            }
            #expect(past?.problems.map(\.field) == ["threshold", "effectiveFrom"])
            let crowded = Dictionary(uniqueKeysWithValues: (0...PILoadPolicy.mostSpecialties).map { ("专业\($0)", 6) })
            let tooMany = await #expect(throws: UseCaseError.self) {
                try await trials.setPolicy(
                    PILoadPolicy(threshold: 4, bySpecialty: crowded, effectiveFrom: Self.today.description), by: Fixtures.caller)
            }
            #expect(tooMany?.problems.map(\.field) == ["bySpecialty"])
            let regulator = Caller.user(id: UUID(), username: "regulator", role: .cityRegulator, scope: .city)
            await #expect(throws: UseCaseError.forbidden(.writeProcedure, role: .cityRegulator)) {
                try await trials.setPolicy(PILoadPolicy(threshold: 4, effectiveFrom: Self.today.description), by: regulator)
            }
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "settings.pi_load").count() == 2)
        }
    }

    @Test(
        "an institution's site times are the medians of its sites' dates, by specialty; another institution's office is not shown them",
        arguments: TestDatabase.enabled)
    func siteTimes(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let world = try await Self.world(app)
            let trials = world.platform.trials
            // Three trials led from 浦东 (ethics approved 120 days ago) with a participating site at 中山:
            // its ethics approval 10, 20 and 60 days after the lead's, activation 5, 15 and 40 days after that.
            for (index, (ethics, activation)) in [(10, 5), (20, 15), (60, 40)].enumerated() {
                let trial = try await Self.drugTrial(
                    "CTR2026\(3000 + index)", sponsor: world.enterprises[0], approvedDaysAgo: 130, on: world.platform)
                _ = try await trials.addSite(
                    SiteInput(
                        institutionID: world.pudong.id.uuidString, investigatorID: world.cardiologist.id.uuidString, role: "lead",
                        ethicsApprovedOn: Self.today.adding(days: -120).description), to: trial.trial.id, by: Fixtures.caller)
                _ = try await trials.addSite(
                    SiteInput(
                        institutionID: world.xuhui.id.uuidString, investigatorID: world.oncologist.id.uuidString, role: "participating",
                        ethicsApprovedOn: Self.today.adding(days: -120 + ethics).description,
                        activatedOn: Self.today.adding(days: -120 + ethics + activation).description),
                    to: trial.trial.id, by: Fixtures.caller)
            }
            let report = try await trials.siteTimes(institution: world.xuhui.id, by: Fixtures.caller)
            #expect(report.overall.sites == 3 && report.overall.ethicsMedianDays == 20 && report.overall.activationMedianDays == 15)
            #expect(report.bySpecialty.map(\.specialty) == ["肿瘤科"])
            // The lead sites: no ethics review of their own to measure, and not activated.
            let lead = try await trials.siteTimes(institution: world.pudong.id, by: Fixtures.caller).overall
            #expect(lead.sites == 3 && lead.ethicsSites == 0 && lead.activationSites == 0 && lead.ethicsMedianDays == nil)
            let office = Caller.user(
                id: UUID(), username: "pudong.office", role: .trialInstitutionOfficer, scope: .institution(world.pudong.id.uuidString))
            await #expect(throws: UseCaseError.notFound(.institution)) { try await trials.siteTimes(institution: world.xuhui.id, by: office) }
        }
    }

    @Test(
        "the trial-scale generator, at a small size: the rows it promises, each trial's timeline whole, the kept loads a recount, the newest trial first",
        arguments: TestDatabase.enabled)
    func trialScaleSmall(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let world = try await Self.world(app)
            let summary = try await TrialScale.generate(
                .init(institutions: 4, investigators: 40, trials: 300), today: Self.today, now: world.platform.clock.now(), batch: 70,
                by: .commandLine("test"), on: app.db)
            #expect(summary.institutions == 4 && summary.investigators == 40 && summary.trials == 300)
            #expect(try await TrialModel.query(on: app.db).count() == 300)
            #expect(try await TrialSiteModel.query(on: app.db).count() == summary.sites && (300...1_200).contains(summary.sites))
            #expect(try await TrialEventModel.query(on: app.db).count() == summary.events && summary.events == 300 + summary.sites)
            try await Self.loadsAgree(app)
            let kept = try await InvestigatorModel.query(on: app.db).all().reduce(0) { $0 + $1.activeSites }
            #expect(kept == summary.activeSites && summary.activeSites > 0, "one trial in 25 has its sites open")
            let numbers = try await TrialModel.query(on: app.db).all()
            #expect(numbers.allSatisfy { TrialRegistrationNumber.problem($0.registrationNumber, kind: $0.kind) == nil })
            // Through the use cases: the newest generated trial first, its timeline registered then each site added.
            let page = try await world.platform.trials.trials(limit: 5, by: Fixtures.caller)
            #expect(page.items.first?.title == "规模测试药物临床试验 300 号" || page.items.first?.title == "规模测试医疗器械临床试验 300 号")
            for record in page.items {
                let detail = try await world.platform.trials.detail(id: record.id, by: Fixtures.caller)
                #expect(detail.events.map(\.sequence) == Array(1...(1 + record.sites.count)))
                #expect(detail.events.map(\.kind) == [.registered] + Array(repeating: .siteAdded, count: record.sites.count))
                #expect(Set(detail.events.compactMap(\.siteID)) == Set(record.sites.map(\.id)))
            }
            let report = try await world.platform.trials.piLoad(by: Fixtures.caller)
            #expect(report.investigators.allSatisfy { $0.activeSites > PILoadPolicy.standard.threshold })
        }
    }
}
