import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import Vapor

@Suite("Trial registry sheets: rows checked by the write's rules, named when rejected, all or none, a re-import changes nothing")
struct TrialImportTests {
    static let today = Fixtures.today

    static func csv(_ rows: [[String]]) -> Data { Data(CSV.render(rows).utf8) }

    static let ethics = today.adding(days: -30).description, active = today.adding(days: -20).description

    /// A row of the trials sheet: a drug trial approved 60 days ago and one site of it.
    static func trialRow(
        _ number: String, title: String = "注射用 XYZ 的 I 期研究", phase: String = "I期", sponsor: String, institution: String,
        pi: (id: String, name: String), role: String = "组长单位", activated: String = "", ethicsOn: String? = nil
    ) -> [String] {
        [
            number, title, "药物", phase, "", sponsor, today.adding(days: -60).description, "否", "", "", "否", "否", institution, pi.id, pi.name, role,
            ethicsOn ?? ethics, activated, "", "30", "", "",
        ]
    }

    static func imports(on app: Application) async throws -> Int {
        try await AuditEntryModel.query(on: app.db).filter(\.$action == "trial_registry.import").count()
    }

    @Test("an export of every sheet, CSV and XLSX, imports back with nothing changed and nothing written", arguments: TestDatabase.enabled)
    func roundTrip(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let world = try await TrialTests.world(app)
            let trials = world.platform.trials
            let trial = try await TrialTests.drugTrial("CTR20264001", sponsor: world.enterprises[0], pilot: true, on: world.platform)
            _ = try await trials.addSite(
                SiteInput(
                    institutionID: world.xuhui.id.uuidString, investigatorID: world.oncologist.id.uuidString, role: "lead",
                    ethicsApprovedOn: Self.today.adding(days: -20).description, activatedOn: Self.today.adding(days: -10).description,
                    targetEnrolment: 30), to: trial.trial.id, by: Fixtures.caller)
            _ = try await TrialTests.drugTrial("CTR20264002", sponsor: world.enterprises[1], on: world.platform)
            for sheet in TrialSheet.allCases {
                for format in CensusSheets.Format.allCases {
                    let file = try await trials.export(sheet, format: format, by: Fixtures.caller)
                    let report = try await trials.importFile(file, sheet: sheet, dryRun: false, by: Fixtures.caller)
                    #expect(report.rejected.isEmpty, "\(sheet) \(format): \(report.rejected)")
                    #expect(report.committed && report.added == 0 && report.updated == 0, "\(sheet) \(format)")
                    #expect(report.unchanged == (sheet == .trials ? 3 : 2), "\(sheet) \(format): two trials and one site")
                    #expect(try await trials.export(sheet, format: format, by: Fixtures.caller) == file || format == .xlsx)
                }
            }
            #expect(try await Self.imports(on: app) == 0, "an import that changes nothing writes nothing")
        }
    }

    @Test(
        "a bad row is named by row and column in Chinese and nothing is written; a dry run writes nothing; the good sheet is written once",
        arguments: TestDatabase.enabled)
    func institutions(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let world = try await TrialTests.world(app)
            let trials = world.platform.trials
            let header = TrialSheet.institutions.columns.map(\.rawValue)
            func row(_ name: String, code: String, district: String = "黄浦区", grade: String = "三级甲等", filedOn: String = "2020-01-02") -> [String] {
                [name, code, district, "", grade, "药物临床机构备字2020\(code.suffix(3))", filedOn, "", "", "肿瘤科：2020-01-02；呼吸内科：\(filedOn)"]
            }
            let bad = Self.csv([
                header, row("上海交通大学医学院附属瑞金医院", code: "12310000425000001"),
                row("坏等级医院", code: "12310000425000002", grade: "特等"), row("未知区医院", code: "12310000425000003", district: "海淀区"),
                row("未来医院", code: "12310000425000004", filedOn: Self.today.adding(days: 1).description),
                row("重复代码医院", code: "12310000425000001"),
            ])
            let report = try await trials.importFile(bad, sheet: .institutions, dryRun: false, by: Fixtures.caller)
            #expect(!report.committed && !report.dryRun && report.rowsRead == 5)
            #expect(report.rejected.map(\.row) == [3, 4, 5, 5, 6])
            #expect(report.rejected.map(\.column) == ["医院等级", "所在区", "药物临床试验机构备案日期", "备案专业", "机构代码"])
            #expect(report.rejected[0].reason.hasPrefix("医院等级应为"))
            #expect(report.rejected[4].reason == "机构代码与第 2 行重复")
            #expect(try await TrialInstitutionModel.query(on: app.db).count() == 2, "nothing written")

            let good = Self.csv([header, row("上海交通大学医学院附属瑞金医院", code: "12310000425000001"), row("上海市胸科医院", code: "12310000425000005")])
            let dry = try await trials.importFile(good, sheet: .institutions, dryRun: true, by: Fixtures.caller)
            #expect(dry.added == 2 && dry.dryRun && !dry.committed && dry.rejected.isEmpty)
            #expect(try await TrialInstitutionModel.query(on: app.db).count() == 2, "a dry run writes nothing")
            let done = try await trials.importFile(good, sheet: .institutions, dryRun: false, by: Fixtures.caller)
            #expect(done.added == 2 && !done.dryRun && done.committed)
            let again = try await trials.importFile(good, sheet: .institutions, dryRun: false, by: Fixtures.caller)
            #expect(again.unchanged == 2 && again.added == 0 && again.updated == 0)
            #expect(try await Self.imports(on: app) == 1)
            let ruijin = try #require(try await TrialStore.institution(code: "12310000425000001", on: app.db))
            let record = try await trials.institution(id: try ruijin.requireID(), by: Fixtures.caller)
            #expect(record.district == "310101" && record.grade == .tertiaryA && record.specialties.map(\.name).sorted() == ["呼吸内科", "肿瘤科"])

            // An institution's office changes its own row, no other; it registers none.
            let office = Caller.user(
                id: UUID(), username: "zhongshan.office", role: .trialInstitutionOfficer, scope: .institution(world.xuhui.id.uuidString))
            let mine = try await trials.export(.institutions, format: .csv, by: office)
            let own = try CSV.rows(of: mine).rows
            #expect(own.count == 2 && own[1][0] == world.xuhui.name, "its own row alone")
            let other = try await trials.importFile(good, sheet: .institutions, dryRun: true, by: office)
            #expect(other.rejected.map(\.column) == ["机构代码", "机构代码"])
        }
    }

    @Test(
        "investigators: a row without an id is the person of that name and specialty at the institution; a namesake matching in another field is reported as a likely duplicate",
        arguments: TestDatabase.enabled)
    func investigators(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let world = try await TrialTests.world(app)
            let trials = world.platform.trials
            let header = TrialSheet.investigators.columns.map(\.rawValue)
            let sheet = Self.csv([
                header,
                // 王明 of 肿瘤科 is registered: the row updates him (more earlier trials).
                ["", "王明", world.xuhui.code, "肿瘤科", "主任医师", "是", "13", "2025-06-01"],
                // Another 王明, of 血液科, with the same title: new, and a likely duplicate of the first.
                ["", "王明", world.xuhui.code, "血液科", "主任医师", "是", "2", ""],
                ["", "赵强", "没有这个代码", "肿瘤科", "主治医师", "否", "0", ""],
                ["", "钱伟", world.xuhui.code, "肿瘤科", "主治医师", "也许", "x", ""],
            ])
            let rejected = try await trials.importFile(sheet, sheet: .investigators, dryRun: true, by: Fixtures.caller)
            #expect(rejected.rejected.map { "\($0.row) \($0.column)" } == ["4 机构代码", "5 高级职称", "5 既往承担试验数"])
            let fixed = Self.csv([
                header, ["", "王明", world.xuhui.code, "肿瘤科", "主任医师", "是", "13", "2025-06-01"],
                ["", "王明", world.xuhui.code, "血液科", "主任医师", "是", "2", ""],
            ])
            let report = try await trials.importFile(fixed, sheet: .investigators, dryRun: false, by: Fixtures.caller)
            #expect(report.committed && report.updated == 1 && report.added == 1)
            #expect(report.likelyDuplicates.map(\.row) == [3] && report.likelyDuplicates.first?.investigatorID == world.oncologist.id)
            #expect(report.likelyDuplicates.first?.matching == ["职称"])
            #expect(try await trials.investigator(id: world.oncologist.id, by: Fixtures.caller).investigator.earlierTrials == 13)
            // Now two 王明 at 中山: each row finds its own by specialty; the sheet again changes nothing.
            let again = try await trials.importFile(fixed, sheet: .investigators, dryRun: false, by: Fixtures.caller)
            #expect(again.unchanged == 2 && again.updated == 0 && again.added == 0)
            #expect(again.likelyDuplicates.count == 2, "each still resembles the other")

            // An institution's office keeps its own people only.
            let office = Caller.user(
                id: UUID(), username: "zhongshan.office", role: .trialInstitutionOfficer, scope: .institution(world.xuhui.id.uuidString))
            let theirs = Self.csv([header, [world.cardiologist.id.uuidString, "李华", world.pudong.code, "心内科", "副主任医师", "是", "5", ""]])
            let refused = try await trials.importFile(theirs, sheet: .investigators, dryRun: false, by: office)
            #expect(refused.rejected.map(\.column) == ["机构代码", "研究者编号"] && !refused.committed)
        }
    }

    @Test(
        "trials with their sites: one row a site, the PI by id or by name at the institution, every site rule of a single write; loads kept",
        arguments: TestDatabase.enabled)
    func trialsAndSites(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let world = try await TrialTests.world(app)
            let trials = world.platform.trials
            let header = TrialSheet.trials.columns.map(\.rawValue)
            let ethics = Self.ethics, active = Self.active
            func row(_ number: String, institution: String, pi: (id: String, name: String), activated: String = "", ethicsOn: String? = nil)
                -> [String]
            {
                Self.trialRow(number, sponsor: world.enterprises[0].uscc, institution: institution, pi: pi, activated: activated, ethicsOn: ethicsOn)
            }
            let good = Self.csv([
                header, row("CTR20265001", institution: world.xuhui.code, pi: ("", "王明"), activated: active),
                row("CTR20265001", institution: world.pudong.code, pi: (world.cardiologist.id.uuidString, "")),
                row("CTR20265002", institution: world.xuhui.code, pi: (world.oncologist.id.uuidString, ""), activated: active),
            ])
            let report = try await trials.importFile(good, sheet: .trials, dryRun: false, by: Fixtures.caller)
            #expect(report.rejected.isEmpty, "\(report.rejected)")
            #expect(report.committed && report.added == 5, "two trials and three sites")
            try await TrialTests.loadsAgree(app)
            // The new trials' timelines: registered, then each site added, in the sheet's order.
            let first = try #require(try await TrialStore.trial(registrationNumber: "CTR20265001", on: app.db))
            let timeline = try await trials.detail(id: try first.requireID(), by: Fixtures.caller)
            #expect(timeline.events.map(\.sequence) == [1, 2, 3] && timeline.events.map(\.kind) == [.registered, .siteAdded, .siteAdded])
            #expect(timeline.events.compactMap(\.siteID) == timeline.trial.sites.map(\.id))
            #expect(timeline.trial.sites.map(\.institutionID) == [world.xuhui.id, world.pudong.id], "the sites in the sheet's order")
            #expect(try await trials.investigator(id: world.oncologist.id, by: Fixtures.caller).investigator.activeSites == 2)
            let again = try await trials.importFile(good, sheet: .trials, dryRun: false, by: Fixtures.caller)
            #expect(again.unchanged == 5 && again.added == 0 && again.updated == 0)

            // Closing a site through the sheet: one site changed, the PI's load recounted.
            let closing = Self.csv([
                header,
                row("CTR20265002", institution: world.xuhui.code, pi: (world.oncologist.id.uuidString, ""), activated: active)
                    .enumerated().map { $0.offset == header.count - 1 ? Self.today.description : $0.element },
            ])
            let closed = try await trials.importFile(closing, sheet: .trials, dryRun: false, by: Fixtures.caller)
            #expect(closed.updated == 1 && closed.unchanged == 1)
            try await TrialTests.loadsAgree(app)
            #expect(try await trials.investigator(id: world.oncologist.id, by: Fixtures.caller).investigator.activeSites == 1)

            // Bad rows: a PI of another institution, activation before ethics approval, a number of the wrong form, a site twice.
            let bad = Self.csv([
                header, row("CTR20265003", institution: world.xuhui.code, pi: (world.cardiologist.id.uuidString, "")),
                row("CTR20265004", institution: world.xuhui.code, pi: ("", "王明"), activated: ethics, ethicsOn: active),
                row("NCT0001", institution: world.xuhui.code, pi: ("", "王明")),
                row("CTR20265001", institution: world.pudong.code, pi: ("", "李华")),
                row("CTR20265001", institution: world.pudong.code, pi: ("", "李华")),
            ])
            let events = try await TrialEventModel.query(on: app.db).count()
            let refused = try await trials.importFile(bad, sheet: .trials, dryRun: false, by: Fixtures.caller)
            #expect(refused.rejected.map { "\($0.row) \($0.column)" } == ["2 研究者编号", "3 启动日期", "4 登记号或备案号", "6 机构代码"])
            #expect(try await TrialModel.query(on: app.db).count() == 2)
            #expect(try await TrialEventModel.query(on: app.db).count() == events)

            // A sponsor imports its own trials only.
            let other = Caller.user(id: UUID(), username: "other", role: .enterpriseUser, scope: .enterprise(world.enterprises[1].uscc))
            let theirs = try await trials.importFile(good, sheet: .trials, dryRun: true, by: other)
            #expect(Set(theirs.rejected.map(\.column)) == ["申办者统一社会信用代码"] && theirs.rejected.count == 3)
        }
    }

    @Test(
        "a sheet of more rows than a batch: its new trials are written while the rest is checked, and a bad last row still leaves nothing written",
        arguments: TestDatabase.enabled)
    func largeSheet(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let world = try await TrialTests.world(app)
            let trials = world.platform.trials
            let header = TrialSheet.trials.columns.map(\.rawValue)
            // 3,000 trials of two sites: 6,000 rows, more than one batch of new rows.
            var rows = [header]
            for number in 0..<3_000 {
                for (institution, pi, role, activated) in [
                    (world.xuhui.code, world.oncologist.id, "组长单位", Self.active), (world.pudong.code, world.cardiologist.id, "参加单位", ""),
                ] {
                    rows.append(
                        Self.trialRow(
                            "CTR27\(100_000 + number)", title: "大表导入测试 \(number)", phase: "II期", sponsor: world.enterprises[0].uscc,
                            institution: institution, pi: (pi.uuidString, ""), role: role, activated: activated))
                }
            }
            let counts = { @Sendable () async throws -> [Int] in
                [
                    try await TrialModel.query(on: app.db).count(), try await TrialSiteModel.query(on: app.db).count(),
                    try await TrialEventModel.query(on: app.db).count(),
                ]
            }
            let before = try await counts()
            let load = try await trials.investigator(id: world.oncologist.id, by: Fixtures.caller).investigator.activeSites

            // A bad row at the very end: the batches already written are rolled back with the rest.
            var bad = rows
            bad.append(bad[bad.count - 1].enumerated().map { $0.offset == 0 ? "NCT0001" : $0.element })
            let refused = try await trials.importFile(Self.csv(bad), sheet: .trials, dryRun: false, by: Fixtures.caller)
            #expect(!refused.committed && refused.rejected.map { "\($0.row) \($0.column)" } == ["6002 登记号或备案号"])
            #expect(try await counts() == before, "nothing written")
            try await TrialTests.loadsAgree(app)

            let report = try await trials.importFile(Self.csv(rows), sheet: .trials, dryRun: false, by: Fixtures.caller)
            #expect(report.committed && report.rejected.isEmpty && report.added == 9_000, "3,000 trials and 6,000 sites")
            #expect(try await counts() == [before[0] + 3_000, before[1] + 6_000, before[2] + 9_000])
            try await TrialTests.loadsAgree(app)
            #expect(try await trials.investigator(id: world.oncologist.id, by: Fixtures.caller).investigator.activeSites == load + 3_000)
            // The last trial's timeline, written in the last batch: registered, then its two sites.
            let last = try #require(try await TrialStore.trial(registrationNumber: "CTR27102999", on: app.db))
            let timeline = try await trials.detail(id: try last.requireID(), by: Fixtures.caller)
            #expect(timeline.events.map(\.sequence) == [1, 2, 3] && timeline.events.map(\.kind) == [.registered, .siteAdded, .siteAdded])
            #expect(timeline.events.compactMap(\.siteID) == timeline.trial.sites.map(\.id))
            let again = try await trials.importFile(Self.csv(rows), sheet: .trials, dryRun: false, by: Fixtures.caller)
            #expect(again.unchanged == 9_000 && again.added == 0 && again.updated == 0)
        }
    }
}
