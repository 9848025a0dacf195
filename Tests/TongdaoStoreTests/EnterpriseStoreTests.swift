import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import Vapor

@Suite("The enterprise registry in the store, on SQLite and PostgreSQL")
struct EnterpriseStoreTests {
    /// Loads the demo enterprises (eight, in five districts and five parks) through the audited write.
    static func seed(on app: Application) async throws {
        try await Fixtures.enterprises(on: app.testPlatform())
    }

    @Test("searches match what was typed as text: % and _ are not wildcards, a backslash is a backslash", arguments: TestDatabase.enabled)
    func literalSearch(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            try await ReferenceData.load(on: app.db)
            try await Self.seed(on: app)
            var special = DemoData.enterprises[0]
            special.uscc = USCC.completing("91310115MA1PCT500")!
            special.name = "上海百分之50%_医疗\\科技有限公司"
            _ = try await app.testPlatform().enterprises.create(EnterpriseInput(special), by: Fixtures.caller)
            func names(_ text: String) async throws -> [String] {
                try await EnterpriseStore.list(.init(text: text), scope: .everything, limit: 50, on: app.db).items.map(\.name)
            }
            #expect(try await names("%") == [special.name], "only the name with a percent sign")
            #expect(try await names("_") == [special.name], "only the name with an underscore")
            #expect(try await names("50%_") == [special.name])
            #expect(try await names("\\") == [special.name])
            #expect(try await names("百分之5_") == [], "_ is not any one character")
            #expect(try await names("上海").count == (try await EnterpriseModel.query(on: app.db).all()).count { $0.name.contains("上海") })
            #expect(try await names(String(special.uscc.prefix(16))) == [special.name], "the USCC still matches by its start")
        }
    }

    @Test("the scope filter in SQL keeps exactly the rows ScopeFilter.admits keeps, for every kind of scope", arguments: TestDatabase.enabled)
    func sqlAgreesWithRule(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            try await ReferenceData.load(on: app.db)
            try await Self.seed(on: app)
            // Two enterprises of Jiangsu (one in Suzhou, one placed in the province) and one of Zhejiang.
            for (first17, name, place) in [
                ("91320506MA1K00001", "苏州示例生物制药有限公司", "320500"), ("91321300MA1K00002", "宿迁示例医疗器械有限公司", "320000"),
                ("91330100MA1K00003", "杭州示例医疗科技有限公司", "330100"),
            ] {
                _ = try await app.testPlatform().enterprises.create(
                    EnterpriseInput(uscc: USCC.completing(first17)!, name: name, district: place, kind: "cdmo"), by: Fixtures.caller)
            }
            let scopes: [Scope] = [
                .city, .district("310115"), .district("310151"), .park("zhangjiang"), .park("lingang"), .station("xuhui"),
                .station("minhang"), .station("no-such-station"), .enterprise(DemoData.enterprises[0].uscc), .enterprise("9131000013221158XC"),
                .province(.jiangsu), .province(.zhejiang), .province(.anhui),
            ]
            let all = try await EnterpriseModel.query(on: app.db).all()
            #expect(all.count == DemoData.enterprises.count + 3)
            for scope in scopes {
                let filter = ReferenceData.filter(for: scope)
                let inSQL = Set(try await EnterpriseModel.query(on: app.db).scoped(to: filter).all().map(\.uscc))
                let inMemory = Set(all.filter { filter.admits($0.location) }.map(\.uscc))
                #expect(inSQL == inMemory, "\(scope)")
            }
            // spot checks against the data itself
            #expect(try await EnterpriseModel.query(on: app.db).scoped(to: ReferenceData.filter(for: .district("310115"))).count() == 3)
            #expect(try await EnterpriseModel.query(on: app.db).scoped(to: ReferenceData.filter(for: .station("minhang"))).count() == 1)
            #expect(try await EnterpriseModel.query(on: app.db).scoped(to: ReferenceData.filter(for: .station("no-such-station"))).count() == 0)
            #expect(try await EnterpriseModel.query(on: app.db).scoped(to: ReferenceData.filter(for: .province(.jiangsu))).count() == 2)
            #expect(try await EnterpriseModel.query(on: app.db).scoped(to: ReferenceData.filter(for: .province(.anhui))).count() == 0)
        }
    }

    @Test("cursor paging visits every enterprise once, in name order, whatever the page size", arguments: TestDatabase.enabled)
    func paging(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            try await ReferenceData.load(on: app.db)
            try await Self.seed(on: app)
            let everything = try await EnterpriseStore.list(.init(), scope: .everything, limit: 100, on: app.db)
            #expect(everything.next == nil)
            let expected = everything.items.map(\.uscc)
            #expect(expected.count == DemoData.enterprises.count)
            for size in [1, 3, 7] {
                var seen: [String] = []
                var cursor: PageCursor?
                repeat {
                    let page = try await EnterpriseStore.list(.init(), scope: .everything, limit: size, after: cursor, on: app.db)
                    #expect(page.items.count <= size)
                    seen += page.items.map(\.uscc)
                    cursor = page.next.flatMap { PageCursor(token: $0.token, count: 2) }
                } while cursor != nil
                #expect(seen == expected, "page size \(size)")
            }
        }
    }

    @Test("filters narrow within the scope: district, park, part of the name, start of the USCC")
    func filters() async throws {
        try await TestDatabase.sqlite.withMigratedApplication { app in
            try await ReferenceData.load(on: app.db)
            try await Self.seed(on: app)
            func count(_ filter: EnterpriseStore.ListFilter, _ scope: ScopeFilter = .everything) async throws -> Int {
                try await EnterpriseStore.list(filter, scope: scope, limit: 100, on: app.db).items.count
            }
            #expect(try await count(.init(district: "310115")) == 3)
            #expect(try await count(.init(park: "zhangjiang")) == 1)
            #expect(try await count(.init(text: "临港")) == 1)
            #expect(try await count(.init(text: "91310115")) == 3)
            #expect(try await count(.init(text: "示例")) == 8)
            #expect(
                try await count(.init(district: "310104"), ReferenceData.filter(for: .district("310115"))) == 0, "a filter cannot widen the scope")
        }
    }

    @Test("audit rows page newest first by their time-ordered ids", arguments: TestDatabase.enabled)
    func auditPaging(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            try await ReferenceData.load(on: app.db)
            try await Self.seed(on: app)
            let all = try await Audit.list(.init(), limit: 100, on: app.db).entries
            #expect(all.count == DemoData.enterprises.count)
            #expect(all.map(\.at) == all.map(\.at).sorted(by: >))
            let names = all.compactMap { $0.after.flatMap { try? JSONDecoder().decode(EnterpriseDraft.self, from: Data($0.utf8)).name } }
            #expect(names == DemoData.enterprises.reversed().map(\.name), "newest first")
            var seen: [UUID] = []
            var after: UUID?
            repeat {
                let page = try await Audit.list(.init(entityType: "enterprise"), limit: 3, after: after, on: app.db)
                seen += page.entries.compactMap(\.id)
                after = page.next
            } while after != nil
            #expect(seen == all.compactMap(\.id))
        }
    }
}
