import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

@Suite("Warnings, the inbox and the daily digest")
struct DigestTests {
    static let day = CivilDate("2026-06-01")!

    @Test(
        "the digest of a day: each officer's warnings, red items escalated to exactly the district's and the city's supervisors; a second run sends nothing",
        arguments: TestDatabase.enabled)
    func digest(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            _ = try await Fixtures.reviews(on: app.platform)
            let audits = try await AuditEntryModel.query(on: app.db).filter(\.$action == "digest.write").count()
            let first = try await app.platform.digest.run(day: Self.day, by: .commandLine("digest"))
            #expect(first.applicationsWithWarnings == 3 && first.redItems == 1 && first.written == 3 && first.existing == 0)
            let audit = try #require(try await AuditEntryModel.query(on: app.db).filter(\.$action == "digest.write").sort(\.$id, .descending).first())
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "digest.write").count() == audits + 1)
            #expect(audit.entityID == Self.day.description && audit.actor == "cli:digest" && audit.after == #"{"existing":0,"written":3}"#)

            let digests = try await DigestModel.query(on: app.db).sort(\.$recipient).all()
            #expect(digests.map(\.recipient) == ["city", "li.ming", "pudong-officer"], "Xuhui's officer gets nothing from Pudong")
            let byRecipient = Dictionary(uniqueKeysWithValues: digests.map { ($0.recipient, $0.items) })
            #expect(byRecipient["li.ming"]?.map(\.applicationNumber) == ["SH-A", "SH-B", "SH-D"])
            #expect(byRecipient["li.ming"]?.contains { $0.escalated } == false)
            #expect(byRecipient["city"]?.map(\.applicationNumber) == ["SH-A"] && byRecipient["city"]?.first?.escalated == true)
            // Responsible for all three, and supervisor of A's district: A comes first, escalated.
            #expect(byRecipient["pudong-officer"]?.map(\.applicationNumber) == ["SH-A", "SH-B", "SH-D"])
            #expect(byRecipient["pudong-officer"]?.map(\.escalated) == [true, false, false])
            let b = try #require(byRecipient["li.ming"]?.first { $0.applicationNumber == "SH-B" })
            #expect(b.warnings == ["已用 52/60 个工作日，剩余 8 个，2026-06-11 到期"])
            let d = try #require(byRecipient["li.ming"]?.first { $0.applicationNumber == "SH-D" })
            #expect(d.warnings == ["申请人补正期限 2026-06-20 将至（剩 19 天）"])

            // Idempotent and stable: the same day again writes nothing and leaves the digests as they were.
            let second = try await app.platform.digest.run(day: Self.day, by: .commandLine("digest"))
            #expect(second.written == 0 && second.existing == 3)
            #expect(
                try await AuditEntryModel.query(on: app.db).filter(\.$action == "digest.write").count() == audits + 1,
                "a run that writes nothing leaves no audit row")
            #expect(try await DigestModel.query(on: app.db).sort(\.$recipient).all().map(\.itemsJSON) == digests.map(\.itemsJSON))

            // Thresholds are data: at 90 %, B (87 %) is no longer amber.
            try await app.testPlatform(clock: .starting(on: CivilDate("2026-06-02")!)).settings.setWarningPolicy(
                WarningPolicy(amberFraction: 0.9, supplementWarningDays: 30), by: Fixtures.caller)
            let stricter = try await app.platform.digest.run(day: CivilDate("2026-06-02")!, by: .commandLine("digest"))
            #expect(stricter.applicationsWithWarnings == 2)
        }
    }

    @Test("the inbox lists the caller's open applications that need attention, red first; others see nothing of it", arguments: TestDatabase.enabled)
    func inbox(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let made = try await Fixtures.reviews(on: app.platform)
            struct Inbox: Decodable {
                struct Item: Decodable {
                    struct Application: Decodable { var applicationNumber: String }
                    struct Warning: Decodable { var kind: String }
                    var application: Application
                    var warnings: [Warning]
                    var roles: [String]
                }
                var items: [Item]
            }
            let token = try await TestUsers.token("li.ming", on: app)
            var inbox: Inbox?
            try await app.testing().test(.GET, "/api/v1/inbox", headers: bearer(token)) { res in inbox = decoded(Inbox.self, from: res) }
            // Today (the real one, after 23 Nov 2026) every one of them is past its limit, and D's applicant
            // year ended on 20 Jun 2026: all red, the furthest past its deadline first.
            #expect(inbox?.items.map(\.application.applicationNumber) == ["SH-A", "SH-B", "SH-C", "SH-D"])
            #expect(inbox?.items.first?.warnings.map(\.kind) == ["overdue"])
            #expect(inbox?.items.last?.warnings.map(\.kind) == ["supplement_expired"])
            #expect(inbox?.items.allSatisfy { $0.roles == ["reviewer"] } == true)
            _ = made
            let other = try await TestUsers.token("xuhui-officer", on: app)
            try await app.testing().test(.GET, "/api/v1/inbox", headers: bearer(other)) { res in inbox = decoded(Inbox.self, from: res) }
            #expect(inbox?.items.isEmpty == true)
        }
    }
}
