import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import Vapor

@Suite("The inspector pool: kept by the regulator, read by inspectors, each write audited")
struct InspectorPoolUseCaseTests {
    static let today = Fixtures.today

    static func input(name: String = "陈刚", username: String? = nil) -> InspectorInput {
        InspectorInput(
            username: username, name: name, categories: ["device"], specialties: ["device_qms", "医疗器械临床试验"], fullTime: true, rank: "lead",
            capacityDays: "200",
            employments: [
                EmploymentInput(employer: "上海示例医疗器械有限公司", uscc: "91310115MA1K000016", from: "2012-03-01", to: "2024-06-30"),
                EmploymentInput(employer: "上海市药品监督管理局", from: "2024-07-01"), EmploymentInput(employer: "", uscc: " ", from: nil),
            ],
            relationships: [RelationshipInput(party: "上海浦东示例生物材料有限公司", kind: "family", declaredOn: "2025-05-06", note: "配偶任职")],
            trainings: [
                TrainingInput(on: "2026-03-10", course: "医疗器械生产质量管理规范培训", hours: "16"), TrainingInput(on: "2025-09-01", course: "GCP", hours: "3.5"),
            ]
        )
    }

    @Test(
        "registered, read, changed on the version it was read, each write audited; a change on an older version is stale",
        arguments: TestDatabase.enabled)
    func lifecycle(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            try await ReferenceData.load(on: app.db)
            let platform = app.testPlatform(clock: .starting(on: Self.today))
            let inspectors = platform.inspectors
            try await Fixtures.user("chen.gang", role: .inspector, scope: .city, on: platform)
            let created = try await inspectors.create(Self.input(username: "chen.gang"), by: Fixtures.caller)
            #expect(created.version == 1 && created.username == "chen.gang" && created.tiesShown)
            #expect(created.profile.specialties == [.deviceGCP, .deviceQMS], "codes or labels, in the list's order")
            #expect(created.profile.employments.count == 2, "a blank row is left out")
            #expect(created.profile.currentEmployer?.name == "上海市药品监督管理局")
            #expect(created.profile.trainingTenths(in: 2026) == 160)

            var changed = Self.input(username: "chen.gang")
            changed.capacityDays = "180"
            changed.trainings.append(TrainingInput(on: "2026-11-02", course: "检查员精品培训班", hours: "32"))
            let updated = try await inspectors.update(id: created.id, changed, expecting: 1, by: Fixtures.caller)
            #expect(updated.version == 2 && updated.profile.capacityDays == 180 && updated.profile.trainings.count == 3)
            // The same record again changes nothing and records nothing.
            #expect(try await inspectors.update(id: created.id, changed, expecting: 2, by: Fixtures.caller).version == 2)
            await #expect(throws: UseCaseError.stale(.inspector, current: 2)) {
                _ = try await inspectors.update(id: created.id, Self.input(), expecting: 1, by: Fixtures.caller)
            }
            await #expect(throws: UseCaseError.versionRequired(.inspector)) {
                _ = try await inspectors.update(id: created.id, Self.input(), expecting: nil, by: Fixtures.caller)
            }
            let audit = try await AuditEntryModel.query(on: app.db).filter(\.$entityType == "inspector").sort(\.$id).all()
            #expect(audit.map(\.action) == ["inspector.create", "inspector.update"])
            #expect(audit.last?.before?.contains("\"capacityDays\":200") == true && audit.last?.after?.contains("\"capacityDays\":180") == true)

            // Only the trainings changed: the version moves all the same.
            var trained = changed
            trained.trainings.removeLast()
            #expect(try await inspectors.update(id: created.id, trained, expecting: 2, by: Fixtures.caller).version == 3)
        }
    }

    @Test("bad input names each field, rows by their place, and writes nothing", arguments: TestDatabase.enabled)
    func badInput(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            try await ReferenceData.load(on: app.db)
            let platform = app.testPlatform(clock: .starting(on: Self.today))
            var input = Self.input()
            input.name = " "
            input.categories = ["cosmetics"]
            input.specialties = []
            input.rank = "captain"
            input.capacityDays = "400"
            input.employments = [
                EmploymentInput(employer: "甲", uscc: "91310115MA1K000017", from: "2020-01-01"),
                EmploymentInput(employer: "乙", from: "2024-01-01", to: "2023-01-01"),
                EmploymentInput(employer: "丙", from: "2027-01-01"),
            ]
            input.relationships = [RelationshipInput(party: "丁", kind: "cousin", declaredOn: "2025-13-01")]
            input.trainings = [TrainingInput(on: "2026-01-01", course: "", hours: "3.25"), TrainingInput(on: "2026-01-02", course: "课", hours: "0")]
            do {
                _ = try await platform.inspectors.create(input, by: Fixtures.caller)
                Issue.record("accepted")
            } catch let error as UseCaseError {
                #expect(
                    Set(error.problems.map(\.field)) == [
                        "name", "categories", "rank", "capacityDays", "employments[0].uscc", "relationships[0].kind", "relationships[0].declaredOn",
                        "trainings[0].course", "trainings[0].hours", "trainings[1].hours",
                    ])
                #expect(error.problems.allSatisfy { $0.chinese.unicodeScalars.contains { $0.value > 0x3000 } })
            }
            // The fields read, the rules between them.
            var dates = Self.input()
            dates.employments = [
                EmploymentInput(employer: "乙", from: "2024-01-01", to: "2023-01-01"), EmploymentInput(employer: "丙", from: "2027-01-01"),
            ]
            dates.specialties = []
            do {
                _ = try await platform.inspectors.create(dates, by: Fixtures.caller)
                Issue.record("accepted")
            } catch let error as UseCaseError {
                #expect(Set(error.problems.map(\.field)) == ["specialties", "employments[0].to", "employments[1].from"])
            }
            #expect(try await InspectorModel.query(on: app.db).count() == 0)
            #expect(try await InspectorEmploymentModel.query(on: app.db).count() == 0)
        }
    }

    @Test("an account is linked once, and only one whose role inspects", arguments: TestDatabase.enabled)
    func linking(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            try await ReferenceData.load(on: app.db)
            let platform = app.testPlatform(clock: .starting(on: Self.today))
            try await Fixtures.user("chen.gang", role: .inspector, scope: .city, on: platform)
            try await Fixtures.user("pudong", role: .districtOfficer, scope: .district("310115"), on: platform)
            _ = try await platform.inspectors.create(Self.input(username: "chen.gang"), by: Fixtures.caller)
            await #expect(throws: UseCaseError.conflict(InspectorUseCases.linkedAlready)) {
                _ = try await platform.inspectors.create(Self.input(name: "张三", username: "chen.gang"), by: Fixtures.caller)
            }
            for (name, field) in [("pudong", "username"), ("nobody", "username")] {
                do {
                    _ = try await platform.inspectors.create(Self.input(name: "李四", username: name), by: Fixtures.caller)
                    Issue.record("linked \(name)")
                } catch let error as UseCaseError {
                    #expect(error.problems.map(\.field) == [field])
                }
            }
            #expect(try await InspectorModel.query(on: app.db).count() == 1)
        }
    }

    /// A sheet's rows as CSV cells.
    static func rows(_ data: Data) throws -> [[String]] { try CSV.rows(of: data).rows }

    @Test(
        "the pool's sheet imports back unchanged (CSV and XLSX); an edited sheet adds and updates, audited once; a bad one names each row and writes nothing",
        arguments: TestDatabase.enabled)
    func sheet(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            try await ReferenceData.load(on: app.db)
            let platform = app.testPlatform(clock: .starting(on: Self.today))
            let inspectors = platform.inspectors
            let chenUser = try await Fixtures.user("chen.gang", role: .inspector, scope: .city, on: platform)
            try await Fixtures.user("li.na", role: .inspector, scope: .city, on: platform)
            try await Fixtures.user("pudong", role: .districtOfficer, scope: .district("310115"), on: platform)
            let chen = try await inspectors.create(Self.input(username: "chen.gang"), by: Fixtures.caller)
            var plain = Self.input(name: "王敏")
            plain.relationships[0].note = "配偶任职；2025 年起 | 技术顾问"
            let wang = try await inspectors.create(plain, by: Fixtures.caller)
            func audits() async throws -> [String] {
                try await AuditEntryModel.query(on: app.db).filter(\.$entityType ~~ ["inspector", "inspector_pool"]).all().map(\.action)
            }
            let written = try await audits()

            // Exported, imported back: nothing changes (a | inside a note is written as ｜ and read back as it).
            for format in [CensusUseCases.Format.csv, .xlsx] {
                let file = try await inspectors.export(format: format, by: Fixtures.caller)
                let report = try await inspectors.importFile(file, dryRun: false, by: Fixtures.caller)
                #expect(report.committed && report.rowsRead == 2 && report.added == 0 && report.rejected.isEmpty, "\(report)")
                #expect(
                    report.unchanged == (format == .csv ? 1 : 2) && report.updated == (format == .csv ? 1 : 0),
                    "the first import reads the note's ｜ once: then it holds")
            }
            #expect(try await inspectors.find(id: wang.id, by: Fixtures.caller).profile.relationships[0].note == "配偶任职；2025 年起 ｜ 技术顾问")
            #expect(try await audits() == written + ["inspector.update", "inspector.import"], "the note's update, the import")

            // Edited: 陈刚 has fewer days; a new inspector with two trainings (one a line), linked to li.na.
            var table = try Self.rows(try await inspectors.export(format: .csv, by: Fixtures.caller))
            let header = table[0]
            func column(_ name: InspectorSheet.Column) -> Int { header.firstIndex(of: name.rawValue)! }
            let chenRow = try #require(table.firstIndex { $0[column(.id)] == chen.id.uuidString })
            table[chenRow][column(.capacityDays)] = "150"
            var new = Array(repeating: "", count: header.count)
            new[column(.name)] = "李娜"
            new[column(.username)] = "li.na"
            new[column(.categories)] = "药品、医疗器械"
            new[column(.specialties)] = "药物临床试验（GCP）, pharmacovigilance"
            new[column(.fullTime)] = "兼职"
            new[column(.rank)] = "组员"
            new[column(.capacityDays)] = "60"
            new[column(.employments)] = "上海市第六人民医院 | | 2010-07-01 | 2023-12-31"
            new[column(.trainings)] = "2026-04-02 | 药物警戒检查 | 8\n2026-10-10 | GCP 检查要点 | 4.5"
            table.append(new)
            let dry = try await inspectors.importFile(CSV.excelData(table), dryRun: true, by: Fixtures.caller)
            #expect(!dry.committed && dry.added == 1 && dry.updated == 1 && dry.unchanged == 1, "\(dry)")
            #expect(try await InspectorModel.query(on: app.db).count() == 2, "a dry run writes nothing")
            let done = try await inspectors.importFile(CSV.excelData(table), dryRun: false, by: Fixtures.caller)
            #expect(done.committed && done.added == 1 && done.updated == 1)
            let li = try #require(try await inspectors.list(.init(text: "李娜"), by: Fixtures.caller).items.first)
            #expect(li.username == "li.na" && li.profile.categories == [.drug, .device] && !li.profile.fullTime)
            #expect(li.profile.trainingTenths(in: 2026) == 125 && li.profile.employments.first?.to == CivilDate("2023-12-31"))
            #expect(try await inspectors.find(id: chen.id, by: Fixtures.caller).profile.capacityDays == 150)
            let audit = try await AuditEntryModel.query(on: app.db).filter(\.$entityType ~~ ["inspector", "inspector_pool"]).sort(\.$id).all()
            #expect(audit.suffix(3).map(\.action) == ["inspector.update", "inspector.create", "inspector.import"])
            #expect(audit.last?.after?.contains("\"added\":\"1\"") == true && audit.suffix(2).first?.after?.contains("li.na") == true)

            // Bad rows: each named by row and column, in Chinese; nothing written.
            var bad = [header]
            func row(_ edits: [InspectorSheet.Column: String]) -> [String] {
                var cells = table[chenRow]
                cells[column(.id)] = ""
                cells[column(.username)] = ""
                for (key, value) in edits { cells[column(key)] = value }
                return cells
            }
            bad.append(row([.id: UUID().uuidString]))  // 2
            bad.append(row([.id: chen.id.uuidString, .username: "chen.gang"]))  // 3
            bad.append(row([.id: chen.id.uuidString, .username: "chen.gang"]))  // 4: the same id and account again
            bad.append(row([.categories: "化妆品"]))  // 5
            bad.append(row([.trainings: "2026-01-05 | 培训 | 2\n2026-02-05 | 培训 | 2.25"]))  // 6
            bad.append(row([.employments: "某单位 | | 2020-01-01 | | 多余"]))  // 7
            bad.append(row([.username: "pudong"]))  // 8
            bad.append(row([.username: "li.na"]))  // 9: linked to 李娜, who is not in this sheet
            bad.append(row([.fullTime: "有时", .status: "休假"]))  // 10
            let before = try await InspectorModel.query(on: app.db).all().map(\.version)
            let refused = try await inspectors.importFile(CSV.excelData(bad), dryRun: false, by: Fixtures.caller)
            #expect(!refused.committed && refused.rowsRead == 9)
            let problems = refused.rejected.map { "\($0.row) \($0.column) \($0.reason)" }
            #expect(
                problems == [
                    "2 检查员编号 没有该编号的检查员（新增检查员请留空）",
                    "4 关联账号 与第 3 行关联同一账号",
                    "4 检查员编号 与第 3 行的检查员编号重复",
                    "5 检查员类别 检查员类别应为：药品、医疗器械",
                    "6 培训记录 第 2 条：学时应在 0.1 至 200 之间，至多一位小数",
                    "7 任职经历 第 1 条有 5 项，应为“单位名称 | 统一社会信用代码 | 起始日期 | 结束日期”，各项以 | 分隔，每条一行",
                    "8 关联账号 该用户的角色不承担检查工作，不能关联为检查员",
                    "9 关联账号 该用户已关联其他检查员",
                    "10 专职或兼职 应为：专职、兼职",
                    "10 状态 应为：在库、已退出（留空为在库）",
                ], "\(problems)")
            #expect(try await InspectorModel.query(on: app.db).all().map(\.version) == before)
            #expect(try await InspectorModel.query(on: app.db).count() == 3)

            // A header without its required columns; an empty file; another role.
            let headless = try await inspectors.importFile(CSV.excelData([["姓名"], ["张三"]]), dryRun: true, by: Fixtures.caller)
            #expect(headless.rejected.map(\.column).contains("检查员类别") && headless.rejected.allSatisfy { $0.row == 1 })
            await #expect(throws: UseCaseError.self) { _ = try await inspectors.importFile(Data(), dryRun: true, by: Fixtures.caller) }
            let inspector = Caller.user(id: chenUser.id, username: "chen.gang", displayName: "陈刚", role: .inspector, scope: .city)
            await #expect(throws: UseCaseError.forbidden(.manageInspectors, role: .inspector)) {
                _ = try await inspectors.importFile(CSV.excelData(table), dryRun: true, by: inspector)
            }
        }
    }

    @Test("an account moves from one inspector to another in one sheet", arguments: TestDatabase.enabled)
    func movedAccount(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            try await ReferenceData.load(on: app.db)
            let platform = app.testPlatform(clock: .starting(on: Self.today))
            let inspectors = platform.inspectors
            try await Fixtures.user("chen.gang", role: .inspector, scope: .city, on: platform)
            let first = try await inspectors.create(Self.input(username: "chen.gang"), by: Fixtures.caller)
            let second = try await inspectors.create(Self.input(name: "陈刚（新）"), by: Fixtures.caller)
            var table = try Self.rows(try await inspectors.export(format: .csv, by: Fixtures.caller))
            let id = table[0].firstIndex(of: "检查员编号")!, account = table[0].firstIndex(of: "关联账号")!
            for index in table.indices.dropFirst() {
                table[index][account] = table[index][id] == second.id.uuidString ? "chen.gang" : ""
            }
            let report = try await inspectors.importFile(CSV.excelData(table), dryRun: false, by: Fixtures.caller)
            #expect(report.committed && report.updated == 2, "\(report.rejected)")
            #expect(try await inspectors.find(id: second.id, by: Fixtures.caller).username == "chen.gang")
            #expect(try await inspectors.find(id: first.id, by: Fixtures.caller).username == nil)
        }
    }

    @Test("inspectors read the pool and their own ties, not a colleague's; other roles read nothing of it", arguments: TestDatabase.enabled)
    func whoReadsWhat(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            try await ReferenceData.load(on: app.db)
            let platform = app.testPlatform(clock: .starting(on: Self.today))
            let me = try await Fixtures.user("chen.gang", role: .inspector, scope: .city, on: platform)
            let colleague = try await Fixtures.user("li.ming", role: .inspector, scope: .city, on: platform)
            let mine = try await platform.inspectors.create(Self.input(username: "chen.gang"), by: Fixtures.caller)
            let theirs = try await platform.inspectors.create(Self.input(name: "李明", username: "li.ming"), by: Fixtures.caller)
            let caller = Caller.user(id: me.id, username: me.username, role: .inspector, scope: .city)
            #expect(try await platform.inspectors.find(id: mine.id, by: caller).profile.relationships.count == 1)
            let other = try await platform.inspectors.find(id: theirs.id, by: caller)
            #expect(!other.tiesShown && other.profile.employments.isEmpty && other.profile.relationships.isEmpty)
            #expect(other.profile.trainings.count == 2, "trainings are read by the pool")
            #expect(try await platform.inspectors.mine(by: caller)?.id == mine.id)
            let colleagueCaller = Caller.user(id: colleague.id, username: colleague.username, role: .inspector, scope: .city)
            #expect(try await platform.inspectors.mine(by: colleagueCaller)?.id == theirs.id)
            await #expect(throws: UseCaseError.forbidden(.manageInspectors, role: .inspector)) {
                _ = try await platform.inspectors.create(Self.input(name: "王五"), by: caller)
            }
            for role in Role.allCases where !AccessPolicy.allows(role, .readInspectors) {
                let scope: Scope =
                    switch role.scopeKind {
                    case .city: .city
                    case .district: .district("310115")
                    case .park: .park("zhangjiang")
                    case .station: .station("xuhui")
                    case .enterprise: .enterprise("91310115MA1K000016")
                    case .institution: .institution(UUID().uuidString)
                    case .province: .province(.anhui)
                    }
                let outsider = Caller.user(id: UUID(), username: "x", role: role, scope: scope)
                await #expect(throws: UseCaseError.forbidden(.readInspectors, role: role)) {
                    _ = try await platform.inspectors.list(.init(), by: outsider)
                }
                #expect(try await platform.inspectors.mine(by: outsider) == nil)
            }
        }
    }

    @Test("the list filters by category, specialty, full time, rank and name, and pages by name", arguments: TestDatabase.enabled)
    func listing(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            try await ReferenceData.load(on: app.db)
            let platform = app.testPlatform(clock: .starting(on: Self.today))
            var drug = Self.input(name: "白雪")
            drug.categories = ["drug"]
            drug.specialties = ["gcp"]
            drug.fullTime = false
            drug.rank = "member"
            _ = try await platform.inspectors.create(drug, by: Fixtures.caller)
            for name in ["陈刚", "丁一", "方圆"] { _ = try await platform.inspectors.create(Self.input(name: name), by: Fixtures.caller) }
            var left = Self.input(name: "顾远")
            left.active = false
            _ = try await platform.inspectors.create(left, by: Fixtures.caller)
            let inspectors = platform.inspectors
            func names(_ filter: InspectorUseCases.Filter) async throws -> [String] {
                try await inspectors.list(filter, limit: 100, by: Fixtures.caller).items.map(\.profile.name)
            }
            #expect(try await names(.init(category: "drug")) == ["白雪"])
            #expect(try await names(.init(specialty: "gcp")) == ["白雪"])
            #expect(try await names(.init(specialty: "device_qms")).count == 3)
            #expect(try await names(.init(fullTime: false)) == ["白雪"])
            #expect(try await names(.init(rank: "组长")).count == 3)
            #expect(try await names(.init(text: "陈")) == ["陈刚"])
            #expect(try await names(.init()).count == 4)
            #expect(try await names(.init(activeOnly: false)).count == 5)
            await #expect(throws: UseCaseError.self) { _ = try await names(.init(category: "cosmetics")) }
            var seen: [String] = []
            var cursor: String?
            repeat {
                let page = try await inspectors.list(.init(activeOnly: false), limit: 2, cursor: cursor, by: Fixtures.caller)
                seen += page.items.map(\.profile.name)
                cursor = page.next
            } while cursor != nil
            #expect(seen.count == 5 && Set(seen).count == 5 && seen == seen.sorted())
            let summary = try await inspectors.summary(by: Fixtures.caller)
            #expect(summary.total == 4)
            #expect(summary.byCategory[.device]?.all == 3 && summary.byCategory[.device]?.fullTime == 3)
            #expect(summary.byCategory[.drug]?.all == 1 && summary.byCategory[.drug]?.fullTime == 0)
        }
    }
}
