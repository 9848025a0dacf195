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
