import Fluent
import FluentSQLiteDriver
import Foundation
import SQLKit
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import Vapor

@Suite("Migrations and reference data, on SQLite and PostgreSQL")
struct StoreTests {
    @Test("migrations create the schema and revert it completely", arguments: TestDatabase.enabled)
    func migrateAndRevert(database: TestDatabase) async throws {
        try await database.withFreshLocation { location in
            try await withPlainApplication(location: location) { app in
                // when
                try await app.autoMigrate()
                // then
                #expect(try await RegionModel.query(on: app.db).count() == 0)
                // when
                try await app.autoRevert()
                // then: the table is gone
                await #expect(throws: (any Error).self) { try await RegionModel.query(on: app.db).count() }
            }
        }
    }

    @Test(
        "reference data loads the tree (Shanghai's, and the partner provinces with their cities) once; loading again changes nothing",
        arguments: TestDatabase.enabled)
    func referenceDataIsIdempotent(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            // when
            let first = try await ReferenceData.load(on: app.db)
            let second = try await ReferenceData.load(on: app.db)
            // then
            // 1 city, 16 districts, 6 parks; 3 partner provinces and 18 of their cities.
            #expect(first == ReferenceData.Outcome(inserted: 23 + 21, updated: 0, unchanged: 0))
            #expect(second == ReferenceData.Outcome(inserted: 0, updated: 0, unchanged: 23 + 21))
            #expect(try await RegionQueries.list(level: .district, on: app.db).count == 16)
            #expect(
                try await RegionQueries.list(level: .city, parent: "320000", on: app.db).map(\.name) == ["南京市", "无锡市", "常州市", "苏州市", "南通市", "泰州市"])
        }
    }

    @Test("a region renamed in the database is corrected by the next load", arguments: TestDatabase.enabled)
    func referenceDataRepairs(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            try await ReferenceData.load(on: app.db)
            // given
            let pudong = try #require(try await RegionModel.find("310115", on: app.db))
            pudong.name = "浦东"
            try await pudong.update(on: app.db)
            // when
            let outcome = try await ReferenceData.load(on: app.db)
            // then
            #expect(outcome.updated == 1)
            #expect(try await RegionModel.find("310115", on: app.db)?.name == "浦东新区")
        }
    }

    @Test("a park may only hang under a region that exists (foreign key)", arguments: TestDatabase.enabled)
    func parentMustExist(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let orphan = RegionModel(Region(code: "nowhere-park", name: "无处", level: .park, parentCode: "319999"))
            await #expect(throws: (any Error).self) { try await orphan.create(on: app.db) }
        }
    }

    @Test("the embedded SQLite file runs in WAL mode with a busy timeout and a 32 MiB page cache on every connection")
    func sqliteFileSettings() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("nested/tongdao.sqlite").path
            let location = DatabaseLocation.sqliteFile(path: path)
            try await withPlainApplication(location: location) { app in
                // when
                try await Store.prepareConnections(of: app.databases, id: .sqlite, location: location, logger: app.logger)
                // then: the missing directory was created and every event loop's connection is set up
                #expect(FileManager.default.fileExists(atPath: path))
                for eventLoop in app.eventLoopGroup.makeIterator() {
                    let sql = try #require(app.databases.database(.sqlite, logger: app.logger, on: eventLoop) as? any SQLDatabase)
                    let mode = try await sql.raw("PRAGMA journal_mode").first()?.decode(column: "journal_mode", as: String.self)
                    let timeout = try await sql.raw("PRAGMA busy_timeout").first()?.decode(column: "timeout", as: Int.self)
                    #expect(mode == "wal")
                    #expect(timeout == Store.sqliteBusyTimeoutMilliseconds)
                    let cache = try await sql.raw("PRAGMA cache_size").first()?.decode(column: "cache_size", as: Int.self)
                    #expect(cache == -32 * 1024)
                }
            }
        }
    }

    @Test("ping answers on a live database and fails on a dead one")
    func ping() async throws {
        let live: Void? = try await TestDatabase.sqlite.withFreshLocation { location in
            try await withPlainApplication(location: location) { app in try await Store.ping(app.db) }
        }
        #expect(live != nil)
        _ = try await withPlainApplication(location: .postgres(url: "postgres://nobody@127.0.0.1:1/none")) { app in
            await #expect(throws: (any Error).self) { try await Store.ping(app.db, timeout: .seconds(5)) }
        }
    }

    @Test("DATABASE_URL other than postgres is refused; TONGDAO_DATA_DIR defaults to ./.tongdao")
    func locations() throws {
        #expect(try DatabaseLocation.from(environment: [:]) == .sqliteFile(path: ".tongdao/tongdao.sqlite"))
        #expect(try DatabaseLocation.from(environment: ["DATABASE_URL": "postgresql://h/db"]) == .postgres(url: "postgresql://h/db"))
        #expect(throws: DatabaseLocation.Problem.unsupportedURL(scheme: "sqlite")) {
            try DatabaseLocation.from(environment: ["DATABASE_URL": "sqlite:///tmp/x"])
        }
    }
}

@Suite("The PostgreSQL suite runs where CI says it must")
struct PostgresSuiteGuard {
    @Test("under CI=true, TEST_DATABASE_URL must be set so the PostgreSQL cases are not skipped")
    func postgresIsConfiguredOnCI() {
        if TestDatabase.isCI {
            #expect(TestDatabase.enabled.contains(.postgres), "CI=true but TEST_DATABASE_URL is unset: the PostgreSQL suite would be skipped")
        } else {
            #expect(TestDatabase.enabled.first == .sqlite)
        }
    }
}

@Suite("Demo data")
struct DemoDataTests {
    @Test("demo data is seeded once: the second run in demo mode touches nothing", arguments: TestDatabase.enabled)
    func seedsOnce(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            try await ReferenceData.load(on: app.db)
            // when
            let demo = app.testPlatform().demo
            let first = try await demo.seedIfEmpty(by: .commandLine("serve --demo"))
            let second = try await demo.seedIfEmpty(by: .commandLine("serve --demo"))
            // then
            #expect(first == .seeded)
            #expect(second == .seededEarlier)
            #expect(
                try await PlatformSetting.query(on: app.db).count() == 3,
                "the seeded mark, the PI-load policy's next version and next year's credit points")
            #expect(
                try await UserModel.query(on: app.db).count() == Role.allCases.count + 11 + 2,
                "one demo user per role, an officer for each station, a liaison for each partner province")
            #expect(Set(try await UserModel.query(on: app.db).all().map(\.role)) == Set(Role.allCases))
            // and four enterprises in each of the partner provinces' eighteen cities
            #expect(try await EnterpriseModel.query(on: app.db).count() == DemoData.enterprises.count + DemoCity.enterpriseCount + 18 * 4)
            let products = try await ProductModel.query(on: app.db).count()
            #expect((800...1_300).contains(products), "about a thousand products, got \(products)")
            for year in 2024...2026 {
                #expect(try await CensusIntentionModel.query(on: app.db).filter(\.$year == year).count() > 0, "a census for \(year)")
            }
            let pudong = try await EnterpriseModel.query(on: app.db).filter(\.$district == "310115").count()
            #expect(pudong * 3 > DemoCity.enterpriseCount, "Pudong holds the largest share")
            // applications in every state the lifecycle reaches from the generator's journeys, some overdue
            // (and the demo enterprise's AI product, approved two years ago, for post-market vigilance)
            #expect(try await ApplicationModel.query(on: app.db).count() == DemoData.applicationCount + 1)
            let statuses = Set(try await ApplicationModel.query(on: app.db).all().map(\.status))
            #expect(
                statuses.isSuperset(of: [
                    .inReview, .awaitingSupplement, .reviewCompleted, .approved, .refused, .licensed, .industrialised, .withdrawn,
                ]), "\(statuses)")
            #expect(try await ApplicationEventModel.query(on: app.db).filter(\.$kind == .supplementRequested).count() > 50)
            // every demo row went through an audited write, once: users and named enterprises one by one,
            // the generated city as one census import a year, the applications as one bulk write, the
            // trials as another, the inspector corps as a third, the inspection history as a fourth; then next
            // month's PI-load policy, the day's sweep of trial warnings and two assessments; then each
            // step of this year's inspection tasks, an audit row and a timeline event apiece (the licence
            // inspections and the one waived among them too); next year's credit points
            let audit = try await AuditEntryModel.query(on: app.db).all()
            let steps = try await InspectionEventModel.query(on: app.db).count()
            // (a joint inspection's planning and its partner's team are timeline events audited as the joint inspection's)
            let jointSteps = try await InspectionEventModel.query(on: app.db)
                .filter(\.$kind ~~ [InspectionEventKind.jointPlanned.rawValue, InspectionEventKind.jointTeam.rawValue]).count()
            #expect(jointSteps == 4)
            #expect(audit.filter { $0.entityType == "inspection" && $0.action != "demo.inspections" }.count + jointSteps == steps)
            // and the key-supervision list's proposals and decisions (five targets listed), two credit events
            let listDecisions = audit.filter { $0.entityType == "key_supervision" || $0.entityType == "credit" }.count
            // and the vigilance product's creation, acceptance, review and approval, the reports as one bulk write,
            // the planted signal listed and put under assessment; its seven conditions set, four answered by
            // the enterprise's account and three decided; its risk file's three items, a status change, a
            // meeting, a plan and the first year's periodic report
            let vigilance = 1 + 5 + 2 + (7 + 4 + 3) + (3 + 1 + 1 + 1 + 1)
            let seededOn = app.testPlatform().clock.today()
            // and the year of consultations as one bulk write, the Delta's enterprises and links as another, two
            // confidentiality commitments, six inspections' results shared and one share withdrawn; Jiangsu's
            // recognition of a share, three partners' results, one recognised (its inspection's row counted in
            // `steps`) and one declined; three notices sent to the partners, Jiangsu's answered
            let service = 1 + 1 + 2 + 6 + 1 + (1 + 3 + 1 + 1) + (3 + 1)
            #expect(
                audit.count
                    == DemoData.users.count + DemoData.enterprises.count + 3 + 1 + 1 + 1 + 1 + 1 + 1 + 2 + steps + listDecisions + vigilance + service
            )
            // the Delta: 200 links across provinces, 20 of them segmented, the demo enterprise a party to some
            #expect(try await DeltaLinkModel.query(on: app.db).count() == 200)
            #expect(try await DeltaLinkModel.query(on: app.db).filter(\.$kind == "segmented").count() == 20)
            #expect(try await DeltaLinkModel.query(on: app.db).filter(\.$parties, .custom("LIKE"), "%,\(DemoData.enterprises[0].uscc),%").count() > 0)
            // consultations in every state, at every station and the regulator's desk, some escalated
            let consultations = try await ConsultationModel.query(on: app.db).all()
            #expect((2_000...3_500).contains(consultations.count), "about a year of questions, got \(consultations.count)")
            #expect(Set(consultations.map(\.status)) == Set(ConsultationStatus.allCases.map(\.rawValue)))
            #expect(Set(consultations.compactMap(\.station)) == Set(try ReferenceData.stations().map(\.code)))
            #expect(consultations.contains { $0.station == nil })
            #expect(consultations.contains { ($0.escalateOn ?? "9999") <= seededOn.description && $0.status == "open" })
            // weekly appointment slots at every desk, on working days only, with bookings in every state
            let slots = try await AppointmentSlotModel.query(on: app.db).all()
            #expect(Set(slots.map(\.desk)) == Set(try ReferenceData.stations().map(\.code) + [AppointmentDesk.reviewCentreCode]))
            let calendar = try await CalendarStore.load(on: app.db)
            #expect(slots.allSatisfy { AppointmentRules.notWorking(CivilDate($0.day)!, calendar: calendar) == nil })
            #expect(slots.contains { $0.day > seededOn.description } && slots.contains { $0.day < seededOn.description })
            let bookings = try await AppointmentModel.query(on: app.db).all()
            #expect(Set(bookings.map(\.status)) == Set(AppointmentStatus.allCases.map(\.rawValue)))
            for slot in slots {
                let live = bookings.filter { $0.slotID == slot.id && $0.status != "cancelled" }.count
                #expect(slot.booked == live && live <= slot.seats)
            }
            // a year of guidance sessions at every station, the attended appointments among them
            let sessions = try await GuidanceRecordModel.query(on: app.db).all()
            #expect(Set(sessions.map(\.desk)).isSuperset(of: try ReferenceData.stations().map(\.code)))
            #expect(sessions.count { $0.appointmentID != nil } == bookings.count { $0.status == "attended" })
            #expect(sessions.contains { $0.openFollowUps > 0 } && sessions.count > 500)
            // the key-varieties list: about 130 products of about 100 enterprises, in every status, plans in step order
            let varieties = try await KeyVarietyModel.query(on: app.db).all()
            #expect((110...134).contains(varieties.count) && Set(varieties.map(\.enterpriseID)).count >= 80, "\(varieties.count)")
            #expect(Set(varieties.map(\.status)) == Set(KeyVarietyStatus.allCases.map(\.rawValue)))
            #expect(varieties.allSatisfy { ServiceMilestone.problems(ServiceMilestone.plan(storedText: $0.milestones)).isEmpty })
            #expect(try await RiskItemModel.query(on: app.db).count() == 3)
            #expect(try await PeriodicRiskReportModel.query(on: app.db).count() == 1)
            let obligations = try await ObligationModel.query(on: app.db).all()
            #expect(Set(obligations.map(\.status)) == Set(ObligationStatus.allCases.map(\.rawValue)))
            let alerts = obligations.compactMap { $0.obligation?.alert(today: seededOn) }
            #expect(Set(alerts) == Set(ObligationAlert.allCases), "every alert among the demo's conditions")
            #expect(try await SignalModel.query(on: app.db).filter(\.$status == SignalStatus.underAssessment.rawValue).count() == 1)
            let reports = try await AdverseEventReportModel.query(on: app.db).all()
            #expect(reports.count > 1_000 && reports.contains { $0.late } && reports.contains { $0.reporterKind == "institution" })
            #expect(try await UDIDeviceIdentifierModel.query(on: app.db).count() > 100)
            #expect(try await KeySupervisionEntryModel.query(on: app.db).filter(\.$status == KeySupervisionStatus.listed.rawValue).count() == 5)
            // the tasks reach every state
            let states = Set(try await InspectionModel.query(on: app.db).all().map(\.status))
            #expect(states == Set(InspectionStatus.allCases.map(\.rawValue)), "\(states)")
            // four new manufacturers' licence inspections, one waived, one waivable, two not
            let licence = try await InspectionModel.query(on: app.db).filter(\.$source == InspectionSource.licence.rawValue).all()
            #expect(licence.count == 4 && licence.count { $0.status == InspectionStatus.waived.rawValue } == 1)
            #expect(Set(audit.map(\.action)).isSuperset(of: ["trial.warning.sweep", "trial.warning.assess"]))
            #expect(try await TrialWarningModel.query(on: app.db).filter(\.$status == .open).count() > 5, "warnings wait in the regulator's inbox")
            // the trials: institutions, investigators, trials with sites, a few PIs over the threshold, kept loads right
            #expect(try await TrialInstitutionModel.query(on: app.db).count() == 40)
            #expect(try await InvestigatorModel.query(on: app.db).count() == 1_503, "1,500 people, three registered twice")
            let twice = try await TrialStore.namesakes(scope: .everything, on: app.db).filter { group in
                group.count == 2 && group[0].specialty == group[1].specialty && group[0].title == group[1].title
            }
            #expect(twice.count >= 3, "the likely duplicates an officer merges")
            #expect(try await TrialModel.query(on: app.db).count() == 2_000)
            // the inspector corps at its real size, the demo inspector's account linked to the first
            let corps = try await InspectorStore.counts(on: app.db)
            #expect(try await InspectorModel.query(on: app.db).count() == DemoInspectors.total + DemoInspectors.left)
            #expect(try await InspectorStore.total(on: app.db) == 1_062)
            #expect(corps[.device]?.all == 469 && corps[.device]?.fullTime == 58)
            let linked = try #require(try await UserStore.find(username: "inspector", on: app.db)?.id)
            #expect(try await InspectorStore.find(userID: linked, on: app.db)?.name == "陈刚")
            // Their parties' codes are real credit codes: an unchanged save of any of them is accepted.
            let codes =
                try await InspectorEmploymentModel.query(on: app.db).all().compactMap(\.employerUSCC)
                + InspectorRelationshipModel.query(on: app.db).all().compactMap(\.partyUSCC)
            #expect(!codes.isEmpty && codes.allSatisfy { if case .success = USCC.validate($0) { true } else { false } })
            // this year's plan has targets done, planned, due and overdue
            let history = try await InspectionStore.inspections(ofYear: Fixtures.today.year, on: app.db)
            #expect(history.contains { $0.status == .completed } && history.contains { $0.status == .planned })
            let targets = try await InspectionStore.targets(on: app.db)
            let dues = targets.flatMap { InspectionPlan.dues($0.target, policy: .standard, today: Fixtures.today, calendar: .bundled) }
            #expect(targets.count > 40 && dues.contains { $0.dueBy < Fixtures.today } && dues.contains { $0.dueBy >= Fixtures.today })
            let declared = try await InspectorRelationshipModel.query(on: app.db).count()
            #expect((10...40).contains(declared), "a few declared ties, got \(declared)")
            let loads = try await TrialStore.recountedLoads(on: app.db)
            let investigators = try await InvestigatorModel.query(on: app.db).all()
            #expect(investigators.allSatisfy { $0.activeSites == loads[$0.id!] ?? 0 })
            let over = investigators.filter { PILoadPolicy.standard.isOverloaded($0.activeSites, specialty: $0.specialty) }.count
            #expect((5...20).contains(over), "a handful of overloaded PIs, got \(over)")
            let today = app.testPlatform().clock.today()
            let readings = try await TrialModel.query(on: app.db).all().map {
                StartRule.read(
                    pilot: $0.pilot, approvedOn: $0.approvedOn.flatMap(CivilDate.init), firstConsentOn: $0.firstConsentOn.flatMap(CivilDate.init),
                    today: today)
            }
            #expect(readings.contains { if case .started(_, late: true) = $0 { true } else { false } }, "pilot trials started late")
            #expect(readings.contains { if case .waiting(.red, _, _) = $0 { true } else { false } }, "pilot trials not started past 12 weeks")
            // every site obeys the rules the use cases check: its dates, and who may run it where
            let trials = Dictionary(uniqueKeysWithValues: try await TrialModel.query(on: app.db).all().map { ($0.id!, $0) })
            let people = Dictionary(uniqueKeysWithValues: investigators.map { ($0.id!, $0) })
            let places = Dictionary(uniqueKeysWithValues: try await TrialInstitutionModel.query(on: app.db).all().map { ($0.id!, $0) })
            for site in try await TrialSiteModel.query(on: app.db).all() {
                #expect(site.dates.problems(today: today).isEmpty, "\(site.dates)")
                let trial = try #require(trials[site.$trial.id]), pi = try #require(people[site.$investigator.id])
                let place = try #require(places[site.$institution.id])
                let problems = SiteQualification.problems(
                    .init(
                        kind: trial.kind, innovative: trial.innovative, classThree: trial.deviceClass == .three, needsApproval: trial.needsApproval),
                    investigator: .init(senior: pi.senior, earlierTrials: pi.earlierTrials),
                    institution: .init(grade: place.grade, drugFiled: place.drugFilingNumber != nil, deviceFiled: place.deviceFilingNumber != nil))
                #expect(problems.isEmpty && pi.$institution.id == site.$institution.id, "\(problems)")
            }
            let answers: Set<String> = ["obligation.evidence", "risk.periodic_report"]
            let liaisons: Set<String> = ["user:jiangsu", "user:zhejiang", "user:anhui"]
            let partnerActions: Set<String> = ["delta.joint.members", "delta.result.record", "delta.share.recognise", "delta.notice.answer"]
            #expect(
                audit.allSatisfy {
                    $0.actor == "cli:serve --demo" || (answers.contains($0.action) && $0.actor == "user:enterprise")
                        || (partnerActions.contains($0.action) && liaisons.contains($0.actor))
                })
            let admin = try #require(try await UserStore.find(username: "admin", on: app.db))
            #expect(
                try await app.testPlatform().credentials.verifyPassword(DemoData.password, against: admin.passwordHash),
                "the README's demo password signs in")
        }
    }

    @Test("the generated city is the same on every run (a fixed seed), and every generated row is valid")
    func deterministic() {
        let first = DemoCity.census(currentYear: 2026), second = DemoCity.census(currentYear: 2026)
        #expect(first.map(\.records) == second.map(\.records))
        #expect(first.map(\.year) == [2024, 2025, 2026])
        for (_, records) in first {
            for record in records {
                #expect(record.enterprise.problems().isEmpty && record.product.problems().isEmpty, "\(record)")
            }
        }
    }

    @Test("a database with real users is never given demo data", arguments: TestDatabase.enabled)
    func realDataUntouched(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            try await ReferenceData.load(on: app.db)
            try await Fixtures.user("real.admin", role: .cityAdmin, scope: .city, on: app.testPlatform())
            let outcome = try await app.testPlatform().demo.seedIfEmpty(by: .commandLine("serve --demo"))
            #expect(outcome == .alreadyPopulated)
            #expect(try await EnterpriseModel.query(on: app.db).count() == 0)
        }
    }
}

@Suite("The stored procedure catalogue")
struct ProcedureStoreTests {
    @Test("seeding adds what is missing and never overwrites an administrator's change", arguments: TestDatabase.enabled)
    func seedingRespectsEdits(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let first = try await ProcedureStore.seedMissing(on: app.db)
            #expect(first == ProcedureCatalogue.bundled().reduce(0) { $0 + $1.versions.count })
            // given: an administrator changed a limit
            let row = try #require(try await ProcedureVersionModel.query(on: app.db).filter(\.$code == "device.class2.registration").first())
            var version = try row.decoded()
            version.review = 55
            row.definition = String(decoding: try JSONEncoder().encode(version), as: UTF8.self)
            try await row.update(on: app.db)
            // when
            let second = try await ProcedureStore.seedMissing(on: app.db)
            // then
            #expect(second == 0)
            let stored = try await ProcedureStore.procedure(code: "device.class2.registration", on: app.db)
            #expect(stored?.versions.first?.review == 55)
        }
    }
}
