import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import Vapor

/// Rules of accounts and registrations that keep the platform administrable and honest.
@Suite("Accounts and registrations: what no one may do to the platform or to its own record")
struct AccountRulesTests {
    @Test(
        "an enterprise may change its contacts, not the district or park it is registered in; its officer may move it",
        arguments: TestDatabase.enabled)
    func enterpriseCannotMoveItself(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            try await ReferenceData.load(on: app.db)
            let platform = app.testPlatform()
            let enterprise = try await platform.enterprises.create(EnterpriseInput(DemoData.enterprises[2]), by: Fixtures.caller)
            let firm = try await Fixtures.user("firm", role: .enterpriseUser, scope: .enterprise(enterprise.uscc), on: platform)
            let caller = Caller.user(id: firm.id, username: firm.username, role: firm.role, scope: firm.scope)
            let moved = await #expect(throws: UseCaseError.self) {
                try await platform.enterprises.update(id: enterprise.id, EnterpriseInput(district: "310104", park: ""), expecting: 1, by: caller)
            }
            #expect(moved?.problems.map(\.field) == ["district"])
            let parked = await #expect(throws: UseCaseError.self) {
                try await platform.enterprises.update(id: enterprise.id, EnterpriseInput(park: "zhangjiang"), expecting: 1, by: caller)
            }
            #expect(parked?.problems.map(\.field) == ["park"])
            #expect(
                try await platform.enterprises.update(id: enterprise.id, EnterpriseInput(contactName: "新联系人"), expecting: 1, by: caller).contactName
                    == "新联系人")
            let officer = try await Fixtures.user("pudong", role: .districtOfficer, scope: .district("310115"), on: platform)
            let pudong = Caller.user(id: officer.id, username: officer.username, role: officer.role, scope: officer.scope)
            #expect(
                try await platform.enterprises.update(id: enterprise.id, EnterpriseInput(park: "zhangjiang"), expecting: 2, by: pudong).park
                    == "zhangjiang")
        }
    }

    @Test("an administrator disables neither its own account nor the last active administrator")
    func lastAdministrator() async throws {
        try await TestDatabase.sqlite.withMigratedApplication { app in
            try await ReferenceData.load(on: app.db)
            let platform = app.testPlatform()
            let root = try await Fixtures.user("root", role: .cityAdmin, scope: .city, on: platform)
            let admin = Caller.user(id: root.id, username: root.username, role: root.role, scope: root.scope)
            let own = await #expect(throws: UseCaseError.self) { try await platform.users.disable(username: "root", by: admin) }
            #expect(own?.problems.first?.chinese == "不能停用自己的账号")
            // From the command line (the operator), the last administrator is still kept.
            let last = await #expect(throws: UseCaseError.self) { try await platform.users.disable(username: "root", by: Fixtures.caller) }
            #expect(last?.problems.first?.field == "username" && last?.problems.first?.chinese.contains("最后一个") == true)
            try await Fixtures.user("second", role: .cityAdmin, scope: .city, on: platform)
            #expect(try await platform.users.disable(username: "second", by: admin).disabled)
            try await Fixtures.user("third", role: .cityAdmin, scope: .city, on: platform)
            #expect(try await platform.users.disable(username: "root", by: Fixtures.caller).disabled, "with another one left, the operator may")
        }
    }

    @Test(
        "passwords: at most 72 bytes (what bcrypt reads), not the username, not one character repeated, not a common one",
        arguments: [
            ("短密码", "at least 10 characters"), (String(repeating: "密", count: 25), "at most 72 bytes"), ("Alice.Wang", "not be the username"),
            ("aaaaaaaaaaaa", "one character repeated"), ("Password123", "too common"),
        ])
    func passwords(password: String, reason: String) {
        let problem = PasswordRules.problem(with: password, username: "alice.wang")
        #expect(problem?.field == "password" && problem?.message.contains(reason) == true, "\(password): \(String(describing: problem))")
        #expect(problem?.chinese.isEmpty == false)
        let chinese = String("创新医疗器械服务与监管平台上海药品监督管理局浦东张江".prefix(24))
        #expect(chinese.utf8.count == 72 && PasswordRules.problem(with: chinese, username: "alice.wang") == nil, "24 Chinese characters are 72 bytes")
        #expect(PasswordRules.problem(with: "correct horse battery", username: "alice.wang") == nil)
    }

    @Test("an unknown name costs the same bcrypt as a wrong password: the decoy is made at the configured cost")
    func decoyCost() async throws {
        let app = try await Application.make(.testing)
        defer { Task { try? await app.asyncShutdown() } }
        for cost in [4, 6] {
            let hash = BcryptCredentials(cost: cost, threadPool: app.threadPool).decoyHash
            #expect(hash.hasPrefix("$2b$0\(cost)$"), "\(hash.prefix(7))")
        }
    }
}
